// SPDX-License-Identifier: GPL-2.0

//! Registrations with the kernel, each undone in `Drop`.
//!
//! Every registration hands the C shim a pointer to the module's [`State`]
//! and keeps an [`Arc`] to it, so the state outlives every callback that
//! can reach it: `Drop` first unregisters (and waits for callbacks in
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
    (r as *const State).cast_mut().cast()
}

/// Claims the single slot of one registration kind.
fn claim(flag: &AtomicBool) -> Result {
    flag.compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire).map(|_| ()).map_err(|_| EBUSY)
}

static DEBUGFS: AtomicBool = AtomicBool::new(false);
static PERNET: AtomicBool = AtomicBool::new(false);
static PROBES: AtomicBool = AtomicBool::new(false);
static REAPER: AtomicBool = AtomicBool::new(false);

/// `/sys/kernel/debug/net_ns/{start,info}`.
pub(crate) struct DebugfsTree {
    _state: Arc<State>,
}

impl DebugfsTree {
    /// Creates the tree; its handlers run `control` on `state`.
    pub(crate) fn create(state: &Arc<State>) -> Result<Self> {
        claim(&DEBUGFS)?;
        // SAFETY: the pointer stays valid until `drop` removed the files
        // (we hold an `Arc`); the shim has no other registration (`claim`).
        let r = to_result(unsafe { bindings::l3ns_c_debugfs_create(data_ptr(state)) });
        if let Err(e) = r {
            DEBUGFS.store(false, Ordering::Release);
            return Err(e);
        }
        Ok(Self { _state: state.clone() })
    }
}

impl Drop for DebugfsTree {
    fn drop(&mut self) {
        // SAFETY: created in `create`; removal waits for handlers in progress.
        unsafe { bindings::l3ns_c_debugfs_remove() };
        DEBUGFS.store(false, Ordering::Release);
    }
}

/// IPv4 netfilter hooks at PRE_ROUTING and LOCAL_OUT in every network
/// namespace, present and future (pernet).
pub(crate) struct PernetHooks {
    _state: Arc<State>,
}

impl PernetHooks {
    /// Registers the pernet subsystem and its hooks.
    pub(crate) fn register(state: &Arc<State>) -> Result<Self> {
        claim(&PERNET)?;
        // SAFETY: as for `DebugfsTree::create`; unregistration runs
        // `synchronize_net()` before the `Arc` is released.
        let r = to_result(unsafe { bindings::l3ns_c_pernet_register(data_ptr(state)) });
        if let Err(e) = r {
            PERNET.store(false, Ordering::Release);
            return Err(e);
        }
        Ok(Self { _state: state.clone() })
    }
}

impl Drop for PernetHooks {
    fn drop(&mut self) {
        // SAFETY: registered in `register`; waits for hooks in flight.
        unsafe { bindings::l3ns_c_pernet_unregister() };
        PERNET.store(false, Ordering::Release);
    }
}

/// Probes on `sched_process_fork` and `sched_process_free`.
pub(crate) struct TaskProbes {
    _state: Arc<State>,
}

impl TaskProbes {
    /// Attaches both probes.
    pub(crate) fn register(state: &Arc<State>) -> Result<Self> {
        claim(&PROBES)?;
        // SAFETY: as for `DebugfsTree::create`; unregistration runs
        // `tracepoint_synchronize_unregister()` before the `Arc` is released.
        let r = to_result(unsafe { bindings::l3ns_c_task_probes_register(data_ptr(state)) });
        if let Err(e) = r {
            PROBES.store(false, Ordering::Release);
            return Err(e);
        }
        Ok(Self { _state: state.clone() })
    }
}

impl Drop for TaskProbes {
    fn drop(&mut self) {
        // SAFETY: registered in `register`; waits for probes in flight.
        unsafe { bindings::l3ns_c_task_probes_unregister() };
        PROBES.store(false, Ordering::Release);
    }
}

/// The process-context work item that reaps empty namespaces.
pub(crate) struct Reaper {
    _state: Arc<State>,
}

impl Reaper {
    /// Initializes the work item (not queued yet).
    pub(crate) fn new(state: &Arc<State>) -> Result<Self> {
        claim(&REAPER)?;
        // SAFETY: as for `DebugfsTree::create`; `drop` cancels and waits for
        // the work before the `Arc` is released.
        unsafe { bindings::l3ns_c_reaper_init(data_ptr(state)) };
        Ok(Self { _state: state.clone() })
    }

    /// Queues a reap. A no-op when no `Reaper` exists. Any context.
    pub(crate) fn kick() {
        if REAPER.load(Ordering::Acquire) {
            // SAFETY: the flag is set only between `new` (work initialized)
            // and `drop`; queuing an initialized work item is allowed in any
            // context.
            unsafe { bindings::l3ns_c_reaper_kick() };
        }
    }
}

impl Drop for Reaper {
    fn drop(&mut self) {
        REAPER.store(false, Ordering::Release);
        // SAFETY: initialized in `new`. Kicks race-free: every caller of
        // `kick` (probes, hooks, debugfs) is unregistered before the reaper
        // drops (field order in `L3ns`), so nothing queues it after this.
        unsafe { bindings::l3ns_c_reaper_stop() };
    }
}
