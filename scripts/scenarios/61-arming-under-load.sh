# l3ns-timeout: 300
# Mechanism 19 under load: arming and disarming patch live kernel text (19
# ftrace sites, the netfilter static keys) while other tasks run the hooked
# functions on the other vCPU. Four busy periods, each a namespace whose
# member takes an address and binds, while two loops open files and ping
# loopback: each period arms once, its namespace is enforced, the reaper
# disarms after it, and the loops live on. (On bookworm's QEMU 7.2 the
# guest kernel dies here now and then: scripts/run.sh.)
ensure_loaded
net_setup
EF=/sys/kernel/tracing/enabled_functions
wait_hooks_idle || fail "hooks still armed with no namespace: $(info_get hooks)"
(while :; do cat /proc/self/stat >/dev/null; done) &
echo $! >>/tmp/ns.pids
(while :; do ping -c 1 -W 1 127.0.0.1 >/dev/null; done) &
echo $! >>/tmp/ns.pids
loops=$(cat /tmp/ns.pids)
arms0=$(info_get hooks_armed)
for p in 1 2 3 4; do
	out=$(member "echo 'eth0 10.0.0.2' > $D/info; l3ns-probe bind udp 10.0.0.2 0; l3ns-probe bind udp 10.0.0.1 0")
	expect "period $p: the member binds its address, not the parent's" \
		"ok 10.0.0.2 errno EADDRNOTAVAIL" "$(echo $out)"
	assert_eq "period $p armed once" "$((arms0 + p))" "$(info_get hooks_armed)"
	wait_hooks_idle || fail "period $p: hooks still armed after its namespace ended"
	assert_eq "period $p: no l3ns ftrace site left" 0 "$(grep -c l3ns $EF)"
done
for l in $loops; do exited $l && fail "load loop $l died"; done
note "ok: both load loops ran through 4 arm/disarm periods"
assert_eq "the address is the parent's again" "ok 10.0.0.2" "$(l3ns-probe bind udp 10.0.0.2 0)"
