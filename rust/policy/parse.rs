// SPDX-License-Identifier: GPL-2.0

//! Strict parsers for what users write into `net_ns/start` and `net_ns/info`.
//!
//! The 2007 patch used `simple_strtoul` and accepted `999.1.2.3`, `1.2.3`
//! and trailing garbage. These parsers accept exactly one form each, with
//! at most one trailing newline (what `echo` adds), and nothing else.

/// Why a write was rejected. Every variant maps to `EINVAL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseError {
    /// Empty input, or only a newline.
    Empty,
    /// Input longer than the file accepts.
    TooLong,
    /// Not one of the accepted forms.
    Malformed,
}

/// What `echo N > start` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartLevel {
    /// `2`: a new layer 2 (full) network namespace.
    Layer2,
    /// `3`: a new layer 3 namespace, child of the writer's network namespace.
    Layer3,
}

/// Longest write `start` accepts (`"3\n"` is two bytes; leave room for `"3\r\n"`-style
/// mistakes to be reported as malformed rather than too long).
pub const START_MAX: usize = 16;

/// Longest write `info` accepts: `IFNAMSIZ` label, a space, a dotted quad, newline.
pub const INFO_MAX: usize = 64;

/// Interface names are at most `IFNAMSIZ - 1` bytes.
pub const IFNAMSIZ: usize = 16;

/// Removes one trailing `\n`, if present.
fn strip_newline(input: &[u8]) -> &[u8] {
    match input.split_last() {
        Some((b'\n', rest)) => rest,
        _ => input,
    }
}

/// Parses a write to `start`: `2` or `3`, optionally followed by one newline.
pub fn parse_start(input: &[u8]) -> Result<StartLevel, ParseError> {
    if input.len() > START_MAX {
        return Err(ParseError::TooLong);
    }
    match strip_newline(input) {
        [] => Err(ParseError::Empty),
        b"2" => Ok(StartLevel::Layer2),
        b"3" => Ok(StartLevel::Layer3),
        _ => Err(ParseError::Malformed),
    }
}

/// Parses a dotted-quad IPv4 address (`10.0.0.2`) into host byte order.
///
/// Exactly four decimal octets `0..=255`, no leading `+`, no empty parts, no
/// leading zeros beyond a single `0` (so `010.0.0.1` is not read as octal or
/// decimal by surprise).
pub fn parse_ipv4(input: &[u8]) -> Result<u32, ParseError> {
    let mut addr: u32 = 0;
    let mut parts = 0usize;
    for part in input.split(|&b| b == b'.') {
        parts += 1;
        if parts > 4 || part.is_empty() || part.len() > 3 {
            return Err(ParseError::Malformed);
        }
        if part.len() > 1 && part.first() == Some(&b'0') {
            return Err(ParseError::Malformed);
        }
        let mut octet: u32 = 0;
        for &b in part {
            if !b.is_ascii_digit() {
                return Err(ParseError::Malformed);
            }
            octet = octet * 10 + u32::from(b - b'0');
        }
        if octet > 255 {
            return Err(ParseError::Malformed);
        }
        addr = (addr << 8) | octet;
    }
    if parts != 4 {
        return Err(ParseError::Malformed);
    }
    Ok(addr)
}

/// An interface name, optionally with an alias label (`eth0` or `eth0:1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IfName<'a> {
    /// The device name (`eth0`).
    pub device: &'a [u8],
    /// The full label when one was given (`eth0:1`), else `None`.
    pub label: Option<&'a [u8]>,
}

/// Checks one interface name the way `dev_valid_name()` does, minus the
/// rules that only matter when creating a device.
fn valid_ifname(name: &[u8]) -> bool {
    !name.is_empty()
        && name.len() < IFNAMSIZ
        && name != b"."
        && name != b".."
        && name
            .iter()
            .all(|&b| b.is_ascii_graphic() && b != b'/' && b != b':')
}

/// Parses `eth0` or `eth0:1`.
pub fn parse_ifname(input: &[u8]) -> Result<IfName<'_>, ParseError> {
    if input.len() >= IFNAMSIZ {
        return Err(ParseError::Malformed);
    }
    match input.iter().position(|&b| b == b':') {
        None if valid_ifname(input) => Ok(IfName {
            device: input,
            label: None,
        }),
        Some(colon) => {
            let (device, alias) = (&input[..colon], &input[colon + 1..]);
            let alias_ok =
                !alias.is_empty() && alias.iter().all(|&b| b.is_ascii_graphic() && b != b':');
            if valid_ifname(device) && alias_ok {
                Ok(IfName {
                    device,
                    label: Some(input),
                })
            } else {
                Err(ParseError::Malformed)
            }
        }
        None => Err(ParseError::Malformed),
    }
}

