// SPDX-License-Identifier: GPL-2.0

//! Checksum-keeping rewrites of a packet's ports (part of [`super`],
//! `kernel_ext::skb`): `inet_proto_csum_replace2()` redone over bindgen's
//! layouts, right in every `ip_summed` state, as nf_nat does.
//!
//! C headers: [`include/net/checksum.h`](srctree/include/net/checksum.h),
//! [`include/linux/skbuff.h`](srctree/include/linux/skbuff.h).

use super::bindings;
use super::{Quote, Skb};

/// Which TCP/UDP port field.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum PortField {
    /// The source port.
    Source,
    /// The destination port.
    Dest,
}

impl Skb {
    /// Replaces the `__be16` at `offset` from the network header by
    /// `value` (host order), and adjusts the checksum at `sum_offset`
    /// (`inet_proto_csum_replace2()`, no pseudo-header). `zero_sum_off`:
    /// a zero checksum means "none" (UDP) and stays so, and a sum that
    /// becomes zero is written as `0xffff` (`CSUM_MANGLED_0`).
    fn replace16(&self, offset: usize, sum_offset: usize, value: u16, zero_sum_off: bool) -> bool {
        let end = offset.max(sum_offset) + 2;
        let Ok(end) = u32::try_from(end) else {
            return false;
        };
        // SAFETY: the skb is alive (type invariant); we may modify it at our hook.
        if unsafe { bindings::skb_ensure_writable(self.0.get(), end) } != 0 {
            return false;
        }
        // Re-read after `skb_ensure_writable()`, which may move the head.
        let nh = self.network_header();
        // SAFETY: the skb is alive (type invariant).
        let partial = unsafe {
            let h = (*self.0.get()).__bindgen_anon_4.__bindgen_anon_1.as_ref();
            u32::from(h.ip_summed()) == bindings::CHECKSUM_PARTIAL
        };
        // SAFETY: both fields are in the writable linear area we just made sure of.
        unsafe {
            let field = nh.add(offset).cast::<u16>();
            let sum = nh.add(sum_offset).cast::<bindings::__sum16>();
            let new = value.to_be();
            if !zero_sum_off || sum.read_unaligned() != 0 || partial {
                // CAST: `(__force __be32)` of the `__be16`s, as `inet_proto_csum_replace2()`.
                let (from, to) = (u32::from(field.read_unaligned()), u32::from(new));
                bindings::inet_proto_csum_replace4(sum, self.0.get(), from, to, false);
                if zero_sum_off && sum.read_unaligned() == 0 {
                    sum.write_unaligned(0xffff);
                }
            }
            field.write_unaligned(new);
        }
        true
    }

    /// Rewrites a TCP/UDP port (the checksum kept right in every
    /// `ip_summed` state, as nf_nat does); false if the packet cannot be
    /// made writable (or is neither TCP nor UDP).
    pub(crate) fn set_port(&self, which: PortField, port: u16) -> bool {
        use bindings::{tcphdr, udphdr};
        use core::mem::offset_of;
        let ip = self.ipv4();
        // The ports' and the checksum's offsets in the transport header,
        // and whether a zero checksum means "none" (UDP's).
        let (source, dest, check, zero_sum_off) = match u32::from(ip.protocol) {
            bindings::IPPROTO_TCP => (
                offset_of!(tcphdr, source),
                offset_of!(tcphdr, dest),
                offset_of!(tcphdr, check),
                false,
            ),
            bindings::IPPROTO_UDP => (
                offset_of!(udphdr, source),
                offset_of!(udphdr, dest),
                offset_of!(udphdr, check),
                true,
            ),
            _ => return false,
        };
        let field = match which {
            PortField::Source => source,
            PortField::Dest => dest,
        };
        self.replace16(
            ip.header_len + field,
            ip.header_len + check,
            port,
            zero_sum_off,
        )
    }

    /// Sets the quoted source port of the ICMP error `quote` was read from
    /// to `port`, keeping the ICMP checksum right.
    pub(crate) fn set_quoted_sport(&self, quote: &Quote, port: u16) -> bool {
        let sum_at = quote.icmp_offset + core::mem::offset_of!(bindings::icmphdr, checksum);
        self.replace16(quote.sport_offset, sum_at, port, false)
    }
}
