// SPDX-License-Identifier: GPL-2.0

//! IPv4 packets (`struct sk_buff`) as netfilter hooks see them.
//!
//! C headers: [`include/linux/skbuff.h`](srctree/include/linux/skbuff.h),
//! [`include/net/ip.h`](srctree/include/net/ip.h). [`Skb`] is borrowed for
//! one hook call; its header reads and checksum-keeping port rewrites are
//! the kernel's static inlines (`skb_header_pointer()`, `ip_hdr()`,
//! `skb_orphan()`, `inet_proto_csum_replace2()`) redone over bindgen's
//! layouts (the rewrites in `skb_rewrite.rs`). [`SkbCopy`] owns a clone.

use super::bindings;
use super::sock::{SockRef, L4};
use kernel::ffi::c_int;
use kernel::types::Opaque;

#[path = "skb_rewrite.rs"]
mod rewrite;
pub(crate) use rewrite::PortField;

/// Packet headers that may be read from any bytes (plain integers and
/// bitfield units, no padding that matters, no pointers).
///
/// # Safety
///
/// Every bit pattern of `size_of::<Self>()` bytes is a valid `Self`.
pub(crate) unsafe trait Header {}

// SAFETY: integer fields and bitfield units only.
unsafe impl Header for bindings::iphdr {}
// SAFETY: integer fields and bitfield units only.
unsafe impl Header for bindings::tcphdr {}
// SAFETY: integer fields only.
unsafe impl Header for bindings::udphdr {}
// SAFETY: integer fields and unions of integers only.
unsafe impl Header for bindings::icmphdr {}
// SAFETY: integers.
unsafe impl Header for [u16; 2] {}

/// What a hook needs of an IPv4 header (addresses in host byte order).
#[derive(Clone, Copy)]
pub(crate) struct Ipv4 {
    /// Source address.
    pub(crate) saddr: u32,
    /// Destination address.
    pub(crate) daddr: u32,
    /// `IPPROTO_*`.
    pub(crate) protocol: u8,
    /// Header length in bytes.
    pub(crate) header_len: usize,
    /// A fragment other than the first (its transport header is elsewhere).
    pub(crate) later_fragment: bool,
}

impl Ipv4 {
    /// From a header read off a packet.
    pub(crate) fn of(h: &bindings::iphdr) -> Self {
        // SAFETY: both union members are the same two `__be32`s.
        let (saddr, daddr) = unsafe {
            let a = h.__bindgen_anon_1.__bindgen_anon_1.as_ref();
            (a.saddr, a.daddr)
        };
        Ipv4 {
            saddr: u32::from_be(saddr),
            daddr: u32::from_be(daddr),
            protocol: h.protocol,
            header_len: usize::from(h.ihl()) * 4,
            later_fragment: u16::from_be(h.frag_off) & bindings::IP_OFFSET as u16 != 0,
        }
    }
}

/// The TCP/UDP header of a packet (ports in host order).
#[derive(Clone, Copy)]
pub(crate) struct Ports {
    /// TCP or UDP.
    pub(crate) l4: L4,
    /// Source port.
    pub(crate) sport: u16,
    /// Destination port.
    pub(crate) dport: u16,
    /// TCP SYN without ACK.
    pub(crate) syn: bool,
    /// Transport header length in bytes.
    pub(crate) header_len: usize,
}

/// The TCP/UDP packet an ICMP error quotes (host order: the quoted
/// packet's own addresses and ports, as it was sent).
#[derive(Clone, Copy)]
pub(crate) struct Quote {
    /// TCP or UDP.
    pub(crate) l4: L4,
    /// The quoted source address (ours).
    pub(crate) saddr: u32,
    /// The quoted destination address.
    pub(crate) daddr: u32,
    /// The quoted source port.
    pub(crate) sport: u16,
    /// The quoted destination port.
    pub(crate) dport: u16,
    icmp_offset: usize,
    sport_offset: usize,
}

/// A packet, borrowed for one hook call.
///
/// # Invariants
///
/// Only ever seen as `&Skb` borrowed for a netfilter hook call (or as the
/// target of an [`SkbCopy`]) on an IPv4 packet whose `data` is its network
/// header, with the IP header in the linear area (`ip_rcv()` and
/// `__ip_local_out()` make sure of that).
#[repr(transparent)]
pub(crate) struct Skb(Opaque<bindings::sk_buff>);

impl Skb {
    /// # Safety
    ///
    /// `ptr` must be an IPv4 packet at a netfilter hook, as the type
    /// invariant says, for the whole lifetime `'a`.
    pub(super) unsafe fn from_raw<'a>(ptr: *mut bindings::sk_buff) -> &'a Self {
        // CAST: `Self` is `repr(transparent)` over `Opaque<sk_buff>`.
        // SAFETY: the caller guarantees `ptr` is valid for `'a`.
        unsafe { &*ptr.cast::<Self>() }
    }

