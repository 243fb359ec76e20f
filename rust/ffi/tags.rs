// SPDX-License-Identifier: GPL-2.0

//! Socket identities, and the tag lookup the C shim still calls (the tag
//! tables themselves are `crate::tags`).

use super::{bindings, TaskId};
use crate::tags::{PortTags, SockTags, TaskTags};
use kernel::ffi::c_void;

/// Identity of a `struct sock` (its address; never dereferenced in Rust).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct SockId(pub(super) usize);

impl From<crate::kernel_ext::sock_events::SockRef<'_>> for SockId {
    fn from(sk: crate::kernel_ext::sock_events::SockRef<'_>) -> Self {
        SockId(sk.id())
    }
}

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

// Temporary: called by rust/shim/l3ns_steer.c until it moves.
/// The tag of `key` in the table `kind` (an `enum l3ns_tag_kind`); 0 for
/// none. Any context.
///
/// # Safety
///
/// None beyond the C signature: `key` is only compared, never dereferenced.
#[no_mangle]
unsafe extern "C" fn l3ns_c_tag_get(kind: u32, key: *const c_void) -> u32 {
    let key = key as usize;
    let tag = match kind {
        bindings::l3ns_tag_kind_L3NS_TAG_TASK => TaskTags::get(TaskId(key)),
        bindings::l3ns_tag_kind_L3NS_TAG_SOCK => SockTags::get(SockId(key)),
        bindings::l3ns_tag_kind_L3NS_TAG_PORT => PortTags::get(SockId(key)),
        _ => None,
    };
    tag.unwrap_or(0)
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
