// SPDX-License-Identifier: GPL-2.0

//! Socket lifetime and creation, seen at the kernel's own entry points:
//! `security_socket_create()` (may refuse), `security_socket_post_create()`
//! (the new socket; may refuse, socket(2) then fails), `security_sk_clone()`
//! (an accepted socket cloned from its listener), `sock_close()` (userspace
//! dropped its last file reference) and `security_sk_free()`.
//!
//! C header: [`include/linux/security.h`](srctree/include/linux/security.h).
//! Plain ftrace callbacks, not kprobes: a kprobe hit while another kprobe's
//! handler runs on the CPU (a socket freed in softirq during a bind) is
//! dropped; ftrace's recursion guard is per context, and what it refuses is
//! counted ([`ftrace::missed`]).

use super::bindings;
use super::ftrace::{self, Call, Hook, Kind};
use super::sock::Sock;
use core::marker::PhantomData;
use kernel::error::Result;
use kernel::ffi::{c_int, c_uint};
use kernel::str::CStr;
use kernel::sync::Arc;

// The hooks read their targets' arguments by position: the build fails here
// if a target's type changes.
const _: unsafe extern "C" fn(*mut bindings::socket, c_int, c_int, c_int, c_int) -> c_int =
    bindings::security_socket_post_create;
const _: unsafe extern "C" fn(c_int, c_int, c_int, c_int) -> c_int =
    bindings::security_socket_create;
// (kernel::bindings declares them with its opaque `struct sock`.)
const _: unsafe extern "C" fn(*const kernel::bindings::sock, *mut kernel::bindings::sock) =
    bindings::security_sk_clone;
const _: unsafe extern "C" fn(*mut kernel::bindings::sock) = bindings::security_sk_free;

/// The socket argument of a hook call, if non-null.
///
/// # Safety
///
/// `sk` is null or an argument of the running hooked call that the call
/// keeps alive for `'a` (the hooked functions hold their sockets).
unsafe fn sock_arg<'a>(sk: *const bindings::sock) -> Option<&'a Sock> {
    // SAFETY: non-null, live for `'a` (function contract).
    (!sk.is_null()).then(|| unsafe { Sock::from_raw(sk) })
}

/// What a [`Registration`] is told. Each runs in the event's context with
/// preemption off (softirq for clones and frees), so none may sleep.
pub(crate) trait Handler: Send + Sync + 'static {
    /// A user socket of (`family`, `kind`, `protocol`) is about to be
    /// created by the current task: an error fails socket(2).
    fn socket_create(&self, family: i32, kind: i32, protocol: i32) -> Result;
    /// The current task created user socket `sk`: an error fails socket(2)
    /// (the socket is released).
    fn created(&self, sk: &Sock) -> Result;
    /// `newsk` was cloned from `sk` (an accepted connection).
    fn cloned(&self, sk: &Sock, newsk: &Sock);
    /// Userspace closed its last reference to `sk`; it may live on (an
    /// orphaned TCP connection).
    fn closed(&self, sk: &Sock);
    /// `sk` is being freed.
    fn freed(&self, sk: &Sock);
    /// The current task's use of capability `cap` is being checked
    /// (`security_capable()`, any task): an error refuses it. Must not
    /// itself check capabilities.
    fn capable(&self, cap: i32) -> Result;
}

