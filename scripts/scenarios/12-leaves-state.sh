# Issue 14.3, first half: a scenario that leaves everything behind on
# purpose -- a device with an address, an extra address on eth0, a route,
# a changed sysctl, a file in /tmp, a daemon and a live L3 namespace. The
# runner must put the guest back (scripts/guest/isolate.sh); scenario 13
# checks that it did.
ensure_loaded
net_setup
ip link add dummy7 type dummy || fail "cannot create dummy7"
ip addr add 10.7.0.1/24 dev dummy7 && ip link set dummy7 up || fail "dummy7 set-up"
ip addr add 10.0.0.77/24 dev eth0 || fail "cannot add 10.0.0.77"
ip route add 10.77.0.0/16 dev eth0 || fail "cannot add a route"
echo 1 >/proc/sys/net/ipv4/ip_forward || fail "cannot set ip_forward"
echo left >/tmp/leftover
sleep 300 </dev/null >/dev/null 2>&1 &
sh -c "$(member_sh 'echo "eth0 10.0.0.77" > $D/info; exec sleep 300')" </dev/null >/dev/null 2>&1 &
wait_for sh -c '. /guest/lib.sh; [ "$(info_get l3_children)" = 1 ]' || fail "the member did not start"
note "left: dummy7, 10.0.0.77 (owned by a live L3 namespace), 10.77.0.0/16, ip_forward=1, /tmp/leftover, two sleeps"
