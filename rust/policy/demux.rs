// SPDX-License-Identifier: GPL-2.0

//! Which sockets may receive a packet, and which addresses a task may see:
//! the namespace owning the destination
//! address (the parent for addresses no child owns). Broadcast and
//! multicast are left to the stack here, and loopback too: loopback
//! isolation is `loopback::may_deliver`'s job, which callers apply first.

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

/// What the LOCAL_IN socket lookup found for a unicast TCP/UDP packet, on
/// behalf of the namespace owning its destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// A socket of the owner (now assigned to the packet).
    Own,
    /// Only a socket of another namespace (or of the parent).
    Foreign,
    /// No socket at all.
    Nothing,
}

/// What LOCAL_IN does with a unicast TCP/UDP packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Steer {
    /// Leave it to the stack.
    Pass,
    /// It goes to the child's socket found for it.
    Steered,
    /// Drop it with a TCP RST / ICMP port unreachable.
    Reject,
}

/// The verdict for a packet whose destination a child owns (`child_owner`)
/// or the parent owns: never another namespace's socket; a child without
/// a socket answers as a host without a listener; the stack answers for
/// the parent.
pub fn steer(found: Found, child_owner: bool) -> Steer {
    match (found, child_owner) {
        (Found::Own, true) => Steer::Steered,
        (Found::Own, false) | (Found::Nothing, false) => Steer::Pass,
        (Found::Foreign, _) | (Found::Nothing, true) => Steer::Reject,
    }
}

/// May a task of namespace `viewer` (`None`: the parent) see local address
/// `addr` owned by `owner` in `ip addr` / `ifconfig`? Members see their own
/// addresses and loopback; the parent sees what no child owns.
pub fn may_see(addr: u32, owner: Option<usize>, viewer: Option<usize>) -> bool {
    owner == viewer || (viewer.is_some() && is_loopback(addr))
}

/// Whose a socket found for a packet is, as steering judges it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    /// A full socket, or a request socket (by its listener), carrying the
    /// namespace tag `tag` (its closed bit cleared; 0: the parent's).
    Tagged(u32),
    /// A TIME_WAIT entry: it only answers for a connection that has ended,
    /// and has no owner left.
    TimeWait,
}

/// Is a socket held by `holder` the owner's (`owner_tag`, 0: the parent)?
/// A TIME_WAIT entry counts as the owner's: its local address is the
/// destination, so it was the owner's connection.
pub fn is_owners(holder: Holder, owner_tag: u32) -> bool {
    match holder {
        Holder::Tagged(tag) => tag == owner_tag,
        Holder::TimeWait => true,
    }
}

/// One socket lookup for a packet, judged for the destination's owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup<S> {
    /// The owner's socket `S`.
    Own(S),
    /// Only another namespace's socket.
    Foreign,
    /// No socket.
    Nothing,
}

impl<S> Lookup<S> {
    /// A lookup result: `owners` tells whether the socket is the owner's.
    pub fn judge(sock: Option<S>, owners: impl FnOnce(&S) -> bool) -> Self {
        match sock {
            Some(s) if owners(&s) => Lookup::Own(s),
            Some(_) => Lookup::Foreign,
            None => Lookup::Nothing,
        }
    }
}

/// TCP: the owner's socket for a packet to `dport`, whose owner holds
/// `hidden` for it. On the port, then on the hidden port: the exact
/// connection first (another namespace's connection there settles that
/// port), then a listener, whichever one its reuseport group picked. No
/// port is tried after a zero one.
pub fn tcp_socket<S>(
    dport: u16,
    hidden: Option<u16>,
    mut connection: impl FnMut(u16) -> Lookup<S>,
    mut listener: impl FnMut(u16) -> Lookup<S>,
) -> Lookup<S> {
    let mut found = Lookup::Nothing;
    let ports = [Some(dport), hidden]
        .into_iter()
        .map_while(|p| p.filter(|&p| p != 0));
    for port in ports {
        match connection(port) {
            Lookup::Own(s) => return Lookup::Own(s),
            Lookup::Foreign => {
                found = Lookup::Foreign;
                continue;
            }
            Lookup::Nothing => {}
        }
        match listener(port) {
            Lookup::Own(s) => return Lookup::Own(s),
            Lookup::Foreign => found = Lookup::Foreign,
            Lookup::Nothing => {}
        }
    }
    found
}

/// UDP: the owner's socket for a packet, from the lookup on its
/// destination port and, if the owner holds a hidden port for it, the
/// lookup there (made only when the port has none of the owner's).
pub fn udp_socket<S>(
    on_port: Lookup<S>,
    on_hidden: Option<impl FnOnce() -> Lookup<S>>,
) -> Lookup<S> {
    if let Lookup::Own(s) = on_port {
        return Lookup::Own(s);
    }
    if let Some(lookup) = on_hidden {
        match lookup() {
            Lookup::Nothing => {}
            found => return found,
        }
    }
    on_port
}

/// What the lookup of the socket on a quoted packet's own source port
/// found (an ICMP error quoting a packet sent from a public port that
/// stands for a hidden one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuotedSock {
    /// A TCP connection of that exact quoted packet.
    TcpConnection,
    /// A UDP socket bound to this local address (host order).
    UdpBound(u32),
    /// None.
    Nothing,
}

/// Does a socket on the quoted public port itself match the quoted packet
/// from `quoted_saddr` (an accepted connection on the public port, a
/// specific-address bind)? Then the error is its, and the quote stays.
pub fn quote_is_public_sockets(found: QuotedSock, quoted_saddr: u32) -> bool {
    match found {
        QuotedSock::TcpConnection => true,
        QuotedSock::UdpBound(addr) => addr == quoted_saddr,
        QuotedSock::Nothing => false,
    }
}

/// LOCAL_OUT: is a packet's socket judged by the sending rules? Full user
/// sockets are; kernel sockets (TCP's control socket answering for any
/// address with a reset) and request/TIME_WAIT entries are not.
pub fn sender_judged(full: bool, kernel: bool) -> bool {
    full && !kernel
}

#[cfg(test)]
#[path = "demux_tests.rs"]
mod tests;
