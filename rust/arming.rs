// SPDX-License-Identifier: GPL-2.0

//! Hooks armed only while an L3 namespace exists
//! (`Documentation/design.rst`, mechanism 19): with no namespace, l3ns has
//! no netfilter hook, no ftrace site and no tracepoint probe registered, so
//! it costs nothing per packet, syscall or fork.

use crate::hooks;
use crate::kernel_ext::{delivery, file_open, ifaddr_view, sock_events, task_events};
use crate::kernel_ext::{inet_bind, inet_calls as inet};
use crate::registry::State;
use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use kernel::new_mutex;
use kernel::prelude::*;
use kernel::sync::{Arc, Mutex};
use kernel::time::{delay::fsleep, Delta, Instant, Monotonic};

/// How long no namespace must exist before the reaper disarms: a `start`
/// right after the last namespace ended (a restarted service, a script
/// making namespaces one after another) keeps the hooks instead of paying
/// an unregistration and a registration.
const IDLE_GRACE: Delta = Delta::from_millis(2000);

/// Every registration whose hooks fire per packet, per syscall or per task
/// event. Fields drop in declaration order: the netfilter hooks first, the
/// task probes last (the order the module has always torn them down in).
struct Armed {
    _hooks: Pin<KBox<hooks::Hooks>>,
    _calls: inet::Registration<State>,
    _deliveries: delivery::Registration<State>,
    _visibility: ifaddr_view::Registration<State>,
    _guard: file_open::Registration<State>,
    _binds: inet_bind::Registration<State>,
    _socks: sock_events::Registration<State>,
    _probes: task_events::Registration<State>,
}

impl Armed {
    /// Registers everything (process context); on failure what was
    /// registered is dropped again.
    fn register(state: &Arc<State>) -> Result<Self> {
        let probes = task_events::Registration::register(state.clone())?;
        let socks = sock_events::Registration::register(state.clone())?;
        let binds = inet_bind::Registration::register(state.clone())?;
        let calls = inet::Registration::register(state.clone())?;
        let deliveries = delivery::Registration::register(state.clone())?;
        let visibility = ifaddr_view::Registration::register(state.clone())?;
        let guard = file_open::Registration::register(state.clone())?;
        let hooks = hooks::Hooks::register(state.clone(), hooks::HOOKS)?;
        Ok(Self {
            _hooks: hooks,
            _calls: calls,
            _deliveries: deliveries,
            _visibility: visibility,
            _guard: guard,
            _binds: binds,
            _socks: socks,
            _probes: probes,
        })
    }
}

/// Arms [`Armed`] for the first namespace and disarms it after the last.
///
/// Namespaces are created only inside [`Arming::armed`], under `armed`'s
/// lock and after arming succeeded, and disarming checks under the same
/// lock that none is left: no namespace ever exists unhooked.
#[pin_data]
pub(crate) struct Arming {
    /// The state every registration serves.
    pub(crate) state: Arc<State>,
    /// The registrations while armed.
    #[pin]
    armed: Mutex<Option<Armed>>,
    /// Whether `armed` holds registrations (read without the lock; cleared
    /// once a disarm has finished).
    is_armed: AtomicBool,
    /// Times armed since load.
    arms: AtomicU64,
    /// Namespaces created since load (changed under `armed`'s lock).
    created: AtomicU64,
}

impl Arming {
    /// Disarmed, serving `state`.
    pub(crate) fn new(state: Arc<State>) -> impl PinInit<Self> {
        pin_init!(Arming {
            state,
            armed <- new_mutex!(None),
            is_armed: AtomicBool::new(false),
            arms: AtomicU64::new(0),
            created: AtomicU64::new(0),
        })
    }

    /// Runs `create` with every hook armed (arming first if needed), the
    /// arm lock held; `create` is what makes a namespace. If arming fails,
    /// `create` does not run and the error is returned.
    pub(crate) fn armed<R>(&self, create: impl FnOnce(&State) -> Result<R>) -> Result<R> {
        let mut armed = self.armed.lock();
        if armed.is_none() {
            let t = Instant::<Monotonic>::now();
            let regs = Armed::register(&self.state).inspect_err(|e| {
                pr_err!("cannot arm the hooks ({})\n", e.to_errno());
            })?;
            *armed = Some(regs);
            self.is_armed.store(true, Ordering::Release);
            self.arms.fetch_add(1, Ordering::Relaxed);
            pr_info!("hooks armed in {} ms\n", t.elapsed().as_millis());
        }
        let made = create(&self.state);
        if made.is_ok() {
            self.created.fetch_add(1, Ordering::Release);
        } else if self.state.is_idle() {
            // Nothing to guard: do not leave a failed first start armed.
            self.disarm_locked(&mut armed);
        }
        made
    }

    /// Reaps ended namespaces, then disarms once no namespace has existed
    /// for [`IDLE_GRACE`] (process context: the reaper, which sleeps here).
    pub(crate) fn reap_and_disarm_when_idle(&self) {
        // `is_idle` reaps first, armed or not.
        if !self.state.is_idle() || !self.is_armed() {
            return;
        }
        let seen = self.created.load(Ordering::Acquire);
        fsleep(IDLE_GRACE);
        let mut armed = self.armed.lock();
        // Creations happen under this lock: none since `seen` means the
        // table stayed without a namespace for the whole grace.
        if armed.is_some() && self.created.load(Ordering::Acquire) == seen && self.state.is_idle() {
            self.disarm_locked(&mut armed);
        }
    }

    /// Disarms whatever is left (module unload; namespaces may be live).
    pub(crate) fn disarm(&self) {
        let mut armed = self.armed.lock();
        self.disarm_locked(&mut armed);
    }

    /// Drops the registrations, each unregistering and waiting for its
    /// callbacks to finish.
    fn disarm_locked(&self, armed: &mut Option<Armed>) {
        let Some(regs) = armed.take() else { return };
        let t = Instant::<Monotonic>::now();
        drop(regs);
        self.is_armed.store(false, Ordering::Release);
        pr_info!("hooks disarmed in {} ms\n", t.elapsed().as_millis());
    }

    /// Arms and disarms once (the load-time self-check: a kernel that
    /// cannot take every hook fails `insmod`, not the first `start`).
    pub(crate) fn check(&self) -> Result {
        self.armed(|_| Ok(()))?;
        self.disarm();
        Ok(())
    }

    /// Whether the hooks are armed now.
    pub(crate) fn is_armed(&self) -> bool {
        self.is_armed.load(Ordering::Acquire)
    }

    /// Times the hooks were armed since load (the self-check included).
    pub(crate) fn arms(&self) -> u64 {
        self.arms.load(Ordering::Relaxed)
    }
}

/// Disarms in `Drop`: a field of the module placed after the debugfs tree
/// (no `start` can arm again) and before the state's other users.
pub(crate) struct Disarm(pub(crate) Arc<Arming>);

impl Drop for Disarm {
    fn drop(&mut self) {
        self.0.disarm();
    }
}
