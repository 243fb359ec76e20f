// SPDX-License-Identifier: GPL-2.0

//! A static slot holding a published object, read under RCU.
//!
//! For the few module-wide objects that code holding no reference to their
//! owner must reach from any context (the tag maps from every hook, the
//! reaper from the namespace state). [`RcuSlot::publish`] puts a pinned
//! object in the slot; the [`Published`] handle it returns takes it out in
//! `Drop`, waits for an RCU grace period (`synchronize_rcu()`), then frees
//! it. [`RcuSlot::with`] reads the slot under `rcu_read_lock()` (one load),
//! [`RcuSlot::with_irqs_off`] with interrupts off (also a read-side section
//! for `synchronize_rcu()`), so neither ever sees the object freed.

use core::ptr::{self, NonNull};
use core::sync::atomic::{
    AtomicPtr,
    Ordering::{AcqRel, Acquire, Release},
};
use kernel::error::{code::EBUSY, Result};
use kernel::interrupt::{local_interrupt_disable, LocalInterruptDisabled};
use kernel::prelude::*;
use kernel::sync::rcu;

/// A slot for one object of type `T`, empty or holding a published one.
///
/// # Invariants
///
/// `ptr` is null or the object of the live [`Published`] of this slot,
/// which frees it only a grace period after clearing `ptr`.
pub(crate) struct RcuSlot<T> {
    ptr: AtomicPtr<T>,
}

impl<T> RcuSlot<T> {
    /// An empty slot (for a `static`).
    pub(crate) const fn new() -> Self {
        Self {
            ptr: AtomicPtr::new(ptr::null_mut()),
        }
    }
}

impl<T: Send + Sync + 'static> RcuSlot<T> {
    /// Calls `f` with the published object and the read-side section it
    /// runs in, or returns `None` if the slot is empty. Any context; `f`
    /// must not sleep.
    pub(crate) fn with<R>(&self, f: impl FnOnce(&T, &rcu::Guard) -> R) -> Option<R> {
        let rcu = rcu::read_lock();
        let obj = self.ptr.load(Acquire);
        // A non-null `ptr` is freed only a grace period after it is cleared
        // (type invariant), and `rcu` holds that grace period off until `f`
        // returned; the borrow cannot outlive `f`.
        // SAFETY: so `obj`, if not null, is a live `T` for the whole call.
        let obj = unsafe { obj.as_ref() }?;
        Some(f(obj, &rcu))
    }

    /// As [`Self::with`], with local interrupts disabled instead (for a
    /// caller that takes an irq-safe lock inside: no `rcu_read_lock()` on
    /// top of it). Any context; `f` must not sleep.
    pub(crate) fn with_irqs_off<R>(
        &self,
        f: impl FnOnce(&T, &LocalInterruptDisabled) -> R,
    ) -> Option<R> {
        let irq = local_interrupt_disable();
        let obj = self.ptr.load(Acquire);
        // A region with interrupts off (on a non-preemptible kernel: that
        // does not sleep) is a read-side section for `synchronize_rcu()`
        // (v5.0 and later), which `Published::drop` waits for before
        // freeing (type invariant); the borrow cannot outlive `f`.
        // SAFETY: so `obj`, if not null, is a live `T` for the whole call.
        let obj = unsafe { obj.as_ref() }?;
        Some(f(obj, &irq))
    }

    /// Publishes `obj` until the returned handle drops; `EBUSY` (and `obj`
    /// dropped) if the slot holds one already.
    pub(crate) fn publish(&'static self, obj: Pin<KBox<T>>) -> Result<Published<T>> {
        // SAFETY: the object stays pinned: only `Published::drop` takes it back, as a `Pin`.
        let raw = KBox::into_raw(unsafe { Pin::into_inner_unchecked(obj) });
        if self
            .ptr
            .compare_exchange(ptr::null_mut(), raw, AcqRel, Acquire)
            .is_err()
        {
            // SAFETY: `raw` came from `KBox::into_raw` above and was not published.
            drop(unsafe { Pin::new_unchecked(KBox::from_raw(raw)) });
            return Err(EBUSY);
        }
        // INVARIANT: `ptr` is the object of the handle made here.
        Ok(Published {
            slot: self,
            // SAFETY: `KBox::into_raw` never returns null.
            obj: unsafe { NonNull::new_unchecked(raw) },
        })
    }
}

/// An object published in an [`RcuSlot`], taken out and freed in `Drop`.
///
/// # Invariants
///
/// `obj` is a pinned `KBox<T>` given up with `KBox::into_raw`, published in
/// `slot` until `drop`.
pub(crate) struct Published<T: Send + Sync + 'static> {
    slot: &'static RcuSlot<T>,
    obj: NonNull<T>,
}

// SAFETY: the handle owns a `T: Send` and may drop it on any thread.
unsafe impl<T: Send + Sync + 'static> Send for Published<T> {}
// SAFETY: `&Published` only lends `&T`, `T: Sync`.
unsafe impl<T: Send + Sync + 'static> Sync for Published<T> {}

impl<T: Send + Sync + 'static> Drop for Published<T> {
    fn drop(&mut self) {
        self.slot.ptr.store(ptr::null_mut(), Release);
        // Readers that loaded the pointer are in read-side sections (or
        // have interrupts off).
        rcu::synchronize_rcu();
        // No reader is left, and no new one can find the object.
        // SAFETY: `obj` came from `KBox::into_raw` of a pinned box (type invariant).
        drop(unsafe { Pin::new_unchecked(KBox::from_raw(self.obj.as_ptr())) });
    }
}

/// KUnit: an empty slot reads as `None`; a published object is found by
/// `with`, a second one refused, and after the handle drops the slot is
/// empty again and can be published in anew.
#[cfg(CONFIG_KUNIT)]
pub(crate) fn self_test() -> Result {
    static SLOT: RcuSlot<u32> = RcuSlot::new();
    let empty = SLOT.with(|v, _| *v).is_none();
    let one = SLOT.publish(KBox::pin(7u32, GFP_KERNEL)?)?;
    let found = SLOT.with(|v, _| *v) == Some(7) && SLOT.with_irqs_off(|v, _| *v) == Some(7);
    let busy = SLOT.publish(KBox::pin(8u32, GFP_KERNEL)?).err() == Some(EBUSY);
    drop(one);
    let gone = SLOT.with(|v, _| *v).is_none();
    let again = SLOT.publish(KBox::pin(9u32, GFP_KERNEL)?)?;
    let found_again = SLOT.with(|v, _| *v) == Some(9);
    drop(again);
    if empty && found && busy && gone && found_again {
        Ok(())
    } else {
        Err(EINVAL)
    }
}
