// SPDX-License-Identifier: GPL-2.0

//! The socket calls of `kernel_ext::inet_calls`, answered by the state:
//! route sources and connect/sendmsg destinations (`traffic.rs`,
//! mechanisms 9 and 10 of `Documentation/design.rst`), and what
//! getsockname/getpeername show (`steering.rs`, `traffic.rs`), and raw,
//! ping and IPv6 deliveries (`kernel_ext::delivery`).

use crate::ffi::{ProbedSock, SockId};
use crate::kernel_ext::delivery;
use crate::kernel_ext::inet_calls::{Handler, Source};
use crate::kernel_ext::route_source::{RouteFacts, DEV_ADDRS};
use crate::kernel_ext::user_sock::UserSock;
use crate::policy::bindrule::Owned;
use crate::policy::source::{Flow, SourceChoice};
use crate::registry::State;
use crate::tags::SockTags;
use kernel::prelude::*;

fn id(sk: &UserSock<'_>) -> SockId {
    SockId::from_addr(sk.id())
}

impl Handler for State {
    fn dest_ipv4(&self, sk: &UserSock<'_>, daddr: u32, dport: u16) -> Result<Option<u32>> {
        self.connect_check(&ProbedSock::from(sk), daddr, dport)
    }

    fn dest_ipv6(&self, sk: &UserSock<'_>) -> Result {
        self.v6_dest_check(id(sk))
    }

    fn source_wanted(&self, sk: &UserSock<'_>) -> bool {
        State::source_wanted(self, id(sk))
    }

    fn source(&self, sk: &UserSock<'_>, route: &RouteFacts) -> Source {
        let flow = Flow {
            daddr: route.daddr,
            saddr: route.saddr,
            prefilled: route.prefilled,
            nexthop: route.nexthop,
        };
        let mut device = [Owned {
            addr: 0,
            prefix_len: 0,
        }; DEV_ADDRS];
        for (d, &(addr, prefix_len)) in device.iter_mut().zip(route.dev.iter().take(route.ndev)) {
            *d = Owned { addr, prefix_len };
        }
        let n = route.ndev.min(DEV_ADDRS);
        match State::source(
            self,
            id(sk),
            sk.net_inum(),
            &flow,
            device.get(..n).unwrap_or(&[]),
        ) {
            SourceChoice::Keep => Source::Keep,
            SourceChoice::Use(a) => Source::Use(a),
            SourceChoice::Refuse => Source::Refuse,
        }
    }

    fn name_wanted(&self, sk: &UserSock<'_>) -> bool {
        SockTags::get(id(sk)).is_some()
    }

    fn shown_addr(&self, sk: &UserSock<'_>, addr: u32) -> u32 {
        self.getname_map(id(sk), addr)
    }

    fn shown_port(&self, sk: &UserSock<'_>, port: u16) -> u16 {
        self.getname_port(id(sk), port)
    }
}

impl delivery::Handler for State {
    fn deliver_ipv4(&self, sk: &UserSock<'_>, saddr: u32, daddr: u32, bcast: bool) -> Result {
        self.deliver_check(id(sk), sk.net_inum(), saddr, daddr, bcast)
    }

    fn deliver_ipv6(&self, sk: &UserSock<'_>) -> Result {
        self.v6_deliver_check(id(sk))
    }
}
