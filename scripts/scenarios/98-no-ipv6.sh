# Hardening (issue 11.7): a member has no IPv6, as a FreeBSD jail without
# IPv6 addresses. Dual-stack AF_INET6 sockets keep working for IPv4;
# binding any other IPv6 address, or `::` with IPV6_V6ONLY, is
# EADDRNOTAVAIL; connecting or sending to a native IPv6 destination (::1
# included) is ENETUNREACH; native IPv6 packets never reach a member's
# socket; raw IPv6 and ICMPv6 sockets are EAFNOSUPPORT. The parent keeps
# its IPv6.
ensure_loaded
net_setup
echo 0 >/proc/sys/net/ipv6/conf/eth0/accept_dad
ip -6 addr show dev eth0 | grep -q fd00::1 || ip -6 addr add fd00::1/64 dev eth0 || fail "no IPv6 address"
B=$(ns_with 10.0.0.3)
l3ns-probe v6serve tcp ::1 9300 20 >/tmp/p6 & ps=$!
bg_ready /tmp/p6
expect "the parent reaches its own [::1] service" "ok ::1" "$(l3ns-probe connect tcp6 ::1 9300)"
wait $ps
l3ns-probe v6serve tcp ::1 9300 8 >/tmp/p6 & ps=$!
bg_ready /tmp/p6
expect "member -> the parent's [::1]:9300" "errno ENETUNREACH" "$(in_ns $B 'l3ns-probe connect tcp6 ::1 9300')"
expect "member UDP connect to fd00::1" "errno ENETUNREACH" "$(in_ns $B 'l3ns-probe connect udp6 fd00::1 9301')"
expect "member UDP sendto ::1" "errno ENETUNREACH" "$(in_ns $B 'l3ns-probe v6send ::1 9301')"
kill $ps 2>/dev/null; wait $ps 2>/dev/null
expect "member binds ::1" "errno EADDRNOTAVAIL" "$(in_ns $B 'l3ns-probe bind tcp6 ::1 0')"
expect "member binds fd00::1" "errno EADDRNOTAVAIL" "$(in_ns $B 'l3ns-probe bind udp6 fd00::1 0')"
expect "member binds :: with IPV6_V6ONLY" "errno EADDRNOTAVAIL" "$(in_ns $B 'l3ns-probe v6serve udp :: 9303 0 v6only' | head -1)"
expect "member raw IPv6 socket" "errno EAFNOSUPPORT" "$(in_ns $B 'l3ns-probe v6sock raw')"
expect "member ICMPv6 (ping6) socket" "errno EAFNOSUPPORT" "$(in_ns $B 'l3ns-probe v6sock icmp6')"
expect "the parent's raw IPv6 socket" "ok" "$(l3ns-probe v6sock raw)"
# Dual stack for IPv4: a v4-mapped bind of its own address, and :: serving IPv4.
expect "member binds ::ffff:10.0.0.3" "ok ::ffff:10.0.0.3" "$(in_ns $B 'l3ns-probe bind tcp6 ::ffff:10.0.0.3 0')"
in_ns $B 'l3ns-probe v6serve udp :: 9302 4' >/tmp/m6 & pm=$!
bg_ready /tmp/m6
l3ns-probe sendto 10.0.0.3 9302 >/dev/null
wait $pm
expect "member's dual-stack [::]:9302 gets IPv4" "got ::ffff:10.0.0.1" "$(sed -n 2p /tmp/m6)"
# Native IPv6 to a member's socket on a port the kernel chose (no hidden
# port): dropped, for UDP and TCP.
in_ns $B 'l3ns-probe v6serve udp :: 0 3' >/tmp/m6 & pm=$!
bg_ready /tmp/m6
E=$(sed -n 's/^bound //p' /tmp/m6)
expect "the parent sends to [::1]:$E" "ok" "$(l3ns-probe v6send ::1 $E)"
wait $pm
expect "member's UDP socket got no native IPv6" "nothing" "$(sed -n 2p /tmp/m6)"
in_ns $B 'l3ns-probe v6serve tcp :: 0 4' >/tmp/m6 & pm=$!
bg_ready /tmp/m6
E=$(sed -n 's/^bound //p' /tmp/m6)
r=$(l3ns-probe connect tcp6 ::1 $E)
note "parent -> member's [::]:$E: $r"
wait $pm
expect "member's TCP listener accepted no native IPv6" "nothing" "$(sed -n 2p /tmp/m6)"
case $r in "ok "*) fail "the parent's IPv6 connect to a member's socket succeeded" ;; esac
