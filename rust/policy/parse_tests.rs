// SPDX-License-Identifier: GPL-2.0

//! Host tests of `parse.rs` (kept apart: the kernel module compiles
//! the policy files, never these).

use super::*;

#[test]
fn start_accepts_exactly_2_and_3() {
    assert_eq!(parse_start(b"3"), Ok(StartLevel::Layer3));
    assert_eq!(parse_start(b"3\n"), Ok(StartLevel::Layer3));
    assert_eq!(parse_start(b"2\n"), Ok(StartLevel::Layer2));
    for bad in [
        &b"1"[..],
        b"4\n",
        b"33",
        b"3\n\n",
        b" 3",
        b"3 ",
        b"0x3",
        b"\x003",
        b"3\0",
    ] {
        assert_eq!(parse_start(bad), Err(ParseError::Malformed), "{bad:?}");
    }
    assert_eq!(parse_start(b""), Err(ParseError::Empty));
    assert_eq!(parse_start(b"\n"), Err(ParseError::Empty));
    assert_eq!(
        parse_start(&[b'3'; START_MAX + 1]),
        Err(ParseError::TooLong)
    );
}

#[test]
fn ipv4_is_strict() {
    assert_eq!(parse_ipv4(b"10.0.0.2"), Ok(0x0a00_0002));
    assert_eq!(parse_ipv4(b"255.255.255.255"), Ok(u32::MAX));
    assert_eq!(parse_ipv4(b"0.0.0.0"), Ok(0));
    for bad in [
        &b"999.1.2.3"[..],
        b"1.2.3",
        b"1.2.3.4.5",
        b"1..2.3",
        b"1.2.3.",
        b".1.2.3",
        b"1.2.3.4x",
        b"01.2.3.4",
        b"256.0.0.1",
        b"+1.2.3.4",
        b"1.2.3.-4",
        b"",
        b"1.2.3.1000",
    ] {
        assert_eq!(parse_ipv4(bad), Err(ParseError::Malformed), "{bad:?}");
    }
}

#[test]
fn take_parses_the_patch_workflow() {
    let t = parse_take(b"eth0 10.0.0.2\n").unwrap();
    assert_eq!(
        t.ifname,
        IfName {
            device: b"eth0",
            label: None
        }
    );
    assert_eq!(t.addr, 0x0a00_0002);
    let t = parse_take(b"eth0:1 10.0.0.3").unwrap();
    assert_eq!(t.ifname.device, b"eth0");
    assert_eq!(t.ifname.label, Some(&b"eth0:1"[..]));
    for bad in [
        &b"eth0"[..],
        b"eth0  10.0.0.2",
        b" eth0 10.0.0.2",
        b"eth0 10.0.0.2 x",
        b"eth0:  1.2.3.4",
        b"eth0: 1.2.3.4",
        b":1 1.2.3.4",
        b"a/b 1.2.3.4",
        b"averyveryverylongname 1.2.3.4",
        b"eth0 10.0.0.2\n\n",
        b"eth0 999.0.0.1",
    ] {
        assert!(parse_take(bad).is_err(), "{bad:?}");
    }
    assert_eq!(parse_take(&[b'a'; INFO_MAX + 1]), Err(ParseError::TooLong));
}

#[test]
fn ids_and_commands() {
    assert_eq!(parse_id(b"1"), Ok(1));
    assert_eq!(parse_id(b"4294967295"), Ok(u32::MAX));
    assert_eq!(
        parse_addr_cmd(b"loopback 3 shared\n"),
        Ok(AddrCmd::Loopback {
            id: 3,
            shared: true
        })
    );
    assert_eq!(
        parse_addr_cmd(b"loopback 3 private"),
        Ok(AddrCmd::Loopback {
            id: 3,
            shared: false
        })
    );
    assert!(parse_addr_cmd(b"loopback 3 open").is_err());
    for bad in [&b"0"[..], b"01", b"4294967296", b"-1", b"+1", b"1a", b""] {
        assert!(parse_id(bad).is_err(), "{bad:?}");
    }
    assert_eq!(parse_join(b"7\n"), Ok(7));
    assert!(parse_join(b"7\n\n").is_err());
    assert_eq!(
        parse_addr_cmd(b"push 2 eth0 10.0.0.2\n"),
        Ok(AddrCmd::Push {
            id: 2,
            take: TakeAddr {
                ifname: IfName {
                    device: b"eth0",
                    label: None
                },
                addr: 0x0a00_0002
            }
        })
    );
    assert_eq!(
        parse_addr_cmd(b"pull 2 10.0.0.2"),
        Ok(AddrCmd::Pull {
            id: 2,
            addr: 0x0a00_0002
        })
    );
    for bad in [
        &b"push 2 10.0.0.2"[..],
        b"pull 2 eth0 10.0.0.2",
        b"grab 2 10.0.0.2",
        b"push 0 eth0 1.2.3.4",
        b"pull 2",
        b"pull  2 1.2.3.4",
    ] {
        assert!(parse_addr_cmd(bad).is_err(), "{bad:?}");
    }
}
