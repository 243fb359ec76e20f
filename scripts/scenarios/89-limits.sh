# Limits (module parameters): at max_namespaces `start` is ENOSPC; at
# max_addrs an assignment is ENOSPC; past max_sockets a member's socket(2)
# is ENOBUFS; past max_tasks a member's new child is killed before it runs
# (fail closed). Refusals are counted and logged. More namespaces than the
# old 255 work. Defaults are restored.
rmmod l3ns 2>/dev/null
insmod $KO max_namespaces=2 max_addrs=1 max_tasks=6 max_sockets=3 || fail "insmod with limits failed"
dmesg | grep -q "loaded (max_namespaces=2, max_addrs=1, max_tasks=6, max_sockets=3)" || fail "limits not reported"
net_setup
A=$(ns_with 10.0.0.2)
B=$(ns_with)
expect "a third namespace" "errno ENOSPC" "$(l3ns-probe write $D/start 3)"
expect "a second owned address" "errno ENOSPC" "$(l3ns-probe write $D/addr "push $B eth0 10.0.0.3")"
expect "sockets past max_sockets" "errno ENOBUFS after 3" "$(in_ns $B 'l3ns-probe socket inet 5')"
# Tasks: A and B hold 2 (their sleeps); a member shell forking many
# children must see some killed, never escaping.
out=$(in_ns $B 'for i in 1 2 3 4 5 6 7 8; do sleep 1 & done; wait; echo done' 2>&1)
echo "$out" | tail -3
dmesg | grep -q "could not tag a new member task (max_tasks/max_sockets reached); killed it" || fail "no kill line"
assert_ge "limit refusals counted in info" 3 "$(info_get tag_limit_refusals)"
expect "no allocation failure" 0 "$(info_get tag_alloc_failures)"
assert_ge "refusals counted in B" 1 "$(grep "^$B " $D/children | cut -d' ' -f4)"
ns_cleanup
# Past the old maximum of 255: 300 namespaces live at once, each kept by
# one sleeping member; the 301st is ENOSPC. Their slot chunks show in
# memory_bytes and stay until unload; ending them all leaves none.
rmmod l3ns && insmod $KO max_namespaces=300 || fail "insmod max_namespaces=300 failed"
mem0=$(info_get memory_bytes)
i=0
while [ $i -lt 300 ]; do
	sh -c "echo 3 > $D/start && exec sleep 100" </dev/null >/dev/null 2>&1 &
	echo $! >>/tmp/ns.pids
	i=$((i + 1))
done
wait_for sh -c ". /guest/lib.sh; [ \"\$(info_get l3_children)\" = 300 ]" || \
	wait_for sh -c ". /guest/lib.sh; [ \"\$(info_get l3_children)\" = 300 ]" || \
	fail "300 namespaces did not start: $(info_get l3_children)"
note "ok: 300 namespaces live"
expect "the 301st namespace" "errno ENOSPC" "$(l3ns-probe write $D/start 3)"
expect "300 listed" 300 "$(sed -n '2,$p' $D/children | wc -l)"
assert_ge "memory_bytes grew with 5 chunks of 64 slots" $((mem0 + 5 * 64 * 56)) "$(info_get memory_bytes)"
ns_cleanup
wait_for sh -c ". /guest/lib.sh; [ \"\$(info_get l3_children)\" = 0 ]" || fail "namespaces left: $(info_get l3_children)"
note "ok: all 300 gone"
# Past the old maximum of 512 addresses: one namespace owns 600; the
# 601st is ENOSPC; the address array grows with them and is freed with
# the last.
rmmod l3ns && insmod $KO max_addrs=600 || fail "insmod max_addrs=600 failed"
net_setup
out=$(l3ns-probe addrs lim 1 10.65.0.1 601) || fail "addrs: $out"
A=$(ns_with)
mem0=$(info_get memory_bytes)
i=1
while [ $i -le 600 ]; do
	echo "push $A lim0 10.65.$((i / 256)).$((i % 256))" >$D/addr || fail "push of address $i failed"
	i=$((i + 1))
done
expect "the 601st address" "errno ENOSPC" "$(l3ns-probe write $D/addr "push $A lim0 10.65.2.89")"
expect "the parent cannot bind the first owned one" "errno EADDRNOTAVAIL" "$(l3ns-probe bind tcp 10.65.0.1 7001)"
assert_ge "memory_bytes grew by the array (2048 entries of 24 bytes)" $((mem0 + 2048 * 24)) "$(info_get memory_bytes)"
expect "... nor the 600th" "errno EADDRNOTAVAIL" "$(l3ns-probe bind tcp 10.65.2.88 7001)"
ns_cleanup
wait_for sh -c ". /guest/lib.sh; [ \"\$(info_get l3_children)\" = 0 ]" || fail "A is left"
# The reaper returns the addresses (and frees the array) just after.
wait_for sh -c ". /guest/lib.sh; [ \"\$(info_get memory_bytes)\" = $mem0 ]"
expect "memory_bytes back (the array freed with the last address)" "$mem0" "$(info_get memory_bytes)"
expect "the parent binds the 600th again" "ok 10.65.2.88" "$(l3ns-probe bind tcp 10.65.2.88 7001)"
ip link del lim0
rmmod l3ns && insmod $KO || fail "reload with defaults failed"
expect "default max_namespaces" 1024 "$(cat /sys/module/l3ns/parameters/max_namespaces)"