/// A request to take an address of the parent into the writer's namespace:
/// the patch's `echo "eth0 10.0.0.2" > info`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TakeAddr<'a> {
    /// Interface (and optional label) the address must be on.
    pub ifname: IfName<'a>,
    /// The address, host byte order.
    pub addr: u32,
}

/// Parses `<ifname>[:<alias>] <a.b.c.d>` with one space and an optional newline.
pub fn parse_take(input: &[u8]) -> Result<TakeAddr<'_>, ParseError> {
    if input.len() > INFO_MAX {
        return Err(ParseError::TooLong);
    }
    let line = strip_newline(input);
    if line.is_empty() {
        return Err(ParseError::Empty);
    }
    let space = line
        .iter()
        .position(|&b| b == b' ')
        .ok_or(ParseError::Malformed)?;
    let (name, addr) = (&line[..space], &line[space + 1..]);
    Ok(TakeAddr {
        ifname: parse_ifname(name)?,
        addr: parse_ipv4(addr)?,
    })
}

/// Displays a host-order IPv4 address as a dotted quad (the inverse of
/// [`parse_ipv4`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dotted(pub u32);

impl core::fmt::Display for Dotted {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let [a, b, c, d] = self.0.to_be_bytes();
        write!(f, "{a}.{b}.{c}.{d}")
    }
}

/// Parses a namespace id: decimal, `1..=u32::MAX`, no sign, no leading zero.
pub fn parse_id(input: &[u8]) -> Result<u32, ParseError> {
    if input.len() > 10 || matches!(input.first(), None | Some(b'0')) {
        return Err(ParseError::Malformed);
    }
    let mut v: u32 = 0;
    for &b in input {
        if !b.is_ascii_digit() {
            return Err(ParseError::Malformed);
        }
        v = v
            .checked_mul(10)
            .and_then(|v| v.checked_add(u32::from(b - b'0')))
            .ok_or(ParseError::Malformed)?;
    }
    Ok(v)
}

/// Parses a write to `join`: a namespace id and an optional newline.
pub fn parse_join(input: &[u8]) -> Result<u32, ParseError> {
    if input.len() > START_MAX {
        return Err(ParseError::TooLong);
    }
    match strip_newline(input) {
        [] => Err(ParseError::Empty),
        id => parse_id(id),
    }
}

/// What the parent writes to `addr`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddrCmd<'a> {
    /// `push <id> <ifname> <a.b.c.d>`: give a parent address to child `id`.
    Push {
        /// Child namespace id.
        id: u32,
        /// The address and the interface it must be on.
        take: TakeAddr<'a>,
    },
    /// `pull <id> <a.b.c.d>`: take an address back from child `id`.
    Pull {
        /// Child namespace id.
        id: u32,
        /// The address, host byte order.
        addr: u32,
    },
    /// `loopback <id> shared|private`: whether child `id` may reach the
    /// parent's loopback services.
    Loopback {
        /// Child namespace id.
        id: u32,
        /// `shared` (true) or `private` (false).
        shared: bool,
    },
}

/// Parses a write to `addr`.
pub fn parse_addr_cmd(input: &[u8]) -> Result<AddrCmd<'_>, ParseError> {
    if input.len() > INFO_MAX + 16 {
        return Err(ParseError::TooLong);
    }
    let line = strip_newline(input);
    if line.is_empty() {
        return Err(ParseError::Empty);
    }
    let mut words = line.splitn(3, |&b| b == b' ');
    let (verb, id, rest) = match (words.next(), words.next(), words.next()) {
        (Some(v), Some(i), Some(r)) => (v, parse_id(i)?, r),
        _ => return Err(ParseError::Malformed),
    };
    match verb {
        b"push" => Ok(AddrCmd::Push {
            id,
            take: parse_take(rest)?,
        }),
        b"pull" => Ok(AddrCmd::Pull {
            id,
            addr: parse_ipv4(rest)?,
        }),
        b"loopback" => match rest {
            b"shared" => Ok(AddrCmd::Loopback { id, shared: true }),
            b"private" => Ok(AddrCmd::Loopback { id, shared: false }),
            _ => Err(ParseError::Malformed),
        },
        _ => Err(ParseError::Malformed),
    }
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
