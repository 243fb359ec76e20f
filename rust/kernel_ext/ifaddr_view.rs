// SPDX-License-Identifier: GPL-2.0

//! The IPv4 addresses a task is shown by `ip addr` and getifaddrs()
//! (`RTM_GETADDR` dumps), `ifconfig` (`SIOCGIFCONF`) and `ifconfig eth0:1`
//! (`SIOCGIFADDR` and its siblings): a [`Handler`] says, for the calling
//! task, which addresses it may see; the others are left out.
//!
//! C source: [`net/ipv4/devinet.c`](srctree/net/ipv4/devinet.c). Three
//! ftrace [`Redirect`](Kind::Redirect) hooks:
//!
//! * `inet_fill_ifaddr()` in a dump: a hidden address goes to a stub
//!   returning 0 (nothing emitted; the dump's position counter moves on).
//!   Notifications and single-address replies are never filtered (an empty
//!   notification would make `ip monitor` exit). A dump is told by its skb:
//!   `netlink_dump()` gives it to the dumping socket before calling the dump
//!   (`inet_dump_addr()` itself reads `sock_net(skb->sk)`), while
//!   `rtmsg_ifa()` and `inet_rtm_getaddr()` fill a fresh `nlmsg_new()` skb
//!   that no socket owns: the same calls as those with `NLM_F_MULTI` in
//!   their `struct inet_fill_args`, a private type of devinet.c that is
//!   never read here.
//! * `inet_gifconf()`: a copy that skips hidden addresses, also in length
//!   queries.
//! * `devinet_ioctl()` for `SIOCGIF{ADDR,BRDADDR,DSTADDR,NETMASK}`: a copy of
//!   its GET branch that skips hidden addresses; other commands run the
//!   original.
//!
//! The copies ([`devinet`]) may sleep (RTNL, `dev_load()`,
//! `copy_to_user()`): each holds a [`WrapperCall`] while it runs, and
//! dropping the [`Registration`] waits for them.

mod devinet;

#[cfg(CONFIG_KUNIT)]
pub(crate) use devinet::kunit_loopback;

use super::bindings;
use super::ftrace::{self, Call, Hook, Kind, WrapperCall};
use super::inetaddr::InIfaddr;
use core::marker::PhantomData;
use core::sync::atomic::{AtomicBool, AtomicPtr, Ordering};
use kernel::error::code::EBUSY;
use kernel::error::Result;
use kernel::ffi::{c_char, c_int, c_uint, c_void};
use kernel::str::CStr;
use kernel::sync::Arc;

/// Decides which addresses the calling task is shown.
pub(crate) trait Handler: Send + Sync + 'static {
    /// May the current task see `ifa`? Called while addresses are listed
    /// (RTNL or an RCU read section held, sometimes with preemption off):
    /// must not sleep.
    fn visible(&self, ifa: &InIfaddr) -> bool;
}

/// `inet_fill_ifaddr()`'s C type (devinet.c, static: bindgen cannot see it;
/// its third argument, a private `struct inet_fill_args *`, is only passed on).
type FillIfaddr =
    unsafe extern "C" fn(*mut bindings::sk_buff, *const bindings::in_ifaddr, *mut c_void) -> c_int;
/// `inet_gifconf()`'s C type.
type Gifconf = unsafe extern "C" fn(*mut bindings::net_device, *mut c_char, c_int, c_int) -> c_int;
/// `devinet_ioctl()`'s C type.
type DevinetIoctl = unsafe extern "C" fn(*mut bindings::net, c_uint, *mut bindings::ifreq) -> c_int;

// The build fails here if a redirected function's type changes.
const _: Gifconf = bindings::inet_gifconf;
const _: DevinetIoctl = bindings::devinet_ioctl;

/// Set while a [`Registration`] exists: there is at most one.
static CLAIMED: AtomicBool = AtomicBool::new(false);

