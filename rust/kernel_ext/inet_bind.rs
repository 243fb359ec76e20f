// SPDX-License-Identifier: GPL-2.0

//! `bind()` of inet sockets: `inet_bind()` and `inet6_bind()` (every inet
//! socket's `->bind`, raw and ping included) are replaced by wrappers that
//! ask a [`Handler`], rewrite the kernel copy of the sockaddr, call the
//! original and tell the handler when a bind it allowed then failed. They
//! run after `security_socket_bind()` (LSMs judge what the caller asked
//! for). A wrapper, not a return probe: nothing can skip it.
//!
//! C header: [`include/net/inet_common.h`](srctree/include/net/inet_common.h).

use super::bindings;
use super::ftrace::{self, Call, Hook, Kind, WrapperCall};
use super::sockaddr::SockAddr;
use super::user_sock::UserSock;
use core::marker::PhantomData;
use core::sync::atomic::{AtomicBool, AtomicPtr, Ordering};
use kernel::error::{code::EBUSY, Result};
use kernel::ffi::{c_int, c_void};
use kernel::str::CStr;
use kernel::sync::Arc;

/// The type of `inet_bind()` and `inet6_bind()`.
type BindFn =
    unsafe extern "C" fn(*mut bindings::socket, *mut bindings::sockaddr_unsized, c_int) -> c_int;

// The wrappers replace these: the build fails here if their type changes.
const _: BindFn = bindings::inet_bind;
const _: BindFn = bindings::inet6_bind;

/// The address a `bind()` asks for, read as the socket's own family reads
/// it (never by the caller's `sa_family`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// IPv4 (host order): an AF_INET socket's address, or a v4-mapped one.
    V4(u32),
    /// `::`.
    V6Any,
    /// `::1`.
    V6Loopback,
    /// Any other IPv6 address.
    V6Other,
}

/// A `bind()` being judged, borrowed for the call.
pub(crate) struct BindCall<'a> {
    /// The socket.
    pub(crate) sk: UserSock<'a>,
    /// The address asked for.
    pub(crate) target: Target,
    /// The port asked for (host order).
    pub(crate) port: u16,
}

impl BindCall<'_> {
    /// Is the port privileged in the socket's netns (`__inet_bind()`'s
    /// `inet_port_requires_bind_service()`)?
    pub(crate) fn port_is_privileged(&self) -> bool {
        // SAFETY: the socket's netns is live while the socket is.
        let prot_sock = unsafe {
            core::ptr::read_volatile(&raw const (*self.sk.net()).ipv4.sysctl_ip_prot_sock)
        };
        self.port != 0 && i32::from(self.port) < prot_sock
    }
}

/// What the wrapper binds instead of what was asked for.
#[derive(Default)]
pub(crate) struct Rewrite {
    /// This IPv4 address (host order).
    pub(crate) addr: Option<u32>,
    /// This port; the handler is told if the bind then fails.
    pub(crate) port: Option<u16>,
}

