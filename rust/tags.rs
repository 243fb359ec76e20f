// SPDX-License-Identifier: GPL-2.0

//! The tag tables (`Documentation/design.rst`, mechanisms 1, 5 and 18):
//! task -> slot, socket -> slot and socket -> hidden port, three maps of
//! one [`PtrMaps`] (RCU readers in any context, one irq-safe writer lock)
//! whose entries come from the `l3ns_tag` slab cache, with a reserve of
//! spare entries refilled by a work item in process context.
//!
//! Every hook reaches them through the [`RcuSlot`] they are published in
//! while a [`TagTables`] lives. Keys are object addresses used only for
//! identity, never dereferenced.

use crate::ffi::{SockId, TaskId};
use crate::kernel_ext::ptr_maps::{PtrMaps, BUCKETS};
use crate::kernel_ext::rcu_slot::{Published, RcuSlot};
use crate::kernel_ext::slab::Gfp;
use crate::kernel_ext::work::{self, Worker};
use crate::params;
use core::sync::atomic::{AtomicU64, Ordering::Relaxed};
use kernel::error::code::{EEXIST, EINVAL, ENODEV, ENOMEM, ENOSPC};
use kernel::interrupt::LocalInterruptDisabled;
use kernel::prelude::*;

/// Task -> slot tags (the maps' index).
const TASK: usize = 0;
/// Socket -> slot tags.
const SOCK: usize = 1;
/// Socket -> hidden port tags.
const PORT: usize = 2;
/// How many maps.
const KINDS: usize = 3;

/// Spare entries kept for when an allocation without reclaim fails.
const RESERVE: usize = 1024;

/// The maps and their counters; the refill work's handler.
#[pin_data]
struct Store {
    #[pin]
    maps: PtrMaps<KINDS>,
    /// Entries taken from the reserve.
    reserve_used: AtomicU64,
    /// Tags refused with the reserve and the allocator both empty.
    alloc_failures: AtomicU64,
    /// Tags refused at `max_tasks` / `max_sockets`.
    limit_refusals: AtomicU64,
}

/// The store and the work item refilling its reserve.
type Tables = Worker<Store>;

/// Where the hooks find the tables while a [`TagTables`] lives.
static TABLES: RcuSlot<Tables> = RcuSlot::new();

impl work::Handler for Store {
    fn run(&self) {
        self.refill();
    }
}

impl Store {
    /// Tops the reserve up; process context (may sleep and reclaim).
    fn refill(&self) {
        while self.maps.spares() < RESERVE {
            let Some(entry) = self.maps.alloc(Gfp::KERNEL) else {
                return;
            };
            // Only an entry of other maps is given back.
            let _ = self.maps.lock().add_spare(entry);
        }
    }

    /// Tags `key` in map `kind` with `value`; `nowait`: try the allocator
    /// (without reclaim) before the reserve. `tables` is our worker; `irq`:
    /// interrupts are off.
    fn set(
        &self,
        tables: &Tables,
        irq: &LocalInterruptDisabled,
        kind: usize,
        key: usize,
        value: u32,
        nowait: bool,
    ) -> Result {
        let maps = &self.maps;
        let fresh = if nowait {
            maps.alloc(Gfp::NOWAIT)
        } else {
            None
        };
        let mut w = maps.lock_with(irq);
        let entry = match fresh {
            Some(entry) => entry,
            None => match w.take_spare() {
                Some(spare) => {
                    self.reserve_used.fetch_add(1, Relaxed);
                    // A no-op while it is pending.
                    tables.queue();
                    spare
                }
                None => {
                    // The reserve is empty: the emergency pools, last.
                    drop(w);
                    let Some(entry) = maps.alloc(Gfp::ATOMIC) else {
                        self.alloc_failures.fetch_add(1, Relaxed);
                        return Err(ENOMEM);
                    };
                    w = maps.lock_with(irq);
                    entry
                }
            },
        };
        let refused = if w.contains(kind, key) {
            EEXIST
        } else if maps.len(kind) >= limit(kind) {
            self.limit_refusals.fetch_add(1, Relaxed);
            ENOSPC
        } else {
            return w.insert(kind, key, value, entry).map_err(|_| EINVAL);
        };
        // The entry is freed once the lock is dropped.
        drop(w);
        drop(entry);
        Err(refused)
    }

    /// Removes the first tag of `kind` in `bucket` whose value is `value`
    /// once the bits of `ignore` are cleared; for a socket tag, its port
    /// tag goes in the same critical section (once unlocked, the socket may
    /// be freed and its address reused by a new socket with a port tag of
    /// its own). The port tag's value (0: none), or `None` if the bucket
    /// holds no such tag.
    fn pop(
        &self,
        irq: &LocalInterruptDisabled,
        kind: usize,
        bucket: usize,
        pred: &impl Fn(u32) -> bool,
    ) -> Option<u32> {
        let mut w = self.maps.lock_with(irq);
        let (key, _) = w.remove_first(kind, bucket, pred)?;
        Some(match kind {
            SOCK => w.remove(PORT, key).unwrap_or(0),
            _ => 0,
        })
    }
}

/// The most tags of `kind`.
fn limit(kind: usize) -> u32 {
    match kind {
        TASK => params::max_tasks(),
        _ => params::max_sockets(),
    }
}

fn get(kind: usize, key: usize) -> Option<u32> {
    TABLES
        .with(|t, rcu| t.handler().maps.get_rcu(rcu, kind, key))
        .flatten()
}

// Writers reach the tables with interrupts off, which their lock needs
// anyway, rather than under `rcu_read_lock()` as well.

