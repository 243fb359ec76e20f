// SPDX-License-Identifier: GPL-2.0

//! Private loopback, Linux-VServer style: each L3 namespace gets its own
//! copy of 127.0.0.0/16 at `127.<slot + 1>.0.0/16`. A member's 127.0.x.y in
//! bind, connect and sendmsg is rewritten to its copy, its loopback traffic
//! carries its copy as source, and getsockname/getpeername show 127.0.x.y
//! again. The parent keeps 127.0.0.0/16. Loopback delivery stays inside one
//! namespace, except between the parent and a child whose loopback is
//! "shared" (trusted peers such as portmap, as the patch allowed): then the
//! child may reach the parent's services (its own listeners still win) and
//! receive the replies; the parent may not open TCP connections to it.

use super::bindrule::is_loopback;

/// Most slots with a private loopback (second octets 1..=255).
pub const LOOPBACK_SLOTS: usize = 255;

/// Who a loopback address belongs to: `None` the parent, `Some(slot)` a child.
pub fn loopback_owner(addr: u32) -> Option<usize> {
    match (addr >> 16) & 0xff {
        0 => None,
        second => Some(second as usize - 1),
    }
}

/// Rewrites the parent's `127.0.x.y` into slot's copy.
pub fn to_private(addr: u32, slot: usize) -> Option<u32> {
    let second = u32::try_from(slot)
        .ok()
        .filter(|s| (*s as usize) < LOOPBACK_SLOTS)?
        + 1;
    (is_loopback(addr) && loopback_owner(addr).is_none())
        .then_some((addr & 0xff00_ffff) | (second << 16))
}

/// Maps slot's copy back to `127.0.x.y` (for getsockname/getpeername).
pub fn to_shared(addr: u32, slot: usize) -> Option<u32> {
    (is_loopback(addr) && loopback_owner(addr) == Some(slot)).then_some(addr & 0xff00_ffff)
}

/// The loopback source a member's traffic carries.
pub fn member_loopback_source(slot: usize) -> Option<u32> {
    to_private(0x7f00_0001, slot)
}

/// What a member's bind of a loopback address becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoopbackBind {
    /// Bind this address instead.
    Rewrite(u32),
    /// Bind it as asked (its own copy).
    Keep,
    /// Another namespace's copy: `EADDRNOTAVAIL`.
    Refuse,
}

/// A member of `slot` binds loopback `addr`.
pub fn member_bind(addr: u32, slot: usize) -> LoopbackBind {
    match (loopback_owner(addr), to_private(addr, slot)) {
        (None, Some(private)) => LoopbackBind::Rewrite(private),
        (Some(owner), _) if owner == slot => LoopbackBind::Keep,
        _ => LoopbackBind::Refuse,
    }
}

/// May the parent bind loopback `addr`? Not a child's copy.
pub fn parent_may_bind(addr: u32) -> bool {
    loopback_owner(addr).is_none()
}

/// A loopback packet `saddr -> daddr` reaches a socket of `receiver`
/// (`None`: the parent)? `shared(slot)` tells whether that child trusts the
/// parent's loopback; `tcp_syn` marks a connection request.
pub fn may_deliver(
    daddr: u32,
    saddr: u32,
    receiver: Option<usize>,
    tcp_syn: bool,
    shared: impl Fn(usize) -> bool,
) -> bool {
    let (dst, src) = (loopback_owner(daddr), loopback_owner(saddr));
    if dst != receiver {
        return false;
    }
    match (dst, src) {
        (d, s) if d == s => true,
        // A trusting child talks to the parent's services.
        (None, Some(child)) => shared(child),
        // The parent answers it; it may not call in.
        (Some(child), None) => shared(child) && !tcp_syn,
        _ => false,
    }
}

/// May a member of `slot` send a packet from loopback `saddr`?
pub fn member_may_send_from(saddr: u32, slot: usize) -> bool {
    loopback_owner(saddr) == Some(slot)
}

#[cfg(test)]
#[path = "loopback_tests.rs"]
mod tests;
