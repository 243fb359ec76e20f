// SPDX-License-Identifier: GPL-2.0

//! Socket ownership and the bind rule (`Documentation/design.rst`,
//! mechanisms 5 and 7). A socket belongs to the namespace of the task that
//! created it; bind() is judged with the socket's namespace, not the
//! caller's.

use crate::caller;
use crate::ffi::{errno, BindSock, SockId};
use crate::kernel_ext::sock::Sock;
use crate::kernel_ext::sock_events;
use crate::policy::bindrule::{
    bind_reach, is_loopback, member_may_bind, parent_may_bind, shares_port, BindAddr,
};
use crate::policy::loopback::{self, LoopbackBind};
use crate::policy::parse::Dotted;
use crate::policy::ports::Proto;
use crate::policy::privilege::{member_may_use_cap, member_socket, SocketVerdict};
use crate::reaper::Reaper;
use crate::registry::{index_of, State, CLOSED};
use crate::tags::{self, SockTags, TaskTags};
use core::sync::atomic::Ordering;
use kernel::prelude::*;

/// Displays a bind address for logs.
struct ShowBind(BindAddr);

impl kernel::fmt::Display for ShowBind {
    fn fmt(&self, f: &mut kernel::fmt::Formatter<'_>) -> kernel::fmt::Result {
        match self.0 {
            BindAddr::V4(a) => write!(f, "{}", Dotted(a)),
            BindAddr::V6Any => f.write_str("::"),
            BindAddr::V6Loopback => f.write_str("::1"),
            BindAddr::V6Other => f.write_str("an IPv6 address"),
        }
    }
}

/// What a bind() becomes.
pub(crate) struct BindRewrite {
    /// Bind this IPv4 address instead.
    pub(crate) addr: Option<u32>,
    /// Bind this port instead (a hidden port).
    pub(crate) port: Option<u16>,
}

impl State {
    /// A user socket was created: a member's socket joins its namespace.
    /// Fails (socket(2) fails with `ENOBUFS`) if the tag cannot be stored.
    pub(crate) fn sock_create(&self, sk: SockId) -> Result {
        let Some(tag) = TaskTags::get(caller::task()) else {
            return Ok(());
        };
        let Err(e) = self.add_socket(sk, tag) else {
            return Ok(());
        };
        if caller::log_ratelimit() {
            pr_warn!(
                "socket: cannot tag a member socket ({}): ENOBUFS\n",
                tags::failure_reason(e)
            );
        }
        Err(ENOBUFS)
    }

    /// A socket was cloned (an accepted connection): it inherits.
    pub(crate) fn sock_clone(&self, parent: SockId, child: SockId) {
        let Some(tag) = SockTags::get(parent) else {
            return;
        };
        if let Err(e) = self.add_socket(child, tag) {
            if caller::log_ratelimit() {
                pr_warn!(
                    "socket: cannot tag an accepted member socket ({})\n",
                    tags::failure_reason(e)
                );
            }
        }
    }

    /// Makes `sk` a socket of the namespace `tag` names: the tag table's
    /// error (counted as a refusal) when the tag cannot be stored; `Ok`
    /// otherwise, also when that namespace is no longer live (ended, or
    /// module unload in progress: the socket stays untagged).
    fn add_socket(&self, sk: SockId, tag: u32) -> Result {
        // An accepted socket of a listener closed meanwhile is open itself.
        let tag = tag & !CLOSED;
        let Some(index) = index_of(tag) else {
            return Ok(());
        };
        if !self.table.socket_get(index) {
            return Ok(());
        }
        let set = match SockTags::set(sk, tag) {
            // A socket being created or cloned is at an address no live
            // socket has: a tag already there is left over from a socket
            // whose free the kprobes core skipped (a hit nested in another
            // probe handler on that CPU). Settle it as that free would
            // have, then tag.
            Err(e) if e == EEXIST => {
                self.sock_free(sk);
                SockTags::set(sk, tag)
            }
            set => set,
        };
        set.inspect_err(|_| {
            // Its creator or listener is still there: this never ends the namespace.
            self.table.socket_put(index);
            self.refused(index);
        })
    }