/// The handler of the live [`Registration`], for its replacements: ftrace
/// calls them as the hooked function, with no `ftrace_ops` to find data in.
///
/// Invariant: null, or the `Arc<T>` data of the one live `Registration<T>`
/// (see [`CLAIMED`]). Only that registration's replacements, instantiated
/// for the same `T`, read it, each holding a [`WrapperCall`]; the
/// registration clears it after its hooks are unregistered and no
/// replacement runs any more.
static HANDLER: AtomicPtr<c_void> = AtomicPtr::new(core::ptr::null_mut());

/// The live registration's handler, for a replacement of `T`'s hooks.
fn registered<'a, T: Handler>(_inside: &'a WrapperCall) -> Option<&'a T> {
    let handler = HANDLER.load(Ordering::Acquire).cast::<T>();
    // SAFETY: null or the live `Registration<T>`'s handler, kept while we hold a `WrapperCall`.
    unsafe { handler.as_ref() }
}

/// Is `ifa` shown to the current task? Everything is while no handler is
/// registered (the kernel's own answer).
fn shown<T: Handler>(handler: Option<&T>, ifa: &InIfaddr) -> bool {
    handler.is_none_or(|h| h.visible(ifa))
}

/// Where `inet_gifconf()` is sent: [`devinet::gifconf`] with the live
/// handler.
///
/// # Safety
///
/// Called only as `inet_gifconf()`, by a redirect of [`GifconfHook`].
unsafe extern "C" fn gifconf_copy<T: Handler>(
    dev: *mut bindings::net_device,
    buf: *mut c_char,
    len: c_int,
    size: c_int,
) -> c_int {
    let inside = WrapperCall::enter();
    let handler = registered::<T>(&inside);
    // SAFETY: called as `inet_gifconf()`: RTNL is held, `dev` is live, `buf` null or user.
    unsafe { devinet::gifconf(|ifa| shown(handler, ifa), dev, buf, len, size) }
}

/// Where `devinet_ioctl()` of a GET command is sent:
/// [`devinet::devinet_get`] with the live handler.
///
/// # Safety
///
/// Called only as `devinet_ioctl()` with a GET `cmd`, by a redirect of
/// [`DevinetHook`].
unsafe extern "C" fn devinet_get_copy<T: Handler>(
    net: *mut bindings::net,
    cmd: c_uint,
    ifr: *mut bindings::ifreq,
) -> c_int {
    let inside = WrapperCall::enter();
    let handler = registered::<T>(&inside);
    // `inet_ioctl()` calls it in process context without RTNL, with its kernel copy of the
    // `ifreq`; the hook sent only GET commands here.
    // SAFETY: `net` is the caller's live netns and `ifr` its `ifreq`, ours for the call.
    unsafe { devinet::devinet_get(|ifa| shown(handler, ifa), net, cmd, ifr) }
}

/// Where a hidden address's `inet_fill_ifaddr()` is sent: emits nothing and
/// succeeds.
extern "C" fn fill_stub(
    _skb: *mut bindings::sk_buff,
    _ifa: *const bindings::in_ifaddr,
    _args: *mut c_void,
) -> c_int {
    0
}

/// `inet_fill_ifaddr(skb, ifa, args)`: in a dump, a hidden address is not
/// emitted.
struct FillHook<T>(PhantomData<fn(&T)>);

impl<T: Handler> Hook<T> for FillHook<T> {
    const SYMBOL: &'static CStr = c"inet_fill_ifaddr";
    const KIND: Kind = Kind::Redirect;

    fn wanted(call: &Call<'_>) -> bool {
        // A dump's skb belongs to the dumping socket; a notification's to none.
        let skb = call.ptr_arg::<bindings::sk_buff>(0);
        if skb.is_null() {
            return false;
        }
        // SAFETY: argument 0 is the skb being filled, live for the call.
        let owner = unsafe { (*skb).sk };
        !owner.is_null()
    }

