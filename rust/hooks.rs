// SPDX-License-Identifier: GPL-2.0

//! The netfilter hooks (`Documentation/design.rst`, mechanisms 9, 10 and
//! 13): `State` is the [`netfilter::Handler`] of IPv4 PRE_ROUTING,
//! LOCAL_OUT and LOCAL_IN in every network namespace. Safe Rust; nothing
//! here takes a lock or allocates.

use crate::ffi::SockId;
use crate::kernel_ext::netfilter::{
    self, priority, Hook, HookOps, HookState, Net, NetDataId, Verdict,
};
use crate::kernel_ext::skb::{PortField, Skb};
use crate::kernel_ext::sock::L4;
use crate::policy::demux::sender_judged;
use crate::policy::ports::Proto;
use crate::registry::State;
use core::sync::atomic::{AtomicU64, Ordering};

/// Per network namespace counters (`info`), updated atomically.
pub(crate) struct NetCounters {
    /// IPv4 packets seen at PRE_ROUTING.
    pub(crate) pre_routing: AtomicU64,
    /// IPv4 packets seen at LOCAL_OUT.
    pub(crate) local_out: AtomicU64,
}

/// Where the hooks sit.
pub(crate) const HOOKS: [HookOps; 3] = [
    HookOps {
        hook: Hook::PreRouting,
        priority: priority::MANGLE + 1,
    },
    // Before raw and conntrack: a hidden source port is put back to the
    // public one first, so every table and conntrack see the port that goes
    // on the wire (and replies match it).
    HookOps {
        hook: Hook::LocalOut,
        priority: priority::RAW - 1,
    },
    // Steering: after the filter and security tables (their verdicts come
    // first), before conntrack confirmation.
    HookOps {
        hook: Hook::LocalIn,
        priority: priority::SECURITY + 1,
    },
];

/// The netfilter registration of the module.
pub(crate) type Hooks = netfilter::Registration<State, 3>;

/// The policy's name for a transport protocol.
pub(crate) fn proto_of(l4: L4) -> Proto {
    match l4 {
        L4::Tcp => Proto::Tcp,
        L4::Udp => Proto::Udp,
    }
}

impl netfilter::Handler for State {
    type NetData = NetCounters;

    fn net_data_id(&self) -> &NetDataId<NetCounters> {
        &self.net_counters
    }

    fn hook(&self, skb: &Skb, state: &HookState, counters: &NetCounters) -> Verdict {
        match state.hook() {
            Some(Hook::PreRouting) => {
                counters.pre_routing.fetch_add(1, Ordering::Relaxed);
                self.count_rx(state.net().inum(), skb.ipv4().daddr);
                Verdict::Accept
            }
            Some(Hook::LocalIn) => self.local_in(skb, state),
            Some(Hook::LocalOut) => {
                counters.local_out.fetch_add(1, Ordering::Relaxed);
                self.local_out_packet(skb, state.net())
            }
            None => Verdict::Accept,
        }
    }

    fn net_exit(&self, net: &Net) {
        self.net_exit(net.inum());
    }
}

impl State {
    /// LOCAL_OUT, the backstop: a source the sending socket may not use is
    /// dropped; a member's packet from a hidden port leaves from the port
    /// the member asked for.
    fn local_out_packet(&self, skb: &Skb, net: &Net) -> Verdict {
        let Some(sk) = skb.sock().and_then(|sk| sk.full()) else {
            return Verdict::Accept;
        };
        if !sender_judged(sk.is_full(), sk.is_kernel()) {
            return Verdict::Accept;
        }
        // One tag lookup per packet serves both checks.
        let member = self.sock_slot(SockId::of(sk));
        if !self.local_out(member, net.inum(), skb.ipv4().saddr) {
            return Verdict::Drop;
        }
        let Some(slot) = member else {
            return Verdict::Accept;
        };
        let Some(p) = skb.ports() else {
            return Verdict::Accept;
        };
        match self.source_port(slot, proto_of(p.l4), p.sport) {
            Some(port) if !skb.set_port(PortField::Source, port) => Verdict::Drop,
            _ => Verdict::Accept,
        }
    }
}
