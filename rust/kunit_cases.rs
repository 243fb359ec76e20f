// SPDX-License-Identifier: GPL-2.0

//! KUnit suite `l3ns`, run inside the kernel when the module loads (the
//! 7.3 crate's `#[kunit_tests]`: each `#[test]` is a KUnit case, `assert!`
//! reports through KUnit with its file and line). Results land in dmesg
//! (KTAP) and in `/sys/kernel/debug/kunit/l3ns/results`.
#![cfg(CONFIG_KUNIT)]

use kernel::prelude::kunit_tests;

#[kunit_tests(l3ns)]
mod tests {
    use crate::ffi::tags::{test_key, test_sock_key};
    use crate::ffi::AddrTable;
    use crate::ffi::NsTable;
    use crate::info::{format_info, InfoView};
    use crate::policy::addrtable::{AddrError, AddrKey, Owner};
    use crate::policy::bindrule::{member_may_bind, parent_may_bind, BindAddr, Owned};
    use crate::policy::demux::{may_deliver, may_see};
    use crate::policy::nstable::Writer;
    use crate::policy::parse::{parse_ipv4, parse_start, parse_take, ParseError, StartLevel};
    use crate::policy::ports::{PortTable, Proto, Reserver, Shared};
    use crate::policy::source::{
        member_source, parent_source, Flow, SourceChoice, INADDR_LOOPBACK,
    };
    use crate::registry::CLOSED;
    use crate::tags::{PortTags, SockTags, TagCounters, TagTables, TaskTags};
    use kernel::prelude::*;

    /// kernel_ext::ftrace: a refusal hook makes the call return its error
    /// with the body skipped, only for the calls it refuses, and nothing is
    /// left attached once the registration drops.
    #[test]
    fn ftrace_refusal() -> Result {
        let (hooked, seen, after) = crate::kernel_ext::ftrace::kunit_refuse_lockdown_query()?;
        assert_eq!(hooked, EDOM.to_errno());
        assert_eq!(seen, 1);
        assert_eq!(after, 0);
        Ok(())
    }

    /// The strict parsers, compiled for the kernel.
    #[test]
    fn parser() -> Result {
        assert!(parse_start(b"3\n") == Ok(StartLevel::Layer3));
        assert!(parse_start(b"2") == Ok(StartLevel::Layer2));
        assert!(parse_start(b"4\n") == Err(ParseError::Malformed));
        assert!(parse_start(b"3\n\n") == Err(ParseError::Malformed));
        assert!(parse_ipv4(b"10.0.0.2") == Ok(0x0a00_0002));
        assert!(parse_ipv4(b"999.0.0.1").is_err());
        assert!(
            parse_take(b"eth0:1 10.0.0.3\n").map(|t| t.ifname.label) == Ok(Some(&b"eth0:1"[..]))
        );
        assert!(parse_take(b"eth0 10.0.0.2 junk").is_err());
        Ok(())
    }

    /// Namespace table lifecycle in a kernel allocation.
    #[test]
    fn nstable() -> Result {
        let Ok(t) = KBox::<NsTable>::init(pin_init::zeroed::<NsTable>(), GFP_KERNEL) else {
            return Err(EINVAL);
        };
        t.set_limit(2);
        let w = Writer::assume_locked();
        let Ok(a) = t.create(&w, 42) else {
            return Err(EINVAL);
        };
        assert!(a.id == 1 && a.members == 1 && a.parent == 42);
        assert!(t.create(&w, 42).is_ok());
        assert!(t.create(&w, 42).is_err());
        assert!(t.member_get(a.index));
        assert!(!t.member_put(a.index));
        assert!(t.member_put(a.index));
        assert!(t.reap_ended(&w, |_| {}) == 1);
        let Ok(c) = t.create(&w, 42) else {
            return Err(EINVAL);
        };
        assert!(c.id == 3);
        Ok(())
    }

