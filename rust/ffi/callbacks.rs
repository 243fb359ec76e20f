// SPDX-License-Identifier: GPL-2.0

//! C-to-Rust trampolines (`l3ns_rs_*`, declared in `l3ns_shim.h`).
//!
//! Each one turns the raw arguments the shim passes into safe Rust types and
//! calls the safe code in `control` and `hooks`. `data` is always the
//! `State` pointer a registration in [`super::registration`] handed to C;
//! that registration keeps the `State` alive until the callback can no
//! longer run.

use super::{bindings, BindSock, InPacket, NetCounters, NetRef, NewTask, SockId, TaskId};
use crate::policy::bindrule::{BindAddr, Owned};
use crate::policy::ports::Proto;
use crate::policy::source::{Flow, SourceChoice};
use crate::{control, hooks, registry::State};
use core::marker::PhantomData;
use kernel::error::from_result;
use kernel::ffi::c_void;

/// # Safety
///
/// `data` must be the `State` pointer of a live registration.
unsafe fn state<'a>(data: *mut c_void) -> &'a State {
    // SAFETY: per the contract `data` is a `State` kept alive by its registration's `Arc`.
    unsafe { &*data.cast::<State>() }
}

/// Which debugfs file a write or read is for (`enum l3ns_file`).
fn dispatch_write(state: &State, file: u32, input: &[u8]) -> kernel::error::Result<usize> {
    match file {
        bindings::l3ns_file_L3NS_FILE_START => control::start_write(state, input),
        bindings::l3ns_file_L3NS_FILE_INFO => control::info_write(state, input),
        bindings::l3ns_file_L3NS_FILE_ADDR => control::addr_write(state, input),
        bindings::l3ns_file_L3NS_FILE_JOIN => control::join_write(state, input),
        _ => Err(kernel::error::code::EINVAL),
    }
}

/// # Safety
///
/// Called by a debugfs write handler: `data` as for [`state`], `buf`
/// points to `len` readable bytes.
#[no_mangle]
unsafe extern "C" fn l3ns_rs_file_write(
    data: *mut c_void,
    file: u32,
    buf: *const u8,
    len: usize,
) -> isize {
    // SAFETY: per the function contract.
    let (state, input) = unsafe { (state(data), core::slice::from_raw_parts(buf, len)) };
    from_result(|| {
        let n = dispatch_write(state, file, input)?;
        Ok(isize::try_from(n).unwrap_or(isize::MAX))
    })
}

/// # Safety
///
/// Called by a debugfs show handler: `data` as for [`state`], `buf` points
/// to `cap` writable bytes.
#[no_mangle]
unsafe extern "C" fn l3ns_rs_file_format(
    data: *mut c_void,
    file: u32,
    buf: *mut u8,
    cap: usize,
) -> isize {
    // SAFETY: per the function contract.
    let (state, out) = unsafe { (state(data), core::slice::from_raw_parts_mut(buf, cap)) };
    from_result(|| {
        let n = match file {
            bindings::l3ns_file_L3NS_FILE_INFO => control::info_format(state, out)?,
            bindings::l3ns_file_L3NS_FILE_CHILDREN => control::children_format(state, out)?,
            _ => return Err(kernel::error::code::EINVAL),
        };
        Ok(isize::try_from(n).unwrap_or(isize::MAX))
    })
}

/// # Safety
///
/// Called by the `security_socket_post_create` probe for a user socket:
/// `data` as for [`state`].
#[no_mangle]
unsafe extern "C" fn l3ns_rs_sock_create(data: *mut c_void, sk: *const c_void) -> i32 {
    // SAFETY: per the function contract.
    let state = unsafe { state(data) };
    from_result(|| state.sock_create(SockId(sk as usize)).map(|()| 0))
}

/// # Safety
///
/// Called by the `security_capable` probe, `data` as for [`state`].
#[no_mangle]
unsafe extern "C" fn l3ns_rs_capable_check(data: *mut c_void, cap: i32) -> i32 {
    // SAFETY: per the function contract.
    let state = unsafe { state(data) };
    from_result(|| state.capable_check(cap).map(|()| 0))
}

/// # Safety
///
/// Called by the `security_socket_create` probe for a user socket, `data`
/// as for [`state`].
#[no_mangle]
unsafe extern "C" fn l3ns_rs_socket_create_check(data: *mut c_void, family: i32) -> i32 {
    // SAFETY: per the function contract.
    let state = unsafe { state(data) };
    from_result(|| state.socket_create_check(family).map(|()| 0))
}

/// # Safety
///
/// Called by the `security_sk_clone` probe, `data` as for [`state`].
#[no_mangle]
unsafe extern "C" fn l3ns_rs_sock_clone(
    data: *mut c_void,
    sk: *const c_void,
    newsk: *const c_void,
) {
    // SAFETY: per the function contract.
    let state = unsafe { state(data) };
    state.sock_clone(SockId(sk as usize), SockId(newsk as usize));
}

/// # Safety
///
/// Called by the `security_sk_free` probe, `data` as for [`state`].
#[no_mangle]
unsafe extern "C" fn l3ns_rs_sock_free(data: *mut c_void, sk: *const c_void) {
    // SAFETY: per the function contract.
    let state = unsafe { state(data) };
    state.sock_free(SockId(sk as usize));
}

