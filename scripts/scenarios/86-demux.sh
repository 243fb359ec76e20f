# Incoming demux: a packet for a child's address reaches only that child's
# sockets (not the parent's wildcard ones: the sender gets RST / port
# unreachable); a child's wildcard socket does not receive the parent's
# traffic. UDP with l3ns-probe, TCP with busybox
# httpd and wget.
ensure_loaded
net_setup
A=$(ns_with 10.0.0.2)
udp_case() { # LABEL EXPECT WHERE(parent|A) PORT DADDR
	if [ "$3" = A ]; then
		in_ns $A "l3ns-probe recv 0.0.0.0 $4 2" >/tmp/r.$4 &
	else
		l3ns-probe recv 0.0.0.0 $4 2 >/tmp/r.$4 &
	fi
	rp=$!
	bg_ready /tmp/r.$4
	l3ns-probe sendto $5 $4 >/dev/null
	wait $rp
	expect "$1" "$2" "$(sed -n 2p /tmp/r.$4)"
}
udp_case "parent wildcard socket, packet for A" "timeout" parent 5400 10.0.0.2
udp_case "parent wildcard socket, packet for the parent" "ok from 10.0.0.1" parent 5401 10.0.0.1
udp_case "A's wildcard socket, packet for A" "ok from 10.0.0.1" A 5402 10.0.0.2
udp_case "A's wildcard socket, packet for the parent" "timeout" A 5403 10.0.0.1
assert_ge "rejects at LOCAL_IN counted" 1 "$(info_get local_in_rejects)"
mkdir -p /tmp/wwwA /tmp/wwwP
echo "served by A" >/tmp/wwwA/index.html
echo "served by the parent" >/tmp/wwwP/index.html
in_ns $A "httpd -p 8080 -h /tmp/wwwA" || fail "httpd in A failed"
httpd -p 8081 -h /tmp/wwwP || fail "parent httpd failed"
expect "parent fetches A's page" "served by A" "$(timeout 5 wget -q -O - http://10.0.0.2:8080/)"
expect "A's wildcard listener does not serve the parent's address" "" "$(timeout 5 wget -q -O - http://10.0.0.1:8080/ 2>/dev/null)"
expect "A fetches the parent's page" "served by the parent" "$(in_ns $A 'timeout 5 wget -q -O - http://10.0.0.1:8081/')"
expect "parent's wildcard listener does not serve A's address" "" "$(timeout 5 wget -q -O - http://10.0.0.2:8081/ 2>/dev/null)"
expect "... and the client is refused at once (RST)" "errno ECONNREFUSED" "$(l3ns-probe connect tcp 10.0.0.2 8081)"
assert_ge "A's rx_packets" 4 "$(in_ns $A 'info_get rx_packets')"
assert_ge "A's tx_packets" 2 "$(in_ns $A 'info_get tx_packets')"
kill_wait $(pidof httpd)
ns_cleanup
