// SPDX-License-Identifier: GPL-2.0

//! Host tests of `loopback.rs` (kept apart: the kernel module compiles
//! the policy files, never these).

use super::*;

const LO: u32 = 0x7f00_0001;

#[test]
fn mapping_round_trips() {
    assert_eq!(to_private(LO, 0), Some(0x7f01_0001));
    assert_eq!(to_private(0x7f00_0035, 4), Some(0x7f01_0435));
    assert_eq!(to_private(0x7f00_0135, 4), None, "outside 127.0.0.0/24");
    assert_eq!(to_private(0x7f02_0001, 0), None, "already a copy");
    assert_eq!(to_private(0x0a00_0001, 0), None);
    assert_eq!(to_private(LO, LOOPBACK_SLOTS), None);
    assert_eq!(to_private(LO, LOOPBACK_SLOTS - 1), Some(0x7fff_ff01));
    assert_eq!(to_shared(0x7f01_0435, 4), Some(0x7f00_0035));
    assert_eq!(to_shared(0x7f01_0435, 3), None);
    assert_eq!(loopback_owner(0x7f01_0401), Some(4));
    assert_eq!(loopback_owner(LO), None);
    assert_eq!(loopback_owner(0x7f00_ff01), None, "the parent keeps /16");
}

#[test]
fn copies_at_chunk_and_octet_boundaries() {
    for (slot, copy) in [(255, 0x7f01_ff01), (256, 0x7f02_0001), (4095, 0x7f10_ff01)] {
        assert_eq!(to_private(LO, slot), Some(copy), "slot {slot}");
        assert_eq!(loopback_owner(copy), Some(slot));
        assert_eq!(to_shared(copy, slot), Some(LO));
        assert_eq!(member_bind(LO, slot), LoopbackBind::Rewrite(copy));
        assert_eq!(member_bind(copy, slot), LoopbackBind::Keep);
        assert_eq!(member_bind(copy, slot - 1), LoopbackBind::Refuse);
        assert!(member_may_send_from(copy, slot));
        assert!(!member_may_send_from(copy, slot + 1));
        assert_eq!(member_loopback_source(slot), Some(copy));
    }
    // Every copy is distinct.
    let mut seen = [false; 4096];
    for slot in 0..4096 {
        let owner = loopback_owner(to_private(LO, slot).unwrap()).unwrap();
        assert!(!seen[owner]);
        seen[owner] = true;
    }
}

#[test]
fn binds() {
    assert_eq!(member_bind(LO, 0), LoopbackBind::Rewrite(0x7f01_0001));
    assert_eq!(member_bind(0x7f01_0007, 0), LoopbackBind::Keep);
    assert_eq!(member_bind(0x7f02_0001, 0), LoopbackBind::Refuse);
    assert_eq!(
        member_bind(0x7f00_0101, 0),
        LoopbackBind::Refuse,
        "the parent's 127.0.1.1"
    );
    assert!(parent_may_bind(LO) && parent_may_bind(0x7f00_0035));
    assert!(!parent_may_bind(0x7f01_0001));
}

#[test]
fn delivery_stays_inside_a_namespace_unless_shared() {
    let (a, b) = (0x7f01_0001, 0x7f02_0001);
    let never = |_| false;
    assert!(may_deliver(a, a, Some(0), true, never));
    assert!(!may_deliver(a, b, Some(0), true, never), "B calls A");
    assert!(!may_deliver(a, LO, Some(0), true, never), "parent calls A");
    assert!(
        !may_deliver(LO, a, None, true, never),
        "A calls the parent, not shared"
    );
    assert!(may_deliver(LO, LO, None, true, never));
    assert!(
        !may_deliver(LO, LO, Some(0), true, never),
        "A's wildcard socket"
    );
    let a_shared = |s| s == 0;
    assert!(
        may_deliver(LO, a, None, true, a_shared),
        "A calls the parent"
    );
    assert!(
        may_deliver(a, LO, Some(0), false, a_shared),
        "the parent answers"
    );
    assert!(
        !may_deliver(a, LO, Some(0), true, a_shared),
        "the parent may not call in"
    );
    assert!(
        !may_deliver(LO, b, None, true, a_shared),
        "B is not trusted"
    );
}

#[test]
fn members_send_only_from_their_copy() {
    assert!(member_may_send_from(0x7f01_0001, 0));
    assert!(!member_may_send_from(LO, 0));
    assert!(!member_may_send_from(0x7f02_0001, 0));
}
