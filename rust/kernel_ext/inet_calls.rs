// SPDX-License-Identifier: GPL-2.0

//! Where an inet socket sends from and to, and how it names itself:
//! `ip_route_output_flow()` (the source of a route lookup made for a
//! socket), `security_socket_connect()` and `security_socket_sendmsg()` (the
//! destination: refused, or rewritten in the kernel copy of the sockaddr),
//! and `inet_getname()`/`inet6_getname()` (getsockname/getpeername:
//! replaced by wrappers that call them and rewrite what they return).
//!
//! C headers: [`include/net/route.h`](srctree/include/net/route.h),
//! [`include/linux/security.h`](srctree/include/linux/security.h),
//! [`include/net/inet_common.h`](srctree/include/net/inet_common.h).

use super::bindings;
use super::ftrace::{self, Call, Hook, Kind, WrapperCall};
use super::route_source::RouteFacts;
use super::sockaddr::SockAddr;
use super::user_sock::UserSock;
use core::marker::PhantomData;
use core::sync::atomic::{AtomicBool, AtomicPtr, Ordering};
use kernel::error::{code::EBUSY, Result};
use kernel::ffi::{c_int, c_void};
use kernel::str::CStr;
use kernel::sync::Arc;

/// The type of `inet_getname()` and `inet6_getname()`.
type GetnameFn =
    unsafe extern "C" fn(*mut bindings::socket, *mut bindings::sockaddr, c_int) -> c_int;

// The hooks read their targets' arguments by position, and the wrappers
// replace the getname functions: the build fails here if a type changes.
const _: GetnameFn = bindings::inet_getname;
const _: GetnameFn = bindings::inet6_getname;
const _: unsafe extern "C" fn(
    *mut bindings::net,
    *mut bindings::flowi4,
    *const bindings::sock,
) -> *mut bindings::rtable = bindings::ip_route_output_flow;

/// What the source of a route lookup should be.
pub(crate) enum Source {
    /// Whatever the lookup picks.
    Keep,
    /// This address (host order).
    Use(u32),
    /// None: the lookup fails (`EINVAL`).
    Refuse,
}

