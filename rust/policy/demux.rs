// SPDX-License-Identifier: GPL-2.0

//! Which sockets may receive a packet, and which addresses a task may see:
//! the namespace owning the destination
//! address (the parent for addresses no child owns). Broadcast and
//! multicast are left to the stack here, and loopback too: loopback
//! isolation is `loopback::may_deliver`'s job, which callers apply first.

use super::bindrule::{is_loopback, is_multicast, INADDR_ANY, INADDR_BROADCAST};

/// May a socket of namespace `sk_ns` (`None`: the parent) receive a packet
/// for `daddr`, owned by `dst_owner` (`None`: the parent)? `bcast` marks a
/// packet the stack routed as broadcast or multicast; `in_subnet` tells
/// whether `sk_ns` owns an address whose subnet broadcast is `daddr`
/// (asked only for subnet-directed broadcasts, so its cost is paid only on
/// broadcast packets).
///
/// 255.255.255.255 and multicast reach the parent and every child (the
/// stack's own socket and group-membership rules still apply); a
/// subnet-directed broadcast reaches the parent and the children owning an
/// address in that subnet, as illumos shared-IP zones do.
pub fn may_deliver(
    daddr: u32,
    bcast: bool,
    dst_owner: Option<usize>,
    sk_ns: Option<usize>,
    in_subnet: impl FnOnce() -> bool,
) -> bool {
    if is_loopback(daddr) || is_multicast(daddr) || daddr == INADDR_ANY || daddr == INADDR_BROADCAST
    {
        return true;
    }
    if bcast && dst_owner.is_none() {
        return sk_ns.is_none() || in_subnet();
    }
    dst_owner == sk_ns
}

/// What the LOCAL_IN socket lookup found for a unicast TCP/UDP packet, on
/// behalf of the namespace owning its destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// A socket of the owner (now assigned to the packet).
    Own,
    /// Only a socket of another namespace (or of the parent).
    Foreign,
    /// No socket at all.
    Nothing,
}

/// What LOCAL_IN does with a unicast TCP/UDP packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Steer {
    /// Leave it to the stack.
    Pass,
    /// It goes to the child's socket found for it.
    Steered,
    /// Drop it with a TCP RST / ICMP port unreachable.
    Reject,
}

/// The verdict for a packet whose destination a child owns (`child_owner`)
/// or the parent owns: never another namespace's socket; a child without
/// a socket answers as a host without a listener; the stack answers for
/// the parent.
pub fn steer(found: Found, child_owner: bool) -> Steer {
    match (found, child_owner) {
        (Found::Own, true) => Steer::Steered,
        (Found::Own, false) | (Found::Nothing, false) => Steer::Pass,
        (Found::Foreign, _) | (Found::Nothing, true) => Steer::Reject,
    }
}

/// May a task of namespace `viewer` (`None`: the parent) see local address
/// `addr` owned by `owner` in `ip addr` / `ifconfig`? Members see their own
/// addresses and loopback; the parent sees what no child owns.
pub fn may_see(addr: u32, owner: Option<usize>, viewer: Option<usize>) -> bool {
    owner == viewer || (viewer.is_some() && is_loopback(addr))
}

#[cfg(test)]
#[path = "demux_tests.rs"]
mod tests;