/// Generates a hook type `$name` on `$symbol` calling `$body(handler, call)`.
macro_rules! hook {
    ($(#[$doc:meta])* $name:ident, symbol: $symbol:literal, $kind:expr, $body:expr) => {
        $(#[$doc])*
        struct $name<T>(PhantomData<fn(&T)>);

        impl<T: Handler> Hook<T> for $name<T> {
            const SYMBOL: &'static CStr = $symbol;
            const KIND: Kind = $kind;

            fn call(handler: &T, call: &mut Call<'_>) {
                let body: fn(&T, &mut Call<'_>) = $body;
                body(handler, call)
            }
        }
    };
}

/// `kern`: created by the kernel for itself, never judged.
fn user(kern: usize) -> bool {
    kern == 0
}

hook!(
    /// `security_socket_create(family, type, protocol, kern)`.
    CreateHook, symbol: c"security_socket_create", Kind::Redirect,
    |h, call| {
        // CAST: the three `int`s arrive in the low halves of their registers.
        let (family, kind, protocol) = (call.arg(0) as i32, call.arg(1) as i32, call.arg(2) as i32);
        if user(call.arg(3)) {
            if let Err(e) = h.socket_create(family, kind, protocol) {
                call.refuse(e);
            }
        }
    }
);

hook!(
    /// `security_socket_post_create(sock, family, type, protocol, kern)`.
    PostCreateHook, symbol: c"security_socket_post_create", Kind::Redirect,
    |h, call| {
        let sock = call.ptr_arg::<bindings::socket>(0);
        if sock.is_null() || !user(call.arg(4)) {
            return;
        }
        // SAFETY: argument 0 is the new, live `struct socket` (checked non-null).
        let sk = unsafe { (*sock).sk };
        // SAFETY: the socket's `sk`, live for the call.
        if let Some(sk) = unsafe { sock_arg(sk.cast()) } {
            if let Err(e) = h.created(sk) {
                call.refuse(e);
            }
        }
    }
);

hook!(
    /// `security_sk_clone(sk, newsk)`.
    CloneHook, symbol: c"security_sk_clone", Kind::Observe,
    |h, call| {
        // SAFETY: the listener and the new socket, both live for the call.
        let (sk, newsk) = unsafe { (sock_arg(call.ptr_arg(0)), sock_arg(call.ptr_arg(1))) };
        if let (Some(sk), Some(newsk)) = (sk, newsk) {
            h.cloned(sk, newsk);
        }
    }
);

hook!(
    /// `security_sk_free(sk)`.
    FreeHook, symbol: c"security_sk_free", Kind::Observe,
    |h, call| {
        // SAFETY: the socket being freed, live for the call.
        if let Some(sk) = unsafe { sock_arg(call.ptr_arg(0)) } {
            h.freed(sk);
        }
    }
);

hook!(
    /// `sock_close(inode, file)` (net/socket.c, static: not type-checked).
    CloseHook, symbol: c"sock_close", Kind::Observe,
    |h, call| {
        let inode = call.ptr_arg::<bindings::inode>(0);
        if inode.is_null() {
            return;
        }
        // SOCKET_I(): a socket inode is the `vfs_inode` of a `socket_alloc`.
        let off = core::mem::offset_of!(bindings::socket_alloc, vfs_inode);
        let alloc = inode.cast::<u8>().wrapping_sub(off).cast::<bindings::socket_alloc>();
        // `sock_close()` is only the release of socket files, whose inode is in a `socket_alloc`.
        // SAFETY: so `alloc` is that `socket_alloc`, live for the call.
        let sk = unsafe { (*alloc).socket.sk };
        // SAFETY: the socket's `sk`, live for the call.
        if let Some(sk) = unsafe { sock_arg(sk.cast()) } {
            h.closed(sk);
        }
    }
);

hook!(
    /// `security_capable(cred, ns, cap, opts)`.
    CapableHook, symbol: c"security_capable", Kind::Redirect,
    |h, call| {
        // CAST: `cap` is an `int` in the low half of its register.
        if let Err(e) = h.capable(call.arg(2) as i32) {
            call.refuse(e);
        }
    }
);
const _: unsafe extern "C" fn(
    *const bindings::cred,
    *mut bindings::user_namespace,
    c_int,
    c_uint,
) -> c_int = bindings::security_capable;

/// The socket hooks of a handler, removed in `Drop` (redirects first).
pub(crate) struct Registration<T: Handler> {
    _redirects: ftrace::Registration<T>,
    _observers: ftrace::Registration<T>,
}

impl<T: Handler> Registration<T> {
    /// Attaches the observers (the free hook is in place before any table
    /// entry can be added), then the refusal hooks (process context).
    pub(crate) fn register(handler: Arc<T>) -> Result<Self> {
        let observers = [
            ftrace::hook::<T, FreeHook<T>>(),
            ftrace::hook::<T, CloseHook<T>>(),
            ftrace::hook::<T, CloneHook<T>>(),
        ];
        let observers = ftrace::Registration::register(c"socket", handler.clone(), &observers)?;
        let redirects = [
            ftrace::hook::<T, PostCreateHook<T>>(),
            ftrace::hook::<T, CapableHook<T>>(),
            ftrace::hook::<T, CreateHook<T>>(),
        ];
        Ok(Self {
            _redirects: ftrace::Registration::register(c"socket", handler, &redirects)?,
            _observers: observers,
        })
    }
}
