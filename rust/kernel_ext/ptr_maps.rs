// SPDX-License-Identifier: GPL-2.0

//! Maps from kernel object addresses to `u32` values, read under RCU.
//!
//! The C analogue is `include/linux/hashtable.h` with `hlist_*_rcu` lists.
//! A [`PtrMaps<N>`] holds `N` maps of [`BUCKETS`] buckets each (a key's
//! bucket is `hash_ptr(key)`), each bucket a singly linked list published
//! with release stores: readers take only `rcu_read_lock()`, in any context.
//! Writers hold one irq-safe spinlock for all `N` maps ([`PtrMaps::lock`]),
//! so one critical section can change several. Entries are objects of the
//! maps' own slab cache; an unlinked entry is freed after a grace period. A
//! list of spare entries under the same lock serves writers whose
//! allocation failed. Keys are only compared, never dereferenced.

use super::bindings;
use super::slab::{Gfp, KmemCache, SlabBox};
use core::ptr::{self, NonNull};
use core::sync::atomic::{
    AtomicPtr, AtomicU32, AtomicUsize,
    Ordering::{Acquire, Relaxed, Release},
};
use kernel::interrupt::LocalInterruptDisabled;
use kernel::prelude::*;
use kernel::str::CStr;
use kernel::sync::lock::spinlock::{SpinLockBackend, SpinLockIrqBackend};
use kernel::sync::lock::{Backend, Guard};
use kernel::sync::{new_spinlock_irq, rcu, SpinLockIrq};

/// Bits of a bucket index (`hash_ptr(key, BUCKET_BITS)`).
pub(crate) const BUCKET_BITS: u32 = 10;
/// Buckets per map.
pub(crate) const BUCKETS: usize = 1 << BUCKET_BITS;

/// The bucket of `key`: `hash_ptr()`, i.e. `hash_64_generic()` of
/// `include/linux/hash.h` (the module is 64-bit only).
fn bucket_of(key: usize) -> usize {
    // The product's top BUCKET_BITS bits: always below BUCKETS.
    ((key as u64).wrapping_mul(bindings::GOLDEN_RATIO_64) >> (u64::BITS - BUCKET_BITS)) as usize
}

/// One key and its value, linked in a bucket or in the spare list.
pub(crate) struct Entry {
    next: AtomicPtr<Entry>,
    key: usize,
    value: AtomicU32,
}

/// An entry of a [`PtrMaps`] linked nowhere: fresh from its cache, or a
/// spare. Dropping it frees it.
pub(crate) struct NewEntry<'a>(SlabBox<'a, Entry>);

/// One map: its buckets and how many entries they hold.
struct Map {
    buckets: [AtomicPtr<Entry>; BUCKETS],
    len: AtomicU32,
}

// SAFETY: all-zero is a valid `Map`: null heads (empty buckets), length 0.
unsafe impl Zeroable for Map {}

/// The spare entries, linked through `next`.
struct Spares {
    head: *mut Entry,
}

// SAFETY: the spares belong to their `PtrMaps` and are only touched under its lock.
unsafe impl Send for Spares {}

/// `N` maps from addresses to `u32` values, with one writer lock.
///
/// # Invariants
///
/// Every entry linked in a bucket or in the spare list is an object of
/// `cache` given up with [`SlabBox::into_raw`], in exactly one list. Entries
/// are linked and unlinked only under `lock`. An entry unlinked from a
/// bucket is freed only after an RCU grace period (or in `drop`, when no
/// reader can be left), never made a spare. `len` and `spare_count` count
/// the lists' entries; both are written under `lock`.
#[pin_data(PinnedDrop)]
pub(crate) struct PtrMaps<const N: usize> {
    maps: [Map; N],
    spare_count: AtomicUsize,
    #[pin]
    lock: SpinLockIrq<Spares>,
    cache: KmemCache<Entry>,
}

