# The parent of an L3 namespace is the writer's netns, also one made by
# `unshare -n` after the module loaded; the netfilter hooks run in that new
# netns too (pernet) with their own counters.
ensure_loaded
# A namespace arms the hooks (mechanism 19): a netns made afterwards gets
# them from the pernet init.
ns_with >/dev/null
outer=$(netns_inode)
out=$(unshare -n sh -c ". /guest/lib.sh
	ip link set lo up
	echo inner \$(netns_inode)
	ping -c 2 -W 1 127.0.0.1 >/dev/null || echo ping-failed
	echo pre \$(info_get pre_routing_packets)
	echo out \$(info_get local_out_packets)
	echo 3 > $D/start && cat $D/info") || fail "unshare scenario failed: $out"
echo "$out"
inner=$(echo "$out" | sed -n 's/^inner //p')
[ -n "$inner" ] && [ "$inner" != "$outer" ] || fail "unshare -n did not give a new netns"
assert_eq "parent is the new netns" "$inner" "$(echo "$out" | sed -n 's/^l2_net_ns: //p')"
assert_eq "level" "layer 3" "$(echo "$out" | sed -n 's/^level: //p')"
echo "$out" | grep -q ping-failed && fail "ping on lo failed in the new netns"
assert_ge "pre_routing in new netns" 4 "$(echo "$out" | sed -n 's/^pre //p')"
assert_ge "local_out in new netns" 4 "$(echo "$out" | sed -n 's/^out //p')"
assert_eq "outer netns: only its own child, not the new netns's" 1 "$(info_get l3_children)"
