// SPDX-License-Identifier: GPL-2.0

//! IPv4 netfilter hooks in every network namespace, present and future.
//!
//! C headers: [`include/linux/netfilter.h`](srctree/include/linux/netfilter.h),
//! [`include/net/net_namespace.h`](srctree/include/net/net_namespace.h).
//! A [`Registration`] is a pernet subsystem whose per-namespace data (the
//! kernel allocates it zeroed for each namespace) holds a [`Handler`]'s
//! [`Handler::NetData`] and that namespace's own copy of the
//! `nf_hook_ops`, with `priv` pointing at the data: a hook call finds its
//! handler and its namespace's data in its `priv`, with no lookup.
//! `pre_exit` takes the hooks off and the kernel waits an RCU grace period
//! before `exit` and before freeing the data.

use super::bindings;
pub(crate) use super::net::Net;
use super::skb::Skb;
use core::marker::{PhantomData, PhantomPinned};
use core::sync::atomic::{AtomicBool, AtomicPtr, Ordering};
use kernel::error::{code::EBUSY, to_result, Result};
use kernel::ffi::{c_int, c_uint, c_void};
use kernel::prelude::*;
use kernel::sync::{rcu, Arc};
use kernel::types::Opaque;

#[path = "nf_hook.rs"]
mod hook;
pub(crate) use hook::{priority, Hook, HookOps, HookState, Verdict};

/// What a [`Registration`] calls.
pub(crate) trait Handler: Send + Sync + 'static {
    /// Per-namespace data, zeroed when the namespace appears.
    type NetData: pin_init::Zeroable + Send + Sync;

    /// Where the kernel keeps the id of this handler's per-namespace data.
    fn net_data_id(&self) -> &NetDataId<Self::NetData>;

    /// An IPv4 packet at one of the registered hooks (softirq or process
    /// context, RCU read side held): may not sleep.
    fn hook(&self, skb: &Skb, state: &HookState, data: &Self::NetData) -> Verdict;

    /// `net` is being destroyed (after its hooks are gone); not called
    /// when the registration itself goes away. Process context.
    fn net_exit(&self, net: &Net);
}

/// The id of a [`Registration`]'s per-namespace data (`pernet_operations.id`).
///
/// # Invariants
///
/// While `live` is set, `id` is the id of a registered pernet subsystem
/// whose per-namespace data starts with a `D`; `live` is cleared an RCU
/// grace period before that subsystem is unregistered.
pub(crate) struct NetDataId<D> {
    id: Opaque<c_uint>,
    live: AtomicBool,
    _data: PhantomData<D>,
}

// `id` is written by the kernel once, at registration, and read after `live` (acquire).
// SAFETY: so shared access is race-free, and `D` is shared only as `&D` (`D: Sync`).
unsafe impl<D: Sync> Sync for NetDataId<D> {}
// SAFETY: as above; nothing in it is tied to a thread.
unsafe impl<D: Send> Send for NetDataId<D> {}

impl<D> NetDataId<D> {
    /// Not registered yet.
    pub(crate) const fn new() -> Self {
        Self {
            id: Opaque::uninit(),
            live: AtomicBool::new(false),
            _data: PhantomData,
        }
    }

    /// Calls `f` with the data of the calling task's network namespace;
    /// `None` when not registered. `f` runs under `rcu_read_lock()`.
    pub(crate) fn with_current<R>(&self, f: impl FnOnce(&D) -> R) -> Option<R> {
        let _rcu = rcu::read_lock();
        if !self.live.load(Ordering::Acquire) {
            return None;
        }
        // `current->nsproxy` is only changed by the task itself, and holds its netns.
        // SAFETY: `current` is alive; `nsproxy` is null only once the task is exiting.
        let net = unsafe {
            let nsproxy = (*kernel::current!().as_ptr()).nsproxy;
            if nsproxy.is_null() {
                return None;
            }
            (*nsproxy).net_ns
        };
        // `live` was set under the RCU read lock we hold, so the subsystem stays
        // registered until we return; its data for a live namespace starts with a `D`.
        // SAFETY: `net` is alive; `id` is the subsystem's (type invariant).
        let data = unsafe { bindings::l3ns_helper_net_generic(net, *self.id.get()) };
        // SAFETY: as above, `data` points to the namespace's `D`, alive while we hold RCU.
        Some(f(unsafe { &*data.cast::<D>() }))
    }
}

/// A namespace's data: the handler's, then the hooks of that namespace.
/// Allocated zeroed by the kernel (every field is valid all-zero).
#[repr(C)]
struct NetEntry<T: Handler, const N: usize> {
    /// First: [`NetDataId::with_current`] reads it at the start.
    data: T::NetData,
    handler: *const T,
    hooked: bool,
    ops: [bindings::nf_hook_ops; N],
}

