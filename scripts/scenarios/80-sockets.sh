# Sockets belong to the namespace of the task that created them: info
# counts them while they are open, and they are gone after close.
ensure_loaded
out=$(member "l3ns-probe hold 2 >/dev/null & usleep 500000; info_get sockets; wait; info_get sockets")
echo "$out"
assert_ge "sockets while one is held" 1 "$(echo "$out" | sed -n 1p)"
assert_eq "sockets after close" 0 "$(echo "$out" | sed -n 2p)"
# A socket stays its creator's wherever its fd goes (SCM_RIGHTS to the
# parent), and keeps the namespace alive after its last task is gone.
net_setup
l3ns-probe recvfd /tmp/fd.sock 10.0.0.1 3 >/tmp/fd.out & holder=$!
bg_ready /tmp/fd.out
id=$(member "l3ns-probe sendfd /tmp/fd.sock >/dev/null; info_get id")
wait_for grep -q '^bind' /tmp/fd.out || fail "no bind result"
expect "the parent cannot bind the member's socket to a parent address" "bind errno EADDRNOTAVAIL" "$(sed -n 2p /tmp/fd.out)"
usleep 500000
# (The member's unix socket counts too while the parent's end holds it.)
assert_eq "namespace alive with 0 members" "$id 0" "$(grep "^$id " $D/children | cut -d' ' -f1-2)"
assert_ge "its sockets" 1 "$(grep "^$id " $D/children | cut -d' ' -f3)"
wait $holder
wait_for sh -c "dmesg | grep -q 'L3 namespace $id released'" || fail "namespace not released after its last socket closed"
