// SPDX-License-Identifier: GPL-2.0

//! Host tests of `source.rs` (kept apart: the kernel module compiles
//! the policy files, never these).

use super::*;

fn o(addr: u32, prefix_len: u8) -> Owned {
    Owned { addr, prefix_len }
}
fn flow(daddr: u32, nexthop: u32) -> Flow {
    Flow {
        daddr,
        saddr: 0x0a00_0001,
        prefilled: true,
        nexthop,
    }
}

#[test]
fn member_prefers_the_next_hops_subnet_then_the_oldest() {
    let own = [
        (o(0x0a01_0002, 24), 7),
        (o(0x0a00_0002, 24), 9),
        (o(0xc0a8_0002, 24), 3),
    ];
    // Directly connected 10.0.0.5: the 10.0.0.0/24 address.
    assert_eq!(
        member_source(
            &flow(0x0a00_0005, 0x0a00_0005),
            INADDR_LOOPBACK,
            own.into_iter()
        ),
        SourceChoice::Use(0x0a00_0002)
    );
    // Via gateway 10.1.0.1: the 10.1.0.0/24 address.
    assert_eq!(
        member_source(
            &flow(0x0808_0808, 0x0a01_0001),
            INADDR_LOOPBACK,
            own.into_iter()
        ),
        SourceChoice::Use(0x0a01_0002)
    );
    // No subnet matches: the oldest (192.168.0.2, age 3).
    assert_eq!(
        member_source(
            &flow(0x0808_0808, 0x0808_0808),
            INADDR_LOOPBACK,
            own.into_iter()
        ),
        SourceChoice::Use(0xc0a8_0002)
    );
}

#[test]
fn member_loopback_explicit_and_empty() {
    let own = [(o(0x0a00_0002, 24), 1)];
    assert_eq!(
        member_source(
            &flow(0x7f00_0001, 0x7f00_0001),
            INADDR_LOOPBACK,
            own.into_iter()
        ),
        SourceChoice::Use(INADDR_LOOPBACK)
    );
    assert_eq!(
        member_source(&flow(0, 0), INADDR_LOOPBACK, own.into_iter()),
        SourceChoice::Use(INADDR_LOOPBACK)
    );
    let explicit = Flow {
        daddr: 0x0a00_0005,
        saddr: 0x0a00_0009,
        prefilled: false,
        nexthop: 0x0a00_0005,
    };
    assert_eq!(
        member_source(&explicit, INADDR_LOOPBACK, own.into_iter()),
        SourceChoice::Keep
    );
    assert_eq!(
        member_source(
            &flow(0x0a00_0005, 0x0a00_0005),
            INADDR_LOOPBACK,
            core::iter::empty()
        ),
        SourceChoice::Refuse
    );
    assert_eq!(
        member_source(
            &flow(0x7f00_0001, 0x7f00_0001),
            INADDR_LOOPBACK,
            core::iter::empty()
        ),
        SourceChoice::Use(INADDR_LOOPBACK)
    );
}

#[test]
fn parent_never_uses_a_childs_address() {
    let dev = [o(0x0a00_0002, 24), o(0x0a00_0001, 24), o(0x0a00_0003, 24)];
    let child = |a: u32| a == 0x0a00_0002;
    let f = Flow {
        daddr: 0x0a00_0005,
        saddr: 0x0a00_0002,
        prefilled: true,
        nexthop: 0x0a00_0005,
    };
    assert_eq!(
        parent_source(&f, dev.into_iter(), child),
        SourceChoice::Use(0x0a00_0001)
    );
    let mine = Flow {
        saddr: 0x0a00_0001,
        ..f
    };
    assert_eq!(
        parent_source(&mine, dev.into_iter(), child),
        SourceChoice::Keep
    );
    let all_child = |a: u32| a >> 8 == 0x0a_0000;
    assert_eq!(
        parent_source(&f, dev.into_iter(), all_child),
        SourceChoice::Refuse
    );
    // Unconnected send (no source yet): never let the FIB pick a child's.
    let unbound = Flow {
        saddr: 0,
        prefilled: false,
        ..f
    };
    assert_eq!(
        parent_source(&unbound, dev.into_iter(), child),
        SourceChoice::Use(0x0a00_0001)
    );
    assert_eq!(
        parent_source(&unbound, core::iter::empty(), child),
        SourceChoice::Keep
    );
}

#[test]
fn backstop() {
    let owns = |a: u32| a == 0x0a00_0002;
    let lo = |a: u32| a == 0x7f01_0001;
    assert!(member_may_send_from(0x0a00_0002, lo, owns));
    assert!(member_may_send_from(0x7f01_0001, lo, owns));
    assert!(
        !member_may_send_from(0x7f00_0001, lo, owns),
        "the parent's loopback"
    );
    assert!(member_may_send_from(0, lo, owns));
    assert!(!member_may_send_from(0x0a00_0001, lo, owns));
}