/// Judges binds. Process context; may not sleep (the wrapper holds no lock,
/// but the handler is called with the socket unlocked and must be quick).
pub(crate) trait Handler: Send + Sync + 'static {
    /// A user socket's `bind()`: `Ok` with what to bind instead, or an
    /// error returned by `bind()`.
    fn bind(&self, call: &BindCall<'_>) -> Result<Rewrite>;
    /// The bind of `sk` failed after [`Handler::bind`] rewrote its port.
    fn bind_failed(&self, sk: &UserSock<'_>);
}

/// What `sa` asks `sk` to bind, if the socket's own bind would read it.
fn target(sk: &UserSock<'_>, sa: &SockAddr<'_>) -> Option<(Target, u16)> {
    if sk.family() == bindings::AF_INET {
        // `__inet_bind()` takes AF_UNSPEC as 0.0.0.0, `raw_bind()` ignores the family.
        return sa.sin().map(|(a, p)| (Target::V4(a), p));
    }
    // An AF_INET6 socket's bind refuses anything but AF_INET6.
    let (words, port) = sa.sin6()?;
    let t = match words {
        [0, 0, 0xffff, v4] => Target::V4(v4),
        [0, 0, 0, 0] => Target::V6Any,
        [0, 0, 0, 1] => Target::V6Loopback,
        _ => Target::V6Other,
    };
    Some((t, port))
}

/// The handler of the one [`Registration`] (the wrappers have no ftrace
/// `op` to find it in); null when there is none.
static HANDLER: AtomicPtr<c_void> = AtomicPtr::new(core::ptr::null_mut());
/// Set while a [`Registration`] exists: there is at most one.
static REGISTERED: AtomicBool = AtomicBool::new(false);

/// The wrapper of `orig`.
///
/// # Safety
///
/// Called as `orig` (same arguments) while a `Registration<T>` exists.
unsafe fn bind_call<T: Handler>(
    sock: *mut bindings::socket,
    uaddr: *mut bindings::sockaddr_unsized,
    len: c_int,
    orig: BindFn,
) -> c_int {
    let _inside = WrapperCall::enter();
    // The `Registration<T>` waits until no task holds a `WrapperCall` before it releases it.
    // SAFETY: set by the `Registration<T>` (function contract), alive while we are inside.
    let h = unsafe { HANDLER.load(Ordering::Acquire).cast::<T>().as_ref() };
    let sk = if sock.is_null() {
        None
    } else {
        // SAFETY: `sock` is the call's live socket, and so is its `sk`.
        unsafe { UserSock::of((*sock).sk.cast()) }
    };
    let mut rewrote_port = false;
    if let (Some(h), Some(sk)) = (h, sk) {
        // `uaddr` is the kernel copy of the caller's address, ours until the original reads it.
        // SAFETY: `uaddr` points to `len` bytes we may read and write (see above).
        if let Some(mut sa) = unsafe { SockAddr::new(uaddr.cast(), len) } {
            if let Some((target, port)) = target(&sk, &sa) {
                match h.bind(&BindCall { sk, target, port }) {
                    Err(e) => return e.to_errno(),
                    Ok(rw) => {
                        if let Some(a) = rw.addr {
                            sa.set_bound_ipv4(sk.family() == bindings::AF_INET, a);
                        }
                        if let Some(p) = rw.port {
                            sa.set_port(p);
                            rewrote_port = true;
                        }
                    }
                }
            }
        }
    }
    // SAFETY: the caller's own arguments, the address possibly rewritten in place.
    let err = unsafe { orig(sock, uaddr, len) };
    if let (true, Some(h), Some(sk)) = (err != 0 && rewrote_port, h, sk) {
        h.bind_failed(&sk);
    }
    err
}

/// Replaces `inet_bind()`.
///
/// # Safety
///
/// As [`bind_call`].
unsafe extern "C" fn bind_wrap<T: Handler>(
    sock: *mut bindings::socket,
    uaddr: *mut bindings::sockaddr_unsized,
    len: c_int,
) -> c_int {
    // SAFETY: called as `inet_bind()` (function contract).
    unsafe { bind_call::<T>(sock, uaddr, len, bindings::inet_bind) }
}

/// Replaces `inet6_bind()`.
///
/// # Safety
///
/// As [`bind_call`].
unsafe extern "C" fn bind6_wrap<T: Handler>(
    sock: *mut bindings::socket,
    uaddr: *mut bindings::sockaddr_unsized,
    len: c_int,
) -> c_int {
    // SAFETY: called as `inet6_bind()` (function contract).
    unsafe { bind_call::<T>(sock, uaddr, len, bindings::inet6_bind) }
}

/// `inet_bind(sock, uaddr, len)`: sent to [`bind_wrap`].
struct BindHook<T>(PhantomData<fn(&T)>);

impl<T: Handler> Hook<T> for BindHook<T> {
    const SYMBOL: &'static CStr = c"inet_bind";
    const KIND: Kind = Kind::Redirect;

    fn call(_h: &T, call: &mut Call<'_>) {
        if !call.is_from_this_module() {
            let wrapper: BindFn = bind_wrap::<T>;
            // The hook is `Kind::Redirect`; the wrapper runs where `inet_bind()` does.
            // SAFETY: `wrapper` has `inet_bind()`'s exact type (checked above).
            unsafe { call.redirect(wrapper as usize) };
        }
    }
}

/// `inet6_bind(sock, uaddr, len)`: sent to [`bind6_wrap`].
struct Bind6Hook<T>(PhantomData<fn(&T)>);

impl<T: Handler> Hook<T> for Bind6Hook<T> {
    const SYMBOL: &'static CStr = c"inet6_bind";
    const KIND: Kind = Kind::Redirect;

    fn call(_h: &T, call: &mut Call<'_>) {
        if !call.is_from_this_module() {
            let wrapper: BindFn = bind6_wrap::<T>;
            // The hook is `Kind::Redirect`; the wrapper runs where `inet6_bind()` does.
            // SAFETY: `wrapper` has `inet6_bind()`'s exact type (checked above).
            unsafe { call.redirect(wrapper as usize) };
        }
    }
}

/// The bind wrappers of a handler, removed in `Drop`.
///
/// # Invariants
///
/// While it exists, `REGISTERED` is set and `HANDLER` is the handler held
/// by `_handler`.
pub(crate) struct Registration<T: Handler> {
    hooks: Option<ftrace::Registration<T>>,
    _handler: Arc<T>,
}

impl<T: Handler> Registration<T> {
    /// Attaches the wrappers (process context); `EBUSY` if a registration
    /// exists already.
    pub(crate) fn register(handler: Arc<T>) -> Result<Self> {
        if REGISTERED.swap(true, Ordering::AcqRel) {
            return Err(EBUSY);
        }
        let ptr: *const T = &*handler;
        HANDLER.store(ptr.cast_mut().cast(), Ordering::Release);
        let hooks = [
            ftrace::hook::<T, BindHook<T>>(),
            ftrace::hook::<T, Bind6Hook<T>>(),
        ];
        match ftrace::Registration::register(c"bind", handler.clone(), &hooks) {
            Ok(r) => Ok(Self {
                hooks: Some(r),
                _handler: handler,
            }),
            Err(e) => {
                HANDLER.store(core::ptr::null_mut(), Ordering::Release);
                REGISTERED.store(false, Ordering::Release);
                Err(e)
            }
        }
    }
}

impl<T: Handler> Drop for Registration<T> {
    fn drop(&mut self) {
        // The hooks first: their `Drop` waits until no task is inside a
        // wrapper, so none can still read the handler pointer cleared next.
        drop(self.hooks.take());
        HANDLER.store(core::ptr::null_mut(), Ordering::Release);
        REGISTERED.store(false, Ordering::Release);
    }
}
