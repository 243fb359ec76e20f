// SPDX-License-Identifier: GPL-2.0

//! The table of live L3 namespaces.
//!
//! Slots made of atomics only, in chunks allocated as namespaces are
//! created (see `nsslot`), so that any context (the softirq that frees a
//! task, a netfilter hook) can find a namespace by slot index and adjust
//! its counters without a lock. Creating and reaping
//! namespaces change the shape of the table: callers serialize those with
//! one writer lock (the kernel side holds a mutex; see `Writer`).
//!
//! A namespace ends at the instant its last member task exits or its last
//! socket is closed, whichever comes last (`active` reaches zero): the slot
//! turns `ENDED` at once, in whatever context that happened, and from then
//! on it is not live for anyone (no view, no new member or socket). Its
//! addresses and tags are cleaned up by `reap_ended` in process context, and
//! only then is the slot free for reuse. A slot index is what a task or
//! socket tag stores; reaping purges the tags naming the slot, so a tag
//! never names a namespace it was not given.

use core::sync::atomic::{AtomicU32, AtomicUsize, Ordering};

pub use super::nsslot::{Chunk, ChunkStore, NsView, SlotSet, CHUNK, CHUNKS, MAX_NAMESPACES};
use super::nsslot::{NsSlot, ENDED, FREE, LIVE};

/// Why a namespace could not be created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableError {
    /// `limit` namespaces are live already.
    Full,
    /// The id counter wrapped (after four billion namespaces).
    IdsExhausted,
}

/// Proof that the caller holds the table's writer lock. The kernel side
/// constructs it only while holding its mutex; host tests construct it freely.
pub struct Writer(());

impl Writer {
    /// Creates the token. Call only while holding the lock that serializes
    /// `create` and `reap` on one table.
    pub const fn assume_locked() -> Self {
        Writer(())
    }
}

/// The table of L3 namespaces.
///
/// Every field is an atomic and the all-zero bit pattern is a valid empty
/// table (no live slot, no id issued, default limit) if it is one for `S`,
/// so the kernel side can initialize it in place with zeroes.
pub struct NsTable<S> {
    /// The chunks of slots.
    store: S,
    /// The last id handed out (0: none yet).
    last_id: AtomicU32,
    /// Most live namespaces; 0 means `MAX_NAMESPACES`.
    limit: AtomicUsize,
    /// Live namespaces, ended ones excluded (a cheap "any?" for
    /// per-packet paths).
    live_count: AtomicU32,
}

impl<S: ChunkStore + Default> NsTable<S> {
    /// An empty table admitting at most `limit` live namespaces (clamped to
    /// `1..=MAX_NAMESPACES`).
    pub fn new(limit: usize) -> Self {
        let t = Self {
            store: S::default(),
            last_id: AtomicU32::new(0),
            limit: AtomicUsize::new(0),
            live_count: AtomicU32::new(0),
        };
        t.set_limit(limit);
        t
    }
}

impl<S: ChunkStore> NsTable<S> {
    /// Slot `index`, if its chunk exists.
    fn slot(&self, index: usize) -> Option<&NsSlot> {
        let chunk = self.store.chunk(index / CHUNK)?;
        chunk.slots.get(index % CHUNK)
    }

