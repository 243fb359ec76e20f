// SPDX-License-Identifier: GPL-2.0

//! Host tests of `nstable.rs` (kept apart: the kernel module compiles
//! the policy files, never these).

use super::*;

extern crate std;
use std::boxed::Box;
use std::sync::OnceLock;

/// Chunks on the host heap, counting their bytes like the kernel store.
pub(crate) struct HostChunks([OnceLock<Box<Chunk>>; CHUNKS]);

impl Default for HostChunks {
    fn default() -> Self {
        HostChunks([const { OnceLock::new() }; CHUNKS])
    }
}

impl ChunkStore for HostChunks {
    fn chunk(&self, n: usize) -> Option<&Chunk> {
        self.0.get(n)?.get().map(|b| &**b)
    }

    fn chunk_or_alloc(&self, n: usize) -> Option<&Chunk> {
        Some(&**self.0.get(n)?.get_or_init(|| Box::new(Chunk::default())))
    }

    fn bytes(&self) -> usize {
        self.0.iter().filter(|c| c.get().is_some()).count() * core::mem::size_of::<Chunk>()
    }
}

/// The table over host chunks.
pub(crate) type NsTable = super::NsTable<HostChunks>;

#[test]
fn ids_count_from_one_and_are_never_reused() {
    let t = NsTable::new(2);
    let w = Writer::assume_locked();
    let a = t.create(&w, 100).unwrap();
    assert_eq!((a.id, a.parent, a.members), (1, 100, 1));
    assert!(t.member_put(a.index), "last member leaving ends it");
    assert!(!t.any_live(), "an ended namespace is not live");
    assert_eq!(t.reap_ended(&w, |v| assert_eq!(v.id, 1)), 1);
    assert!(!t.any_live());
    let b = t.create(&w, 100).unwrap();
    assert_eq!(b.index, a.index, "slot is reused");
    assert_eq!(b.id, 2, "id is not");
}

#[test]
fn limit_is_enforced_and_clamped() {
    let w = Writer::assume_locked();
    let t = NsTable::new(2);
    t.create(&w, 1).unwrap();
    t.create(&w, 1).unwrap();
    assert_eq!(t.create(&w, 1), Err(TableError::Full));
    assert_eq!(NsTable::new(0).limit(), 1);
    assert_eq!(NsTable::new(100_000).limit(), MAX_NAMESPACES);
}

#[test]
fn namespace_lives_while_members_or_sockets_remain() {
    let w = Writer::assume_locked();
    let t = NsTable::new(4);
    let a = t.create(&w, 7).unwrap();
    assert!(t.member_get(a.index));
    assert!(t.socket_get(a.index));
    assert!(!t.member_put(a.index));
    assert!(!t.member_put(a.index), "a socket keeps it alive");
    assert_eq!(t.reap_ended(&w, |_| panic!("not ended")), 0);
    assert_eq!(t.view(a.index).unwrap().sockets, 1);
    assert!(t.socket_put(a.index), "last socket ends it");
    assert!(!t.socket_put(a.index), "unbalanced put saturates");
    assert!(t.view(a.index).is_none(), "ended: gone for readers at once");
    assert!(!t.is_live(a.index));
    assert!(!t.member_get(a.index), "ended slot takes no members");
    assert!(!t.socket_get(a.index), "ended slot takes no sockets");
    assert_eq!(t.reap_ended(&w, |_| {}), 1);
    assert!(t.view(a.index).is_none());
    assert!(!t.member_get(a.index), "free slot takes no members");
}

#[test]
fn children_of_a_dying_parent_are_reaped() {
    let w = Writer::assume_locked();
    let t = NsTable::new(4);
    let a = t.create(&w, 7).unwrap();
    let b = t.create(&w, 8).unwrap();
    let mut seen = 0;
    t.reap_children(&w, Some(7), |v| {
        assert_eq!(v.id, a.id);
        seen += 1;
    });
    assert_eq!(seen, 1);
    assert_eq!(t.find_id(b.id).map(|v| v.parent), Some(8));
    t.reap_children(&w, None, |_| {});
    assert_eq!(t.live(), 0);
}

#[test]
fn an_ended_namespace_never_comes_back() {
    let w = Writer::assume_locked();
    let t = NsTable::new(4);
    let a = t.create(&w, 7).unwrap();
    assert!(t.member_put(a.index));
    // A late put (a socket freed after the end) neither wraps nor ends it twice.
    assert!(!t.member_put(a.index));
    assert!(!t.socket_put(a.index));
    assert_eq!(t.live(), 0);
    // Ended but not reaped: a new namespace gets another slot, not this one.
    let b = t.create(&w, 7).unwrap();
    assert_ne!(b.index, a.index);
    let mut ids = [0u32; 2];
    let mut n = 0;
    t.reap_children(&w, Some(7), |v| {
        ids[n] = v.id;
        n += 1;
    });
    assert_eq!(
        (n, ids),
        (2, [a.id, b.id]),
        "a dying parent reaps ended children too"
    );
    assert!(!t.any_live());
}

