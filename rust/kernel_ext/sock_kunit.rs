// SPDX-License-Identifier: GPL-2.0

//! KUnit of [`super`] (`kunit_cases::sock_abstraction`): a real kernel
//! socket.

use super::{bindings, Net, Rcu, Sock, SockRef, L4};
/// KUnit: a real kernel UDP socket in `init_net`: its kind, protocol and
/// netns, a reference taken and put, and `127.0.0.1:47999` seen free, then
/// bound, by the hash-chain walk and by the lookup.
pub(crate) fn self_test() -> kernel::error::Result {
    use kernel::error::{code::EINVAL, to_result};
    let mut socket: *mut bindings::socket = core::ptr::null_mut();
    let (family, ty) = (
        bindings::AF_INET as i32,
        bindings::sock_type_SOCK_DGRAM as i32,
    );
    // SAFETY: `init_net` is always alive; `socket` is a valid out-pointer.
    to_result(unsafe {
        bindings::sock_create_kern(
            &raw mut bindings::init_net,
            family,
            ty,
            bindings::IPPROTO_UDP as i32,
            &mut socket,
        )
    })?;
    let check = || -> kernel::error::Result {
        // SAFETY: the socket we just created, released only after this closure.
        let sk = unsafe { Sock::from_raw((*socket).sk.cast()) };
        // SAFETY: `init_net` is always alive.
        let init = unsafe { Net::from_raw(&raw const bindings::init_net) };
        if !sk.is_full() || !sk.is_kernel() || sk.l4() != Some(L4::Udp) || sk.listener().is_some() {
            return Err(EINVAL);
        }
        if sk.net().inum() != init.inum() || sk.full().map(Sock::as_ptr) != Some(sk.as_ptr()) {
            return Err(EINVAL);
        }
        let refs = || {
            // SAFETY: `refcount_t` is an `atomic_t`; a plain read of it for the test.
            unsafe { core::ptr::read_volatile(&sk.common().skc_refcnt.refs.counter) }
        };
        let before = refs();
        let held = SockRef::get(sk).ok_or(EINVAL)?;
        let during = refs();
        drop(held);
        if during != before + 1 || refs() != before {
            return Err(EINVAL);
        }
        let (lo, port) = (0x7f00_0001u32, 47999u16);
        let guard = kernel::sync::rcu::read_lock();
        if sk.port_in_use(port) || sk.listener_bound(Rcu::held(&guard), lo, port) {
            return Err(EINVAL);
        }
        drop(guard);
        let mut addr = bindings::sockaddr_in {
            sin_family: bindings::AF_INET as u16,
            sin_port: port.to_be(),
            ..Default::default()
        };
        addr.sin_addr.s_addr = lo.to_be();
        let len = core::mem::size_of::<bindings::sockaddr_in>() as i32;
        // SAFETY: our socket; `addr` is a valid `sockaddr_in` of `len` bytes.
        to_result(unsafe { bindings::kernel_bind(socket, (&raw mut addr).cast(), len) })?;
        let guard = kernel::sync::rcu::read_lock();
        let found = sk.listener_bound(Rcu::held(&guard), lo, port);
        drop(guard);
        if !sk.port_in_use(port) || !found || sk.rcv_saddr() != lo {
            return Err(EINVAL);
        }
        Ok(())
    };
    let r = check();
    // SAFETY: created above, not used after.
    unsafe { bindings::sock_release(socket) };
    r
}
