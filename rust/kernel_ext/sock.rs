// SPDX-License-Identifier: GPL-2.0

//! IPv4 sockets (`struct sock`) and the kernel's socket lookups.
//!
//! C headers: [`include/net/sock.h`](srctree/include/net/sock.h),
//! [`include/net/inet_hashtables.h`](srctree/include/net/inet_hashtables.h),
//! [`include/net/udp.h`](srctree/include/net/udp.h). `kernel::bindings`
//! has `struct sock` only as a name: its first member, `struct
//! sock_common`, is read through bindgen's layout, the few fields after it
//! through one-line helpers. [`Sock`] is borrowed (for a call, or for an
//! RCU read-side section: [`Rcu`]); [`SockRef`] owns a reference and puts
//! it in `Drop`.

use super::bindings;
use super::net::Net;
use super::skb::Skb;
use core::marker::PhantomData;
use core::ptr::NonNull;
use core::sync::atomic::{AtomicI32, Ordering};
use kernel::types::Opaque;

/// Proof that an RCU read-side critical section covers `'a` (sockets the
/// lookups return without a reference are alive that long).
#[derive(Clone, Copy)]
pub(crate) struct Rcu<'a>(PhantomData<&'a ()>);

impl<'a> Rcu<'a> {
    /// Under `guard`.
    pub(crate) fn held(_guard: &'a kernel::sync::rcu::Guard) -> Self {
        Rcu(PhantomData)
    }

    /// # Safety
    ///
    /// The caller is in an RCU read-side critical section for all of `'a`.
    pub(super) unsafe fn assume() -> Self {
        Rcu(PhantomData)
    }
}

/// A socket of any kind: full, request (`TCP_NEW_SYN_RECV`) or TIME_WAIT.
///
/// # Invariants
///
/// Only ever seen as `&Sock` borrowed for a span during which the kernel
/// keeps the socket's memory alive (a reference, or RCU for the sockets of
/// the lookup tables, which are freed after a grace period).
#[repr(transparent)]
pub(crate) struct Sock(Opaque<bindings::sock>);

impl Sock {
    /// # Safety
    ///
    /// `ptr` must point to a socket kept alive for the whole lifetime `'a`.
    pub(crate) unsafe fn from_raw<'a>(ptr: *const bindings::sock) -> &'a Self {
        // CAST: `Self` is `repr(transparent)` over `Opaque<sock>`.
        // SAFETY: the caller guarantees `ptr` is valid for `'a`.
        unsafe { &*ptr.cast::<Self>() }
    }

    /// Its address: an identity for tables keyed by socket.
    pub(crate) fn as_ptr(&self) -> *const bindings::sock {
        self.0.get()
    }

    /// `struct sock_common`, the first member of every kind of socket.
    fn common(&self) -> &bindings::sock_common {
        // CAST: `sock`, `request_sock` and `inet_timewait_sock` start with it.
        // SAFETY: the socket is alive for this borrow (type invariant).
        unsafe { &*self.0.get().cast::<bindings::sock_common>() }
    }

    fn state(&self) -> u32 {
        // SAFETY: `skc_state` is `volatile` in C: read it once, as the kernel does.
        u32::from(unsafe { core::ptr::read_volatile(&self.common().skc_state) })
    }

    /// A full socket (`sk_fullsock()`): neither request nor TIME_WAIT.
    pub(crate) fn is_full(&self) -> bool {
        let s = self.state();
        s != bindings::l3ns_helper_sk_state_L3NS_TCP_TIME_WAIT
            && s != bindings::l3ns_helper_sk_state_L3NS_TCP_NEW_SYN_RECV
    }

    /// For a request socket, the listener it belongs to (which it holds a
    /// reference on).
    pub(crate) fn listener(&self) -> Option<&Sock> {
        if self.state() != bindings::l3ns_helper_sk_state_L3NS_TCP_NEW_SYN_RECV {
            return None;
        }
        // SAFETY: a request socket's `skc_listener` is set while it is hashed and referenced.
        let l = unsafe { self.common().__bindgen_anon_5.skc_listener };
        // SAFETY: the request socket holds a reference on its listener.
        (!l.is_null()).then(|| unsafe { Sock::from_raw(l) })
    }

