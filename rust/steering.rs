// SPDX-License-Identifier: GPL-2.0

//! Shared wildcard ports (`Documentation/design.rst`, mechanism 13): a
//! member's wildcard (or loopback, broadcast, multicast) bind holds a
//! hidden port; LOCAL_IN gives each TCP/UDP packet to a socket of the
//! destination's owner or rejects it; LOCAL_OUT and getsockname() show the
//! port the member asked for. Per-packet paths
//! read `PortTable` and `AddrTable` only, without a lock.

use crate::caller;
use crate::ffi::{BindSock, InPacket, SockId};
use crate::hooks::{Packet, Ports, Verdict};
use crate::policy::bindrule::is_loopback;
use crate::policy::demux::{may_deliver, steer, Steer};
use crate::policy::loopback;
use crate::policy::ports::{PortTable, Proto, Shared};
use crate::registry::{tag_of, State};
use crate::tags::PortTags;
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
    pub(crate) fn source_port(&self, slot: usize, ports: Option<Ports>) -> Option<u16> {
        let p = ports?;
        self.shown_port(slot, Some(p.proto), p.sport)
    }

    /// An ICMP error quotes a packet sent from `saddr:sport`: if a child
    /// owning `saddr` sent it from a hidden port (shown as `sport`), that
    /// hidden port, for the kernel's error lookup to find the socket.
    pub(crate) fn quoted_hidden_port(
        &self,
        net: u32,
        proto: Proto,
        saddr: u32,
        sport: u16,
    ) -> Option<u16> {
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
    /// unreachable, as a host with no listener does.
    pub(crate) fn local_in(&self, pkt: &mut Packet<'_>) -> Verdict {
        match self.steer_packet(pkt) {
            Steer::Pass => Verdict::Accept,
            Steer::Steered => {
                self.steered.fetch_add(1, Ordering::Relaxed);
                Verdict::Accept
            }
            Steer::Reject => {
                self.rejected.fetch_add(1, Ordering::Relaxed);
                Verdict::Reject
            }
        }
    }

    fn steer_packet(&self, pkt: &mut Packet<'_>) -> Steer {
        let (Some(p), Some(input)) = (pkt.ports, pkt.input.as_mut()) else {
            return Steer::Pass;
        };
        if !self.table.any_live() {
            return Steer::Pass;
        }
        if pkt.bcast {
            if p.proto == Proto::Udp {
                self.copy_to_children(pkt.net, pkt.daddr, p.dport, input);
            }
            return Steer::Pass;
        }
        // Hidden ports are reached through the ports they stand for only.
        if self.hidden_in(pkt.net, p.dport) {
            return Steer::Reject;
        }
        let owner = self.owner_of(pkt.net, pkt.daddr);
        let shared = |slot| self.table.shared_loopback(slot);
        if is_loopback(pkt.daddr)
            && !loopback::may_deliver(pkt.daddr, pkt.saddr, owner, p.syn, shared)
        {
            return Steer::Reject;
        }
        if input.has_sock() {
            return Steer::Pass;
        }
        // The parent's own sockets have no tag and no hidden ports.
        let (tag, hidden) = match owner {
            Some(slot) => (
                tag_of(slot).unwrap_or(0),
                self.hidden_port(slot, p.proto, p.dport),
            ),
            None => (0, None),
        };
        steer(input.steer(tag, hidden), owner.is_some())
    }

    /// A broadcast/multicast datagram to `dport`: one copy to each child
    /// holding a hidden port for it and entitled to the packet (the subnet
    /// rule of `demux::may_deliver`); the original serves everyone on `dport`.
    fn copy_to_children(&self, net: u32, daddr: u32, dport: u16, input: &mut InPacket<'_>) {
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
