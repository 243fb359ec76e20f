// SPDX-License-Identifier: GPL-2.0

//! Safe access to the C shim's pointer-keyed tag tables (RCU readers, one
//! irq-safe writer lock; see `Documentation/design.rst`, mechanisms 1, 5
//! and 18) and their entry reserve.
//! Keys are object addresses used only for identity, never dereferenced.

use super::{bindings, TaskId};
use core::sync::atomic::{AtomicBool, Ordering};
use kernel::error::{
    code::{EBUSY, ENOSPC},
    to_result, Error, Result,
};
use kernel::ffi::c_void;

const TASK: u32 = bindings::l3ns_tag_kind_L3NS_TAG_TASK;
const SOCK: u32 = bindings::l3ns_tag_kind_L3NS_TAG_SOCK;
const PORT: u32 = bindings::l3ns_tag_kind_L3NS_TAG_PORT;

/// Identity of a `struct sock` (its address; never dereferenced in Rust).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct SockId(pub(super) usize);

impl SockId {
    /// The identity of the socket at `addr`.
    pub(crate) fn from_addr(addr: usize) -> Self {
        SockId(addr)
    }
}

impl From<crate::kernel_ext::sock_events::SockRef<'_>> for SockId {
    fn from(sk: crate::kernel_ext::sock_events::SockRef<'_>) -> Self {
        SockId(sk.id())
    }
}

fn get(kind: u32, key: usize) -> Option<u32> {
    // SAFETY: the key is only compared, never dereferenced.
    let v = unsafe { bindings::l3ns_c_tag_get(kind, key as *const c_void) };
    (v != 0).then_some(v)
}

fn set(kind: u32, key: usize, value: u32, nowait: bool) -> Result {
    // SAFETY: the key is only compared, never dereferenced.
    to_result(unsafe { bindings::l3ns_c_tag_set(kind, key as *const c_void, value, nowait) })
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
                set($kind, id.0, value, true)
            }

            /// As [`Self::set`], as if the allocator had failed: the entry
            /// comes from the reserve (or the emergency pools). For KUnit.
            #[cfg(CONFIG_KUNIT)]
            #[allow(dead_code)]
            pub(crate) fn set_from_reserve(id: $id, value: u32) -> Result {
                set($kind, id.0, value, false)
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

/// Why a tag could not be stored (the error of `set`), for a log line.
pub(crate) fn failure_reason(e: Error) -> &'static str {
    if e == ENOSPC {
        "max_tasks/max_sockets reached"
    } else {
        "out of memory: reserve and emergency pools empty"
    }
}

static TABLES: AtomicBool = AtomicBool::new(false);

/// The tag tables' lifetime: their slab cache (`l3ns_tag`) and the entry
/// reserve (mechanism 18), entries allocated where sleeping is allowed and
/// taken by `set` when an allocation without reclaim fails.
///
/// # Invariants
///
/// At most one exists (`TABLES`); while it does, the C cache and reserve
/// are set up, so `set` may be called.
pub(crate) struct TagTables(());

impl TagTables {
    /// Creates the cache and fills the reserve (process context):
    /// `ENOMEM` if it cannot be.
    pub(crate) fn init() -> Result<Self> {
        TABLES
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .map_err(|_| EBUSY)?;
        // SAFETY: module init is process context; `TABLES` makes this the only set-up.
        let r = to_result(unsafe { bindings::l3ns_c_tags_init() });
        if r.is_err() {
            // The C side undid its partial set-up.
            TABLES.store(false, Ordering::Release);
        }
        r.map(|()| Self(()))
    }

    /// Tag table counters, for `info`.
    pub(crate) fn counters() -> TagCounters {
        let get = |which: u32| {
            // SAFETY: reads counters; no preconditions.
            unsafe { bindings::l3ns_c_tag_counter(which) }
        };
        TagCounters {
            reserve_free: get(bindings::l3ns_tag_counter_L3NS_TAG_RESERVE_FREE),
            reserve_used: get(bindings::l3ns_tag_counter_L3NS_TAG_RESERVE_USED),
            alloc_failures: get(bindings::l3ns_tag_counter_L3NS_TAG_ALLOC_FAILURES),
            limit_refusals: get(bindings::l3ns_tag_counter_L3NS_TAG_LIMIT_REFUSALS),
        }
    }
}

impl Drop for TagTables {
    fn drop(&mut self) {
        // Every caller of `set` (probes, tracepoints, debugfs) is
        // unregistered before the tables drop (field order in `L3ns`); the
        // tasks and sockets outlive the module, so every tag goes now.
        // SAFETY: process context (module exit); no concurrent tag call.
        unsafe { bindings::l3ns_c_tags_exit() };
        TABLES.store(false, Ordering::Release);
    }
}

/// Tag table counters (`info`).
#[derive(Clone, Copy, Default)]
pub(crate) struct TagCounters {
    /// Spare entries in the reserve now.
    pub(crate) reserve_free: u64,
    /// Entries taken from the reserve (the allocator would have reclaimed).
    pub(crate) reserve_used: u64,
    /// Tags refused because the reserve and the allocator were both empty.
    pub(crate) alloc_failures: u64,
    /// Tags refused at `max_tasks` / `max_sockets`.
    pub(crate) limit_refusals: u64,
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
