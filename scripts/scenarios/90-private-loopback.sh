# Private loopback: in each L3 namespace 127.0.0.1 is its own (VServer
# style: a private copy of 127.0.0.0/16). A and B both serve on
# 127.0.0.1:9000 at once; neither they nor the parent reach each other's;
# inside, getsockname/getpeername say 127.0.0.1. The parent can let a child
# reach its loopback services ("loopback ID shared"); the child's own
# listeners still win and the parent still cannot call in.
ensure_loaded
net_setup
A=$(ns_with 10.0.0.2)
B=$(ns_with 10.0.0.3)
mkdir -p /tmp/lA/cgi-bin /tmp/lB /tmp/lP /tmp/lP0
echo A >/tmp/lA/index.html
echo B >/tmp/lB/index.html
echo P >/tmp/lP/index.html
echo P0 >/tmp/lP0/index.html
printf '#!/bin/sh\necho "Content-Type: text/plain"\necho\necho "$REMOTE_ADDR"\n' >/tmp/lA/cgi-bin/ip
chmod +x /tmp/lA/cgi-bin/ip
get() { timeout 5 wget -q -O - "http://127.0.0.1:$1/$2" 2>/dev/null; }
# The parent serves 0.0.0.0:9000 first: the children's 127.0.0.1:9000 do
# not conflict with it (their loopback binds hold hidden ports).
httpd -p 9000 -h /tmp/lP0 || fail "parent httpd on 0.0.0.0:9000 failed"
in_ns $A "httpd -p 127.0.0.1:9000 -h /tmp/lA" || fail "httpd on 127.0.0.1:9000 in A failed"
in_ns $B "httpd -p 127.0.0.1:9000 -h /tmp/lB" || fail "httpd on 127.0.0.1:9000 in B failed"
httpd -p 127.0.0.1:9100 -h /tmp/lP || fail "parent httpd failed"
expect "A reaches its own 127.0.0.1:9000" "A" "$(in_ns $A '. /guest/lib.sh; timeout 5 wget -q -O - http://127.0.0.1:9000/')"
expect "B reaches its own 127.0.0.1:9000" "B" "$(in_ns $B 'timeout 5 wget -q -O - http://127.0.0.1:9000/')"
expect "the parent reaches its own 9000, not theirs" "P0" "$(get 9000)"
in_ns $A "httpd -p 127.0.0.1:9003 -h /tmp/lA" || fail "httpd on 127.0.0.1:9003 in A failed"
expect "A's 127.0.0.1:9003 from A" "ok 127.0.0.1" "$(in_ns $A 'l3ns-probe connect tcp 127.0.0.1 9003')"
expect "... from B: connection refused" "errno ECONNREFUSED" "$(in_ns $B 'l3ns-probe connect tcp 127.0.0.1 9003')"
expect "... from the parent: connection refused" "errno ECONNREFUSED" "$(l3ns-probe connect tcp 127.0.0.1 9003)"
expect "A's server sees its client as 127.0.0.1" "127.0.0.1" \
	"$(in_ns $A 'timeout 5 wget -q -O - http://127.0.0.1:9000/cgi-bin/ip')"
expect "getsockname in A" "ok 127.0.0.1" "$(in_ns $A 'l3ns-probe bind tcp 127.0.0.1 9001')"
expect "UDP connect source in A" "ok 127.0.0.1" "$(in_ns $A 'l3ns-probe connect udp 127.0.0.1 9')"
expect "A does not reach the parent's loopback service" "" \
	"$(in_ns $A 'timeout 5 wget -q -O - http://127.0.0.1:9100/ 2>/dev/null')"
expect "a member cannot open its loopback (the open guard)" "errno EACCES" \
	"$(in_ns $B "l3ns-probe write $D/addr 'loopback $A shared'")"
write_ok "share A's loopback with the parent" $D/addr "loopback $A shared"
expect "info shows it" "shared" "$(in_ns $A 'info_get loopback')"
expect "A reaches the parent's service" "P" "$(in_ns $A 'timeout 5 wget -q -O - http://127.0.0.1:9100/')"
expect "A's own listener still wins" "A" "$(in_ns $A 'timeout 5 wget -q -O - http://127.0.0.1:9000/')"
expect "B still does not reach the parent's" "" \
	"$(in_ns $B 'timeout 5 wget -q -O - http://127.0.0.1:9100/ 2>/dev/null')"
expect "the parent still reaches its own, not A's" "P0" "$(get 9000)"
write_ok "make it private again" $D/addr "loopback $A private"
expect "private again" "" "$(in_ns $A 'timeout 5 wget -q -O - http://127.0.0.1:9100/ 2>/dev/null')"
kill_wait $(pidof httpd)
ns_cleanup
