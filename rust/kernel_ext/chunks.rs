// SPDX-License-Identifier: GPL-2.0

//! Chunks published once: `N` pointers to zero-initialized `T`s, each
//! allocated on first use and freed only when the whole array drops.
//!
//! For tables that grow but never shrink while the module is loaded (the
//! L3 namespace slots): a reader finds chunk `n` with one acquire load and
//! needs neither a lock nor a grace period, because a chunk, once
//! published, lives as long as the array (whose `Drop` needs `&mut`, so no
//! reader is left).

use core::ptr;
use core::sync::atomic::{
    AtomicPtr, AtomicUsize,
    Ordering::{AcqRel, Acquire, Relaxed},
};
use kernel::prelude::*;
use pin_init::Zeroable;

/// Up to `N` chunks of type `T`.
///
/// # Invariants
///
/// Every non-null pointer in `ptrs` came from `KBox::into_raw` of a
/// `KBox<T>` and is freed only in `drop`; `count` is the number of them.
pub(crate) struct OnceChunks<T, const N: usize> {
    ptrs: [AtomicPtr<T>; N],
    count: AtomicUsize,
}

// All pointers null and a count of 0 is the empty array (the invariant holds).
// SAFETY: the all-zero bit pattern is a valid `OnceChunks`.
unsafe impl<T, const N: usize> Zeroable for OnceChunks<T, N> {}

impl<T: Zeroable + Send + Sync, const N: usize> OnceChunks<T, N> {
    /// Chunk `n`, if it was allocated. Any context.
    pub(crate) fn get(&self, n: usize) -> Option<&T> {
        let p = self.ptrs.get(n)?.load(Acquire);
        // A non-null pointer is a live `KBox<T>` freed only in `drop`, which
        // `&self` excludes (type invariant).
        // SAFETY: so `p`, if not null, is valid for the borrow of `self`.
        unsafe { p.as_ref() }
    }

    /// Chunk `n`, allocated zeroed (`GFP_KERNEL`, process context) if it
    /// was not; `None` if `n >= N` or memory is short. Racing callers get
    /// the same chunk.
    pub(crate) fn get_or_alloc(&self, n: usize) -> Option<&T> {
        let slot = self.ptrs.get(n)?;
        if let Some(c) = self.get(n) {
            return Some(c);
        }
        let fresh = KBox::<T>::init(pin_init::zeroed::<T>(), GFP_KERNEL).ok()?;
        let raw = KBox::into_raw(fresh);
        match slot.compare_exchange(ptr::null_mut(), raw, AcqRel, Acquire) {
            Ok(_) => {
                // INVARIANT: one more published pointer, counted.
                self.count.fetch_add(1, Relaxed);
                // SAFETY: `raw` is the live box just published, freed only in `drop`.
                Some(unsafe { &*raw })
            }
            Err(_) => {
                // SAFETY: `raw` came from `KBox::into_raw` above and was not published.
                drop(unsafe { KBox::from_raw(raw) });
                self.get(n)
            }
        }
    }

    /// Chunks allocated.
    pub(crate) fn allocated(&self) -> usize {
        self.count.load(Relaxed)
    }

    /// Bytes allocated for chunks.
    pub(crate) fn bytes(&self) -> usize {
        self.allocated().saturating_mul(core::mem::size_of::<T>())
    }
}

impl<T, const N: usize> Drop for OnceChunks<T, N> {
    fn drop(&mut self) {
        for p in &mut self.ptrs {
            let raw = core::mem::replace(p.get_mut(), ptr::null_mut());
            if !raw.is_null() {
                // SAFETY: `raw` came from `KBox::into_raw` and is freed only here (type invariant).
                drop(unsafe { KBox::from_raw(raw) });
            }
        }
    }
}

/// KUnit: chunks start absent, are allocated once (a second call returns
/// the same one), out-of-range indices are refused, and bytes follow.
#[cfg(CONFIG_KUNIT)]
pub(crate) fn self_test() -> Result {
    let chunks = KBox::init(pin_init::zeroed::<OnceChunks<[u64; 8], 4>>(), GFP_KERNEL)?;
    let empty = chunks.get(1).is_none() && chunks.bytes() == 0;
    let a = chunks.get_or_alloc(1).map(ptr::from_ref);
    let b = chunks.get_or_alloc(1).map(ptr::from_ref);
    let once = a.is_some() && a == b && chunks.get(1).map(ptr::from_ref) == a;
    let zeroed = chunks.get(1).is_some_and(|c| c.iter().all(|v| *v == 0));
    let bounded = chunks.get_or_alloc(4).is_none() && chunks.get(0).is_none();
    let counted = chunks.allocated() == 1 && chunks.bytes() == 64;
    if empty && once && zeroed && bounded && counted {
        Ok(())
    } else {
        Err(EINVAL)
    }
}
