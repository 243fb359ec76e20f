// SPDX-License-Identifier: GPL-2.0

//! Socket identities (the tag tables themselves are `crate::tags`).

#[cfg(CONFIG_KUNIT)]
use super::TaskId;

/// Identity of a `struct sock` (its address; never dereferenced in Rust).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct SockId(pub(super) usize);

impl SockId {
    /// The identity of the socket at `addr`.
    pub(crate) fn from_addr(addr: usize) -> Self {
        SockId(addr)
    }

    /// Its address, as a tag key.
    pub(crate) fn key(self) -> usize {
        self.0
    }
}

/// A tag key for tests: any address works, since keys are never dereferenced.
#[cfg(CONFIG_KUNIT)]
pub(crate) fn test_key(n: usize) -> TaskId {
    TaskId(n)
}

/// A socket tag key for tests (never dereferenced either).
#[cfg(CONFIG_KUNIT)]
pub(crate) fn test_sock_key(n: usize) -> SockId {
    SockId(n)
}