impl<const N: usize> PtrMaps<N> {
    /// Empty maps whose entries come from a new slab cache `name`
    /// (process context).
    pub(crate) fn new(name: &'static CStr) -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            maps <- pin_init::zeroed::<[Map; N]>(),
            spare_count: AtomicUsize::new(0),
            lock <- new_spinlock_irq!(Spares { head: ptr::null_mut() }, "PtrMaps::lock"),
            cache: KmemCache::new(name)?,
        }? Error)
    }

    /// The bucket head of `key` in map `map`.
    fn head(&self, map: usize, key: usize) -> Option<&AtomicPtr<Entry>> {
        self.maps.get(map)?.buckets.get(bucket_of(key))
    }

    /// The value of `key` in map `map`, if any: lock-free, any context,
    /// inside a read-side section the caller holds.
    pub(crate) fn get_rcu(&self, _rcu: &rcu::Guard, map: usize, key: usize) -> Option<u32> {
        let mut next = self.head(map, key)?.load(Acquire);
        // An entry found linked is freed only a grace period after it is
        // unlinked (type invariant); `_rcu` holds that grace period off.
        // SAFETY: so every entry reached from a head is still allocated.
        while let Some(entry) = unsafe { next.as_ref() } {
            if entry.key == key {
                return Some(entry.value.load(Relaxed));
            }
            next = entry.next.load(Acquire);
        }
        None
    }

    /// Entries in map `map` (0 for no such map). Lock-free.
    pub(crate) fn len(&self, map: usize) -> u32 {
        self.maps.get(map).map_or(0, |m| m.len.load(Relaxed))
    }

    /// Spare entries now. Lock-free.
    pub(crate) fn spares(&self) -> usize {
        self.spare_count.load(Relaxed)
    }

    /// A new entry from the cache, or `None` if the allocator has none
    /// under `gfp`.
    pub(crate) fn alloc(&self, gfp: Gfp) -> Option<NewEntry<'_>> {
        let entry = Entry {
            next: AtomicPtr::new(ptr::null_mut()),
            key: 0,
            value: AtomicU32::new(0),
        };
        self.cache.alloc(entry, gfp).map(NewEntry)
    }

    /// Takes the writer lock (any context; interrupts off while held).
    pub(crate) fn lock(&self) -> Writer<'_, N, SpinLockIrqBackend> {
        Writer {
            maps: self,
            spares: self.lock.lock(),
        }
    }

    /// Takes the writer lock where interrupts are already off (`irq`).
    pub(crate) fn lock_with<'a>(
        &'a self,
        irq: &'a LocalInterruptDisabled,
    ) -> Writer<'a, N, SpinLockBackend> {
        Writer {
            maps: self,
            spares: self.lock.lock_with(irq),
        }
    }

    /// Whether `entry` is one of ours.
    fn owns(&self, entry: &NewEntry<'_>) -> bool {
        ptr::eq(entry.0.cache(), &self.cache)
    }
}

/// The writer lock of a [`PtrMaps`], held while this lives (`B`: taken by
/// [`PtrMaps::lock`] or by [`PtrMaps::lock_with`]).
pub(crate) struct Writer<'a, const N: usize, B: Backend> {
    maps: &'a PtrMaps<N>,
    spares: Guard<'a, Spares, B>,
}

impl<'a, const N: usize, B: Backend> Writer<'a, N, B> {
    /// The link pointing to `key`'s entry in map `map` (its bucket head or
    /// the previous entry's `next`) and the entry. Only while the lock is
    /// held: entries are freed by lock holders.
    fn find(&self, map: usize, key: usize) -> Option<(&'a AtomicPtr<Entry>, NonNull<Entry>)> {
        let mut link = self.maps.head(map, key)?;
        loop {
            let entry = NonNull::new(link.load(Relaxed))?;
            // SAFETY: linked, and only lock holders free entries: we hold the lock.
            let e = unsafe { entry.as_ref() };
            if e.key == key {
                return Some((link, entry));
            }
            link = &e.next;
        }
    }

    /// Whether `key` is in map `map`.
    pub(crate) fn contains(&self, map: usize, key: usize) -> bool {
        self.find(map, key).is_some()
    }

