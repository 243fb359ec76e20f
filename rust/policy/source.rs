// SPDX-License-Identifier: GPL-2.0

//! Which source address an unbound socket's traffic uses.
//!
//! A member socket uses an address its namespace owns: 127.0.0.1 for
//! loopback destinations, else the owned address in the subnet of the
//! route's next hop, else the oldest one it was given; with none it may
//! only talk to loopback. A parent socket never uses an address a child
//! owns. A source the caller chose explicitly is left alone here: what a
//! socket may send from is enforced per packet (`may_send_from`).

use super::bindrule::{is_loopback, Owned};

/// `127.0.0.1`.
pub const INADDR_LOOPBACK: u32 = 0x7f00_0001;

/// A route lookup made for a socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flow {
    /// Destination (host byte order).
    pub daddr: u32,
    /// Source in the lookup: 0, the caller's explicit choice, or the FIB's
    /// pre-filled choice.
    pub saddr: u32,
    /// `saddr` was pre-filled by the FIB, not chosen by the caller.
    pub prefilled: bool,
    /// The route's next hop: its gateway, or `daddr` when directly
    /// connected.
    pub nexthop: u32,
}

impl Flow {
    /// Whether the caller chose the source itself (bind, IP_PKTINFO, ...).
    pub fn explicit_source(&self) -> bool {
        self.saddr != 0 && !self.prefilled
    }
}

/// What to do with the lookup's source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceChoice {
    /// Leave it as it is.
    Keep,
    /// Use this address.
    Use(u32),
    /// No usable source: the connect/send fails with `EADDRNOTAVAIL`.
    Refuse,
}

/// The preferred address among `candidates` (address, age): the oldest in
/// the next hop's subnet, else the oldest of all.
fn pick(nexthop: u32, candidates: impl Iterator<Item = (Owned, u32)> + Clone) -> Option<u32> {
    let on_subnet = candidates
        .clone()
        .filter(|(o, _)| o.same_subnet(nexthop))
        .min_by_key(|(_, age)| *age);
    on_subnet
        .or_else(|| candidates.min_by_key(|(_, age)| *age))
        .map(|(o, _)| o.addr)
}

/// The source for a member socket whose namespace owns `own` (with ages)
/// and whose loopback address is `own_loopback` (its private 127.0.0.1).
pub fn member_source(
    flow: &Flow,
    own_loopback: u32,
    own: impl Iterator<Item = (Owned, u32)> + Clone,
) -> SourceChoice {
    if flow.explicit_source() {
        return SourceChoice::Keep;
    }
    if flow.daddr == 0 || is_loopback(flow.daddr) {
        return SourceChoice::Use(own_loopback);
    }
    match pick(flow.nexthop, own) {
        Some(a) => SourceChoice::Use(a),
        None => SourceChoice::Refuse,
    }
}

/// The source for a parent socket: `device` lists the route's device
/// addresses (position = age), `owned_by_child` tells which a child owns.
pub fn parent_source(
    flow: &Flow,
    device: impl Iterator<Item = Owned> + Clone,
    owned_by_child: impl Fn(u32) -> bool + Clone,
) -> SourceChoice {
    if flow.explicit_source() || (flow.saddr != 0 && !owned_by_child(flow.saddr)) {
        return SourceChoice::Keep;
    }
    let mine = owned_by_child.clone();
    let free = device
        .clone()
        .enumerate()
        .filter(move |(_, o)| !mine(o.addr))
        .map(|(i, o)| (o, i as u32));
    match pick(flow.nexthop, free) {
        Some(a) => SourceChoice::Use(a),
        // Every address of the device is a child's: nothing to send from.
        None if device.clone().any(|o| owned_by_child(o.addr)) => SourceChoice::Refuse,
        None if flow.saddr != 0 => SourceChoice::Refuse,
        None => SourceChoice::Keep,
    }
}

/// May a member socket send a packet from `saddr`? (LOCAL_OUT backstop.)
/// `own_loopback` tells whether a loopback address is the member's own copy.
pub fn member_may_send_from(
    saddr: u32,
    own_loopback: impl Fn(u32) -> bool,
    owns: impl Fn(u32) -> bool,
) -> bool {
    if is_loopback(saddr) {
        return own_loopback(saddr);
    }
    saddr == 0 || owns(saddr)
}

#[cfg(test)]
mod tests {
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
}
