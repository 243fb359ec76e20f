// SPDX-License-Identifier: GPL-2.0

//! A user's inet socket, borrowed for one hook call: a full socket (not a
//! request or TIME_WAIT entry) of family `AF_INET` or `AF_INET6` that
//! userspace created (`sk_kern_sock` clear).
//!
//! C header: [`include/net/sock.h`](srctree/include/net/sock.h). Fields are
//! read through bindgen's layout of `struct sock` (opaque in
//! `kernel::bindings`, generated here).

use super::bindings;
use super::cred::UserNamespace;
use super::sock::Sock;
use core::marker::PhantomData;

/// `TCP_LISTEN` (include/net/tcp_states.h: an anonymous enum, user ABI
/// through `/proc/net/tcp`; bindgen would give it a `_bindgen_ty_N` type
/// whose name clashes with kernel::bindings').
const TCP_LISTEN: u8 = 10;
/// `TCPF_TIME_WAIT | TCPF_NEW_SYN_RECV`: the states of entries that are not
/// full sockets (`sk_fullsock()`), `TCP_TIME_WAIT` = 6, `TCP_NEW_SYN_RECV` = 12.
const FULLSOCK_EXCLUDED: u32 = (1 << 6) | (1 << 12);

/// A user inet socket live for `'a`.
///
/// # Invariants
///
/// `sk` is a full, user-created `AF_INET`/`AF_INET6` socket, live for `'a`.
#[derive(Clone, Copy)]
pub(crate) struct UserSock<'a> {
    sk: *const bindings::sock,
    _call: PhantomData<&'a ()>,
}

impl<'a> UserSock<'a> {
    /// `sk` as a user inet socket, if it is one.
    ///
    /// # Safety
    ///
    /// `sk` is null or a socket live for the returned value's lifetime.
    pub(crate) unsafe fn of(sk: *const bindings::sock) -> Option<Self> {
        if sk.is_null() {
            return None;
        }
        // `skc_state` and `skc_family` are plain fields of every socket, full or not.
        // SAFETY: `sk` is live (function contract).
        let common = unsafe { &(*sk).__sk_common };
        let (state, family) = (common.skc_state, common.skc_family);
        if (1u32 << (state & 31)) & FULLSOCK_EXCLUDED != 0 {
            return None;
        }
        let inet =
            u32::from(family) == bindings::AF_INET || u32::from(family) == bindings::AF_INET6;
        // SAFETY: a full socket (checked above) has the whole `struct sock`.
        let kern = unsafe { (*sk).sk_kern_sock() } != 0;
        // INVARIANT: full, user-created, inet; live per the contract.
        (inet && !kern).then_some(UserSock {
            sk,
            _call: PhantomData,
        })
    }

    fn sk(&self) -> &bindings::sock {
        // SAFETY: live for `'a` (type invariant).
        unsafe { &*self.sk }
    }

    /// Its address: an identity for tables, valid until it is freed.
    pub(crate) fn id(&self) -> usize {
        self.sk as usize
    }

    /// As a [`Sock`] borrowed for as long.
    pub(crate) fn sock(&self) -> &'a Sock {
        // SAFETY: live for `'a` (type invariant).
        unsafe { Sock::from_raw(self.sk) }
    }

    /// The raw `struct sock`, for C calls that need it.
    pub(crate) fn as_ptr(&self) -> *const bindings::sock {
        self.sk
    }

    /// `AF_INET` or `AF_INET6`.
    pub(crate) fn family(&self) -> u32 {
        u32::from(self.sk().__sk_common.skc_family)
    }

    /// `sk_type` (`SOCK_STREAM`, `SOCK_DGRAM`, ...).
    pub(crate) fn kind(&self) -> u32 {
        u32::from(self.sk().sk_type)
    }

    /// `sk_protocol` (`IPPROTO_TCP`, ...).
    pub(crate) fn protocol(&self) -> u32 {
        u32::from(self.sk().sk_protocol)
    }

    /// Has it a local port already (`inet_num`)?
    pub(crate) fn is_bound(&self) -> bool {
        let ports = &self.sk().__sk_common.__bindgen_anon_3.__bindgen_anon_1;
        // SAFETY: the union's two members are the same 32 bits, any value valid.
        let num = unsafe { core::ptr::read_volatile(&raw const ports.as_ref().skc_num) };
        num != 0
    }

    /// An `AF_INET6` socket with `IPV6_V6ONLY` (it never sees IPv4)?
    pub(crate) fn is_v6only(&self) -> bool {
        self.family() == bindings::AF_INET6 && self.sk().__sk_common.skc_ipv6only() != 0
    }

    /// The user namespace owning its network namespace.
    pub(crate) fn net_user_ns(&self) -> &UserNamespace {
        // SAFETY: a live socket pins its network namespace, which pins its user namespace.
        unsafe { UserNamespace::from_raw((*self.net()).user_ns) }
    }

    /// A TCP listener?
    pub(crate) fn is_listening(&self) -> bool {
        self.sk().__sk_common.skc_state == TCP_LISTEN
    }

    /// Its network namespace (`sock_net()`).
    pub(crate) fn net(&self) -> *mut bindings::net {
        self.sk().__sk_common.skc_net.net
    }

    /// The inode number of its network namespace.
    pub(crate) fn net_inum(&self) -> u32 {
        // SAFETY: a live socket pins its network namespace.
        unsafe { (*self.net()).ns.inum }
    }
}
