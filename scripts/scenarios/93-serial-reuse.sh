# Release is synchronous: a namespace has ended once its last member has
# been reaped by wait() and its last socket closed, and from that moment its
# addresses are the parent's again. 200 namespaces run one after another on
# one address (the patch's workflow: start, take, bind, exit), with no sleep,
# poll or retry in between; each must take the address and bind it. Then
# the parent binds it at once. Alternates UDP (freed after an RCU grace
# period) and a TCP listener.
ensure_loaded
net_setup
busy=0 nobind=0 other=0 i=0
while [ $i -lt 200 ]; do
	proto=udp; [ $((i % 2)) = 1 ] && proto=tcp
	out=$(sh -c "echo 3 > $D/start || exit 1
		echo take \$(l3ns-probe write $D/info 'eth0 10.0.0.2')
		exec l3ns-probe bind $proto 10.0.0.2 7300")
	take=$(echo "$out" | sed -n 's/^take //p')
	bound=$(echo "$out" | sed -n '2p')
	case $take in
	"ok 13") ;;
	"errno EBUSY") busy=$((busy + 1)) ;;
	*) other=$((other + 1)); note "iteration $i: take '$take'" ;;
	esac
	case $bound in
	"ok "*) ;;
	"errno EADDRNOTAVAIL") nobind=$((nobind + 1)) ;;
	*) other=$((other + 1)); note "iteration $i: bind '$bound'" ;;
	esac
	i=$((i + 1))
done
assert_eq "takes refused with EBUSY (of 200)" 0 "$busy"
assert_eq "binds refused with EADDRNOTAVAIL (of 200)" 0 "$nobind"
assert_eq "other take/bind results" 0 "$other"
# The parent, right after the last one, with no wait either.
expect "parent binds the address (udp)" "ok 10.0.0.2" "$(l3ns-probe bind udp 10.0.0.2 7300)"
expect "parent binds the address (tcp)" "ok 10.0.0.2" "$(l3ns-probe bind tcp 10.0.0.2 7300)"
assert_eq "no L3 child left" 0 "$(info_get l3_children)"
