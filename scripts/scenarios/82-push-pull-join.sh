# The parent pushes and pulls addresses by id without entering the child,
# lists children, and can join one (like `ip netns exec`). Deleting an
# owned address ends the ownership with one dmesg line.
ensure_loaded
net_setup
sh -c "$(member_sh 'exec sleep 30')" & sleeper=$!
wait_for sh -c "[ -n \"\$(sed -n '2,\$p' $D/children)\" ]" || fail "child not listed"
id=$(child_ids | tail -1)
cat $D/children
write_ok "push" $D/addr "push $id eth0 10.0.0.3"
assert_eq "children lists the address" "$id 1 0 0 10.0.0.3/24" "$(grep "^$id " $D/children)"
expect "parent cannot bind the child's address" "errno EADDRNOTAVAIL" "$(l3ns-probe bind tcp 10.0.0.3 0)"
out=$(sh -c ". /guest/lib.sh; echo $id > $D/join && info_get id && l3ns-probe bind tcp 10.0.0.3 0")
assert_eq "join enters the child" "$id
ok 10.0.0.3" "$out"
expect "push to an unknown id" "errno ENOENT" "$(l3ns-probe write $D/addr 'push 999 eth0 10.0.0.2')"
expect "pull an address the child does not own" "errno EADDRNOTAVAIL" "$(l3ns-probe write $D/addr "pull $id 10.0.0.2")"
expect "push of another device's address" "errno EADDRNOTAVAIL" "$(l3ns-probe write $D/addr "push $id lo 10.0.0.2")"
expect "malformed addr command" "errno EINVAL" "$(l3ns-probe write $D/addr "give $id 10.0.0.2")"
expect "a member cannot use addr (the open guard)" "errno EACCES" "$(member "l3ns-probe write $D/addr 'pull $id 10.0.0.3'")"
expect "a member cannot join (the open guard)" "errno EACCES" "$(member "l3ns-probe write $D/join $id")"
expect "a member cannot list children" "" "$(member "cat $D/children 2>/dev/null")"
write_ok "pull" $D/addr "pull $id 10.0.0.3"
expect "parent binds it again" "ok 10.0.0.3" "$(l3ns-probe bind tcp 10.0.0.3 0)"
# Deleting an owned address from the parent ends the ownership.
l3ns-probe write $D/addr "push $id eth0 10.0.0.3" >/dev/null
ip addr del 10.0.0.3/24 dev eth0 || fail "ip addr del failed"
dmesg | grep -q "10.0.0.3 was deleted from its device: L3 namespace $id no longer owns it" || fail "no deletion line"
assert_eq "children after deletion" "$id 1 0 0 -" "$(grep "^$id " $D/children)"
ip addr add 10.0.0.3/24 dev eth0
# A device going away ends the ownership of its addresses too.
ip link add dummy9 type dummy || fail "cannot create dummy9"
ip addr add 10.9.0.2/24 dev dummy9
write_ok "push on a second device" $D/addr "push $id dummy9 10.9.0.2"
ip link del dummy9 || fail "cannot delete dummy9"
dmesg | grep -q "10.9.0.2 was deleted from its device: L3 namespace $id no longer owns it" || fail "no line for the vanished device"
assert_eq "children after the device went away" "$id 1 0 0 -" "$(grep "^$id " $D/children)"
kill $sleeper; wait $sleeper 2>/dev/null || true
