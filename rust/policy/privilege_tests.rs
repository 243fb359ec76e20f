// SPDX-License-Identifier: GPL-2.0

//! Host tests of `privilege.rs` (kept apart: the kernel module compiles
//! the policy files, never these).

use super::*;

#[test]
fn members_lose_net_and_sys_admin_and_packet_sockets() {
    assert!(!member_may_use_cap(CAP_NET_ADMIN));
    assert!(!member_may_use_cap(CAP_SYS_ADMIN));
    assert!(!member_may_use_cap(CAP_SYS_MODULE));
    assert!(
        member_may_use_cap(13),
        "CAP_NET_RAW stays: ping and raw sockets"
    );
    assert!(
        member_may_use_cap(10),
        "CAP_NET_BIND_SERVICE stays: port 80"
    );
    assert!(!member_may_create_socket(AF_PACKET));
    assert!(
        member_may_create_socket(2) && member_may_create_socket(10) && member_may_create_socket(1)
    );
}
