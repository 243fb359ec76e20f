// SPDX-License-Identifier: GPL-2.0

//! IPv4 address events: the inetaddr notifier chain.
//!
//! C header: [`include/linux/inetdevice.h`](srctree/include/linux/inetdevice.h).
//! A [`Registration`] puts a [`Handler`] on the chain; the kernel calls it,
//! in process context with RTNL held, for every IPv4 address added to or
//! removed from any device of any network namespace.

use super::bindings;
use core::marker::{PhantomData, PhantomPinned};
use kernel::error::{to_result, Result};
use kernel::ffi::{c_int, c_ulong, c_void};
use kernel::prelude::*;
use kernel::sync::Arc;
use kernel::types::Opaque;

/// An IPv4 address of a device (`struct in_ifaddr`).
///
/// # Invariants
///
/// Only ever seen as `&InIfaddr` borrowed for one notifier call, one walk
/// of a device's addresses under RTNL ([`super::rtnl`]), one
/// [`ifaddr_view`](super::ifaddr_view) listing (RTNL or a dump's RCU read
/// section held) or one KUnit case, during which the kernel keeps the
/// `in_ifaddr` alive and, if its `ifa_dev` is set, that `in_device` and its
/// device.
#[repr(transparent)]
pub(crate) struct InIfaddr(Opaque<bindings::in_ifaddr>);

impl InIfaddr {
    /// # Safety
    ///
    /// `ptr` must point to an `in_ifaddr` valid for the whole lifetime `'a`,
    /// and so must its `ifa_dev` and `ifa_dev->dev` when they are set.
    pub(super) unsafe fn from_raw<'a>(ptr: *mut bindings::in_ifaddr) -> &'a Self {
        // CAST: `Self` is `repr(transparent)` over `Opaque<in_ifaddr>`.
        // SAFETY: the caller guarantees `ptr` is valid for `'a`.
        unsafe { &*ptr.cast::<Self>() }
    }

    /// Its local address, in host byte order.
    pub(crate) fn local(&self) -> u32 {
        // `ifa_local` is set before the address is published and never changed after.
        // SAFETY: the `in_ifaddr` is valid for this borrow (type invariant).
        u32::from_be(unsafe { (*self.0.get()).ifa_local })
    }

    /// Its prefix length.
    pub(crate) fn prefix_len(&self) -> u8 {
        // SAFETY: the `in_ifaddr` is valid and unchanged for this borrow (type invariant).
        unsafe { (*self.0.get()).ifa_prefixlen }
    }

    /// Its label (`eth0`, `eth0:1`), without the NUL.
    pub(crate) fn label(&self) -> &[u8] {
        // The kernel's `c_char` is `u8`.
        // SAFETY: the `in_ifaddr` is valid and unchanged for this borrow (type invariant).
        let label: &[u8] = unsafe { &(*self.0.get()).ifa_label };
        let len = label.iter().position(|&b| b == 0).unwrap_or(label.len());
        label.get(..len).unwrap_or(&[])
    }

    /// The inode number of the network namespace of its device, if it is
    /// on one.
    pub(crate) fn net_inum(&self) -> Option<u32> {
        // A device's netns outlives the device.
        // SAFETY: the address, and its `in_device` and device when set, are valid (type invariant).
        unsafe {
            let in_dev = (*self.0.get()).ifa_dev;
            if in_dev.is_null() || (*in_dev).dev.is_null() {
                return None;
            }
            Some((*bindings::l3ns_helper_dev_net((*in_dev).dev)).ns.inum)
        }
    }
}

/// What a [`Registration`] is told.
pub(crate) trait Handler: Send + Sync {
    /// `ifa` is being removed from its device (`NETDEV_DOWN`); it still
    /// holds its address. Process context, RTNL held.
    fn deleted(&self, ifa: &InIfaddr);
}

/// A [`Handler`] on the inetaddr notifier chain, taken off in `Drop`.
///
/// # Invariants
///
/// `nb` is on the chain from `register` until `drop`, and its callback
/// finds `handler` through `container_of!`, so the registration is pinned.
#[pin_data(PinnedDrop)]
pub(crate) struct Registration<T: Handler + 'static> {
    #[pin]
    nb: Opaque<bindings::notifier_block>,
    handler: Arc<T>,
    #[pin]
    _pin: PhantomPinned,
}

