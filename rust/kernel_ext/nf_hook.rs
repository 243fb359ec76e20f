// SPDX-License-Identifier: GPL-2.0

//! What a netfilter hook call sees: where it is ([`Hook`], [`priority`]),
//! its [`HookState`] (namespace, RCU section, the kernel's reject helpers,
//! the continuation) and the [`Verdict`] it returns. Part of
//! [`super`] (`kernel_ext::netfilter`), which registers the hooks.
//!
//! C header: [`include/linux/netfilter.h`](srctree/include/linux/netfilter.h).

use super::bindings;
use super::Net;
use crate::kernel_ext::skb::{Skb, SkbCopy};
use crate::kernel_ext::sock::Rcu;
use kernel::ffi::{c_int, c_uint};
use kernel::types::Opaque;

/// Where an IPv4 packet is (`enum nf_inet_hooks`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Hook {
    /// Received, before the routing decision.
    PreRouting,
    /// Received for this host, after routing.
    LocalIn,
    /// Sent by a local socket.
    LocalOut,
}

impl Hook {
    /// The kernel's number for this hook (`enum nf_inet_hooks`).
    pub(super) fn raw(self) -> c_uint {
        match self {
            Hook::PreRouting => bindings::nf_inet_hooks_NF_INET_PRE_ROUTING,
            Hook::LocalIn => bindings::nf_inet_hooks_NF_INET_LOCAL_IN,
            Hook::LocalOut => bindings::nf_inet_hooks_NF_INET_LOCAL_OUT,
        }
    }
}

/// Hook priorities of the IPv4 tables (`enum nf_ip_hook_priorities`).
pub(crate) mod priority {
    use super::bindings;

    /// The raw table.
    pub(crate) const RAW: i32 = bindings::nf_ip_hook_priorities_NF_IP_PRI_RAW;
    /// The mangle table.
    pub(crate) const MANGLE: i32 = bindings::nf_ip_hook_priorities_NF_IP_PRI_MANGLE;
    /// The security table.
    pub(crate) const SECURITY: i32 = bindings::nf_ip_hook_priorities_NF_IP_PRI_SECURITY;
}

/// One IPv4 hook a [`super::Registration`] puts in every namespace.
#[derive(Clone, Copy)]
pub(crate) struct HookOps {
    /// Where.
    pub(crate) hook: Hook,
    /// Its place among the hooks there (ascending).
    pub(crate) priority: i32,
}

/// The state of one hook call (`struct nf_hook_state`).
///
/// # Invariants
///
/// Only ever seen as `&HookState` borrowed for the hook call it describes;
/// the call runs in an RCU read-side critical section (`nf_hook()`).
#[repr(transparent)]
pub(crate) struct HookState(Opaque<bindings::nf_hook_state>);

impl HookState {
    /// Where the packet is (`None`: a hook this abstraction does not name).
    pub(crate) fn hook(&self) -> Option<Hook> {
        // SAFETY: the state is alive for this borrow (type invariant).
        let hook = c_uint::from(unsafe { (*self.0.get()).hook });
        [Hook::PreRouting, Hook::LocalIn, Hook::LocalOut]
            .into_iter()
            .find(|h| h.raw() == hook)
    }

    /// The RCU read-side section the hook call runs in.
    pub(crate) fn rcu(&self) -> Rcu<'_> {
        // SAFETY: `nf_hook()` holds `rcu_read_lock()` for the whole call (type invariant).
        unsafe { Rcu::assume() }
    }

    /// The namespace the hook runs in.
    pub(crate) fn net(&self) -> &Net {
        // SAFETY: the state and its `net` are alive for this borrow (type invariant).
        unsafe { Net::from_raw((*self.0.get()).net) }
    }

    /// `NF_INET_LOCAL_IN`: answers `skb` (TCP) with a reset.
    pub(crate) fn send_reset(&self, skb: &Skb) {
        // SAFETY: the state and `skb` are alive for this call (type invariant).
        unsafe {
            let s = self.0.get();
            bindings::nf_send_reset(
                (*s).net,
                core::ptr::null_mut(),
                skb.as_ptr(),
                (*s).hook.into(),
            )
        }
    }

    /// `NF_INET_LOCAL_IN`: answers `skb` with ICMP port unreachable.
    pub(crate) fn send_port_unreachable(&self, skb: &Skb) {
        let code = bindings::ICMP_PORT_UNREACH as c_int;
        // SAFETY: the state and `skb` are alive for this call (type invariant).
        unsafe { bindings::nf_send_unreach(skb.as_ptr(), code, (*self.0.get()).hook.into()) }
    }

    /// Passes `copy` on to what follows the hook (`okfn`: at LOCAL_IN,
    /// delivery to sockets), which takes it over.
    pub(crate) fn continue_with(&self, copy: SkbCopy) {
        let s = self.0.get();
        // SAFETY: the state is alive for this call (type invariant).
        let (okfn, net, sk) = unsafe { ((*s).okfn, (*s).net, (*s).sk) };
        if let Some(okfn) = okfn {
            // `okfn` consumes the skb whatever it returns.
            // SAFETY: the hook's own continuation, called with its arguments and an skb we own.
            unsafe { okfn(net, sk, copy.into_raw()) };
        }
    }
}

/// A netfilter verdict.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Verdict {
    /// The packet goes on.
    Accept,
    /// The packet is dropped.
    Drop,
}