#[test]
fn a_namespace_is_sealed_once_and_a_new_one_is_open() {
    let t = NsTable::new(4);
    let w = Writer::assume_locked();
    let ns = t.create(&w, 7).unwrap();
    assert!(!t.sealed(ns.index));
    assert!(t.seal(ns.index));
    assert!(!t.seal(ns.index), "only the first seal reports");
    assert!(t.sealed(ns.index));
    assert!(t.member_put(ns.index));
    t.reap_ended(&w, |_| {});
    assert!(t.sealed(ns.index), "a free slot takes nothing");
    let again = t.create(&w, 7).unwrap();
    assert_eq!(again.index, ns.index);
    assert!(!t.sealed(again.index), "a reused slot starts open");
}

#[test]
fn chunks_are_allocated_as_namespaces_are_created() {
    let t = NsTable::new(MAX_NAMESPACES);
    let w = Writer::assume_locked();
    assert_eq!(t.bytes(), 0, "nothing up front");
    let first = t.create(&w, 7).unwrap();
    assert_eq!(first.index, 0);
    let one = t.bytes();
    assert!(one > 0);
    for i in 1..CHUNK {
        assert_eq!(t.create(&w, 7).unwrap().index, i);
    }
    assert_eq!(t.bytes(), one, "one chunk holds CHUNK slots");
    let next = t.create(&w, 7).unwrap();
    assert_eq!((next.index, t.bytes()), (CHUNK, 2 * one), "chunk boundary");
    assert!(t.is_live(CHUNK - 1) && t.is_live(CHUNK));
    assert!(!t.is_live(CHUNK + 1) && t.view(3 * CHUNK).is_none());
    assert!(
        !t.member_get(5 * CHUNK),
        "an unallocated chunk has no namespace"
    );
}

#[test]
fn the_full_table_holds_max_namespaces() {
    let t = NsTable::new(MAX_NAMESPACES);
    let w = Writer::assume_locked();
    for i in 0..MAX_NAMESPACES {
        let v = t.create(&w, 1).unwrap();
        assert_eq!(v.index, i);
    }
    assert_eq!(t.create(&w, 1), Err(TableError::Full));
    assert_eq!(t.live(), MAX_NAMESPACES);
    assert_eq!(t.bytes(), CHUNKS * core::mem::size_of::<Chunk>());
    for i in [0, 255, 256, 4095] {
        assert_eq!(t.view(i).map(|v| v.id), u32::try_from(i + 1).ok());
    }
    // Ending one in the last chunk frees exactly that slot for reuse.
    assert!(t.member_put(4000));
    assert_eq!(t.reap_ended(&w, |v| assert_eq!(v.index, 4000)), 1);
    assert_eq!(t.create(&w, 1).unwrap().index, 4000);
    let mut n = 0;
    t.reap_children(&w, None, |_| n += 1);
    assert_eq!((n, t.live(), t.any_live()), (MAX_NAMESPACES, 0, false));
    assert_eq!(
        t.create(&w, 1).unwrap().index,
        0,
        "chunks stay, slots reused"
    );
}

#[test]
fn slot_sets() {
    let mut s = SlotSet::new();
    assert!(s.is_empty());
    for i in [0, 63, 64, 4095] {
        s.insert(i);
    }
    s.insert(MAX_NAMESPACES);
    assert!(!s.is_empty());
    assert!(s.contains(0) && s.contains(63) && s.contains(64) && s.contains(4095));
    assert!(!s.contains(1) && !s.contains(65) && !s.contains(MAX_NAMESPACES));
}

#[test]
fn address_counts_follow_the_writer_and_reset_on_reuse() {
    let t = NsTable::new(1);
    let w = Writer::assume_locked();
    let ns = t.create(&w, 7).unwrap();
    assert!(!t.owns_addresses(ns.index));
    t.addr_added(&w, ns.index);
    t.addr_added(&w, ns.index);
    t.addr_removed(&w, ns.index);
    assert!(t.owns_addresses(ns.index));
    t.addr_removed(&w, ns.index);
    t.addr_removed(&w, ns.index); // never below zero
    assert!(!t.owns_addresses(ns.index));
    t.addr_added(&w, ns.index);
    assert!(t.member_put(ns.index));
    assert_eq!(t.reap_ended(&w, |_| {}), 1);
    let again = t.create(&w, 7).unwrap();
    assert_eq!(again.index, ns.index);
    assert!(
        !t.owns_addresses(again.index),
        "a reused slot starts with none"
    );
    assert!(!t.owns_addresses(4095), "an unallocated slot owns nothing");
}
