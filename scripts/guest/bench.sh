# SPDX-License-Identifier: GPL-2.0
# `make bench`: wall-clock costs inside the TCG guest, as ratios within one
# boot (absolute numbers under TCG mean little). Interleaved rounds.
D=/sys/kernel/debug/net_ns
now() { cut -d' ' -f1 /proc/uptime | tr -d .; }   # centiseconds
forks() { i=0; while [ $i -lt 300 ]; do /bin/true; i=$((i + 1)); done; }
pings() { ping -c 200 -i 0 -q 127.0.0.1 >/dev/null 2>&1 || ping -c 50 -q 127.0.0.1 >/dev/null; }
measure() { t0=$(now); "$@"; t1=$(now); echo $((t1 - t0)); }
echo "round unloaded_fork_cs loaded_fork_cs member_fork_cs unloaded_ping_cs loaded_ping_cs"
for r in 1 2 3; do
	a=$(measure forks); pa=$(measure pings)
	insmod /l3ns.ko
	b=$(measure forks); pb=$(measure pings)
	c=$(sh -c "echo 3 > $D/start; t0=\$(cut -d' ' -f1 /proc/uptime | tr -d .); i=0; while [ \$i -lt 300 ]; do /bin/true; i=\$((i+1)); done; t1=\$(cut -d' ' -f1 /proc/uptime | tr -d .); echo \$((t1-t0))")
	rmmod l3ns
	echo "$r $a $b $c $pa $pb"
done
