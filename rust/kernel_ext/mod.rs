// SPDX-License-Identifier: GPL-2.0

//! Abstractions over kernel interfaces the 7.3 `kernel` crate does not wrap,
//! shaped like `rust/kernel/net/phy.rs`: `#[repr(transparent)]` newtypes
//! over `Opaque<bindings::T>`, handles borrowed for one callback, `Adapter`
//! trampolines, and registrations that undo themselves in `Drop`.
//!
//! This module never imports the application (`crate::` outside
//! `kernel_ext`); its `unsafe` stays inside it. Its bindings come from the
//! kernel's real headers (each abstraction's `<name>.bindgen`), with every type
//! `kernel::bindings` already has taken from there.

pub(crate) mod chunks;
pub(crate) mod cred;
pub(crate) mod debugfs;
pub(crate) mod delivery;
pub(crate) mod file_open;
pub(crate) mod ftrace;
pub(crate) mod ifaddr_view;
pub(crate) mod inet_bind;
pub(crate) mod inet_calls;
pub(crate) mod inetaddr;
pub(crate) mod module_param;
pub(crate) mod net;
pub(crate) mod netfilter;
pub(crate) mod ptr_maps;
pub(crate) mod ratelimit;
pub(crate) mod rcu_box;
pub(crate) mod rcu_slot;
pub(crate) mod route_source;
pub(crate) mod rtnl;
pub(crate) mod skb;
pub(crate) mod slab;
pub(crate) mod sock;
pub(crate) mod sock_events;
pub(crate) mod sockaddr;
pub(crate) mod task_events;
pub(crate) mod task_ns;
pub(crate) mod user_sock;
pub(crate) mod work;

/// Kernel items `kernel::bindings` lacks, generated at build time from
/// the `*.bindgen` files (never committed); the rest of `kernel::bindings` is
/// re-exported through the glob import at the top of the generated file.
#[allow(
    dead_code,
    missing_docs,
    non_camel_case_types,
    non_upper_case_globals,
    non_snake_case,
    unreachable_pub,
    unused_imports,
    improper_ctypes,
    unsafe_op_in_unsafe_fn,
    clippy::all,
    clippy::cast_lossless,
    clippy::ptr_as_ptr,
    clippy::ref_as_ptr,
    clippy::undocumented_unsafe_blocks
)]
mod bindings {
    include!(concat!(env!("L3NS_OUT"), "/kernel_ext_bindings.rs"));
}