fn set(kind: usize, key: usize, value: u32, nowait: bool) -> Result {
    if value == 0 {
        return Err(EINVAL);
    }
    TABLES
        .with_irqs_off(|t, irq| t.handler().set(t, irq, kind, key, value, nowait))
        .unwrap_or(Err(ENODEV))
}

fn del(kind: usize, key: usize) -> Option<u32> {
    TABLES
        .with_irqs_off(|t, irq| t.handler().maps.lock_with(irq).remove(kind, key))
        .flatten()
}

fn replace(kind: usize, key: usize, old: u32, value: u32) -> bool {
    value != 0
        && TABLES
            .with_irqs_off(|t, irq| {
                t.handler()
                    .maps
                    .lock_with(irq)
                    .replace(kind, key, old, value)
            })
            .unwrap_or(false)
}

/// Removes every tag of `kind` whose value `pred` accepts, one bucket per
/// lock hold (a long table never keeps interrupts off long); `removed`
/// gets each one's port tag (else 0). One walk of the table, however many
/// namespaces `pred` names.
fn purge(kind: usize, pred: impl Fn(u32) -> bool, mut removed: impl FnMut(u32)) {
    let mut bucket = 0;
    while bucket < BUCKETS {
        let popped = TABLES.with_irqs_off(|t, irq| t.handler().pop(irq, kind, bucket, &pred));
        match popped.flatten() {
            // The bucket may hold more: scan it again.
            Some(port) => removed(port),
            None => bucket += 1,
        }
    }
}

fn count(kind: usize) -> u32 {
    TABLES.with(|t, _| t.handler().maps.len(kind)).unwrap_or(0)
}

macro_rules! tag_table {
    ($name:ident, $id:ty, $kind:expr, $doc:literal) => {
        #[doc = $doc]
        pub(crate) struct $name;

        impl $name {
            /// The tag of `id`, if any. Any context.
            pub(crate) fn get(id: $id) -> Option<u32> {
                get($kind, id.key())
            }

            /// Tags `id` with `value` (non-zero): `EEXIST` if already tagged,
            /// `ENOSPC` at the limit, `ENOMEM`. Any context.
            pub(crate) fn set(id: $id, value: u32) -> Result {
                set($kind, id.key(), value, true)
            }

            /// As [`Self::set`], as if the allocator had failed: the entry
            /// comes from the reserve (or the emergency pools). For KUnit.
            #[cfg(CONFIG_KUNIT)]
            #[allow(dead_code)]
            pub(crate) fn set_from_reserve(id: $id, value: u32) -> Result {
                set($kind, id.key(), value, false)
            }

            /// Removes the tag of `id`, returning it. Any context.
            pub(crate) fn del(id: $id) -> Option<u32> {
                del($kind, id.key())
            }

            /// Replaces the tag of `id` by `value` if it is `old`; whether it
            /// was. Any context.
            // One macro serves three tables; only socket tags are replaced.
            #[allow(dead_code)]
            pub(crate) fn replace(id: $id, old: u32, value: u32) -> bool {
                replace($kind, id.key(), old, value)
            }

            /// Removes every tag whose value is `value` once the bits of
            /// `ignore` are cleared; `removed` gets the port tag that went
            /// with each (socket tags only; else 0). Process context.
            // Port tags go with their socket's, never by value.
            #[allow(dead_code)]
            pub(crate) fn purge(value: u32, ignore: u32, removed: impl FnMut(u32)) {
                purge($kind, move |v| v & !ignore == value, removed)
            }

            /// Removes every tag whose value `pred` accepts (one walk);
            /// `removed` as for `purge`. Process context.
            #[allow(dead_code)]
            pub(crate) fn purge_where(pred: impl Fn(u32) -> bool, removed: impl FnMut(u32)) {
                purge($kind, pred, removed)
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

/// The tag tables' lifetime: their slab cache (`l3ns_tag`), the entry
/// reserve (mechanism 18) and its refill work, published for the hooks.
/// Dropped once every caller of `set` is unregistered (field order in
/// `L3ns`): the slot is emptied, a grace period passes, the refill work is
/// cancelled, every tag removed (the tasks and sockets outlive the module)
/// and the cache destroyed.
pub(crate) struct TagTables {
    _tables: Published<Tables>,
}

impl TagTables {
    /// Creates the maps and fills the reserve (process context): `ENOMEM`
    /// if it cannot be, `EBUSY` if tables exist already.
    pub(crate) fn init() -> Result<Self> {
        let store = try_pin_init!(Store {
            maps <- PtrMaps::new(c"l3ns_tag"),
            reserve_used: AtomicU64::new(0),
            alloc_failures: AtomicU64::new(0),
            limit_refusals: AtomicU64::new(0),
        }? Error);
        let tables = KBox::pin_init(
            Worker::new(store, c"l3ns_tag_refill", kernel::static_lock_class!()),
            GFP_KERNEL,
        )?;
        tables.handler().refill();
        if tables.handler().maps.spares() < RESERVE {
            return Err(ENOMEM);
        }
        let tables = TABLES.publish(tables)?;
        Ok(Self { _tables: tables })
    }

    /// Tag table counters, for `info`.
    pub(crate) fn counters() -> TagCounters {
        TABLES
            .with(|t, _| {
                let s = t.handler();
                TagCounters {
                    reserve_free: s.maps.spares() as u64,
                    reserve_used: s.reserve_used.load(Relaxed),
                    alloc_failures: s.alloc_failures.load(Relaxed),
                    limit_refusals: s.limit_refusals.load(Relaxed),
                }
            })
            .unwrap_or_default()
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
