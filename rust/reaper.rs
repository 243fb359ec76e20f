// SPDX-License-Identifier: GPL-2.0

//! The reaper: a work item that reaps ended namespaces in process context
//! (`Documentation/design.rst`, mechanism 2), queued from any context when
//! a namespace ends.

use crate::kernel_ext::rcu_slot::{Published, RcuSlot};
use crate::kernel_ext::work::{self, Worker};
use crate::registry::State;
use kernel::prelude::*;
use kernel::sync::Arc;

/// Where [`Reaper::kick`] finds the work item while a [`Reaper`] lives.
static REAPER: RcuSlot<Worker<Arc<State>>> = RcuSlot::new();

/// A reap runs the state's.
impl work::Handler for State {
    fn run(&self) {
        self.reap();
    }
}

/// The work item, published for [`Reaper::kick`]. Dropped once every
/// caller of `kick` (probes, hooks, debugfs) is unregistered (field order
/// in `L3ns`): the slot is emptied, a grace period passes, a pending reap
/// is cancelled and a running one waited for, then the state's `Arc` goes.
pub(crate) struct Reaper {
    _worker: Published<Worker<Arc<State>>>,
}

impl Reaper {
    /// Sets up the work item (not queued yet); `EBUSY` if one exists.
    pub(crate) fn register(state: &Arc<State>) -> Result<Self> {
        let worker = Worker::new(state.clone(), c"l3ns_reap", kernel::static_lock_class!());
        let worker = REAPER.publish(KBox::pin_init(worker, GFP_KERNEL)?)?;
        Ok(Self { _worker: worker })
    }

    /// Queues a reap. A no-op when no `Reaper` exists. Any context.
    pub(crate) fn kick() {
        REAPER.with(|worker, _| worker.queue());
    }
}
