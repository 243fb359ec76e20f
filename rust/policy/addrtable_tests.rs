// SPDX-License-Identifier: GPL-2.0

//! Host tests of `addrtable.rs` (kept apart: the kernel module compiles
//! the policy files, never these).

extern crate std;
use super::*;
use std::boxed::Box;

const NET: u32 = 0xF000_0000;
fn k(addr: u32) -> AddrKey {
    AddrKey { net: NET, addr }
}
fn o(slot: u16) -> Owner {
    Owner {
        slot,
        prefix_len: 24,
    }
}

#[test]
fn ownership_is_exclusive() {
    let t = Box::new(AddrTable::new());
    let w = Writer::assume_locked();
    assert_eq!(t.lookup(k(0x0a00_0002)), None);
    t.insert(&w, k(0x0a00_0002), o(1)).unwrap();
    assert_eq!(t.lookup(k(0x0a00_0002)), Some(o(1)));
    assert_eq!(
        t.insert(&w, k(0x0a00_0002), o(2)),
        Err(AddrError::Owned(o(1)))
    );
    t.insert(
        &w,
        k(0x0a00_0002),
        Owner {
            slot: 1,
            prefix_len: 16,
        },
    )
    .unwrap();
    assert_eq!(t.lookup(k(0x0a00_0002)).map(|o| o.prefix_len), Some(16));
    assert_eq!(
        t.lookup(AddrKey {
            net: NET + 1,
            addr: 0x0a00_0002
        }),
        None,
        "per L2 netns"
    );
    assert_eq!(
        t.remove(&w, k(0x0a00_0002)),
        Some(Owner {
            slot: 1,
            prefix_len: 16
        })
    );
    assert_eq!(t.lookup(k(0x0a00_0002)), None);
    assert_eq!(t.remove(&w, k(0x0a00_0002)), None);
    assert!(t.is_empty());
}

#[test]
fn churn_leaves_no_tombstones_behind() {
    let t = Box::new(AddrTable::new());
    let w = Writer::assume_locked();
    for round in 0..50u32 {
        for i in 0..300u32 {
            t.insert(&w, k(round * 1000 + i), o((i % 7) as u16))
                .unwrap();
        }
        for i in 0..300u32 {
            assert_eq!(t.lookup(k(round * 1000 + i)), Some(o((i % 7) as u16)));
        }
        for i in 0..300u32 {
            assert!(t.remove(&w, k(round * 1000 + i)).is_some());
        }
        assert_eq!(t.occupied(), 0, "round {round}");
    }
}

#[test]
fn limit_and_remove_owner() {
    let t = Box::new(AddrTable::new());
    let w = Writer::assume_locked();
    for i in 0..MAX_ADDRS as u32 {
        t.insert(&w, k(i), o((i % 3) as u16)).unwrap();
    }
    assert_eq!(t.insert(&w, k(u32::MAX - 1), o(0)), Err(AddrError::Full));
    let small = Box::new(AddrTable::new());
    small.set_limit(2);
    small.insert(&w, k(1), o(0)).unwrap();
    small.insert(&w, k(2), o(0)).unwrap();
    assert_eq!(small.insert(&w, k(3), o(0)), Err(AddrError::Full));
    small
        .insert(&w, k(2), o(0))
        .expect("re-taking an owned address is not a new one");
    let mut n = 0;
    t.remove_owner(&w, 1, |_, owner| {
        assert_eq!(owner.slot, 1);
        n += 1;
    });
    assert_eq!(n, MAX_ADDRS / 3 + usize::from(MAX_ADDRS % 3 > 1));
    assert_eq!(t.len(), MAX_ADDRS - n);
    let mut seen = 0;
    for (_, owner) in t.iter() {
        assert_ne!(owner.slot, 1);
        seen += 1;
    }
    assert_eq!(seen, t.len());
}
