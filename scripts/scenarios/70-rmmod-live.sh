# rmmod with live L3 namespaces and traffic: everything is unregistered and
# freed (the module's own counters reach zero in dmesg), no oops, and the
# module loads again.
ensure_loaded
net_setup
# One namespace owns an address and serves on it while l3ns goes away.
mkdir -p /tmp/wwwR && echo "still here" >/tmp/wwwR/index.html
sh -c "echo 3 > $D/start; echo 'eth0 10.0.0.2' > $D/info; exec httpd -f -p 10.0.0.2:8090 -h /tmp/wwwR" & server=$!
sh -c "echo 3 > $D/start; exec sleep 30" & sleeper=$!
# A wildcard UDP server on 10.0.0.3: its socket holds a hidden port (and a
# port tag), and a client keeps it busy (steered at LOCAL_IN) during rmmod.
sh -c "echo 3 > $D/start; echo 'eth0 10.0.0.3' > $D/info; exec l3ns-probe serve udpR 8091 30" >/tmp/udpR & udpsrv=$!
sh -c "echo 3 > $D/start; while :; do sh -c true; done" & forker=$!
( while :; do ping -c 1 -W 1 127.0.0.1 >/dev/null; done ) & pinger=$!
wait_for sh -c "[ \$(sed -n 's/^l3_children: //p' $D/info) -ge 4 ]" || fail "namespaces not created"
bg_ready /tmp/udpR
assert_ge "a hidden port is held" 1 "$(info_get hidden_ports)"
expect "the UDP server answers through its hidden port" "ok udpR from 10.0.0.3 8091" "$(l3ns-probe ask 10.0.0.3 8091)"
( while :; do l3ns-probe ask 10.0.0.3 8091 >/dev/null; done ) & asker=$!
wait_for sh -c "grep -q '10.0.0.2/24' $D/children" || fail "server namespace has no address"
expect "the parent does not see the owned address" "" "$(ip -4 addr show dev eth0 | grep 'inet 10.0.0.2/')"
usleep 300000
rmmod l3ns || fail "rmmod failed"
[ -d $D ] && fail "net_ns/ still exists after rmmod"
line=$(dmesg | grep 'l3ns: unloaded:' | tail -1)
echo "$line"
case $line in *"0 task tags, 0 socket tags, 0 port tags, 0 addresses, 0 namespaces left"*) note "ok: counters at zero" ;; *) fail "unload left objects: $line" ;; esac
dmesg | grep -q "l3ns: unload: L3 namespace .* dissolved" || fail "no dissolve line"
dmesg | grep -q "address(es) returned to net_ns [0-9]*: 10.0.0.2/24" || fail "no line returning 10.0.0.2"
dmesg | grep -q "address(es) returned to net_ns [0-9]*: 10.0.0.3/24" || fail "no line returning 10.0.0.3"
expect "the address is visible to the parent again" "inet 10.0.0.2/24" "$(ip -4 addr show dev eth0 | grep -o 'inet 10.0.0.2/24')"
expect "the open server keeps serving after unload" "still here" "$(timeout 5 wget -q -O - http://10.0.0.2:8090/)"
kill $forker $pinger $server $udpsrv $asker 2>/dev/null; wait $forker $pinger $server $udpsrv $asker 2>/dev/null
insmod $KO || fail "reload failed"
assert_eq "sleeper is no longer a member after reload" "layer 2" "$(sed -n 's/^level: //p' $D/info)"
kill $sleeper 2>/dev/null
for i in 1 2 3; do rmmod l3ns && insmod $KO || fail "load/unload cycle $i failed"; done
# An open control file holds a reference on the module (its file operations'
# owner): rmmod refuses until it is closed.
exec 5<$D/info
rmmod l3ns 2>/dev/null && fail "rmmod succeeded with net_ns/info open"
exec 5<&-
rmmod l3ns && insmod $KO || fail "unload after closing net_ns/info failed"
