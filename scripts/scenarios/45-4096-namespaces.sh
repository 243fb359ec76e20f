# l3ns-timeout: 300
# 4096 L3 namespaces at once (issue 13.4), stock kernel only (its speed and
# the 2 GB guest; the test kernel's lockdep makes this take too long): each
# owns its own address 10.64.x.y (4096 /32s on 16 dummy devices) and serves
# it on port 7000 through one listening socket, passed to one collector
# process (`l3ns-probe hold`) -- the socket alone keeps its namespace alive.
# Every one answers with its own address; after the collector closes them
# every namespace is gone, the addresses are the parent's again, and the
# module's tables are back near where they started (the namespace chunks
# stay until unload; the address array is freed with the last address).
if [ ! -d "/lib/modules/$(uname -r)" ]; then
	note "skipped: stock kernel only"
	exit 0
fi
N=4096
rmmod l3ns 2>/dev/null
insmod $KO max_namespaces=$N max_addrs=$N || fail "insmod max_namespaces=$N failed"
net_setup
mem0=$(info_get memory_bytes)
out=$(l3ns-probe addrs sc 16 10.64.0.1 $N) || fail "addrs: $out"
note "$out"
rm -f /tmp/hold.in /tmp/hold.out
mkfifo /tmp/hold.in
l3ns-probe hold $N 10.64.0.1 7000 </tmp/hold.in >/tmp/hold.out 2>&1 &
hold=$!
exec 8>/tmp/hold.in
while ! exited $hold && ! grep -q ready /tmp/hold.out; do usleep 200000; done
grep -q "hold: $N namespaces ready" /tmp/hold.out || fail "hold: $(cat /tmp/hold.out)"
note "$(grep ready /tmp/hold.out)"
expect "L3 children" $N "$(info_get l3_children)"
mem1=$(info_get memory_bytes)
note "memory_bytes: $mem0 before, $mem1 with $N namespaces and $N owned addresses"
expect "all answer, each with its own address" "ask: $N answered, 0 wrong" \
	"$(l3ns-probe ask $N 10.64.0.1 7000 10.0.0.1 2>&1 | tail -1)"
expect "the parent cannot bind a child's address" "errno EADDRNOTAVAIL" \
	"$(l3ns-probe bind tcp 10.64.16.0 7001)"
exec 8>&-
wait $hold
grep -q "hold: released" /tmp/hold.out || fail "hold did not release: $(tail -2 /tmp/hold.out)"
note "$(grep released /tmp/hold.out)"
wait_for sh -c ". /guest/lib.sh; [ \"\$(info_get l3_children)\" = 0 ]" ||
	fail "namespaces left after release: $(info_get l3_children)"
note "ok: no L3 child left"
expect "the last one's address is the parent's again" "ok 10.64.16.0" \
	"$(l3ns-probe bind tcp 10.64.16.0 7001)"
expect "the first one's too" "ok 10.64.0.1" "$(l3ns-probe bind tcp 10.64.0.1 7001)"
# The reaper returns the addresses (the array is freed with the last)
# just after the namespaces ended.
top=$((mem0 + 64 * 4096))
i=0
while [ "$(info_get memory_bytes)" -gt $top ] && [ $i -lt 300 ]; do usleep 200000; i=$((i + 1)); done
mem2=$(info_get memory_bytes)
note "memory_bytes after release: $mem2 (reaped in about $((i / 5)) s)"
# Only the namespace chunks (64 slots each) stay allocated until unload.
assert_ge "memory_bytes back near its start (at most 64 chunks of 4096 bytes above)" \
	$mem2 $top
[ "$mem2" -ge "$mem0" ] || fail "memory_bytes below its start: $mem2 < $mem0"
rm -f /tmp/hold.in /tmp/hold.out
i=0
while [ $i -lt 16 ]; do ip link del sc$i 2>/dev/null; i=$((i + 1)); done
rmmod l3ns && insmod $KO || fail "reload with defaults failed"
