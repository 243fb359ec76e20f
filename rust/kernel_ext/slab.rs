// SPDX-License-Identifier: GPL-2.0

//! Slab caches of one Rust type (`struct kmem_cache`).
//!
//! C header: [`include/linux/slab.h`](srctree/include/linux/slab.h).
//! A [`KmemCache<T>`] is a cache of its own (`SLAB_NO_MERGE`): it shows in
//! `/proc/slabinfo` and `/sys/kernel/slab/<name>` under its name, and fault
//! injection (`failslab`'s cache filter) can single it out. Objects are
//! [`SlabBox`]es, freed at once or after an RCU grace period
//! ([`SlabBox::free_after_rcu`], `kfree_rcu()`); the cache is destroyed in
//! `Drop`, where `kmem_cache_destroy()` waits for those deferred frees.

use super::bindings;
use core::marker::PhantomData;
use core::mem::{align_of, needs_drop, size_of, ManuallyDrop};
use core::ops::{Deref, DerefMut};
use core::ptr::NonNull;
use kernel::error::{
    code::{EINVAL, ENOMEM},
    Result,
};
use kernel::str::{CStr, CStrExt};
use kernel::types::Opaque;

/// How an allocation may wait (a `gfp_t`).
#[derive(Clone, Copy)]
pub(crate) struct Gfp(bindings::gfp_t);

impl Gfp {
    /// Process context: may sleep and reclaim (`GFP_KERNEL`).
    pub(crate) const KERNEL: Self = Self(bindings::GFP_KERNEL);
    /// Any context, no reclaim: fails below the min watermark
    /// (`GFP_NOWAIT | __GFP_NOWARN`).
    pub(crate) const NOWAIT: Self = Self(bindings::GFP_NOWAIT | bindings::__GFP_NOWARN);
    /// Any context, may use the emergency pools below the min watermark
    /// (`GFP_ATOMIC | __GFP_NOWARN`).
    pub(crate) const ATOMIC: Self = Self(bindings::GFP_ATOMIC | bindings::__GFP_NOWARN);
}

/// One object of a cache: the value first, then the head `kfree_rcu()`
/// links it by.
#[repr(C)]
struct Object<T> {
    value: T,
    rcu: Opaque<bindings::kvfree_rcu_head>,
}

/// A slab cache of `T` objects.
///
/// # Invariants
///
/// `cache` is a live cache of `Object<T>`s made by [`KmemCache::new`],
/// destroyed only in `drop`.
pub(crate) struct KmemCache<T> {
    cache: NonNull<bindings::kmem_cache>,
    _type: PhantomData<T>,
}

// Values only enter through `alloc`, so `T: Send` covers them.
// SAFETY: the slab allocator may be used, and a cache destroyed, from any thread.
unsafe impl<T: Send> Send for KmemCache<T> {}
// SAFETY: as above; `&KmemCache` only allocates, which is thread-safe.
unsafe impl<T: Send> Sync for KmemCache<T> {}

impl<T> KmemCache<T> {
    /// Creates the cache `name` (process context). `T` has no destructor:
    /// an object freed by `kfree_rcu()` is freed without running one.
    pub(crate) fn new(name: &'static CStr) -> Result<Self> {
        const { assert!(!needs_drop::<T>()) };
        let size = u32::try_from(size_of::<Object<T>>()).map_err(|_| EINVAL)?;
        let mut args = bindings::kmem_cache_args {
            align: u32::try_from(align_of::<Object<T>>()).map_err(|_| EINVAL)?,
            ..Default::default()
        };
        let flags: bindings::slab_flags_t = 1 << bindings::_slab_flag_bits__SLAB_NO_MERGE;
        // The cache keeps `name` (static) and copies `args`.
        // SAFETY: `name` is a NUL-terminated static string, `args` is valid for the call.
        let cache = unsafe {
            bindings::__kmem_cache_create_args(name.as_char_ptr(), size, &mut args, flags)
        };
        // INVARIANT: a non-null result is a live cache of `size`-byte objects.
        NonNull::new(cache)
            .map(|cache| Self {
                cache,
                _type: PhantomData,
            })
            .ok_or(ENOMEM)
    }

    /// An object holding `value`, or `None` if the allocator has none
    /// under `gfp`.
    pub(crate) fn alloc(&self, value: T, gfp: Gfp) -> Option<SlabBox<'_, T>> {
        // SAFETY: `cache` is live (type invariant).
        let obj = unsafe { bindings::kmem_cache_alloc_noprof(self.cache.as_ptr(), gfp.0) };
        let obj = NonNull::new(obj.cast::<Object<T>>())?;
        // SAFETY: a fresh object of the cache: `Object<T>`'s size and alignment, ours alone.
        unsafe { (&raw mut (*obj.as_ptr()).value).write(value) };
        // INVARIANT: `obj` is an object of this cache holding a `T`, owned by the box.
        Some(SlabBox { obj, cache: self })
    }
}

