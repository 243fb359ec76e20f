// SPDX-License-Identifier: GPL-2.0

//! Private loopback, Linux-VServer style: each L3 namespace gets its own
//! copy of 127.0.0.0/24: slot `s` owns `127.<1 + s / 256>.<s % 256>.0/24`
//! (65 280 copies in 127.1.0.0 - 127.255.255.255). A member's 127.0.0.x in
//! bind, connect and sendmsg is rewritten to its copy, its loopback traffic
//! carries its copy as source, and getsockname/getpeername show 127.0.0.x
//! again. The parent keeps 127.0.0.0/16; a member may not bind the parent's
//! 127.0.1.0 - 127.0.255.255 (`EADDRNOTAVAIL`) and reaches them only as it
//! reaches the parent's 127.0.0.1 (shared loopback). Loopback delivery stays inside one
//! namespace, except between the parent and a child whose loopback is
//! "shared" (trusted peers such as portmap, as the patch allowed): then the
//! child may reach the parent's services (its own listeners still win) and
//! receive the replies; the parent may not open TCP connections to it.

use super::bindrule::is_loopback;

/// Most slots with a private loopback (second octets 1..=255, third 0..=255).
pub const LOOPBACK_SLOTS: usize = 255 * 256;

/// The part of a member's loopback that is private (`127.0.0.0/24`).
const PRIVATE_NET: u32 = 0x7f00_0000;

/// Who a loopback address belongs to: `None` the parent, `Some(slot)` a child.
pub fn loopback_owner(addr: u32) -> Option<usize> {
    // The copy's /24 number above the parent's 127.0.0.0/16.
    let copy = ((addr >> 8) & 0xffff).checked_sub(256)?;
    usize::try_from(copy).ok()
}

/// The base address of `slot`'s copy of 127.0.0.0/24.
fn copy_base(slot: usize) -> Option<u32> {
    let s = u32::try_from(slot)
        .ok()
        .filter(|s| (*s as usize) < LOOPBACK_SLOTS)?;
    Some(PRIVATE_NET | (s.checked_add(256)? << 8))
}

/// Rewrites the parent's `127.0.0.x` into slot's copy (`None` for any
/// other address, the parent's 127.0.1.0 - 127.0.255.255 included).
pub fn to_private(addr: u32, slot: usize) -> Option<u32> {
    let base = copy_base(slot)?;
    (addr & 0xffff_ff00 == PRIVATE_NET).then_some(base | (addr & 0xff))
}

/// Maps slot's copy back to `127.0.0.x` (for getsockname/getpeername).
pub fn to_shared(addr: u32, slot: usize) -> Option<u32> {
    (is_loopback(addr) && loopback_owner(addr) == Some(slot)).then_some(PRIVATE_NET | (addr & 0xff))
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