    /// Userspace closed the socket (its last file reference went): it no
    /// longer keeps the namespace alive. The tag stays, marked `CLOSED`,
    /// until the socket is freed, so an orphaned TCP connection still sends
    /// as the namespace's while the namespace lives.
    pub(crate) fn sock_close(&self, sk: SockId) {
        let Some(tag) = SockTags::get(sk).filter(|t| t & CLOSED == 0) else {
            return;
        };
        // Only one of a racing close and free counts the socket down.
        if !SockTags::replace(sk, tag, tag | CLOSED) {
            return;
        }
        if index_of(tag).is_some_and(|i| self.table.socket_put(i)) {
            Reaper::kick();
        }
    }

    /// A socket is being freed.
    pub(crate) fn sock_free(&self, sk: SockId) {
        let Some(tag) = SockTags::del(sk) else {
            return;
        };
        // Only member sockets reserve hidden ports.
        self.port_free(sk);
        // A socket never closed by userspace (an accepted connection nobody
        // accepted) is counted down here.
        if tag & CLOSED == 0 && index_of(tag).is_some_and(|i| self.table.socket_put(i)) {
            Reaper::kick();
        }
    }

    /// bind() of `addr` (and, for a first TCP/UDP bind, `shared_port`):
    /// the address and port to bind instead, if any. A member's
    /// 127.0.x.y becomes its private copy; a member's port on any address
    /// but its own unicast ones becomes a hidden port (mechanism 13).
    pub(crate) fn bind_check(
        &self,
        sock: &BindSock<'_>,
        net: u32,
        addr: BindAddr,
        v6only: bool,
        shared_port: Option<(Proto, u16)>,
        needs_cap: bool,
    ) -> Result<BindRewrite> {
        let sk = sock.id();
        let new_addr = self.bind_addr_check(sk, net, bind_reach(addr, v6only))?;
        let port = match (self.sock_slot(sk), shared_port) {
            (Some(slot), Some((proto, port))) if self.shareable(net, slot, addr, v6only) => {
                // The kernel would judge the hidden port, never privileged.
                if needs_cap {
                    let id = self.refused(slot);
                    if caller::log_ratelimit() {
                        pr_info!(
                            "bind: L3 namespace {}: port {} needs CAP_NET_BIND_SERVICE (EACCES)\n",
                            id,
                            port
                        );
                    }
                    return Err(EACCES);
                }
                Some(self.reserve_port(sock, slot, proto, port)?)
            }
            _ => None,
        };
        Ok(BindRewrite {
            addr: new_addr,
            port,
        })
    }

    /// Does a member of `slot` binding `addr` get a hidden port?
    fn shareable(&self, net: u32, slot: usize, addr: BindAddr, v6only: bool) -> bool {
        let own = matches!(addr, BindAddr::V4(a) if self.addr_owner(net, a) == Some(slot));
        shares_port(addr, own, v6only)
    }

    /// The address part of bind(): `Ok(None)` lets it proceed, `Ok(Some(a))`
    /// binds IPv4 `a` instead, `Err(EADDRNOTAVAIL)` refuses.
    fn bind_addr_check(&self, sk: SockId, net: u32, addr: BindAddr) -> Result<Option<u32>> {
        let member = self.sock_slot(sk);
        if let BindAddr::V4(a) = addr {
            if is_loopback(a) {
                let verdict = match member {
                    Some(index) => loopback::member_bind(a, index),
                    None if loopback::parent_may_bind(a) => LoopbackBind::Keep,
                    None => LoopbackBind::Refuse,
                };
                return match verdict {
                    LoopbackBind::Rewrite(private) => Ok(Some(private)),
                    LoopbackBind::Keep => Ok(None),
                    LoopbackBind::Refuse => {
                        if let Some(index) = member {
                            self.refused(index);
                        }
                        if caller::log_ratelimit() {
                            pr_info!(
                                "bind: {} is another namespace's loopback (EADDRNOTAVAIL)\n",
                                Dotted(a)
                            );
                        }
                        Err(EADDRNOTAVAIL)
                    }
                };
            }
        }
        let allowed = match member {
            Some(index) => {
                let fast = matches!(addr, BindAddr::V4(a)
                    if self.addr_owner(net, a) == Some(index));
                let ok = fast || self.with_owned(net, index, |it| member_may_bind(addr, it));
                if !ok {
                    let id = self.refused(index);
                    if caller::log_ratelimit() {
                        pr_info!(
                            "bind: L3 namespace {}: {} refused (EADDRNOTAVAIL)\n",
                            id,
                            ShowBind(addr)
                        );
                    }
                }
                ok
            }
            None => {
                let owned = matches!(addr, BindAddr::V4(a) if self.child_owns(net, a));
                let ok = parent_may_bind(addr, owned);
                if !ok && caller::log_ratelimit() {
                    pr_info!(
                        "bind: {} is owned by an L3 namespace (EADDRNOTAVAIL)\n",
                        ShowBind(addr)
                    );
                }
                ok
            }
        };
        if allowed {
            Ok(None)
        } else {
            Err(EADDRNOTAVAIL)
        }
    }
}

