// SPDX-License-Identifier: GPL-2.0

//! The calling task's namespaces: its `struct nsproxy` and the network
//! namespace in it.
//!
//! C headers: [`include/linux/nsproxy.h`](srctree/include/linux/nsproxy.h),
//! [`include/net/net_namespace.h`](srctree/include/net/net_namespace.h).
//! Only a task itself replaces its `nsproxy` (`unshare()`, `setns()`,
//! exit), so the current task's can be read without locks or references
//! while `current` is borrowed.

use super::bindings;
use super::cred::UserNamespace;
use kernel::ffi::c_void;
use kernel::str::CStrExt;
use kernel::sync::Refcount;
use kernel::task::CurrentTask;
use kernel::types::Opaque;

/// A task's set of namespaces (`struct nsproxy`).
///
/// # Invariants
///
/// Only seen as `&Nsproxy` borrowed from the current task, whose
/// `nsproxy` it is: the task holds a reference on it and only the task
/// itself can drop it.
#[repr(transparent)]
pub(crate) struct Nsproxy(Opaque<bindings::nsproxy>);

impl Nsproxy {
    /// The current task's, or `None` once an exiting task has released its
    /// namespaces.
    pub(crate) fn of_current(task: &CurrentTask) -> Option<&Nsproxy> {
        // SAFETY: `task` is `current`, and only `current` writes its `nsproxy`.
        let nsp = unsafe { (*task.as_ptr()).nsproxy };
        // INVARIANT: borrowed from `current`, whose reference keeps it alive.
        // CAST: `Self` is `repr(transparent)` over `Opaque<nsproxy>`.
        // SAFETY: a non-NULL `current->nsproxy` is live while `current` is borrowed.
        (!nsp.is_null()).then(|| unsafe { &*nsp.cast::<Self>() })
    }

    /// Its reference count (`refcount_read()`).
    pub(crate) fn refcount(&self) -> u32 {
        // CAST: `Refcount` is `repr(transparent)` over `Opaque<refcount_t>`.
        // SAFETY: the nsproxy is live (type invariant); its `count` is only used atomically.
        let count = unsafe { &*(&raw const (*self.0.get()).count).cast::<Refcount>() };
        u32::try_from(count.as_atomic().load(kernel::sync::atomic::Relaxed)).unwrap_or(0)
    }

    /// Its network namespace.
    pub(crate) fn net(&self) -> &Net {
        // The nsproxy holds a reference on its network namespace and never changes it.
        // SAFETY: the nsproxy is live (type invariant); so is its `net_ns`.
        unsafe { Net::from_raw((*self.0.get()).net_ns) }
    }

    /// Its address as `%p` prints it: hashed, never the address itself.
    pub(crate) fn hashed_address(&self) -> HashedPtr {
        HashedPtr::of(self.0.get().cast())
    }
}

/// A network namespace (`struct net`).
///
/// # Invariants
///
/// Only seen as `&Net`, borrowed from what holds a reference on it for the
/// borrow (an `nsproxy`, or the kernel itself for `init_net`).
#[repr(transparent)]
pub(crate) struct Net(Opaque<bindings::net>);

impl Net {
    /// # Safety
    ///
    /// `ptr` must point to a network namespace that stays alive for `'a`.
    pub(crate) unsafe fn from_raw<'a>(ptr: *const bindings::net) -> &'a Self {
        // CAST: `Self` is `repr(transparent)` over `Opaque<net>`.
        // SAFETY: the caller guarantees `ptr` is live for `'a`.
        unsafe { &*ptr.cast::<Self>() }
    }

