// SPDX-License-Identifier: GPL-2.0

//! The reaper: a work item that reaps ended namespaces in process context
//! (`Documentation/design.rst`, mechanism 2), queued from any context when
//! a namespace ends, then disarms the hooks if none is left (mechanism 19).

use crate::arming::Arming;
use crate::kernel_ext::rcu_slot::{Published, RcuSlot};
use crate::kernel_ext::work::{self, Worker};
use kernel::prelude::*;
use kernel::sync::Arc;

/// Where [`Reaper::kick`] finds the work item while a [`Reaper`] lives.
static REAPER: RcuSlot<Worker<Arc<Arming>>> = RcuSlot::new();

/// A reap runs the state's, then disarms if no namespace is left.
impl work::Handler for Arming {
    fn run(&self) {
        self.reap_and_disarm_when_idle();
    }
}

/// The work item, published for [`Reaper::kick`]. Dropped once every
/// caller of `kick` (probes, hooks, debugfs) is unregistered (field order
/// in `L3ns`): the slot is emptied, a grace period passes, a pending reap
/// is cancelled and a running one waited for, then the `Arming`'s `Arc` goes.
pub(crate) struct Reaper {
    _worker: Published<Worker<Arc<Arming>>>,
}

impl Reaper {
    /// Sets up the work item (not queued yet); `EBUSY` if one exists.
    pub(crate) fn register(arming: &Arc<Arming>) -> Result<Self> {
        let worker = Worker::new(arming.clone(), c"l3ns_reap", kernel::static_lock_class!());
        let worker = REAPER.publish(KBox::pin_init(worker, GFP_KERNEL)?)?;
        Ok(Self { _worker: worker })
    }

    /// Queues a reap. A no-op when no `Reaper` exists. Any context.
    pub(crate) fn kick() {
        REAPER.with(|worker, _| worker.queue());
    }
}
