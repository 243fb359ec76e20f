// SPDX-License-Identifier: GPL-2.0

//! KUnit of [`super`] (`kunit_cases::skb_abstraction`): real skbs holding
//! packets built here.

use super::{bindings, PortField, SkbCopy};
use crate::kernel_ext::sock::L4;

/// KUnit helpers: real skbs holding packets we build.
mod test {
    use super::{bindings, SkbCopy};
    use core::mem::size_of;
    use kernel::error::{code::ENOMEM, Result};

    /// `sum` folded to 16 bits, ones' complement.
    pub(super) fn fold(mut sum: u32) -> u16 {
        while sum > 0xffff {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        sum as u16
    }

    /// The ones' complement sum of `bytes` (RFC 1071), folded.
    pub(super) fn ones_sum(bytes: &[u8]) -> u16 {
        fold(
            bytes
                .chunks(2)
                .map(|c| u32::from(u16::from_ne_bytes([c[0], c.get(1).copied().unwrap_or(0)])))
                .sum(),
        )
    }

    /// An IPv4 header `saddr -> daddr` (host order) of `protocol`.
    pub(super) fn ip(protocol: u8, saddr: u32, daddr: u32) -> bindings::iphdr {
        let mut h = bindings::iphdr::default();
        h.set_version(4);
        h.set_ihl(5);
        h.protocol = protocol;
        // SAFETY: both union members are the same two `__be32`s.
        let a = unsafe { h.__bindgen_anon_1.__bindgen_anon_1.as_mut() };
        a.saddr = saddr.to_be();
        a.daddr = daddr.to_be();
        h
    }

    /// A linear skb of `len` zero bytes, its network header at the start.
    pub(super) fn alloc(len: usize) -> Result<SkbCopy> {
        let n = u32::try_from(len).map_err(|_| ENOMEM)?;
        let (gfp, node) = (bindings::GFP_KERNEL, bindings::NUMA_NO_NODE);
        // SAFETY: process context (KUnit).
        let skb = unsafe { bindings::__alloc_skb(n, gfp, 0, node) };
        let skb = core::ptr::NonNull::new(skb).ok_or(ENOMEM)?;
        // SAFETY: a new skb with room for `len` bytes; `headers` is its active member.
        unsafe {
            let data = bindings::skb_put(skb.as_ptr(), n).cast::<u8>();
            data.write_bytes(0, len);
            let s = skb.as_ptr();
            let off = data.offset_from((*s).head) as u16;
            (*s).__bindgen_anon_4
                .__bindgen_anon_1
                .as_mut()
                .network_header = off;
        }
        // INVARIANT: an IPv4 packet (the caller writes one) with `data` at its header.
        Ok(SkbCopy(skb))
    }

    /// Writes `v` at `offset` of the skb's data.
    pub(super) fn put<T>(skb: &SkbCopy, offset: usize, v: T) {
        assert!(offset + size_of::<T>() <= bytes(skb).len());
        // SAFETY: inside the linear data (checked above).
        unsafe {
            (*skb.as_ptr())
                .data
                .add(offset)
                .cast::<T>()
                .write_unaligned(v)
        }
    }

    /// The skb's linear data.
    pub(super) fn bytes(skb: &SkbCopy) -> &[u8] {
        // SAFETY: a linear skb we own: `len` bytes at `data`.
        unsafe { core::slice::from_raw_parts((*skb.as_ptr()).data, (*skb.as_ptr()).len as usize) }
    }
}

/// KUnit: header reads and checksum-keeping port rewrites on real skbs: a
/// UDP datagram `10.0.0.1:5000 -> 10.0.0.2:53`, a TCP segment, and an ICMP
/// port unreachable quoting the datagram.
pub(crate) fn self_test() -> kernel::error::Result {
    use core::mem::size_of;
    use kernel::error::code::EINVAL;
    use test::{alloc, bytes, fold, ip, ones_sum, put};
    let (a, b) = (0x0a00_0001, 0x0a00_0002);
    let (iph, udph, tcph, icmph) = (
        size_of::<bindings::iphdr>(),
        size_of::<bindings::udphdr>(),
        size_of::<bindings::tcphdr>(),
        size_of::<bindings::icmphdr>(),
    );
    let udp = |check| bindings::udphdr {
        source: 5000u16.to_be(),
        dest: 53u16.to_be(),
        len: 8u16.to_be(),
        check,
    };
    let dgram = alloc(iph + udph)?;
    put(&dgram, 0, ip(bindings::IPPROTO_UDP as u8, a, b));
    put(&dgram, iph, udp(0x1234));
    let v4 = dgram.ipv4();
    let p = dgram.ports().ok_or(EINVAL)?;
    if v4.saddr != a || v4.daddr != b || v4.header_len != iph || p.l4 != L4::Udp {
        return Err(EINVAL);
    }
    if (p.sport, p.dport, p.header_len) != (5000, 53, udph)
        || !dgram.set_port(PortField::Dest, 4242)
    {
        return Err(EINVAL);
    }
    let uh = dgram.read::<bindings::udphdr>(iph).ok_or(EINVAL)?;
    // RFC 1624: the sum over the changed field moves by exactly the change.
    let expected =
        !fold(u32::from(!0x1234u16) + u32::from(!53u16.to_be()) + u32::from(4242u16.to_be()));
    if u16::from_be(uh.dest) != 4242
        || uh.check != expected
        || dgram.read::<[u16; 2]>(iph + udph - 2).is_some()
    {
        return Err(EINVAL);
    }
    // A zero UDP checksum means none, and stays so.
    let plain = alloc(iph + udph)?;
    put(&plain, 0, ip(bindings::IPPROTO_UDP as u8, a, b));
    put(&plain, iph, udp(0));
    if !plain.set_port(PortField::Source, 40001)
        || plain.read::<bindings::udphdr>(iph).ok_or(EINVAL)?.check != 0
    {
        return Err(EINVAL);
    }
    // A TCP segment: a zero checksum is a sum like any other and moves too.
    let seg = alloc(iph + tcph)?;
    put(&seg, 0, ip(bindings::IPPROTO_TCP as u8, a, b));
    let tcp = bindings::tcphdr {
        source: 40000u16.to_be(),
        dest: 80u16.to_be(),
        check: 0,
        ..Default::default()
    };
    put(&seg, iph, tcp);
    if !seg.set_port(PortField::Source, 40001) {
        return Err(EINVAL);
    }
    let th = seg.read::<bindings::tcphdr>(iph).ok_or(EINVAL)?;
    let expected =
        !fold(u32::from(!0u16) + u32::from(!40000u16.to_be()) + u32::from(40001u16.to_be()));
    if (u16::from_be(th.source), u16::from_be(th.dest), th.check) != (40001, 80, expected) {
        return Err(EINVAL);
    }
    // ICMP port unreachable from b, quoting the datagram; its checksum valid.
    let err = alloc(iph + icmph + iph + udph)?;
    put(&err, 0, ip(bindings::IPPROTO_ICMP as u8, b, a));
    let icmp = |checksum| bindings::icmphdr {
        type_: bindings::ICMP_DEST_UNREACH as u8,
        code: bindings::ICMP_PORT_UNREACH as u8,
        checksum,
        ..Default::default()
    };
    put(&err, iph, icmp(0));
    put(&err, iph + icmph, ip(bindings::IPPROTO_UDP as u8, a, b));
    put(&err, iph + icmph + iph, udp(0));
    put(&err, iph, icmp(!ones_sum(&bytes(&err)[iph..])));
    let q = err.icmp_error_quote().ok_or(EINVAL)?;
    if (q.l4, q.saddr, q.daddr, q.sport, q.dport) != (L4::Udp, a, b, 5000, 53)
        || err.ports().is_some()
    {
        return Err(EINVAL);
    }
    if !err.set_quoted_sport(&q, 40001) || err.icmp_error_quote().ok_or(EINVAL)?.sport != 40001 {
        return Err(EINVAL);
    }
    if ones_sum(&bytes(&err)[iph..]) != 0xffff || dgram.icmp_error_quote().is_some() {
        return Err(EINVAL);
    }
    Ok(())
}
