# The patch's workflow: `echo 3 > start; echo "eth0 10.0.0.2" > info`
# takes a parent address into the namespace; errors use the right errno;
# the address returns to the parent when the namespace dies. Members write
# with the shell's own echo (sh_write): an execve() seals the namespace
# (scenario 97).
ensure_loaded
net_setup
out=$(member "echo 'eth0 10.0.0.2' > $D/info && echo 'eth0:1 10.0.0.4' > $D/info && info_get id && info_get addresses")
echo "$out"
id=$(echo "$out" | sed -n 1p)
assert_eq "addresses in info" "10.0.0.2/24 10.0.0.4/24" "$(echo "$out" | sed -n 2p | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')"
dmesg | grep -q "10.0.0.2/24 now owned by L3 namespace $id" || fail "no ownership line in dmesg"
wait_for sh -c "dmesg | grep -q 'L3 namespace $id released: no members or open sockets left; 2 address(es) returned to net_ns'" ||
	fail "no release line naming the returned addresses"
dmesg | grep "L3 namespace $id released"
# Only unicast host addresses of non-loopback devices can be taken.
ip addr add 10.0.0.255/24 dev eth0 || fail "could not add 10.0.0.255"
out=$(member "
	echo lo127 \$(sh_write $D/info 'lo 127.0.0.1')
	echo bcast \$(sh_write $D/info 'eth0 10.0.0.255')")
ip addr del 10.0.0.255/24 dev eth0
expect "the loopback device's 127.0.0.1" "errno EADDRNOTAVAIL" "$(echo "$out" | sed -n 's/^lo127 //p')"
expect "a subnet's broadcast address" "errno EADDRNOTAVAIL" "$(echo "$out" | sed -n 's/^bcast //p')"
expect "127.0.0.1 still works for the parent" "ok 127.0.0.1" "$(l3ns-probe connect udp 127.0.0.1 9)"
out=$(member "
	echo nodev \$(sh_write $D/info 'nosuch0 10.0.0.2')
	echo notondev \$(sh_write $D/info 'eth0 10.9.9.9')
	echo badlabel \$(sh_write $D/info 'eth0:1 10.0.0.2')
	echo lo \$(sh_write $D/info 'lo 10.0.0.2')
	for bad in '999.0.0.1' 'eth0' 'eth0 10.0.0.2 x' 'eth0  10.0.0.2' 'eth0 10.0.0' 'eth0 10.0.0.2\n\n'; do
		echo malformed \$(sh_write $D/info \"\$bad\")
	done
	echo ok \$(sh_write $D/info 'eth0 10.0.0.3')
	echo again \$(sh_write $D/info 'eth0 10.0.0.3')")
echo "$out"
expect "unknown device" "errno ENODEV" "$(echo "$out" | sed -n 's/^nodev //p')"
expect "address not on the device" "errno EADDRNOTAVAIL" "$(echo "$out" | sed -n 's/^notondev //p')"
expect "label mismatch" "errno EADDRNOTAVAIL" "$(echo "$out" | sed -n 's/^badlabel //p')"
expect "address on another device" "errno EADDRNOTAVAIL" "$(echo "$out" | sed -n 's/^lo //p')"
assert_eq "malformed inputs all EINVAL" "errno EINVAL" "$(echo "$out" | sed -n 's/^malformed //p' | sort -u)"
assert_eq "malformed input count" 6 "$(echo "$out" | grep -c '^malformed ')"
expect "valid take" "ok" "$(echo "$out" | sed -n 's/^ok //p')"
expect "taking an owned address again is idempotent" "ok" "$(echo "$out" | sed -n 's/^again //p')"
expect "take from layer 2" "errno EPERM" "$(l3ns-probe write $D/info 'eth0 10.0.0.2')"
# Exclusive: while A holds 10.0.0.2, B gets EBUSY.
sh -c "$(member_sh "echo 'eth0 10.0.0.2' > $D/info; exec sleep 5")" & holder=$!
wait_for sh -c "grep -q '10.0.0.2/24' $D/children" || fail "A did not take 10.0.0.2"
expect "another namespace's address" "errno EBUSY" "$(member "sh_write $D/info 'eth0 10.0.0.2'")"
kill $holder; wait $holder 2>/dev/null || true
grep -q '10.0.0.2/24' $D/children && fail "10.0.0.2 not returned as soon as A was waited for"
expect "the next namespace takes it at once" "ok" "$(member "sh_write $D/info 'eth0 10.0.0.2'")"
long=$(printf '%0300d' 0)
expect "oversized write" "errno EINVAL" "$(member "sh_write $D/info $long")"
