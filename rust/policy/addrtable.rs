// SPDX-License-Identifier: GPL-2.0

//! Which L3 namespace owns which IPv4 address: `(L2 netns, address) -> slot`.
//!
//! Looked up on the packet path (demux by destination, source checks) and on
//! bind/connect, so reads take no lock: an open-addressing table of atomics,
//! each entry guarded by its own sequence counter (a seqlock read side:
//! retry if a writer was active). Writers (taking and returning addresses,
//! process context) are serialized by the caller's writer lock, shown by the
//! `Writer` token.
//!
//! The entry array is an [`EntryStore`]'s: none at first, [`MIN_ENTRIES`]
//! with the first address, doubled (rehashed into a new array, published
//! in place of the old one, which is freed once no reader can see it) when
//! the load would pass one half, shrunk when it falls below one eighth,
//! and freed with the last address. Readers see either array whole.
//!
//! Deletion never leaves a tombstone in front of an empty slot (it empties
//! the run back to the last live entry instead), so lookups of absent keys
//! stay short however many addresses come and go.

pub use super::addrstore::{AgedIter, EntryStore, OwnedBy};
use super::nstable::Writer;
use core::sync::atomic::{fence, AtomicU32, AtomicU64, Ordering};

/// Most addresses owned at once over all namespaces.
pub const MAX_ADDRS: usize = 65536;

/// Entries of the smallest array (a power of two).
pub const MIN_ENTRIES: usize = 64;

/// Entries of the largest array: `MAX_ADDRS` at a load of one half.
pub const MAX_ENTRIES: usize = 2 * MAX_ADDRS;

pub(super) const EMPTY: u64 = 0;
pub(super) const TOMB: u64 = u64::MAX;

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
    pub(super) fn unpack(k: u64) -> Self {
        AddrKey {
            net: (k >> 32) as u32,
            addr: k as u32,
        }
    }

    /// Home entry in an array of `len` entries (a power of two, >= 2).
    fn home(self, len: usize) -> usize {
        // Fibonacci hashing of the packed key.
        let h = self.pack().wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let bits = len.trailing_zeros();
        (h >> (64 - bits).min(63)) as usize & len.wrapping_sub(1)
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

    pub(super) fn unpack(v: u32) -> Self {
        Owner {
            slot: (v >> 8) as u16,
            prefix_len: (v & 0xff) as u8,
        }
    }
}

/// One entry of the table. All-zero is an empty entry.
pub struct Entry {
    seq: AtomicU32,
    key: AtomicU64,
    owner: AtomicU32,
    /// Assignment serial: smaller is older.
    since: AtomicU32,
}

impl Default for Entry {
    fn default() -> Self {
        Self::new()
    }
}

