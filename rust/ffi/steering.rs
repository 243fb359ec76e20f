// SPDX-License-Identifier: GPL-2.0

//! The sockets of the shim's probes as `kernel_ext::sock` handles: the
//! socket being bound (mechanism 13 of `Documentation/design.rst`), and
//! socket identities for the tag tables.

use super::tags::SockId;
use crate::kernel_ext::sock::Sock;
use core::marker::PhantomData;
use kernel::ffi::c_void;

impl SockId {
    /// The identity of `sk` (its address; the tag tables' key).
    pub(crate) fn of(sk: &Sock) -> Self {
        SockId(sk.as_ptr() as usize)
    }
}

/// A socket in `bind()`, valid for one probe call.
///
/// # Invariants
///
/// `ptr` is the `struct sock` of the running `security_socket_bind` probe
/// call, which outlives the value.
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

    /// The socket.
    pub(crate) fn sock(&self) -> &Sock {
        // SAFETY: `ptr` is live for this probe call (type invariant), which outlives `self`.
        unsafe { Sock::from_raw(self.ptr.cast()) }
    }

    /// Is `port` bound by a socket of this one's protocol in its netns?
    pub(crate) fn port_in_use(&self, port: u16) -> bool {
        self.sock().port_in_use(port)
    }
}
