# Source addresses: a member's unbound sockets use its own address (the
# route's subnet first), 127.0.0.1 for loopback, never the parent's nor a
# route's src hint; with no address only loopback works; a foreign source
# set with IP_PKTINFO is dropped at LOCAL_OUT; the parent never uses a
# child's address.
ensure_loaded
net_setup
A=$(ns_with 10.0.0.2)
expect "member UDP connect to the parent" "ok 10.0.0.2" "$(in_ns $A 'l3ns-probe connect udp 10.0.0.1 9')"
expect "member UDP connect to loopback" "ok 127.0.0.1" "$(in_ns $A 'l3ns-probe connect udp 127.0.0.1 9')"
expect "member dual-stack connect" "ok ::ffff:10.0.0.2" "$(in_ns $A 'l3ns-probe connect udp6 ::ffff:10.0.0.1 9')"
# A real TCP client and server: busybox httpd in the parent reports REMOTE_ADDR.
mkdir -p /tmp/www/cgi-bin
printf '#!/bin/sh\necho "Content-Type: text/plain"\necho\necho "$REMOTE_ADDR"\n' >/tmp/www/cgi-bin/ip
chmod +x /tmp/www/cgi-bin/ip
httpd -p 10.0.0.1:8000 -h /tmp/www || fail "httpd failed"
expect "TCP peer address seen by the parent's server" "10.0.0.2" \
	"$(in_ns $A 'timeout 5 wget -q -O - http://10.0.0.1:8000/cgi-bin/ip')"
expect "parent's own client" "10.0.0.1" "$(timeout 5 wget -q -O - http://10.0.0.1:8000/cgi-bin/ip)"
# Unconnected sendto: the receiver sees the member's address.
l3ns-probe recv 10.0.0.1 5300 5 >/tmp/r.src & rp=$!
bg_ready /tmp/r.src
expect "member sendto" "ok sent" "$(in_ns $A 'l3ns-probe sendto 10.0.0.1 5300')"
wait $rp
expect "unconnected UDP source" "ok from 10.0.0.2" "$(sed -n 2p /tmp/r.src)"
# A route's src hint does not leak the parent's address into a member.
ip route add 10.5.0.0/16 dev eth0 src 10.0.0.3 || fail "route add failed"
expect "route src hint ignored for a member" "ok 10.0.0.2" "$(in_ns $A 'l3ns-probe connect udp 10.5.0.1 9')"
expect "parent still follows the hint" "ok 10.0.0.3" "$(l3ns-probe connect udp 10.5.0.1 9)"
ip route del 10.5.0.0/16 dev eth0
# IP_PKTINFO with a source the member does not own: dropped at LOCAL_OUT.
d0=$(info_get local_out_drops)
expect "member IP_PKTINFO with the parent's address" "errno EPERM" "$(in_ns $A 'l3ns-probe sendto 10.0.0.1 9 10.0.0.1')"
expect "member IP_PKTINFO with its own address" "ok sent" "$(in_ns $A 'l3ns-probe sendto 10.0.0.1 9 10.0.0.2')"
expect "member IP_HDRINCL with the parent's address" "errno EPERM" "$(in_ns $A 'l3ns-probe rawsend 10.0.0.1 10.0.0.3')"
expect "member IP_HDRINCL with its own address" "ok sent" "$(in_ns $A 'l3ns-probe rawsend 10.0.0.2 10.0.0.3')"
ip route add 239.0.0.0/8 dev eth0 2>/dev/null
expect "member IP_MULTICAST_IF with the parent's address" "errno EPERM" "$(in_ns $A 'l3ns-probe mcsend 10.0.0.1 239.2.2.2 7000')"
expect "member IP_MULTICAST_IF with its own address" "ok sent" "$(in_ns $A 'l3ns-probe mcsend 10.0.0.2 239.2.2.2 7000')"
ip route del 239.0.0.0/8 dev eth0 2>/dev/null
assert_ge "local_out_drops counted" $((d0 + 3)) "$(info_get local_out_drops)"
# A member with no address reaches only loopback.
expect "no address: connect" "errno EADDRNOTAVAIL" "$(member 'l3ns-probe connect udp 10.0.0.1 9')"
expect "no address: TCP connect" "errno EADDRNOTAVAIL" "$(member 'l3ns-probe connect tcp 10.0.0.1 8000')"
expect "no address: sendto" "errno EADDRNOTAVAIL" "$(member 'l3ns-probe sendto 10.0.0.1 9')"
expect "no address: loopback" "ok 127.0.0.1" "$(member 'l3ns-probe connect udp 127.0.0.1 9')"
# The parent never picks a child's address, not even its primary.
kill_wait $(pidof httpd)
C=$(ns_with 10.0.0.1)
got=$(l3ns-probe connect udp 10.0.0.77 9)
case $got in "ok 10.0.0.3"|"ok 10.0.0.4") note "ok: parent avoids the child's primary address: $got" ;;
*) fail "parent source with its primary owned by a child: $got" ;; esac
expect "member C uses it" "ok 10.0.0.1" "$(in_ns $C 'l3ns-probe connect udp 10.0.0.77 9')"
ns_cleanup
