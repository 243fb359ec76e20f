// SPDX-License-Identifier: GPL-2.0

//! Which local addresses a socket may bind, as in FreeBSD's
//! `prison_check_ip4()`: a few short rules, no state of their own.
//!
//! A member socket may bind its namespace's own addresses, the network and
//! broadcast addresses of their subnets, 127.0.0.0/8, INADDR_ANY,
//! 255.255.255.255 and multicast. A parent socket may bind anything its
//! children do not own. IPv6 is not virtualized yet: members may only use
//! `::`, `::1` and v4-mapped addresses they may use as IPv4.

/// What bind() was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BindAddr {
    /// An IPv4 address (AF_INET, or AF_INET6 v4-mapped), host byte order.
    V4(u32),
    /// `::`.
    V6Any,
    /// `::1`.
    V6Loopback,
    /// Any other IPv6 address.
    V6Other,
}

/// An address a namespace owns, with its prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owned {
    /// The address, host byte order.
    pub addr: u32,
    /// Its prefix length.
    pub prefix_len: u8,
}

/// Whether a child may own `addr` (with its prefix length, on a device
/// that is or is not a loopback device): only a unicast host address --
/// never 0.0.0.0/8, 127.0.0.0/8, multicast or 240.0.0.0/4, the limited
/// broadcast, its subnet's network or broadcast address, nor any address of
/// a loopback device (taking 127.0.0.1 would leave the parent without it).
pub fn takeable(addr: u32, prefix_len: u8, on_loopback: bool) -> bool {
    let own = Owned { addr, prefix_len };
    let first = addr >> 24;
    !on_loopback
        && first != 0
        && !is_loopback(addr)
        && first < 224
        && own.network() != Some(addr)
        && own.broadcast() != Some(addr)
}

/// `0.0.0.0`.
pub const INADDR_ANY: u32 = 0;
/// `255.255.255.255`.
pub const INADDR_BROADCAST: u32 = u32::MAX;

/// `127.0.0.0/8`.
pub fn is_loopback(addr: u32) -> bool {
    addr >> 24 == 127
}

/// `224.0.0.0/4`.
pub fn is_multicast(addr: u32) -> bool {
    addr >> 28 == 0xe
}

/// The netmask of a prefix length (`0..=32`; longer is treated as 32).
pub fn netmask(prefix_len: u8) -> u32 {
    match prefix_len {
        0 => 0,
        p if p >= 32 => u32::MAX,
        p => u32::MAX << (32 - u32::from(p)),
    }
}

impl Owned {
    /// The subnet's network address, for prefixes that have one (< /31).
    pub fn network(self) -> Option<u32> {
        (self.prefix_len < 31).then(|| self.addr & netmask(self.prefix_len))
    }

    /// The subnet's broadcast address, for prefixes that have one (< /31).
    pub fn broadcast(self) -> Option<u32> {
        (self.prefix_len < 31).then(|| self.addr | !netmask(self.prefix_len))
    }

    /// Whether `addr` is in this address's subnet.
    pub fn same_subnet(self, addr: u32) -> bool {
        let m = netmask(self.prefix_len);
        addr & m == self.addr & m
    }
}

/// Addresses every namespace may bind, whatever it owns.
pub fn always_bindable(addr: u32) -> bool {
    addr == INADDR_ANY || addr == INADDR_BROADCAST || is_loopback(addr) || is_multicast(addr)
}

/// What a bind of `addr` reaches: `::` on an `IPV6_V6ONLY` socket serves
/// native IPv6 only, like any other IPv6 address.
pub fn bind_reach(addr: BindAddr, v6only: bool) -> BindAddr {
    match addr {
        BindAddr::V6Any if v6only => BindAddr::V6Other,
        other => other,
    }
}

/// May a socket of a member namespace owning `own` bind `addr` (as
/// [`bind_reach`] gives it)? A member has no IPv6, as a FreeBSD jail without
/// IPv6 addresses: `::` of a dual-stack socket (serving IPv4) only.
pub fn member_may_bind(addr: BindAddr, own: impl Iterator<Item = Owned> + Clone) -> bool {
    match addr {
        BindAddr::V6Any => true,
        BindAddr::V6Loopback | BindAddr::V6Other => false,
        BindAddr::V4(a) if always_bindable(a) => true,
        BindAddr::V4(a) => {
            own.clone().any(|o| o.addr == a)
                || own
                    .into_iter()
                    .any(|o| o.network() == Some(a) || o.broadcast() == Some(a))
        }
    }
}

/// May a socket of the parent bind `addr`, given who owns it?
/// `owned_by_child` is whether some child namespace owns it.
pub fn parent_may_bind(addr: BindAddr, owned_by_child: bool) -> bool {
    !matches!(addr, BindAddr::V4(_)) || !owned_by_child
}

/// Does a member's bind of `addr` (one of its own unicast addresses when
/// `own_unicast`; by an `IPV6_V6ONLY` socket when `v6only`) get a hidden
/// port? Every address other namespaces may bind too: wildcards, loopback,
/// broadcast, multicast; not its own. An IPv6-only socket never sees IPv4
/// and IPv6 is not virtualized: it binds as it asks.
pub fn shares_port(addr: BindAddr, own_unicast: bool, v6only: bool) -> bool {
    match addr {
        BindAddr::V4(_) => !own_unicast,
        BindAddr::V6Any => !v6only,
        BindAddr::V6Loopback | BindAddr::V6Other => false,
    }
}

#[cfg(test)]
#[path = "bindrule_tests.rs"]
mod tests;
