// SPDX-License-Identifier: GPL-2.0

//! Source addresses, the LOCAL_OUT backstop and incoming demux
//! (`Documentation/design.rst`, mechanisms 9 and 10). Everything here runs
//! on per-packet or per-send paths, in any context: tag and `AddrTable`
//! lookups only, no lock.

use crate::caller;
use crate::ffi::{self, SockId};
use crate::policy::addrtable::AddrKey;
use crate::policy::bindrule::{is_loopback, Owned};
use crate::policy::demux::{may_deliver, may_see};
use crate::policy::loopback;
use crate::policy::parse::Dotted;
use crate::policy::source::{
    member_may_send_from, member_source, parent_source, Flow, SourceChoice,
};
use crate::registry::State;
use crate::tags::SockTags;
use core::sync::atomic::Ordering;
use kernel::prelude::*;

impl State {
    /// The slot of the child owning `addr` in `net`, if any.
    pub(crate) fn addr_owner(&self, net: u32, addr: u32) -> Option<usize> {
        self.addrs
            .lookup(AddrKey { net, addr })
            .map(|o| usize::from(o.slot))
            // An ended namespace's addresses are the parent's at once, even
            // before the reaper has removed them from the table.
            .filter(|&slot| self.table.is_live(slot))
    }

    /// Whether some child namespace owns `addr` in `net`.
    pub(crate) fn child_owns(&self, net: u32, addr: u32) -> bool {
        self.addr_owner(net, addr).is_some()
    }

    /// Does the child in `slot` own an address whose subnet broadcast is
    /// `daddr`? (Asked for broadcast packets only.)
    pub(crate) fn in_subnet(&self, net: u32, slot: usize, daddr: u32) -> bool {
        self.with_owned(net, slot, |mut it| it.any(|o| o.broadcast() == Some(daddr)))
    }

    /// Must a route lookup for `sk` be judged at all?
    pub(crate) fn source_wanted(&self, sk: SockId) -> bool {
        !self.addrs.is_empty() || SockTags::get(sk).is_some()
    }

    /// The source for a route lookup made for `sk`.
    pub(crate) fn source(
        &self,
        sk: SockId,
        net: u32,
        flow: &Flow,
        device: &[Owned],
    ) -> SourceChoice {
        let member = self.sock_slot(sk);
        let choice = match member {
            Some(index) => match loopback::member_loopback_source(index) {
                Some(own_lo) => {
                    self.with_owned_aged(net, index, |it| member_source(flow, own_lo, it))
                }
                None => SourceChoice::Refuse,
            },
            None => parent_source(flow, device.iter().copied(), |a| self.child_owns(net, a)),
        };
        if choice == SourceChoice::Refuse {
            if let Some(index) = member {
                self.refused(index);
            }
            if caller::log_ratelimit() {
                pr_info!(
                    "no source address for {} (EADDRNOTAVAIL)\n",
                    Dotted(flow.daddr)
                );
            }
        }
        choice
    }

    /// connect()/sendmsg() to `daddr:dport`: a member's 127.0.x.y is its
    /// private copy (`Ok(Some(copy))`), unless it shares the parent's
    /// loopback and has no listener of its own there; a member with no
    /// address may only reach loopback.
    pub(crate) fn connect_check(
        &self,
        sk: &ffi::ProbedSock<'_>,
        daddr: u32,
        dport: u16,
    ) -> Result<Option<u32>> {
        let Some(index) = self.sock_slot(sk.id()) else {
            return Ok(None);
        };
        if is_loopback(daddr) {
            let Some(private) = loopback::to_private(daddr, index) else {
                return Ok(None);
            };
            // The member's loopback listeners sit on hidden ports.
            let own_listener = || {
                let proto = sk.proto();
                let port = proto.and_then(|p| self.hidden_port(index, p, dport));
                port.is_some_and(|h| sk.listener_exists(private, h))
            };
            let to_parent = self.table.shared_loopback(index) && !own_listener();
            return Ok((!to_parent).then_some(private));
        }
        if daddr == 0 || self.table.owns_addresses(index) {
            return Ok(None);
        }
        let id = self.refused(index);
        if caller::log_ratelimit() {
            pr_info!(
                "L3 namespace {} owns no address: {} unreachable (EADDRNOTAVAIL)\n",
                id,
                Dotted(daddr)
            );
        }
        Err(EADDRNOTAVAIL)
    }

    /// LOCAL_OUT: may a socket of namespace `member` (`None`: the parent)
    /// send a packet from `saddr`? An accepted packet counts for the
    /// socket's namespace, a refused one as a drop.
    pub(crate) fn local_out(&self, member: Option<usize>, net: u32, saddr: u32) -> bool {
        let ok = match member {
            Some(index) => member_may_send_from(
                saddr,
                |a| loopback::member_may_send_from(a, index),
                |a| self.addr_owner(net, a) == Some(index),
            ),
            None if is_loopback(saddr) => loopback::parent_may_bind(saddr),
            None => self.addrs.is_empty() || !self.child_owns(net, saddr),
        };
        match (ok, member) {
            (true, Some(index)) => self.table.count_tx(index),
            (true, None) => {}
            (false, _) => {
                self.dropped_local_out.fetch_add(1, Ordering::Relaxed);
                if let Some(index) = member {
                    self.refused(index);
                }
            }
        }
        ok
    }

    /// Delivery of a packet `saddr -> daddr` to a raw or ping socket `sk`
    /// (TCP and UDP are steered at LOCAL_IN): only the owner's sockets;
    /// loopback stays inside each namespace.
    pub(crate) fn deliver_check(
        &self,
        sk: SockId,
        net: u32,
        saddr: u32,
        daddr: u32,
        bcast: bool,
    ) -> Result {
        if !self.table.any_live() {
            return Ok(());
        }
        let sk_ns = self.sock_slot(sk);
        if is_loopback(daddr) {
            let shared = |slot| self.table.shared_loopback(slot);
            if loopback::may_deliver(daddr, saddr, sk_ns, false, shared) {
                return Ok(());
            }
            self.dropped_delivery.fetch_add(1, Ordering::Relaxed);
            return Err(EPERM);
        }
        let owner = self.addr_owner(net, daddr);
        let in_subnet = || sk_ns.is_some_and(|i| self.in_subnet(net, i, daddr));
        if may_deliver(daddr, bcast, owner, sk_ns, in_subnet) {
            return Ok(());
        }
        self.dropped_delivery.fetch_add(1, Ordering::Relaxed);
        Err(EPERM)
    }

    /// May the calling task see `addr` (in `ip addr`, `ifconfig`)?
    pub(crate) fn addr_visible(&self, net: u32, addr: u32) -> bool {
        let viewer = self.task_slot(caller::task());
        if viewer.is_none() && self.addrs.is_empty() {
            return true;
        }
        may_see(addr, self.addr_owner(net, addr), viewer)
    }

    /// PRE_ROUTING: a packet for `daddr` counts for the namespace owning it.
    pub(crate) fn count_rx(&self, net: u32, daddr: u32) {
        if self.addrs.is_empty() {
            return;
        }
        if let Some(slot) = self.addr_owner(net, daddr) {
            self.table.count_rx(slot);
        }
    }

    /// getsockname()/getpeername() of `sk`: a member sees 127.0.x.y for its
    /// private copy.
    pub(crate) fn getname_map(&self, sk: SockId, addr: u32) -> u32 {
        self.sock_slot(sk)
            .and_then(|index| loopback::to_shared(addr, index))
            .unwrap_or(addr)
    }
}
