// SPDX-License-Identifier: GPL-2.0

//! The FFI layer to the C shim not yet moved to `kernel_ext` (with it, the
//! only part of l3ns with `unsafe`).
//!
//! It includes the bindings bindgen generates from `rust/shim/l3ns_shim.h`
//! and turns them into safe types: registrations that unregister in `Drop`
//! ([`registration`]), the C-to-Rust callback trampolines ([`callbacks`]),
//! and socket identities and the tag lookup C still calls ([`tags`]).

mod callbacks;
mod packet_callbacks;
pub(crate) mod registration;
pub(crate) mod steering;
pub(crate) mod tags;

pub(crate) use registration::{PernetHooks, RouteProbes};
pub(crate) use steering::{BindSock, InPacket};
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

use crate::kernel_ext::user_sock::UserSock;
use crate::policy::addrtable::AddrTable;
use crate::policy::nstable::NsTable;
use crate::policy::ports::{PortTable, Proto};
use core::sync::atomic::AtomicU64;

// `NsTable` consists only of atomics; all-zero is the empty table (documented on the type).
// SAFETY: the all-zero bit pattern is a valid `NsTable`.
unsafe impl pin_init::Zeroable for NsTable {}

// `AddrTable` consists only of atomics; all-zero is the empty table (every key `EMPTY`).
// SAFETY: the all-zero bit pattern is a valid `AddrTable`.
unsafe impl pin_init::Zeroable for AddrTable {}

// `PortTable` consists only of atomics; all-zero is the empty table (every hidden port free).
// SAFETY: the all-zero bit pattern is a valid `PortTable`.
unsafe impl pin_init::Zeroable for PortTable {}

/// Identity of a task: its `task_struct` address, used only as a key and
/// never dereferenced on the Rust side.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct TaskId(pub(super) usize);

impl TaskId {
    /// The identity of `task` (its address; never dereferenced here).
    pub(crate) fn of(task: &kernel::task::Task) -> Self {
        TaskId(task.as_ptr() as usize)
    }

    /// Its address, as a tag key.
    pub(crate) fn key(self) -> usize {
        self.0
    }
}

/// Hooked calls skipped by ftrace's recursion guard (module-wide): the C
/// shim's callbacks and `kernel_ext::ftrace`'s.
pub(crate) fn probes_missed() -> u64 {
    // SAFETY: reads an atomic counter of the shim; no preconditions.
    let shim = unsafe { bindings::l3ns_c_probes_missed() };
    shim.saturating_add(crate::kernel_ext::ftrace::missed())
}

/// Per network namespace counters (`struct l3ns_net`), updated atomically.
pub(crate) struct NetCounters<'a> {
    /// IPv4 packets seen at PRE_ROUTING.
    pub(crate) pre_routing: &'a AtomicU64,
    /// IPv4 packets seen at LOCAL_OUT.
    pub(crate) local_out: &'a AtomicU64,
}

impl NetCounters<'_> {
    /// # Safety
    ///
    /// `net` must point to a live, 8-byte aligned `struct l3ns_net` that is
    /// only accessed atomically, for the whole lifetime `'a`.
    unsafe fn from_raw<'a>(net: *mut bindings::l3ns_net) -> NetCounters<'a> {
        // SAFETY: per the contract `net` is live and aligned; its `u64`s are only used atomically.
        unsafe {
            NetCounters {
                pre_routing: AtomicU64::from_ptr(core::ptr::addr_of_mut!(
                    (*net).pre_routing_packets
                )),
                local_out: AtomicU64::from_ptr(core::ptr::addr_of_mut!((*net).local_out_packets)),
            }
        }
    }
}

/// Calls `f` with the counters of the caller's network namespace.
pub(crate) fn with_current_net<R>(f: impl FnOnce(&NetCounters<'_>) -> R) -> R {
    // The pernet subsystem is registered while any entry point exists, and the
    // caller's netns (held through its nsproxy) outlives this call.
    // SAFETY: so the caller's `struct l3ns_net` is live and aligned during `f`.
    let counters = unsafe { NetCounters::from_raw(bindings::l3ns_c_current_net()) };
    f(&counters)
}

/// The socket a connect/sendmsg probe call is about, with its `struct net`.
///
/// # Invariants
///
/// `sk` and `net` are live for `'a`, the duration of that probe call
/// (`callbacks::l3ns_rs_connect_check` builds it and lends it out), so the
/// socket is never looked at after the call: nothing here takes a
/// free-standing [`tags::SockId`], which could name a freed socket.
pub(crate) struct ProbedSock<'a> {
    pub(super) sk: *const kernel::ffi::c_void,
    pub(super) net: *const kernel::ffi::c_void,
    pub(super) _call: core::marker::PhantomData<&'a ()>,
}

impl<'a> From<&UserSock<'a>> for ProbedSock<'a> {
    fn from(sk: &UserSock<'a>) -> Self {
        // INVARIANT: a `UserSock` is live for `'a`, and so is its netns.
        ProbedSock {
            sk: sk.as_ptr().cast(),
            net: sk.net().cast_const().cast(),
            _call: core::marker::PhantomData,
        }
    }
}

impl ProbedSock<'_> {
    /// Its identity (for the tag tables).
    pub(crate) fn id(&self) -> tags::SockId {
        tags::SockId(self.sk as usize)
    }

    /// Whether a socket of this one's protocol (TCP or UDP) is bound to
    /// `addr:port` (host byte order) in its netns.
    pub(crate) fn listener_exists(&self, addr: u32, port: u16) -> bool {
        // SAFETY: `sk`, `net` live for this borrow (type invariant); the lookup takes only RCU.
        unsafe { bindings::l3ns_c_listener_exists(self.net, self.sk, addr, port) }
    }

    /// Its transport protocol, if TCP or UDP.
    pub(crate) fn proto(&self) -> Option<Proto> {
        // SAFETY: `sk` is live for this borrow (type invariant).
        proto_of(unsafe { bindings::l3ns_c_sock_l4(self.sk) })
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