/// The live registration, for the pernet callbacks: the kernel calls
/// `init(net)`/`exit(net)` with nothing but the namespace. At most one
/// [`Registration`] exists at a time (`EBUSY` otherwise).
static LIVE: AtomicPtr<c_void> = AtomicPtr::new(core::ptr::null_mut());

/// A pernet subsystem putting a [`Handler`]'s `N` hooks in every network
/// namespace; unregistered in `Drop`.
///
/// # Invariants
///
/// While `registered` is set, `ops` is registered and [`LIVE`] points to
/// this registration, which is pinned.
#[pin_data(PinnedDrop)]
pub(crate) struct Registration<T: Handler, const N: usize> {
    #[pin]
    ops: Opaque<bindings::pernet_operations>,
    hooks: [HookOps; N],
    handler: Arc<T>,
    registered: AtomicBool,
    unregistering: AtomicBool,
    #[pin]
    _pin: PhantomPinned,
}

// `ops` is only touched by the kernel under its pernet lock and by `register`/`drop`.
// SAFETY: so nothing is tied to a thread; the handler is `Send + Sync`.
unsafe impl<T: Handler, const N: usize> Send for Registration<T, N> {}
// SAFETY: `&Registration` gives access to nothing but the `Sync` handler.
unsafe impl<T: Handler, const N: usize> Sync for Registration<T, N> {}

impl<T: Handler, const N: usize> Registration<T, N> {
    /// The kernel's `kzalloc` aligns the per-namespace data to 8 bytes.
    const ALIGNED: () = assert!(core::mem::align_of::<NetEntry<T, N>>() <= 8);

    /// Registers `hooks` of `handler` in every namespace (process context):
    /// `EBUSY` if another registration exists.
    pub(crate) fn register(handler: Arc<T>, hooks: [HookOps; N]) -> Result<Pin<KBox<Self>>> {
        let () = Self::ALIGNED;
        let id = handler.net_data_id().id.get();
        let reg = KBox::pin_init(
            try_pin_init!(Self {
                ops <- Opaque::ffi_init(|ops: *mut bindings::pernet_operations| {
                    // SAFETY: `ffi_init` hands us the field's memory to initialise.
                    unsafe {
                        ops.write(bindings::pernet_operations {
                            init: Some(Adapter::<T, N>::init),
                            pre_exit: Some(Adapter::<T, N>::pre_exit),
                            exit: Some(Adapter::<T, N>::exit),
                            id,
                            size: core::mem::size_of::<NetEntry<T, N>>(),
                            ..Default::default()
                        })
                    }
                }),
                hooks,
                handler: handler.clone(),
                registered: AtomicBool::new(false),
                unregistering: AtomicBool::new(false),
                _pin: PhantomPinned,
            }? Error),
            GFP_KERNEL,
        )?;
        let me = core::ptr::from_ref::<Self>(&reg)
            .cast_mut()
            .cast::<c_void>();
        LIVE.compare_exchange(
            core::ptr::null_mut(),
            me,
            Ordering::AcqRel,
            Ordering::Acquire,
        )
        .map_err(|_| EBUSY)?;
        // SAFETY: `ops` is initialised and pinned; `LIVE` points to `reg` for its callbacks.
        if let Err(e) = to_result(unsafe { bindings::register_pernet_subsys(reg.ops.get()) }) {
            LIVE.store(core::ptr::null_mut(), Ordering::Release);
            return Err(e);
        }
        // INVARIANT: registered, and `LIVE` is `reg`.
        reg.registered.store(true, Ordering::Release);
        reg.handler
            .net_data_id()
            .live
            .store(true, Ordering::Release);
        Ok(reg)
    }
}

#[pinned_drop]
impl<T: Handler, const N: usize> PinnedDrop for Registration<T, N> {
    fn drop(self: Pin<&mut Self>) {
        if !self.registered.load(Ordering::Acquire) {
            return;
        }
        // Readers of the data check `live` under RCU: after a grace period none is left.
        self.handler
            .net_data_id()
            .live
            .store(false, Ordering::Release);
        rcu::synchronize_rcu();
        self.unregistering.store(true, Ordering::Release);
        // `pre_exit` takes every namespace's hooks off, then the kernel waits a grace
        // period before `exit` and before freeing the data: no hook call is left after.
        // SAFETY: `ops` was registered by `register` (type invariant).
        unsafe { bindings::unregister_pernet_subsys(self.ops.get()) };
        LIVE.store(core::ptr::null_mut(), Ordering::Release);
    }
}

