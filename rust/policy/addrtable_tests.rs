// SPDX-License-Identifier: GPL-2.0

//! Host tests of `addrtable.rs` (kept apart: the kernel module compiles
//! the policy files, never these).

extern crate std;
use super::*;
use std::boxed::Box;
use std::sync::RwLock;
use std::vec::Vec;

/// Entries on the host heap; `replaced` counts array swaps.
#[derive(Default)]
pub(crate) struct HostEntries {
    cur: RwLock<Vec<Entry>>,
    replaced: core::sync::atomic::AtomicUsize,
}

impl EntryStore for HostEntries {
    fn read<R>(&self, f: impl FnOnce(&[Entry]) -> R) -> R {
        f(&self.cur.read().unwrap())
    }

    fn replace(&self, len: usize, fill: impl FnOnce(&[Entry])) -> bool {
        let new: Vec<Entry> = (0..len).map(|_| Entry::new()).collect();
        fill(&new);
        *self.cur.write().unwrap() = new;
        self.replaced.fetch_add(1, Ordering::Relaxed);
        true
    }

    fn bytes(&self) -> usize {
        self.cur.read().unwrap().len() * core::mem::size_of::<Entry>()
    }
}

/// The table over host entries.
pub(crate) type AddrTable = super::AddrTable<HostEntries>;

const NET: u32 = 0xF000_0000;
fn k(addr: u32) -> AddrKey {
    AddrKey { net: NET, addr }
}
fn o(slot: u16) -> Owner {
    Owner {
        slot,
        prefix_len: 24,
    }
}

#[test]
fn ownership_is_exclusive() {
    let t = Box::new(AddrTable::default());
    let w = Writer::assume_locked();
    assert_eq!(t.lookup(k(0x0a00_0002)), None);
    t.insert(&w, k(0x0a00_0002), o(1)).unwrap();
    assert_eq!(t.lookup(k(0x0a00_0002)), Some(o(1)));
    assert_eq!(
        t.insert(&w, k(0x0a00_0002), o(2)),
        Err(AddrError::Owned(o(1)))
    );
    t.insert(
        &w,
        k(0x0a00_0002),
        Owner {
            slot: 1,
            prefix_len: 16,
        },
    )
    .unwrap();
    assert_eq!(t.lookup(k(0x0a00_0002)).map(|o| o.prefix_len), Some(16));
    assert_eq!(
        t.lookup(AddrKey {
            net: NET + 1,
            addr: 0x0a00_0002
        }),
        None,
        "per L2 netns"
    );
    assert_eq!(
        t.remove(&w, k(0x0a00_0002)),
        Some(Owner {
            slot: 1,
            prefix_len: 16
        })
    );
    assert_eq!(t.lookup(k(0x0a00_0002)), None);
    assert_eq!(t.remove(&w, k(0x0a00_0002)), None);
    assert!(t.is_empty());
}

#[test]
fn churn_leaves_no_tombstones_behind() {
    let t = Box::new(AddrTable::default());
    let w = Writer::assume_locked();
    for round in 0..50u32 {
        for i in 0..300u32 {
            t.insert(&w, k(round * 1000 + i), o((i % 7) as u16))
                .unwrap();
        }
        for i in 0..300u32 {
            assert_eq!(t.lookup(k(round * 1000 + i)), Some(o((i % 7) as u16)));
        }
        for i in 0..300u32 {
            assert!(t.remove(&w, k(round * 1000 + i)).is_some());
        }
        assert_eq!(t.occupied(), 0, "round {round}");
    }
}

