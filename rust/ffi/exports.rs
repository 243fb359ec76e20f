// SPDX-License-Identifier: GPL-2.0

//! C-callable Rust functions that shim files which have not moved yet
//! still call (declared in `l3ns_hooks.h` and `l3ns_shim.h`). Each goes
//! when its caller moves to Rust.

use crate::kernel_ext::cred::UserNamespace;
use crate::{caller, control, params};
use kernel::bindings;
use kernel::ffi::c_int;

/// Is `inode` `net_ns/start` or `net_ns/info`, the files a member may
/// open for writing?
///
/// # Safety
///
/// `inode` points to a live inode (the open guard's file's).
// Temporary: called by rust/shim/l3ns_guard.c until it moves.
#[no_mangle]
unsafe extern "C" fn l3ns_debugfs_member_file(inode: *const bindings::inode) -> bool {
    // SAFETY: the caller passes a live inode.
    unsafe { control::START.is_inode(inode) || control::INFO.is_inode(inode) }
}

/// Does the current task hold `cap` in `ns` by its credentials alone
/// ([`caller::capable_in`])?
///
/// # Safety
///
/// `ns` points to a user namespace that stays alive for the call.
// Temporary: called by rust/shim/l3ns_probes.c until it moves.
#[no_mangle]
unsafe extern "C" fn l3ns_raw_capable(ns: *mut bindings::user_namespace, cap: c_int) -> bool {
    // SAFETY: the caller keeps `ns` alive for the call.
    let ns = unsafe { UserNamespace::from_raw(ns) };
    caller::capable_in(ns, cap)
}

/// The `max_tasks` parameter.
// Temporary: called by rust/shim/l3ns_tags.c until it moves.
#[no_mangle]
extern "C" fn l3ns_c_param_max_tasks() -> u32 {
    params::max_tasks()
}

/// The `max_sockets` parameter.
// Temporary: called by rust/shim/l3ns_tags.c until it moves.
#[no_mangle]
extern "C" fn l3ns_c_param_max_sockets() -> u32 {
    params::max_sockets()
}