/// The C callbacks of a `Registration<T, N>`.
struct Adapter<T, const N: usize>(PhantomData<T>);

impl<T: Handler, const N: usize> Adapter<T, N> {
    /// # Safety
    ///
    /// Called by a pernet callback of the live `Registration<T, N>`.
    unsafe fn registration<'a>() -> &'a Registration<T, N> {
        // Only that registration's ops have these callbacks.
        // SAFETY: `LIVE` points to it from before `register_pernet_subsys()` to its removal.
        unsafe { &*LIVE.load(Ordering::Acquire).cast::<Registration<T, N>>() }
    }

    /// # Safety
    ///
    /// `net` is a namespace for which the registration's `init` ran (its
    /// per-namespace data is allocated), alive for the call.
    unsafe fn entry(net: *mut bindings::net) -> *mut NetEntry<T, N> {
        // SAFETY: the live registration's ops call us (the function contract).
        let id = unsafe { *Self::registration().handler.net_data_id().id.get() };
        // SAFETY: `net` is alive and has data under `id` (the function contract).
        unsafe { bindings::l3ns_helper_net_generic(net, id).cast() }
    }

    /// `pernet_operations.init`: hooks the new namespace.
    ///
    /// # Safety
    ///
    /// Called by the kernel for a namespace being set up, its data allocated.
    unsafe extern "C" fn init(net: *mut bindings::net) -> c_int {
        // SAFETY: per the function contract.
        let (reg, entry) = unsafe { (Self::registration(), Self::entry(net)) };
        // The kernel zeroed the entry and no hook can see it before it is registered.
        // SAFETY: so we are its only user.
        let e = unsafe { &mut *entry };
        for (op, spec) in e.ops.iter_mut().zip(reg.hooks.iter()) {
            op.hook = Some(Self::hook);
            op.pf = bindings::NFPROTO_IPV4 as u8;
            op.hooknum = spec.hook.raw();
            op.priority = spec.priority;
            op.priv_ = entry.cast();
        }
        e.handler = Arc::as_ptr(&reg.handler);
        let n = N as c_uint;
        // SAFETY: `net` is alive; `ops` stay in the entry until `pre_exit` takes them off.
        let r = unsafe { bindings::nf_register_net_hooks(net, e.ops.as_ptr(), n) };
        e.hooked = r == 0;
        r
    }

    /// `pernet_operations.pre_exit`: takes the namespace's hooks off.
    ///
    /// # Safety
    ///
    /// Called by the kernel for a namespace going away (or being unhooked).
    unsafe extern "C" fn pre_exit(net: *mut bindings::net) {
        // SAFETY: per the function contract, its data is still allocated.
        let e = unsafe { &mut *Self::entry(net) };
        if core::mem::take(&mut e.hooked) {
            // SAFETY: these ops were registered in `net` by `init`.
            unsafe { bindings::nf_unregister_net_hooks(net, e.ops.as_ptr(), N as c_uint) };
        }
    }

    /// `pernet_operations.exit`: tells the handler, unless unregistering.
    ///
    /// # Safety
    ///
    /// Called by the kernel for a namespace going away, after `pre_exit`.
    unsafe extern "C" fn exit(net: *mut bindings::net) {
        // SAFETY: per the function contract.
        let reg = unsafe { Self::registration() };
        if !reg.unregistering.load(Ordering::Acquire) {
            // SAFETY: `net` is alive for this call.
            reg.handler.net_exit(unsafe { Net::from_raw(net) });
        }
    }

    /// The netfilter hook.
    ///
    /// # Safety
    ///
    /// Called by netfilter for a hook `init` registered: `priv_` is its
    /// namespace's entry, `skb` and `state` alive for the call.
    unsafe extern "C" fn hook(
        priv_: *mut c_void,
        skb: *mut bindings::sk_buff,
        state: *const bindings::nf_hook_state,
    ) -> c_uint {
        // The entry outlives every call of its hooks (freed a grace period after
        // `pre_exit`), and so does the handler (the registration holds it).
        // SAFETY: per the function contract.
        let (entry, skb, state) = unsafe {
            (
                &*priv_.cast::<NetEntry<T, N>>(),
                Skb::from_raw(skb),
                &*state.cast::<HookState>(),
            )
        };
        // SAFETY: `init` set `handler` before registering the hook.
        let handler = unsafe { &*entry.handler };
        match handler.hook(skb, state, &entry.data) {
            Verdict::Accept => bindings::NF_ACCEPT,
            Verdict::Drop => bindings::NF_DROP,
        }
    }
}

#[cfg(CONFIG_KUNIT)]
#[path = "netfilter_kunit.rs"]
pub(crate) mod kunit;
