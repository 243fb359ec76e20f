# Shared wildcard ports (issue 5.1, mechanism 13): A (10.0.0.2 and
# 10.0.0.4, uid 1000), B (10.0.0.3, uid 2000) and the parent (root) each
# serve TCP (httpd) and UDP on 0.0.0.0:8080 at once. Each address reaches
# its owner's server, A's one socket serves both its addresses,
# getsockname() shows the port asked for, an owner without a server answers
# RST / port unreachable even when the parent serves that port, hidden
# ports look closed, and all of it holds with SYN cookies on every SYN.
ensure_loaded
net_setup
A=$(ns_with 10.0.0.2 10.0.0.4)
B=$(ns_with 10.0.0.3)
for n in A B P; do mkdir -p /tmp/s$n && echo "$n" >/tmp/s$n/index.html; done
httpd -p 8080 -h /tmp/sP || fail "parent httpd on 8080 failed"
in_ns $A "l3ns-probe asuser 1000 httpd -p 8080 -h /tmp/sA" || fail "httpd on 8080 in A (uid 1000) failed"
in_ns $B "l3ns-probe asuser 2000 httpd -p 8080 -h /tmp/sB" || fail "httpd on 8080 in B (uid 2000) failed"
l3ns-probe serve udpP 8080 60 >/tmp/uP &
in_ns $A "l3ns-probe asuser 1000 l3ns-probe serve udpA 8080 60" >/tmp/uA &
in_ns $B "l3ns-probe asuser 2000 l3ns-probe serve udpB 8080 60" >/tmp/uB &
for n in P A B; do bg_ready /tmp/u$n; expect "UDP server $n on 0.0.0.0:8080" "ok serving" "$(cat /tmp/u$n)"; done
expect "A's info lists its shared ports" "tcp/8080 udp/8080" "$(in_ns $A 'info_get shared_ports')"
check_all() { # WHO(parent|A|B) SUFFIX
	run() { if [ "$1" = parent ]; then sh -c "$2"; else in_ns $(eval echo \$$1) "$2"; fi; }
	for pair in 10.0.0.1:P 10.0.0.2:A 10.0.0.4:A 10.0.0.3:B; do
		addr=${pair%:*} want=${pair#*:}
		expect "$1 -> $addr:8080 (TCP$2)" "$want" "$(run $1 "timeout 5 wget -q -O - http://$addr:8080/ 2>/dev/null")"
	done
}
check_all parent ""
check_all A ""
check_all B ""
expect "UDP parent -> A" "ok udpA from 10.0.0.2 8080" "$(l3ns-probe ask 10.0.0.2 8080)"
in_ns $A "l3ns-probe count 7100 2" >/tmp/cA & pc=$!
bg_ready /tmp/cA
l3ns-probe sendto 10.0.0.2 7100 >/dev/null; l3ns-probe sendto 10.0.0.4 7100 >/dev/null
wait $pc
expect "one UDP wildcard socket in A receives on both its addresses" "ok 2" "$(sed -n 2p /tmp/cA)"
expect "UDP parent -> B" "ok udpB from 10.0.0.3 8080" "$(l3ns-probe ask 10.0.0.3 8080)"
expect "UDP parent -> parent" "ok udpP from 10.0.0.1 8080" "$(l3ns-probe ask 10.0.0.1 8080)"
expect "UDP B -> A" "ok udpA from 10.0.0.2 8080" "$(in_ns $B 'l3ns-probe ask 10.0.0.2 8080')"
expect "UDP A -> parent" "ok udpP from 10.0.0.1 8080" "$(in_ns $A 'l3ns-probe ask 10.0.0.1 8080')"
# A client bound to a port: its hidden source port is shown to peers (and
# to itself) as the port it bound, and the answers find it.
expect "UDP A -> parent from port 5556" "ok udpP from 10.0.0.1 8080" "$(in_ns $A 'l3ns-probe ask 10.0.0.1 8080 5556')"
# ... and the ICMP port unreachable for it, which quotes port 5558, reaches it.
expect "UDP A (from port 5558) -> a closed port: refused" "errno ECONNREFUSED" "$(in_ns $A 'l3ns-probe ask 10.0.0.1 9 5558')"
expect "UDP A (unbound) -> a closed port: refused" "errno ECONNREFUSED" "$(in_ns $A 'l3ns-probe ask 10.0.0.1 9')"
l3ns-probe accept 5600 5 >/tmp/acc & pa=$!
bg_ready /tmp/acc
expect "TCP A -> parent from port 5555" "ok local 5555" "$(in_ns $A 'l3ns-probe dial 5555 10.0.0.1 5600')"
wait $pa
expect "the parent sees A's port 5555" "ok peer 10.0.0.2 5555" "$(sed -n 2p /tmp/acc)"
# A listener on a port the kernel chose (bind to port 0 is not remapped):
# reachable on A's addresses only.
in_ns $A "l3ns-probe accept 0 5" >/tmp/acc0 & p0=$!
bg_ready /tmp/acc0
E=$(sed -n 's/^ready //p' /tmp/acc0)
expect "A's port-$E listener, via the parent's address" "errno ECONNREFUSED" "$(l3ns-probe connect tcp 10.0.0.1 $E)"
expect "A's port-$E listener, via A's address" "ok 10.0.0.1" "$(l3ns-probe connect tcp 10.0.0.2 $E)"
wait $p0
expect "it accepted the parent" "ok peer 10.0.0.1" "$(sed -n 2p /tmp/acc0 | cut -d' ' -f1-3)"
assert_ge "steered_packets counted" 10 "$(info_get steered_packets)"
assert_ge "hidden ports held (2 TCP, 2 UDP)" 4 "$(info_get hidden_ports)"
# busybox nc in A and B on the same port at once.
in_ns $A "timeout 10 nc -l -p 9090 >/tmp/ncA" & na=$!
in_ns $B "timeout 10 nc -l -p 9090 >/tmp/ncB" & nb=$!
for ns in $A $B; do
	wait_for sh -c ". /guest/lib.sh; in_ns $ns 'info_get shared_ports' | grep -q tcp/9090" ||
		fail "nc in namespace $ns is not listening"
done
echo "to A" | timeout 5 nc 10.0.0.2 9090
echo "to B" | timeout 5 nc 10.0.0.3 9090
wait $na $nb
expect "nc in A got its message" "to A" "$(cat /tmp/ncA)"
expect "nc in B got its message" "to B" "$(cat /tmp/ncB)"
# getsockname() inside shows the port asked for, on IPv4 and dual-stack.
expect "getsockname, TCP 0.0.0.0 in A" "ok 0.0.0.0 8090" "$(in_ns $A 'l3ns-probe name tcp 0.0.0.0 8090')"
expect "getsockname, UDP 0.0.0.0 in A" "ok 0.0.0.0 8090" "$(in_ns $A 'l3ns-probe name udp 0.0.0.0 8090')"
expect "getsockname, TCP :: in A" "ok :: 8090" "$(in_ns $A 'l3ns-probe name tcp6 :: 8090')"
expect "a second listener on 8080 in A still conflicts" "errno EADDRINUSE" "$(in_ns $A 'l3ns-probe name tcp 0.0.0.0 8080')"
# The privileged-port rule is judged on the port asked for, not the hidden one.
expect "uid 1000 in A: 0.0.0.0:80 needs CAP_NET_BIND_SERVICE" "errno EACCES" \
	"$(in_ns $A 'l3ns-probe asuser 1000 l3ns-probe name tcp 0.0.0.0 80')"
expect "root in A: 0.0.0.0:80" "ok 0.0.0.0 80" "$(in_ns $A 'l3ns-probe name tcp 0.0.0.0 80')"
# No server of the owner: RST / port unreachable, even with a parent server there.
httpd -p 8081 -h /tmp/sP || fail "parent httpd on 8081 failed"
l3ns-probe serve udpP 8081 30 >/tmp/uP1 &
bg_ready /tmp/uP1
r0=$(info_get local_in_rejects)
expect "TCP to A's address, no server in A" "errno ECONNREFUSED" "$(l3ns-probe connect tcp 10.0.0.2 8081)"
expect "UDP to B's address, no server in B" "errno ECONNREFUSED" "$(l3ns-probe ask 10.0.0.3 8081)"
expect "the parent's own 8081 still works" "ok udpP from 10.0.0.1 8081" "$(l3ns-probe ask 10.0.0.1 8081)"
assert_ge "local_in_rejects counted" $((r0 + 2)) "$(info_get local_in_rejects)"
# Hidden ports (visible only in /proc/net) look closed from everywhere.
H=
for hex in $(awk '$4 == "0A" { sub(/.*:/, "", $2); print $2 }' /proc/net/tcp /proc/net/tcp6); do
	p=$((0x$hex)); [ $p -ge 61440 ] && { H=$p; break; }
done
[ -n "$H" ] || fail "no hidden listening port in /proc/net/tcp*"
note "a hidden port: $H"
expect "hidden port on the parent's address" "errno ECONNREFUSED" "$(l3ns-probe connect tcp 10.0.0.1 $H)"
expect "hidden port on A's address" "errno ECONNREFUSED" "$(l3ns-probe connect tcp 10.0.0.2 $H)"
# SYN cookies on every SYN: the cookie ACK is steered like the SYN.
cookies() { # TcpExt SyncookiesRecv: cookie ACKs validated by a listener
	awk '/^TcpExt:/ { if (!c) { for (i = 1; i <= NF; i++) if ($i == "SyncookiesRecv") c = i } else print $c }' /proc/net/netstat
}
c0=$(cookies)
echo 2 >/proc/sys/net/ipv4/tcp_syncookies || fail "cannot force SYN cookies"
check_all parent " with SYN cookies"
check_all B " with SYN cookies"
expect "TCP to A's address, no server in A, with SYN cookies" "errno ECONNREFUSED" "$(l3ns-probe connect tcp 10.0.0.2 8081)"
echo 1 >/proc/sys/net/ipv4/tcp_syncookies
assert_ge "connections opened by SYN cookie" $((c0 + 8)) "$(cookies)"
kill_wait $(pidof httpd) $(pidof l3ns-probe)
ns_cleanup
wait_for sh -c "[ \$(sed -n 's/^hidden_ports: //p' $D/info) = 0 ]" || fail "hidden ports not released: $(info_get hidden_ports)"
note "ok: every hidden port released"
