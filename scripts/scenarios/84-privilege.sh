# Members cannot change the shared stack, create or enter network
# namespaces, open AF_PACKET sockets, or unload l3ns; the parent still can
# do all of it.
ensure_loaded
net_setup
cat > /tmp/priv.sh <<'X'
r() { if "$@" >/tmp/priv.err 2>&1; then echo "ok"; else echo "fail: $(head -1 /tmp/priv.err)"; fi; }
echo "addr-add => $(r ip addr add 10.0.0.9/24 dev eth0)"
echo "link-set => $(r ip link set eth0 mtu 1400)"
echo "route-add => $(r ip route add 10.9.0.0/16 dev eth0)"
echo "unshare => $(r unshare -n true)"
echo "setns => $(r nsenter --net=/proc/1/ns/net true)"
echo "rmmod => $(r rmmod l3ns)"
echo "packet => $(l3ns-probe socket packet)"
echo "inet => $(l3ns-probe socket inet)"
echo "unix => $(l3ns-probe socket unix)"
echo "udplite => $(l3ns-probe socket3 2 2 136)"
echo "level => $(sed -n 's/^level: //p' /sys/kernel/debug/net_ns/info)"
echo "refusals => $(sed -n 's/^refusals: //p' /sys/kernel/debug/net_ns/info)"
X
out=$(member "sh /tmp/priv.sh")
echo "$out"
r() { echo "$out" | sed -n "s/^$1 => //p"; }
for op in addr-add link-set route-add unshare setns rmmod; do
	case $(r $op) in fail:*"ermitted"*) note "ok: member $op refused: $(r $op)" ;; *) fail "member $op: $(r $op)" ;; esac
done
expect "member AF_PACKET socket" "errno EPERM" "$(r packet)"
expect "member AF_INET socket" "ok socket" "$(r inet)"
expect "member AF_UNIX socket" "ok socket" "$(r unix)"
expect "member UDP-Lite socket (not virtualized)" "errno EPROTONOSUPPORT" "$(r udplite)"
expect "still in the namespace" "layer 3" "$(r level)"
assert_ge "refusals counted" 7 "$(r refusals)"
[ -d $D ] || fail "l3ns was unloaded from inside"
# The parent keeps its privileges.
ip addr add 10.0.0.9/24 dev eth0 || fail "parent ip addr add failed"
ip addr del 10.0.0.9/24 dev eth0 || fail "parent ip addr del failed"
expect "parent AF_PACKET socket" "ok socket" "$(l3ns-probe socket packet)"
unshare -n true || fail "parent unshare -n failed"
