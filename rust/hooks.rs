// SPDX-License-Identifier: GPL-2.0

//! The per-packet netfilter callback (safe Rust; reached through
//! `ffi::callbacks`). Nothing here takes a lock.

use crate::ffi::{InPacket, NetCounters, SockId};
use crate::policy::ports::Proto;
use crate::registry::State;
use core::sync::atomic::Ordering;

/// The netfilter hook a packet is at.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Hook {
    /// `NF_INET_PRE_ROUTING`: received, before the routing decision.
    PreRouting,
    /// `NF_INET_LOCAL_IN`: received for this host, after routing.
    LocalIn,
    /// `NF_INET_LOCAL_OUT`: sent by a local socket.
    LocalOut,
    /// A hook l3ns does not register.
    Other,
}

impl Hook {
    /// From `enum nf_inet_hooks`.
    pub(crate) fn from_raw(hook: u8) -> Self {
        match hook {
            0 => Hook::PreRouting,
            1 => Hook::LocalIn,
            3 => Hook::LocalOut,
            _ => Hook::Other,
        }
    }
}

/// The TCP/UDP part of a packet.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ports {
    /// TCP or UDP.
    pub(crate) proto: Proto,
    /// Source port.
    pub(crate) sport: u16,
    /// Destination port.
    pub(crate) dport: u16,
    /// TCP SYN without ACK.
    pub(crate) syn: bool,
}

/// What a hook sees of an IPv4 packet.
pub(crate) struct Packet<'a> {
    /// Where the packet is.
    pub(crate) hook: Hook,
    /// LOCAL_OUT: the full user socket that sent it.
    pub(crate) sk: Option<SockId>,
    /// Inode of the netns the hook runs in.
    pub(crate) net: u32,
    /// Source address (host byte order).
    pub(crate) saddr: u32,
    /// Destination address (host byte order).
    pub(crate) daddr: u32,
    /// Ports (LOCAL_IN; LOCAL_OUT for member sockets), if TCP or UDP.
    pub(crate) ports: Option<Ports>,
    /// LOCAL_IN: routed as broadcast or multicast.
    pub(crate) bcast: bool,
    /// LOCAL_IN: the steering primitives for this packet.
    pub(crate) input: Option<InPacket<'a>>,
}

/// A netfilter verdict.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Verdict {
    /// Let the packet go on.
    Accept,
    /// Let it go on with this TCP/UDP source port (a hidden port mapped back).
    AcceptFromPort(u16),
    /// Drop it.
    Drop,
    /// LOCAL_IN: drop it and answer with a TCP RST / ICMP port unreachable.
    Reject,
}

/// Called for every IPv4 packet at PRE_ROUTING, LOCAL_IN and LOCAL_OUT.
pub(crate) fn nf_hook(state: &State, pkt: &mut Packet<'_>, net: &NetCounters<'_>) -> Verdict {
    match pkt.hook {
        Hook::PreRouting => {
            net.pre_routing.fetch_add(1, Ordering::Relaxed);
            state.count_rx(pkt.net, pkt.daddr);
        }
        Hook::LocalIn => return state.local_in(pkt),
        Hook::LocalOut => {
            net.local_out.fetch_add(1, Ordering::Relaxed);
            // The backstop: a source the sending socket may not use.
            if let Some(sk) = pkt.sk {
                // One tag lookup per packet serves both checks.
                let member = state.sock_slot(sk);
                if !state.local_out(member, pkt.net, pkt.saddr) {
                    return Verdict::Drop;
                }
                if let Some(port) = member.and_then(|slot| state.source_port(slot, pkt.ports)) {
                    return Verdict::AcceptFromPort(port);
                }
            }
        }
        Hook::Other => {}
    }
    Verdict::Accept
}
