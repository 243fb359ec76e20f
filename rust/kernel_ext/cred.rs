// SPDX-License-Identifier: GPL-2.0

//! Credentials and user namespaces: what `cap_capable()` reads.
//!
//! C headers: [`include/linux/cred.h`](srctree/include/linux/cred.h),
//! [`include/linux/user_namespace.h`](srctree/include/linux/user_namespace.h).
//! The 7.3 crate's [`Credential`] has no accessor for a credential's user
//! namespace or capability sets; [`CredentialExt`] reads them, and
//! [`UserNamespace`] the fields the capability walk follows. The walk itself
//! is a decision, made by the caller.

use super::bindings;
use kernel::cred::Credential;
use kernel::task::{CurrentTask, Kuid};
use kernel::types::Opaque;

/// A user namespace (`struct user_namespace`).
///
/// # Invariants
///
/// Only seen as `&UserNamespace`, borrowed from what holds a reference on
/// it for the borrow: a credential, a network namespace, a child user
/// namespace, or the kernel itself (the initial one). Its `parent`,
/// `level` and `owner` never change.
#[repr(transparent)]
pub(crate) struct UserNamespace(Opaque<bindings::user_namespace>);

impl UserNamespace {
    /// # Safety
    ///
    /// `ptr` must point to a user namespace that stays alive for `'a`.
    pub(crate) unsafe fn from_raw<'a>(ptr: *const bindings::user_namespace) -> &'a Self {
        // CAST: `Self` is `repr(transparent)` over `Opaque<user_namespace>`.
        // SAFETY: the caller guarantees `ptr` is live for `'a`.
        unsafe { &*ptr.cast::<Self>() }
    }

    /// The initial user namespace (KUnit).
    #[cfg(CONFIG_KUNIT)]
    pub(crate) fn init() -> &'static Self {
        // SAFETY: `init_user_ns` is a static of the kernel, never freed.
        unsafe { Self::from_raw(&raw const bindings::init_user_ns) }
    }

    /// Its depth below the initial namespace (0).
    pub(crate) fn level(&self) -> i32 {
        // SAFETY: the namespace is live (type invariant); `level` is set at creation.
        unsafe { (*self.0.get()).level }
    }

    /// The namespace it was created in; `None` for the initial one.
    pub(crate) fn parent(&self) -> Option<&UserNamespace> {
        // SAFETY: the namespace is live (type invariant); `parent` is set at creation.
        let parent = unsafe { (*self.0.get()).parent };
        // A namespace holds a reference on its parent for its whole life.
        // SAFETY: a non-NULL `parent` is live while `self` is.
        (!parent.is_null()).then(|| unsafe { Self::from_raw(parent) })
    }

    /// The effective uid of the task that created it.
    pub(crate) fn owner(&self) -> Kuid {
        // SAFETY: the namespace is live (type invariant); `owner` is set at creation.
        Kuid::from_raw(unsafe { (*self.0.get()).owner })
    }
}

impl PartialEq for UserNamespace {
    fn eq(&self, other: &Self) -> bool {
        core::ptr::eq(self, other)
    }
}

impl Eq for UserNamespace {}

/// What `cap_capable()` reads of a credential beyond [`Credential::euid`].
pub(crate) trait CredentialExt {
    /// The user namespace its capabilities are held in.
    fn user_ns(&self) -> &UserNamespace;
    /// Whether capability `cap` is in its effective set (`cap_raised()`).
    fn has_effective(&self, cap: u32) -> bool;
}

impl CredentialExt for Credential {
    fn user_ns(&self) -> &UserNamespace {
        // A credential holds a reference on its user namespace and is never
        // changed once committed.
        // SAFETY: the credential is live for this borrow; so is its `user_ns`.
        unsafe { UserNamespace::from_raw((*self.as_ptr()).user_ns) }
    }

    fn has_effective(&self, cap: u32) -> bool {
        // SAFETY: the credential is live for this borrow and never changed once committed.
        let set = unsafe { (*self.as_ptr()).cap_effective.val };
        1u64.checked_shl(cap).is_some_and(|bit| set & bit != 0)
    }
}

/// The current task's subjective credentials (`current_cred()`).
pub(crate) fn current_cred(task: &CurrentTask) -> &Credential {
    // Only the task itself replaces `current->cred` (`commit_creds()`,
    // `override_creds()`), and the credential it points to holds a reference
    // for as long as it is installed, which outlasts this borrow of `current`.
    // SAFETY: `task` is `current` (type invariant of `CurrentTask`), so `cred` is live.
    unsafe { Credential::from_ptr((*task.as_ptr()).cred) }
}

/// KUnit: a kernel thread's credentials are the initial user namespace's,
/// with every capability; the initial namespace is level 0, with no
/// parent.
#[cfg(CONFIG_KUNIT)]
pub(crate) fn self_test() -> kernel::error::Result {
    let task = kernel::current!();
    let cred = current_cred(task);
    let init = UserNamespace::init();
    let ok = cred.user_ns() == init
        && init.level() == 0
        && init.parent().is_none()
        && cred.has_effective(12)
        && !cred.has_effective(64);
    if !ok {
        return Err(kernel::error::code::EINVAL);
    }
    Ok(())
}
