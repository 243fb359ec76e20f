// SPDX-License-Identifier: GPL-2.0

//! The module parameters (`Documentation/debugfs.rst`), set at load and
//! shown read-only in `/sys/module/l3ns/parameters/`.

use crate::kernel_ext::module_param::uint_param;

uint_param! {
    /// Most L3 namespaces alive at once.
    pub(crate) static MAX_NAMESPACES: "max_namespaces" = 1024,
        "Most L3 namespaces alive at once (1-4096, default 1024)";
}
uint_param! {
    /// Most member tasks over all L3 namespaces.
    pub(crate) static MAX_TASKS: "max_tasks" = 65536,
        "Most member tasks over all L3 namespaces (default 65536)";
}
uint_param! {
    /// Most sockets owned by L3 namespaces.
    pub(crate) static MAX_SOCKETS: "max_sockets" = 65536,
        "Most sockets owned by L3 namespaces (default 65536)";
}
uint_param! {
    /// Most addresses owned by L3 namespaces.
    pub(crate) static MAX_ADDRS: "max_addrs" = 4096,
        "Most addresses owned by L3 namespaces (1-65536, default 4096)";
}

/// Most L3 namespaces alive at once.
pub(crate) fn max_namespaces() -> usize {
    usize::try_from(MAX_NAMESPACES.get()).unwrap_or(usize::MAX)
}

/// Most addresses owned by L3 namespaces.
pub(crate) fn max_addrs() -> usize {
    usize::try_from(MAX_ADDRS.get()).unwrap_or(usize::MAX)
}

/// Most sockets owned by L3 namespaces.
pub(crate) fn max_sockets() -> u32 {
    MAX_SOCKETS.get()
}

/// Most member tasks over all L3 namespaces.
pub(crate) fn max_tasks() -> u32 {
    MAX_TASKS.get()
}