#[test]
fn limit_and_remove_owner() {
    let t = Box::new(AddrTable::default());
    let w = Writer::assume_locked();
    for i in 0..MAX_ADDRS as u32 {
        t.insert(&w, k(i), o((i % 3) as u16)).unwrap();
    }
    assert_eq!(t.insert(&w, k(u32::MAX - 1), o(0)), Err(AddrError::Full));
    let small = Box::new(AddrTable::default());
    small.set_limit(2);
    small.insert(&w, k(1), o(0)).unwrap();
    small.insert(&w, k(2), o(0)).unwrap();
    assert_eq!(small.insert(&w, k(3), o(0)), Err(AddrError::Full));
    small
        .insert(&w, k(2), o(0))
        .expect("re-taking an owned address is not a new one");
    let mut n = 0;
    t.remove_owner(&w, 1, |_, owner| {
        assert_eq!(owner.slot, 1);
        n += 1;
    });
    assert_eq!(n, MAX_ADDRS / 3 + usize::from(MAX_ADDRS % 3 > 1));
    assert_eq!(t.len(), MAX_ADDRS - n);
    let mut seen = 0;
    t.with_iter(|it| {
        for (_, owner, _) in it {
            assert_ne!(owner.slot, 1);
            seen += 1;
        }
    });
    assert_eq!(seen, t.len());
}

#[test]
fn the_array_follows_the_addresses() {
    let t = AddrTable::default();
    let w = Writer::assume_locked();
    assert_eq!((t.capacity(), t.bytes()), (0, 0), "nothing up front");
    assert_eq!(t.lookup(k(1)), None, "an empty table answers");
    t.insert(&w, k(1), o(0)).unwrap();
    assert_eq!(t.capacity(), MIN_ENTRIES);
    for i in 2..=4096u32 {
        t.insert(&w, k(i), o((i % 5) as u16)).unwrap();
        assert!(t.len() * 2 <= t.capacity(), "load above 1/2 at {i}");
    }
    assert_eq!(t.capacity(), 8192);
    for i in 2..=4096u32 {
        assert_eq!(t.lookup(k(i)), Some(o((i % 5) as u16)), "rehash kept {i}");
    }
    assert_eq!(t.lookup(k(1)), Some(o(0)));
    // Ages survive a rehash: the first address is still the oldest.
    let oldest = t.with_iter(|it| it.min_by_key(|(_, _, since)| *since).map(|(k, _, _)| k));
    assert_eq!(oldest, Some(k(1)));
    for i in 1..=4000u32 {
        assert!(t.remove(&w, k(i)).is_some());
        assert!(t.len() * 8 >= t.capacity() || t.capacity() == MIN_ENTRIES);
    }
    assert!(t.capacity() <= 512, "shrunk: {}", t.capacity());
    for i in 4001..=4096u32 {
        assert_eq!(t.lookup(k(i)), Some(o((i % 5) as u16)));
    }
    t.remove_where(&w, |_, _| true, |_, _| {});
    assert_eq!(
        (t.len(), t.capacity(), t.bytes()),
        (0, 0, 0),
        "freed with the last"
    );
}

#[test]
fn max_addrs_fit() {
    let t = Box::new(AddrTable::default());
    let w = Writer::assume_locked();
    for i in 0..MAX_ADDRS as u32 {
        t.insert(&w, k(0x0a00_0000 + i), o((i % 4096) as u16))
            .unwrap();
    }
    assert_eq!(t.capacity(), MAX_ENTRIES);
    assert_eq!(t.insert(&w, k(1), o(0)), Err(AddrError::Full));
    assert_eq!(t.lookup(k(0x0a00_0000 + 65535)), Some(o(4095)));
    t.remove_owner(&w, 4095, |_, _| {});
    assert_eq!(t.len(), MAX_ADDRS - 16);
}

#[test]
fn target_len_has_hysteresis() {
    assert_eq!(target_len(0, 0), None);
    assert_eq!(target_len(0, 1), Some(MIN_ENTRIES));
    assert_eq!(target_len(64, 32), None);
    assert_eq!(target_len(64, 33), Some(128), "doubled");
    assert_eq!(target_len(256, 33), None, "1/8 < load <= 1/2");
    assert_eq!(target_len(256, 31), Some(128), "below 1/8: to about 1/4");
    assert_eq!(target_len(1024, 20), Some(128));
    assert_eq!(target_len(64, 1), None, "never below MIN_ENTRIES");
    assert_eq!(target_len(64, 0), Some(0));
    assert_eq!(target_len(MAX_ENTRIES, MAX_ADDRS), None);
}