    /// The tag tables (keys that are never task addresses, so real members
    /// are not disturbed).
    #[test]
    fn tags() -> Result {
        let (k1, k2) = (test_key(8), test_key(16));
        let before = TaskTags::count();
        assert!(TaskTags::get(k1).is_none());
        assert!(TaskTags::set(k1, 5).is_ok());
        assert!(TaskTags::set(k1, 6) == Err(EEXIST));
        assert!(TaskTags::set(k2, 7).is_ok());
        assert!(TaskTags::get(k1) == Some(5) && TaskTags::get(k2) == Some(7));
        assert!(TaskTags::count() == before + 2);
        assert!(TaskTags::del(k1) == Some(5));
        assert!(TaskTags::del(k1).is_none());
        assert!(TaskTags::del(k2) == Some(7));
        assert!(TaskTags::count() == before);
        // Replace only from the expected value; purge by value, a socket's
        // port tag going with it. 1000 is never a live namespace's tag.
        let (s1, s2, s3) = (test_sock_key(24), test_sock_key(32), test_sock_key(40));
        let (socks, ports) = (SockTags::count(), PortTags::count());
        assert!(SockTags::set(s1, 1000).is_ok() && SockTags::set(s2, 1000).is_ok());
        assert!(SockTags::set(s3, 1001).is_ok() && PortTags::set(s1, 61500).is_ok());
        assert!(!SockTags::replace(s1, 999, 1000 | CLOSED));
        assert!(SockTags::replace(s1, 1000, 1000 | CLOSED));
        assert!(SockTags::get(s1) == Some(1000 | CLOSED));
        let mut freed = [0u32; 2];
        let mut n = 0;
        SockTags::purge(1000, CLOSED, |port| {
            if let Some(f) = freed.get_mut(n) {
                *f = port;
            }
            n += 1;
        });
        assert!(n == 2 && freed.contains(&61500) && freed.contains(&0));
        assert!(SockTags::get(s1).is_none() && SockTags::get(s2).is_none());
        assert!(PortTags::get(s1).is_none());
        assert!(SockTags::del(s3) == Some(1001));
        assert!(SockTags::count() == socks && PortTags::count() == ports);
        Ok(())
    }

    /// Tags whose allocation "failed" (the allocator skipped) all succeed,
    /// up to three reserves' worth in a row (fewer when `max_tasks` is
    /// lower, as in scenario 89): from the reserve, then from the emergency
    /// pools while the refill work tops it up; each is counted. The tags
    /// are removed before anything is asserted.
    #[test]
    fn tag_reserve() -> Result {
        let before = TagTables::counters();
        let base = TaskTags::count() as usize;
        let room = (crate::params::max_tasks() as usize).saturating_sub(base + 16);
        let n = room.min(3 * 1024);
        let key = |i: usize| test_key(0x1000 + 8 * i);
        let mut ok = 0usize;
        for i in 0..n {
            if TaskTags::set_from_reserve(key(i), 9).is_ok() {
                ok += 1;
            }
        }
        let after = TagTables::counters();
        let mut gone = 0usize;
        for i in 0..n {
            if TaskTags::del(key(i)) == Some(9) {
                gone += 1;
            }
        }
        assert!(ok == n && gone == n);
        assert!(TaskTags::count() as usize == base);
        assert!(after.reserve_used >= before.reserve_used + n.min(1024) as u64);
        assert!(after.alloc_failures == before.alloc_failures);
        Ok(())
    }

    /// kernel_ext::inetaddr reads a real `in_ifaddr` (bindgen layout of the
    /// kernel's own header, `dev_net()` through its helper).
    #[test]
    fn inetaddr_abstraction() -> Result {
        crate::kernel_ext::inetaddr::self_test()
    }

    /// kernel_ext::slab: a typed cache of its own, objects freed at once,
    /// after a grace period and from a raw pointer, then the cache destroyed.
    #[test]
    fn slab_abstraction() -> Result {
        crate::kernel_ext::slab::self_test()
    }

    /// kernel_ext::ptr_maps: insert, lock-free and locked lookups, replace,
    /// removal by key and by value, spares, entries freed at drop.
    #[test]
    fn ptr_maps_abstraction() -> Result {
        crate::kernel_ext::ptr_maps::self_test()
    }

    /// kernel_ext::work: runs once per queueing, a pending queueing is a
    /// no-op, drop cancels.
    #[test]
    fn work_abstraction() -> Result {
        crate::kernel_ext::work::self_test()
    }

    /// kernel_ext::chunks: allocated once on first use, bounded, counted.
    #[test]
    fn chunks_abstraction() -> Result {
        crate::kernel_ext::chunks::self_test()
    }

    /// kernel_ext::rcu_box: replaced objects are seen, old ones freed.
    #[test]
    fn rcu_box_abstraction() -> Result {
        crate::kernel_ext::rcu_box::self_test()
    }

