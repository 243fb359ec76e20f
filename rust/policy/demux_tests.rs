// SPDX-License-Identifier: GPL-2.0

//! Host tests of `demux.rs` (kept apart: the kernel module compiles
//! the policy files, never these).

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

#[test]
fn steering_never_hands_a_packet_to_another_namespace() {
    assert_eq!(steer(Found::Own, true), Steer::Steered);
    assert_eq!(
        steer(Found::Foreign, true),
        Steer::Reject,
        "parent listener on the child's port"
    );
    assert_eq!(
        steer(Found::Nothing, true),
        Steer::Reject,
        "RST / port unreachable"
    );
    assert_eq!(steer(Found::Own, false), Steer::Pass);
    assert_eq!(
        steer(Found::Foreign, false),
        Steer::Reject,
        "a member's port-0 listener"
    );
    assert_eq!(
        steer(Found::Nothing, false),
        Steer::Pass,
        "the stack answers"
    );
}