    /// The initial network namespace (KUnit).
    #[cfg(CONFIG_KUNIT)]
    pub(crate) fn init() -> &'static Self {
        // SAFETY: `init_net` is a static of the kernel, never freed.
        unsafe { Self::from_raw(&raw const bindings::init_net) }
    }

    /// Its `struct net`, for calls into the kernel.
    pub(crate) fn as_ptr(&self) -> *mut bindings::net {
        self.0.get()
    }

    /// Its inode number (`/proc/<pid>/ns/net`).
    pub(crate) fn inum(&self) -> u32 {
        // SAFETY: the namespace is live (type invariant); `ns.inum` is set at creation.
        unsafe { (*self.0.get()).ns.inum }
    }

    /// Its reference count (`ns_ref_read()`).
    pub(crate) fn refcount(&self) -> u32 {
        // CAST: `Refcount` is `repr(transparent)` over `Opaque<refcount_t>`.
        // SAFETY: the namespace is live (type invariant); `__ns_ref` is only used atomically.
        let count = unsafe {
            &*(&raw const (*self.0.get()).ns.__bindgen_anon_1.__ns_ref).cast::<Refcount>()
        };
        u32::try_from(count.as_atomic().load(kernel::sync::atomic::Relaxed)).unwrap_or(0)
    }

    /// The user namespace that owns it (whose capabilities count in it).
    pub(crate) fn user_ns(&self) -> &UserNamespace {
        // A network namespace holds a reference on its owner for its whole life.
        // SAFETY: the namespace is live (type invariant); so is its `user_ns`.
        unsafe { UserNamespace::from_raw((*self.0.get()).user_ns) }
    }
}

/// A pointer as the kernel's `%p` prints it (hashed), for display.
pub(crate) struct HashedPtr {
    text: [u8; 24],
    len: usize,
}

impl HashedPtr {
    /// `ptr` printed with `%p`.
    fn of(ptr: *const c_void) -> Self {
        let mut text = [0u8; 24];
        // `scnprintf()` writes at most `size - 1` characters and a NUL.
        // SAFETY: `text` is writable for its length; the format takes one pointer, never read.
        let n = unsafe {
            bindings::scnprintf(
                text.as_mut_ptr().cast(),
                text.len(),
                c"%p".as_char_ptr(),
                ptr,
            )
        };
        Self {
            text,
            len: usize::try_from(n).unwrap_or(0),
        }
    }

    /// The text (16 hex digits, or `(____ptrval____)` early in boot).
    pub(crate) fn as_str(&self) -> &str {
        let bytes = self.text.get(..self.len).unwrap_or(&[]);
        core::str::from_utf8(bytes).unwrap_or("?")
    }
}

/// KUnit: a kernel thread's namespaces are the initial ones, referenced,
/// and the nsproxy is shown hashed, not as its address.
#[cfg(CONFIG_KUNIT)]
pub(crate) fn self_test() -> kernel::error::Result {
    use kernel::error::code::EINVAL;
    let task = kernel::current!();
    let nsp = Nsproxy::of_current(task).ok_or(EINVAL)?;
    let net = nsp.net();
    let hashed = nsp.hashed_address();
    let mut raw = [0u8; 24];
    let mut out = RawHex(&mut raw, 0);
    core::fmt::Write::write_fmt(&mut out, format_args!("{:016x}", nsp.0.get() as usize))
        .map_err(|_| EINVAL)?;
    let ok = core::ptr::eq(net, Net::init())
        && net.inum() == Net::init().inum()
        && nsp.refcount() >= 1
        && net.refcount() >= 1
        && net.user_ns() == UserNamespace::init()
        && hashed.as_str().len() == 16
        && hashed.as_str().as_bytes() != raw.get(..16).unwrap_or(&[]);
    if !ok {
        return Err(EINVAL);
    }
    Ok(())
}

/// KUnit: formats into a fixed buffer.
#[cfg(CONFIG_KUNIT)]
struct RawHex<'a>(&'a mut [u8], usize);

#[cfg(CONFIG_KUNIT)]
impl core::fmt::Write for RawHex<'_> {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let end = self.1.checked_add(s.len()).ok_or(core::fmt::Error)?;
        self.0
            .get_mut(self.1..end)
            .ok_or(core::fmt::Error)?
            .copy_from_slice(s.as_bytes());
        self.1 = end;
        Ok(())
    }
}
