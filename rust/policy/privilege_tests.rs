// SPDX-License-Identifier: GPL-2.0

//! Host tests of `privilege.rs` (kept apart: the kernel module compiles
//! the policy files, never these).

use super::*;

#[test]
fn members_lose_net_and_sys_admin_and_packet_sockets() {
    assert!(!member_may_use_cap(CAP_NET_ADMIN));
    assert!(!member_may_use_cap(CAP_SYS_ADMIN));
    assert!(!member_may_use_cap(CAP_SYS_MODULE));
    assert!(
        member_may_use_cap(13),
        "CAP_NET_RAW stays: ping and raw sockets"
    );
    assert!(
        member_may_use_cap(10),
        "CAP_NET_BIND_SERVICE stays: port 80"
    );
    assert_eq!(member_socket(AF_PACKET, 3, 0), SocketVerdict::Family);
    for (family, kind, proto) in [
        (2, 1, 0),
        (10, 1, 6),
        (2, 2, 0),
        (2, 2, 17),
        (2, 2, 1),
        (10, 2, 0),
        (2, 3, 255),
        (1, 1, 0),
        (1, 5, 0),
    ] {
        assert_eq!(
            member_socket(family, kind, proto),
            SocketVerdict::Allow,
            "{family} {kind} {proto}"
        );
    }
    assert_eq!(
        member_socket(2, 1 | 0o4000 | 0o2000000, 0),
        SocketVerdict::Allow,
        "SOCK_NONBLOCK | SOCK_CLOEXEC"
    );
    // No IPv6 for members: raw IPv6, ICMPv6 (ping6).
    for (family, kind, proto) in [(10, 3, 58), (10, 3, 255), (10, 2, 58), (10, 3 | 0o4000, 0)] {
        assert_eq!(
            member_socket(family, kind, proto),
            SocketVerdict::NoIpv6,
            "{family} {kind} {proto}"
        );
    }
    // SCTP (stream and seqpacket), MPTCP, UDP-Lite, DCCP.
    for (family, kind, proto) in [
        (2, 1, 132),
        (10, 5, 132),
        (2, 1, 262),
        (2, 2, 136),
        (10, 6, 33),
    ] {
        assert_eq!(
            member_socket(family, kind, proto),
            SocketVerdict::Protocol,
            "{family} {kind} {proto}"
        );
    }
}

#[test]
fn members_write_no_guarded_file() {
    assert!(member_may_open_for_write(OpenKind::Other));
    assert!(member_may_open_for_write(OpenKind::Own));
    for kind in [OpenKind::Sysctl, OpenKind::Tracing, OpenKind::ModParam] {
        assert!(!member_may_open_for_write(kind), "{kind:?}");
    }
}

#[test]
fn unknown_open_kinds_are_guarded() {
    assert_eq!(OpenKind::from_raw(0), OpenKind::Other);
    assert_eq!(OpenKind::from_raw(1), OpenKind::Own);
    assert_eq!(OpenKind::from_raw(2), OpenKind::Sysctl);
    assert_eq!(OpenKind::from_raw(3), OpenKind::Tracing);
    assert_eq!(OpenKind::from_raw(4), OpenKind::ModParam);
    assert_eq!(OpenKind::from_raw(99), OpenKind::Tracing);
}