    /// kernel_ext::rcu_slot: publish, read under RCU, refuse a second,
    /// empty again after the handle drops.
    #[test]
    fn rcu_slot_abstraction() -> Result {
        crate::kernel_ext::rcu_slot::self_test()
    }

    /// A debugfs tree of the abstraction, used through its file operations.
    #[test]
    fn debugfs_abstraction() -> Result {
        crate::kernel_ext::debugfs::self_test::<crate::LocalModule>()
    }

    /// The four parameters are in sysfs read-only, printed by the kernel.
    #[test]
    fn module_params() -> Result {
        use crate::kernel_ext::module_param::self_test;
        use crate::params::{MAX_ADDRS, MAX_NAMESPACES, MAX_SOCKETS, MAX_TASKS};
        self_test(c"max_namespaces", &MAX_NAMESPACES)?;
        self_test(c"max_tasks", &MAX_TASKS)?;
        self_test(c"max_sockets", &MAX_SOCKETS)?;
        self_test(c"max_addrs", &MAX_ADDRS)
    }

    /// A rate limit lets its burst through, then refuses.
    #[test]
    fn ratelimit_abstraction() -> Result {
        crate::kernel_ext::ratelimit::self_test()
    }

    /// The kernel thread's credentials, namespaces and RTNL lookups.
    #[test]
    fn task_abstractions() -> Result {
        crate::kernel_ext::cred::self_test()?;
        crate::kernel_ext::task_ns::self_test()?;
        crate::kernel_ext::rtnl::self_test()
    }

    /// The capability walk over the kernel's user namespaces: a kernel
    /// thread holds `CAP_NET_ADMIN` over `init_net`; its namespaces are
    /// what `info` reads.
    #[test]
    fn caller() -> Result {
        use crate::kernel_ext::cred::UserNamespace;
        assert!(crate::caller::capable_in(UserNamespace::init(), 12));
        assert!(crate::caller::capable_net_admin());
        let ns = crate::caller::namespaces()?;
        assert!(ns.nsproxy().len() == 16 && ns.nsproxy_refcnt >= 1 && ns.net_refcnt >= 1);
        Ok(())
    }

    /// kernel_ext::ifaddr_view: the devinet.c copies behind the visibility
    /// redirects, queried from the kernel side for `init_net`'s loopback
    /// device (RTNL, device lookup, the address list, the `ifreq` layout):
    /// they answer as the kernel does, and leave out what they are told to.
    #[test]
    fn ifaddr_view_copies() -> Result {
        let q = crate::kernel_ext::ifaddr_view::kunit_loopback();
        assert_eq!(q.addr, (0, 0x7f00_0001));
        assert_eq!(q.mask, (0, 0xff00_0000));
        assert_eq!(q.hidden, EADDRNOTAVAIL.to_errno());
        assert_eq!(q.alias, EADDRNOTAVAIL.to_errno());
        let (all, without_loopback, none) = q.gifconf;
        assert!(all >= q.entry_size && all % q.entry_size == 0);
        assert_eq!(without_loopback, all - q.entry_size);
        assert_eq!(none, 0);
        assert_eq!(q.entry, (*b"lo\0", 2, 0x7f00_0001));
        Ok(())
    }

    /// kernel_ext::netfilter: one pernet registration at a time (the
    /// module's hooks are not armed during KUnit), data while registered
    /// only, `struct net` through bindgen.
    #[test]
    fn netfilter_abstraction() -> Result {
        crate::kernel_ext::netfilter::kunit::self_test()
    }

    /// kernel_ext::skb on real skbs: IPv4/UDP/ICMP header reads, port
    /// rewrites that keep UDP and ICMP checksums right (RFC 1624), the
    /// quoted port of an ICMP error.
    #[test]
    fn skb_abstraction() -> Result {
        crate::kernel_ext::skb::kunit::self_test()
    }

    /// kernel_ext::sock on a real kernel UDP socket: kind, protocol, netns,
    /// reference counting, and a bind seen by the hash-chain walk and the
    /// lookup.
    #[test]
    fn sock_abstraction() -> Result {
        crate::kernel_ext::sock::kunit::self_test()
    }