impl State {
    /// `security_capable()` for the current task: members lose
    /// `CAP_NET_ADMIN` and `CAP_SYS_ADMIN` (mechanism 8).
    pub(crate) fn capable_check(&self, cap: i32) -> Result {
        let Some(index) = self.task_slot(caller::task()) else {
            return Ok(());
        };
        if member_may_use_cap(cap) {
            return Ok(());
        }
        let id = self.refused(index);
        if caller::log_ratelimit() {
            pr_info!(
                "capability {} refused to pid {} in L3 namespace {} (EPERM)\n",
                cap,
                caller::pid(),
                id
            );
        }
        Err(EPERM)
    }

    /// A member has no IPv6: its socket `sk` connects or sends to a native
    /// IPv6 destination (`::1` included).
    pub(crate) fn v6_dest_check(&self, sk: SockId) -> Result {
        let Some(index) = self.sock_slot(sk) else {
            return Ok(());
        };
        let id = self.refused(index);
        if caller::log_ratelimit() {
            pr_info!(
                "connect/send: L3 namespace {} has no IPv6 (ENETUNREACH)\n",
                id
            );
        }
        Err(ENETUNREACH)
    }

    /// A native IPv6 packet for socket `sk`: never a member's (softirq).
    pub(crate) fn v6_deliver_check(&self, sk: SockId) -> Result {
        if self.sock_slot(sk).is_none() {
            return Ok(());
        }
        self.dropped_delivery.fetch_add(1, Ordering::Relaxed);
        Err(EPERM)
    }

    /// `security_socket_create()` for a user socket of the current task.
    pub(crate) fn socket_create_check(&self, family: i32, kind: i32, protocol: i32) -> Result {
        let Some(index) = self.task_slot(caller::task()) else {
            return Ok(());
        };
        let err = match member_socket(family, kind, protocol) {
            SocketVerdict::Allow => return Ok(()),
            SocketVerdict::Family => EPERM,
            SocketVerdict::Protocol => EPROTONOSUPPORT,
            SocketVerdict::NoIpv6 => EAFNOSUPPORT,
        };
        let id = self.refused(index);
        if caller::log_ratelimit() {
            pr_info!(
                "socket({}, {}, {}) refused in L3 namespace {} ({})\n",
                family,
                kind,
                protocol,
                id,
                errno::Name(err)
            );
        }
        Err(err)
    }
}

impl sock_events::Handler for State {
    fn socket_create(&self, family: i32, kind: i32, protocol: i32) -> Result {
        self.socket_create_check(family, kind, protocol)
    }

    fn created(&self, sk: &Sock) -> Result {
        self.sock_create(SockId::of(sk))
    }

    fn cloned(&self, sk: &Sock, newsk: &Sock) {
        self.sock_clone(SockId::of(sk), SockId::of(newsk));
    }

    fn closed(&self, sk: &Sock) {
        self.sock_close(SockId::of(sk));
    }

    fn freed(&self, sk: &Sock) {
        self.sock_free(SockId::of(sk));
    }

    fn capable(&self, cap: i32) -> Result {
        self.capable_check(cap)
    }
}
