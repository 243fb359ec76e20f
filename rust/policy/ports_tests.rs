// SPDX-License-Identifier: GPL-2.0

//! Host tests of `ports.rs` (kept apart: the kernel module compiles
//! the policy files, never these).

extern crate std;
use super::*;
use std::boxed::Box;
use std::sync::Mutex;
use std::vec::Vec;

fn tcp(slot: usize, port: u16) -> Shared {
    Shared {
        slot,
        proto: Proto::Tcp,
        port,
    }
}
fn udp(slot: usize, port: u16) -> Shared {
    Shared {
        slot,
        proto: Proto::Udp,
        port,
    }
}
fn free(_: u16) -> bool {
    false
}

#[test]
fn reserve_gives_a_hidden_port_that_round_trips() {
    let t = Box::new(PortTable::new());
    let r = Reserver::assume_locked();
    let s = tcp(7, 8080);
    assert_eq!(t.hidden(s), None);
    let h = t.reserve(&r, s, free).unwrap();
    assert!(PortTable::is_hidden(h));
    assert_eq!(t.shared(h), Some(s));
    assert_eq!(t.hidden(s), Some(h));
    assert_eq!(t.len(), 1);
    t.release(h);
    assert_eq!(t.shared(h), None);
    assert!(t.is_empty());
}

#[test]
fn is_hidden_bounds() {
    assert!(!PortTable::is_hidden(0));
    assert!(!PortTable::is_hidden(HIDDEN_BASE - 1));
    assert!(PortTable::is_hidden(HIDDEN_BASE));
    assert!(PortTable::is_hidden(u16::MAX));
    assert_eq!(usize::from(HIDDEN_BASE) + HIDDEN_COUNT, 65536);
}

#[test]
fn same_key_shares_one_port_with_a_count() {
    let t = Box::new(PortTable::new());
    let r = Reserver::assume_locked();
    let s = udp(1, 53);
    let h = t.reserve(&r, s, free).unwrap();
    assert_eq!(t.reserve(&r, s, free), Ok(h));
    assert_eq!(t.len(), 1);
    t.release(h);
    assert_eq!(t.hidden(s), Some(h), "one reference left");
    assert_eq!(t.shared(h), Some(s));
    t.release(h);
    assert_eq!(t.hidden(s), None);
    assert_eq!(t.shared(h), None);
    t.release(h);
    assert!(t.is_empty(), "a third release is a no-op");
}

#[test]
fn different_keys_get_different_ports() {
    let t = Box::new(PortTable::new());
    let r = Reserver::assume_locked();
    let keys = [tcp(1, 80), tcp(2, 80), udp(1, 80), tcp(1, 81)];
    let mut hs = Vec::new();
    for s in keys {
        let h = t.reserve(&r, s, free).unwrap();
        assert!(!hs.contains(&h), "{s:?}");
        hs.push(h);
    }
    for (s, h) in keys.iter().zip(&hs) {
        assert_eq!(t.hidden(*s), Some(*h));
        assert_eq!(t.shared(*h), Some(*s));
    }
    assert_eq!(t.len(), keys.len());
}

#[test]
fn in_use_ports_are_skipped() {
    let t = Box::new(PortTable::new());
    let r = Reserver::assume_locked();
    let h = t.reserve(&r, tcp(0, 22), |h| h < HIDDEN_BASE + 10).unwrap();
    assert_eq!(h, HIDDEN_BASE + 10);
    assert_eq!(t.reserve(&r, tcp(0, 23), |_| true), Err(PortError::Full));
    assert_eq!(
        t.reserve(&r, tcp(0, 22), |_| true),
        Ok(h),
        "an existing reservation is not rechecked"
    );
    assert_eq!(t.len(), 1);
}

#[test]
fn invalid_keys_are_refused() {
    let t = Box::new(PortTable::new());
    let r = Reserver::assume_locked();
    assert_eq!(
        t.reserve(&r, tcp(MAX_NAMESPACES, 80), free),
        Err(PortError::Full)
    );
    assert_eq!(t.reserve(&r, tcp(0, 0), free), Err(PortError::Full));
    assert_eq!(t.hidden(tcp(MAX_NAMESPACES, 80)), None);
    assert_eq!(t.held_by(MAX_NAMESPACES, Proto::Tcp).count(), 0);
    assert!(t.is_empty());
}

#[test]
fn per_namespace_limit_undoes_the_claim() {
    let t = Box::new(PortTable::new());
    let r = Reserver::assume_locked();
    for p in 1..=PORTS_PER_NS as u16 {
        t.reserve(&r, if p % 2 == 0 { tcp(3, p) } else { udp(3, p) }, free)
            .unwrap();
    }
    assert_eq!(t.len(), PORTS_PER_NS);
    assert_eq!(t.reserve(&r, tcp(3, 1000), free), Err(PortError::Full));
    assert_eq!(t.len(), PORTS_PER_NS, "claimed entry undone");
    assert!(
        t.reserve(&r, tcp(3, 2), free).is_ok(),
        "existing key still shared"
    );
    assert!(
        t.reserve(&r, tcp(4, 1000), free).is_ok(),
        "other slots unaffected"
    );
    let h = t.hidden(udp(3, 1)).unwrap();
    t.release(h);
    assert!(t.reserve(&r, tcp(3, 1000), free).is_ok(), "room again");
}

