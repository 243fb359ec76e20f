// SPDX-License-Identifier: GPL-2.0

//! C-to-Rust trampolines of the packet path: the netfilter hook and the
//! route, connect/sendmsg, delivery and getsockname probes (mechanisms 9,
//! 10, 12 and 13 of `Documentation/design.rst`). Same contract as
//! [`super::callbacks`]: `data` is the `State` of a live registration.

use super::callbacks::state;
use super::{bindings, proto_of, InPacket, NetCounters, SockId};
use crate::hooks;
use kernel::error::from_result;
use kernel::ffi::c_void;

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
/// Called by the netfilter hook: `data` as for [`state`], `pkt` points to a
/// valid, writable `struct l3ns_pkt` (its `ctx`, when not null, is the
/// running LOCAL_IN call's steering context), `net` to the `struct l3ns_net` of the packet's
/// network namespace (alive while its hooks are registered).
#[no_mangle]
unsafe extern "C" fn l3ns_rs_nf_hook(
    data: *mut c_void,
    pkt: *mut bindings::l3ns_pkt,
    net: *mut bindings::l3ns_net,
) -> u32 {
    // SAFETY: per the function contract.
    let (state, raw, counters) = unsafe { (state(data), &mut *pkt, NetCounters::from_raw(net)) };
    let proto = proto_of(raw.l4);
    let mut pkt = hooks::Packet {
        hook: hooks::Hook::from_raw(raw.hook),
        sk: (!raw.sk.is_null()).then_some(SockId(raw.sk as usize)),
        net: raw.net_inum,
        saddr: raw.saddr,
        daddr: raw.daddr,
        ports: proto.map(|proto| hooks::Ports {
            proto,
            sport: raw.sport,
            dport: raw.dport,
            syn: raw.tcp_syn != 0,
        }),
        bcast: raw.bcast != 0,
        input: None,
    };
    if !raw.ctx.is_null() {
        // SAFETY: at LOCAL_IN `ctx` is this hook call's context; `pkt` does not outlive the call.
        pkt.input = Some(unsafe { InPacket::from_raw(raw.ctx) });
    }
    match hooks::nf_hook(state, &mut pkt, &counters) {
        hooks::Verdict::Accept => bindings::L3NS_NF_ACCEPT,
        hooks::Verdict::AcceptFromPort(port) => {
            raw.set_sport = port;
            bindings::L3NS_NF_ACCEPT
        }
        hooks::Verdict::Drop => bindings::L3NS_NF_DROP,
        hooks::Verdict::Reject => bindings::L3NS_NF_REJECT,
    }
}

/// # Safety
///
/// Called by the LOCAL_IN hook for an ICMP error, `data` as for [`state`].
#[no_mangle]
unsafe extern "C" fn l3ns_rs_icmp_quoted(
    data: *mut c_void,
    net: u32,
    l4: u8,
    saddr: u32,
    sport: u16,
) -> u16 {
    // SAFETY: per the function contract.
    let state = unsafe { state(data) };
    proto_of(l4)
        .and_then(|proto| state.quoted_hidden_port(net, proto, saddr, sport))
        .unwrap_or(0)
}