/// Decides for the hooks of a [`Registration`]. Each runs in the calling
/// task's context; none may sleep.
pub(crate) trait Handler: Send + Sync + 'static {
    /// `connect()`/`sendmsg()` of `sk` to IPv4 `daddr:dport`: `Ok(None)`,
    /// `Ok(Some(to))` to send to `to` instead, or an error to refuse.
    fn dest_ipv4(&self, sk: &UserSock<'_>, daddr: u32, dport: u16) -> Result<Option<u32>>;
    /// `connect()`/`sendmsg()` of `sk` to a native IPv6 destination.
    fn dest_ipv6(&self, sk: &UserSock<'_>) -> Result;
    /// Must a route lookup for `sk` be judged at all (a cheap test)?
    fn source_wanted(&self, sk: &UserSock<'_>) -> bool;
    /// The source of a judged route lookup for `sk`.
    fn source(&self, sk: &UserSock<'_>, route: &RouteFacts) -> Source;
    /// Must getsockname/getpeername of `sk` be rewritten at all?
    fn name_wanted(&self, sk: &UserSock<'_>) -> bool;
    /// The IPv4 address `sk` is shown for `addr` (its own or its peer's).
    fn shown_addr(&self, sk: &UserSock<'_>, addr: u32) -> u32;
    /// The local port `sk` is shown for `port`.
    fn shown_port(&self, sk: &UserSock<'_>, port: u16) -> u16;
}

/// The destination of `connect()`/`sendmsg()`: judged, maybe rewritten.
///
/// # Safety
///
/// `sock` is null or the live `struct socket` of the call, `sa` null or the
/// kernel copy of its `len`-byte sockaddr, writable for the call.
unsafe fn dest_check<T: Handler>(
    h: &T,
    sock: *mut bindings::socket,
    sa: *mut bindings::sockaddr,
    len: c_int,
    unspec_is_v4: bool,
) -> Result {
    if sock.is_null() {
        return Ok(());
    }
    // SAFETY: `sock` is live (function contract), and so is its `sk`.
    let Some(sk) = (unsafe { UserSock::of((*sock).sk.cast()) }) else {
        return Ok(());
    };
    // SAFETY: `sa` is the call's kernel copy of the sockaddr (function contract).
    let Some(mut sa) = (unsafe { SockAddr::new(sa, len) }) else {
        return Ok(());
    };
    if sa.is_native_ipv6() {
        return h.dest_ipv6(&sk);
    }
    if let Some((daddr, dport)) = sa.ipv4(unspec_is_v4) {
        if let Some(to) = h.dest_ipv4(&sk, daddr, dport)? {
            sa.set_ipv4(to);
        }
    }
    Ok(())
}

/// Generates hook type `$name` on `symbol` running `$body(handler, call)`.
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

hook!(
    /// `security_socket_connect(sock, address, addrlen)`.
    ConnectHook, symbol: c"security_socket_connect", Kind::Redirect,
    |h, call| {
        // CAST: `addrlen` is an `int` in the low half of its register.
        let len = call.arg(2) as c_int;
        // The arguments: the socket and the kernel copy of the address (`move_addr_to_kernel()`).
        // SAFETY: both are `security_socket_connect()`'s, live and writable for the call.
        let r = unsafe { dest_check(h, call.ptr_arg(0), call.ptr_arg(1), len, false) };
        if let Err(e) = r {
            call.refuse(e);
        }
    }
);

hook!(
    /// `security_socket_sendmsg(sock, msg, size)`. TCP ignores the
    /// destination of a connected socket's `sendmsg()`, but `MSG_FASTOPEN`
    /// connects to it: IPv6 is judged for every type.
    SendmsgHook, symbol: c"security_socket_sendmsg", Kind::Redirect,
    |h, call| {
        let sock = call.ptr_arg::<bindings::socket>(0);
        let msg = call.ptr_arg::<bindings::msghdr>(1);
        if sock.is_null() || msg.is_null() {
            return;
        }
        // `msg_name` is the kernel copy of the address (`sendmsg_copy_msghdr()`) or null.
        // SAFETY: the socket and message of the call (checked non-null), live for it.
        let (sk, name, len) = unsafe { ((*sock).sk, (*msg).msg_name, (*msg).msg_namelen) };
        // SAFETY: `sk` is the socket's own, live.
        let Some(user) = (unsafe { UserSock::of(sk.cast()) }) else {
            return;
        };
        let stream = user.kind() == bindings::sock_type_SOCK_STREAM;
        // SAFETY: as above.
        let addr = unsafe { SockAddr::new(name.cast(), len) };
        let native_v6 = addr.is_some_and(|a| a.is_native_ipv6());
        if stream && !native_v6 {
            return;
        }
        let unspec_is_v4 = user.family() == bindings::AF_INET;
        // SAFETY: as above.
        if let Err(e) = unsafe { dest_check(h, sock, name.cast(), len, unspec_is_v4) } {
            call.refuse(e);
        }
    }
);

hook!(
    /// `ip_route_output_flow(net, fl4, sk)`: a plain callback (no kprobe
    /// whose hit could be dropped while another probe handler runs).
    RouteHook, symbol: c"ip_route_output_flow", Kind::Observe,
    |h, call| {
        let net = call.ptr_arg::<bindings::net>(0);
        let fl4 = call.ptr_arg::<bindings::flowi4>(1);
        // SAFETY: argument 2 is the lookup's socket or null, live for the call.
        let Some(sk) = (unsafe { UserSock::of(call.ptr_arg(2)) }) else {
            return;
        };
        if net.is_null() || fl4.is_null() || sk.is_listening() || !h.source_wanted(&sk) {
            return;
        }
        // SAFETY: the live arguments of the running `ip_route_output_flow()`.
        let route = unsafe { RouteFacts::of(net, fl4, &sk) };
        let saddr = match h.source(&sk, &route) {
            Source::Keep => return,
            Source::Use(addr) => addr.to_be(),
            // The lookup fails (-EINVAL); connect/sendmsg say EADDRNOTAVAIL first where
            // they can.
            Source::Refuse => u32::MAX,
        };
        // SAFETY: the flow is the caller's, writable for the call (the lookup reads it next).
        unsafe { (*fl4).saddr = saddr };
    }
);

/// The handler of the one [`Registration`] for the getname wrappers
/// (they have no ftrace `op` to find it in); null when there is none.
static GETNAME_HANDLER: AtomicPtr<c_void> = AtomicPtr::new(core::ptr::null_mut());
/// Set while a [`Registration`] exists: there is at most one.
static REGISTERED: AtomicBool = AtomicBool::new(false);

/// Calls the original getname, then shows the member's view of its result.
///
/// # Safety
///
/// Called as `inet_getname()`/`inet6_getname()` (same arguments) while a
/// `Registration<T>` exists.
unsafe fn getname_call<T: Handler>(
    sock: *mut bindings::socket,
    uaddr: *mut bindings::sockaddr,
    peer: c_int,
    orig: GetnameFn,
) -> c_int {
    let _inside = WrapperCall::enter();
    // SAFETY: the caller's own arguments, passed on unchanged.
    let len = unsafe { orig(sock, uaddr, peer) };
    let handler = GETNAME_HANDLER.load(Ordering::Acquire).cast::<T>();
    if handler.is_null() || sock.is_null() {
        return len;
    }
    // The `Registration<T>` waits for `WrapperCall`s before releasing it.
    // SAFETY: set by the `Registration<T>` (function contract), alive while we are inside.
    let h = unsafe { &*handler };
    // SAFETY: `sock` is the call's live socket, and so is its `sk`.
    let Some(sk) = (unsafe { UserSock::of((*sock).sk.cast()) }) else {
        return len;
    };
    // SAFETY: the original wrote `len` bytes of kernel sockaddr at `uaddr`, copied out next.
    let Some(mut sa) = (unsafe { SockAddr::new(uaddr, len) }) else {
        return len;
    };
    if !h.name_wanted(&sk) {
        return len;
    }
    if let Some((addr, _)) = sa.ipv4(false) {
        let shown = h.shown_addr(&sk, addr);
        if shown != addr {
            sa.set_ipv4(shown);
        }
    }
    let family = sa.family();
    if peer == 0 && (family == bindings::AF_INET || family == bindings::AF_INET6) {
        if let Some(port) = sa.port() {
            sa.set_port(h.shown_port(&sk, port));
        }
    }
    len
}

/// Replaces `inet_getname()`.
///
/// # Safety
///
/// As [`getname_call`].
unsafe extern "C" fn getname_wrap<T: Handler>(
    sock: *mut bindings::socket,
    uaddr: *mut bindings::sockaddr,
    peer: c_int,
) -> c_int {
    // SAFETY: called as `inet_getname()` (function contract).
    unsafe { getname_call::<T>(sock, uaddr, peer, bindings::inet_getname) }
}

/// Replaces `inet6_getname()`.
///
/// # Safety
///
/// As [`getname_call`].
unsafe extern "C" fn getname6_wrap<T: Handler>(
    sock: *mut bindings::socket,
    uaddr: *mut bindings::sockaddr,
    peer: c_int,
) -> c_int {
    // SAFETY: called as `inet6_getname()` (function contract).
    unsafe { getname_call::<T>(sock, uaddr, peer, bindings::inet6_getname) }
}

hook!(
    /// `inet_getname(sock, uaddr, peer)`: sent to [`getname_wrap`].
    GetnameHook, symbol: c"inet_getname", Kind::Redirect,
    |_h, call| {
        if !call.is_from_this_module() {
            let wrapper: GetnameFn = getname_wrap::<T>;
            // The hook is `Kind::Redirect`; the wrapper runs where `inet_getname()` does.
            // SAFETY: `wrapper` has `inet_getname()`'s exact type (checked above).
            unsafe { call.redirect(wrapper as usize) };
        }
    }
);

hook!(
    /// `inet6_getname(sock, uaddr, peer)`: sent to [`getname6_wrap`].
    Getname6Hook, symbol: c"inet6_getname", Kind::Redirect,
    |_h, call| {
        if !call.is_from_this_module() {
            let wrapper: GetnameFn = getname6_wrap::<T>;
            // The hook is `Kind::Redirect`; the wrapper runs where `inet6_getname()` does.
            // SAFETY: `wrapper` has `inet6_getname()`'s exact type (checked above).
            unsafe { call.redirect(wrapper as usize) };
        }
    }
);

/// The hooks of a handler, removed in `Drop`.
///
/// # Invariants
///
/// While it exists, `REGISTERED` is set and `GETNAME_HANDLER` is the
/// handler held by `_handler`.
pub(crate) struct Registration<T: Handler> {
    redirects: Option<ftrace::Registration<T>>,
    observers: Option<ftrace::Registration<T>>,
    _handler: Arc<T>,
}

impl<T: Handler> Registration<T> {
    /// Attaches the route observer, then the redirects (process context);
    /// `EBUSY` if one exists already.
    pub(crate) fn register(handler: Arc<T>) -> Result<Self> {
        if REGISTERED.swap(true, Ordering::AcqRel) {
            return Err(EBUSY);
        }
        let ptr: *const T = &*handler;
        GETNAME_HANDLER.store(ptr.cast_mut().cast(), Ordering::Release);
        let r = Self::attach(handler);
        if r.is_err() {
            GETNAME_HANDLER.store(core::ptr::null_mut(), Ordering::Release);
            REGISTERED.store(false, Ordering::Release);
        }
        r
    }

    fn attach(handler: Arc<T>) -> Result<Self> {
        let observers = [ftrace::hook::<T, RouteHook<T>>()];
        let observers = ftrace::Registration::register(c"route", handler.clone(), &observers)?;
        let redirects = [
            ftrace::hook::<T, ConnectHook<T>>(),
            ftrace::hook::<T, SendmsgHook<T>>(),
            ftrace::hook::<T, GetnameHook<T>>(),
            ftrace::hook::<T, Getname6Hook<T>>(),
        ];
        Ok(Self {
            redirects: Some(ftrace::Registration::register(
                c"route",
                handler.clone(),
                &redirects,
            )?),
            observers: Some(observers),
            _handler: handler,
        })
    }
}

impl<T: Handler> Drop for Registration<T> {
    fn drop(&mut self) {
        // The redirects first: their `Drop` waits until no task is inside a
        // wrapper, so none can still read the handler pointer cleared next.
        drop(self.redirects.take());
        drop(self.observers.take());
        GETNAME_HANDLER.store(core::ptr::null_mut(), Ordering::Release);
        REGISTERED.store(false, Ordering::Release);
    }
}
