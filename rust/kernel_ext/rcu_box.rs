// SPDX-License-Identifier: GPL-2.0

//! A replaceable boxed object read under RCU.
//!
//! For a table that is rebuilt rather than changed in place (the address
//! table's entry array when it grows or shrinks): readers call
//! [`RcuBox::with`], which loads the pointer inside `rcu_read_lock()`;
//! [`RcuBox::replace`] publishes a new object (or none), waits for a grace
//! period (`synchronize_rcu()`) and frees the old one, so no reader ever
//! sees it freed.

use core::ptr;
use core::sync::atomic::{
    AtomicPtr,
    Ordering::{AcqRel, Acquire},
};
use kernel::prelude::*;
use kernel::sync::rcu;
use pin_init::Zeroable;

/// An optional `T`, replaced as a whole.
///
/// # Invariants
///
/// `ptr` is null or came from `KBox::into_raw` of a `KBox<T>`; an object
/// is freed only a grace period after it left `ptr` (or in `drop`).
pub(crate) struct RcuBox<T> {
    ptr: AtomicPtr<T>,
}

// A null pointer is "no object" (the invariant holds).
// SAFETY: the all-zero bit pattern is a valid `RcuBox`.
unsafe impl<T> Zeroable for RcuBox<T> {}

impl<T: Send + Sync> RcuBox<T> {
    /// Calls `f` with the current object (`None`: there is none) inside an
    /// RCU read-side section. Any context; `f` must not sleep.
    pub(crate) fn with<R>(&self, f: impl FnOnce(Option<&T>) -> R) -> R {
        let _rcu = rcu::read_lock();
        let p = self.ptr.load(Acquire);
        // A published object is freed only a grace period after it was
        // replaced (type invariant), and `_rcu` holds that grace period off
        // until `f` returned; the borrow cannot outlive `f`.
        // SAFETY: so `p`, if not null, is a live `T` for the whole call.
        f(unsafe { p.as_ref() })
    }

    /// Publishes `new` (or nothing) and frees the previous object once no
    /// reader can see it. Process context (sleeps in `synchronize_rcu()`);
    /// never from inside [`Self::with`].
    pub(crate) fn replace(&self, new: Option<KBox<T>>) {
        let raw = new.map_or(ptr::null_mut(), KBox::into_raw);
        // INVARIANT: `raw` is null or a `KBox::into_raw` pointer.
        let old = self.ptr.swap(raw, AcqRel);
        if old.is_null() {
            return;
        }
        // Readers that loaded `old` are in read-side sections.
        rcu::synchronize_rcu();
        // SAFETY: `old` came from `KBox::into_raw`, left `ptr` a grace period ago, and no reader is left.
        drop(unsafe { KBox::from_raw(old) });
    }
}

impl<T> Drop for RcuBox<T> {
    fn drop(&mut self) {
        let raw = core::mem::replace(self.ptr.get_mut(), ptr::null_mut());
        if !raw.is_null() {
            // `&mut self`: no reader holds a borrow from `with`.
            // SAFETY: `raw` came from `KBox::into_raw` (type invariant).
            drop(unsafe { KBox::from_raw(raw) });
        }
    }
}

/// KUnit: empty at first; a replaced object is seen by the next reader;
/// replacing with nothing empties it.
#[cfg(CONFIG_KUNIT)]
pub(crate) fn self_test() -> Result {
    let b = KBox::init(pin_init::zeroed::<RcuBox<u32>>(), GFP_KERNEL)?;
    let empty = b.with(|v| v.is_none());
    b.replace(Some(KBox::new(5u32, GFP_KERNEL)?));
    let five = b.with(|v| v.copied()) == Some(5);
    b.replace(Some(KBox::new(6u32, GFP_KERNEL)?));
    let six = b.with(|v| v.copied()) == Some(6);
    b.replace(None);
    let gone = b.with(|v| v.is_none());
    b.replace(Some(KBox::new(7u32, GFP_KERNEL)?));
    // Dropped holding an object: freed by `drop`.
    drop(b);
    if empty && five && six && gone {
        Ok(())
    } else {
        Err(EINVAL)
    }
}