    /// `info` keeps the patch's five lines first, in order and wording.
    #[test]
    fn info_format() -> Result {
        let Ok(mut buf) = KVec::from_elem(0u8, 1024, GFP_KERNEL) else {
            return Err(EINVAL);
        };
        // Tables are large: never on the kernel stack (zeroed in place).
        let Ok(t) = KBox::<NsTable>::init(pin_init::zeroed::<NsTable>(), GFP_KERNEL) else {
            return Err(EINVAL);
        };
        t.set_limit(1);
        let w = Writer::assume_locked();
        let v = InfoView {
            nsproxy: "00000000deadbeef",
            nsproxy_refcnt: 3,
            net_inum: 4026531840,
            net_refcnt: 9,
            l3: t.create(&w, 4026531840).ok(),
            addrs: &[],
            ports: &[(Proto::Tcp, 8080), (Proto::Udp, 53)],
            shared_loopback: false,
            children: 1,
            pre_routing_packets: 5,
            local_out_packets: 6,
            local_out_drops: 0,
            delivery_drops: 0,
            steered_packets: 7,
            local_in_rejects: 8,
            hidden_ports: 9,
            probe_misses: 0,
            tags: TagCounters {
                reserve_free: 1024,
                reserve_used: 1,
                alloc_failures: 2,
                limit_refusals: 4,
            },
            refused_opens: 3,
            memory_bytes: 4096,
            hooks_armed: true,
            arms: 2,
        };
        let Ok(n) = format_info(&v, &mut buf) else {
            return Err(EINVAL);
        };
        let expect: &[u8] = b"nsproxy: 00000000deadbeef\nnsproxy refcnt: 3\nnet_ns: 1\nnet_ns refcnt: 1\nlevel: layer 3\nid: 1\n";
        assert!(buf.get(..expect.len()) == Some(expect));
        let ports: &[u8] = b"\nshared_ports: tcp/8080 udp/53\n";
        assert!(buf[..n].windows(ports.len()).any(|w| w == ports));
        assert!(buf[..n].ends_with(
            b"pre_routing_packets: 5\nlocal_out_packets: 6\nlocal_out_drops: 0\ndelivery_drops: 0\nsteered_packets: 7\nlocal_in_rejects: 8\nhidden_ports: 9\nprobe_misses: 0\nrefused_opens: 3\ntag_reserve: 1024\ntag_reserve_used: 1\ntag_alloc_failures: 2\ntag_limit_refusals: 4\nmemory_bytes: 4096\nhooks: armed\nhooks_armed: 2\n"
        ));
        let v2 = InfoView { l3: None, ..v };
        let Ok(n) = format_info(&v2, &mut buf) else {
            return Err(EINVAL);
        };
        assert!(buf[..n].starts_with(b"nsproxy: 00000000deadbeef\nnsproxy refcnt: 3\nnet_ns: 4026531840\nnet_ns refcnt: 9\nlevel: layer 2\nl2_net_ns:"));
        assert!(format_info(&v2, &mut buf[..20]) == Err(ENOSPC));
        Ok(())
    }

    /// The hidden-port table in a kernel allocation: one hidden port per
    /// (namespace, protocol, port), shared by references, released by the last.
    #[test]
    fn porttable() -> Result {
        let Ok(t) = KBox::<PortTable>::init(pin_init::zeroed::<PortTable>(), GFP_KERNEL) else {
            return Err(EINVAL);
        };
        let r = Reserver::assume_locked();
        let a = Shared {
            slot: 0,
            proto: Proto::Tcp,
            port: 8080,
        };
        let b = Shared { slot: 1, ..a };
        let Ok(ha) = t.reserve(&r, a, |_| false) else {
            return Err(EINVAL);
        };
        assert!(PortTable::is_hidden(ha));
        assert!(t.reserve(&r, a, |_| false) == Ok(ha));
        let Ok(hb) = t.reserve(&r, b, |h| h == ha.wrapping_add(1)) else {
            return Err(EINVAL);
        };
        assert!(hb != ha && hb != ha.wrapping_add(1));
        assert!(t.hidden(a) == Some(ha) && t.shared(hb) == Some(b));
        assert!(t
            .hidden(Shared {
                proto: Proto::Udp,
                ..a
            })
            .is_none());
        t.release(ha);
        assert!(t.hidden(a) == Some(ha));
        t.release(ha);
        t.release(hb);
        assert!(t.hidden(a).is_none() && t.shared(hb).is_none() && t.is_empty());
        Ok(())
    }

