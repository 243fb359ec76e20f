// SPDX-License-Identifier: GPL-2.0

//! Safe access to the C shim's pointer-keyed tag table (RCU readers, one
//! bh-safe writer lock; see `Documentation/design.rst`, mechanism 1).

use super::{bindings, TaskId};
use kernel::error::{to_result, Result};

const TASK: u32 = bindings::l3ns_tag_kind_L3NS_TAG_TASK as u32;

/// Task -> L3 slot tags. A tag value is `slot index + 1` (0 means "none").
pub(crate) struct TaskTags;

impl TaskTags {
    /// The tag of `task`, if any. Any context.
    pub(crate) fn get(task: TaskId) -> Option<u32> {
        // SAFETY: the key is only compared, never dereferenced.
        let v = unsafe { bindings::l3ns_c_tag_get(TASK, task.as_key()) };
        (v != 0).then_some(v)
    }

    /// Tags `task` with `value` (non-zero). Fails with `EEXIST` if already
    /// tagged, `ENOSPC` at the `max_tasks` limit, `ENOMEM`. Any context.
    pub(crate) fn set(task: TaskId, value: u32) -> Result {
        // SAFETY: the key is only compared, never dereferenced.
        to_result(unsafe { bindings::l3ns_c_tag_set(TASK, task.as_key(), value) })
    }

    /// Removes the tag of `task`, returning it. Any context.
    pub(crate) fn del(task: TaskId) -> Option<u32> {
        // SAFETY: the key is only compared, never dereferenced.
        let v = unsafe { bindings::l3ns_c_tag_del(TASK, task.as_key()) };
        (v != 0).then_some(v)
    }

    /// Number of tagged tasks.
    pub(crate) fn count() -> u32 {
        // SAFETY: no preconditions.
        unsafe { bindings::l3ns_c_tag_count(TASK) }
    }

    /// Removes every task tag (module unload, after the probes are gone).
    pub(crate) fn clear() {
        // SAFETY: no preconditions.
        unsafe { bindings::l3ns_c_tag_clear(TASK) }
    }
}

/// A tag key for tests: any address works, since keys are never dereferenced.
#[cfg(CONFIG_KUNIT)]
pub(crate) fn test_key(n: usize) -> TaskId {
    TaskId(n)
}
