// SPDX-License-Identifier: GPL-2.0

//! The per-packet netfilter callback (safe Rust; reached through
//! `ffi::callbacks`). Nothing here takes a lock.

use crate::ffi::{NetCounters, SockId};
use crate::registry::State;
use core::sync::atomic::Ordering;

/// The netfilter hook a packet is at.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Hook {
    /// `NF_INET_PRE_ROUTING`: received, before the routing decision.
    PreRouting,
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
            3 => Hook::LocalOut,
            _ => Hook::Other,
        }
    }
}

/// What a hook sees of an IPv4 packet.
pub(crate) struct Packet {
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
}

/// A netfilter verdict.
pub(crate) enum Verdict {
    /// Let the packet go on.
    Accept,
    /// Drop it.
    Drop,
}

/// Called for every IPv4 packet at PRE_ROUTING and LOCAL_OUT.
pub(crate) fn nf_hook(state: &State, pkt: &Packet, net: &NetCounters<'_>) -> Verdict {
    match pkt.hook {
        Hook::PreRouting => {
            net.pre_routing.fetch_add(1, Ordering::Relaxed);
            state.count_rx(pkt.net, pkt.daddr);
        }
        Hook::LocalOut => {
            net.local_out.fetch_add(1, Ordering::Relaxed);
            // The backstop: a source the sending socket may not use.
            if let Some(sk) = pkt.sk {
                if !state.local_out(sk, pkt.net, pkt.saddr) {
                    return Verdict::Drop;
                }
            }
        }
        Hook::Other => {}
    }
    Verdict::Accept
}