    /// Links `key -> value` in map `map` with `entry`. The caller checked
    /// that `key` is not there ([`Self::contains`]): a second entry would
    /// hide the first from readers. Gives `entry` back for a map that does
    /// not exist or an entry of other maps.
    pub(crate) fn insert(
        &mut self,
        map: usize,
        key: usize,
        value: u32,
        mut entry: NewEntry<'a>,
    ) -> Result<(), NewEntry<'a>> {
        let maps = self.maps;
        let (Some(m), true) = (maps.maps.get(map), maps.owns(&entry)) else {
            return Err(entry);
        };
        let Some(head) = m.buckets.get(bucket_of(key)) else {
            return Err(entry);
        };
        entry.0.key = key;
        entry.0.value.store(value, Relaxed);
        entry.0.next.store(head.load(Relaxed), Relaxed);
        // INVARIANT: an object of `cache`, linked under the lock in one list.
        // The release store publishes its fields (`rcu_assign_pointer()`).
        head.store(entry.0.into_raw().as_ptr(), Release);
        m.len.fetch_add(1, Relaxed);
        Ok(())
    }

    /// Unlinks `entry` (of map `map`, pointed to by `link`) and frees it
    /// after a grace period; its value.
    fn unlink(&mut self, map: usize, link: &AtomicPtr<Entry>, entry: NonNull<Entry>) -> u32 {
        // SAFETY: linked, and we hold the lock (see `find`).
        let (value, next) = unsafe {
            let e = entry.as_ref();
            (e.value.load(Relaxed), e.next.load(Relaxed))
        };
        // Readers on `entry` go on through its `next`, left as it is.
        link.store(next, Release);
        if let Some(m) = self.maps.maps.get(map) {
            m.len.fetch_sub(1, Relaxed);
        }
        // A linked entry is an object of `cache` given up with `into_raw`
        // (type invariant); unlinked now, it is ours.
        // SAFETY: so it may be taken back, once.
        let owned = unsafe { SlabBox::from_raw(&self.maps.cache, entry) };
        // INVARIANT: freed only after the readers that may be on it.
        owned.free_after_rcu();
        value
    }

    /// Removes `key` from map `map` (its entry freed after a grace period);
    /// its value.
    pub(crate) fn remove(&mut self, map: usize, key: usize) -> Option<u32> {
        let (link, entry) = self.find(map, key)?;
        Some(self.unlink(map, link, entry))
    }

    /// Replaces the value of `key` in map `map` by `value` if it is `old`;
    /// whether it was.
    pub(crate) fn replace(&mut self, map: usize, key: usize, old: u32, value: u32) -> bool {
        let Some((_, entry)) = self.find(map, key) else {
            return false;
        };
        // SAFETY: linked, and we hold the lock (see `find`).
        let e = unsafe { entry.as_ref() };
        if e.value.load(Relaxed) != old {
            return false;
        }
        e.value.store(value, Relaxed);
        true
    }

    /// Removes the first entry of bucket `bucket` of map `map` whose value
    /// `pred` accepts (freed after a grace period): its key and value.
    pub(crate) fn remove_first(
        &mut self,
        map: usize,
        bucket: usize,
        pred: impl Fn(u32) -> bool,
    ) -> Option<(usize, u32)> {
        let maps = self.maps;
        let mut link = maps.maps.get(map)?.buckets.get(bucket)?;
        loop {
            let entry = NonNull::new(link.load(Relaxed))?;
            // SAFETY: linked, and we hold the lock (see `find`).
            let e = unsafe { entry.as_ref() };
            if pred(e.value.load(Relaxed)) {
                let key = e.key;
                return Some((key, self.unlink(map, link, entry)));
            }
            link = &e.next;
        }
    }

    /// A spare entry, if one is left.
    pub(crate) fn take_spare(&mut self) -> Option<NewEntry<'a>> {
        let maps = self.maps;
        let entry = NonNull::new(self.spares.head)?;
        // SAFETY: a spare is linked only in the spare list, and we hold the lock.
        self.spares.head = unsafe { entry.as_ref() }.next.load(Relaxed);
        maps.spare_count.fetch_sub(1, Relaxed);
        // A spare is an object of `cache` given up with `into_raw` (type
        // invariant); unlinked now, it is ours.
        // SAFETY: so it may be taken back, once.
        Some(NewEntry(unsafe { SlabBox::from_raw(&maps.cache, entry) }))
    }

    /// Keeps `entry` as a spare; gives back an entry of other maps.
    pub(crate) fn add_spare(&mut self, entry: NewEntry<'a>) -> Result<(), NewEntry<'a>> {
        if !self.maps.owns(&entry) {
            return Err(entry);
        }
        entry.0.next.store(self.spares.head, Relaxed);
        // INVARIANT: an object of `cache`, linked under the lock in one list.
        self.spares.head = entry.0.into_raw().as_ptr();
        self.maps.spare_count.fetch_add(1, Relaxed);
        Ok(())
    }
}

