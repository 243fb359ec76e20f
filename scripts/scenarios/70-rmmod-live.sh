# rmmod with live L3 namespaces and traffic: everything is unregistered and
# freed (the module's own counters reach zero in dmesg), no oops, and the
# module loads again.
ensure_loaded
sh -c "echo 3 > $D/start; exec sleep 30" & sleeper=$!
sh -c "echo 3 > $D/start; while :; do sh -c true; done" & forker=$!
( while :; do ping -c 1 -W 1 127.0.0.1 >/dev/null; done ) & pinger=$!
wait_for sh -c "[ \$(sed -n 's/^l3_children: //p' $D/info) -ge 2 ]" || fail "namespaces not created"
usleep 300000
rmmod l3ns || fail "rmmod failed"
[ -d $D ] && fail "net_ns/ still exists after rmmod"
line=$(dmesg | grep 'l3ns: unloaded:' | tail -1)
echo "$line"
case $line in *"0 task tags, 0 socket tags, 0 addresses, 0 namespaces left"*) note "ok: counters at zero" ;; *) fail "unload left objects: $line" ;; esac
dmesg | grep -q "l3ns: unload: L3 namespace .* dissolved" || fail "no dissolve line"
kill $forker $pinger 2>/dev/null; wait $forker $pinger 2>/dev/null
insmod $KO || fail "reload failed"
assert_eq "sleeper is no longer a member after reload" "layer 2" "$(sed -n 's/^level: //p' $D/info)"
kill $sleeper 2>/dev/null
for i in 1 2 3; do rmmod l3ns && insmod $KO || fail "load/unload cycle $i failed"; done