    /// The full socket behind it (`sk_to_full_sk()`): a request socket's
    /// listener; `None` for TIME_WAIT.
    pub(crate) fn full(&self) -> Option<&Sock> {
        match self.listener() {
            Some(l) => Some(l),
            None => self.is_full().then_some(self),
        }
    }

    /// Its bound local IPv4 address (host order).
    pub(crate) fn rcv_saddr(&self) -> u32 {
        // SAFETY: both union members are the same `__be32`s (`__addrpair`).
        let addrs = unsafe { self.common().__bindgen_anon_1.__bindgen_anon_1.as_ref() };
        u32::from_be(addrs.skc_rcv_saddr)
    }

    /// A kernel socket (`sk_kern_sock`)? Full sockets only.
    pub(crate) fn is_kernel(&self) -> bool {
        // SAFETY: the socket is alive (type invariant).
        unsafe { bindings::l3ns_helper_sk_kern_sock(self.0.get()) }
    }

    /// `IPPROTO_TCP` on a `SOCK_STREAM`, `IPPROTO_UDP` on a `SOCK_DGRAM`
    /// socket (full sockets only): which; `None` for anything else.
    pub(crate) fn l4(&self) -> Option<L4> {
        // SAFETY: the socket is alive (type invariant).
        let (proto, ty) = unsafe {
            (
                u32::from(bindings::l3ns_helper_sk_protocol(self.0.get())),
                u32::from(bindings::l3ns_helper_sk_type(self.0.get())),
            )
        };
        match (proto, ty) {
            (bindings::IPPROTO_TCP, bindings::sock_type_SOCK_STREAM) => Some(L4::Tcp),
            (bindings::IPPROTO_UDP, bindings::sock_type_SOCK_DGRAM) => Some(L4::Udp),
            _ => None,
        }
    }

    /// Its IP protocol (`sk_protocol`) as TCP or UDP, whatever the type.
    fn protocol(&self) -> Option<L4> {
        // SAFETY: the socket is alive (type invariant).
        match u32::from(unsafe { bindings::l3ns_helper_sk_protocol(self.0.get()) }) {
            bindings::IPPROTO_TCP => Some(L4::Tcp),
            bindings::IPPROTO_UDP => Some(L4::Udp),
            _ => None,
        }
    }

    /// Is a socket of this one's protocol (TCP or UDP) bound to
    /// `addr:port` (host order) in its netns, as a lookup for a packet from
    /// `addr` would find it (a TCP listener, any UDP socket)?
    pub(crate) fn listener_bound(&self, rcu: Rcu<'_>, addr: u32, port: u16) -> bool {
        let t = Tuple {
            saddr: addr,
            sport: 0,
            daddr: addr,
            dport: port,
            dif: 0,
            sdif: 0,
        };
        match self.protocol() {
            Some(L4::Tcp) => tcp_listener(self.net(), rcu, None, &t).is_some(),
            Some(L4::Udp) => udp(self.net(), rcu, &t).is_some(),
            None => false,
        }
    }

    /// Its network namespace (`sock_net()`).
    pub(crate) fn net(&self) -> &Net {
        // SAFETY: a socket holds its netns, or is freed before it (kernel sockets).
        unsafe { Net::from_raw(self.common().skc_net.net) }
    }

