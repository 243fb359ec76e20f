// SPDX-License-Identifier: GPL-2.0

//! Shared wildcard ports (`Documentation/design.rst`, mechanism 13): a
//! member's wildcard (or loopback, broadcast, multicast) bind holds a
//! hidden port; LOCAL_IN gives each TCP/UDP packet to a socket of the
//! destination's owner or rejects it; LOCAL_OUT and getsockname() show the
//! port the member asked for. Per-packet paths
//! read `PortTable` and `AddrTable` only, without a lock.

use crate::caller;
use crate::ffi::{BindSock, SockId};
use crate::hooks::proto_of;
use crate::kernel_ext::netfilter::{HookState, Verdict};
use crate::kernel_ext::skb::{PortField, Ports, Quote, Skb};
use crate::kernel_ext::sock::{self, Sock, SockRef, Tuple, L4};
use crate::policy::bindrule::is_loopback;
use crate::policy::demux::{
    self, is_owners, may_deliver, quote_is_public_sockets, steer, tcp_socket, udp_socket, Holder,
    Lookup, QuotedSock, Steer,
};
use crate::policy::loopback;
use crate::policy::ports::{PortTable, Proto, Shared};
use crate::registry::{tag_of, State, CLOSED};
use crate::tags::{PortTags, SockTags};
use core::sync::atomic::Ordering;
use kernel::prelude::*;

impl State {
    /// A member socket `sock` of `slot` binds `port` on an address other
    /// namespaces may bind too (`bindrule::shares_port`): the hidden port
    /// to bind instead. `EADDRINUSE` when no
    /// hidden port is left, `ENOBUFS` when the socket cannot be recorded.
    pub(crate) fn reserve_port(
        &self,
        sock: &BindSock<'_>,
        slot: usize,
        proto: Proto,
        port: u16,
    ) -> Result<u16> {
        let sk = sock.id();
        let want = Shared { slot, proto, port };
        if let Some(held) = self.port_of(sk) {
            if self.ports.shared(held) == Some(want) {
                return Ok(held);
            }
            // An earlier bind of this socket failed: forget its reservation.
            self.port_free(sk);
        }
        let reserved = self.with_reserver(|r| self.ports.reserve(r, want, |h| sock.port_in_use(h)));
        let Ok(hidden) = reserved else {
            let id = self.refused(slot);
            if caller::log_ratelimit() {
                pr_info!(
                    "bind: L3 namespace {}: no hidden port left for port {} (EADDRINUSE)\n",
                    id,
                    port
                );
            }
            return Err(EADDRINUSE);
        };
        if PortTags::set(sk, u32::from(hidden)).is_err() {
            self.ports.release(hidden);
            self.refused(slot);
            if caller::log_ratelimit() {
                pr_warn!("bind: cannot record a hidden port (max_sockets or memory): ENOBUFS\n");
            }
            return Err(ENOBUFS);
        }
        Ok(hidden)
    }

    /// The hidden port `sk` holds, if any.
    fn port_of(&self, sk: SockId) -> Option<u16> {
        PortTags::get(sk).and_then(|h| u16::try_from(h).ok())
    }

    /// Releases the hidden port `sk` holds (socket freed; any context).
    pub(crate) fn port_free(&self, sk: SockId) {
        if let Some(hidden) = PortTags::del(sk).and_then(|h| u16::try_from(h).ok()) {
            self.ports.release(hidden);
        }
    }

    /// The port a member socket of `slot` sees for its local `port`.
    fn shown_port(&self, slot: usize, proto: Option<Proto>, port: u16) -> Option<u16> {
        if !PortTable::is_hidden(port) {
            return None;
        }
        let s = self.ports.shared(port)?;
        (s.slot == slot && proto.is_none_or(|p| p == s.proto)).then_some(s.port)
    }

    /// getsockname(): a member sees the port it bound, not the hidden one.
    pub(crate) fn getname_port(&self, sk: SockId, port: u16) -> u16 {
        self.sock_slot(sk)
            .and_then(|slot| self.shown_port(slot, None, port))
            .unwrap_or(port)
    }

    /// LOCAL_OUT of a socket of member `slot`: the source port to put
    /// back, if the packet leaves from a hidden port.
    pub(crate) fn source_port(&self, slot: usize, proto: Proto, sport: u16) -> Option<u16> {
        self.shown_port(slot, Some(proto), sport)
    }

    /// An ICMP error quotes a packet sent from `saddr:sport`: if a child
    /// owning `saddr` sent it from a hidden port (shown as `sport`), that
    /// hidden port, for the kernel's error lookup to find the socket.
    fn quoted_hidden_port(&self, net: u32, proto: Proto, saddr: u32, sport: u16) -> Option<u16> {
        if !self.table.any_live() {
            return None;
        }
        self.hidden_port(self.owner_of(net, saddr)?, proto, sport)
    }

