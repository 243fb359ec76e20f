# Hardening (issue 11.6): no check can be skipped. getsockname() sleeps in
# lock_sock(); with hundreds of threads inside it at once, every answer of
# a member's wildcard socket still shows its own port 0.0.0.0:PORT (never
# the hidden port), and probe_misses stays 0. The same holds for bind and
# socket creation under a fork/socket storm.
ensure_loaded
net_setup
before=$(info_get probe_misses)
B=$(ns_with 10.0.0.3)
out=$(in_ns $B 'l3ns-probe getname 200 4 8110')
note "$out"
case $out in "threads 200 calls "*" leaks 0") ;; *) fail "getsockname leaked or failed: $out" ;; esac
calls=$(echo "$out" | cut -d' ' -f4)
assert_ge "getsockname calls made" 1000 "$calls"
# Many binds at once: each must get its own hidden port view back.
out=$(in_ns $B 'for i in 1 2 3 4 5 6 7 8; do l3ns-probe getname 20 2 $((8120 + i)) & done; wait')
note "$out"
[ "$(echo "$out" | grep -c ' leaks 0$')" = 8 ] || fail "parallel binds leaked: $out"
expect "probe_misses unchanged" "$before" "$(info_get probe_misses)"