#[test]
fn whole_range_exhaustion() {
    let t = Box::new(PortTable::new());
    let r = Reserver::assume_locked();
    let slots = HIDDEN_COUNT / PORTS_PER_NS;
    let mut all = Vec::new();
    for slot in 0..slots {
        for p in 1..=PORTS_PER_NS as u16 {
            all.push(t.reserve(&r, tcp(slot, p), free).unwrap());
        }
    }
    assert_eq!(t.len(), HIDDEN_COUNT);
    assert_eq!(t.reserve(&r, tcp(slots, 1), free), Err(PortError::Full));
    assert_eq!(t.len(), HIDDEN_COUNT);
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), HIDDEN_COUNT);
    for h in all {
        t.release(h);
    }
    assert!(t.is_empty());
    assert!(t.reserve(&r, tcp(slots, 1), free).is_ok());
}

#[test]
fn releasing_unknown_ports_does_nothing() {
    let t = Box::new(PortTable::new());
    let r = Reserver::assume_locked();
    let h = t.reserve(&r, tcp(5, 443), free).unwrap();
    for other in [0, 80, HIDDEN_BASE - 1, h.wrapping_add(1), u16::MAX] {
        if other != h {
            t.release(other);
        }
    }
    assert_eq!(t.shared(h), Some(tcp(5, 443)));
    assert_eq!(t.len(), 1);
}

#[test]
fn next_fit_does_not_reuse_at_once() {
    let t = Box::new(PortTable::new());
    let r = Reserver::assume_locked();
    let s = tcp(2, 80);
    let h1 = t.reserve(&r, s, free).unwrap();
    t.release(h1);
    let h2 = t.reserve(&r, s, free).unwrap();
    assert_ne!(h1, h2);
    t.release(h2);
    // The cursor wraps around the range.
    let mut last = h2;
    for _ in 0..HIDDEN_COUNT {
        last = t.reserve(&r, s, free).unwrap();
        t.release(last);
    }
    assert_eq!(last, h2);
    assert!(t.is_empty());
}

#[test]
fn held_by_lists_the_live_ones() {
    let t = Box::new(PortTable::new());
    let r = Reserver::assume_locked();
    let h80 = t.reserve(&r, tcp(1, 80), free).unwrap();
    let h443 = t.reserve(&r, tcp(1, 443), free).unwrap();
    let h53 = t.reserve(&r, udp(1, 53), free).unwrap();
    t.reserve(&r, tcp(2, 80), free).unwrap();
    t.release(h443);
    let tcp1: Vec<_> = t.held_by(1, Proto::Tcp).collect();
    assert_eq!(tcp1, [(80, h80)]);
    let udp1: Vec<_> = t.held_by(1, Proto::Udp).collect();
    assert_eq!(udp1, [(53, h53)]);
    assert_eq!(t.held_by(3, Proto::Tcp).count(), 0);
}

#[test]
fn concurrent_reserve_and_release() {
    let table = Box::new(PortTable::new());
    let t: &PortTable = &table;
    let lock = Mutex::new(());
    let reserve = &|s: Shared| {
        let _g = lock.lock().unwrap();
        t.reserve(&Reserver::assume_locked(), s, free).unwrap()
    };
    std::thread::scope(|sc| {
        // Different keys per thread, and two threads sharing one key so that
        // releases race with reservations of the same key.
        for slot in 0..4usize {
            sc.spawn(move || {
                for round in 0..300u16 {
                    let mut held = Vec::new();
                    for p in 1..=8u16 {
                        let s = if (p + round) % 2 == 0 {
                            tcp(slot, p)
                        } else {
                            udp(slot, p)
                        };
                        let h = reserve(s);
                        assert_eq!(t.shared(h), Some(s));
                        assert_eq!(t.hidden(s), Some(h));
                        held.push(h);
                    }
                    for h in held {
                        t.release(h);
                    }
                }
            });
        }
        for _ in 0..2 {
            sc.spawn(move || {
                let s = udp(9, 5353);
                for _ in 0..2000 {
                    let h = reserve(s);
                    assert_eq!(t.shared(h), Some(s));
                    assert_eq!(t.hidden(s), Some(h));
                    t.release(h);
                }
            });
        }
    });
    assert_eq!(t.len(), 0);
    for slot in 0..MAX_NAMESPACES {
        assert_eq!(t.held_by(slot, Proto::Tcp).count(), 0);
        assert_eq!(t.held_by(slot, Proto::Udp).count(), 0);
    }
}
