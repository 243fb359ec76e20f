// SPDX-License-Identifier: GPL-2.0

//! ftrace callbacks at the first instruction of kernel functions: to
//! observe a call, to refuse it (it returns an error at once, its body
//! skipped), or to send it to a replacement of the same type.
//!
//! C header: [`include/linux/ftrace.h`](srctree/include/linux/ftrace.h).
//! Each hooked function gets its own `ftrace_ops` with a filter set by
//! symbol name; [`IPMODIFY`](Kind::Redirect) ops (as livepatch uses) can
//! change where the call goes, and only one such user per function can
//! exist, so a second one fails with `EBUSY`. Every ops is `PERMANENT`: the
//! `ftrace_enabled` sysctl cannot switch it off.
//!
//! A callback ([`Hook::call`]) runs with preemption off inside ftrace's
//! per-context recursion guard; a call the guard refuses (a hooked function
//! called from inside a callback in the same context) is counted in
//! [`missed`]. x86-64 only: arguments are read from the saved `pt_regs`.

use super::bindings;
use core::marker::PhantomData;
use core::sync::atomic::{AtomicI32, AtomicU64, Ordering};
use kernel::error::code::EINVAL;
use kernel::error::{to_result, Error, Result};
use kernel::ffi::{c_int, c_long, c_ulong, c_void};
use kernel::prelude::*;
use kernel::str::{CStr, CStrExt};
use kernel::sync::Arc;

/// Calls the recursion guard refused, over every [`Registration`].
static MISSED: AtomicU64 = AtomicU64::new(0);

/// Tasks inside a [`WrapperCall`] (replacements that call the original and
/// may sleep); dropping a [`Registration`] waits until none is left.
static IN_WRAPPER: AtomicI32 = AtomicI32::new(0);

/// Hooked calls skipped by the recursion guard since load.
pub(crate) fn missed() -> u64 {
    MISSED.load(Ordering::Relaxed)
}

/// What a hook may do to the calls it sees.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Only looks (no `IPMODIFY`): any number of users per function.
    Observe,
    /// May refuse the call or redirect it (`IPMODIFY`).
    Redirect,
}

impl Kind {
    fn flags(self) -> c_ulong {
        let permanent = bindings::FTRACE_OPS_FL_PERMANENT as c_ulong;
        match self {
            Kind::Observe => permanent,
            Kind::Redirect => permanent | bindings::FTRACE_OPS_FL_IPMODIFY as c_ulong,
        }
    }
}

/// A hooked call at its first instruction, borrowed for one callback.
///
/// # Invariants
///
/// `regs` is the `ftrace_regs` ftrace passed to the running callback, of a
/// call whose arguments are still in their registers; `parent_ip` the
/// caller's return address.
pub(crate) struct Call<'a> {
    regs: *mut bindings::__arch_ftrace_regs,
    parent_ip: c_ulong,
    _callback: PhantomData<&'a mut ()>,
}

impl Call<'_> {
    /// Argument `n` (0-based, at most the sixth) as a machine word: what
    /// the hooked function's C type makes of it is the caller's to say.
    pub(crate) fn arg(&self, n: usize) -> usize {
        // SAFETY: `regs` is valid for the callback (type invariant).
        let r = unsafe { &(*self.regs).regs };
        match n {
            0 => r.di,
            1 => r.si,
            2 => r.dx,
            3 => r.cx,
            4 => r.r8,
            5 => r.r9,
            _ => 0,
        }
    }

    /// Argument `n` as a pointer to `T` (possibly null).
    pub(crate) fn ptr_arg<T>(&self, n: usize) -> *mut T {
        self.arg(n) as *mut T
    }

    /// Does the call come from this module (a replacement calling the
    /// original)?
    pub(crate) fn is_from_this_module(&self) -> bool {
        // SAFETY: reads the module list under the callback's disabled preemption.
        unsafe { bindings::l3ns_helper_within_this_module(self.parent_ip) }
    }

    /// Makes the call return `err` at once, its body skipped (as the
    /// kernel's `override_function_with_return()` does). Only for hooks of
    /// [`Kind::Redirect`] on functions returning `int`.
    pub(crate) fn refuse(&mut self, err: Error) {
        let stub = bindings::l3ns_helper_just_return as usize;
        // SAFETY: `regs` is valid for the callback (type invariant); ftrace restores both.
        let r = unsafe { &mut (*self.regs).regs };
        r.ax = err.to_errno() as c_long as c_ulong;
        r.ip = stub as c_ulong;
    }

    /// Sends the call to `to`, which runs instead with the same arguments.
    ///
    /// # Safety
    ///
    /// `to` is the address of a function with exactly the hooked function's
    /// C type, callable from the hooked function's callers' contexts, and
    /// the hook is of [`Kind::Redirect`].
    pub(crate) unsafe fn redirect(&mut self, to: usize) {
        // SAFETY: `regs` is valid for the callback (type invariant).
        unsafe { (*self.regs).regs.ip = to as c_ulong };
    }
}

