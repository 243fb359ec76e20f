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
rmmod l3ns && insmod $KO || fail "reload with defaults failed"
expect "default max_namespaces" 1024 "$(cat /sys/module/l3ns/parameters/max_namespaces)"
