// SPDX-License-Identifier: GPL-2.0

//! Rate limits for log lines: the kernel's `struct ratelimit_state`.
//!
//! C header: [`include/linux/ratelimit.h`](srctree/include/linux/ratelimit.h).
//! A [`RateLimit`] lets `burst` events through per interval, like
//! `DEFINE_RATELIMIT_STATE()` with `__ratelimit()`; when a new interval
//! begins after refusals, the kernel logs how many it suppressed, under the
//! limit's name. It sets itself up on first use, so it can be a `static`.

use super::bindings;
use core::sync::atomic::{AtomicU8, Ordering};
use kernel::ffi::c_int;
use kernel::str::{CStr, CStrExt};
use kernel::types::Opaque;

/// `phase`: nothing done yet.
const UNSET: u8 = 0;
/// `phase`: one caller is running `ratelimit_state_init()`.
const SETTING_UP: u8 = 1;
/// `phase`: `state` is initialised.
const READY: u8 = 2;

/// A `struct ratelimit_state`.
///
/// # Invariants
///
/// `state` is initialised by `ratelimit_state_init()` before `phase` is
/// `READY` and only handed to the kernel after that; the kernel keeps no
/// pointer to it between calls.
pub(crate) struct RateLimit {
    state: Opaque<bindings::ratelimit_state>,
    phase: AtomicU8,
    name: &'static CStr,
    interval_ms: u32,
    burst: c_int,
}

// `phase` publishes the state's initialisation.
// SAFETY: the kernel serialises users of a `ratelimit_state` (its raw spinlock, atomics).
unsafe impl Sync for RateLimit {}

impl RateLimit {
    /// At most `burst` events per `interval_ms` milliseconds; suppressions
    /// are reported as `name`.
    pub(crate) const fn new(name: &'static CStr, interval_ms: u32, burst: c_int) -> Self {
        Self {
            state: Opaque::zeroed(),
            phase: AtomicU8::new(UNSET),
            name,
            interval_ms,
            burst,
        }
    }

    /// May one more event happen now? Any context.
    pub(crate) fn allow(&self) -> bool {
        if self.phase.load(Ordering::Acquire) != READY && !self.set_up() {
            // Another caller is setting it up at this moment: let this one through.
            return true;
        }
        // `___ratelimit()` takes the state's own lock (a trylock: any context).
        // SAFETY: `phase` is `READY`, so `state` is initialised (type invariant).
        unsafe { bindings::___ratelimit(self.state.get(), self.name.as_char_ptr()) != 0 }
    }

    /// Initialises `state` unless another caller does; whether it is ready.
    fn set_up(&self) -> bool {
        if self
            .phase
            .compare_exchange(UNSET, SETTING_UP, Ordering::Acquire, Ordering::Acquire)
            .is_err()
        {
            return self.phase.load(Ordering::Acquire) == READY;
        }
        let interval = kernel::time::msecs_to_jiffies(self.interval_ms);
        let interval = c_int::try_from(interval).unwrap_or(c_int::MAX);
        // INVARIANT: `state` is initialised before `phase` becomes `READY`.
        // SAFETY: only this caller (it moved `phase` off `UNSET`) touches `state` until `READY`.
        unsafe {
            bindings::l3ns_helper_ratelimit_state_init(self.state.get(), interval, self.burst)
        };
        self.phase.store(READY, Ordering::Release);
        true
    }
}

/// KUnit: a limit of 3 per minute lets 3 events through, then refuses.
#[cfg(CONFIG_KUNIT)]
pub(crate) fn self_test() -> kernel::error::Result {
    let limit = RateLimit::new(c"l3ns-kunit", 60_000, 3);
    let allowed = (0..5).filter(|_| limit.allow()).count();
    if allowed != 3 {
        return Err(kernel::error::code::EINVAL);
    }
    Ok(())
}
