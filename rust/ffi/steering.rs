// SPDX-License-Identifier: GPL-2.0

//! Safe wrappers for the shim's shared-port primitives (mechanism 13 of
//! `Documentation/design.rst`): the LOCAL_IN packet being steered and the
//! socket being bound. Both are borrowed for one callback only.

use super::{bindings, tags::SockId};
use crate::policy::demux::Found;
use core::marker::PhantomData;
use kernel::ffi::c_void;

/// A packet at `NF_INET_LOCAL_IN`, valid for one hook call.
pub(crate) struct InPacket<'a> {
    ctx: *mut c_void,
    _hook: PhantomData<&'a mut ()>,
}

impl InPacket<'_> {
    /// # Safety
    ///
    /// `ctx` is the `struct l3ns_in_ctx` of the running LOCAL_IN hook call,
    /// and the value does not outlive that call.
    pub(super) unsafe fn from_raw(ctx: *mut c_void) -> Self {
        InPacket {
            ctx,
            _hook: PhantomData,
        }
    }

    /// Did early demux already give the packet its socket?
    pub(crate) fn has_sock(&self) -> bool {
        // SAFETY: `ctx` is live for this hook call (type invariant).
        unsafe { bindings::l3ns_c_in_has_sock(self.ctx) }
    }

    /// Finds the socket of the namespace tagged `owner_tag` (0: the
    /// parent) on the destination port or on `hidden`, and assigns it.
    pub(crate) fn steer(&mut self, owner_tag: u32, hidden: Option<u16>) -> Found {
        // SAFETY: `ctx` is live for this hook call (type invariant).
        let r = unsafe { bindings::l3ns_c_in_steer(self.ctx, owner_tag, hidden.unwrap_or(0)) };
        match u32::try_from(r) {
            Ok(bindings::l3ns_found_L3NS_FOUND_OWN) => Found::Own,
            Ok(bindings::l3ns_found_L3NS_FOUND_FOREIGN) => Found::Foreign,
            _ => Found::Nothing,
        }
    }

    /// Broadcast/multicast UDP: delivers a copy to destination port `port`.
    pub(crate) fn copy_to(&mut self, port: u16) {
        // SAFETY: `ctx` is live for this hook call (type invariant).
        unsafe { bindings::l3ns_c_in_copy(self.ctx, port) }
    }
}

/// A socket in `bind()`, valid for one probe call.
pub(crate) struct BindSock<'a> {
    ptr: *const c_void,
    _call: PhantomData<&'a ()>,
}

impl<'a> From<&crate::kernel_ext::user_sock::UserSock<'a>> for BindSock<'a> {
    fn from(sk: &crate::kernel_ext::user_sock::UserSock<'a>) -> Self {
        // INVARIANT: a `UserSock` is live for `'a`.
        BindSock {
            ptr: sk.as_ptr().cast(),
            _call: PhantomData,
        }
    }
}

impl BindSock<'_> {
    /// Its identity.
    pub(crate) fn id(&self) -> SockId {
        SockId(self.ptr as usize)
    }

    /// Is `port` bound by a socket of this one's protocol in its netns?
    pub(crate) fn port_in_use(&self, port: u16) -> bool {
        // The C side only takes the hash chain's lock.
        // SAFETY: `ptr` is live for this probe call (type invariant).
        unsafe { bindings::l3ns_c_port_in_use(self.ptr, port) }
    }
}
