// SPDX-License-Identifier: GPL-2.0

//! What `net_ns/start` and `net_ns/info` do (patch 11/12), in safe Rust.
//! File format: `Documentation/debugfs.rst`.

use crate::ffi::{self, errno};
use crate::policy::nstable::NsView;
use crate::policy::parse::{parse_start, StartLevel};
use crate::registry::State;
use core::fmt::{self, Write};
use core::sync::atomic::Ordering;
use kernel::prelude::*;

/// `echo 2|3 > start`. Returns the number of bytes consumed.
pub(crate) fn start_write(state: &State, input: &[u8]) -> Result<usize> {
    let pid = ffi::current_pid();
    let level = parse_start(input).map_err(|e| {
        if ffi::log_ratelimit() {
            pr_info!("start: pid {}: {:?} input refused (EINVAL)\n", pid, e);
        }
        EINVAL
    })?;
    let task = ffi::current_task();
    if let Some(ns) = state.ns_of(task) {
        if ffi::log_ratelimit() {
            pr_info!("start: pid {} is already in L3 namespace {} (EBUSY)\n", pid, ns.id);
        }
        return Err(EBUSY);
    }
    match level {
        StartLevel::Layer2 => {
            if ffi::log_ratelimit() {
                pr_info!("start: layer 2 namespaces are created with `unshare -n` (EOPNOTSUPP)\n");
            }
            Err(errno::eopnotsupp())
        }
        StartLevel::Layer3 => {
            let parent = ffi::current_task_ns().net_inum;
            let ns = state.create(task, parent).inspect_err(|e| {
                if ffi::log_ratelimit() {
                    pr_info!("start: pid {}: cannot create L3 namespace ({:?})\n", pid, e);
                }
            })?;
            pr_info!("pid {} created L3 namespace {} (parent net_ns {})\n", pid, ns.id, ns.parent);
            Ok(input.len())
        }
    }
}

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
    /// L3 children of the L2 namespace.
    pub(crate) children: usize,
    /// IPv4 packets at PRE_ROUTING in the L2 namespace.
    pub(crate) pre_routing_packets: u64,
    /// IPv4 packets at LOCAL_OUT in the L2 namespace.
    pub(crate) local_out_packets: u64,
}

/// A `fmt::Write` into a fixed buffer that fails instead of truncating.
struct Out<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl Write for Out<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len.checked_add(s.len()).ok_or(fmt::Error)?;
        let dst = self.buf.get_mut(self.len..end).ok_or(fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Writes `info` into `buf`; returns its length.
pub(crate) fn format_info(v: &InfoView<'_>, buf: &mut [u8]) -> Result<usize> {
    let mut out = Out { buf, len: 0 };
    write_info(v, &mut out).map_err(|_| ENOSPC)?;
    Ok(out.len)
}

fn write_info(v: &InfoView<'_>, out: &mut Out<'_>) -> fmt::Result {
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
            writeln!(out, "net_ns refcnt: {}", u64::from(ns.members) + u64::from(ns.sockets))?;
            writeln!(out, "level: layer 3")?;
        }
    }
    // l3ns's own lines (Documentation/debugfs.rst).
    if let Some(ns) = &v.l3 {
        writeln!(out, "id: {}", ns.id)?;
        writeln!(out, "members: {}", ns.members)?;
        writeln!(out, "sockets: {}", ns.sockets)?;
        writeln!(out, "refusals: {}", ns.refusals)?;
    }
    writeln!(out, "l2_net_ns: {}", v.net_inum)?;
    writeln!(out, "l3_children: {}", v.children)?;
    writeln!(out, "pre_routing_packets: {}", v.pre_routing_packets)?;
    writeln!(out, "local_out_packets: {}", v.local_out_packets)?;
    Ok(())
}

/// `cat info`: describes the reader's namespace.
pub(crate) fn info_format(state: &State, buf: &mut [u8]) -> Result<usize> {
    let task = ffi::current_task_ns();
    let l3 = state.ns_of(ffi::current_task());
    let (pre, out) =
        ffi::with_current_net(|c| (c.pre_routing.load(Ordering::Relaxed), c.local_out.load(Ordering::Relaxed)));
    let view = InfoView {
        nsproxy: task.nsproxy(),
        nsproxy_refcnt: task.nsproxy_refcnt,
        net_inum: task.net_inum,
        net_refcnt: task.net_refcnt,
        l3,
        children: state.table.iter().filter(|ns| ns.parent == task.net_inum).count(),
        pre_routing_packets: pre,
        local_out_packets: out,
    };
    format_info(&view, buf)
}
