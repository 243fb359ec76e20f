// SPDX-License-Identifier: GPL-2.0

//! Which sockets may receive a packet, and which addresses a task may see: the namespace owning the destination
//! address (the parent for addresses no child owns). Loopback, broadcast
//! and multicast are left to the stack here.

use super::bindrule::{is_loopback, is_multicast, INADDR_ANY, INADDR_BROADCAST};

/// May a socket of namespace `sk_ns` (`None`: the parent) receive a packet
/// for `daddr`, owned by `dst_owner` (`None`: the parent)? `bcast` marks a
/// packet the stack routed as broadcast or multicast.
pub fn may_deliver(daddr: u32, bcast: bool, dst_owner: Option<usize>, sk_ns: Option<usize>) -> bool {
    if bcast || is_loopback(daddr) || is_multicast(daddr) || daddr == INADDR_ANY || daddr == INADDR_BROADCAST {
        return true;
    }
    dst_owner == sk_ns
}

/// May a task of namespace `viewer` (`None`: the parent) see local address
/// `addr` owned by `owner` in `ip addr` / `ifconfig`? Members see their own
/// addresses and loopback; the parent sees what no child owns.
pub fn may_see(addr: u32, owner: Option<usize>, viewer: Option<usize>) -> bool {
    owner == viewer || (viewer.is_some() && is_loopback(addr))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unicast_goes_to_the_owner_only() {
        let child = 0x0a00_0002;
        assert!(may_deliver(child, false, Some(3), Some(3)));
        assert!(!may_deliver(child, false, Some(3), None), "parent's wildcard socket");
        assert!(!may_deliver(child, false, Some(3), Some(4)), "sibling");
        assert!(may_deliver(0x0a00_0001, false, None, None));
        assert!(!may_deliver(0x0a00_0001, false, None, Some(3)), "child's wildcard socket, parent's address");
        for shared in [0x7f00_0001, 0xe000_00fb, u32::MAX] {
            assert!(may_deliver(shared, false, None, Some(3)));
        }
        assert!(may_deliver(0x0a00_00ff, true, None, Some(3)), "subnet broadcast");
    }

    #[test]
    fn visibility_follows_ownership() {
        assert!(may_see(0x0a00_0002, Some(3), Some(3)));
        assert!(!may_see(0x0a00_0002, Some(3), None), "hidden from the parent");
        assert!(!may_see(0x0a00_0002, Some(3), Some(4)), "hidden from a sibling");
        assert!(!may_see(0x0a00_0001, None, Some(3)), "parent's address hidden from a child");
        assert!(may_see(0x0a00_0001, None, None));
        assert!(may_see(0x7f00_0001, None, Some(3)), "loopback stays visible");
    }
}
