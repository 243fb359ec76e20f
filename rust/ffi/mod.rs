// SPDX-License-Identifier: GPL-2.0

//! The FFI layer: the only part of l3ns with `unsafe`.
//!
//! It includes the bindings bindgen generates from `rust/shim/l3ns_shim.h`
//! and turns them into safe types: registrations that unregister in `Drop`
//! ([`registration`]), the C-to-Rust callback trampolines ([`callbacks`]), the
//! task tag table ([`tags`]) and accessors for the calling task. Everything
//! above this module is safe Rust.

mod callbacks;
mod packet_callbacks;
pub(crate) mod registration;
pub(crate) mod steering;
pub(crate) mod tags;

pub(crate) use registration::{
    DebugfsTree, FileGuard, Reaper, RouteProbes, SockProbes, Visibility,
};
pub(crate) use steering::BindSock;
pub(crate) use tags::SockId;

/// Raw bindings to the C shim, generated at build time (never committed).
#[allow(
    dead_code,
    missing_docs,
    non_camel_case_types,
    non_upper_case_globals,
    non_snake_case,
    unreachable_pub,
    clippy::all,
    clippy::undocumented_unsafe_blocks
)]
mod bindings {
    include!(concat!(env!("L3NS_OUT"), "/bindings_generated.rs"));
}

/// The bit the shim's `L3NS_TAG_CLOSED` sets in a closed socket's tag.
pub(crate) const TAG_CLOSED: u32 = bindings::L3NS_TAG_CLOSED;

use crate::kernel_ext::sock::Rcu;
use crate::policy::addrtable::AddrTable;
use crate::policy::nstable::NsTable;
use crate::policy::ports::{PortTable, Proto};
use kernel::error::{code::EINVAL, Error};

// `NsTable` consists only of atomics; all-zero is the empty table (documented on the type).
// SAFETY: the all-zero bit pattern is a valid `NsTable`.
unsafe impl pin_init::Zeroable for NsTable {}

// `AddrTable` consists only of atomics; all-zero is the empty table (every key `EMPTY`).
// SAFETY: the all-zero bit pattern is a valid `AddrTable`.
unsafe impl pin_init::Zeroable for AddrTable {}

// `PortTable` consists only of atomics; all-zero is the empty table (every hidden port free).
// SAFETY: the all-zero bit pattern is a valid `PortTable`.
unsafe impl pin_init::Zeroable for PortTable {}

// `NetCounters` consists only of atomics; all-zero is both counters at 0.
// SAFETY: the all-zero bit pattern is a valid `NetCounters`.
unsafe impl pin_init::Zeroable for crate::hooks::NetCounters {}

/// Module parameters (still declared with `module_param` in the C shim;
/// moving them to `module!`'s `params` is part of the Rust-first rework).
pub(crate) mod params {
    use super::bindings;

    /// Most L3 namespaces alive at once.
    pub(crate) fn max_namespaces() -> usize {
        // SAFETY: reads a module parameter; no preconditions.
        let n = unsafe { bindings::l3ns_c_param_max_namespaces() };
        usize::try_from(n).unwrap_or(usize::MAX)
    }

    /// Most addresses owned by L3 namespaces.
    pub(crate) fn max_addrs() -> usize {
        // SAFETY: reads a module parameter; no preconditions.
        let n = unsafe { bindings::l3ns_c_param_max_addrs() };
        usize::try_from(n).unwrap_or(usize::MAX)
    }

    /// Most sockets owned by L3 namespaces.
    pub(crate) fn max_sockets() -> u32 {
        // SAFETY: reads a module parameter; no preconditions.
        unsafe { bindings::l3ns_c_param_max_sockets() }
    }

    /// Most member tasks over all L3 namespaces.
    pub(crate) fn max_tasks() -> u32 {
        // SAFETY: reads a module parameter; no preconditions.
        unsafe { bindings::l3ns_c_param_max_tasks() }
    }
}

