// SPDX-License-Identifier: GPL-2.0

//! Process lifetime events: the scheduler's `sched_process_fork`, `_exit`,
//! `_free` and `_exec` tracepoints.
//!
//! C header: [`include/trace/events/sched.h`](srctree/include/trace/events/sched.h).
//! Their symbols are not exported, so they are found by name with
//! `for_each_kernel_tracepoint()`. A [`Registration`] attaches one probe to
//! each; a probe runs in the context of the event, preemption off.

use super::bindings;
use core::marker::PhantomData;
use kernel::error::{code::ENOENT, to_result, Result};
use kernel::ffi::c_void;
use kernel::prelude::*;
use kernel::str::{CStr, CStrExt};
use kernel::sync::Arc;
use kernel::task::Task;

/// A task `sched_process_fork` just created, which has not run yet.
///
/// # Invariants
///
/// `ptr` is the child of the fork tracepoint call this value is borrowed
/// from; the forking code holds a reference on it for that call.
pub(crate) struct NewTask<'a> {
    ptr: *mut bindings::task_struct,
    _call: PhantomData<&'a ()>,
}

impl NewTask<'_> {
    /// The new task.
    pub(crate) fn task(&self) -> &Task {
        // CAST: `Task` is `repr(transparent)` over `Opaque<task_struct>`.
        // SAFETY: `ptr` is live for this borrow (type invariant).
        unsafe { &*self.ptr.cast::<Task>() }
    }

    /// Kills it before it runs one instruction.
    pub(crate) fn kill(&self) {
        // Its result (0, or -ESRCH for an exiting task) does not matter: a task
        // that cannot get the signal is not running.
        // SAFETY: `ptr` is live (type invariant); `send_sig()` may be called in any context.
        unsafe { bindings::send_sig(bindings::SIGKILL as i32, self.ptr, 1) };
    }
}

/// What a [`Registration`] is told. Each runs in the event's context with
/// preemption off, so none may sleep.
pub(crate) trait Handler: Send + Sync {
    /// `parent` (the current task) created `child`, before it runs.
    fn fork(&self, parent: &Task, child: &NewTask<'_>);
    /// `task` (the current task) is exiting (`do_exit()`, before its files
    /// are closed and before its parent can reap it).
    fn exit(&self, task: &Task);
    /// `task` is being freed (an RCU callback).
    fn free(&self, task: &Task);
    /// `task` (the current task) completed an `execve()`.
    fn exec(&self, task: &Task);
}

/// The four tracepoints, in registration order.
#[derive(Default)]
struct Tracepoints {
    fork: Option<*mut bindings::tracepoint>,
    exit: Option<*mut bindings::tracepoint>,
    free: Option<*mut bindings::tracepoint>,
    exec: Option<*mut bindings::tracepoint>,
}

/// `for_each_kernel_tracepoint()` callback: records the four by name.
///
/// # Safety
///
/// `tp` is a kernel tracepoint, `found` the `Tracepoints` of `find`.
unsafe extern "C" fn find_one(tp: *mut bindings::tracepoint, found: *mut c_void) {
    // SAFETY: per the contract; a tracepoint's name is a C string in the kernel image.
    let (name, found) = unsafe {
        (
            CStr::from_char_ptr((*tp).name),
            &mut *found.cast::<Tracepoints>(),
        )
    };
    let slot = match name.to_bytes() {
        b"sched_process_fork" => &mut found.fork,
        b"sched_process_exit" => &mut found.exit,
        b"sched_process_free" => &mut found.free,
        b"sched_process_exec" => &mut found.exec,
        _ => return,
    };
    *slot = Some(tp);
}

/// One probe: its tracepoint and its C function.
type Probe = (*mut bindings::tracepoint, *mut c_void);

/// Probes of a [`Handler`] on the four tracepoints, removed in `Drop`.
///
/// # Invariants
///
/// Every probe in `probes` is registered with `data` (from
/// `Arc::into_raw(handler)`), which stays valid until `drop` has removed the
/// probes and waited for calls in flight.
pub(crate) struct Registration<T: Handler + 'static> {
    probes: [Probe; 4],
    data: *const T,
}

// SAFETY: the pointers are static tracepoints and an `Arc<T>` with `T: Send + Sync`.
unsafe impl<T: Handler + 'static> Send for Registration<T> {}
// SAFETY: `&Registration` gives access to nothing.
unsafe impl<T: Handler + 'static> Sync for Registration<T> {}

