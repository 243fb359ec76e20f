// SPDX-License-Identifier: GPL-2.0

//! C-to-Rust trampolines of the packet path: the route, connect/sendmsg,
//! delivery and getsockname probes (mechanisms 9, 10 and 12 of
//! `Documentation/design.rst`; the netfilter hooks are
//! `kernel_ext::netfilter`). Same contract as [`super::callbacks`]: `data`
//! is the `State` of a live registration.

use super::callbacks::state;
use super::{bindings, ProbedSock, SockId};
use crate::policy::bindrule::Owned;
use crate::policy::source::{Flow, SourceChoice};
use core::marker::PhantomData;
use kernel::error::from_result;
use kernel::ffi::c_void;

/// # Safety
///
/// Called by the `ip_route_output_flow` probe, `data` as for [`state`].
#[no_mangle]
unsafe extern "C" fn l3ns_rs_source_wanted(
    data: *mut c_void,
    sk: *const c_void,
    _net_inum: u32,
) -> bool {
    // SAFETY: per the function contract.
    let state = unsafe { state(data) };
    state.source_wanted(SockId(sk as usize))
}

/// # Safety
///
/// Called by the `ip_route_output_flow` probe: `data` as for [`state`], `f`
/// points to a valid `struct l3ns_flow`, `addr` to a writable `u32`.
#[no_mangle]
unsafe extern "C" fn l3ns_rs_source(
    data: *mut c_void,
    sk: *const c_void,
    f: *const bindings::l3ns_flow,
    addr: *mut u32,
) -> u32 {
    // SAFETY: per the function contract.
    let (state, f, addr) = unsafe { (state(data), &*f, &mut *addr) };
    let flow = Flow {
        daddr: f.daddr,
        saddr: f.saddr,
        prefilled: f.prefilled != 0,
        nexthop: f.nexthop,
    };
    let mut device = [Owned {
        addr: 0,
        prefix_len: 0,
    }; bindings::L3NS_FLOW_DEV_ADDRS as usize];
    let n = usize::from(f.ndev).min(device.len());
    for (i, d) in device.iter_mut().enumerate().take(n) {
        *d = Owned {
            addr: f.dev_addr[i],
            prefix_len: f.dev_prefix[i],
        };
    }
    match state.source(SockId(sk as usize), f.net_inum, &flow, &device[..n]) {
        SourceChoice::Keep => bindings::l3ns_source_L3NS_SRC_KEEP,
        SourceChoice::Use(a) => {
            *addr = a;
            bindings::l3ns_source_L3NS_SRC_USE
        }
        SourceChoice::Refuse => bindings::l3ns_source_L3NS_SRC_REFUSE,
    }
}

/// # Safety
///
/// Called by the connect/sendmsg probes: `data` as for [`state`], `sk` a
/// live socket, `rewrite` writable.
#[no_mangle]
unsafe extern "C" fn l3ns_rs_connect_check(
    data: *mut c_void,
    sk: *const c_void,
    _net: *const c_void,
    net_inum: u32,
    daddr: u32,
    dport: u16,
    rewrite: *mut u32,
) -> i32 {
    // SAFETY: `data` is the registered state; the probe lends us `rewrite` for this call.
    let (state, rewrite) = unsafe { (state(data), &mut *rewrite) };
    // INVARIANT: `sk` is live for this call, which the borrow below does
    // not outlive (its netns is `sock_net(sk)`, `_net`).
    let sock = ProbedSock {
        sk,
        _call: PhantomData,
    };
    from_result(|| {
        let to = state.connect_check(&sock, net_inum, daddr, dport)?;
        *rewrite = to.unwrap_or(0);
        Ok(0)
    })
}

/// # Safety
///
/// Called by the `sock_queue_rcv_skb_reason` redirect (raw and ping
/// deliveries), `data` as for [`state`].
#[no_mangle]
unsafe extern "C" fn l3ns_rs_deliver_check(
    data: *mut c_void,
    sk: *const c_void,
    net: u32,
    saddr: u32,
    daddr: u32,
    bcast: bool,
) -> i32 {
    // SAFETY: per the function contract.
    let state = unsafe { state(data) };
    let sk = SockId(sk as usize);
    from_result(|| {
        state
            .deliver_check(sk, net, saddr, daddr, bcast)
            .map(|()| 0)
    })
}

/// # Safety
///
/// Called by the getsockname/getpeername probes, `data` as for [`state`].
#[no_mangle]
unsafe extern "C" fn l3ns_rs_getname_map(data: *mut c_void, sk: *const c_void, addr: u32) -> u32 {
    // SAFETY: per the function contract.
    let state = unsafe { state(data) };
    state.getname_map(SockId(sk as usize), addr)
}

/// # Safety
///
/// Called by the getsockname probes, `data` as for [`state`].
#[no_mangle]
unsafe extern "C" fn l3ns_rs_getname_port(data: *mut c_void, sk: *const c_void, port: u16) -> u16 {
    // SAFETY: per the function contract.
    let state = unsafe { state(data) };
    state.getname_port(SockId(sk as usize), port)
}

/// `Skb::routed_broadcast()` for C.
///
/// # Safety
///
/// `skb` is a live `sk_buff`.
// Temporary: called by rust/shim/l3ns_route.c until it moves.
#[no_mangle]
unsafe extern "C" fn l3ns_routed_bcast(skb: *const c_void) -> bool {
    // SAFETY: per the function contract.
    unsafe { crate::kernel_ext::skb::raw_routed_broadcast(skb) }
}
