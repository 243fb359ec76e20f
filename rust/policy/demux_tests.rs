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

#[test]
fn the_owner_is_judged_by_tag_and_time_wait_is_nobodys() {
    assert!(is_owners(Holder::Tagged(0), 0), "the parent's socket");
    assert!(is_owners(Holder::Tagged(4), 4));
    assert!(
        !is_owners(Holder::Tagged(4), 0),
        "a child's socket, the parent's address"
    );
    assert!(
        !is_owners(Holder::Tagged(0), 4),
        "the parent's socket, a child's address"
    );
    assert!(!is_owners(Holder::Tagged(5), 4), "a sibling's");
    assert!(is_owners(Holder::TimeWait, 4) && is_owners(Holder::TimeWait, 0));
    assert_eq!(Lookup::judge(Some(7), |&s| s == 7), Lookup::Own(7));
    assert_eq!(Lookup::judge(Some(8), |&s| s == 7), Lookup::Foreign);
    assert_eq!(
        Lookup::judge(None::<u8>, |_| panic!("nothing to judge")),
        Lookup::Nothing
    );
}

/// A fake TCP table: (port, lookup) answers, recording the order asked.
fn tcp(
    dport: u16,
    hidden: Option<u16>,
    conns: &[(u16, Lookup<u8>)],
    listeners: &[(u16, Lookup<u8>)],
) -> (Lookup<u8>, [(char, u16); 4]) {
    let asked = core::cell::RefCell::new(([('-', 0u16); 4], 0usize));
    let ask = |kind, table: &[(u16, Lookup<u8>)], port| {
        let mut a = asked.borrow_mut();
        let n = a.1;
        a.0[n] = (kind, port);
        a.1 += 1;
        table
            .iter()
            .find(|(p, _)| *p == port)
            .map_or(Lookup::Nothing, |&(_, l)| l)
    };
    let r = tcp_socket(
        dport,
        hidden,
        |p| ask('c', conns, p),
        |p| ask('l', listeners, p),
    );
    let order = asked.borrow().0;
    (r, order)
}

#[test]
fn tcp_tries_the_connection_then_the_listener_on_the_port_then_the_hidden_port() {
    let (r, order) = tcp(80, Some(40001), &[], &[(40001, Lookup::Own(2))]);
    assert_eq!(r, Lookup::Own(2));
    assert_eq!(order, [('c', 80), ('l', 80), ('c', 40001), ('l', 40001)]);
    let (r, order) = tcp(80, Some(40001), &[(80, Lookup::Own(1))], &[]);
    assert_eq!(
        (r, order[1]),
        (Lookup::Own(1), ('-', 0)),
        "the connection wins at once"
    );
}

#[test]
fn tcp_a_foreign_connection_settles_its_port_but_not_the_hidden_one() {
    let (r, order) = tcp(
        80,
        Some(40001),
        &[(80, Lookup::Foreign)],
        &[(80, Lookup::Own(3))],
    );
    assert_eq!(r, Lookup::Foreign, "the listener on 80 not asked");
    assert_eq!(order[1], ('c', 40001));
    let (r, _) = tcp(
        80,
        Some(40001),
        &[(80, Lookup::Foreign)],
        &[(40001, Lookup::Own(3))],
    );
    assert_eq!(r, Lookup::Own(3));
    let (r, _) = tcp(80, None, &[], &[(80, Lookup::Foreign)]);
    assert_eq!(r, Lookup::Foreign);
    let (r, _) = tcp(80, None, &[], &[]);
    assert_eq!(r, Lookup::Nothing);
}

#[test]
fn tcp_port_zero_is_never_looked_up() {
    let (r, order) = tcp(0, Some(40001), &[], &[(40001, Lookup::Own(3))]);
    assert_eq!((r, order[0]), (Lookup::Nothing, ('-', 0)));
    let (_, order) = tcp(80, Some(0), &[], &[]);
    assert_eq!(order[2], ('-', 0));
}

#[test]
fn udp_takes_the_owners_socket_on_the_port_or_else_on_the_hidden_port() {
    let never = None::<fn() -> Lookup<u8>>;
    assert_eq!(
        udp_socket(Lookup::Own(1), Some(|| -> Lookup<u8> { panic!("asked") })),
        Lookup::Own(1)
    );
    assert_eq!(
        udp_socket(Lookup::Foreign, Some(|| Lookup::Own(2))),
        Lookup::Own(2)
    );
    assert_eq!(
        udp_socket(Lookup::Nothing, Some(|| Lookup::Foreign)),
        Lookup::<u8>::Foreign
    );
    assert_eq!(
        udp_socket(Lookup::Foreign, Some(|| Lookup::Nothing)),
        Lookup::<u8>::Foreign
    );
    assert_eq!(
        udp_socket(Lookup::Nothing, Some(|| Lookup::Nothing)),
        Lookup::<u8>::Nothing
    );
    assert_eq!(udp_socket(Lookup::<u8>::Foreign, never), Lookup::Foreign);
}

#[test]
fn a_quote_belongs_to_the_public_socket_only_when_it_matches() {
    let child = 0x0a00_0002;
    assert!(quote_is_public_sockets(QuotedSock::TcpConnection, child));
    assert!(quote_is_public_sockets(QuotedSock::UdpBound(child), child));
    assert!(
        !quote_is_public_sockets(QuotedSock::UdpBound(0), child),
        "a wildcard bind"
    );
    assert!(!quote_is_public_sockets(QuotedSock::Nothing, child));
}

#[test]
fn only_full_user_sockets_are_judged_at_local_out() {
    assert!(sender_judged(true, false));
    assert!(!sender_judged(true, true), "kernel socket");
    assert!(!sender_judged(false, false), "request or TIME_WAIT");
}
