# Sockets belong to the namespace of the task that created them: info
# counts them while they are open, and they are gone after close.
ensure_loaded
out=$(member "l3ns-probe hold 2 >/dev/null & usleep 500000; info_get sockets; wait; info_get sockets")
echo "$out"
assert_ge "sockets while one is held" 1 "$(echo "$out" | sed -n 1p)"
assert_eq "sockets after close" 0 "$(echo "$out" | sed -n 2p)"
