// SPDX-License-Identifier: GPL-2.0

//! Host tests of `bindrule.rs` (kept apart: the kernel module compiles
//! the policy files, never these).

use super::*;

const A: Owned = Owned {
    addr: 0x0a00_0002,
    prefix_len: 24,
}; // 10.0.0.2/24
const B: Owned = Owned {
    addr: 0x0a01_0005,
    prefix_len: 32,
}; // 10.1.0.5/32

fn may(addr: u32) -> bool {
    member_may_bind(BindAddr::V4(addr), [A, B].into_iter())
}

#[test]
fn member_binds_own_and_special_addresses_only() {
    for ok in [
        0x0a00_0002,
        0x0a01_0005,
        0x0a00_0000,
        0x0a00_00ff,
        0,
        u32::MAX,
        0x7f00_0001,
        0x7f12_3456,
        0xe000_00fb,
    ] {
        assert!(may(ok), "{ok:#x}");
    }
    for bad in [
        0x0a00_0003,
        0x0a00_0001,
        0xc0a8_0001,
        0x0a01_0000,
        0x0a01_00ff,
        0x0b00_0002,
    ] {
        assert!(!may(bad), "{bad:#x}");
    }
    assert!(member_may_bind(BindAddr::V6Any, [A].into_iter()));
    assert!(!member_may_bind(BindAddr::V6Loopback, [A].into_iter()));
    let v6only_any = bind_reach(BindAddr::V6Any, true);
    assert!(!member_may_bind(v6only_any, [A].into_iter()));
    assert_eq!(bind_reach(BindAddr::V6Any, false), BindAddr::V6Any);
    assert_eq!(bind_reach(BindAddr::V4(1), true), BindAddr::V4(1));
    assert!(!member_may_bind(BindAddr::V6Other, [A].into_iter()));
    assert!(
        !member_may_bind(BindAddr::V4(0x0a00_0002), core::iter::empty()),
        "no address: nothing"
    );
    assert!(member_may_bind(BindAddr::V4(0), core::iter::empty()));
}

#[test]
fn subnet_arithmetic() {
    assert_eq!(A.network(), Some(0x0a00_0000));
    assert_eq!(A.broadcast(), Some(0x0a00_00ff));
    assert_eq!(B.network(), None);
    assert_eq!(
        Owned {
            addr: 0x0a00_0003,
            prefix_len: 31
        }
        .broadcast(),
        None
    );
    assert_eq!(
        Owned {
            addr: 0x0a00_0003,
            prefix_len: 0
        }
        .broadcast(),
        Some(u32::MAX)
    );
    assert_eq!(netmask(33), u32::MAX);
    assert!(A.same_subnet(0x0a00_00fe) && !A.same_subnet(0x0a00_0100));
}

#[test]
fn parent_is_refused_children_addresses() {
    assert!(!parent_may_bind(BindAddr::V4(0x0a00_0002), true));
    assert!(parent_may_bind(BindAddr::V4(0x0a00_0002), false));
    assert!(parent_may_bind(BindAddr::V6Other, true));
}

#[test]
fn members_share_every_port_but_their_own_addresses() {
    assert!(shares_port(BindAddr::V4(0), false, false), "0.0.0.0");
    assert!(shares_port(BindAddr::V6Any, false, false), "::");
    assert!(
        shares_port(BindAddr::V4(0x7f00_0001), false, false),
        "loopback"
    );
    assert!(
        shares_port(BindAddr::V4(0xffff_ffff), false, false),
        "broadcast"
    );
    assert!(
        shares_port(BindAddr::V4(0xe000_00fb), false, false),
        "multicast"
    );
    assert!(
        !shares_port(BindAddr::V4(0x0a00_0002), true, false),
        "its own address"
    );
    assert!(
        !shares_port(BindAddr::V6Loopback, false, false),
        "::1 is not virtualized"
    );
    assert!(
        !shares_port(BindAddr::V6Any, false, true),
        "IPv6-only :: never sees IPv4"
    );
}

#[test]
fn only_unicast_host_addresses_of_real_devices_are_takeable() {
    let a = |x: [u8; 4]| u32::from_be_bytes(x);
    assert!(takeable(a([10, 0, 0, 2]), 24, false));
    assert!(
        takeable(a([10, 0, 0, 1]), 32, false),
        "a /32 has no network address"
    );
    assert!(takeable(a([10, 0, 0, 0]), 31, false), "nor a /31");
    assert!(!takeable(a([10, 0, 0, 2]), 24, true), "loopback device");
    assert!(!takeable(a([127, 0, 0, 1]), 8, false));
    assert!(!takeable(a([127, 5, 0, 1]), 24, false));
    assert!(!takeable(a([0, 1, 2, 3]), 8, false));
    assert!(!takeable(a([224, 0, 0, 251]), 32, false));
    assert!(!takeable(a([239, 1, 1, 1]), 24, false));
    assert!(!takeable(a([240, 0, 0, 1]), 8, false));
    assert!(!takeable(u32::MAX, 32, false));
    assert!(!takeable(a([10, 0, 0, 0]), 24, false), "network address");
    assert!(!takeable(a([10, 0, 0, 255]), 24, false), "subnet broadcast");
    assert!(
        !takeable(a([10, 0, 1, 255]), 23, false),
        "subnet broadcast of a /23"
    );
    assert!(takeable(a([10, 0, 0, 255]), 23, false), "inside a /23");
}
