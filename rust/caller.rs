// SPDX-License-Identifier: GPL-2.0

//! The calling task as the control files and checks see it: its identity
//! and pid, its namespaces, whether it holds a capability, and the budget
//! of log lines about what it does.

use crate::ffi::TaskId;
use crate::kernel_ext::cred::{self, CredentialExt, UserNamespace};
use crate::kernel_ext::ratelimit::RateLimit;
use crate::kernel_ext::task_ns::{HashedPtr, Nsproxy};
use crate::policy::privilege::{self, Creds, UserNs, CAP_NET_ADMIN};
use kernel::prelude::*;

/// The calling task.
pub(crate) fn task() -> TaskId {
    TaskId::of(kernel::current!())
}

/// Its PID (as the initial pid namespace sees it), for log lines.
pub(crate) fn pid() -> i32 {
    kernel::current!().pid()
}

/// What `info` shows of the caller's nsproxy and L2 network namespace.
pub(crate) struct TaskNs {
    nsproxy: HashedPtr,
    /// `current->nsproxy->count`.
    pub(crate) nsproxy_refcnt: u32,
    /// Inode number of the caller's network namespace.
    pub(crate) net_inum: u32,
    /// Its reference count.
    pub(crate) net_refcnt: u32,
}

impl TaskNs {
    /// The nsproxy as `%p` shows it (no kernel address).
    pub(crate) fn nsproxy(&self) -> &str {
        self.nsproxy.as_str()
    }
}

/// The caller's namespaces; `ESRCH` for a task that released them (exit).
pub(crate) fn namespaces() -> Result<TaskNs> {
    let task = kernel::current!();
    let nsp = Nsproxy::of_current(task).ok_or(ESRCH)?;
    let net = nsp.net();
    Ok(TaskNs {
        nsproxy: nsp.hashed_address(),
        nsproxy_refcnt: nsp.refcount(),
        net_inum: net.inum(),
        net_refcnt: net.refcount(),
    })
}

/// The capability walk follows the kernel's user namespaces.
impl UserNs for &UserNamespace {
    fn same(&self, other: &Self) -> bool {
        *self == *other
    }

    fn level(&self) -> i32 {
        UserNamespace::level(self)
    }

    fn parent(&self) -> Option<Self> {
        UserNamespace::parent(self)
    }

    fn owner(&self) -> u32 {
        UserNamespace::owner(self).into_raw().val
    }
}

/// Does the caller hold capability `cap` in `ns`, by its credentials
/// alone? `capable()` would ask the LSMs through `security_capable()`,
/// where l3ns itself refuses `CAP_NET_ADMIN` to members, who must still be
/// able to take an address (`echo "eth0 10.0.0.2" > info`); it also
/// re-enters l3ns's capability probe from a probe handler.
pub(crate) fn capable_in(ns: &UserNamespace, cap: i32) -> bool {
    let task = kernel::current!();
    let cred = cred::current_cred(task);
    let creds = Creds {
        user_ns: cred.user_ns(),
        euid: cred.euid().into_raw().val,
        effective: u32::try_from(cap).is_ok_and(|cap| cred.has_effective(cap)),
    };
    privilege::holds_capability(&creds, ns)
}

/// Whether the caller holds `CAP_NET_ADMIN` over its network namespace.
pub(crate) fn capable_net_admin() -> bool {
    let task = kernel::current!();
    Nsproxy::of_current(task).is_some_and(|nsp| capable_in(nsp.net().user_ns(), CAP_NET_ADMIN))
}

/// The budget of l3ns's log lines: 10 per 5 s, as `__ratelimit()`'s default.
static LOG_LINES: RateLimit = RateLimit::new(c"l3ns log", 5_000, 10);

/// May a rate-limited log line be printed now? Any context.
pub(crate) fn log_ratelimit() -> bool {
    LOG_LINES.allow()
}
