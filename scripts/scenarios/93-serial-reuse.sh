# Release is synchronous: a namespace has ended once its last member has
# been reaped by wait() and its last socket closed, and from that moment its
# addresses are the parent's again. 200 namespaces run one after another on
# one address as fast as fork and wait go (l3ns-probe cycle: start, take,
# bind -- a UDP socket, freed after an RCU grace period, and a TCP listener
# in turn -- exit), with no sleep, poll or retry in between; each must take
# the address and bind it. Then the patch's shell workflow, 20 times, and
# the parent binds the address at once.
ensure_loaded
net_setup
out=$(l3ns-probe cycle 200 10.0.0.2 7300)
echo "$out"
assert_eq "takes refused with EBUSY (of 200)" 0 "$(echo "$out" | sed -n 's/^busy \([0-9]*\) .*/\1/p')"
assert_eq "binds refused with EADDRNOTAVAIL (of 200)" 0 "$(echo "$out" | sed -n 's/.* nobind \([0-9]*\) .*/\1/p')"
assert_eq "other failures" 0 "$(echo "$out" | sed -n 's/.* other \([0-9]*\)$/\1/p')"
bad=0 i=0
while [ $i -lt 20 ]; do
	r=$(sh -c "echo 3 > $D/start || exit 1
		. /guest/lib.sh; sh_write $D/info 'eth0 10.0.0.2'
		exec l3ns-probe bind udp 10.0.0.2 7300" | tr '\n' ' ')
	[ "$r" = "ok ok 10.0.0.2 " ] || { bad=$((bad + 1)); note "shell iteration $i: $r"; }
	i=$((i + 1))
done
assert_eq "shell workflow iterations refused (of 20)" 0 "$bad"
# The parent, right after the last one, with no wait either.
expect "parent binds the address (udp)" "ok 10.0.0.2" "$(l3ns-probe bind udp 10.0.0.2 7300)"
expect "parent binds the address (tcp)" "ok 10.0.0.2" "$(l3ns-probe bind tcp 10.0.0.2 7300)"
assert_eq "no L3 child left" 0 "$(info_get l3_children)"
