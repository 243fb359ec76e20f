// SPDX-License-Identifier: GPL-2.0

//! The control files under `/sys/kernel/debug/net_ns/` and what they do
//! (`start` and `info` as in patch 11/12; `addr`, `join`, `children`), in
//! safe Rust: the tree is a [`debugfs::Registration`] served by [`Arming`]
//! (its [`State`], and the hooks a `start` arms).
//! File format: `Documentation/debugfs.rst`; `info`'s text is [`crate::info`].

use crate::arming::Arming;
use crate::caller;
use crate::ffi::errno;
use crate::info::{info_format, write_addrs};
use crate::kernel_ext::debugfs;
use crate::policy::parse::{
    parse_addr_cmd, parse_join, parse_start, parse_take, AddrCmd, ParseError, StartLevel,
};
use crate::registry::{tag_of, State};
use crate::text::TextBuf;
use core::fmt::{self, Write};
use kernel::prelude::*;

/// Logs rejected input (rate-limited) and returns `EINVAL`.
fn bad_input(file: &str, e: ParseError) -> Error {
    if caller::log_ratelimit() {
        pr_info!(
            "{}: pid {}: {:?} input refused (EINVAL)\n",
            file,
            caller::pid(),
            e
        );
    }
    EINVAL
}

/// The files of `net_ns/`.
#[derive(Clone, Copy)]
pub(crate) enum ControlFile {
    /// `start`: `echo 3` makes the writer an L3 namespace's first member.
    Start,
    /// `info`: the reader's namespace; a member writes it to take an address.
    Info,
    /// `addr`: the parent pushes, pulls and shares addresses.
    Addr,
    /// `join`: the parent's writer enters a child.
    Join,
    /// `children`: the L3 children of the reader's netns.
    Children,
}

/// `net_ns/start`: anyone may write (as in the patch).
pub(crate) static START: debugfs::File<ControlFile> =
    debugfs::File::write_only(c"start", 0o666, ControlFile::Start);
/// `net_ns/info`: anyone may read; writes need `CAP_NET_ADMIN`.
pub(crate) static INFO: debugfs::File<ControlFile> =
    debugfs::File::readable(c"info", 0o644, ControlFile::Info);
/// `net_ns/addr`: root's.
static ADDR: debugfs::File<ControlFile> =
    debugfs::File::write_only(c"addr", 0o200, ControlFile::Addr);
/// `net_ns/join`: root's.
static JOIN: debugfs::File<ControlFile> =
    debugfs::File::write_only(c"join", 0o200, ControlFile::Join);
/// `net_ns/children`: anyone may read.
static CHILDREN: debugfs::File<ControlFile> =
    debugfs::File::readable(c"children", 0o444, ControlFile::Children);

/// The files of the `net_ns/` tree, in creation order.
pub(crate) static FILES: [&debugfs::File<ControlFile>; 5] =
    [&START, &INFO, &ADDR, &JOIN, &CHILDREN];

/// The directory the files are in, at the debugfs root.
pub(crate) const DIR: &kernel::str::CStr = c"net_ns";

impl debugfs::Handler for Arming {
    type File = ControlFile;
    type OwnerModule = crate::LocalModule;

    fn write(&self, file: ControlFile, input: &[u8]) -> Result<usize> {
        match file {
            ControlFile::Start => start_write(self, input),
            ControlFile::Info => info_write(&self.state, input),
            ControlFile::Addr => addr_write(&self.state, input),
            ControlFile::Join => join_write(&self.state, input),
            ControlFile::Children => Err(EINVAL),
        }
    }

    fn show(&self, file: ControlFile, out: &mut [u8]) -> Result<usize> {
        match file {
            ControlFile::Info => info_format(self, out),
            ControlFile::Children => children_format(&self.state, out),
            ControlFile::Start | ControlFile::Addr | ControlFile::Join => Err(EINVAL),
        }
    }
}

/// `echo 2|3 > start`, arming the hooks for the first namespace. Returns
/// the number of bytes consumed.
pub(crate) fn start_write(arming: &Arming, input: &[u8]) -> Result<usize> {
    let state = &*arming.state;
    let pid = caller::pid();
    let level = parse_start(input).map_err(|e| bad_input("start", e))?;
    let task = caller::task();
    if let Some(ns) = state.ns_of(task) {
        if caller::log_ratelimit() {
            pr_info!(
                "start: pid {} is already in L3 namespace {} (EBUSY)\n",
                pid,
                ns.id
            );
        }
        return Err(EBUSY);
    }
    match level {
        StartLevel::Layer2 => {
            if caller::log_ratelimit() {
                pr_info!("start: layer 2 namespaces are created with `unshare -n` (EOPNOTSUPP)\n");
            }
            Err(EOPNOTSUPP)
        }
        StartLevel::Layer3 => {
            let parent = caller::namespaces()?.net_inum;
            let made = arming.armed(|state| state.create(task, parent));
            let ns = made.inspect_err(|e| {
                if caller::log_ratelimit() {
                    pr_info!(
                        "start: pid {}: cannot create L3 namespace ({})\n",
                        pid,
                        errno::Name(*e)
                    );
                }
            })?;
            pr_info!(
                "pid {} created L3 namespace {} (parent net_ns {})\n",
                pid,
                ns.id,
                ns.parent
            );
            Ok(input.len())
        }
    }
}

/// `echo "eth0 10.0.0.2" > info`: a member takes a parent address.
pub(crate) fn info_write(state: &State, input: &[u8]) -> Result<usize> {
    let take = parse_take(input).map_err(|e| bad_input("info", e))?;
    state.take_addr(&take)?;
    Ok(input.len())
}

/// `echo "push|pull ..." > addr`: the parent moves addresses.
pub(crate) fn addr_write(state: &State, input: &[u8]) -> Result<usize> {
    match parse_addr_cmd(input).map_err(|e| bad_input("addr", e))? {
        AddrCmd::Push { id, take } => state.push_addr(id, &take)?,
        AddrCmd::Pull { id, addr } => state.pull_addr(id, addr)?,
        AddrCmd::Loopback { id, shared } => state.set_shared_loopback(id, shared)?,
    }
    Ok(input.len())
}

/// `echo <id> > join`: the parent's writer enters child `id`.
pub(crate) fn join_write(state: &State, input: &[u8]) -> Result<usize> {
    let id = parse_join(input).map_err(|e| bad_input("join", e))?;
    let task = caller::task();
    if state.ns_of(task).is_some() {
        return Err(EBUSY);
    }
    let ns = state.child_for_admin(id)?;
    let tag = tag_of(ns.index).ok_or(EINVAL)?;
    state.join(task, &ns, tag)?;
    pr_info!("pid {} joined L3 namespace {}\n", caller::pid(), ns.id);
    Ok(input.len())
}

/// `cat children`: the L3 children of the reader's netns, one per line.
pub(crate) fn children_format(state: &State, buf: &mut [u8]) -> Result<usize> {
    if state.ns_of(caller::task()).is_some() {
        return Err(EPERM);
    }
    let net = caller::namespaces()?.net_inum;
    let mut out = TextBuf::new(buf);
    let r: fmt::Result = (|| {
        writeln!(out, "id members sockets refusals addresses")?;
        for ns in state.table.iter().filter(|ns| ns.parent == net) {
            write!(
                out,
                "{} {} {} {} ",
                ns.id, ns.members, ns.sockets, ns.refusals
            )?;
            state.with_owned(net, ns.index, |it| write_addrs(&mut out, it))?;
            out.write_str("\n")?;
        }
        Ok(())
    })();
    r.map_err(|_| ENOSPC)?;
    Ok(out.len())
}