    /// Is `port` bound by a socket of this one's protocol (TCP or UDP) in
    /// its netns? Walks one bind-hash (TCP) or port-hash (UDP) chain with
    /// its lock held and interrupts off. Process context.
    pub(crate) fn port_in_use(&self, port: u16) -> bool {
        let net = self.net().as_ptr();
        match self.protocol() {
            Some(L4::Tcp) => {
                // SAFETY: `net` is alive; the bucket is part of its TCP bind hash table.
                let head = unsafe { bindings::l3ns_helper_tcp_bhash(net, port) };
                let bound = |node: *mut bindings::hlist_node| {
                    // SAFETY: `node` is a bucket's `node`, alive while the chain is locked.
                    unsafe {
                        let tb = kernel::container_of!(node, bindings::inet_bind_bucket, node);
                        (*tb).ib_net.net == net && (*tb).port == port
                    }
                };
                // SAFETY: `head` is live; its chain only changes under its lock.
                unsafe { chain_has(&raw mut (*head).lock, &raw const (*head).chain, bound) }
            }
            Some(L4::Udp) => {
                // SAFETY: `net` is alive; the slot is part of its UDP hash table.
                let slot = unsafe { bindings::l3ns_helper_udp_hashslot(net, port) };
                let bound = |node: *mut bindings::hlist_node| {
                    // CAST: `skc_node` is the first (union) member of that field.
                    let node = node.cast::<bindings::sock_common__bindgen_ty_6>();
                    // `udp_port_hash` is `skc_u16hashes[0]`.
                    // SAFETY: `node` is a socket's `skc_node`, alive while the chain is locked.
                    unsafe {
                        let c =
                            kernel::container_of!(node, bindings::sock_common, __bindgen_anon_6);
                        let hashes = (*c).__bindgen_anon_2.skc_u16hashes.as_ref();
                        (*c).skc_net.net == net && hashes[0] == port
                    }
                };
                // SAFETY: `slot` is live; its `head` only changes under its lock.
                unsafe {
                    let head = (*slot).__bindgen_anon_1.head.as_ref();
                    chain_has(&raw mut (*slot).lock, head, bound)
                }
            }
            None => false,
        }
    }
}

/// Walks the `hlist` at `head` holding `lock` with interrupts off: does
/// `hit` hold for a node? Process context.
///
/// # Safety
///
/// `lock` is live and protects the list at `head`; `hit` only reads the
/// node's entry.
unsafe fn chain_has(
    lock: *mut bindings::spinlock_t,
    head: *const bindings::hlist_head,
    hit: impl Fn(*mut bindings::hlist_node) -> bool,
) -> bool {
    // The kernel's `spin_lock_irq_disable()`: also keeps out softirqs taking it.
    // SAFETY: a live lock (the function contract).
    unsafe { bindings::spin_lock_irq_disable(lock) };
    // SAFETY: the list cannot change while we hold its lock.
    let mut node = unsafe { (*head).first };
    let mut found = false;
    while !node.is_null() && !found {
        found = hit(node);
        // SAFETY: `node` is on the list, which cannot change while we hold the lock.
        node = unsafe { (*node).next };
    }
    // SAFETY: taken above.
    unsafe { bindings::spin_unlock_irq_enable(lock) };
    found
}

/// The transport protocols l3ns virtualizes ports for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum L4 {
    /// TCP.
    Tcp,
    /// UDP.
    Udp,
}

/// A reference on a socket, put (`sock_gen_put()`) in `Drop`.
///
/// # Invariants
///
/// Holds one reference on the socket it points to.
pub(crate) struct SockRef(NonNull<bindings::sock>);

impl SockRef {
    /// Takes a reference on `sk` (`refcount_inc_not_zero()`); `None` if
    /// it is being freed.
    pub(crate) fn get(sk: &Sock) -> Option<Self> {
        // `skc_refcnt` is a `refcount_t`, an `atomic_t`: only used atomically.
        let counter = (&raw const sk.common().skc_refcnt.refs.counter).cast_mut();
        // SAFETY: the socket is alive for this borrow; the counter is an aligned `i32`.
        let refs = unsafe { AtomicI32::from_ptr(counter) };
        let mut old = refs.load(Ordering::Relaxed);
        loop {
            if old == 0 {
                return None;
            }
            match refs.compare_exchange_weak(
                old,
                old.wrapping_add(1),
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => break,
                Err(now) => old = now,
            }
        }
        if old < 0 || old.wrapping_add(1) < 0 {
            let kind = bindings::refcount_saturation_type_REFCOUNT_ADD_NOT_ZERO_OVF;
            // SAFETY: the counter is the socket's `refcount_t`.
            unsafe {
                bindings::refcount_warn_saturate(
                    (&raw const sk.common().skc_refcnt).cast_mut(),
                    kind,
                )
            };
        }
        // INVARIANT: we took a reference.
        Some(SockRef(NonNull::from(sk).cast()))
    }

