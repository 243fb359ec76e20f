// SPDX-License-Identifier: GPL-2.0

//! C-to-Rust trampolines (`l3ns_rs_*`, declared in `l3ns_shim.h`).
//!
//! Each one turns the raw arguments the shim passes into safe Rust types and
//! calls the safe code in `control`, `registry` and `sockets` (the packet
//! path's are in [`super::packet_callbacks`]). `data` is always the
//! `State` pointer a registration in [`super::registration`] handed to C;
//! that registration keeps the `State` alive until the callback can no
//! longer run.

use super::SockId;
use crate::registry::State;
use kernel::error::from_result;
use kernel::ffi::c_void;

/// # Safety
///
/// `data` must be the `State` pointer of a live registration.
pub(super) unsafe fn state<'a>(data: *mut c_void) -> &'a State {
    // SAFETY: per the contract `data` is a `State` kept alive by its registration's `Arc`.
    unsafe { &*data.cast::<State>() }
}

/// # Safety
///
/// Called by the `security_sock_rcv_skb` redirect for a native IPv6 packet
/// and a user inet socket `sk`, in softirq, `data` as for [`state`].
#[no_mangle]
unsafe extern "C" fn l3ns_rs_v6_deliver_check(data: *mut c_void, sk: *const c_void) -> i32 {
    // SAFETY: per the function contract.
    let state = unsafe { state(data) };
    from_result(|| state.v6_deliver_check(SockId(sk as usize)).map(|()| 0))
}

/// # Safety
///
/// Called by the pernet `exit` callback, `data` as for [`state`].
#[no_mangle]
unsafe extern "C" fn l3ns_rs_net_exit(data: *mut c_void, net_inum: u32) {
    // SAFETY: per the function contract.
    let state = unsafe { state(data) };
    state.net_exit(net_inum);
}
