// SPDX-License-Identifier: GPL-2.0

//! The bind wrappers of `kernel_ext::inet_bind`, answered by the state's
//! bind rule (`sockets.rs`, mechanism 7 of `Documentation/design.rst`) and
//! hidden ports (`steering.rs`, mechanism 13).

use crate::caller;
use crate::ffi::{BindSock, SockId};
use crate::kernel_ext::inet_bind::{BindCall, Handler, Rewrite, Target};
use crate::kernel_ext::user_sock::UserSock;
use crate::policy::bindrule::BindAddr;
use crate::policy::ports::Proto;
use crate::registry::State;
use kernel::prelude::*;

/// `CAP_NET_BIND_SERVICE` (include/uapi/linux/capability.h).
const CAP_NET_BIND_SERVICE: i32 = 10;
/// `IPPROTO_TCP`, `IPPROTO_UDP`, `SOCK_STREAM`, `SOCK_DGRAM`.
const IPPROTO_TCP: u32 = 6;
const IPPROTO_UDP: u32 = 17;
const SOCK_STREAM: u32 = 1;
const SOCK_DGRAM: u32 = 2;

/// TCP or UDP, the transports whose ports l3ns shares between namespaces.
fn transport(sk: &UserSock<'_>) -> Option<Proto> {
    match (sk.protocol(), sk.kind()) {
        (IPPROTO_TCP, SOCK_STREAM) => Some(Proto::Tcp),
        (IPPROTO_UDP, SOCK_DGRAM) => Some(Proto::Udp),
        _ => None,
    }
}

impl Handler for State {
    fn bind(&self, call: &BindCall<'_>) -> Result<Rewrite> {
        let sk = &call.sk;
        let addr = match call.target {
            Target::V4(a) => BindAddr::V4(a),
            Target::V6Any => BindAddr::V6Any,
            Target::V6Loopback => BindAddr::V6Loopback,
            Target::V6Other => BindAddr::V6Other,
        };
        // Only a first bind of a TCP/UDP socket, to a non-zero port, may share it.
        let shared_port = transport(sk)
            .filter(|_| call.port != 0 && !sk.is_bound())
            .map(|p| (p, call.port));
        // `__inet_bind()`'s privileged-port rule, judged on the port asked for (a hidden
        // port would pass it).
        let needs_cap = call.port_is_privileged()
            && !caller::capable_in(sk.net_user_ns(), CAP_NET_BIND_SERVICE);
        let b = self.bind_check(
            &BindSock::from(sk),
            sk.net_inum(),
            addr,
            sk.is_v6only(),
            shared_port,
            needs_cap,
        )?;
        Ok(Rewrite {
            addr: b.addr,
            port: b.port,
        })
    }

    fn bind_failed(&self, sk: &UserSock<'_>) {
        self.port_free(SockId::from_addr(sk.id()));
    }
}
