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

/// A user namespace, as `cap_capable()` walks them.
pub trait UserNs: Sized {
    /// Is it `other`?
    fn same(&self, other: &Self) -> bool;
    /// Its depth below the initial namespace (0).
    fn level(&self) -> i32;
    /// The namespace it was created in; `None` for the initial one.
    fn parent(&self) -> Option<Self>;
    /// The effective uid of the task that created it.
    fn owner(&self) -> u32;
}

/// What a task's credentials say about one capability.
pub struct Creds<N> {
    /// The user namespace its capabilities are held in.
    pub user_ns: N,
    /// Its effective uid.
    pub euid: u32,
    /// Whether the capability is in its effective set.
    pub effective: bool,
}

/// `cap_capable()`'s rule, without the LSMs: the capability counts in
/// `target` if `target` is the credentials' own user namespace and the
/// effective set has it, or if `target` lies below a namespace whose
/// parent is the credentials' and which their euid created (its creator
/// holds every capability in it and below).
pub fn holds_capability<N: UserNs>(creds: &Creds<N>, target: N) -> bool {
    let mut ns = target;
    loop {
        if ns.same(&creds.user_ns) {
            return creds.effective;
        }
        // Not below the credentials' namespace: nothing there is theirs.
        if ns.level() <= creds.user_ns.level() {
            return false;
        }
        let Some(parent) = ns.parent() else {
            return false;
        };
        if parent.same(&creds.user_ns) && ns.owner() == creds.euid {
            return true;
        }
        ns = parent;
    }
}

/// `AF_INET`, `AF_INET6`.
pub const AF_INET: i32 = 2;
/// See [`AF_INET`].
pub const AF_INET6: i32 = 10;

/// What a member's `socket(family, type, protocol)` gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SocketVerdict {
    /// Created.
    Allow,
    /// `EPERM`: a family that bypasses IP (`AF_PACKET`).
    Family,
    /// `EPROTONOSUPPORT`: an IP protocol l3ns does not virtualize (SCTP,
    /// DCCP, UDP-Lite, MPTCP): its ports and delivery would be the
    /// parent's.
    Protocol,
    /// `EAFNOSUPPORT`: raw IPv6 and ICMPv6 sockets, which exist only for
    /// native IPv6 (a member has no IPv6).
    NoIpv6,
}

/// May a member task create a user socket? IP sockets: TCP, UDP, ping
/// (ICMP datagram) and raw only.
pub fn member_socket(family: i32, kind: i32, protocol: i32) -> SocketVerdict {
    const STREAM: i32 = 1;
    const DGRAM: i32 = 2;
    const RAW: i32 = 3;
    const TCP: i32 = 6;
    const UDP: i32 = 17;
    const ICMP: i32 = 1;
    const ICMPV6: i32 = 58;
    if family == AF_PACKET {
        return SocketVerdict::Family;
    }
    if family != AF_INET && family != AF_INET6 {
        return SocketVerdict::Allow;
    }
    if family == AF_INET6 && (kind & 0xf == RAW || protocol == ICMPV6) {
        return SocketVerdict::NoIpv6;
    }
    // SOCK_NONBLOCK / SOCK_CLOEXEC live above the type's low four bits.
    let ok = match kind & 0xf {
        STREAM => matches!(protocol, 0 | TCP),
        DGRAM => matches!(protocol, 0 | UDP | ICMP | ICMPV6),
        RAW => true,
        _ => false,
    };
    if ok {
        SocketVerdict::Allow
    } else {
        SocketVerdict::Protocol
    }
}

/// A file a task opens for writing, as the open guard classifies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenKind {
    /// Anything not guarded.
    Other,
    /// `net_ns/start` and `net_ns/info`: the patch's workflow.
    Own,
    /// A sysctl under `/proc/sys` (the shared stack's `net.*`, and
    /// `kernel.ftrace_enabled`, `kernel.core_pattern`, `kernel.modprobe`).
    Sysctl,
    /// Any other debugfs file, any tracefs file (`kprobes/enabled`).
    Tracing,
    /// A module parameter under `/sys/module/*/parameters`.
    ModParam,
}

/// Filesystem magic numbers (`include/uapi/linux/magic.h`, kernel ABI).
pub mod fs_magic {
    /// procfs.
    pub const PROC: u64 = 0x9fa0;
    /// debugfs.
    pub const DEBUGFS: u64 = 0x6462_6720;
    /// tracefs.
    pub const TRACEFS: u64 = 0x7472_6163;
    /// sysfs.
    pub const SYSFS: u64 = 0x6265_6572;
}

/// The path of a file being opened, as the open guard sees it.
pub trait OpenedPath {
    /// Components below the filesystem's root.
    fn depth(&self) -> usize;
    /// The name of the `depth`-th component (1: the top level).
    fn component(&self, depth: usize) -> Option<&[u8]>;
    /// Is it `net_ns/start` or `net_ns/info` (debugfs only)?
    fn is_own_file(&self) -> bool;
}

/// What kind of file a write open on filesystem `fs` (a [`fs_magic`]) is:
/// `/proc/sys/...`, a debugfs or tracefs file, or
/// `/sys/module/<module>/parameters/<name>`.
pub fn open_kind(fs: u64, path: &impl OpenedPath) -> OpenKind {
    match fs {
        fs_magic::PROC if path.component(1) == Some(b"sys") => OpenKind::Sysctl,
        fs_magic::DEBUGFS if path.is_own_file() => OpenKind::Own,
        fs_magic::DEBUGFS | fs_magic::TRACEFS => OpenKind::Tracing,
        fs_magic::SYSFS if is_module_param(path) => OpenKind::ModParam,
        _ => OpenKind::Other,
    }
}

fn is_module_param(path: &impl OpenedPath) -> bool {
    path.depth() == 4
        && path.component(1) == Some(b"module")
        && path.component(3) == Some(b"parameters")
}

/// May a member task open a file of `kind` for writing? Root owns these
/// files (DAC alone guards them, no capability): writing them would switch
/// l3ns off (`kprobes/enabled`, `ftrace_enabled`), change the parent's
/// stack (`net.ipv4.*`) or run code outside the namespace (`core_pattern`).
pub fn member_may_open_for_write(kind: OpenKind) -> bool {
    matches!(kind, OpenKind::Other | OpenKind::Own)
}

#[cfg(test)]
#[path = "privilege_tests.rs"]
mod tests;
