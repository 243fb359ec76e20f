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

struct Path(&'static [&'static [u8]], bool);

impl OpenedPath for Path {
    fn depth(&self) -> usize {
        self.0.len()
    }
    fn component(&self, depth: usize) -> Option<&[u8]> {
        self.0.get(depth.checked_sub(1)?).copied()
    }
    fn is_own_file(&self) -> bool {
        self.1
    }
}

#[test]
fn open_kinds() {
    use fs_magic::*;
    let sysctl = Path(&[b"sys", b"net", b"ipv4", b"ip_forward"], false);
    assert_eq!(open_kind(PROC, &sysctl), OpenKind::Sysctl);
    assert_eq!(
        open_kind(PROC, &Path(&[b"self", b"attr"], false)),
        OpenKind::Other
    );
    assert_eq!(
        open_kind(DEBUGFS, &Path(&[b"net_ns", b"start"], true)),
        OpenKind::Own
    );
    let kprobes = Path(&[b"kprobes", b"enabled"], false);
    assert_eq!(open_kind(DEBUGFS, &kprobes), OpenKind::Tracing);
    assert_eq!(
        open_kind(TRACEFS, &Path(&[b"trace"], false)),
        OpenKind::Tracing
    );
    let param = Path(&[b"module", b"l3ns", b"parameters", b"max_tasks"], false);
    assert_eq!(open_kind(SYSFS, &param), OpenKind::ModParam);
    let not_param = Path(&[b"module", b"l3ns", b"refcnt"], false);
    assert_eq!(open_kind(SYSFS, &not_param), OpenKind::Other);
    let deeper = Path(&[b"module", b"l3ns", b"parameters", b"x", b"y"], false);
    assert_eq!(open_kind(SYSFS, &deeper), OpenKind::Other);
    // The same path on another filesystem is not guarded.
    assert_eq!(open_kind(0xef53, &sysctl), OpenKind::Other);
}

/// A user namespace tree for the capability walk: index into `TREE`.
#[derive(Clone, Copy, Debug)]
struct Ns(usize);

/// (parent, level, owner euid): 0 is the initial namespace; 1 (created by
/// uid 1000) and 3 (by uid 0) are its children; 2 (by uid 2000) is 1's.
const TREE: [(Option<usize>, i32, u32); 4] = [
    (None, 0, 0),
    (Some(0), 1, 1000),
    (Some(1), 2, 2000),
    (Some(0), 1, 0),
];

impl UserNs for Ns {
    fn same(&self, other: &Self) -> bool {
        self.0 == other.0
    }
    fn level(&self) -> i32 {
        TREE[self.0].1
    }
    fn parent(&self) -> Option<Self> {
        TREE[self.0].0.map(Ns)
    }
    fn owner(&self) -> u32 {
        TREE[self.0].2
    }
}

fn creds(ns: usize, euid: u32, effective: bool) -> Creds<Ns> {
    Creds {
        user_ns: Ns(ns),
        euid,
        effective,
    }
}

#[test]
fn capability_in_own_namespace_is_the_effective_set() {
    assert!(holds_capability(&creds(0, 0, true), Ns(0)));
    assert!(!holds_capability(&creds(0, 0, false), Ns(0)));
    assert!(holds_capability(&creds(1, 1000, true), Ns(1)));
    assert!(!holds_capability(&creds(1, 1000, false), Ns(1)));
}

#[test]
fn capability_flows_down_not_up() {
    // Root of the initial namespace holds it in every namespace below.
    assert!(holds_capability(&creds(0, 0, true), Ns(2)));
    assert!(holds_capability(&creds(0, 0, true), Ns(3)));
    // From inside a child, never in its parent or a sibling.
    assert!(!holds_capability(&creds(1, 1000, true), Ns(0)));
    assert!(!holds_capability(&creds(1, 1000, true), Ns(3)));
    assert!(!holds_capability(&creds(2, 2000, true), Ns(1)));
    // Below its own namespace, with the capability: yes.
    assert!(holds_capability(&creds(1, 0, true), Ns(2)));
}

#[test]
fn creator_of_a_child_namespace_holds_everything_in_it() {
    // uid 1000 created namespace 1 from the initial one: every capability
    // there and below, even without it in its own effective set.
    assert!(holds_capability(&creds(0, 1000, false), Ns(1)));
    assert!(holds_capability(&creds(0, 1000, false), Ns(2)));
    // Another uid of the initial namespace, without the capability: no.
    assert!(!holds_capability(&creds(0, 1001, false), Ns(1)));
    // uid 2000 created 2 inside 1, not inside the initial namespace.
    assert!(!holds_capability(&creds(0, 2000, false), Ns(2)));
    assert!(holds_capability(&creds(1, 2000, false), Ns(2)));
    // Root's namespace 3 belongs to uid 0 of the initial namespace.
    assert!(holds_capability(&creds(0, 0, false), Ns(3)));
}
