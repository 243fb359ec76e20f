# bind(): a member may bind its own addresses, their subnet's network and
# broadcast addresses, 127/8, INADDR_ANY, 255.255.255.255 and multicast;
# everything else is EADDRNOTAVAIL (TCP, UDP, raw, dual-stack; IPv6 but
# :: of a dual-stack socket). The parent
# may not bind what a child owns.
ensure_loaded
net_setup
cat > /tmp/bind-checks.sh <<'X'
echo 'eth0 10.0.0.2' > /sys/kernel/debug/net_ns/info || exit 1
for c in "tcp 10.0.0.2" "tcp 10.0.0.1" "tcp 10.0.0.3" "tcp 0.0.0.0" "tcp 127.0.0.1" "tcp 127.0.0.3" "tcp 127.0.2.3" \
	"udp 255.255.255.255" "udp 10.0.0.255" "udp 224.0.0.251" "udp 192.168.1.1" \
	"raw 10.0.0.2" "raw 10.0.0.1" "tcp6 ::ffff:10.0.0.2" "tcp6 ::ffff:10.0.0.1" "tcp6 ::" \
	"tcp6 ::1" "udp6 2001:db8::1"; do
	echo "$c => $(l3ns-probe bind $c 0)"
done
echo "refusals => $(sed -n 's/^refusals: //p' /sys/kernel/debug/net_ns/info)"
X
# Sourced, not run: an execve() would seal the namespace before it takes.
out=$(member ". /tmp/bind-checks.sh")
# Its namespace ended when the member was waited for: 10.0.0.2 is free.
grep -q '10.0.0.2/24' $D/children && { cat $D/children; fail "10.0.0.2 not returned"; }
echo "$out"
r() { echo "$out" | sed -n "s/^$1 => //p"; }
for ok in "tcp 10.0.0.2" "tcp 0.0.0.0" "tcp 127.0.0.1" "tcp 127.0.0.3" "udp 255.255.255.255" \
	"udp 10.0.0.255" "udp 224.0.0.251" "raw 10.0.0.2" "tcp6 ::"; do
	case $(r "$ok") in ok*) note "ok: member bind $ok allowed" ;; *) fail "member bind $ok: $(r "$ok")" ;; esac
done
expect "v4-mapped own address" "ok ::ffff:10.0.0.2" "$(r 'tcp6 ::ffff:10.0.0.2')"
# (no IPv6 for members: ::1 too, scenario 98; a member's loopback is its
# copy of 127.0.0.0/24: the parent's other 127.0.x.y are not its)
for bad in "tcp 127.0.2.3" "tcp 10.0.0.1" "tcp 10.0.0.3" "udp 192.168.1.1" "raw 10.0.0.1" "tcp6 ::ffff:10.0.0.1" "udp6 2001:db8::1" \
	"tcp6 ::1"; do
	expect "member bind $bad" "errno EADDRNOTAVAIL" "$(r "$bad")"
done
assert_ge "refusals counted" 7 "$(r refusals)"
sh -c "$(member_sh "echo 'eth0 10.0.0.2' > $D/info; exec sleep 5")" & holder=$!
wait_for sh -c "grep -q '10.0.0.2/24' $D/children" || fail "child did not take 10.0.0.2"
expect "parent bind of a child's address" "errno EADDRNOTAVAIL" "$(l3ns-probe bind udp 10.0.0.2 0)"
expect "parent dual-stack bind of it" "errno EADDRNOTAVAIL" "$(l3ns-probe bind udp6 ::ffff:10.0.0.2 0)"
expect "parent bind of its own address" "ok 10.0.0.1" "$(l3ns-probe bind tcp 10.0.0.1 0)"
kill $holder; wait $holder 2>/dev/null || true
grep -q '10.0.0.2/24' $D/children && { cat $D/children; fail "10.0.0.2 still owned"; }
expect "parent binds it after the child died" "ok 10.0.0.2" "$(l3ns-probe bind udp 10.0.0.2 0)"
# With ip_nonlocal_bind the kernel itself accepts any address: what is
# refused now is refused by l3ns alone; the subnet's network address (not a
# local address for the kernel) is allowed by l3ns.
sysctl -qw net.ipv4.ip_nonlocal_bind=1
out=$(member "echo 'eth0 10.0.0.2' > $D/info; for a in 10.0.0.0 10.0.0.3 192.168.1.1 10.0.0.2; do echo \"\$a => \$(l3ns-probe bind udp \$a 0)\"; done")
sysctl -qw net.ipv4.ip_nonlocal_bind=0
echo "$out"
expect "nonlocal: network address" "ok 10.0.0.0" "$(r 10.0.0.0)"
expect "nonlocal: parent address" "errno EADDRNOTAVAIL" "$(r 10.0.0.3)"
expect "nonlocal: foreign address" "errno EADDRNOTAVAIL" "$(r 192.168.1.1)"
expect "nonlocal: own address" "ok 10.0.0.2" "$(r 10.0.0.2)"
