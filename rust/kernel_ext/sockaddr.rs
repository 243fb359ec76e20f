// SPDX-License-Identifier: GPL-2.0

//! A socket address the kernel copied in from userspace (`bind()`,
//! `connect()`, `sendmsg()`'s `msg_name`) or is about to copy out
//! (`getsockname()`), read and rewritten in place.
//!
//! C header: [`include/uapi/linux/in.h`](srctree/include/uapi/linux/in.h),
//! [`include/uapi/linux/in6.h`](srctree/include/uapi/linux/in6.h).

use super::bindings;
use core::marker::PhantomData;
use core::mem::size_of;

/// `SIN6_LEN_RFC2133`: the shortest `sockaddr_in6` the kernel accepts (no
/// `sin6_scope_id`).
const SIN6_LEN_RFC2133: usize = 24;

/// A kernel copy of a socket address, borrowed for one call.
///
/// # Invariants
///
/// `sa` is non-null and points to at least `len` bytes (>= 2, the family)
/// of kernel memory writable and not used by anyone else for `'a`.
pub(crate) struct SockAddr<'a> {
    sa: *mut bindings::sockaddr,
    len: usize,
    _call: PhantomData<&'a mut ()>,
}

impl<'a> SockAddr<'a> {
    /// The address at `sa` of `len` bytes, if it holds at least a family.
    ///
    /// # Safety
    ///
    /// `sa` is null or points to `len` bytes of kernel memory the caller may
    /// read and write, no one else using them for `'a`.
    pub(crate) unsafe fn new(sa: *mut bindings::sockaddr, len: i32) -> Option<Self> {
        let len = usize::try_from(len).ok()?;
        // INVARIANT: non-null, with at least the family, per the contract.
        (!sa.is_null() && len >= size_of::<bindings::sa_family_t>()).then_some(SockAddr {
            sa,
            len,
            _call: PhantomData,
        })
    }

    /// `sa_family`.
    pub(crate) fn family(&self) -> u32 {
        // SAFETY: at least the family is there (type invariant).
        u32::from(unsafe { (*self.sa).sa_family })
    }

    fn v4(&self) -> Option<*mut bindings::sockaddr_in> {
        (self.len >= size_of::<bindings::sockaddr_in>()).then_some(self.sa.cast())
    }

    fn v6(&self) -> Option<*mut bindings::sockaddr_in6> {
        (self.family() == bindings::AF_INET6 && self.len >= SIN6_LEN_RFC2133)
            .then_some(self.sa.cast())
    }

    /// The IPv4 address of a v4-mapped `::ffff:a.b.c.d`, host order.
    fn mapped(sin6: *mut bindings::sockaddr_in6) -> Option<u32> {
        // SAFETY: `sin6` is a whole `sockaddr_in6` up to `sin6_addr` (checked by `v6`).
        let a = unsafe { (*sin6).sin6_addr.in6_u.u6_addr32 };
        (a[0] == 0 && a[1] == 0 && u32::from_be(a[2]) == 0xffff).then(|| u32::from_be(a[3]))
    }

    /// IPv4 address and port (host order) of an `AF_INET` or v4-mapped
    /// `AF_INET6` address; of `AF_UNSPEC` too when `unspec_is_v4`
    /// (`udp_sendmsg()`, `raw_sendmsg()` and an AF_INET socket's bind read it
    /// as `AF_INET`).
    pub(crate) fn ipv4(&self, unspec_is_v4: bool) -> Option<(u32, u16)> {
        let family = self.family();
        if family == bindings::AF_INET || (unspec_is_v4 && family == bindings::AF_UNSPEC) {
            let sin = self.v4()?;
            // SAFETY: a whole `sockaddr_in` is there (checked by `v4`).
            let (addr, port) = unsafe { ((*sin).sin_addr.s_addr, (*sin).sin_port) };
            return Some((u32::from_be(addr), u16::from_be(port)));
        }
        let sin6 = self.v6()?;
        let addr = Self::mapped(sin6)?;
        // SAFETY: as in `mapped`.
        Some((addr, u16::from_be(unsafe { (*sin6).sin6_port })))
    }

    /// A native IPv6 address (`AF_INET6`, not v4-mapped; `::1` included)?
    pub(crate) fn is_native_ipv6(&self) -> bool {
        self.v6().is_some_and(|sin6| Self::mapped(sin6).is_none())
    }

    /// Sets the IPv4 address: of an `AF_INET6` address its v4-mapped part,
    /// else (`AF_INET`, or `AF_UNSPEC` read as it) `sin_addr`.
    pub(crate) fn set_ipv4(&mut self, addr: u32) {
        if let Some(sin6) = self.v6() {
            // SAFETY: a whole `sockaddr_in6` up to `sin6_addr` is there, ours to write.
            unsafe { (*sin6).sin6_addr.in6_u.u6_addr32[3] = addr.to_be() };
        } else if let Some(sin) = self.v4() {
            // SAFETY: a whole `sockaddr_in` is there, ours to write.
            unsafe { (*sin).sin_addr.s_addr = addr.to_be() };
        }
    }

    /// The port (host order) of an address holding at least a
    /// `sockaddr_in` (`sin_port` and `sin6_port` share an offset).
    pub(crate) fn port(&self) -> Option<u16> {
        let sin = self.v4()?;
        // SAFETY: a whole `sockaddr_in` is there (checked by `v4`).
        Some(u16::from_be(unsafe { (*sin).sin_port }))
    }

    /// Sets the port, as [`SockAddr::port`] reads it.
    pub(crate) fn set_port(&mut self, port: u16) {
        if let Some(sin) = self.v4() {
            // SAFETY: a whole `sockaddr_in` is there, ours to write.
            unsafe { (*sin).sin_port = port.to_be() };
        }
    }

    /// Address and port (host order) read as a `sockaddr_in` whatever the
    /// family, if one fits (how an AF_INET socket's bind reads it).
    pub(crate) fn sin(&self) -> Option<(u32, u16)> {
        let sin = self.v4()?;
        // SAFETY: a whole `sockaddr_in` is there (checked by `v4`).
        let (addr, port) = unsafe { ((*sin).sin_addr.s_addr, (*sin).sin_port) };
        Some((u32::from_be(addr), u16::from_be(port)))
    }

    /// The four address words and the port (host order) of an `AF_INET6`
    /// address.
    pub(crate) fn sin6(&self) -> Option<([u32; 4], u16)> {
        let sin6 = self.v6()?;
        // SAFETY: a whole `sockaddr_in6` up to `sin6_addr` is there (checked by `v6`).
        let (a, port) = unsafe { ((*sin6).sin6_addr.in6_u.u6_addr32, (*sin6).sin6_port) };
        Some((a.map(u32::from_be), u16::from_be(port)))
    }

    /// Sets the IPv4 address a bind reads: `sin_addr` whatever the family
    /// for an AF_INET socket (`as_sin`), else the v4-mapped part.
    pub(crate) fn set_bound_ipv4(&mut self, as_sin: bool, addr: u32) {
        match (as_sin, self.v4()) {
            (true, Some(sin)) => {
                // SAFETY: a whole `sockaddr_in` is there, ours to write.
                unsafe { (*sin).sin_addr.s_addr = addr.to_be() };
            }
            (false, _) => self.set_ipv4(addr),
            _ => {}
        }
    }
}

// `sin_port` and `sin6_port` share an offset, which `port` relies on.
const _: () = assert!(
    core::mem::offset_of!(bindings::sockaddr_in, sin_port)
        == core::mem::offset_of!(bindings::sockaddr_in6, sin6_port)
);
