// SPDX-License-Identifier: GPL-2.0

//! Safe access to the C shim's pointer-keyed tag tables (RCU readers, one
//! irq-safe writer lock; see `Documentation/design.rst`, mechanisms 1 and 5).
//! Keys are object addresses used only for identity, never dereferenced.

use super::{bindings, TaskId};
use kernel::error::{to_result, Result};
use kernel::ffi::c_void;

const TASK: u32 = bindings::l3ns_tag_kind_L3NS_TAG_TASK;
const SOCK: u32 = bindings::l3ns_tag_kind_L3NS_TAG_SOCK;
const PORT: u32 = bindings::l3ns_tag_kind_L3NS_TAG_PORT;

/// Identity of a `struct sock` (its address; never dereferenced in Rust).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct SockId(pub(super) usize);

fn get(kind: u32, key: usize) -> Option<u32> {
    // SAFETY: the key is only compared, never dereferenced.
    let v = unsafe { bindings::l3ns_c_tag_get(kind, key as *const c_void) };
    (v != 0).then_some(v)
}

fn set(kind: u32, key: usize, value: u32) -> Result {
    // SAFETY: the key is only compared, never dereferenced.
    to_result(unsafe { bindings::l3ns_c_tag_set(kind, key as *const c_void, value) })
}

fn del(kind: u32, key: usize) -> Option<u32> {
    // SAFETY: the key is only compared, never dereferenced.
    let v = unsafe { bindings::l3ns_c_tag_del(kind, key as *const c_void) };
    (v != 0).then_some(v)
}

fn replace(kind: u32, key: usize, old: u32, value: u32) -> bool {
    // SAFETY: the key is only compared, never dereferenced.
    unsafe { bindings::l3ns_c_tag_replace(kind, key as *const c_void, old, value) }
}

/// Removes every tag of `kind` whose value is `value` once the bits of
/// `ignore` are cleared, calling `removed` with the port tag that went with
/// each socket tag (0: none).
fn purge(kind: u32, value: u32, ignore: u32, mut removed: impl FnMut(u32)) {
    let mut cursor = 0u32;
    let mut port = 0u32;
    // SAFETY: `cursor` and `port` are valid for writes for the whole call.
    while unsafe { bindings::l3ns_c_tag_pop(kind, value, ignore, &mut cursor, &mut port) } {
        removed(port);
    }
}

fn count(kind: u32) -> u32 {
    // SAFETY: no preconditions.
    unsafe { bindings::l3ns_c_tag_count(kind) }
}

fn clear(kind: u32) {
    // SAFETY: no preconditions.
    unsafe { bindings::l3ns_c_tag_clear(kind) }
}

macro_rules! tag_table {
    ($name:ident, $id:ty, $kind:expr, $doc:literal) => {
        #[doc = $doc]
        pub(crate) struct $name;

        impl $name {
            /// The tag of `id`, if any. Any context.
            pub(crate) fn get(id: $id) -> Option<u32> {
                get($kind, id.0)
            }

            /// Tags `id` with `value` (non-zero): `EEXIST` if already tagged,
            /// `ENOSPC` at the limit, `ENOMEM`. Any context.
            pub(crate) fn set(id: $id, value: u32) -> Result {
                set($kind, id.0, value)
            }

            /// Removes the tag of `id`, returning it. Any context.
            pub(crate) fn del(id: $id) -> Option<u32> {
                del($kind, id.0)
            }

            /// Replaces the tag of `id` by `value` if it is `old`; whether it
            /// was. Any context.
            // One macro serves three tables; only socket tags are replaced.
            #[allow(dead_code)]
            pub(crate) fn replace(id: $id, old: u32, value: u32) -> bool {
                replace($kind, id.0, old, value)
            }

            /// Removes every tag whose value is `value` once the bits of
            /// `ignore` are cleared; `removed` gets the port tag that went
            /// with each (socket tags only; else 0). Process context.
            // Port tags go with their socket's, never by value.
            #[allow(dead_code)]
            pub(crate) fn purge(value: u32, ignore: u32, removed: impl FnMut(u32)) {
                purge($kind, value, ignore, removed)
            }

            /// Number of tags.
            pub(crate) fn count() -> u32 {
                count($kind)
            }

            /// Removes every tag (module unload, after the probes are gone).
            pub(crate) fn clear() {
                clear($kind)
            }
        }
    };
}

tag_table!(
    TaskTags,
    TaskId,
    TASK,
    "Task -> L3 slot tags. A tag value is `slot index + 1`."
);
tag_table!(
    SockTags,
    SockId,
    SOCK,
    "Socket -> L3 slot tags. A tag value is `slot index + 1`."
);
tag_table!(
    PortTags,
    SockId,
    PORT,
    "Socket -> the hidden port its bind reserved (mechanism 13)."
);

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
