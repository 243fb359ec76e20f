// SPDX-License-Identifier: GPL-2.0

//! The `info` file's view (patch 11/12's five lines, then l3ns's own,
//! `Documentation/debugfs.rst`): [`InfoView`] gathers the reader's facts
//! from [`State`](crate::registry::State) and [`Arming`], [`format_info`] prints them without
//! looking anything up, so KUnit can check the text alone.

use crate::arming::Arming;
use crate::caller;
use crate::ffi;
use crate::policy::bindrule::Owned;
use crate::policy::nstable::NsView;
use crate::policy::parse::Dotted;
use crate::policy::ports::{Proto, PORTS_PER_NS};
use crate::tags::{TagCounters, TagTables};
use crate::text::TextBuf;
use core::fmt::{self, Write};
use core::sync::atomic::Ordering;
use kernel::prelude::*;

/// Everything `info` prints, gathered first so formatting is pure.
pub(crate) struct InfoView<'a> {
    /// Hashed `%p` of the reader's nsproxy.
    pub(crate) nsproxy: &'a str,
    /// Its reference count.
    pub(crate) nsproxy_refcnt: u32,
    /// Inode number of the reader's L2 network namespace.
    pub(crate) net_inum: u32,
    /// Its reference count.
    pub(crate) net_refcnt: u32,
    /// The reader's L3 namespace, if any.
    pub(crate) l3: Option<NsView>,
    /// Addresses the reader's L3 namespace owns (bounded: 16 shown).
    pub(crate) addrs: &'a [Owned],
    /// L3 reader: the ports its wildcard/loopback binds hold (hidden ports).
    pub(crate) ports: &'a [(Proto, u16)],
    /// Whether the reader's L3 namespace shares the parent's loopback.
    pub(crate) shared_loopback: bool,
    /// L3 children of the L2 namespace.
    pub(crate) children: usize,
    /// IPv4 packets at PRE_ROUTING in the L2 namespace.
    pub(crate) pre_routing_packets: u64,
    /// IPv4 packets at LOCAL_OUT in the L2 namespace.
    pub(crate) local_out_packets: u64,
    /// Module-wide: packets dropped at LOCAL_OUT for a forbidden source.
    pub(crate) local_out_drops: u64,
    /// Module-wide: deliveries refused across namespaces.
    pub(crate) delivery_drops: u64,
    /// Module-wide: packets LOCAL_IN gave to a namespace's socket.
    pub(crate) steered_packets: u64,
    /// Module-wide: packets LOCAL_IN answered with RST / port unreachable.
    pub(crate) local_in_rejects: u64,
    /// Module-wide: hidden ports held for members' wildcard binds.
    pub(crate) hidden_ports: usize,
    /// Module-wide: checks that did not run (kprobe misses, ftrace
    /// callbacks refused by the recursion guard).
    pub(crate) probe_misses: u64,
    /// Module-wide: opens for writing refused to members (open guard).
    pub(crate) refused_opens: u64,
    /// Module-wide: the tag table's reserve and refusals (mechanism 18).
    pub(crate) tags: TagCounters,
    /// Module-wide: bytes allocated for the tables now.
    pub(crate) memory_bytes: usize,
    /// Whether the hooks are armed (mechanism 19).
    pub(crate) hooks_armed: bool,
    /// Times the hooks were armed since load.
    pub(crate) arms: u64,
}

/// Writes `info` into `buf`; returns its length.
pub(crate) fn format_info(v: &InfoView<'_>, buf: &mut [u8]) -> Result<usize> {
    let mut out = TextBuf::new(buf);
    write_info(v, &mut out).map_err(|_| ENOSPC)?;
    Ok(out.len())
}

/// Writes `a/len a/len ...`, or `-` for none.
pub(crate) fn write_addrs(
    out: &mut TextBuf<'_>,
    addrs: impl Iterator<Item = Owned>,
) -> fmt::Result {
    let mut any = false;
    for o in addrs {
        write!(
            out,
            "{}{}/{}",
            if any { " " } else { "" },
            Dotted(o.addr),
            o.prefix_len
        )?;
        any = true;
    }
    if !any {
        out.write_str("-")?;
    }
    Ok(())
}

/// Writes `tcp/80 udp/53 ...`, or `-` for none.
fn write_ports(out: &mut TextBuf<'_>, ports: &[(Proto, u16)]) -> fmt::Result {
    for (i, (proto, port)) in ports.iter().enumerate() {
        let name = match proto {
            Proto::Tcp => "tcp",
            Proto::Udp => "udp",
        };
        write!(out, "{}{}/{}", if i == 0 { "" } else { " " }, name, port)?;
    }
    if ports.is_empty() {
        out.write_str("-")?;
    }
    Ok(())
}