#[pinned_drop]
impl<const N: usize> PinnedDrop for PtrMaps<N> {
    fn drop(self: Pin<&mut Self>) {
        // No reader or writer is left: they borrow the maps (and readers
        // reached through an `RcuSlot` were waited for). So every entry
        // goes at once, before the cache (the last field) is destroyed.
        let this: &Self = &self;
        let free = |mut next: *mut Entry| {
            while let Some(entry) = NonNull::new(next) {
                // SAFETY: linked (in one list), so allocated; nothing else can reach it now.
                next = unsafe { entry.as_ref() }.next.load(Relaxed);
                // SAFETY: an object of `cache` given up with `into_raw` (type invariant).
                drop(unsafe { SlabBox::from_raw(&this.cache, entry) });
            }
        };
        for map in &this.maps {
            for head in &map.buckets {
                free(head.swap(ptr::null_mut(), Relaxed));
            }
            map.len.store(0, Relaxed);
        }
        let mut spares = this.lock.lock();
        free(core::mem::replace(&mut spares.head, ptr::null_mut()));
        this.spare_count.store(0, Relaxed);
    }
}

/// KUnit: two maps of a cache of their own: insert, look up (locked and
/// lock-free), replace only from the expected value, remove by key and by
/// value, spares kept and taken back, entries left at drop freed.
#[cfg(CONFIG_KUNIT)]
pub(crate) fn self_test() -> Result {
    let maps = KBox::pin_init(PtrMaps::<2>::new(c"l3ns_kunit_maps"), GFP_KERNEL)?;
    let (a, b) = (0x1000usize, 0x1000 + 8 * BUCKETS);
    let mut ok = true;
    let e1 = maps.alloc(Gfp::KERNEL).ok_or(ENOMEM)?;
    let e2 = maps.alloc(Gfp::KERNEL).ok_or(ENOMEM)?;
    let e3 = maps.alloc(Gfp::KERNEL).ok_or(ENOMEM)?;
    let e4 = maps.alloc(Gfp::KERNEL).ok_or(ENOMEM)?;
    let mut w = maps.lock();
    ok &= w.insert(0, a, 5, e1).is_ok();
    ok &= w.insert(0, b, 6, e2).is_ok();
    ok &= w.insert(1, a, 7, e3).is_ok();
    ok &= w.insert(2, a, 1, e4).is_err();
    ok &= w.contains(0, a) && w.contains(1, a) && !w.contains(1, b);
    ok &= !w.replace(0, a, 6, 9) && w.replace(0, a, 5, 8);
    drop(w);
    let rcu = rcu::read_lock();
    ok &= maps.get_rcu(&rcu, 0, a) == Some(8) && maps.get_rcu(&rcu, 1, a) == Some(7);
    ok &= maps.get_rcu(&rcu, 2, a).is_none();
    drop(rcu);
    ok &= maps.len(0) == 2 && maps.len(1) == 1;
    let mut w = maps.lock();
    ok &= (0..BUCKETS).find_map(|bucket| w.remove_first(0, bucket, |v| v == 6)) == Some((b, 6));
    ok &= w.remove(1, a) == Some(7) && w.remove(1, a).is_none();
    drop(w);
    ok &= maps.get_rcu(&rcu::read_lock(), 0, b).is_none() && maps.len(0) == 1 && maps.len(1) == 0;
    let spare = maps.alloc(Gfp::KERNEL).ok_or(ENOMEM)?;
    let irq = kernel::interrupt::local_interrupt_disable();
    let mut w = maps.lock_with(&irq);
    ok &= w.add_spare(spare).is_ok() && maps.spares() == 1;
    ok &= w.take_spare().is_some() && w.take_spare().is_none() && maps.spares() == 0;
    drop(w);
    drop(irq);
    // `a` is still in map 0: dropping the maps frees it.
    drop(maps);
    if ok {
        Ok(())
    } else {
        Err(EINVAL)
    }
}
