// SPDX-License-Identifier: GPL-2.0

//! What a member task may not do, whatever its credentials (the patch:
//! L3 namespaces "can not create more network namespaces, furthermore, they
//! lose their NET_ADMIN capability"). l3ns also takes `CAP_SYS_ADMIN` (no
//! new or entered network namespaces) and `CAP_SYS_MODULE` (no rmmod of
//! l3ns from inside).

/// `CAP_NET_ADMIN`: configure the shared stack (addresses, links, routes,
/// netfilter, sysctls under /proc/sys/net).
pub const CAP_NET_ADMIN: i32 = 12;
/// `CAP_SYS_ADMIN`: needed to create (`unshare -n`) or enter (`setns`)
/// network namespaces, and to remount debugfs or proc.
pub const CAP_SYS_ADMIN: i32 = 21;

/// `CAP_SYS_MODULE`: would let a member unload l3ns and escape.
pub const CAP_SYS_MODULE: i32 = 16;

/// `AF_PACKET`: raw link-layer access bypasses every IP-level rule.
pub const AF_PACKET: i32 = 17;

/// May a member task use capability `cap`?
pub fn member_may_use_cap(cap: i32) -> bool {
    !matches!(cap, CAP_NET_ADMIN | CAP_SYS_ADMIN | CAP_SYS_MODULE)
}

/// May a member task create a user socket of `family`?
pub fn member_may_create_socket(family: i32) -> bool {
    family != AF_PACKET
}

#[cfg(test)]
#[path = "privilege_tests.rs"]
mod tests;