/// One hooked function and what runs at its first instruction.
pub(crate) trait Hook<T: Send + Sync>: 'static {
    /// The hooked function's name.
    const SYMBOL: &'static CStr;
    /// What the hook may do.
    const KIND: Kind;
    /// A cheap test made before the recursion guard (reads only): `false`
    /// skips the call. Most hooked calls need nothing.
    fn wanted(_call: &Call<'_>) -> bool {
        true
    }
    /// Runs with preemption off; must not sleep.
    fn call(data: &T, call: &mut Call<'_>);
}

/// The `ftrace_ops.func` of hook `H`.
///
/// # Safety
///
/// Called by ftrace only, for an ops set up by [`Registration::register`]
/// (its `private` is the registration's `*const T`).
unsafe extern "C" fn trampoline<T: Send + Sync, H: Hook<T>>(
    ip: c_ulong,
    parent_ip: c_ulong,
    op: *mut bindings::ftrace_ops,
    fregs: *mut bindings::ftrace_regs,
) {
    // INVARIANT: ftrace passes the hooked call's saved registers (x86's
    // `struct ftrace_regs` is a `struct __arch_ftrace_regs`).
    let mut call = Call {
        regs: fregs.cast(),
        parent_ip,
        _callback: PhantomData,
    };
    if !H::wanted(&call) {
        return;
    }
    // SAFETY: called from an ftrace callback with the traced ip and its caller.
    let bit = unsafe { bindings::l3ns_helper_ftrace_recursion_trylock(ip, parent_ip) };
    if bit < 0 {
        MISSED.fetch_add(1, Ordering::Relaxed);
        return;
    }
    // SAFETY: `private` is the `*const T` the registration keeps alive (function contract).
    let data = unsafe { &*(*op).private.cast::<T>() };
    H::call(data, &mut call);
    // SAFETY: `bit` came from the trylock above, in this context.
    unsafe { bindings::l3ns_helper_ftrace_recursion_unlock(bit) };
}

/// A hook as [`Registration::register`] takes it.
pub(crate) struct HookFn<T> {
    symbol: &'static CStr,
    kind: Kind,
    func: unsafe extern "C" fn(
        c_ulong,
        c_ulong,
        *mut bindings::ftrace_ops,
        *mut bindings::ftrace_regs,
    ),
    _data: PhantomData<fn(&T)>,
}

/// Hook `H` for [`Registration::register`].
pub(crate) const fn hook<T: Send + Sync, H: Hook<T>>() -> HookFn<T> {
    HookFn {
        symbol: H::SYMBOL,
        kind: H::KIND,
        func: trampoline::<T, H>,
        _data: PhantomData,
    }
}

/// Held by a replacement for as long as it runs (it may sleep): dropping
/// a [`Registration`] waits for it.
pub(crate) struct WrapperCall(());

impl WrapperCall {
    /// Enters a replacement.
    pub(crate) fn enter() -> Self {
        IN_WRAPPER.fetch_add(1, Ordering::AcqRel);
        WrapperCall(())
    }
}

impl Drop for WrapperCall {
    fn drop(&mut self) {
        IN_WRAPPER.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A set of hooks with data `T`, removed in `Drop`.
///
/// # Invariants
///
/// The first `registered` entries of `ops` are registered with ftrace, each
/// with a filter, and `private` = `data` (from `Arc::into_raw`), which stays
/// valid until `drop` has unregistered them and waited for callbacks and
/// replacements in flight. `ops` never moves or grows while registered.
pub(crate) struct Registration<T: Send + Sync + 'static> {
    ops: KVec<bindings::ftrace_ops>,
    filtered: usize,
    registered: usize,
    data: *const T,
}

// SAFETY: the raw pointers are our own allocation and an `Arc<T>` with `T: Send + Sync`.
unsafe impl<T: Send + Sync + 'static> Send for Registration<T> {}
// SAFETY: `&Registration` gives access to nothing.
unsafe impl<T: Send + Sync + 'static> Sync for Registration<T> {}

impl<T: Send + Sync + 'static> Registration<T> {
    /// Attaches every hook of `hooks`, in order (process context). On
    /// failure none stays attached and one line names `what` and the
    /// function.
    pub(crate) fn register(what: &CStr, data: Arc<T>, hooks: &[HookFn<T>]) -> Result<Self> {
        let mut ops = KVec::with_capacity(hooks.len(), GFP_KERNEL)?;
        for h in hooks {
            let op = bindings::ftrace_ops {
                func: Some(h.func),
                flags: h.kind.flags(),
                ..Default::default()
            };
            // Within the capacity reserved above: never reallocates.
            ops.push(op, GFP_KERNEL)?;
        }
        let data = Arc::into_raw(data);
        for op in &mut ops {
            op.private = data.cast_mut().cast::<c_void>();
        }
        // INVARIANT: nothing is registered yet; `ops` is complete and never grows again.
        let mut reg = Self {
            ops,
            filtered: 0,
            registered: 0,
            data,
        };
        for (i, h) in hooks.iter().enumerate() {
            if let Err(e) = reg.attach(i, h.symbol) {
                pr_err!("{}: cannot hook {} ({})\n", what, h.symbol, e.to_errno());
                return Err(e); // `drop` detaches what was attached
            }
        }
        Ok(reg)
    }