/// Identity of a task: its `task_struct` address, used only as a key and
/// never dereferenced on the Rust side.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct TaskId(pub(super) usize);

impl TaskId {
    /// The identity of `task` (its address; never dereferenced here).
    pub(crate) fn of(task: &kernel::task::Task) -> Self {
        TaskId(task.as_ptr() as usize)
    }
}

/// The calling task.
pub(crate) fn current_task() -> TaskId {
    // SAFETY: returns `current`; no preconditions.
    TaskId(unsafe { bindings::l3ns_c_current() } as usize)
}

/// PID (in the caller's pid namespace view of init) of the calling task, for logs.
pub(crate) fn current_pid() -> i32 {
    // SAFETY: no preconditions.
    unsafe { bindings::l3ns_c_current_pid() }
}

/// Whether the caller has `CAP_NET_ADMIN` over its network namespace.
pub(crate) fn capable_net_admin() -> bool {
    // SAFETY: no preconditions; called in process context.
    unsafe { bindings::l3ns_c_capable_net_admin() }
}

/// Probe hits lost to empty kretprobe instance pools (module-wide).
pub(crate) fn probes_missed() -> u64 {
    // SAFETY: reads counters of the shim's static kretprobes; no preconditions.
    unsafe { bindings::l3ns_c_probes_missed() }
}

/// May a rate-limited log line be printed now?
pub(crate) fn log_ratelimit() -> bool {
    // SAFETY: no preconditions.
    unsafe { bindings::l3ns_c_log_ratelimit() }
}

/// What `info` shows of the caller's nsproxy and L2 network namespace.
pub(crate) struct TaskNs {
    nsproxy: [u8; 24],
    /// `current->nsproxy->count`.
    pub(crate) nsproxy_refcnt: u32,
    /// Inode number of the caller's network namespace.
    pub(crate) net_inum: u32,
    /// `current->nsproxy->net_ns->ns.count`.
    pub(crate) net_refcnt: u32,
}

impl TaskNs {
    /// The hashed `%p` of the nsproxy (no kernel address).
    pub(crate) fn nsproxy(&self) -> &str {
        let len = self
            .nsproxy
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(self.nsproxy.len());
        core::str::from_utf8(&self.nsproxy[..len]).unwrap_or("?")
    }
}

/// Reads the caller's namespaces. Process context only.
pub(crate) fn current_task_ns() -> TaskNs {
    let mut raw = bindings::l3ns_task_ns::default();
    // Process context: `current->nsproxy` is valid for the calling task.
    // SAFETY: `raw` is a valid, writable `struct l3ns_task_ns`; `current` is live.
    unsafe { bindings::l3ns_c_current_task_ns(&mut raw) };
    TaskNs {
        nsproxy: raw.nsproxy,
        nsproxy_refcnt: raw.nsproxy_refcnt,
        net_inum: raw.net_inum,
        net_refcnt: raw.net_refcnt,
    }
}

/// The socket a connect/sendmsg probe call is about, with its `struct net`.
///
/// # Invariants
///
/// `sk` is live for `'a`, the duration of that probe call
/// (`callbacks::l3ns_rs_connect_check` builds it and lends it out), so the
/// socket is never looked at after the call: nothing here takes a
/// free-standing [`tags::SockId`], which could name a freed socket.
pub(crate) struct ProbedSock<'a> {
    pub(super) sk: *const kernel::ffi::c_void,
    pub(super) _call: core::marker::PhantomData<&'a ()>,
}

