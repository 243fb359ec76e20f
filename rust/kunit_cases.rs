// SPDX-License-Identifier: GPL-2.0

//! KUnit case bodies, run inside the kernel when the module loads.
//!
//! The 6.12 `kernel` crate has no `#[kunit_tests]`, so the case table lives
//! in C (`kunit/l3ns_kunit.c`) and calls these functions. Each returns 0 on
//! success or the source line of the first failed check (reported by the C
//! side). Written as plain checks so they move to `#[kunit_tests]` later.
#![cfg(CONFIG_KUNIT)]

use crate::control::{format_info, InfoView};
use crate::ffi::tags::{test_key, TaskTags};
use crate::policy::nstable::{NsTable, Writer};
use crate::policy::parse::{parse_ipv4, parse_start, parse_take, ParseError, StartLevel};
use kernel::ffi::c_int;
use kernel::prelude::*;

macro_rules! check {
    ($cond:expr) => {
        if !$cond {
            return line!() as c_int;
        }
    };
}

/// The strict parsers, compiled for the kernel.
#[no_mangle]
extern "C" fn l3ns_kunit_parser() -> c_int {
    check!(parse_start(b"3\n") == Ok(StartLevel::Layer3));
    check!(parse_start(b"2") == Ok(StartLevel::Layer2));
    check!(parse_start(b"4\n") == Err(ParseError::Malformed));
    check!(parse_start(b"3\n\n") == Err(ParseError::Malformed));
    check!(parse_ipv4(b"10.0.0.2") == Ok(0x0a00_0002));
    check!(parse_ipv4(b"999.0.0.1").is_err());
    check!(parse_take(b"eth0:1 10.0.0.3\n").map(|t| t.ifname.label) == Ok(Some(&b"eth0:1"[..])));
    check!(parse_take(b"eth0 10.0.0.2 junk").is_err());
    0
}

/// Namespace table lifecycle in a kernel allocation.
#[no_mangle]
extern "C" fn l3ns_kunit_nstable() -> c_int {
    let Ok(t) = KBox::new(NsTable::new(2), GFP_KERNEL) else { return line!() as c_int };
    let w = Writer::assume_locked();
    let Ok(a) = t.create(&w, 42) else { return line!() as c_int };
    check!(a.id == 1 && a.members == 1 && a.parent == 42);
    check!(t.create(&w, 42).is_ok());
    check!(t.create(&w, 42).is_err());
    check!(t.member_get(a.index));
    check!(!t.member_put(a.index));
    check!(t.member_put(a.index));
    check!(t.reap_empty(&w, |_| {}) == 1);
    let Ok(c) = t.create(&w, 42) else { return line!() as c_int };
    check!(c.id == 3);
    0
}

/// The C tag table through its safe wrapper (keys that are never task
/// addresses, so real members are not disturbed).
#[no_mangle]
extern "C" fn l3ns_kunit_tags() -> c_int {
    let (k1, k2) = (test_key(8), test_key(16));
    let before = TaskTags::count();
    check!(TaskTags::get(k1).is_none());
    check!(TaskTags::set(k1, 5).is_ok());
    check!(TaskTags::set(k1, 6) == Err(EEXIST));
    check!(TaskTags::set(k2, 7).is_ok());
    check!(TaskTags::get(k1) == Some(5) && TaskTags::get(k2) == Some(7));
    check!(TaskTags::count() == before + 2);
    check!(TaskTags::del(k1) == Some(5));
    check!(TaskTags::del(k1).is_none());
    check!(TaskTags::del(k2) == Some(7));
    check!(TaskTags::count() == before);
    0
}

/// `info` keeps the patch's five lines first, in order and wording.
#[no_mangle]
extern "C" fn l3ns_kunit_info_format() -> c_int {
    let Ok(mut buf) = KVec::from_elem(0u8, 512, GFP_KERNEL) else { return line!() as c_int };
    let t = NsTable::new(1);
    let w = Writer::assume_locked();
    let v = InfoView {
        nsproxy: "00000000deadbeef",
        nsproxy_refcnt: 3,
        net_inum: 4026531840,
        net_refcnt: 9,
        l3: t.create(&w, 4026531840).ok(),
        addrs: &[],
        children: 1,
        pre_routing_packets: 5,
        local_out_packets: 6,
        local_out_drops: 0,
        delivery_drops: 0,
    };
    let Ok(n) = format_info(&v, &mut buf) else { return line!() as c_int };
    let expect: &[u8] = b"nsproxy: 00000000deadbeef\nnsproxy refcnt: 3\nnet_ns: 1\nnet_ns refcnt: 1\nlevel: layer 3\nid: 1\n";
    check!(buf.get(..expect.len()) == Some(expect));
    check!(buf[..n].ends_with(b"pre_routing_packets: 5\nlocal_out_packets: 6\nlocal_out_drops: 0\ndelivery_drops: 0\n"));
    let v2 = InfoView { l3: None, ..v };
    let Ok(n) = format_info(&v2, &mut buf) else { return line!() as c_int };
    check!(buf[..n].starts_with(b"nsproxy: 00000000deadbeef\nnsproxy refcnt: 3\nnet_ns: 4026531840\nnet_ns refcnt: 9\nlevel: layer 2\nl2_net_ns:"));
    check!(format_info(&v2, &mut buf[..20]) == Err(ENOSPC));
    0
}