impl<T: Handler + 'static> Registration<T> {
    /// Puts `handler` on the chain (process context).
    pub(crate) fn register(handler: Arc<T>) -> Result<Pin<KBox<Self>>> {
        let reg = KBox::pin_init(
            try_pin_init!(Self {
                nb <- Opaque::ffi_init(|nb: *mut bindings::notifier_block| {
                    // SAFETY: `ffi_init` hands us the field's memory to initialise.
                    unsafe {
                        nb.write(bindings::notifier_block {
                            notifier_call: Some(Adapter::<T>::notifier_call),
                            next: core::ptr::null_mut(),
                            priority: 0,
                        })
                    }
                }),
                handler,
                _pin: PhantomPinned,
            }? Error),
            GFP_KERNEL,
        )?;
        // INVARIANT: `reg` is pinned on the heap, so `nb` stays where the
        // chain links it until `drop` takes it off.
        // SAFETY: `nb` is initialised and not on any chain yet.
        to_result(unsafe { bindings::register_inetaddr_notifier(reg.nb.get()) })?;
        Ok(reg)
    }
}

// The notifier block is only touched by the chain (under its lock) and `register`/`drop`.
// SAFETY: so nothing is tied to a thread, and `T: Send + Sync`: it may drop on any thread.
unsafe impl<T: Handler + 'static> Send for Registration<T> {}

// SAFETY: `&Registration` gives access to nothing but the `Sync` handler.
unsafe impl<T: Handler + 'static> Sync for Registration<T> {}

#[pinned_drop]
impl<T: Handler + 'static> PinnedDrop for Registration<T> {
    fn drop(self: Pin<&mut Self>) {
        // Waits for callbacks in progress (the chain's rwsem); a block that
        // `register` failed to add is simply not found (`-ENOENT`).
        // SAFETY: `nb` is the block `register` put on the chain.
        unsafe { bindings::unregister_inetaddr_notifier(self.nb.get()) };
    }
}

/// The C callback of a `Registration<T>`.
struct Adapter<T>(PhantomData<T>);

impl<T: Handler + 'static> Adapter<T> {
    /// # Safety
    ///
    /// Called by the inetaddr chain: `nb` is the `nb` of a live
    /// `Registration<T>`, `ptr` an `in_ifaddr` valid for the call.
    unsafe extern "C" fn notifier_call(
        nb: *mut bindings::notifier_block,
        event: c_ulong,
        ptr: *mut c_void,
    ) -> c_int {
        if event != bindings::netdev_cmd_NETDEV_DOWN as c_ulong {
            return bindings::NOTIFY_DONE as c_int;
        }
        // Only `Registration::register` puts such blocks on the chain; `Opaque` is
        // `repr(transparent)`, so the field pointer is `nb` itself.
        // SAFETY: `nb` is the `nb` field of a live `Registration<T>`.
        let reg = unsafe {
            &*kernel::container_of!(
                nb.cast::<Opaque<bindings::notifier_block>>(),
                Registration<T>,
                nb
            )
        };
        // SAFETY: the chain passes a live `in_ifaddr` of a live device.
        let ifa = unsafe { InIfaddr::from_raw(ptr.cast()) };
        reg.handler.deleted(ifa);
        bindings::NOTIFY_DONE as c_int
    }
}

/// KUnit: the accessors read a real `in_ifaddr` layout (`10.1.2.3` on
/// `init_net`'s loopback device): address in host order, the device's
/// netns through the `dev_net()` helper.
#[cfg(CONFIG_KUNIT)]
pub(crate) fn self_test() -> Result {
    let mut dev = bindings::in_device::default();
    let mut ifa = bindings::in_ifaddr::default();
    // SAFETY: `init_net` is always live, and so is its loopback device.
    let (lo, inum) = unsafe {
        let net = &raw const bindings::init_net;
        ((*net).loopback_dev, (*net).ns.inum)
    };
    dev.dev = lo;
    ifa.ifa_dev = &raw mut dev;
    ifa.ifa_local = 0x0a01_0203u32.to_be();
    // SAFETY: `ifa`, `dev` and the loopback device outlive this borrow.
    let a = unsafe { InIfaddr::from_raw(&raw mut ifa) };
    if a.local() != 0x0a01_0203 || a.net_inum() != Some(inum) {
        return Err(EINVAL);
    }
    Ok(())
}