    /// Sets the filter of `ops[i]` and registers it.
    fn attach(&mut self, i: usize, symbol: &CStr) -> Result {
        let op: *mut bindings::ftrace_ops = self.ops.get_mut(i).ok_or(EINVAL)?;
        let len = c_int::try_from(symbol.to_bytes().len())?;
        // SAFETY: `op` is ours and not registered; `symbol` is a live string of `len` bytes.
        to_result(unsafe {
            bindings::ftrace_set_filter(op, symbol.as_char_ptr().cast_mut(), len, 1)
        })?;
        self.filtered = i + 1;
        // SAFETY: `op` has its filter and stays at this address until `drop` unregisters it.
        to_result(unsafe { bindings::register_ftrace_function(op) })?;
        self.registered = i + 1;
        Ok(())
    }
}

impl<T: Send + Sync + 'static> Drop for Registration<T> {
    fn drop(&mut self) {
        for op in self.ops.iter_mut().take(self.registered).rev() {
            // SAFETY: registered by `attach` (type invariant).
            unsafe { bindings::unregister_ftrace_function(op) };
        }
        // A task sent to a replacement before the unregistration may not
        // have reached its first instruction yet, without having slept: a
        // tasks-RCU grace period covers that window. Callbacks themselves
        // run with preemption off, covered as well.
        // SAFETY: process context (module unload or a failed load).
        unsafe { bindings::synchronize_rcu_tasks() };
        while IN_WRAPPER.load(Ordering::Acquire) != 0 {
            // SAFETY: process context.
            unsafe { bindings::msleep(20) };
        }
        for op in self.ops.iter_mut().take(self.filtered) {
            // SAFETY: the ops is unregistered and no callback runs any more.
            unsafe { bindings::ftrace_free_filter(op) };
        }
        // SAFETY: from `Arc::into_raw` in `register`; no callback can reach it now.
        drop(unsafe { Arc::from_raw(self.data) });
    }
}

/// A refusal hook for KUnit: `security_locked_down()` called from this
/// module fails with `EDOM`, counted; everyone else's calls are untouched.
#[cfg(CONFIG_KUNIT)]
struct RefuseOwnLockdownQuery;

#[cfg(CONFIG_KUNIT)]
impl Hook<AtomicU64> for RefuseOwnLockdownQuery {
    const SYMBOL: &'static CStr = c"security_locked_down";
    const KIND: Kind = Kind::Redirect;

    fn call(seen: &AtomicU64, call: &mut Call<'_>) {
        if call.is_from_this_module() {
            seen.fetch_add(1, Ordering::Relaxed);
            call.refuse(kernel::error::code::EDOM);
        }
    }
}

/// KUnit: asks `security_locked_down(LOCKDOWN_NONE)` (0 unless the kernel
/// is locked down) while [`RefuseOwnLockdownQuery`] is attached and after
/// it is removed: (the answer while hooked, calls the hook refused, the
/// answer after).
#[cfg(CONFIG_KUNIT)]
pub(crate) fn kunit_refuse_lockdown_query() -> Result<(i32, u64, i32)> {
    fn ask() -> i32 {
        // SAFETY: no preconditions; `LOCKDOWN_NONE` is a valid reason.
        unsafe { bindings::security_locked_down(bindings::lockdown_reason_LOCKDOWN_NONE) }
    }
    let seen = Arc::new(AtomicU64::new(0), GFP_KERNEL)?;
    let hooks = [hook::<AtomicU64, RefuseOwnLockdownQuery>()];
    let reg = Registration::register(c"kunit", seen.clone(), &hooks)?;
    let hooked = ask();
    drop(reg);
    Ok((hooked, seen.load(Ordering::Relaxed), ask()))
}
