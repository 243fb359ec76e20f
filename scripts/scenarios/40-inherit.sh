# Everything a member starts afterwards inherits its L3 namespace: children,
# grandchildren, subshells, background jobs, exec, threads. Other tasks do
# not.
ensure_loaded
cat > /tmp/show.sh <<'X'
sed -n 's/^id: //p' /sys/kernel/debug/net_ns/info
X
cat > /tmp/member.sh <<'X'
echo 3 > /sys/kernel/debug/net_ns/start || exit 1
echo "self $(sh /tmp/show.sh)"
echo "grandchild $(sh -c 'sh /tmp/show.sh')"
echo "exec $(sh -c 'exec sh /tmp/show.sh')"
sh /tmp/show.sh > /tmp/bg.out & wait
echo "background $(cat /tmp/bg.out)"
l3ns-probe thread /sys/kernel/debug/net_ns/info
sleep 2 & sleep 2 &
echo "members $(sed -n 's/^members: //p' /sys/kernel/debug/net_ns/info)"
kill %1 %2 2>/dev/null
X
out=$(sh /tmp/member.sh) || fail "member script failed: $out"
echo "$out"
id=$(echo "$out" | sed -n 's/^self //p')
assert_ge "self id" 1 "$id"
for how in grandchild exec background thread; do
	assert_eq "$how inherits" "$id" "$(echo "$out" | sed -n "s/^$how //p")"
done
assert_ge "members with two background sleeps" 3 "$(echo "$out" | sed -n 's/^members //p')"
assert_eq "an unrelated shell is not a member" "" "$(sh /tmp/show.sh)"
