// SPDX-License-Identifier: GPL-2.0

//! The RTNL lock and what it keeps still: network devices by name and
//! their IPv4 addresses.
//!
//! C headers: [`include/linux/rtnetlink.h`](srctree/include/linux/rtnetlink.h),
//! [`include/linux/netdevice.h`](srctree/include/linux/netdevice.h),
//! [`include/linux/inetdevice.h`](srctree/include/linux/inetdevice.h).
//! Devices are registered and unregistered, and IPv4 addresses added and
//! removed, only under RTNL: a device found under an [`Rtnl`] guard, and
//! its address list, stay as they are for the guard's lifetime.

use super::bindings;
use super::inetaddr::InIfaddr;
use super::task_ns::Net;
use core::marker::PhantomData;
use kernel::str::{CStr, CStrExt};
use kernel::types::{NotThreadSafe, Opaque};

/// RTNL, held while the guard lives.
///
/// # Invariants
///
/// The current task holds RTNL from `lock` until `drop`.
pub(crate) struct Rtnl {
    _not_send: NotThreadSafe,
}

impl Rtnl {
    /// Takes RTNL (process context; may sleep).
    pub(crate) fn lock() -> Self {
        // INVARIANT: taken here, released in `drop`, on this task (`!Send`).
        // SAFETY: process context, as documented; no other precondition.
        unsafe { bindings::rtnl_lock() };
        Self {
            _not_send: NotThreadSafe,
        }
    }

    /// The device called `name` in `net` (`__dev_get_by_name()`).
    pub(crate) fn device<'a>(&'a self, net: &Net, name: &CStr) -> Option<&'a NetDevice> {
        // SAFETY: RTNL is held (type invariant); `net` is live and `name` a C string.
        let dev = unsafe { bindings::__dev_get_by_name(net.as_ptr(), name.as_char_ptr()) };
        // INVARIANT: a device found under RTNL stays registered until RTNL is released.
        // CAST: `NetDevice` is `repr(transparent)` over `Opaque<net_device>`.
        // SAFETY: a non-NULL result is a registered device, live while `self` is.
        (!dev.is_null()).then(|| unsafe { &*dev.cast::<NetDevice>() })
    }
}

impl Drop for Rtnl {
    fn drop(&mut self) {
        // SAFETY: this task took RTNL in `lock` (type invariant).
        unsafe { bindings::rtnl_unlock() };
    }
}

/// A registered network device (`struct net_device`).
///
/// # Invariants
///
/// Only seen as `&NetDevice` borrowed from an [`Rtnl`] guard, which keeps
/// it registered, with its IPv4 state, for the borrow.
#[repr(transparent)]
pub(crate) struct NetDevice(Opaque<bindings::net_device>);

impl NetDevice {
    /// Whether it is a loopback device (`IFF_LOOPBACK`).
    pub(crate) fn is_loopback(&self) -> bool {
        // SAFETY: the device is registered (type invariant).
        let flags = unsafe { bindings::netif_get_flags(self.0.get()) };
        flags & bindings::net_device_flags_IFF_LOOPBACK != 0
    }

    /// Its IPv4 addresses, in list order (primaries first).
    pub(crate) fn ipv4_addrs(&self) -> Ipv4Addrs<'_> {
        // SAFETY: the device is registered and RTNL is held (type invariant).
        let in_dev = unsafe { bindings::l3ns_helper_in_dev_get_rtnl(self.0.get()) };
        let next = if in_dev.is_null() {
            core::ptr::null_mut()
        } else {
            // SAFETY: a device's `in_device` is live while it is registered; RTNL guards the list.
            unsafe { (*in_dev).ifa_list }
        };
        // INVARIANT: RTNL is held for `'_`, as `self` is borrowed from the guard.
        Ipv4Addrs {
            next,
            _rtnl: PhantomData,
        }
    }
}

/// The IPv4 addresses of a device (`in_dev_for_each_ifa_rtnl()`).
///
/// # Invariants
///
/// `next` is NULL or an address on the device's list, and RTNL is held for
/// `'a`: no address is added to or removed from the list meanwhile.
pub(crate) struct Ipv4Addrs<'a> {
    next: *mut bindings::in_ifaddr,
    _rtnl: PhantomData<&'a Rtnl>,
}

impl<'a> Iterator for Ipv4Addrs<'a> {
    type Item = &'a InIfaddr;

    fn next(&mut self) -> Option<&'a InIfaddr> {
        if self.next.is_null() {
            return None;
        }
        // SAFETY: `next` is on the list, which RTNL keeps as it is for `'a` (type invariant).
        let ifa = unsafe { InIfaddr::from_raw(self.next) };
        // SAFETY: as above; `ifa_next` is the list's link (`rtnl_dereference()` under RTNL).
        self.next = unsafe { (*self.next).ifa_next };
        Some(ifa)
    }
}

/// KUnit: `init_net`'s `lo` is a loopback device with `127.0.0.1/8`
/// (the guest brings it up before loading l3ns); no device is named
/// `l3ns-none`.
#[cfg(CONFIG_KUNIT)]
pub(crate) fn self_test() -> kernel::error::Result {
    use kernel::error::code::{EINVAL, ENODEV};
    let rtnl = Rtnl::lock();
    let net = Net::init();
    if rtnl.device(net, c"l3ns-none").is_some() {
        return Err(EINVAL);
    }
    let lo = rtnl.device(net, c"lo").ok_or(ENODEV)?;
    let found = lo
        .ipv4_addrs()
        .any(|ifa| ifa.local() == 0x7f00_0001 && ifa.prefix_len() == 8 && ifa.label() == b"lo");
    if !lo.is_loopback() || !found {
        return Err(EINVAL);
    }
    Ok(())
}
