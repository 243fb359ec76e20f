// SPDX-License-Identifier: GPL-2.0

//! What a route lookup made for a socket would use: its destination, the
//! source already in the flow, the next hop and the addresses of the
//! route's device, read from the FIB under RCU.
//!
//! C header: [`include/net/ip_fib.h`](srctree/include/net/ip_fib.h).

use super::bindings;
use super::user_sock::UserSock;

/// The most device addresses [`RouteFacts`] carries.
pub(crate) const DEV_ADDRS: usize = 16;

/// A route lookup for a socket, host byte order.
pub(crate) struct RouteFacts {
    /// The destination.
    pub(crate) daddr: u32,
    /// The source in the flow (0: none yet).
    pub(crate) saddr: u32,
    /// The source was filled in by the FIB for the socket's own cached
    /// flow, not asked for by the caller.
    pub(crate) prefilled: bool,
    /// The gateway, or `daddr` if directly connected.
    pub(crate) nexthop: u32,
    /// Addresses and prefix lengths of the route's device, in order.
    pub(crate) dev: [(u32, u8); DEV_ADDRS],
    /// How many of `dev` are set.
    pub(crate) ndev: usize,
}

impl RouteFacts {
    /// The facts of `fl4`, a flow being routed in `net` for `sk`.
    ///
    /// # Safety
    ///
    /// `net` and `fl4` are the live arguments of the running
    /// `ip_route_output_flow()` call, `sk` its socket.
    pub(crate) unsafe fn of(
        net: *mut bindings::net,
        fl4: *const bindings::flowi4,
        sk: &UserSock<'_>,
    ) -> Self {
        // SAFETY: `fl4` is live for the call (function contract).
        let flow = unsafe { &*fl4 };
        let mut f = RouteFacts {
            daddr: u32::from_be(flow.daddr),
            saddr: u32::from_be(flow.saddr),
            // SAFETY: as above; `sk` is live for the call.
            prefilled: unsafe { prefilled(fl4, sk) },
            nexthop: u32::from_be(flow.daddr),
            dev: [(0, 0); DEV_ADDRS],
            ndev: 0,
        };
        // SAFETY: `net` is live for the call (function contract).
        unsafe { f.read_fib(net, flow) };
        f
    }

    /// Next hop and device addresses from a FIB lookup of `flow` (without
    /// its source, as from the loopback device).
    ///
    /// # Safety
    ///
    /// `net` is live.
    unsafe fn read_fib(&mut self, net: *mut bindings::net, flow: &bindings::flowi4) {
        let mut tmp = *flow;
        tmp.saddr = 0;
        tmp.__fl_common.flowic_iif = bindings::LOOPBACK_IFINDEX as i32;
        let mut res = bindings::fib_result::default();
        let _rcu = kernel::sync::rcu::read_lock();
        // SAFETY: `net` is live; `tmp` and `res` are ours; under RCU as `fib_lookup()` needs.
        if unsafe { bindings::l3ns_helper_fib_lookup(net, &mut tmp, &mut res, 0) } != 0 {
            return;
        }
        if res.nhc.is_null() {
            return;
        }
        // SAFETY: a successful lookup's next hop is live for the RCU read side held.
        let nhc = unsafe { &*res.nhc };
        if u32::from(nhc.nhc_gw_family) == bindings::AF_INET {
            // SAFETY: an `AF_INET` gateway is the union's `ipv4` member.
            self.nexthop = u32::from_be(unsafe { *nhc.nhc_gw.ipv4.as_ref() });
        }
        if nhc.nhc_dev.is_null() {
            return;
        }
        // SAFETY: the next hop's device is live under RCU; `__in_dev_get_rcu()` may be called.
        let in_dev = unsafe { bindings::l3ns_helper_in_dev_get_rcu(nhc.nhc_dev.cast()) };
        if in_dev.is_null() {
            return;
        }
        // in_dev_for_each_ifa_rcu(): `ifa_list` and `ifa_next` are RCU pointers.
        // SAFETY: `in_dev` is live under RCU.
        let mut ifa = unsafe { core::ptr::read_volatile(&raw const (*in_dev).ifa_list) };
        while !ifa.is_null() && self.ndev < DEV_ADDRS {
            // SAFETY: an ifa on the RCU list is live for the read side held.
            let a = unsafe { &*ifa };
            if let Some(slot) = self.dev.get_mut(self.ndev) {
                *slot = (u32::from_be(a.ifa_local), a.ifa_prefixlen);
            }
            self.ndev += 1;
            // SAFETY: as above.
            ifa = unsafe { core::ptr::read_volatile(&raw const (*ifa).ifa_next) };
        }
    }
}

/// Is `fl4` the socket's own cached flow with a source the FIB chose (no
/// bound source, not a multicast send from the socket's `IP_MULTICAST_IF`
/// address)?
///
/// # Safety
///
/// `fl4` and `sk` are live.
unsafe fn prefilled(fl4: *const bindings::flowi4, sk: &UserSock<'_>) -> bool {
    // CAST: a user inet socket is the `sk` member at the start of a `struct inet_sock`.
    let inet = sk.as_ptr().cast::<bindings::inet_sock>();
    // SAFETY: `sk` is a live inet socket, so `inet` is its live `inet_sock`.
    let (own, bound, mc_addr) = unsafe {
        (
            &raw const (*inet).cork.fl.u.ip4,
            (*inet).inet_saddr,
            core::ptr::read_volatile(&raw const (*inet).mc_addr),
        )
    };
    // SAFETY: `fl4` is live (function contract).
    let (daddr, saddr) = unsafe { ((*fl4).daddr, (*fl4).saddr) };
    let multicast = u32::from_be(daddr) >> 28 == 0xe;
    core::ptr::eq(own, fl4) && bound == 0 && !(multicast && saddr == mc_addr)
}