    /// The raw pointer, for the kernel's functions.
    pub(super) fn as_ptr(&self) -> *mut bindings::sk_buff {
        self.0.get()
    }

    /// `skb_network_header()`.
    fn network_header(&self) -> *mut u8 {
        let s = self.0.get();
        // SAFETY: the skb is alive (type invariant); `headers` is its active union member.
        unsafe {
            let off = (*s)
                .__bindgen_anon_4
                .__bindgen_anon_1
                .as_ref()
                .network_header;
            (*s).head.add(usize::from(off))
        }
    }

    /// The IPv4 header (`ip_hdr()`).
    pub(crate) fn ipv4(&self) -> Ipv4 {
        // SAFETY: the header is in the linear area (type invariant); any bytes are an `iphdr`.
        Ipv4::of(&unsafe {
            self.network_header()
                .cast::<bindings::iphdr>()
                .read_unaligned()
        })
    }

    /// A copy of the `T` at `offset` from `data` (`skb_header_pointer()`),
    /// `None` if the packet is shorter.
    pub(crate) fn read<T: Header>(&self, offset: usize) -> Option<T> {
        let s = self.0.get();
        let len = core::mem::size_of::<T>();
        let end = offset.checked_add(len)?;
        // SAFETY: the skb is alive (type invariant).
        let (total, paged, data) = unsafe { ((*s).len, (*s).data_len, (*s).data) };
        let linear = usize::try_from(total.checked_sub(paged)?).ok()?;
        if end <= linear {
            // SAFETY: `offset..end` is inside the linear area; any bytes are a `T`.
            return Some(unsafe { data.add(offset).cast::<T>().read_unaligned() });
        }
        let mut out = core::mem::MaybeUninit::<T>::uninit();
        let (off, n) = (c_int::try_from(offset).ok()?, c_int::try_from(len).ok()?);
        // SAFETY: `out` has room for `len` bytes; the skb is alive.
        let r = unsafe { bindings::skb_copy_bits(s, off, out.as_mut_ptr().cast(), n) };
        // SAFETY: `skb_copy_bits()` wrote all `len` bytes when it returned 0.
        (r >= 0).then(|| unsafe { out.assume_init() })
    }

    /// The TCP/UDP header of a packet that is not a later fragment.
    pub(crate) fn ports(&self) -> Option<Ports> {
        let ip = self.ipv4();
        if ip.later_fragment {
            return None;
        }
        match u32::from(ip.protocol) {
            bindings::IPPROTO_TCP => {
                let th = self.read::<bindings::tcphdr>(ip.header_len)?;
                Some(Ports {
                    l4: L4::Tcp,
                    sport: u16::from_be(th.source),
                    dport: u16::from_be(th.dest),
                    syn: th.syn() != 0 && th.ack() == 0,
                    header_len: usize::from(th.doff()) * 4,
                })
            }
            bindings::IPPROTO_UDP => {
                let uh = self.read::<bindings::udphdr>(ip.header_len)?;
                Some(Ports {
                    l4: L4::Udp,
                    sport: u16::from_be(uh.source),
                    dport: u16::from_be(uh.dest),
                    syn: false,
                    header_len: core::mem::size_of::<bindings::udphdr>(),
                })
            }
            _ => None,
        }
    }

    /// An ICMP error (destination unreachable, time exceeded, parameter
    /// problem, source quench): the TCP/UDP packet it quotes, if it quotes
    /// one that is not a later fragment, with its ports.
    pub(crate) fn icmp_error_quote(&self) -> Option<Quote> {
        let ip = self.ipv4();
        if u32::from(ip.protocol) != bindings::IPPROTO_ICMP {
            return None;
        }
        let icmp_offset = ip.header_len;
        let ih = self.read::<bindings::icmphdr>(icmp_offset)?;
        match u32::from(ih.type_) {
            bindings::ICMP_DEST_UNREACH
            | bindings::ICMP_TIME_EXCEEDED
            | bindings::ICMP_PARAMETERPROB
            | bindings::ICMP_SOURCE_QUENCH => {}
            _ => return None,
        }
        let inner_offset = icmp_offset + core::mem::size_of::<bindings::icmphdr>();
        let raw = self.read::<bindings::iphdr>(inner_offset)?;
        let inner = Ipv4::of(&raw);
        let l4 = match u32::from(inner.protocol) {
            bindings::IPPROTO_TCP => L4::Tcp,
            bindings::IPPROTO_UDP => L4::Udp,
            _ => return None,
        };
        if raw.ihl() < 5 || inner.later_fragment {
            return None;
        }
        // The first two fields of both TCP and UDP headers are the ports.
        let sport_offset = inner_offset + inner.header_len;
        let [sport, dport] = self.read::<[u16; 2]>(sport_offset)?;
        Some(Quote {
            l4,
            saddr: inner.saddr,
            daddr: inner.daddr,
            sport: u16::from_be(sport),
            dport: u16::from_be(dport),
            icmp_offset,
            sport_offset,
        })
    }