    /// The namespace owning address `addr` of `net` (`None`: the parent):
    /// a loopback copy by its second octet, any other address by
    /// `AddrTable`.
    fn owner_of(&self, net: u32, addr: u32) -> Option<usize> {
        if is_loopback(addr) {
            loopback::loopback_owner(addr)
        } else {
            self.addr_owner(net, addr)
        }
    }

    /// Is `port` a hidden port held by a child of L2 namespace `net`? (The
    /// table is module-wide; port spaces are per netns.)
    fn hidden_in(&self, net: u32, port: u16) -> bool {
        PortTable::is_hidden(port)
            && self
                .ports
                .shared(port)
                .and_then(|s| self.table.view(s.slot))
                .is_some_and(|ns| ns.parent == net)
    }

    /// The hidden port a member of `slot` holds for `port`, if any.
    pub(crate) fn hidden_port(&self, slot: usize, proto: Proto, port: u16) -> Option<u16> {
        self.ports.hidden(Shared { slot, proto, port })
    }

    /// NF_INET_LOCAL_IN: a TCP/UDP packet goes to a socket of the namespace
    /// owning its destination (for a child: on the port or its hidden
    /// port), never to another's; a child without one answers RST / port
    /// unreachable, as a host with no listener does. An ICMP error quoting
    /// a packet a child sent from a hidden port quotes that port.
    pub(crate) fn local_in(&self, skb: &Skb, state: &HookState) -> Verdict {
        if let Some(q) = skb.icmp_error_quote() {
            let net = state.net().inum();
            if let Some(hidden) = self.quoted_hidden_port(net, proto_of(q.l4), q.saddr, q.sport) {
                if !quote_is_public_sockets(quoted_sock(skb, state, &q), q.saddr) {
                    skb.set_quoted_sport(&q, hidden);
                }
            }
            return Verdict::Accept;
        }
        let Some(ports) = skb.ports() else {
            return Verdict::Accept;
        };
        let input = InPacket { skb, state, ports };
        match self.steer_packet(&input) {
            Steer::Pass => Verdict::Accept,
            Steer::Steered => {
                self.steered.fetch_add(1, Ordering::Relaxed);
                Verdict::Accept
            }
            Steer::Reject => {
                self.rejected.fetch_add(1, Ordering::Relaxed);
                match ports.l4 {
                    L4::Tcp => state.send_reset(skb),
                    L4::Udp => state.send_port_unreachable(skb),
                }
                Verdict::Drop
            }
        }
    }

    fn steer_packet(&self, input: &InPacket<'_>) -> Steer {
        if !self.table.any_live() {
            return Steer::Pass;
        }
        let p: Ports = input.ports;
        let proto = proto_of(p.l4);
        let net = input.state.net().inum();
        let ip = input.skb.ipv4();
        if input.skb.routed_broadcast() {
            if proto == Proto::Udp {
                self.copy_to_children(net, ip.daddr, p.dport, input);
            }
            return Steer::Pass;
        }
        // Hidden ports are reached through the ports they stand for only.
        if self.hidden_in(net, p.dport) {
            return Steer::Reject;
        }
        let owner = self.owner_of(net, ip.daddr);
        let shared = |slot| self.table.shared_loopback(slot);
        if is_loopback(ip.daddr) && !loopback::may_deliver(ip.daddr, ip.saddr, owner, p.syn, shared)
        {
            return Steer::Reject;
        }
        if input.skb.has_sock() {
            return Steer::Pass;
        }
        // The parent's own sockets have no tag and no hidden ports.
        let (tag, hidden) = match owner {
            Some(slot) => (
                tag_of(slot).unwrap_or(0),
                self.hidden_port(slot, proto, p.dport),
            ),
            None => (0, None),
        };
        steer(input.steer(tag, hidden), owner.is_some())
    }

    /// A broadcast/multicast datagram to `dport`: one copy to each child
    /// holding a hidden port for it and entitled to the packet (the subnet
    /// rule of `demux::may_deliver`); the original serves everyone on `dport`.
    fn copy_to_children(&self, net: u32, daddr: u32, dport: u16, input: &InPacket<'_>) {
        for ns in self.table.iter() {
            if ns.parent != net {
                continue;
            }
            let Some(hidden) = self.hidden_port(ns.index, Proto::Udp, dport) else {
                continue;
            };
            let in_subnet = || self.in_subnet(net, ns.index, daddr);
            if may_deliver(daddr, true, None, Some(ns.index), in_subnet) {
                input.copy_to(hidden);
            }
        }
    }
}