    /// Every allocated slot with its index, in index order.
    fn slots(&self) -> Slots<'_, S> {
        Slots {
            store: &self.store,
            next: 0,
        }
    }

    /// The first free slot, allocating a chunk if every allocated one is
    /// full.
    fn free_slot(&self) -> Option<(usize, &NsSlot)> {
        if let Some(found) = self
            .slots()
            .find(|(_, s)| s.state.load(Ordering::Acquire) == FREE)
        {
            return Some(found);
        }
        let n = (0..CHUNKS).find(|&n| self.store.chunk(n).is_none())?;
        let index = n.checked_mul(CHUNK)?;
        let chunk = self.store.chunk_or_alloc(n)?;
        chunk.slots.first().map(|s| (index, s))
    }

    /// Bytes allocated for the table's chunks.
    pub fn bytes(&self) -> usize {
        self.store.bytes()
    }

    /// Sets the most live namespaces, clamped to `1..=MAX_NAMESPACES`.
    pub fn set_limit(&self, limit: usize) {
        self.limit
            .store(limit.clamp(1, MAX_NAMESPACES), Ordering::Relaxed);
    }

    /// Most live namespaces.
    pub fn limit(&self) -> usize {
        match self.limit.load(Ordering::Relaxed) {
            0 => MAX_NAMESPACES,
            n => n,
        }
    }

    /// Creates a namespace under `parent` with one member (its creator).
    /// `Full` also when memory for a new chunk is short.
    pub fn create(&self, _w: &Writer, parent: u32) -> Result<NsView, TableError> {
        let live = self
            .slots()
            .filter(|(_, s)| s.state.load(Ordering::Acquire) == LIVE)
            .count();
        if live >= self.limit() {
            return Err(TableError::Full);
        }
        let (index, slot) = self.free_slot().ok_or(TableError::Full)?;
        let id = self
            .last_id
            .load(Ordering::Relaxed)
            .checked_add(1)
            .ok_or(TableError::IdsExhausted)?;
        self.last_id.store(id, Ordering::Relaxed);
        slot.id.store(id, Ordering::Relaxed);
        slot.parent.store(parent, Ordering::Relaxed);
        slot.members.store(1, Ordering::Relaxed);
        slot.sockets.store(0, Ordering::Relaxed);
        slot.active.store(1, Ordering::Relaxed);
        slot.refusals.store(0, Ordering::Relaxed);
        slot.rx_packets.store(0, Ordering::Relaxed);
        slot.tx_packets.store(0, Ordering::Relaxed);
        slot.shared_loopback.store(0, Ordering::Relaxed);
        slot.sealed.store(0, Ordering::Relaxed);
        slot.addrs.store(0, Ordering::Relaxed);
        self.live_count.fetch_add(1, Ordering::Relaxed);
        // Publish: readers that see LIVE see the fields above.
        slot.state.store(LIVE, Ordering::Release);
        Ok(self.view_slot(index, slot))
    }

    fn view_slot(&self, index: usize, s: &NsSlot) -> NsView {
        NsView {
            index,
            id: s.id.load(Ordering::Relaxed),
            parent: s.parent.load(Ordering::Relaxed),
            members: s.members.load(Ordering::Relaxed),
            sockets: s.sockets.load(Ordering::Relaxed),
            refusals: s.refusals.load(Ordering::Relaxed),
            rx_packets: s.rx_packets.load(Ordering::Relaxed),
            tx_packets: s.tx_packets.load(Ordering::Relaxed),
        }
    }

    /// Slot `index`, if it holds a live namespace.
    pub(super) fn live_slot(&self, index: usize) -> Option<&NsSlot> {
        let s = self.slot(index)?;
        (s.state.load(Ordering::Acquire) == LIVE).then_some(s)
    }

    /// Whether slot `index` holds a live (not ended) namespace.
    pub fn is_live(&self, index: usize) -> bool {
        self.live_slot(index).is_some()
    }

    /// The namespace in slot `index`, if live.
    pub fn view(&self, index: usize) -> Option<NsView> {
        self.live_slot(index).map(|s| self.view_slot(index, s))
    }

    /// The live namespace with id `id`.
    pub fn find_id(&self, id: u32) -> Option<NsView> {
        self.iter().find(|v| v.id == id)
    }

    /// Counts an address given to slot `index` (the address table's
    /// writer, under the same lock).
    pub fn addr_added(&self, _w: &Writer, index: usize) {
        if let Some(s) = self.slot(index) {
            let n = s.addrs.load(Ordering::Relaxed).saturating_add(1);
            s.addrs.store(n, Ordering::Relaxed);
        }
    }

    /// Counts an address slot `index` no longer owns.
    pub fn addr_removed(&self, _w: &Writer, index: usize) {
        if let Some(s) = self.slot(index) {
            let n = s.addrs.load(Ordering::Relaxed).saturating_sub(1);
            s.addrs.store(n, Ordering::Relaxed);
        }
    }

    /// Whether the namespace in slot `index` owns an address: one load,
    /// where asking the address table would walk it.
    pub fn owns_addresses(&self, index: usize) -> bool {
        self.slot(index)
            .is_some_and(|s| s.addrs.load(Ordering::Relaxed) != 0)
    }

    /// All live namespaces, in slot order.
    pub fn iter(&self) -> impl Iterator<Item = NsView> + '_ {
        self.slots()
            .filter(|(_, s)| s.state.load(Ordering::Acquire) == LIVE)
            .map(|(i, s)| self.view_slot(i, s))
    }

    /// Adds a member (a forked child, or a task joining). Fails if the
    /// namespace is not live (ended, reaped or never created).
    pub fn member_get(&self, index: usize) -> bool {
        Self::get(self.live_slot(index), |s| &s.members)
    }

    /// Drops a member. Returns `true` when this ended the namespace (no
    /// member, no open socket left): the caller should schedule a reap.
    pub fn member_put(&self, index: usize) -> bool {
        self.put(index, |s| &s.members)
    }

    /// Adds an open socket. Fails if the namespace is not live.
    pub fn socket_get(&self, index: usize) -> bool {
        Self::get(self.live_slot(index), |s| &s.sockets)
    }

    /// Drops an open socket (closed, or freed without being closed);
    /// `true` when this ended the namespace.
    pub fn socket_put(&self, index: usize) -> bool {
        self.put(index, |s| &s.sockets)
    }

    fn get(slot: Option<&NsSlot>, counter: impl Fn(&NsSlot) -> &AtomicU32) -> bool {
        let Some(s) = slot else { return false };
        // Never from zero: an ended namespace stays ended, even for a racing
        // get that saw the slot live a moment ago.
        let up = s
            .active
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |v| {
                if v == 0 {
                    None
                } else {
                    v.checked_add(1)
                }
            });
        if up.is_err() {
            return false;
        }
        counter(s).fetch_add(1, Ordering::Relaxed);
        true
    }

    fn put(&self, index: usize, counter: impl Fn(&NsSlot) -> &AtomicU32) -> bool {
        let Some(s) = self.live_slot(index) else {
            return false;
        };
        // Saturating decrements: an unbalanced put must not wrap to 4 billion.
        let dec = |a: &AtomicU32| {
            a.fetch_update(Ordering::AcqRel, Ordering::Acquire, |v| v.checked_sub(1))
        };
        if dec(counter(s)).is_err() {
            return false;
        }
        if !matches!(dec(&s.active), Ok(1)) {
            return false;
        }
        // The one put that took `active` to zero ends the namespace.
        if s.state
            .compare_exchange(LIVE, ENDED, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            return false;
        }
        self.live_count.fetch_sub(1, Ordering::Relaxed);
        true
    }

    /// Frees every ended namespace and reports each one to `released`
    /// (which returns its addresses and purges its tags) before its slot
    /// becomes reusable.
    pub fn reap_ended(&self, _w: &Writer, mut released: impl FnMut(NsView)) -> usize {
        let mut n = 0;
        for (index, s) in self.slots() {
            if s.state.load(Ordering::Acquire) != ENDED {
                continue;
            }
            released(self.view_slot(index, s));
            s.state.store(FREE, Ordering::Release);
            n += 1;
        }
        n
    }

    /// Frees every namespace, live or ended, whose parent is `parent` (the
    /// parent network namespace is going away), whatever its counts, or
    /// every namespace when `parent` is `None` (module unload).
    pub fn reap_children(
        &self,
        _w: &Writer,
        parent: Option<u32>,
        mut released: impl FnMut(NsView),
    ) {
        for (index, s) in self.slots() {
            let state = s.state.load(Ordering::Acquire);
            if state == FREE {
                continue;
            }
            if parent.is_some_and(|p| p != s.parent.load(Ordering::Relaxed)) {
                continue;
            }
            // Counted as gone for the others from here on.
            s.active.store(0, Ordering::Release);
            released(self.view_slot(index, s));
            if s.state.swap(FREE, Ordering::AcqRel) == LIVE {
                self.live_count.fetch_sub(1, Ordering::Relaxed);
            }
        }
    }

    /// Number of live namespaces.
    pub fn live(&self) -> usize {
        self.iter().count()
    }

    /// Whether any namespace is live (one atomic load).
    pub fn any_live(&self) -> bool {
        self.live_count.load(Ordering::Relaxed) != 0
    }
}

#[cfg(test)]
#[path = "nstable_tests.rs"]
mod tests;

/// The allocated slots of a table with their indexes, in slot order (a
/// named type: an adapter chain here gave a symbol too long for objtool).
struct Slots<'a, S> {
    store: &'a S,
    next: usize,
}

impl<'a, S: ChunkStore> Iterator for Slots<'a, S> {
    type Item = (usize, &'a NsSlot);

    fn next(&mut self) -> Option<Self::Item> {
        while self.next < CHUNKS * CHUNK {
            let i = self.next;
            match self.store.chunk(i / CHUNK) {
                Some(c) => {
                    self.next = i + 1;
                    if let Some(s) = c.slots.get(i % CHUNK) {
                        return Some((i, s));
                    }
                }
                // Not allocated: skip the whole chunk.
                None => self.next = (i / CHUNK + 1) * CHUNK,
            }
        }
        None
    }
}
