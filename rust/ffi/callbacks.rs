// SPDX-License-Identifier: GPL-2.0

//! C-to-Rust trampolines (`l3ns_rs_*`, declared in `l3ns_shim.h`).
//!
//! Each one turns the raw arguments the shim passes into safe Rust types and
//! calls the safe code in `control`, `registry` and `sockets` (the packet
//! path's are in [`super::packet_callbacks`]). `data` is always the
//! `State` pointer a registration in [`super::registration`] handed to C;
//! that registration keeps the `State` alive until the callback can no
//! longer run.

use super::{bindings, proto_of, BindSock, SockId};
use crate::policy::bindrule::BindAddr;
use crate::policy::privilege::OpenKind;
use crate::{control, registry::State};
use kernel::error::from_result;
use kernel::ffi::c_void;

/// # Safety
///
/// `data` must be the `State` pointer of a live registration.
pub(super) unsafe fn state<'a>(data: *mut c_void) -> &'a State {
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
/// to `cap` initialised (zeroed) writable bytes no one else accesses during
/// the call.
#[no_mangle]
unsafe extern "C" fn l3ns_rs_file_format(
    data: *mut c_void,
    file: u32,
    buf: *mut u8,
    cap: usize,
) -> isize {
    // The caller zeroed `cap` bytes at `buf` and keeps them to itself until we return.
    // SAFETY: `data` is the registered state; `buf` is `cap` initialised bytes only we use.
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
/// Called by the connect/sendmsg redirects for a user inet socket `sk`
/// (live for the call) and a native IPv6 destination, `data` as for
/// [`state`].
#[no_mangle]
unsafe extern "C" fn l3ns_rs_v6_check(data: *mut c_void, sk: *const c_void) -> i32 {
    // SAFETY: per the function contract.
    let state = unsafe { state(data) };
    from_result(|| state.v6_dest_check(SockId(sk as usize)).map(|()| 0))
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
/// Called by the open guard for a file opened for writing, `data` as for
/// [`state`].
#[no_mangle]
unsafe extern "C" fn l3ns_rs_file_open_check(data: *mut c_void, kind: u32) -> i32 {
    // SAFETY: per the function contract.
    let state = unsafe { state(data) };
    from_result(|| state.file_open_check(OpenKind::from_raw(kind)).map(|()| 0))
}

/// # Safety
///
/// Called by the `security_socket_create` probe for a user socket, `data`
/// as for [`state`].
#[no_mangle]
unsafe extern "C" fn l3ns_rs_socket_create_check(
    data: *mut c_void,
    family: i32,
    kind: i32,
    protocol: i32,
) -> i32 {
    // SAFETY: per the function contract.
    let state = unsafe { state(data) };
    from_result(|| {
        state
            .socket_create_check(family, kind, protocol)
            .map(|()| 0)
    })
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
/// Called by the `sock_close` probe, `data` as for [`state`].
#[no_mangle]
unsafe extern "C" fn l3ns_rs_sock_close(data: *mut c_void, sk: *const c_void) {
    // SAFETY: per the function contract.
    let state = unsafe { state(data) };
    state.sock_close(SockId(sk as usize));
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
    // `rewrite` and `port` are writable; `sk` is the socket being bound,
    // live for this call.
    // SAFETY: per the function contract.
    let (state, req, rewrite, port, sock) = unsafe {
        (
            state(data),
            &*req,
            &mut *rewrite,
            &mut *port,
            BindSock::from_raw(sk),
        )
    };
    let addr = match req.kind {
        bindings::l3ns_bind_kind_L3NS_BIND_V4 => BindAddr::V4(req.v4),
        bindings::l3ns_bind_kind_L3NS_BIND_V6_ANY => BindAddr::V6Any,
        bindings::l3ns_bind_kind_L3NS_BIND_V6_LOOPBACK => BindAddr::V6Loopback,
        _ => BindAddr::V6Other,
    };
    let proto = proto_of(req.l4);
    // Only a first bind of a TCP/UDP socket, to a non-zero port, may share it.
    let shared_port = proto
        .filter(|_| req.port != 0 && req.bound == 0)
        .map(|p| (p, req.port));
    from_result(|| {
        let b = state.bind_check(
            &sock,
            req.net_inum,
            addr,
            req.v6only != 0,
            shared_port,
            req.needs_cap != 0,
        )?;
        *rewrite = b.addr.unwrap_or(0);
        *port = b.port.unwrap_or(0);
        Ok(0)
    })
}

/// # Safety
///
/// Called by the `security_socket_bind` return probe when the bind was
/// refused after [`l3ns_rs_bind_check`] reserved a hidden port, `data` as
/// for [`state`].
#[no_mangle]
unsafe extern "C" fn l3ns_rs_bind_undo(data: *mut c_void, sk: *const c_void) {
    // SAFETY: per the function contract.
    let state = unsafe { state(data) };
    state.port_free(SockId(sk as usize));
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
/// Called by the reaper work item, `data` as for [`state`].
#[no_mangle]
unsafe extern "C" fn l3ns_rs_reap(data: *mut c_void) {
    // SAFETY: per the function contract.
    let state = unsafe { state(data) };
    state.reap();
}
