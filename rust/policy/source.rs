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
#[path = "source_tests.rs"]
mod tests;
