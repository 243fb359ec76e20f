// SPDX-License-Identifier: GPL-2.0

//! Deliveries to sockets that netfilter steering does not decide:
//! `sock_queue_rcv_skb_reason()` (raw and ping sockets, and any other user
//! of it: TCP and UDP never pass here) is sent to a stub that drops the
//! packet as a socket filter would, and `security_sock_rcv_skb()` (run by
//! `sk_filter_trim_cap()` for every TCP, UDP, raw and ping delivery) is
//! refused for native IPv6 packets the handler refuses. IPv4 packets --
//! v4-mapped traffic to a dual-stack socket included -- return from the
//! latter after one test, before the recursion guard.
//!
//! C header: [`include/net/sock.h`](srctree/include/net/sock.h).

use super::bindings;
use super::ftrace::{self, Call, Hook, Kind};
use super::skb::Skb;
use super::user_sock::UserSock;
use core::marker::PhantomData;
use kernel::error::Result;
use kernel::str::CStr;
use kernel::sync::Arc;

/// The type of `sock_queue_rcv_skb_reason()`.
type QueueFn =
    unsafe extern "C" fn(*mut bindings::sock, *mut bindings::sk_buff) -> bindings::skb_drop_reason;

// The stub replaces it, and the hooks read both targets' arguments by
// position: the build fails here if a type changes (7.3 made the queueing
// function return its drop reason).
const _: QueueFn = bindings::sock_queue_rcv_skb_reason;
const _: unsafe extern "C" fn(*mut bindings::sock, *mut bindings::sk_buff) -> i32 =
    bindings::security_sock_rcv_skb;

/// Decides deliveries. Softirq (or the receiving task); must not sleep.
pub(crate) trait Handler: Send + Sync + 'static {
    /// A received IPv4 packet `saddr -> daddr` (host order; `bcast`: routed
    /// as broadcast or multicast) is queued to raw or ping socket `sk`:
    /// an error drops it.
    fn deliver_ipv4(&self, sk: &UserSock<'_>, saddr: u32, daddr: u32, bcast: bool) -> Result;
    /// A native IPv6 packet is delivered to `sk`: an error drops it.
    fn deliver_ipv6(&self, sk: &UserSock<'_>) -> Result;
}

/// `skb->protocol`, host order.
///
/// # Safety
///
/// `skb` is a live `sk_buff`.
unsafe fn protocol(skb: *const bindings::sk_buff) -> u32 {
    // SAFETY: live (function contract); `headers` is the union's active member.
    u32::from(u16::from_be(unsafe {
        (*skb).__bindgen_anon_4.__bindgen_anon_1.as_ref().protocol
    }))
}

/// Where a refused queueing goes: the packet is dropped as by a socket
/// filter (the caller frees it).
///
/// # Safety
///
/// None: it reads neither argument (`unsafe` only for the C type).
unsafe extern "C" fn rcv_refused(
    _sk: *mut bindings::sock,
    _skb: *mut bindings::sk_buff,
) -> bindings::skb_drop_reason {
    bindings::skb_drop_reason_SKB_DROP_REASON_SOCKET_FILTER
}

/// `sock_queue_rcv_skb_reason(sk, skb)`.
struct QueueHook<T>(PhantomData<fn(&T)>);

impl<T: Handler> Hook<T> for QueueHook<T> {
    const SYMBOL: &'static CStr = c"sock_queue_rcv_skb_reason";
    const KIND: Kind = Kind::Redirect;

    fn call(h: &T, call: &mut Call<'_>) {
        let skb = call.ptr_arg::<bindings::sk_buff>(1);
        // SAFETY: argument 1 is the packet being queued, live for the call.
        if skb.is_null() || unsafe { protocol(skb) } != bindings::ETH_P_IP {
            return;
        }
        // SAFETY: argument 0 is the receiving socket, live for the call.
        let Some(sk) = (unsafe { UserSock::of(call.ptr_arg(0)) }) else {
            return;
        };
        // A received IPv4 packet: `ip_rcv()` set its network header and pulled the IP
        // header into the linear area, as `Skb` needs.
        // SAFETY: as said; the packet is live for the call.
        let packet = unsafe { Skb::from_raw(skb) };
        let ip = packet.ipv4();
        if h.deliver_ipv4(&sk, ip.saddr, ip.daddr, packet.routed_broadcast())
            .is_err()
        {
            let stub: QueueFn = rcv_refused;
            // The hook is `Kind::Redirect`; the stub runs in any context.
            // SAFETY: `stub` has the queueing function's exact type (checked above).
            unsafe { call.redirect(stub as usize) };
        }
    }
}

/// `security_sock_rcv_skb(sk, skb)`.
struct RcvHook<T>(PhantomData<fn(&T)>);

impl<T: Handler> Hook<T> for RcvHook<T> {
    const SYMBOL: &'static CStr = c"security_sock_rcv_skb";
    const KIND: Kind = Kind::Redirect;

    fn wanted(call: &Call<'_>) -> bool {
        let skb = call.ptr_arg::<bindings::sk_buff>(1);
        // SAFETY: argument 1 is the packet being delivered, live for the call.
        !skb.is_null() && unsafe { protocol(skb) } == bindings::ETH_P_IPV6
    }

    fn call(h: &T, call: &mut Call<'_>) {
        // SAFETY: argument 0 is the receiving socket, live for the call.
        let Some(sk) = (unsafe { UserSock::of(call.ptr_arg(0)) }) else {
            return;
        };
        if let Err(e) = h.deliver_ipv6(&sk) {
            call.refuse(e);
        }
    }
}

/// The delivery hooks of a handler, removed in `Drop`.
pub(crate) struct Registration<T: Handler> {
    _hooks: ftrace::Registration<T>,
}

impl<T: Handler> Registration<T> {
    /// Attaches the hooks (process context).
    pub(crate) fn register(handler: Arc<T>) -> Result<Self> {
        let hooks = [
            ftrace::hook::<T, QueueHook<T>>(),
            ftrace::hook::<T, RcvHook<T>>(),
        ];
        Ok(Self {
            _hooks: ftrace::Registration::register(c"delivery", handler, &hooks)?,
        })
    }
}
