// SPDX-License-Identifier: GPL-2.0

//! Which L3 namespace owns which IPv4 address: `(L2 netns, address) -> slot`.
//!
//! Looked up on the packet path (demux by destination, source checks) and on
//! bind/connect, so reads take no lock: a fixed open-addressing table of
//! atomics, each entry guarded by its own sequence counter (a seqlock read
//! side: retry if a writer was active). Writers (taking and returning
//! addresses, process context) are serialized by the caller's writer lock,
//! shown by the `Writer` token.
//!
//! Deletion never leaves a tombstone in front of an empty slot (it empties
//! the run back to the last live entry instead), so lookups of absent keys
//! stay short however many addresses come and go.

use super::nstable::Writer;
use core::sync::atomic::{fence, AtomicU32, AtomicU64, Ordering};

/// Entries in the table; the `max_addrs` limit keeps the load at or below 1/2.
pub const CAPACITY: usize = 1024;

/// Most addresses owned at once over all namespaces.
pub const MAX_ADDRS: usize = CAPACITY / 2;

const EMPTY: u64 = 0;
const TOMB: u64 = u64::MAX;

/// An address in an L2 network namespace (host byte order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddrKey {
    /// Inode number of the L2 network namespace the address lives in.
    pub net: u32,
    /// The IPv4 address.
    pub addr: u32,
}

impl AddrKey {
    /// Packed form; never `EMPTY` or `TOMB` because `net` is never 0 or
    /// `u32::MAX` (proc inode numbers start at 0xF0000000 and end below it).
    fn pack(self) -> u64 {
        (u64::from(self.net) << 32) | u64::from(self.addr)
    }

    /// The inverse of `pack`.
    fn unpack(k: u64) -> Self {
        AddrKey {
            net: (k >> 32) as u32,
            addr: k as u32,
        }
    }

    fn home(self) -> usize {
        // Fibonacci hashing of the packed key; CAPACITY is a power of two.
        let h = self.pack().wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (h >> (64 - CAPACITY.trailing_zeros())) as usize
    }
}

/// Who owns an address and with which prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner {
    /// Slot index of the owning L3 namespace.
    pub slot: u16,
    /// Prefix length of the address on its device.
    pub prefix_len: u8,
}

impl Owner {
    fn pack(self) -> u32 {
        (u32::from(self.slot) << 8) | u32::from(self.prefix_len)
    }

    fn unpack(v: u32) -> Self {
        Owner {
            slot: (v >> 8) as u16,
            prefix_len: (v & 0xff) as u8,
        }
    }
}

struct Entry {
    seq: AtomicU32,
    key: AtomicU64,
    owner: AtomicU32,
    /// Assignment serial: smaller is older.
    since: AtomicU32,
}

impl Entry {
    const fn new() -> Self {
        Entry {
            seq: AtomicU32::new(0),
            key: AtomicU64::new(EMPTY),
            owner: AtomicU32::new(0),
            since: AtomicU32::new(0),
        }
    }

    /// A consistent `(key, owner)` snapshot.
    fn read(&self) -> (u64, u32) {
        let (k, o, _) = self.read_all();
        (k, o)
    }

    /// A consistent `(key, owner, since)` snapshot.
    fn read_all(&self) -> (u64, u32, u32) {
        loop {
            let s1 = self.seq.load(Ordering::Acquire);
            if s1 & 1 != 0 {
                core::hint::spin_loop();
                continue;
            }
            let key = self.key.load(Ordering::Relaxed);
            let owner = self.owner.load(Ordering::Relaxed);
            let since = self.since.load(Ordering::Relaxed);
            fence(Ordering::Acquire);
            if self.seq.load(Ordering::Relaxed) == s1 {
                return (key, owner, since);
            }
        }
    }

    /// Writer side; the caller holds the writer lock.
    fn write(&self, key: u64, owner: u32, since: u32) {
        let s = self.seq.load(Ordering::Relaxed);
        self.seq.store(s.wrapping_add(1), Ordering::Relaxed);
        fence(Ordering::Release);
        self.key.store(key, Ordering::Relaxed);
        self.owner.store(owner, Ordering::Relaxed);
        self.since.store(since, Ordering::Relaxed);
        self.seq.store(s.wrapping_add(2), Ordering::Release);
    }
}

/// Why an address could not be assigned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddrError {
    /// Another namespace owns it.
    Owned(Owner),
    /// `MAX_ADDRS` addresses are owned already.
    Full,
}

/// The address ownership table. All-zero is a valid empty table (every
/// key `EMPTY`), so the kernel side initializes it in place with zeroes.
pub struct AddrTable {
    entries: [Entry; CAPACITY],
    live: AtomicU32,
    serial: AtomicU32,
    /// Most owned addresses; 0 means `MAX_ADDRS`.
    limit: AtomicU32,
}

impl Default for AddrTable {
    fn default() -> Self {
        Self::new()
    }
}

impl AddrTable {
    /// An empty table.
    pub fn new() -> Self {
        AddrTable {
            entries: [const { Entry::new() }; CAPACITY],
            live: AtomicU32::new(0),
            serial: AtomicU32::new(0),
            limit: AtomicU32::new(0),
        }
    }

    /// Sets the most owned addresses, clamped to `1..=MAX_ADDRS`.
    pub fn set_limit(&self, limit: usize) {
        self.limit
            .store(limit.clamp(1, MAX_ADDRS) as u32, Ordering::Relaxed);
    }

