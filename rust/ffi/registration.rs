// SPDX-License-Identifier: GPL-2.0

//! Registrations with the kernel, each undone in `Drop`.
//!
//! Every registration hands the C shim a pointer to the module's [`State`]
//! and keeps an [`Arc`] to it, so the state outlives every callback that
//! can reach it: `Drop` first unregisters (the C side waits for callbacks in
//! flight), then releases the `Arc`.
//!
//! The C shim keeps one static registration of each kind; a flag per kind
//! makes a second concurrent registration fail with `EBUSY`.

use super::bindings;
use crate::registry::State;
use core::sync::atomic::{AtomicBool, Ordering};
use kernel::error::{code::EBUSY, to_result, Result};
use kernel::sync::Arc;

fn data_ptr(state: &Arc<State>) -> *mut kernel::ffi::c_void {
    let r: &State = state;
    core::ptr::from_ref::<State>(r).cast_mut().cast()
}

/// Claims the single slot of one registration kind.
fn claim(flag: &AtomicBool) -> Result {
    // INVARIANT: while `flag` is set, exactly one registration of its kind
    // exists; the C shim's static state for that kind belongs to it. The
    // flag is cleared only after the kind is unregistered (or failed to
    // register).
    flag.compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
        .map(|_| ())
        .map_err(|_| EBUSY)
}

macro_rules! registration {
    ($(#[$doc:meta])* $name:ident, $flag:ident, $register:ident, $unregister:ident) => {
        static $flag: AtomicBool = AtomicBool::new(false);

        $(#[$doc])*
        pub(crate) struct $name {
            _state: Arc<State>,
        }

        impl $name {
            /// Registers; the callbacks run with `state`.
            pub(crate) fn register(state: &Arc<State>) -> Result<Self> {
                claim(&$flag)?;
                // We hold an `Arc`, so the pointer outlives the registration;
                // `claim` guarantees the C side has no other of this kind.
                // SAFETY: `data_ptr(state)` stays valid until `drop` has unregistered.
                let r = to_result(unsafe { bindings::$register(data_ptr(state)) });
                if let Err(e) = r {
                    $flag.store(false, Ordering::Release);
                    return Err(e);
                }
                Ok(Self { _state: state.clone() })
            }
        }

        impl Drop for $name {
            fn drop(&mut self) {
                // SAFETY: registered in `register`; the C side waits for callbacks in flight.
                unsafe { bindings::$unregister() };
                $flag.store(false, Ordering::Release);
            }
        }
    };
}

registration!(
    /// `/sys/kernel/debug/net_ns/`: `start`, `info`, `addr`, `join`, `children`.
    /// Removal waits for handlers in progress (debugfs proxy fops).
    DebugfsTree, DEBUGFS, l3ns_c_debugfs_create, l3ns_c_debugfs_remove
);
registration!(
    /// Socket probes: creation, clone (accept), free, bind.
    SockProbes, SOCK_PROBES, l3ns_c_sock_probes_register, l3ns_c_sock_probes_unregister
);
registration!(
    /// Source-address, connect/sendmsg and delivery probes.
    RouteProbes, ROUTE_PROBES, l3ns_c_route_probes_register, l3ns_c_route_probes_unregister
);
registration!(
    /// The open guard: an ftrace redirect of `security_file_open()`.
    FileGuard, FILE_GUARD, l3ns_c_guard_register, l3ns_c_guard_unregister
);
registration!(
    /// ftrace redirects hiding addresses from `ip addr` and `ifconfig`;
    /// unregistration waits for tasks inside the replacements.
    Visibility, VISIBILITY, l3ns_c_visibility_register, l3ns_c_visibility_unregister
);

static REAPER: AtomicBool = AtomicBool::new(false);

/// The process-context work item that reaps empty namespaces.
pub(crate) struct Reaper {
    _state: Arc<State>,
}

impl Reaper {
    /// Initializes the work item (not queued yet).
    pub(crate) fn register(state: &Arc<State>) -> Result<Self> {
        claim(&REAPER)?;
        // SAFETY: as above; `drop` cancels and waits for the work before the `Arc` is released.
        unsafe { bindings::l3ns_c_reaper_init(data_ptr(state)) };
        Ok(Self {
            _state: state.clone(),
        })
    }

    /// Queues a reap. A no-op when no `Reaper` exists. Any context.
    pub(crate) fn kick() {
        if REAPER.load(Ordering::Acquire) {
            // The flag is set only between `register` (work initialized) and `drop`.
            // SAFETY: queuing an initialized work item is allowed in any context.
            unsafe { bindings::l3ns_c_reaper_kick() };
        }
    }
}

impl Drop for Reaper {
    fn drop(&mut self) {
        REAPER.store(false, Ordering::Release);
        // Every caller of `kick` (probes, hooks, debugfs) is unregistered before
        // the reaper drops (field order in `L3ns`), so nothing queues it after this.
        // SAFETY: the work item was initialized in `register`.
        unsafe { bindings::l3ns_c_reaper_stop() };
    }
}