/// A TCP/UDP packet at LOCAL_IN, for one hook call.
struct InPacket<'a> {
    skb: &'a Skb,
    state: &'a HookState,
    ports: Ports,
}

/// A socket a lookup found: referenced, or alive for the hook's RCU section.
enum Found<'a> {
    Ref(SockRef),
    Rcu(&'a Sock),
}

impl Found<'_> {
    fn sock(&self) -> &Sock {
        match self {
            Found::Ref(r) => r,
            Found::Rcu(s) => s,
        }
    }
}

/// Whose `sk` is, for steering: a request socket is its listener's, a
/// TIME_WAIT entry nobody's.
fn holder(sk: &Sock) -> Holder {
    let tag = |sk: &Sock| SockTags::get(SockId::of(sk)).unwrap_or(0) & !CLOSED;
    match sk.listener() {
        Some(listener) => Holder::Tagged(tag(listener)),
        None if !sk.is_full() => Holder::TimeWait,
        None => Holder::Tagged(tag(sk)),
    }
}

/// The socket on an ICMP error's quoted source port that matches the
/// quoted packet itself, if any.
fn quoted_sock(skb: &Skb, state: &HookState, q: &Quote) -> QuotedSock {
    let (net, rcu) = (state.net(), state.rcu());
    let t = Tuple {
        saddr: q.daddr,
        sport: q.dport,
        daddr: q.saddr,
        dport: q.sport,
        dif: skb.iif(),
        sdif: skb.sdif(),
    };
    match q.l4 {
        L4::Tcp if sock::tcp_established(net, rcu, &t).is_some() => QuotedSock::TcpConnection,
        L4::Tcp => QuotedSock::Nothing,
        L4::Udp => sock::udp(net, rcu, &t)
            .map_or(QuotedSock::Nothing, |s| QuotedSock::UdpBound(s.rcv_saddr())),
    }
}

impl InPacket<'_> {
    /// Finds the socket of the namespace tagged `owner_tag` (0: the
    /// parent) on the destination port or on `hidden`, and gives the
    /// packet to it, as TPROXY does.
    fn steer(&self, owner_tag: u32, hidden: Option<u16>) -> demux::Found {
        let (net, rcu, skb, p) = (self.state.net(), self.state.rcu(), self.skb, self.ports);
        let ip = skb.ipv4();
        let (dif, sdif) = (skb.iif(), skb.sdif());
        let to = |dport| Tuple {
            saddr: ip.saddr,
            sport: p.sport,
            daddr: ip.daddr,
            dport,
            dif,
            sdif,
        };
        let owners = |s: &Found<'_>| is_owners(holder(s.sock()), owner_tag);
        let found = match p.l4 {
            L4::Tcp => {
                let payload = ip.header_len + p.header_len;
                let connection = |port| {
                    Lookup::judge(
                        sock::tcp_established(net, rcu, &to(port)).map(Found::Ref),
                        owners,
                    )
                };
                let listener = |port| {
                    let l = sock::tcp_listener(net, rcu, Some((skb, payload)), &to(port));
                    Lookup::judge(l.map(Found::Rcu), owners)
                };
                tcp_socket(p.dport, hidden, connection, listener)
            }
            L4::Udp => {
                let lookup =
                    |port| Lookup::judge(sock::udp(net, rcu, &to(port)).map(Found::Rcu), owners);
                udp_socket(lookup(p.dport), hidden.map(|h| move || lookup(h)))
            }
        };
        match found {
            Lookup::Own(s) => {
                let sk = match s {
                    Found::Ref(r) => Some(r),
                    // Being freed: as if it were not there.
                    Found::Rcu(s) => SockRef::get(s),
                };
                match sk {
                    Some(sk) => {
                        skb.assign(sk);
                        demux::Found::Own
                    }
                    None => demux::Found::Nothing,
                }
            }
            Lookup::Foreign => demux::Found::Foreign,
            Lookup::Nothing => demux::Found::Nothing,
        }
    }

    /// Broadcast/multicast UDP: delivers a copy to destination port `port`
    /// (the original keeps its port).
    fn copy_to(&self, port: u16) {
        if self.ports.l4 != L4::Udp {
            return;
        }
        let Some(copy) = self.skb.try_clone() else {
            return;
        };
        // `skb_ensure_writable()` un-shares the header before the rewrite.
        if copy.set_port(PortField::Dest, port) {
            // `ip_local_deliver_finish()`: multicast delivery on the hidden port.
            self.state.continue_with(copy);
        }
    }
}
