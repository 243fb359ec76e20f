// SPDX-License-Identifier: GPL-2.0

//! Sockets borrowed as `kernel_ext::sock` handles: the socket being bound
//! (mechanism 13 of `Documentation/design.rst`), and
//! socket identities for the tag tables.

use super::tags::SockId;
use crate::kernel_ext::sock::Sock;

impl SockId {
    /// The identity of `sk` (its address; the tag tables' key).
    pub(crate) fn of(sk: &Sock) -> Self {
        SockId(sk.as_ptr() as usize)
    }
}

/// A socket in `bind()`, borrowed for the bind call.
pub(crate) struct BindSock<'a> {
    sk: &'a Sock,
}

impl<'a> From<&crate::kernel_ext::user_sock::UserSock<'a>> for BindSock<'a> {
    fn from(sk: &crate::kernel_ext::user_sock::UserSock<'a>) -> Self {
        BindSock { sk: sk.sock() }
    }
}

impl BindSock<'_> {
    /// Its identity.
    pub(crate) fn id(&self) -> SockId {
        SockId::of(self.sk)
    }

    /// Is `port` bound by a socket of this one's protocol in its netns?
    pub(crate) fn port_in_use(&self, port: u16) -> bool {
        self.sk.port_in_use(port)
    }
}
