// SPDX-License-Identifier: GPL-2.0

//! The slots of the namespace table and the chunks they are stored in.
//!
//! Slots live in chunks of [`CHUNK`] slots, allocated by the kernel side on
//! first use (under the table's writer lock) and published once: a chunk,
//! once there, stays until the module unloads, so a reader holding the
//! table finds slot `i` at `chunk(i / CHUNK)[i % CHUNK]` without a lock and
//! without a grace period. [`ChunkStore`] is that storage; the policy code
//! never allocates.

use super::nstable::NsTable;
use core::sync::atomic::{AtomicU32, AtomicU64, Ordering};

/// Slots per chunk.
pub const CHUNK: usize = 64;

/// Most namespaces the table can ever hold (the `max_namespaces` module
/// parameter can only lower it).
pub const MAX_NAMESPACES: usize = 4096;

/// Chunks of a full table.
pub const CHUNKS: usize = MAX_NAMESPACES / CHUNK;

/// Slot state values.
pub(super) const FREE: u32 = 0;
pub(super) const LIVE: u32 = 1;
/// Ended (no member task, no open socket), not reaped yet.
pub(super) const ENDED: u32 = 2;

/// One L3 namespace.
pub struct NsSlot {
    pub(super) state: AtomicU32,
    pub(super) id: AtomicU32,
    pub(super) parent: AtomicU32,
    pub(super) members: AtomicU32,
    pub(super) sockets: AtomicU32,
    /// Members plus open sockets: the namespace lives while it is non-zero,
    /// and it never rises again from zero.
    pub(super) active: AtomicU32,
    pub(super) refusals: AtomicU64,
    pub(super) rx_packets: AtomicU64,
    pub(super) tx_packets: AtomicU64,
    /// Non-zero: the child trusts the parent's loopback.
    pub(super) shared_loopback: AtomicU32,
    /// 1 once a member has completed an `execve()`: members can no longer
    /// take addresses (only the parent can give more).
    pub(super) sealed: AtomicU32,
    /// Addresses the namespace owns (changed under the writer lock; read
    /// without it: a connect of a namespace with none is refused).
    pub(super) addrs: AtomicU32,
}

impl NsSlot {
    /// A free slot.
    pub const fn new() -> Self {
        Self {
            state: AtomicU32::new(FREE),
            id: AtomicU32::new(0),
            parent: AtomicU32::new(0),
            members: AtomicU32::new(0),
            sockets: AtomicU32::new(0),
            active: AtomicU32::new(0),
            refusals: AtomicU64::new(0),
            rx_packets: AtomicU64::new(0),
            tx_packets: AtomicU64::new(0),
            shared_loopback: AtomicU32::new(0),
            sealed: AtomicU32::new(0),
            addrs: AtomicU32::new(0),
        }
    }
}

impl Default for NsSlot {
    fn default() -> Self {
        Self::new()
    }
}

/// A consistent-enough copy of one slot, for `info` and listings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NsView {
    /// Slot index (what tags store).
    pub index: usize,
    /// Namespace id, counted from 1, never reused.
    pub id: u32,
    /// Inode number of the parent L2 network namespace.
    pub parent: u32,
    /// Member tasks.
    pub members: u32,
    /// Member sockets still open (not closed by userspace).
    pub sockets: u32,
    /// Operations refused to this namespace.
    pub refusals: u64,
    /// IPv4 packets received for its addresses (PRE_ROUTING).
    pub rx_packets: u64,
    /// IPv4 packets sent by its sockets (LOCAL_OUT).
    pub tx_packets: u64,
}

/// `CHUNK` slots. All-zero is a chunk of free slots.
pub struct Chunk {
    /// The slots, `CHUNK * n .. CHUNK * (n + 1)` of the table for chunk `n`.
    pub slots: [NsSlot; CHUNK],
}

impl Default for Chunk {
    fn default() -> Self {
        Chunk {
            slots: [const { NsSlot::new() }; CHUNK],
        }
    }
}

/// A set of slot indices (512 bytes: a reap's batch, on the stack).
pub struct SlotSet([u64; MAX_NAMESPACES / 64]);

impl Default for SlotSet {
    fn default() -> Self {
        Self::new()
    }
}

impl SlotSet {
    /// The empty set.
    pub const fn new() -> Self {
        SlotSet([0; MAX_NAMESPACES / 64])
    }

    /// Adds `index` (ignored past `MAX_NAMESPACES`).
    pub fn insert(&mut self, index: usize) {
        if let Some(w) = self.0.get_mut(index / 64) {
            *w |= 1 << (index % 64);
        }
    }

    /// Whether `index` is in the set.
    pub fn contains(&self, index: usize) -> bool {
        self.0
            .get(index / 64)
            .is_some_and(|w| w & (1 << (index % 64)) != 0)
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }
}

/// Where the table's chunks are kept.
pub trait ChunkStore {
    /// Chunk `n` if it was allocated. Lock-free, any context.
    fn chunk(&self, n: usize) -> Option<&Chunk>;

    /// Chunk `n`, allocated (all slots free) if it was not; `None` if `n`
    /// is out of range or memory is short. Called under the writer lock.
    fn chunk_or_alloc(&self, n: usize) -> Option<&Chunk>;

    /// Bytes allocated for chunks.
    fn bytes(&self) -> usize;
}

/// Counters and flags of a live namespace.
impl<S: ChunkStore> NsTable<S> {
    /// Counts one refused operation against the namespace.
    pub fn count_refusal(&self, index: usize) {
        if let Some(s) = self.live_slot(index) {
            s.refusals.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Counts a packet received for one of the namespace's addresses.
    pub fn count_rx(&self, index: usize) {
        if let Some(s) = self.live_slot(index) {
            s.rx_packets.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Counts a packet sent by one of the namespace's sockets.
    pub fn count_tx(&self, index: usize) {
        if let Some(s) = self.live_slot(index) {
            s.tx_packets.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Sets whether the namespace in slot `index` trusts the parent's loopback.
    pub fn set_shared_loopback(&self, index: usize, shared: bool) -> bool {
        match self.live_slot(index) {
            Some(s) => {
                s.shared_loopback
                    .store(u32::from(shared), Ordering::Relaxed);
                true
            }
            None => false,
        }
    }

    /// Whether the namespace in slot `index` trusts the parent's loopback.
    pub fn shared_loopback(&self, index: usize) -> bool {
        self.live_slot(index)
            .is_some_and(|s| s.shared_loopback.load(Ordering::Relaxed) != 0)
    }

    /// Seals the live namespace in slot `index`; true only for the call
    /// that sealed it (the first).
    pub fn seal(&self, index: usize) -> bool {
        self.live_slot(index)
            .is_some_and(|s| s.sealed.swap(1, Ordering::Relaxed) == 0)
    }

    /// Whether the namespace in slot `index` is sealed (an ended or free
    /// slot counts as sealed: nothing may be taken into it).
    pub fn sealed(&self, index: usize) -> bool {
        self.live_slot(index)
            .is_none_or(|s| s.sealed.load(Ordering::Relaxed) != 0)
    }
}
