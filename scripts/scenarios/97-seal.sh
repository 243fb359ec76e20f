# Hardening (issue 11.5): a namespace is sealed at the first execve() of a
# member. The patch's workflow (`echo 3 > start; echo "eth0 A" > info;
# exec server`) takes its addresses before it execs; the server it runs
# (or anything a member execs later) cannot take more: EPERM, one dmesg
# line. The parent can still give a sealed namespace addresses (addr push).
ensure_loaded
net_setup
# l3ns's log lines share one rate limit (10 per 5 s): start a fresh window.
sleep 5
# The setup shell takes two addresses (one in a subshell: fork, no exec).
out=$(sh -c ". /guest/lib.sh; echo 3 > $D/start || exit 1
	echo \"first \$(sh_write $D/info 'eth0 10.0.0.2')\"
	echo \"forked \$( (sh_write $D/info 'eth0 10.0.0.4') )\"
	exec l3ns-probe write $D/info 'eth0 10.0.0.3'")
echo "$out"
expect "the setup takes before exec" "first ok" "$(echo "$out" | sed -n 1p)"
expect "a forked setup shell takes before exec" "forked ok" "$(echo "$out" | sed -n 2p)"
expect "the exec'd workload cannot take more" "errno EPERM" "$(echo "$out" | sed -n 3p)"
dmesg | grep -q "sealed at the first execve() of a member" || fail "no sealing line in dmesg"
dmesg | grep -q "namespace sealed" || fail "no refusal line in dmesg"
# A root server, compromised, in a sealed namespace: not the parent's primary.
sh -c "echo 3 > $D/start; echo 'eth0 10.0.0.2' > $D/info; exec sh -c '. /guest/lib.sh; sh_write $D/info \"eth0 10.0.0.1\" >/tmp/seal.out; info_get id >>/tmp/seal.out; exec sleep 30'" &
srv=$!
wait_for sh -c "[ \$(wc -l </tmp/seal.out) -ge 2 ]" || fail "the server did not run"
expect "the server cannot take the parent's address" "errno EPERM" "$(sed -n 1p /tmp/seal.out)"
id=$(sed -n 2p /tmp/seal.out)
expect "the parent keeps 10.0.0.1" "inet 10.0.0.1/24" "$(ip -4 addr show dev eth0 | grep -o 'inet 10.0.0.1/24')"
# The parent gives the sealed namespace one more address.
write_ok "the parent pushes into a sealed namespace" $D/addr "push $id eth0 10.0.0.3"
wait_for sh -c "grep -q '^$id .*10.0.0.3/24' $D/children" || fail "pushed address not in children: $(cat $D/children)"
kill_wait $srv