/// # Safety
///
/// Called by the `security_socket_bind` probe: `data` as for [`state`],
/// `req` points to a valid `struct l3ns_bind_req`.
#[no_mangle]
unsafe extern "C" fn l3ns_rs_bind_check(
    data: *mut c_void,
    sk: *const c_void,
    req: *const bindings::l3ns_bind_req,
    rewrite: *mut u32,
    port: *mut u16,
) -> i32 {
    // SAFETY: per the function contract (`rewrite` and `port` are writable;
    // `sk` is the socket being bound, live for this call).
    let (state, req, rewrite, port, sock) =
        unsafe { (state(data), &*req, &mut *rewrite, &mut *port, BindSock::from_raw(sk)) };
    let addr = match req.kind {
        bindings::l3ns_bind_kind_L3NS_BIND_V4 => BindAddr::V4(req.v4),
        bindings::l3ns_bind_kind_L3NS_BIND_V6_ANY => BindAddr::V6Any,
        bindings::l3ns_bind_kind_L3NS_BIND_V6_LOOPBACK => BindAddr::V6Loopback,
        _ => BindAddr::V6Other,
    };
    let proto = match u32::from(req.l4) {
        bindings::l3ns_l4_L3NS_L4_TCP => Some(Proto::Tcp),
        bindings::l3ns_l4_L3NS_L4_UDP => Some(Proto::Udp),
        _ => None,
    };
    // Only a first bind of a TCP/UDP socket to a non-zero port may share it.
    let shared_port = proto.filter(|_| req.port != 0 && req.bound == 0).map(|p| (p, req.port));
    from_result(|| {
        let b = state.bind_check(&sock, req.net_inum, addr, shared_port)?;
        *rewrite = b.addr.unwrap_or(0);
        *port = b.port.unwrap_or(0);
        Ok(0)
    })
}

/// # Safety
///
/// Called by the inetaddr notifier under RTNL, `data` as for [`state`].
#[no_mangle]
unsafe extern "C" fn l3ns_rs_addr_deleted(data: *mut c_void, net_inum: u32, addr: u32) {
    // SAFETY: per the function contract.
    let state = unsafe { state(data) };
    state.addr_deleted(net_inum, addr);
}

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
/// Called by the connect/sendmsg probes: `data` as for [`state`], `net` the
/// live `struct net` of `sk`, `rewrite` writable.
#[no_mangle]
unsafe extern "C" fn l3ns_rs_connect_check(
    data: *mut c_void,
    sk: *const c_void,
    net: *const c_void,
    net_inum: u32,
    daddr: u32,
    dport: u16,
    rewrite: *mut u32,
) -> i32 {
    // SAFETY: per the function contract.
    let (state, rewrite) = unsafe { (state(data), &mut *rewrite) };
    let net = NetRef {
        ptr: net,
        _callback: PhantomData,
    };
    from_result(|| {
        let to = state.connect_check(SockId(sk as usize), &net, net_inum, daddr, dport)?;
        *rewrite = to.unwrap_or(0);
        Ok(0)
    })
}

/// # Safety
///
/// Called by the `security_sock_rcv_skb` probe, `data` as for [`state`].
#[no_mangle]
unsafe extern "C" fn l3ns_rs_deliver_check(
    data: *mut c_void,
    sk: *const c_void,
    net: u32,
    saddr: u32,
    daddr: u32,
    bcast: bool,
    tcp_syn: bool,
) -> i32 {
    // SAFETY: per the function contract.
    let state = unsafe { state(data) };
    let sk = SockId(sk as usize);
    from_result(|| {
        state
            .deliver_check(sk, net, saddr, daddr, bcast, tcp_syn)
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

/// # Safety
///
/// Called by the visibility redirects, `data` as for [`state`].
#[no_mangle]
unsafe extern "C" fn l3ns_rs_addr_visible(data: *mut c_void, net: u32, addr: u32) -> bool {
    // SAFETY: per the function contract.
    let state = unsafe { state(data) };
    state.addr_visible(net, addr)
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
    let proto = match u32::from(raw.l4) {
        bindings::l3ns_l4_L3NS_L4_TCP => Some(Proto::Tcp),
        bindings::l3ns_l4_L3NS_L4_UDP => Some(Proto::Udp),
        _ => None,
    };
    let mut pkt = hooks::Packet {
        hook: hooks::Hook::from_raw(raw.hook),
        sk: (!raw.sk.is_null()).then(|| SockId(raw.sk as usize)),
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
        // SAFETY: at LOCAL_IN `ctx` is the running hook call's context and
        // `pkt` does not outlive this call.
        input: (!raw.ctx.is_null()).then(|| unsafe { InPacket::from_raw(raw.ctx) }),
    };
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
/// Called by the pernet `exit` callback, `data` as for [`state`].
#[no_mangle]
unsafe extern "C" fn l3ns_rs_net_exit(data: *mut c_void, net_inum: u32) {
    // SAFETY: per the function contract.
    let state = unsafe { state(data) };
    state.net_exit(net_inum);
}

/// # Safety
///
/// Called by the `sched_process_fork` probe: `data` as for [`state`],
/// `parent` is `current`, `child` a new task that has not run yet.
#[no_mangle]
unsafe extern "C" fn l3ns_rs_task_fork(
    data: *mut c_void,
    parent: *const c_void,
    child: *const c_void,
) {
    // SAFETY: per the function contract.
    let state = unsafe { state(data) };
    let child = NewTask {
        ptr: child,
        _callback: PhantomData,
    };
    state.task_fork(TaskId(parent as usize), &child);
}

/// # Safety
///
/// Called by the `sched_process_free` probe, `data` as for [`state`].
#[no_mangle]
unsafe extern "C" fn l3ns_rs_task_free(data: *mut c_void, task: *const c_void) {
    // SAFETY: per the function contract.
    let state = unsafe { state(data) };
    state.task_free(TaskId(task as usize));
}

/// # Safety
///
/// Called by the reaper work item, `data` as for [`state`].
#[no_mangle]
unsafe extern "C" fn l3ns_rs_reap(data: *mut c_void) {
    // SAFETY: per the function contract.
    let state = unsafe { state(data) };
    state.reap();
}