fn write_info(v: &InfoView<'_>, out: &mut TextBuf<'_>) -> fmt::Result {
    // The patch's five lines, in its order and wording.
    writeln!(out, "nsproxy: {}", v.nsproxy)?;
    writeln!(out, "nsproxy refcnt: {}", v.nsproxy_refcnt)?;
    match &v.l3 {
        None => {
            writeln!(out, "net_ns: {}", v.net_inum)?;
            writeln!(out, "net_ns refcnt: {}", v.net_refcnt)?;
            writeln!(out, "level: layer 2")?;
        }
        Some(ns) => {
            writeln!(out, "net_ns: {}", ns.id)?;
            writeln!(
                out,
                "net_ns refcnt: {}",
                u64::from(ns.members) + u64::from(ns.sockets)
            )?;
            writeln!(out, "level: layer 3")?;
        }
    }
    // l3ns's own lines (Documentation/debugfs.rst).
    if let Some(ns) = &v.l3 {
        writeln!(out, "id: {}", ns.id)?;
        writeln!(out, "parent: {}", ns.parent)?;
        writeln!(out, "members: {}", ns.members)?;
        writeln!(out, "sockets: {}", ns.sockets)?;
        writeln!(out, "refusals: {}", ns.refusals)?;
        writeln!(out, "rx_packets: {}", ns.rx_packets)?;
        writeln!(out, "tx_packets: {}", ns.tx_packets)?;
        writeln!(
            out,
            "loopback: {}",
            if v.shared_loopback {
                "shared"
            } else {
                "private"
            }
        )?;
        out.write_str("addresses: ")?;
        write_addrs(out, v.addrs.iter().copied())?;
        out.write_str("\n")?;
        out.write_str("shared_ports: ")?;
        write_ports(out, v.ports)?;
        out.write_str("\n")?;
    }
    writeln!(out, "l2_net_ns: {}", v.net_inum)?;
    writeln!(out, "l3_children: {}", v.children)?;
    writeln!(out, "pre_routing_packets: {}", v.pre_routing_packets)?;
    writeln!(out, "local_out_packets: {}", v.local_out_packets)?;
    writeln!(out, "local_out_drops: {}", v.local_out_drops)?;
    writeln!(out, "delivery_drops: {}", v.delivery_drops)?;
    writeln!(out, "steered_packets: {}", v.steered_packets)?;
    writeln!(out, "local_in_rejects: {}", v.local_in_rejects)?;
    writeln!(out, "hidden_ports: {}", v.hidden_ports)?;
    writeln!(out, "probe_misses: {}", v.probe_misses)?;
    writeln!(out, "refused_opens: {}", v.refused_opens)?;
    writeln!(out, "tag_reserve: {}", v.tags.reserve_free)?;
    writeln!(out, "tag_reserve_used: {}", v.tags.reserve_used)?;
    writeln!(out, "tag_alloc_failures: {}", v.tags.alloc_failures)?;
    writeln!(out, "tag_limit_refusals: {}", v.tags.limit_refusals)?;
    writeln!(out, "memory_bytes: {}", v.memory_bytes)?;
    let hooks = if v.hooks_armed { "armed" } else { "idle" };
    writeln!(out, "hooks: {}", hooks)?;
    writeln!(out, "hooks_armed: {}", v.arms)?;
    Ok(())
}

/// `cat info`: describes the reader's namespace.
pub(crate) fn info_format(arming: &Arming, buf: &mut [u8]) -> Result<usize> {
    let state = &*arming.state;
    let task = caller::namespaces()?;
    let l3 = state.ns_of(caller::task());
    let (pre, out) = state
        .net_counters
        .with_current(|c| {
            (
                c.pre_routing.load(Ordering::Relaxed),
                c.local_out.load(Ordering::Relaxed),
            )
        })
        .unwrap_or((0, 0));
    let mut addrs = [Owned {
        addr: 0,
        prefix_len: 0,
    }; 16];
    let mut n = 0;
    let mut ports = [(Proto::Tcp, 0u16); PORTS_PER_NS];
    let mut np = 0;
    if let Some(ns) = &l3 {
        state.with_owned(ns.parent, ns.index, |it| {
            for (slot, o) in addrs.iter_mut().zip(it) {
                *slot = o;
                n += 1;
            }
        });
        let held = [Proto::Tcp, Proto::Udp].into_iter().flat_map(|p| {
            state
                .ports
                .held_by(ns.index, p)
                .map(move |(port, _)| (p, port))
        });
        for (slot, p) in ports.iter_mut().zip(held) {
            *slot = p;
            np += 1;
        }
    }
    let view = InfoView {
        nsproxy: task.nsproxy(),
        nsproxy_refcnt: task.nsproxy_refcnt,
        net_inum: task.net_inum,
        net_refcnt: task.net_refcnt,
        l3,
        addrs: &addrs[..n],
        ports: &ports[..np],
        shared_loopback: l3
            .as_ref()
            .is_some_and(|ns| state.table.shared_loopback(ns.index)),
        children: state
            .table
            .iter()
            .filter(|ns| ns.parent == task.net_inum)
            .count(),
        pre_routing_packets: pre,
        local_out_packets: out,
        local_out_drops: state.dropped_local_out.load(Ordering::Relaxed),
        delivery_drops: state.dropped_delivery.load(Ordering::Relaxed),
        steered_packets: state.steered.load(Ordering::Relaxed),
        local_in_rejects: state.rejected.load(Ordering::Relaxed),
        hidden_ports: state.ports.len(),
        probe_misses: ffi::probes_missed(),
        refused_opens: state.refused_opens.load(Ordering::Relaxed),
        tags: TagTables::counters(),
        memory_bytes: state.memory_bytes(),
        hooks_armed: arming.is_armed(),
        arms: arming.arms(),
    };
    format_info(&view, buf)
}
