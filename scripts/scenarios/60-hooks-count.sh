# PRE_ROUTING and LOCAL_OUT hooks see every IPv4 packet: 3 pings on
# loopback are 6 packets each way through both hooks.
ensure_loaded
pre0=$(info_get pre_routing_packets); out0=$(info_get local_out_packets)
ping -c 3 -W 1 127.0.0.1 >/dev/null || fail "ping 127.0.0.1 failed"
pre1=$(info_get pre_routing_packets); out1=$(info_get local_out_packets)
assert_ge "pre_routing delta" 6 "$((pre1 - pre0))"
assert_ge "local_out delta" 6 "$((out1 - out0))"
# A member sees the counters of its parent netns.
m=$(sh -c "echo 3 > $D/start && ping -c 1 -W 1 127.0.0.1 >/dev/null && sed -n 's/^pre_routing_packets: //p' $D/info")
assert_ge "member reads parent's counters" "$((pre1 + 2))" "$m"