impl Entry {
    /// An empty entry.
    pub const fn new() -> Self {
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
    pub(super) fn read_all(&self) -> (u64, u32, u32) {
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

/// The probe sequence of `key` in `e`: `(index, entry)` from its home on.
fn probe(e: &[Entry], key: AddrKey) -> impl Iterator<Item = (usize, &Entry)> {
    let len = e.len();
    let home = if len < 2 { 0 } else { key.home(len) };
    (0..len).filter_map(move |i| {
        let idx = home.wrapping_add(i) & len.wrapping_sub(1);
        e.get(idx).map(|en| (idx, en))
    })
}

fn lookup_in(e: &[Entry], key: AddrKey) -> Option<(usize, Owner)> {
    let want = key.pack();
    for (idx, en) in probe(e, key) {
        match en.read() {
            (EMPTY, _) => return None,
            (k, owner) if k == want => return Some((idx, Owner::unpack(owner))),
            _ => {}
        }
    }
    None
}

/// Writes a key that is not in `e` into the first free entry of its probe.
fn place(e: &[Entry], key: AddrKey, owner: u32, since: u32) -> bool {
    let free = probe(e, key).find(|(_, en)| matches!(en.read().0, EMPTY | TOMB));
    match free {
        Some((_, en)) => {
            en.write(key.pack(), owner, since);
            true
        }
        None => false,
    }
}

/// Frees entry `idx`: a tombstone if a probe run continues after it,
/// else empty, emptying any tombstones just before it too. A reader
/// looking for a key beyond an empty slot cannot exist (its run would
/// have to cross the empty slot), so this never hides a live entry.
fn vacate(e: &[Entry], idx: usize) {
    let mask = e.len().wrapping_sub(1);
    let at = |i: usize| e.get(i & mask);
    if at(idx.wrapping_add(1)).is_some_and(|n| n.read().0 != EMPTY) {
        if let Some(en) = at(idx) {
            en.write(TOMB, 0, 0);
        }
        return;
    }
    if let Some(en) = at(idx) {
        en.write(EMPTY, 0, 0);
    }
    let mut i = idx;
    loop {
        i = i.wrapping_add(mask) & mask;
        match at(i) {
            Some(en) if i != idx && en.read().0 == TOMB => en.write(EMPTY, 0, 0),
            _ => break,
        }
    }
}

/// The array length for `want` addresses in one of `len` entries, if it
/// should change: doubled past a load of 1/2, shrunk below 1/8 (to a load
/// near 1/4), none for no address.
pub fn target_len(len: usize, want: usize) -> Option<usize> {
    let grow = want.saturating_mul(2) > len;
    let shrink = want.saturating_mul(8) < len;
    let per = if grow { 2 } else { 4 };
    let n = match want {
        0 => 0,
        w => w
            .saturating_mul(per)
            .clamp(MIN_ENTRIES, MAX_ENTRIES)
            .next_power_of_two(),
    };
    (n != len && (grow || (shrink && n < len))).then_some(n)
}

/// The address ownership table. All-zero is a valid empty table if it is
/// one for `S`, so the kernel side initializes it in place with zeroes.
pub struct AddrTable<S> {
    store: S,
    live: AtomicU32,
    serial: AtomicU32,
    /// Most owned addresses; 0 means `MAX_ADDRS`.
    limit: AtomicU32,
}

impl<S: EntryStore + Default> Default for AddrTable<S> {
    fn default() -> Self {
        AddrTable {
            store: S::default(),
            live: AtomicU32::new(0),
            serial: AtomicU32::new(0),
            limit: AtomicU32::new(0),
        }
    }
}

impl<S: EntryStore> AddrTable<S> {
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

    /// The owner of `key`, if a child namespace owns it. Lock-free.
    pub fn lookup(&self, key: AddrKey) -> Option<Owner> {
        self.store.read(|e| lookup_in(e, key)).map(|(_, o)| o)
    }

    /// Resizes the array for `want` addresses if it should; a failed
    /// allocation keeps the current one.
    fn resize(&self, _w: &Writer, want: usize) {
        let len = self.store.read(|e| e.len());
        let Some(n) = target_len(len, want) else {
            return;
        };
        self.store.replace(n, |new| {
            self.store.read(|old| {
                for en in old {
                    let (k, o, since) = en.read_all();
                    if k != EMPTY && k != TOMB {
                        place(new, AddrKey::unpack(k), o, since);
                    }
                }
            })
        });
    }

    /// Gives `key` to `owner`. Taking an address the same namespace already
    /// owns just updates its prefix length.
    pub fn insert(&self, w: &Writer, key: AddrKey, owner: Owner) -> Result<(), AddrError> {
        let updated = self.store.read(|e| {
            let (idx, cur) = lookup_in(e, key)?;
            if cur.slot != owner.slot {
                return Some(Err(AddrError::Owned(cur)));
            }
            let en = e.get(idx)?;
            let (_, _, since) = en.read_all();
            en.write(key.pack(), owner.pack(), since);
            Some(Ok(()))
        });
        if let Some(done) = updated {
            return done;
        }
        let live = self.len();
        if live >= self.limit() {
            return Err(AddrError::Full);
        }
        self.resize(w, live.saturating_add(1));
        let since = self.serial.fetch_add(1, Ordering::Relaxed).wrapping_add(1);
        if !self.store.read(|e| place(e, key, owner.pack(), since)) {
            return Err(AddrError::Full);
        }
        self.live.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Takes `key` out of `e` (no resize); its old owner.
    fn remove_in(&self, e: &[Entry], key: AddrKey) -> Option<Owner> {
        let (idx, owner) = lookup_in(e, key)?;
        vacate(e, idx);
        self.live.fetch_sub(1, Ordering::Relaxed);
        Some(owner)
    }

    /// Takes `key` away from whoever owns it; returns the old owner.
    pub fn remove(&self, w: &Writer, key: AddrKey) -> Option<Owner> {
        let owner = self.store.read(|e| self.remove_in(e, key))?;
        self.resize(w, self.len());
        Some(owner)
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
        let n = self.store.read(|e| {
            let mut n = 0usize;
            for en in e {
                let (k, o) = en.read();
                if k == EMPTY || k == TOMB {
                    continue;
                }
                let key = AddrKey::unpack(k);
                if !pred(key, Owner::unpack(o)) {
                    continue;
                }
                if let Some(owner) = self.remove_in(e, key) {
                    removed(key, owner);
                    n += 1;
                }
            }
            n
        });
        if n > 0 {
            self.resize(w, self.len());
        }
    }

    /// Calls `f` with every owned address and its assignment serial
    /// (smaller: older), in a read-side section. Lock-free; a concurrent
    /// writer may or may not be seen.
    pub fn with_iter<R>(&self, f: impl FnOnce(AgedIter<'_>) -> R) -> R {
        self.store.read(|e| f(AgedIter::new(e)))
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
        self.store
            .read(|e| e.iter().filter(|en| en.read().0 != EMPTY).count())
    }

    /// Entries in the current array.
    pub fn capacity(&self) -> usize {
        self.store.read(|e| e.len())
    }

    /// Bytes allocated for entries now.
    pub fn bytes(&self) -> usize {
        self.store.bytes()
    }
}

#[cfg(test)]
#[path = "addrtable_tests.rs"]
mod tests;
