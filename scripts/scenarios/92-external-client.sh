# A client in another L2 network namespace, across a veth pair: packets
# arrive through a real ingress path (early demux finds established
# connections) instead of loopback. A, B and the parent serve 0.0.0.0:8080;
# the outside client reaches each through its address, with a large
# download intact; a child's own connection out carries its address.
ensure_loaded
net_setup
A=$(ns_with 10.0.0.2)
B=$(ns_with 10.0.0.3)
unshare -n sleep 90 & ext=$!
echo $ext >>/tmp/ns.pids
wait_for sh -c "[ \"\$(readlink /proc/$ext/ns/net)\" != \"\$(readlink /proc/self/ns/net)\" ]" ||
	fail "no second network namespace"
X="nsenter --net=/proc/$ext/ns/net"
ip link add v0 type veth peer name v1 || fail "cannot create a veth pair"
# busybox ip may leave the peer with the kernel's name: find it by ifindex.
peer=$(cat /sys/class/net/v0/iflink)
for d in /sys/class/net/*; do [ "$(cat $d/ifindex)" = "$peer" ] && p=${d##*/}; done
[ "$p" = v1 ] || ip link set "$p" name v1 || fail "cannot name the veth peer ($p)"
ip link set v1 netns $ext || fail "cannot move v1"
ip addr add 10.2.0.1/24 dev v0 && ip link set v0 up
$X ip link set lo up
$X ip addr add 10.2.0.2/24 dev v1 && $X ip link set v1 up && $X ip route add default via 10.2.0.1 ||
	fail "cannot set up the outside namespace"
for n in A B P; do mkdir -p /tmp/x$n && echo "$n" >/tmp/x$n/index.html; done
awk 'BEGIN { for (i = 0; i < 24000; i++) printf "%08d %08x line of the big file\n", i, i * 2654435761 % 4294967296 }' >/tmp/xA/big
httpd -p 8080 -h /tmp/xP || fail "parent httpd failed"
in_ns $A "httpd -p 8080 -h /tmp/xA" || fail "httpd in A failed"
in_ns $B "httpd -p 8080 -h /tmp/xB" || fail "httpd in B failed"
in_ns $A "l3ns-probe serve udpA 8080 30" >/tmp/xuA &
bg_ready /tmp/xuA
for pair in 10.0.0.1:P 10.0.0.2:A 10.0.0.3:B; do
	addr=${pair%:*} want=${pair#*:}
	expect "outside -> $addr:8080" "$want" "$($X timeout 5 wget -q -O - http://$addr:8080/ 2>/dev/null)"
done
expect "a 936 kB download from A intact" "$(md5sum </tmp/xA/big)" "$($X timeout 20 wget -q -O - http://10.0.0.2:8080/big | md5sum)"
expect "outside UDP -> A" "ok udpA from 10.0.0.2 8080" "$($X l3ns-probe ask 10.0.0.2 8080)"
expect "outside -> A, no server there" "errno ECONNREFUSED" "$($X l3ns-probe connect tcp 10.0.0.2 8081)"
$X l3ns-probe accept 7000 5 >/tmp/xacc & pa=$!
bg_ready /tmp/xacc
expect "A connects out" "ok 10.0.0.2" "$(in_ns $A 'l3ns-probe connect tcp 10.2.0.2 7000')"
wait $pa
expect "the outside sees A's address" "ok peer 10.0.0.2" "$(sed -n 2p /tmp/xacc | cut -d' ' -f1-3)"
kill_wait $(pidof httpd) $(pidof l3ns-probe)
ip link del v0 2>/dev/null
ns_cleanup