    /// Most owned addresses.
    pub fn limit(&self) -> usize {
        match self.limit.load(Ordering::Relaxed) {
            0 => MAX_ADDRS,
            n => n as usize,
        }
    }

    fn probe(&self, key: AddrKey) -> impl Iterator<Item = (usize, &Entry)> {
        let home = key.home();
        (0..CAPACITY).map(move |i| {
            let idx = (home + i) & (CAPACITY - 1);
            (idx, &self.entries[idx])
        })
    }

    /// The owner of `key`, if a child namespace owns it. Lock-free.
    pub fn lookup(&self, key: AddrKey) -> Option<Owner> {
        let want = key.pack();
        for (_, e) in self.probe(key) {
            match e.read() {
                (EMPTY, _) => return None,
                (k, owner) if k == want => return Some(Owner::unpack(owner)),
                _ => {}
            }
        }
        None
    }

    /// Gives `key` to `owner`. Taking an address the same namespace already
    /// owns just updates its prefix length.
    pub fn insert(&self, _w: &Writer, key: AddrKey, owner: Owner) -> Result<(), AddrError> {
        let want = key.pack();
        let mut free = None;
        for (idx, e) in self.probe(key) {
            let (k, o) = e.read();
            if k == want {
                let cur = Owner::unpack(o);
                if cur.slot != owner.slot {
                    return Err(AddrError::Owned(cur));
                }
                let (_, _, since) = e.read_all();
                e.write(want, owner.pack(), since);
                return Ok(());
            }
            if k == TOMB && free.is_none() {
                free = Some(idx);
            }
            if k == EMPTY {
                free.get_or_insert(idx);
                break;
            }
        }
        if self.live.load(Ordering::Relaxed) as usize >= self.limit() {
            return Err(AddrError::Full);
        }
        let idx = free.ok_or(AddrError::Full)?;
        let since = self.serial.fetch_add(1, Ordering::Relaxed).wrapping_add(1);
        self.entries[idx].write(want, owner.pack(), since);
        self.live.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Takes `key` away from whoever owns it; returns the old owner.
    pub fn remove(&self, _w: &Writer, key: AddrKey) -> Option<Owner> {
        let want = key.pack();
        let (idx, owner) = self.probe(key).find_map(|(idx, e)| match e.read() {
            (EMPTY, _) => Some((usize::MAX, 0)),
            (k, o) if k == want => Some((idx, o)),
            _ => None,
        })?;
        if idx == usize::MAX {
            return None;
        }
        self.vacate(idx);
        self.live.fetch_sub(1, Ordering::Relaxed);
        Some(Owner::unpack(owner))
    }

    /// Frees entry `idx`: a tombstone if a probe run continues after it,
    /// else empty, emptying any tombstones just before it too. A reader
    /// looking for a key beyond an empty slot cannot exist (its run would
    /// have to cross the empty slot), so this never hides a live entry.
    fn vacate(&self, idx: usize) {
        let next = (idx + 1) & (CAPACITY - 1);
        if self.entries[next].read().0 != EMPTY {
            self.entries[idx].write(TOMB, 0, 0);
            return;
        }
        self.entries[idx].write(EMPTY, 0, 0);
        let mut i = idx;
        loop {
            i = (i + CAPACITY - 1) & (CAPACITY - 1);
            if i == idx || self.entries[i].read().0 != TOMB {
                break;
            }
            self.entries[i].write(EMPTY, 0, 0);
        }
    }

    /// Removes every address owned by `slot`, reporting each.
    pub fn remove_owner(&self, w: &Writer, slot: u16, removed: impl FnMut(AddrKey, Owner)) {
        self.remove_where(w, |_, o| o.slot == slot, removed)
    }

    /// Removes every address for which `pred` holds, reporting each.
    pub fn remove_where(
        &self,
        w: &Writer,
        pred: impl Fn(AddrKey, Owner) -> bool,
        mut removed: impl FnMut(AddrKey, Owner),
    ) {
        for idx in 0..CAPACITY {
            let (k, o) = self.entries[idx].read();
            if k == EMPTY || k == TOMB {
                continue;
            }
            let key = AddrKey::unpack(k);
            if !pred(key, Owner::unpack(o)) {
                continue;
            }
            if let Some(owner) = self.remove(w, key) {
                removed(key, owner);
            }
        }
    }

    /// Every owned address with its assignment serial (smaller: older).
    /// Lock-free; a concurrent writer may or may not be seen.
    pub fn iter_aged(&self) -> impl Iterator<Item = (AddrKey, Owner, u32)> + Clone + '_ {
        self.entries.iter().filter_map(|e| match e.read_all() {
            (EMPTY, _, _) | (TOMB, _, _) => None,
            (k, o, since) => Some((AddrKey::unpack(k), Owner::unpack(o), since)),
        })
    }

    /// Every owned address (any order), as `iter_aged` without the ages.
    pub fn iter(&self) -> impl Iterator<Item = (AddrKey, Owner)> + Clone + '_ {
        self.iter_aged().map(|(k, o, _)| (k, o))
    }

    /// Number of owned addresses.
    pub fn len(&self) -> usize {
        self.live.load(Ordering::Relaxed) as usize
    }

    /// Whether no address is owned.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Entries that are not empty (live + tombstones); for tests and `info`.
    pub fn occupied(&self) -> usize {
        self.entries.iter().filter(|e| e.read().0 != EMPTY).count()
    }
}

#[cfg(test)]
#[path = "addrtable_tests.rs"]
mod tests;
