// SPDX-License-Identifier: GPL-2.0

//! Which sockets may receive a packet, and which addresses a task may see: the namespace owning the destination
//! address (the parent for addresses no child owns). Loopback, broadcast
//! and multicast are left to the stack here.

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
        let no = || -> bool { panic!("subnet asked for a unicast packet") };
        assert!(may_deliver(child, false, Some(3), Some(3), no));
        assert!(
            !may_deliver(child, false, Some(3), None, no),
            "parent's wildcard socket"
        );
        assert!(!may_deliver(child, false, Some(3), Some(4), no), "sibling");
        assert!(may_deliver(0x0a00_0001, false, None, None, no));
        assert!(
            !may_deliver(0x0a00_0001, false, None, Some(3), no),
            "child's wildcard socket, parent's address"
        );
        for shared in [0x7f00_0001, 0xe000_00fb, u32::MAX] {
            assert!(may_deliver(shared, true, None, Some(3), no));
        }
    }

    #[test]
    fn subnet_broadcast_reaches_the_parent_and_children_in_the_subnet() {
        assert!(
            may_deliver(0x0a00_00ff, true, None, None, || false),
            "parent"
        );
        assert!(
            may_deliver(0x0a00_00ff, true, None, Some(3), || true),
            "child in 10.0.0.0/24"
        );
        assert!(
            !may_deliver(0x0a00_00ff, true, None, Some(4), || false),
            "child elsewhere"
        );
    }

    #[test]
    fn visibility_follows_ownership() {
        assert!(may_see(0x0a00_0002, Some(3), Some(3)));
        assert!(
            !may_see(0x0a00_0002, Some(3), None),
            "hidden from the parent"
        );
        assert!(
            !may_see(0x0a00_0002, Some(3), Some(4)),
            "hidden from a sibling"
        );
        assert!(
            !may_see(0x0a00_0001, None, Some(3)),
            "parent's address hidden from a child"
        );
        assert!(may_see(0x0a00_0001, None, None));
        assert!(
            may_see(0x7f00_0001, None, Some(3)),
            "loopback stays visible"
        );
    }
}