    fn call(handler: &T, call: &mut Call<'_>) {
        let ifa = call.ptr_arg::<bindings::in_ifaddr>(1);
        if ifa.is_null() {
            return;
        }
        // A dump walks the device's list under the RCU read lock.
        // SAFETY: `ifa`, its `in_device` and device are live for the call.
        let ifa = unsafe { InIfaddr::from_raw(ifa) };
        if !handler.visible(ifa) {
            let to: FillIfaddr = fill_stub;
            // SAFETY: `fill_stub` has `inet_fill_ifaddr()`'s C type; a `Redirect` hook.
            unsafe { call.redirect(to as usize) };
        }
    }
}

/// `inet_gifconf(dev, buf, len, size)`: always the filtering copy.
struct GifconfHook<T>(PhantomData<fn(&T)>);

impl<T: Handler> Hook<T> for GifconfHook<T> {
    const SYMBOL: &'static CStr = c"inet_gifconf";
    const KIND: Kind = Kind::Redirect;

    fn call(_handler: &T, call: &mut Call<'_>) {
        let to: Gifconf = gifconf_copy::<T>;
        // SAFETY: `gifconf_copy` has `inet_gifconf()`'s C type and runs where it runs.
        unsafe { call.redirect(to as usize) };
    }
}

/// `devinet_ioctl(net, cmd, ifr)`: the GET commands go to the copy.
struct DevinetHook<T>(PhantomData<fn(&T)>);

impl<T: Handler> Hook<T> for DevinetHook<T> {
    const SYMBOL: &'static CStr = c"devinet_ioctl";
    const KIND: Kind = Kind::Redirect;

    fn wanted(call: &Call<'_>) -> bool {
        // CAST: `cmd` is an `unsigned int` in the low half of its register.
        devinet::is_get(call.arg(1) as c_uint)
    }

    fn call(_handler: &T, call: &mut Call<'_>) {
        let to: DevinetIoctl = devinet_get_copy::<T>;
        // SAFETY: `devinet_get_copy` has `devinet_ioctl()`'s C type and takes its GET calls.
        unsafe { call.redirect(to as usize) };
    }
}

/// The three redirects of a [`Handler`], removed in `Drop`.
///
/// # Invariants
///
/// While it exists, [`CLAIMED`] is set and [`HANDLER`] is `_handler`'s
/// data; `hooks` is `Some` until `drop`.
pub(crate) struct Registration<T: Handler> {
    hooks: Option<ftrace::Registration<T>>,
    _handler: Arc<T>,
}

impl<T: Handler> Registration<T> {
    /// Attaches `handler` (process context); `EBUSY` if a registration
    /// exists or another `IPMODIFY` user (livepatch, a BPF trampoline) has
    /// one of the functions.
    pub(crate) fn register(handler: Arc<T>) -> Result<Self> {
        CLAIMED
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .map_err(|_| EBUSY)?;
        // Before any hook is attached: a replacement may run as soon as one is.
        HANDLER.store(Arc::as_ptr(&handler).cast_mut().cast(), Ordering::Release);
        let hooks = [
            ftrace::hook::<T, FillHook<T>>(),
            ftrace::hook::<T, GifconfHook<T>>(),
            ftrace::hook::<T, DevinetHook<T>>(),
        ];
        match ftrace::Registration::register(c"visibility", handler.clone(), &hooks) {
            // INVARIANT: claimed, `HANDLER` set, the hooks attached.
            Ok(hooks) => Ok(Self {
                hooks: Some(hooks),
                _handler: handler,
            }),
            Err(e) => {
                // What was attached is detached, and waited for, already.
                HANDLER.store(core::ptr::null_mut(), Ordering::Release);
                CLAIMED.store(false, Ordering::Release);
                Err(e)
            }
        }
    }
}

impl<T: Handler> Drop for Registration<T> {
    fn drop(&mut self) {
        // Unregisters, then waits for the tasks inside the replacements.
        drop(self.hooks.take());
        HANDLER.store(core::ptr::null_mut(), Ordering::Release);
        CLAIMED.store(false, Ordering::Release);
        // `_handler`, which `HANDLER` pointed to, drops after this.
    }
}
