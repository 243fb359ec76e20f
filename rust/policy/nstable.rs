// SPDX-License-Identifier: GPL-2.0

//! The table of live L3 namespaces.
//!
//! A fixed array of slots made of atomics only, so that any context (the
//! softirq that frees a task, a netfilter hook) can find a namespace by slot
//! index and adjust its counters without a lock. Creating and reaping
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

use core::sync::atomic::{AtomicU32, AtomicU64, AtomicUsize, Ordering};

/// Most namespaces the table can ever hold (the `max_namespaces` module
/// parameter can only lower it).
pub const MAX_NAMESPACES: usize = 255;

/// Slot state values.
const FREE: u32 = 0;
const LIVE: u32 = 1;
/// Ended (no member task, no open socket), not reaped yet.
const ENDED: u32 = 2;

/// One L3 namespace.
pub struct NsSlot {
    state: AtomicU32,
    id: AtomicU32,
    parent: AtomicU32,
    members: AtomicU32,
    sockets: AtomicU32,
    /// Members plus open sockets: the namespace lives while it is non-zero,
    /// and it never rises again from zero.
    active: AtomicU32,
    refusals: AtomicU64,
    rx_packets: AtomicU64,
    tx_packets: AtomicU64,
    /// Non-zero: the child trusts the parent's loopback.
    shared_loopback: AtomicU32,
    /// 1 once a member has completed an `execve()`: members can no longer
    /// take addresses (only the parent can give more).
    sealed: AtomicU32,
}

impl NsSlot {
    const fn new() -> Self {
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
        }
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
/// table (no live slot, no id issued, default limit), so the kernel side can
/// initialize it in place with zeroes.
pub struct NsTable {
    slots: [NsSlot; MAX_NAMESPACES],
    /// The last id handed out (0: none yet).
    last_id: AtomicU32,
    /// Most live namespaces; 0 means `MAX_NAMESPACES`.
    limit: AtomicUsize,
    /// Live namespaces, ended ones excluded (a cheap "any?" for
    /// per-packet paths).
    live_count: AtomicU32,
}

impl NsTable {
    /// An empty table admitting at most `limit` live namespaces (clamped to
    /// `1..=MAX_NAMESPACES`).
    pub fn new(limit: usize) -> Self {
        let t = Self {
            slots: [const { NsSlot::new() }; MAX_NAMESPACES],
            last_id: AtomicU32::new(0),
            limit: AtomicUsize::new(0),
            live_count: AtomicU32::new(0),
        };
        t.set_limit(limit);
        t
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
    pub fn create(&self, _w: &Writer, parent: u32) -> Result<NsView, TableError> {
        let live = self
            .slots
            .iter()
            .filter(|s| s.state.load(Ordering::Acquire) == LIVE)
            .count();
        if live >= self.limit() {
            return Err(TableError::Full);
        }
        let (index, slot) = self
            .slots
            .iter()
            .enumerate()
            .find(|(_, s)| s.state.load(Ordering::Acquire) == FREE)
            .ok_or(TableError::Full)?;
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

    fn live_slot(&self, index: usize) -> Option<&NsSlot> {
        let s = self.slots.get(index)?;
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

    /// All live namespaces, in slot order.
    pub fn iter(&self) -> impl Iterator<Item = NsView> + '_ {
        (0..MAX_NAMESPACES).filter_map(move |i| self.view(i))
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

    /// Frees every ended namespace and reports each one to `released`
    /// (which returns its addresses and purges its tags) before its slot
    /// becomes reusable.
    pub fn reap_ended(&self, _w: &Writer, mut released: impl FnMut(NsView)) -> usize {
        let mut n = 0;
        for (index, s) in self.slots.iter().enumerate() {
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
        for (index, s) in self.slots.iter().enumerate() {
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

#[cfg(test)]
#[path = "nstable_tests.rs"]
mod tests;
