// SPDX-License-Identifier: GPL-2.0

//! Hidden-port reservations of L3 namespaces (mechanism 13).
//!
//! A member socket binding a wildcard port `P` is given a hidden port `H` in
//! `HIDDEN_BASE..=65535` instead, one per `(namespace, protocol, P)` with a
//! reference per socket. `rev[H]` packs that key and the reference count in
//! one `AtomicU64`; `fwd[slot]` lists the hidden ports a namespace holds.
//!
//! Reservations are serialized by the caller's lock (the `Reserver` token).
//! Releases (socket free, any context) and lookups (packet path) take no
//! lock. An entry goes free -> live (reserve, count >= 1) -> draining (count
//! reached 0: neither usable nor free) -> free (release, after unpublishing
//! it from `fwd`). A count that reached 0 is never revived, and lookups
//! always confirm the key in `rev`, so a stale `fwd` entry is harmless.

use super::nstable::MAX_NAMESPACES;
use core::sync::atomic::{AtomicU16, AtomicU32, AtomicU64, Ordering};

/// First hidden port.
pub const HIDDEN_BASE: u16 = 61440;

/// Number of hidden ports (the range ends at 65535).
pub const HIDDEN_COUNT: usize = 4096;

/// Most hidden ports one namespace holds at once (both protocols).
pub const PORTS_PER_NS: usize = 32;

/// Set in every packed key, so a key is never 0.
const KEY_TAG: u32 = 1 << 31;
const PROTO_UDP: u32 = 1 << 28;
/// The slot's bits in a packed key (above the port's 16).
const SLOT_MASK: u32 = 0xfff;
const COUNT_MASK: u64 = 0xffff_ffff;

/// Transport protocol of a reservation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proto {
    /// TCP.
    Tcp,
    /// UDP.
    Udp,
}

/// What a hidden port stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shared {
    /// Slot index of the L3 namespace.
    pub slot: usize,
    /// Protocol of the bind.
    pub proto: Proto,
    /// The port the member asked for (never 0).
    pub port: u16,
}

impl Shared {
    /// Packed key; `None` for an invalid slot or port 0.
    fn pack(self) -> Option<u32> {
        let valid = self.slot < MAX_NAMESPACES && self.port != 0;
        let slot = u32::try_from(self.slot).ok().filter(|_| valid)?;
        let proto = if self.proto == Proto::Udp {
            PROTO_UDP
        } else {
            0
        };
        Some(KEY_TAG | proto | (slot << 16) | u32::from(self.port))
    }

    /// The inverse of `pack`.
    fn unpack(key: u32) -> Self {
        Shared {
            slot: ((key >> 16) & SLOT_MASK) as usize,
            proto: if key & PROTO_UDP != 0 {
                Proto::Udp
            } else {
                Proto::Tcp
            },
            port: key as u16,
        }
    }
}

/// Splits a `rev` entry into `(key, count)`.
fn split(v: u64) -> (u32, u64) {
    ((v >> 32) as u32, v & COUNT_MASK)
}

/// The key of a live `rev` entry (free and draining ones: `None`).
fn live(v: u64) -> Option<u32> {
    let (key, count) = split(v);
    (count > 0).then_some(key)
}

/// Hidden port of `rev` index `i`.
fn port_of(i: usize) -> Option<u16> {
    u16::try_from(i).ok()?.checked_add(HIDDEN_BASE)
}

/// Changes the first `from` in a `fwd` list to `to`; whether one was found.
fn swap_tag(fwd: &[AtomicU16], from: u16, to: u16) -> bool {
    let swap = |f: &AtomicU16| {
        f.compare_exchange(from, to, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    };
    fwd.iter().any(swap)
}

/// `rev` index of hidden port `h`.
fn index_of(h: u16) -> Option<usize> {
    h.checked_sub(HIDDEN_BASE)
        .map(usize::from)
        .filter(|&i| i < HIDDEN_COUNT)
}

/// Proof that the caller holds the lock serializing `reserve` on one table.
/// The kernel side constructs it only under its spinlock; host tests freely.
pub struct Reserver(());

impl Reserver {
    /// Creates the token. Call only while holding the reservation lock.
    pub const fn assume_locked() -> Self {
        Reserver(())
    }
}

/// Why a hidden port could not be reserved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortError {
    /// No hidden port or no per-namespace entry is left (also: invalid slot,
    /// port 0, or a reference count at its maximum).
    Full,
}

/// The hidden-port table. All-zero is a valid empty table (every entry
/// free, cursor at the start), so the kernel side initializes it in place.
pub struct PortTable {
    /// Entry for `HIDDEN_BASE + i`: 0 free, else key << 32 | count.
    rev: [AtomicU64; HIDDEN_COUNT],
    /// Per slot, `i + 1` of each hidden port held (0: empty).
    fwd: [[AtomicU16; PORTS_PER_NS]; MAX_NAMESPACES],
    /// Next-fit start of the free-port search (only under the lock).
    cursor: AtomicU32,
}

impl Default for PortTable {
    fn default() -> Self {
        Self::new()
    }
}

impl PortTable {
    /// An empty table.
    pub const fn new() -> Self {
        PortTable {
            rev: [const { AtomicU64::new(0) }; HIDDEN_COUNT],
            fwd: [const { [const { AtomicU16::new(0) }; PORTS_PER_NS] }; MAX_NAMESPACES],
            cursor: AtomicU32::new(0),
        }
    }