    /// Is the packet routed as broadcast or multicast (`skb_rtable()`'s
    /// `rt_type`)? What udp_rcv() decides on, not how the frame was
    /// addressed.
    pub(crate) fn routed_broadcast(&self) -> bool {
        // SAFETY: the skb is alive (type invariant).
        unsafe { raw_routed_broadcast(self.0.get().cast()) }
    }

    /// The interface index socket lookups use (`inet_iif()`).
    pub(crate) fn iif(&self) -> i32 {
        // SAFETY: the skb is alive (type invariant).
        unsafe { bindings::l3ns_helper_inet_iif(self.0.get()) }
    }

    /// The L3 master device index socket lookups use (`inet_sdif()`).
    pub(crate) fn sdif(&self) -> i32 {
        // SAFETY: the skb is alive (type invariant).
        unsafe { bindings::l3ns_helper_inet_sdif(self.0.get()) }
    }

    /// Has the packet a socket already (early demux)?
    pub(crate) fn has_sock(&self) -> bool {
        // SAFETY: the skb is alive (type invariant).
        !unsafe { (*self.0.get()).sk }.is_null()
    }

    /// The socket it belongs to, if any (`skb->sk`, which may be a request
    /// or TIME_WAIT socket), alive for this borrow.
    pub(crate) fn sock(&self) -> Option<&super::sock::Sock> {
        // SAFETY: the skb is alive (type invariant).
        let sk = unsafe { (*self.0.get()).sk };
        // SAFETY: `skb->sk` holds a reference (or is ours), alive while the skb is.
        (!sk.is_null()).then(|| unsafe { super::sock::Sock::from_raw(sk.cast()) })
    }

    /// Gives the packet to `sk` as `nf_tproxy` does (`skb_orphan()`, then
    /// `sock_edemux` as destructor): the stack uses that socket without
    /// another lookup.
    pub(crate) fn assign(&self, sk: SockRef) {
        let s = self.0.get();
        // The reference `sk` holds moves into the skb; `sock_edemux` puts it.
        // SAFETY: the skb is alive (type invariant) and at our hook, so ours to change.
        unsafe {
            if let Some(destructor) = (*s).__bindgen_anon_3.__bindgen_anon_1.destructor {
                destructor(s);
                (*s).__bindgen_anon_3.__bindgen_anon_1.destructor = None;
                (*s).sk = core::ptr::null_mut();
            }
            (*s).sk = sk.into_raw().cast();
            (*s).__bindgen_anon_3.__bindgen_anon_1.destructor = Some(bindings::sock_edemux);
        }
    }

    /// A clone (`skb_clone(GFP_ATOMIC)`) sharing the data, or `None`.
    pub(crate) fn try_clone(&self) -> Option<SkbCopy> {
        // SAFETY: the skb is alive (type invariant); atomic allocation, any context.
        let c = unsafe { bindings::skb_clone(self.0.get(), bindings::GFP_ATOMIC) };
        // INVARIANT: a clone of an IPv4 packet at a hook is one too.
        core::ptr::NonNull::new(c).map(SkbCopy)
    }
}

/// [`Skb::routed_broadcast`] of any live `sk_buff` (not only at a hook).
///
/// # Safety
///
/// `skb` is a live `sk_buff`.
pub(crate) unsafe fn raw_routed_broadcast(skb: *const kernel::ffi::c_void) -> bool {
    // SAFETY: per the function contract.
    let t = u32::from(unsafe { bindings::l3ns_helper_skb_rt_type(skb.cast()) });
    t == bindings::l3ns_helper_rtn_L3NS_RTN_BROADCAST
        || t == bindings::l3ns_helper_rtn_L3NS_RTN_MULTICAST
}

/// A packet we own (a clone), freed in `Drop` unless handed on.
///
/// # Invariants
///
/// Owns one `sk_buff` that satisfies [`Skb`]'s invariant.
pub(crate) struct SkbCopy(core::ptr::NonNull<bindings::sk_buff>);

impl SkbCopy {
    /// Gives up ownership.
    pub(super) fn into_raw(self) -> *mut bindings::sk_buff {
        let p = self.0.as_ptr();
        core::mem::forget(self);
        p
    }
}

impl core::ops::Deref for SkbCopy {
    type Target = Skb;

    fn deref(&self) -> &Skb {
        // SAFETY: we own the skb (type invariant) while borrowed.
        unsafe { Skb::from_raw(self.0.as_ptr()) }
    }
}

impl Drop for SkbCopy {
    fn drop(&mut self) {
        let reason = bindings::skb_drop_reason_SKB_DROP_REASON_NOT_SPECIFIED;
        // `kfree_skb()`.
        // SAFETY: we own the skb (type invariant).
        unsafe { bindings::sk_skb_reason_drop(core::ptr::null_mut(), self.0.as_ptr(), reason) };
    }
}

#[cfg(CONFIG_KUNIT)]
#[path = "skb_kunit.rs"]
pub(crate) mod kunit;