impl<T: Handler + 'static> Registration<T> {
    /// Finds the tracepoints and attaches `handler`'s probes (process
    /// context): `ENOENT` if one is missing.
    pub(crate) fn register(handler: Arc<T>) -> Result<Self> {
        let mut found = Tracepoints::default();
        // SAFETY: `find_one` only writes `found`, which outlives the walk.
        unsafe { bindings::for_each_kernel_tracepoint(Some(find_one), (&raw mut found).cast()) };
        let (Some(fork), Some(exit), Some(free), Some(exec)) =
            (found.fork, found.exit, found.free, found.exec)
        else {
            pr_err!("sched_process_fork/exit/free/exec tracepoints not found\n");
            return Err(ENOENT);
        };
        let probes: [Probe; 4] = [
            (fork, Adapter::<T>::fork as *mut c_void),
            (exit, Adapter::<T>::exit as *mut c_void),
            (free, Adapter::<T>::free as *mut c_void),
            (exec, Adapter::<T>::exec as *mut c_void),
        ];
        let data = Arc::into_raw(handler);
        for (i, &(tp, probe)) in probes.iter().enumerate() {
            // SAFETY: `tp` is live; `probe` (an `Adapter` fn) has its probe signature, data `data`.
            let r = to_result(unsafe {
                bindings::tracepoint_probe_register(tp, probe, data.cast_mut().cast())
            });
            if let Err(e) = r {
                // INVARIANT: only the probes before `i` are registered.
                Self::remove(&probes[..i], data);
                return Err(e);
            }
        }
        Ok(Self { probes, data })
    }

    /// Removes `probes`, waits for calls in flight, releases `data`.
    fn remove(probes: &[Probe], data: *const T) {
        for &(tp, probe) in probes.iter().rev() {
            // SAFETY: each was registered with `data` by `register`.
            unsafe { bindings::tracepoint_probe_unregister(tp, probe, data.cast_mut().cast()) };
        }
        // SAFETY: no preconditions (process context).
        unsafe { bindings::l3ns_helper_tracepoint_synchronize_unregister() };
        // SAFETY: `data` came from `Arc::into_raw`, and no probe can reach it any more.
        drop(unsafe { Arc::from_raw(data) });
    }
}

impl<T: Handler + 'static> Drop for Registration<T> {
    fn drop(&mut self) {
        Self::remove(&self.probes, self.data);
    }
}

/// The C probes of a `Registration<T>`; `data` is its `Arc<T>`.
struct Adapter<T>(PhantomData<T>);

impl<T: Handler + 'static> Adapter<T> {
    /// # Safety
    ///
    /// `data` is the handler of a live `Registration<T>`; each task pointer
    /// is live for the call (the tracepoint's contract).
    unsafe fn handler<'a>(data: *mut c_void) -> &'a T {
        // SAFETY: per the function contract.
        unsafe { &*data.cast::<T>() }
    }

    /// # Safety
    ///
    /// As for [`Self::handler`].
    unsafe fn task<'a>(task: *mut bindings::task_struct) -> &'a Task {
        // CAST: `Task` is `repr(transparent)` over `Opaque<task_struct>`.
        // SAFETY: the task is live for the call (the function contract).
        unsafe { &*task.cast::<Task>() }
    }

    /// `sched_process_fork(parent, child)`.
    ///
    /// # Safety
    ///
    /// Called only by that tracepoint, as a probe `Registration::register`
    /// attached: `data` as for [`Self::handler`], the tasks live.
    unsafe extern "C" fn fork(
        data: *mut c_void,
        parent: *mut bindings::task_struct,
        child: *mut bindings::task_struct,
    ) {
        // INVARIANT: `child` is the fork's new task, live for this call.
        let child = NewTask {
            ptr: child,
            _call: PhantomData,
        };
        // SAFETY: a registered probe: `data` and `parent` are live.
        unsafe { Self::handler(data).fork(Self::task(parent), &child) }
    }

    /// `sched_process_exit(task, group_dead)`.
    ///
    /// # Safety
    ///
    /// Called only by that tracepoint, as a probe `Registration::register`
    /// attached: `data` as for [`Self::handler`], the tasks live.
    unsafe extern "C" fn exit(
        data: *mut c_void,
        task: *mut bindings::task_struct,
        _group_dead: bool,
    ) {
        // SAFETY: a registered probe: `data` and `task` are live.
        unsafe { Self::handler(data).exit(Self::task(task)) }
    }

    /// `sched_process_free(task)`.
    ///
    /// # Safety
    ///
    /// Called only by that tracepoint, as a probe `Registration::register`
    /// attached: `data` as for [`Self::handler`], the tasks live.
    unsafe extern "C" fn free(data: *mut c_void, task: *mut bindings::task_struct) {
        // SAFETY: a registered probe: `data` and `task` are live.
        unsafe { Self::handler(data).free(Self::task(task)) }
    }

    /// `sched_process_exec(task, old_pid, bprm)`.
    ///
    /// # Safety
    ///
    /// Called only by that tracepoint, as a probe `Registration::register`
    /// attached: `data` as for [`Self::handler`], the tasks live.
    unsafe extern "C" fn exec(
        data: *mut c_void,
        task: *mut bindings::task_struct,
        _old_pid: bindings::pid_t,
        _bprm: *mut c_void,
    ) {
        // SAFETY: a registered probe: `data` and `task` are live.
        unsafe { Self::handler(data).exec(Self::task(task)) }
    }
}
