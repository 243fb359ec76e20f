// SPDX-License-Identifier: GPL-2.0

//! Network namespaces (`struct net`, which `kernel::bindings` has in
//! full).
//!
//! C header: [`include/net/net_namespace.h`](srctree/include/net/net_namespace.h).

use super::bindings;
use kernel::types::Opaque;

/// A network namespace (`struct net`).
///
/// # Invariants
///
/// Only ever seen as `&Net` borrowed for a call during which the kernel
/// keeps the namespace alive.
#[repr(transparent)]
pub(crate) struct Net(Opaque<bindings::net>);

impl Net {
    /// # Safety
    ///
    /// `ptr` must point to a `struct net` alive for the whole lifetime `'a`.
    pub(super) unsafe fn from_raw<'a>(ptr: *const bindings::net) -> &'a Self {
        // CAST: `Self` is `repr(transparent)` over `Opaque<net>`.
        // SAFETY: the caller guarantees `ptr` is valid for `'a`.
        unsafe { &*ptr.cast::<Self>() }
    }

    /// The raw pointer, for the kernel's functions.
    pub(super) fn as_ptr(&self) -> *mut bindings::net {
        self.0.get()
    }

    /// Its inode number (`net->ns.inum`), what `/proc/<pid>/ns/net` shows.
    pub(crate) fn inum(&self) -> u32 {
        // SAFETY: the namespace is alive for this borrow (type invariant); `inum` never changes.
        unsafe { (*self.0.get()).ns.inum }
    }
}