    /// The address table in a kernel allocation: exclusive ownership, removal.
    #[test]
    fn addrtable() -> Result {
        let Ok(t) = KBox::<AddrTable>::init(pin_init::zeroed::<AddrTable>(), GFP_KERNEL) else {
            return Err(EINVAL);
        };
        let w = Writer::assume_locked();
        let key = AddrKey {
            net: 0xF000_0000,
            addr: 0x0a00_0002,
        };
        assert!(t
            .insert(
                &w,
                key,
                Owner {
                    slot: 1,
                    prefix_len: 24
                }
            )
            .is_ok());
        assert!(
            t.lookup(key)
                == Some(Owner {
                    slot: 1,
                    prefix_len: 24
                })
        );
        assert!(
            t.insert(
                &w,
                key,
                Owner {
                    slot: 2,
                    prefix_len: 24
                }
            ) == Err(AddrError::Owned(Owner {
                slot: 1,
                prefix_len: 24
            }))
        );
        assert!(t
            .lookup(AddrKey {
                net: 0xF000_0001,
                ..key
            })
            .is_none());
        assert!(t.remove(&w, key).is_some() && t.lookup(key).is_none() && t.is_empty());
        assert!(t.capacity() == 0 && t.bytes() == 0);
        // Grown under RCU past the old 512 (three doublings), then freed.
        let k = |i: u32| AddrKey {
            net: 0xF000_0000,
            addr: 0x0a01_0000 + i,
        };
        let owner = |i: u32| Owner {
            slot: (i % 4096) as u16,
            prefix_len: 16,
        };
        for i in 0..600 {
            assert!(t.insert(&w, k(i), owner(i)).is_ok());
        }
        assert!(t.capacity() == 2048 && t.bytes() > 0);
        assert!((0..600).all(|i| t.lookup(k(i)) == Some(owner(i))));
        t.remove_where(&w, |_, _| true, |_, _| {});
        assert!(t.is_empty() && t.capacity() == 0 && t.bytes() == 0);
        Ok(())
    }

    /// The bind rule, the source choice, demux and visibility, in the kernel.
    #[test]
    fn rules() -> Result {
        let own = [Owned {
            addr: 0x0a00_0002,
            prefix_len: 24,
        }];
        assert!(member_may_bind(BindAddr::V4(0x0a00_0002), own.into_iter()));
        assert!(member_may_bind(BindAddr::V4(0x0a00_00ff), own.into_iter()));
        assert!(!member_may_bind(BindAddr::V4(0x0a00_0001), own.into_iter()));
        assert!(!member_may_bind(BindAddr::V6Other, own.into_iter()));
        assert!(!parent_may_bind(BindAddr::V4(0x0a00_0002), true));
        let flow = Flow {
            daddr: 0x0a00_0001,
            saddr: 0x0a00_0001,
            prefilled: true,
            nexthop: 0x0a00_0001,
        };
        let own_lo = 0x7f01_0001;
        assert!(
            member_source(&flow, own_lo, own.into_iter().map(|o| (o, 1)))
                == SourceChoice::Use(0x0a00_0002)
        );
        assert!(member_source(&flow, own_lo, core::iter::empty()) == SourceChoice::Refuse);
        let lo = Flow {
            daddr: INADDR_LOOPBACK,
            ..flow
        };
        assert!(member_source(&lo, own_lo, core::iter::empty()) == SourceChoice::Use(own_lo));
        let dev = [
            Owned {
                addr: 0x0a00_0001,
                prefix_len: 24,
            },
            Owned {
                addr: 0x0a00_0003,
                prefix_len: 24,
            },
        ];
        assert!(
            parent_source(&flow, dev.into_iter(), |a| a == 0x0a00_0001)
                == SourceChoice::Use(0x0a00_0003)
        );
        assert!(may_deliver(0x0a00_0002, false, Some(1), Some(1), || false));
        assert!(!may_deliver(0x0a00_0002, false, Some(1), None, || false));
        assert!(!may_deliver(0x0a00_00ff, true, None, Some(1), || false));
        assert!(may_deliver(0x0a00_00ff, true, None, Some(1), || true));
        assert!(may_see(0x7f00_0001, None, Some(1)) && !may_see(0x0a00_0001, None, Some(1)));
        Ok(())
    }
}
