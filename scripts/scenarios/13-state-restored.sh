# Issue 14.3, second half: what scenario 12 left is gone before this one
# starts (whether 12 passed or failed, the runner does the same).
ensure_loaded
expect "L3 namespaces alive" 0 "$(info_get l3_children)"
ip link show dummy7 >/dev/null 2>&1 && fail "dummy7 is still there"
note "ok: no dummy7"
ip -4 addr show | grep -q ' 10\.0\.0\.77/' && fail "10.0.0.77 is still assigned"
note "ok: no 10.0.0.77"
ip -4 route show | grep -q '^10\.77\.0\.0/16' && fail "the route 10.77.0.0/16 is still there"
note "ok: no 10.77.0.0/16 route"
expect "ip_forward" 0 "$(cat /proc/sys/net/ipv4/ip_forward)"
[ -e /tmp/leftover ] && fail "/tmp/leftover is still there"
note "ok: /tmp is empty of it"
for p in /proc/[0-9]*; do
	case $(tr '\0' ' ' <$p/cmdline 2>/dev/null) in "sleep 300 ") fail "a sleep 300 is still running (pid ${p#/proc/})" ;; esac
done
note "ok: no process of scenario 12"
# The device the runner renamed back is usable again.
net_setup
expect "eth0 has its addresses" 4 "$(ip -4 addr show dev eth0 | grep -c 'inet 10\.0\.0\.')"