impl ProbedSock<'_> {
    /// Its identity (for the tag tables).
    pub(crate) fn id(&self) -> tags::SockId {
        tags::SockId(self.sk as usize)
    }

    /// The socket.
    fn sock(&self) -> &crate::kernel_ext::sock::Sock {
        // SAFETY: `sk` is live for this borrow (type invariant).
        unsafe { crate::kernel_ext::sock::Sock::from_raw(self.sk.cast()) }
    }

    /// Whether a socket of this one's protocol (TCP or UDP) is bound to
    /// `addr:port` (host byte order) in its netns.
    pub(crate) fn listener_exists(&self, addr: u32, port: u16) -> bool {
        let sk = self.sock();
        let rcu = kernel::sync::rcu::read_lock();
        sk.listener_bound(Rcu::held(&rcu), addr, port)
    }

    /// Its transport protocol, if TCP or UDP.
    pub(crate) fn proto(&self) -> Option<Proto> {
        self.sock().l4().map(crate::hooks::proto_of)
    }
}

/// The protocol an `enum l3ns_l4` value names, if TCP or UDP.
fn proto_of(l4: u8) -> Option<Proto> {
    match u32::from(l4) {
        bindings::l3ns_l4_L3NS_L4_TCP => Some(Proto::Tcp),
        bindings::l3ns_l4_L3NS_L4_UDP => Some(Proto::Udp),
        _ => None,
    }
}

/// The RTNL lock, held while the guard lives.
pub(crate) struct Rtnl(());

impl Rtnl {
    /// Takes RTNL (process context; may sleep).
    pub(crate) fn lock() -> Self {
        // SAFETY: no preconditions beyond process context.
        unsafe { bindings::l3ns_c_rtnl_lock() };
        Rtnl(())
    }

    /// Finds `addr` on device `dev` of the caller's netns (with label
    /// `label` when given) and returns its prefix length. `ENODEV`,
    /// `EADDRNOTAVAIL`, or `EINVAL` for names too long.
    pub(crate) fn find_ifa(
        &self,
        dev: &[u8],
        label: Option<&[u8]>,
        addr: u32,
    ) -> Result<Ifa, Error> {
        let mut d = [0u8; 17];
        let mut l = [0u8; 17];
        d.get_mut(..dev.len()).ok_or(EINVAL)?.copy_from_slice(dev);
        if let Some(label) = label {
            l.get_mut(..label.len())
                .ok_or(EINVAL)?
                .copy_from_slice(label);
        }
        // Both arrays keep a trailing NUL: names are at most 16 bytes.
        if d[16] != 0 || l[16] != 0 {
            return Err(EINVAL);
        }
        let lp = if label.is_some() {
            l.as_ptr()
        } else {
            core::ptr::null()
        };
        let mut loopback = false;
        // Both strings are NUL-terminated; they and `loopback` outlive the call.
        // SAFETY: RTNL is held (we are the guard), and every pointer is valid for the call.
        let r = unsafe { bindings::l3ns_c_find_ifa(d.as_ptr(), lp, addr, &mut loopback) };
        if r < 0 {
            return Err(Error::from_errno(r));
        }
        Ok(Ifa {
            prefix_len: u8::try_from(r).map_err(|_| EINVAL)?,
            loopback,
        })
    }
}

/// What `Rtnl::find_ifa` found.
pub(crate) struct Ifa {
    /// The address's prefix length.
    pub(crate) prefix_len: u8,
    /// Whether its device is a loopback device.
    pub(crate) loopback: bool,
}

impl Drop for Rtnl {
    fn drop(&mut self) {
        // SAFETY: taken in `lock`.
        unsafe { bindings::l3ns_c_rtnl_unlock() };
    }
}

/// Error display for log lines.
pub(crate) mod errno {
    use kernel::error::Error;

    /// Displays an error by name (`ENOSPC`), or by number if unnamed.
    pub(crate) struct Name(pub(crate) Error);

    impl kernel::fmt::Display for Name {
        fn fmt(&self, f: &mut kernel::fmt::Formatter<'_>) -> kernel::fmt::Result {
            match self.0.name().and_then(|name| name.to_str().ok()) {
                Some(name) => f.write_str(name),
                None => write!(f, "errno {}", -self.0.to_errno()),
            }
        }
    }
}