    /// Gives up the reference (to an skb, which puts it).
    pub(super) fn into_raw(self) -> *mut bindings::sock {
        let p = self.0.as_ptr();
        core::mem::forget(self);
        p
    }
}

impl core::ops::Deref for SockRef {
    type Target = Sock;

    fn deref(&self) -> &Sock {
        // SAFETY: we hold a reference (type invariant).
        unsafe { Sock::from_raw(self.0.as_ptr()) }
    }
}

impl Drop for SockRef {
    fn drop(&mut self) {
        // SAFETY: we hold a reference (type invariant); any kind of socket.
        unsafe { bindings::sock_gen_put(self.0.as_ptr()) };
    }
}

/// A lookup key, as a received packet sees it (host byte order).
#[derive(Clone, Copy)]
pub(crate) struct Tuple {
    /// The remote address.
    pub(crate) saddr: u32,
    /// The remote port.
    pub(crate) sport: u16,
    /// The local address.
    pub(crate) daddr: u32,
    /// The local port.
    pub(crate) dport: u16,
    /// The interface (`inet_iif()`), 0 for any.
    pub(crate) dif: i32,
    /// The L3 master device (`inet_sdif()`), 0 for none.
    pub(crate) sdif: i32,
}

/// The TCP connection (established, request or TIME_WAIT) for `t`
/// (`__inet_lookup_established()`), referenced. Any context, RCU held.
pub(crate) fn tcp_established(net: &Net, _rcu: Rcu<'_>, t: &Tuple) -> Option<SockRef> {
    // SAFETY: `net` is alive; the lookup takes a reference on what it returns.
    let sk = unsafe {
        bindings::__inet_lookup_established(
            net.as_ptr(),
            t.saddr.to_be(),
            t.sport.to_be(),
            t.daddr.to_be(),
            t.dport,
            t.dif,
            t.sdif,
        )
    };
    // INVARIANT: the lookup's reference is ours.
    NonNull::new(sk).map(SockRef)
}

/// The TCP listener for `t` (`__inet_lookup_listener()`; with `skb` and
/// the transport payload offset `doff`, its reuseport group picks by the
/// packet), alive while RCU is held.
pub(crate) fn tcp_listener<'a>(
    net: &Net,
    _rcu: Rcu<'a>,
    skb: Option<(&Skb, usize)>,
    t: &Tuple,
) -> Option<&'a Sock> {
    let (skb, doff) = skb.map_or((core::ptr::null_mut(), 0), |(s, d)| (s.as_ptr(), d));
    let doff = i32::try_from(doff).ok()?;
    // SAFETY: `net` and `skb` are alive; the lookup only reads under RCU.
    let sk = unsafe {
        bindings::__inet_lookup_listener(
            net.as_ptr(),
            skb,
            doff,
            t.saddr.to_be(),
            t.sport.to_be(),
            t.daddr.to_be(),
            t.dport,
            t.dif,
            t.sdif,
        )
    };
    // SAFETY: listeners are freed after an RCU grace period, and `'a` is inside one.
    (!sk.is_null()).then(|| unsafe { Sock::from_raw(sk) })
}

/// The UDP socket for `t` (`__udp4_lib_lookup()`, reuseport groups pick
/// by hash), alive while RCU is held.
pub(crate) fn udp<'a>(net: &Net, _rcu: Rcu<'a>, t: &Tuple) -> Option<&'a Sock> {
    // SAFETY: `net` is alive; the lookup only reads under RCU.
    let sk = unsafe {
        bindings::__udp4_lib_lookup(
            net.as_ptr(),
            t.saddr.to_be(),
            t.sport.to_be(),
            t.daddr.to_be(),
            t.dport.to_be(),
            t.dif,
            t.sdif,
            core::ptr::null_mut(),
        )
    };
    // SAFETY: UDP sockets are freed after an RCU grace period, and `'a` is inside one.
    (!sk.is_null()).then(|| unsafe { Sock::from_raw(sk) })
}

#[cfg(CONFIG_KUNIT)]
#[path = "sock_kunit.rs"]
pub(crate) mod kunit;
