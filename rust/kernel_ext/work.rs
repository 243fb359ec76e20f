// SPDX-License-Identifier: GPL-2.0

//! Work items on the system workqueue, cancelled in `Drop`.
//!
//! C header: [`include/linux/workqueue.h`](srctree/include/linux/workqueue.h).
//! The 7.3 kernel crate's `workqueue::Work` is queued by handing the queue a
//! reference-counted pointer and has no cancel or flush. A [`Worker<T>`]
//! owns its `work_struct` and its [`Handler`]: it is queued by reference
//! (`schedule_work()`: any context, a no-op while pending) and, in `Drop`,
//! cancelled with `cancel_work_sync()`, which also waits for a run in
//! progress, before the handler goes.

use super::bindings;
use core::marker::PhantomPinned;
use kernel::prelude::*;
use kernel::str::{CStr, CStrExt};
use kernel::sync::{Arc, LockClassKey};
use kernel::types::Opaque;

/// What a [`Worker`] runs, in process context (it may sleep).
pub(crate) trait Handler: Send + Sync {
    /// One run of the work.
    fn run(&self);
}

impl<T: Handler> Handler for Arc<T> {
    fn run(&self) {
        T::run(self)
    }
}

/// A work item running its handler on the system workqueue.
///
/// # Invariants
///
/// `work` was initialised with [`Worker::run_raw`] as its function. The
/// worker is pinned, and `drop` cancels the work and waits for a run in
/// progress, so the work never runs on a freed worker.
#[pin_data(PinnedDrop)]
pub(crate) struct Worker<T: Handler> {
    #[pin]
    work: Opaque<bindings::work_struct>,
    #[pin]
    handler: T,
    #[pin]
    _pin: PhantomPinned,
}

// SAFETY: the workqueue uses the `work_struct` from any thread; the handler is `Send + Sync`.
unsafe impl<T: Handler> Send for Worker<T> {}
// SAFETY: `&Worker` only queues (thread-safe) or lends `&T`, `T: Sync`.
unsafe impl<T: Handler> Sync for Worker<T> {}

impl<T: Handler> Worker<T> {
    /// A worker running `handler`; `name` and `key` are its lockdep class
    /// (`kernel::static_lock_class!()`).
    pub(crate) fn new<E: From<core::convert::Infallible>>(
        handler: impl PinInit<T, E>,
        name: &'static CStr,
        key: Pin<&'static LockClassKey>,
    ) -> impl PinInit<Self, E> {
        try_pin_init!(Self {
            work <- Opaque::ffi_init(|work| {
                // INVARIANT: `run_raw` is the work function.
                // SAFETY: `work` is the field's memory; `name` and `key` are static.
                unsafe {
                    bindings::init_work_with_key(
                        work,
                        Some(Self::run_raw),
                        false,
                        name.as_char_ptr(),
                        key.as_ptr(),
                    )
                }
            }),
            handler <- handler,
            _pin: PhantomPinned,
        }? E)
    }

    /// Its handler.
    pub(crate) fn handler(&self) -> &T {
        &self.handler
    }

    /// Queues a run (`schedule_work()`); false if one was already pending.
    /// Any context.
    pub(crate) fn queue(&self) -> bool {
        // SAFETY: `system_percpu_wq` is set up at boot and never changes.
        let wq = unsafe { bindings::system_percpu_wq };
        // `WORK_CPU_UNBOUND` is a small constant.
        let cpu = bindings::wq_misc_consts_WORK_CPU_UNBOUND as i32;
        // SAFETY: `work` is initialised and pinned, and `drop` cancels it (type invariant).
        unsafe { bindings::queue_work_on(cpu, wq, self.work.get()) }
    }

    /// Waits for a queued or running run to finish (process context);
    /// whether there was one. For KUnit.
    #[cfg(CONFIG_KUNIT)]
    fn flush(&self) -> bool {
        // SAFETY: `work` is initialised (type invariant).
        unsafe { bindings::flush_work(self.work.get()) }
    }

    /// The work function.
    ///
    /// # Safety
    ///
    /// Called by the workqueue for the `work` of a live `Worker<T>`.
    unsafe extern "C" fn run_raw(work: *mut bindings::work_struct) {
        // `Opaque` is `repr(transparent)`: the field pointer is `work` itself.
        // SAFETY: `work` is the `work` field of a live `Worker<T>` (the contract).
        let this = unsafe {
            &*kernel::container_of!(work.cast::<Opaque<bindings::work_struct>>(), Self, work)
        };
        this.handler.run();
    }
}

#[pinned_drop]
impl<T: Handler> PinnedDrop for Worker<T> {
    fn drop(self: Pin<&mut Self>) {
        // A pending run is cancelled, a running one waited for; a work
        // requeued by its own run is cancelled too.
        // SAFETY: `work` is initialised (type invariant).
        unsafe { bindings::cancel_work_sync(self.work.get()) };
    }
}

/// KUnit: a worker runs its handler once per queueing (flushed), a second
/// queueing while pending is a no-op, and dropping it cancels a pending run.
#[cfg(CONFIG_KUNIT)]
pub(crate) fn self_test() -> Result {
    use core::sync::atomic::{AtomicU32, Ordering::Relaxed};

    struct Count(AtomicU32);
    impl Handler for Count {
        fn run(&self) {
            self.0.fetch_add(1, Relaxed);
        }
    }

    let init = Worker::new(
        Count(AtomicU32::new(0)),
        c"l3ns_kunit_work",
        kernel::static_lock_class!(),
    );
    let worker = KBox::pin_init(init, GFP_KERNEL)?;
    let queued = worker.queue();
    // The work may already have run on another CPU: what `flush` returns
    // (whether it waited) is not fixed, the count after it is.
    worker.flush();
    let once = worker.handler().0.load(Relaxed) == 1;
    worker.queue();
    worker.queue();
    worker.flush();
    let runs = worker.handler().0.load(Relaxed);
    worker.queue();
    drop(worker);
    if queued && once && (2..=3).contains(&runs) {
        Ok(())
    } else {
        Err(EINVAL)
    }
}
