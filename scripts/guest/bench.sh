# SPDX-License-Identifier: GPL-2.0
# `make bench`: what l3ns costs, measured inside the TCG guest with
# l3ns-probe. Absolute TCG numbers mean little; compare the columns of one
# boot. Configurations are interleaved over rounds so drift hits all alike.
D=/sys/kernel/debug/net_ns
ip link set dummy0 name eth0 && ip link set eth0 up && ip addr add 10.0.0.1/24 dev eth0 && ip addr add 10.0.0.2/24 dev eth0
ROUNDS=6
set -- "udp 6000" "wild 6000" "connect 2000" "bind 2000" "fork 200"
echo "l3ns bench: average ns per operation (TCG guest, $ROUNDS interleaved rounds)"
printf '%-8s %12s %12s %12s %10s %10s\n' op unloaded loaded member loaded/un member/un
for spec in "$@"; do
	op=${spec% *}; n=${spec#* }
	u=0 l=0 m=0
	for r in $(seq $ROUNDS); do
		u=$((u + $(l3ns-probe bench $op $n)))
		insmod /l3ns.ko || modprobe l3ns
		l=$((l + $(l3ns-probe bench $op $n)))
		m=$((m + $(sh -c "echo 3 > $D/start; echo 'eth0 10.0.0.2' > $D/info; l3ns-probe bench $op $n")))
		rmmod l3ns
	done
	printf '%-8s %12d %12d %12d %9d%% %9d%%\n' $op $((u / ROUNDS)) $((l / ROUNDS)) $((m / ROUNDS)) \
		$((100 * l / u)) $((100 * m / u))
done
echo "loaded: l3ns loaded, the measuring task in no L3 namespace;"
echo "member: a task in an L3 namespace owning 10.0.0.2 (its loopback traffic, binds, forks)."
echo "udp: loopback datagrams to a bound port; wild: to a 0.0.0.0:7000 socket (a member's"
echo "sits on a hidden port: every datagram is steered at LOCAL_IN)."