    /// Whether `port` lies in the hidden range.
    pub fn is_hidden(port: u16) -> bool {
        index_of(port).is_some()
    }

    /// Live `rev` entries in `slot`'s `fwd` list: `(index, entry, key)`.
    fn live_of(&self, slot: usize) -> impl Iterator<Item = (usize, &AtomicU64, u32)> + '_ {
        self.fwd.get(slot).into_iter().flatten().filter_map(|f| {
            let i = usize::from(f.load(Ordering::Acquire).checked_sub(1)?);
            let e = self.rev.get(i)?;
            Some((i, e, live(e.load(Ordering::Acquire))?))
        })
    }

    /// Reserves (or takes one more reference on) the hidden port for `s`,
    /// skipping ports for which `in_use` holds. Callers never pass port 0.
    pub fn reserve(
        &self,
        _r: &Reserver,
        s: Shared,
        in_use: impl Fn(u16) -> bool,
    ) -> Result<u16, PortError> {
        let key = s.pack().ok_or(PortError::Full)?;
        let fwd = self.fwd.get(s.slot).ok_or(PortError::Full)?;
        // Existing live entry: one more reference. A concurrent release may
        // bring its count to 0 first; a draining entry is never revived (the
        // update refuses count 0) and a new one is allocated below instead.
        // There is at most one live entry per key: only reservers make one.
        for (i, e, _) in self.live_of(s.slot).filter(|&(_, _, k)| k == key) {
            let more = |v: u64| match split(v) {
                (k, c) if k == key && c > 0 && c < COUNT_MASK => v.checked_add(1),
                _ => None,
            };
            match e.fetch_update(Ordering::AcqRel, Ordering::Acquire, more) {
                Ok(_) => return port_of(i).ok_or(PortError::Full),
                // Count saturated: refuse rather than make a second entry.
                Err(v) if split(v) == (key, COUNT_MASK) => return Err(PortError::Full),
                Err(_) => {}
            }
        }
        // New entry, next-fit from the cursor so a just-freed port rests.
        // Only reservers (serialized) turn a free `rev` entry or an empty
        // `fwd` entry non-zero, so these claims race only with releases of
        // other ports: `H` has no holder to release it before it is returned.
        let start = self.cursor.load(Ordering::Relaxed) as usize % HIDDEN_COUNT;
        let claimed = (u64::from(key) << 32) | 1;
        for n in 0..HIDDEN_COUNT {
            let i = (start + n) % HIDDEN_COUNT;
            let (Some(e), Some(h)) = (self.rev.get(i), port_of(i)) else {
                continue;
            };
            if e.load(Ordering::Acquire) != 0 || in_use(h) {
                continue;
            }
            if e.compare_exchange(0, claimed, Ordering::AcqRel, Ordering::Acquire)
                .is_err()
            {
                continue;
            }
            if !swap_tag(fwd, 0, h.wrapping_sub(HIDDEN_BASE - 1)) {
                // Nobody holds `H` yet: undo the claim.
                e.store(0, Ordering::Release);
                return Err(PortError::Full);
            }
            self.cursor
                .store(((i + 1) % HIDDEN_COUNT) as u32, Ordering::Relaxed);
            return Ok(h);
        }
        Err(PortError::Full)
    }

    /// Drops one reference on `hidden`; the last one frees it. Lock-free,
    /// any context. A free, draining or out-of-range port is left alone.
    pub fn release(&self, hidden: u16) {
        let Some(e) = index_of(hidden).and_then(|i| self.rev.get(i)) else {
            return;
        };
        let less = |v| live(v).and(v.checked_sub(1));
        let Ok(prev) = e.fetch_update(Ordering::AcqRel, Ordering::Acquire, less) else {
            return;
        };
        let (key, count) = split(prev);
        if count != 1 {
            return;
        }
        // Draining: this thread alone touches the entry until it is free.
        // Unpublish first, so a free entry is never listed in `fwd`.
        if let Some(fwd) = self.fwd.get(Shared::unpack(key).slot) {
            swap_tag(fwd, hidden.wrapping_sub(HIDDEN_BASE - 1), 0);
        }
        e.store(0, Ordering::Release);
    }

    /// The live hidden port for `s`, if any (packet path, lock-free).
    pub fn hidden(&self, s: Shared) -> Option<u16> {
        let key = s.pack()?;
        self.live_of(s.slot)
            .find(|&(_, _, k)| k == key)
            .and_then(|(i, _, _)| port_of(i))
    }

    /// What a live hidden port stands for (one load, lock-free).
    pub fn shared(&self, hidden: u16) -> Option<Shared> {
        let e = self.rev.get(index_of(hidden)?)?;
        live(e.load(Ordering::Acquire)).map(Shared::unpack)
    }

    /// The live reservations of `slot` for `proto`, as `(P, H)` pairs.
    pub fn held_by(&self, slot: usize, proto: Proto) -> impl Iterator<Item = (u16, u16)> + '_ {
        self.live_of(slot).filter_map(move |(i, _, key)| {
            let s = Shared::unpack(key);
            (s.proto == proto).then_some((s.port, port_of(i)?))
        })
    }

    /// Number of live hidden ports (a scan).
    pub fn len(&self) -> usize {
        let live_entry = |e: &&AtomicU64| live(e.load(Ordering::Acquire)).is_some();
        self.rev.iter().filter(live_entry).count()
    }

    /// Whether no hidden port is live.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
#[path = "ports_tests.rs"]
mod tests;
