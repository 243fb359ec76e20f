# Hardening (issue 11.6): no check can be skipped. getsockname() sleeps in
# lock_sock(); with hundreds of threads inside it at once, every answer of
# a member's wildcard socket still shows its own port 0.0.0.0:PORT (never
# the hidden port), and probe_misses stays 0; likewise 200 threads binding
# at once.
ensure_loaded
net_setup
before=$(info_get probe_misses)
B=$(ns_with 10.0.0.3)
out=$(in_ns $B 'l3ns-probe getname 200 4 8110')
note "$out"
case $out in "threads 200 calls "*" leaks 0") ;; *) fail "getsockname leaked or failed: $out" ;; esac
calls=$(echo "$out" | cut -d' ' -f4)
assert_ge "getsockname calls made" 1000 "$calls"
# 8 processes of 20 threads getsockname() at once, each on its own socket.
out=$(in_ns $B 'for i in 1 2 3 4 5 6 7 8; do l3ns-probe getname 20 2 $((8120 + i)) & done; wait')
note "$out"
[ "$(echo "$out" | grep -c ' leaks 0$')" = 8 ] || fail "parallel getsockname leaked: $out"
# 200 threads binding wildcard sockets at once (the bind wrapper sleeps in
# lock_sock() and takes the reservation lock): every bind succeeds and
# shows its own port.
out=$(in_ns $B 'l3ns-probe binds 200 8 8200')
note "$out"
case $out in "threads 200 binds "*" leaks 0") ;; *) fail "parallel binds failed or leaked: $out" ;; esac
assert_ge "binds made" 500 "$(echo "$out" | cut -d' ' -f4)"
expect "probe_misses unchanged" "$before" "$(info_get probe_misses)"
