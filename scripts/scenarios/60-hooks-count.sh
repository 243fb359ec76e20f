# Mechanism 19: with no L3 namespace l3ns has no hook armed -- no ftrace
# site (enabled_functions, read from userspace) and no netfilter hook (the
# counters read 0); the first `start` arms everything, and after the last
# namespace ends the reaper disarms. While armed, PRE_ROUTING and LOCAL_OUT
# see every IPv4 packet: 3 pings on loopback are 6 packets through both.
ensure_loaded
EF=/sys/kernel/tracing/enabled_functions
l3ns_sites() { grep -c 'l3ns' $EF; }
wait_hooks_idle || fail "hooks still armed with no namespace: $(info_get hooks)"
assert_eq "hooks with no namespace" idle "$(info_get hooks)"
[ -r $EF ] || fail "no $EF"
assert_eq "l3ns ftrace sites with no namespace" 0 "$(l3ns_sites)"
assert_eq "pre_routing_packets with no namespace" 0 "$(info_get pre_routing_packets)"
ping -c 2 -W 1 127.0.0.1 >/dev/null || fail "ping 127.0.0.1 failed"
assert_eq "no hook counted unarmed pings" 0 "$(info_get pre_routing_packets)"
arms0=$(info_get hooks_armed)
id=$(ns_with)
assert_eq "hooks with a namespace" armed "$(info_get hooks)"
assert_eq "armed once more" "$((arms0 + 1))" "$(info_get hooks_armed)"
assert_ge "l3ns ftrace sites armed" 10 "$(l3ns_sites)"
# Every site names l3ns's ops, on a function the module hooks.
for f in $(sed -n 's/^\([a-z_0-9.]*\) .*l3ns.*/\1/p' $EF | sed 's/\..*//' | sort -u); do
	grep -qx "$f" /guest/hooked-functions || fail "unexpected l3ns site on $f"
done
pre0=$(info_get pre_routing_packets); out0=$(info_get local_out_packets)
ping -c 3 -W 1 127.0.0.1 >/dev/null || fail "ping 127.0.0.1 failed"
pre1=$(info_get pre_routing_packets); out1=$(info_get local_out_packets)
assert_ge "pre_routing delta" 6 "$((pre1 - pre0))"
assert_ge "local_out delta" 6 "$((out1 - out0))"
# A member sees the counters of its parent netns.
m=$(sh -c "echo 3 > $D/start && ping -c 1 -W 1 127.0.0.1 >/dev/null && sed -n 's/^pre_routing_packets: //p' $D/info")
assert_ge "member reads parent's counters" "$((pre1 + 2))" "$m"
# A second namespace does not arm again; the last one's end disarms.
assert_eq "no re-arm while armed" "$((arms0 + 1))" "$(info_get hooks_armed)"
ns_cleanup
wait_hooks_idle || fail "hooks still armed after the last namespace ended"
assert_eq "l3ns ftrace sites after the last namespace" 0 "$(l3ns_sites)"
assert_eq "counters gone with the hooks" 0 "$(info_get pre_routing_packets)"
# A failed first start (ENOSPC-free: EINVAL input) never arms.
expect_write_error EINVAL 4 $D/start
assert_eq "bad input did not arm" "$((arms0 + 1))" "$(info_get hooks_armed)"