impl<T> Drop for KmemCache<T> {
    fn drop(&mut self) {
        // Every `SlabBox` borrows the cache, so none is left (an object
        // leaked with `into_raw` is reported by the kernel and kept);
        // `kmem_cache_destroy()` first waits for `kfree_rcu()` in flight.
        // SAFETY: `cache` is live (type invariant) and destroyed only here.
        unsafe { bindings::kmem_cache_destroy(self.cache.as_ptr()) };
    }
}

/// An object of a [`KmemCache`], freed to it in `Drop`.
///
/// # Invariants
///
/// `obj` is an allocated object of `cache` holding an initialised `T`,
/// owned by this box.
pub(crate) struct SlabBox<'c, T> {
    obj: NonNull<Object<T>>,
    cache: &'c KmemCache<T>,
}

// SAFETY: the box owns its `T` like a `KBox`.
unsafe impl<T: Send> Send for SlabBox<'_, T> {}
// SAFETY: `&SlabBox` only gives `&T`.
unsafe impl<T: Sync> Sync for SlabBox<'_, T> {}

impl<'c, T> SlabBox<'c, T> {
    /// The cache it came from.
    pub(crate) fn cache(&self) -> &'c KmemCache<T> {
        self.cache
    }

    /// Gives the object up: it stays allocated until [`Self::from_raw`]
    /// takes it back. The pointer is to the `T`.
    pub(crate) fn into_raw(self) -> NonNull<T> {
        let this = ManuallyDrop::new(self);
        // CAST: `value` is the first field of the `repr(C)` `Object<T>`.
        this.obj.cast()
    }

    /// Takes back an object given up by [`Self::into_raw`].
    ///
    /// # Safety
    ///
    /// `ptr` came from `into_raw` of a box of `cache`, and has not been
    /// taken back since.
    pub(crate) unsafe fn from_raw(cache: &'c KmemCache<T>, ptr: NonNull<T>) -> Self {
        // INVARIANT: per the contract, `ptr` is an object of `cache` holding a `T`, now ours.
        Self {
            obj: ptr.cast(),
            cache,
        }
    }

    /// Frees the object after an RCU grace period (`kfree_rcu()`): readers
    /// that found it under `rcu_read_lock()` may use it until they unlock.
    /// Any context.
    pub(crate) fn free_after_rcu(self) {
        let this = ManuallyDrop::new(self);
        let obj = this.obj.as_ptr();
        // `T` has no destructor (`new`); the slab allocator frees the object
        // wherever it came from, and the cache waits for it before it goes.
        // SAFETY: `obj` is an allocated slab object we own (type invariant), `rcu` is inside it.
        unsafe { bindings::kvfree_call_rcu(Opaque::cast_into(&raw const (*obj).rcu), obj.cast()) };
    }
}

impl<T> Deref for SlabBox<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: `obj` holds an initialised `T` owned by the box (type invariant).
        unsafe { &(*self.obj.as_ptr()).value }
    }
}

impl<T> DerefMut for SlabBox<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`; `&mut self` makes the access unique.
        unsafe { &mut (*self.obj.as_ptr()).value }
    }
}

impl<T> Drop for SlabBox<'_, T> {
    fn drop(&mut self) {
        // SAFETY: `obj` is an object of `cache`, owned by us (type invariant); `T` needs no drop.
        unsafe { bindings::kmem_cache_free(self.cache.cache.as_ptr(), self.obj.as_ptr().cast()) };
    }
}

/// KUnit: objects of a cache of its own hold their values; one freed at
/// once, one after a grace period, one taken back from a raw pointer; the
/// cache is destroyed after them.
#[cfg(CONFIG_KUNIT)]
pub(crate) fn self_test() -> Result {
    let cache = KmemCache::<[u64; 3]>::new(c"l3ns_kunit_slab")?;
    let a = cache.alloc([1, 2, 3], Gfp::KERNEL).ok_or(ENOMEM)?;
    let mut b = cache.alloc([4, 5, 6], Gfp::NOWAIT).ok_or(ENOMEM)?;
    b[0] = 7;
    let raw = cache
        .alloc([8, 9, 10], Gfp::ATOMIC)
        .ok_or(ENOMEM)?
        .into_raw();
    // SAFETY: `raw` came from `into_raw` of a box of `cache`, taken back once.
    let c = unsafe { SlabBox::from_raw(&cache, raw) };
    let ok = *a == [1, 2, 3] && *b == [7, 5, 6] && *c == [8, 9, 10];
    drop(a);
    b.free_after_rcu();
    drop(c);
    drop(cache);
    if ok {
        Ok(())
    } else {
        Err(EINVAL)
    }
}
