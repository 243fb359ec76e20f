# Broadcast and multicast (UDP): 255.255.255.255 and a multicast group reach
# the parent and every child with a listener (group membership as the
# kernel decides); a subnet-directed broadcast reaches the parent and only
# the children owning an address in that subnet. IP_ADD_MEMBERSHIP works
# inside a child. Ping from a child uses its address; a raw socket in a
# child sees only its own traffic.
ensure_loaded
net_setup
ip link show dummy8 >/dev/null 2>&1 || ip link add dummy8 type dummy
ip link set dummy8 up
ip -4 addr show dev dummy8 | grep -q 10.8.0.1 || ip addr add 10.8.0.1/24 dev dummy8
ip -4 addr show dev dummy8 | grep -q 10.8.0.2 || ip addr add 10.8.0.2/24 dev dummy8
ip route add default dev eth0 2>/dev/null
A=$(ns_with 10.0.0.2)
B=$(sh -c ". /guest/lib.sh; echo 3 > $D/start; echo 'dummy8 10.8.0.2' > $D/info; info_get id; exec sleep 60" >/tmp/nsB &
	echo $! >>/tmp/ns.pids; wait_for grep -q . /tmp/nsB; cat /tmp/nsB)
[ -n "$A" ] && [ -n "$B" ] || fail "namespaces did not start"
# round PORT DEST [GROUP]: parent, A and B listen on 0.0.0.0:PORT; the
# parent sends one datagram to DEST; prints "parent A B" results.
round() {
	l3ns-probe recv 0.0.0.0 $1 2 $3 >/tmp/b.P & p1=$!
	in_ns $A "l3ns-probe recv 0.0.0.0 $1 2 $3" >/tmp/b.A & p2=$!
	in_ns $B "l3ns-probe recv 0.0.0.0 $1 2 $3" >/tmp/b.B & p3=$!
	bg_ready /tmp/b.P; bg_ready /tmp/b.A; bg_ready /tmp/b.B
	l3ns-probe sendto $2 $1 >/dev/null
	wait $p1 $p2 $p3
	for w in P A B; do sed -n 2p /tmp/b.$w | sed 's/^ok from .*/got/'; done | tr '\n' ' ' | sed 's/ $//'
}
expect "255.255.255.255 reaches parent, A and B" "got got got" "$(round 6000 255.255.255.255)"
expect "10.0.0.255 reaches the parent and A, not B" "got got timeout" "$(round 6001 10.0.0.255)"
expect "10.8.0.255 reaches the parent and B, not A" "got timeout got" "$(round 6002 10.8.0.255)"
expect "multicast reaches every member of the group" "got got got" "$(round 6003 239.1.1.1 239.1.1.1)"
expect "no group joined, no multicast" "timeout timeout timeout" "$(round 6004 239.1.1.2)"
# No duplicates: one datagram is received exactly once by each socket.
count_round() { # PORT DEST [GROUP]: "parent A B" datagram counts
	l3ns-probe count $1 2 $3 >/tmp/c.P & p1=$!
	in_ns $A "l3ns-probe count $1 2 $3" >/tmp/c.A & p2=$!
	in_ns $B "l3ns-probe count $1 2 $3" >/tmp/c.B & p3=$!
	bg_ready /tmp/c.P; bg_ready /tmp/c.A; bg_ready /tmp/c.B
	l3ns-probe sendto $2 $1 >/dev/null
	wait $p1 $p2 $p3
	for w in P A B; do sed -n 2p /tmp/c.$w; done | tr '\n' ' ' | sed 's/ $//'
}
expect "255.255.255.255 arrives once per socket" "ok 1 ok 1 ok 1" "$(count_round 6005 255.255.255.255)"
expect "multicast arrives once per socket" "ok 1 ok 1 ok 1" "$(count_round 6006 239.1.1.3 239.1.1.3)"
expect "10.0.0.255 once for the parent and A" "ok 1 ok 1 ok 0" "$(count_round 6007 10.0.0.255)"
# ping from a child: its address as source, and the reply reaches it.
l3ns-probe rawrecv 3 src >/tmp/rawS & ps=$!
bg_ready /tmp/rawS
out=$(in_ns $A "ping -c 1 -W 2 10.0.0.1")
echo "$out" | grep -q "1 packets received" || fail "ping from A failed: $out"
wait $ps
expect "A's echo request came from 10.0.0.2 (the parent's raw socket sees it, not the reply to A)" "ok 10.0.0.2" "$(sed -n 2p /tmp/rawS)"
l3ns-probe recv 10.0.0.1 6010 3 >/tmp/b.src & p=$!
bg_ready /tmp/b.src
in_ns $A "l3ns-probe sendto 10.0.0.1 6010" >/dev/null
wait $p
expect "A's datagrams come from its address" "ok from 10.0.0.2" "$(sed -n 2p /tmp/b.src)"
# A raw socket in A sees only packets for A's addresses; the parent's raw
# socket sees none of them.
in_ns $A "l3ns-probe rawrecv 3" >/tmp/rawA & pa=$!
l3ns-probe rawrecv 3 >/tmp/rawP & pp=$!
bg_ready /tmp/rawA; bg_ready /tmp/rawP
ping -c 1 -W 1 10.0.0.2 >/dev/null || fail "ping 10.0.0.2 failed"
ping -c 1 -W 1 10.0.0.1 >/dev/null || fail "ping 10.0.0.1 failed"
wait $pa $pp
expect "A's raw socket: only A's traffic" "ok 10.0.0.2" "$(sed -n 2p /tmp/rawA)"
expect "the parent's raw socket: none of A's" "ok 10.0.0.1" "$(sed -n 2p /tmp/rawP)"
ns_cleanup
ip route del default dev eth0 2>/dev/null
true
