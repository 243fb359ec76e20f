# SPDX-License-Identifier: GPL-2.0
# `make bench`, guest side (Documentation/performance.rst): five workloads
# (probe_bench.c) in each configuration, configurations interleaved in
# rounds in this one boot, then the scaling series (probe_scale.c). Every
# measurement is one line for scripts/bench_report.py:
#   L3NS-BENCH CFG WORKLOAD ROUND NS_PER_OP      (or "n/a REASON...")
#   L3NS-SCALE KEY=VALUE...                      (times, memory)
# The kernel command line says l3ns_clock=icount|wall (CLOCK_MONOTONIC
# counts guest instructions under icount) and l3ns_quick=1 (make test: a
# few operations per configuration, one round).
. /guest/lib.sh
clock=$(sed -n 's/.*l3ns_clock=\([a-z]*\).*/\1/p' /proc/cmdline)
quick=$(sed -n 's/.*l3ns_quick=\([01]\).*/\1/p' /proc/cmdline)
PORT=5001
WORKLOADS="tcp_rr tcp_crr tcp_stream udp_rr udp_oneway"
ops() { # WORKLOAD: operations per measurement
	case $1 in
	tcp_rr|udp_rr) n=2000 ;; tcp_crr) n=300 ;; tcp_stream) n=200 ;; udp_oneway) n=3000 ;;
	esac
	[ "$quick" = 1 ] && n=$((n / 20))
	echo $n
}
ROUNDS=5 SROUNDS=3 SCALE="2 16 256 4096" HOSTADDRS=65536 NDEV=64
[ "$clock" = wall ] && ROUNDS=3 SROUNDS=1
[ "$quick" = 1 ] && ROUNDS=1 SROUNDS=1 SCALE="2 16" HOSTADDRS=1024 NDEV=4
t_start=$(cut -d' ' -f1 /proc/uptime)
progress() { echo "l3ns bench: [$(cut -d' ' -f1 /proc/uptime)s] $*"; }

# The module, as a Debian host loads it, with the limits of the scaling
# series if it takes them (else its maxima today, else its defaults).
load() { if [ -d /lib/modules/$(uname -r) ]; then modprobe l3ns $LOADARGS; else insmod $KO $LOADARGS; fi; }
unload() {
	wait_for sh -c ". /guest/lib.sh; [ \"\$(info_get l3_children)\" = 0 ]" || echo "l3ns bench: L3 namespaces still alive"
	rmmod l3ns || echo "l3ns bench: rmmod failed"
}
for LOADARGS in "max_namespaces=4096 max_addrs=65536" "max_namespaces=255 max_addrs=512" ""; do
	load 2>/dev/null && break
done
MAXNS=$(cat /sys/module/l3ns/parameters/max_namespaces) MAXADDRS=$(cat /sys/module/l3ns/parameters/max_addrs)
MAXADDRS_DOC=512	# today's documented maximum
unload
echo "L3NS-SCALE module_args=\"${LOADARGS:-none}\" max_namespaces=$MAXNS max_addrs=$MAXADDRS clock=$clock"

# (Linking kinds from modules are not autoloaded: no /sbin/modprobe here.)
[ -d /lib/modules/$(uname -r) ] && modprobe ipvlan
ip link set dummy0 name eth0 && ip link set eth0 up
for a in 10.0.0.1 10.0.0.2 10.0.0.3; do ip addr add $a/24 dev eth0; done

# Two L2 namespaces per alternative (client C*, server S*), each held by
# a sleeping process; nsx PID TEXT runs shell TEXT in PID's netns.
mkns() {
	unshare -n sleep 100000 </dev/null >/dev/null 2>&1 &
	p=$!
	wait_for sh -c "[ \"\$(readlink /proc/$p/ns/net)\" != \"\$(readlink /proc/self/ns/net)\" ]" ||
		echo "l3ns bench: no netns" >&2
	echo $p
}
nsx() { l3ns-probe netns /proc/$1/ns/net sh -c "$2"; }
CE=$(mkns) SE=$(mkns) MF=$(mkns) CF=$(mkns) SF=$(mkns) CG=$(mkns) SG=$(mkns)
MTU=65535	# veth's and netkit's largest (loopback's is 65536)
ok_e=1 ok_f=1 ok_g=1
l3ns-probe link veth ve0 /proc/$CE/ns/net ve1 /proc/$SE/ns/net $MTU || ok_e=0
nsx $MF "ip link set lo up && l3ns-probe link dummy ipvm $MTU && ip link set ipvm up &&
	l3ns-probe link ipvlan ipvm iv0 /proc/$CF/ns/net $MTU && l3ns-probe link ipvlan ipvm iv1 /proc/$SF/ns/net $MTU" || ok_f=0
l3ns-probe link netkit nk0 /proc/$CG/ns/net nk1 /proc/$SG/ns/net $MTU || ok_g=0
for spec in "$CE ve0 10.1.0.2" "$SE ve1 10.1.0.3" "$CF iv0 10.2.0.2" "$SF iv1 10.2.0.3" \
	"$CG nk0 10.3.0.2" "$SG nk1 10.3.0.3"; do
	set -- $spec
	nsx $1 "ip link set lo up && ip addr add $3/24 dev $2 && ip link set $2 up" 2>/dev/null
done
for x in ve0:$CE iv0:$CF nk0:$CG; do
	echo "l3ns bench: ${x%:*} $(nsx ${x#*:} "ip link show ${x%:*}" | sed -n '1s/.*\(mtu [0-9]*\).*/\1/p')"
done

# The configurations: server and client each as shell set-up text (SH)
# and an exec wrapper (EX), with their addresses.
L3_SRV="echo 3 > $D/start && echo 'eth0 10.0.0.3' > $D/info &&"
L3_CLI="echo 3 > $D/start && echo 'eth0 10.0.0.2' > $D/info &&"
cfg() { # CFG: sets SSH SEX SADDR CSH CEX CADDR
	SSH="" SEX="" CSH="" CEX="" SADDR=10.0.0.3 CADDR=10.0.0.2
	case $1 in
	a|b) ;;
	c|h*) SSH=$L3_SRV CSH=$L3_CLI ;;
	d) SSH=$L3_SRV CADDR=10.0.0.1 ;;
	e) SEX="l3ns-probe netns /proc/$SE/ns/net" CEX="l3ns-probe netns /proc/$CE/ns/net" SADDR=10.1.0.3 CADDR=10.1.0.2 ;;
	f) SEX="l3ns-probe netns /proc/$SF/ns/net" CEX="l3ns-probe netns /proc/$CF/ns/net" SADDR=10.2.0.3 CADDR=10.2.0.2 ;;
	g) SEX="l3ns-probe netns /proc/$SG/ns/net" CEX="l3ns-probe netns /proc/$CG/ns/net" SADDR=10.3.0.3 CADDR=10.3.0.2 ;;
	esac
}
na() { # CFG ROUND REASON: a row for every workload
	for w in $WORKLOADS; do echo "L3NS-BENCH $1 $w $2 n/a $3"; done
}
run_cfg() { # CFG ROUND
	cfg "${1%%_*}"
	case $1 in e) [ $ok_e = 1 ] ;; f) [ $ok_f = 1 ] ;; g) [ $ok_g = 1 ] ;; *) true ;; esac ||
		{ na $1 $2 "(device not created)"; return; }
	rm -f /tmp/srv.out
	sh -c "$SSH exec $SEX l3ns-probe bsrv $SADDR $PORT" >/tmp/srv.out 2>&1 </dev/null &
	srv=$!
	if ! wait_for grep -q ready /tmp/srv.out; then
		na $1 $2 "(server: $(head -1 /tmp/srv.out))"
		kill_wait $srv
		return
	fi
	for w in $WORKLOADS; do
		v=$(sh -c "$CSH exec $CEX l3ns-probe bcli $w $CADDR $SADDR $PORT $(ops $w)" 2>&1 | tr '\n' ' ')
		echo "L3NS-BENCH $1 $w $2 $v"
	done
	kill $srv; wait $srv 2>/dev/null
}

r=1
while [ $r -le $ROUNDS ]; do
	progress "round $r/$ROUNDS: a e f g, then b c d (l3ns loaded)"
	for c in a e f g; do run_cfg $c $r; done
	load || echo "l3ns bench: loading l3ns failed"
	for c in b c d; do run_cfg $c $r; done
	unload
	r=$((r + 1))
done

# Scaling: (c) with 65536 addresses on dummy devices and N L3 namespaces
# alive in all (N-2 held by `hold`, which owns the addresses but the two
# of (c)). N=2 is (c) under the big address table alone.
mem() { # KEYS of /proc/meminfo in kB, space separated, then memory_bytes (or -)
	for k in Slab SUnreclaim VmallocUsed; do sed -n "s/^$k: *\([0-9]*\) kB/\1/p" /proc/meminfo; done | tr '\n' ' '
	m=$(info_get memory_bytes 2>/dev/null); echo "${m:--}"
}
memdelta() { # BEFORE AFTER: slab_kb= sunreclaim_kb= vmalloc_kb= memory_bytes=
	set -- $1 $2
	echo "slab_kb=$(($5 - $1)) sunreclaim_kb=$(($6 - $2)) vmalloc_kb=$(($7 - $3))" \
		"memory_bytes=$([ "$4" = - ] || [ "$8" = - ] && echo - || echo $(($8 - $4)))"
}
load || echo "l3ns bench: loading l3ns failed"
progress "scaling: $HOSTADDRS addresses on $NDEV dummy devices"
m0=$(mem)
out=$(l3ns-probe addrs sc $NDEV 10.64.0.1 $HOSTADDRS)
echo "l3ns bench: $out"
echo "L3NS-SCALE step=host_addrs count=$HOSTADDRS ms=$(echo "$out" | sed -n 's/.* in \([0-9]*\) ms/\1/p') $(memdelta "$m0" "$(mem)")"
PORT_H=7000
# One namespace owning many addresses: the cost of one owned address.
k=$((MAXADDRS - 2)); [ $k -gt 4096 ] && k=4096; [ "$quick" = 1 ] && k=64
hold_start() { # HOLDERS TOTAL: hold in the background (its stdin a FIFO held by fd 8)
	rm -f /tmp/hold.in /tmp/hold.out; mkfifo /tmp/hold.in
	l3ns-probe hold $1 10.64.0.1 $PORT_H $2 </tmp/hold.in >/tmp/hold.out 2>&1 &
	hold=$!
	exec 8>/tmp/hold.in
	# As long as it takes (thousands of namespaces), while hold runs.
	while ! exited $hold && ! grep -q 'ready' /tmp/hold.out; do usleep 200000; done
	grep -q ready /tmp/hold.out
}
hold_stop() { exec 8>&-; wait $hold; }
m0=$(mem)
if hold_start 1 $k; then
	m1=$(mem); hold_stop
	echo "L3NS-SCALE step=owned_addrs count=$k $(memdelta "$m0" "$m1")"
else
	echo "L3NS-SCALE step=owned_addrs count=$k n/a $(head -1 /tmp/hold.out)"; hold_stop
fi
for n in $SCALE; do
	h=$((n - 2)) owned=$((HOSTADDRS < MAXADDRS ? HOSTADDRS : MAXADDRS))
	owned=$((owned - 2)); [ $h = 0 ] && owned=0
	if [ $n -gt "$MAXNS" ]; then
		echo "L3NS-SCALE step=hold n=$n n/a (module limit: max_namespaces=$MAXNS)"
		r=1; while [ $r -le $SROUNDS ]; do na h$n $r "(module limit)"; r=$((r + 1)); done
		continue
	fi
	progress "scaling: $n namespaces ($h held), $owned addresses owned"
	# A module that takes max_addrs=65536 but holds fewer: as many as it
	# takes (its documented 512, else one per namespace), said in the row.
	for o in $owned $((MAXADDRS_DOC - 2)) $h; do
		[ $o -le $owned ] || continue
		m0=$(mem)
		{ [ $h = 0 ] || hold_start $h $o; } && break
		hold_stop
	done
	owned=$o
	if [ $h -gt 0 ] && ! grep -q ready /tmp/hold.out; then
		why=$(head -1 /tmp/hold.out)
		echo "L3NS-SCALE step=hold n=$n n/a ($why)"
		r=1; while [ $r -le $SROUNDS ]; do na h$n $r "(module limit: $why)"; r=$((r + 1)); done
		continue
	fi
	m1=$(mem)
	if [ $h -gt 0 ]; then
		# From 10.0.0.1: unbound, the parent's connect to a child's /32
		# on a dummy fails today (EINVAL; the FIB's source is the child's).
		ask=$(l3ns-probe ask $h 10.64.0.1 $PORT_H 10.0.0.1 2>&1 | sed -n "1p;\$p" | tr "\n" " ")
		unb=$(l3ns-probe ask $h 10.64.0.1 $PORT_H 2>&1 | sed -n "1p;\$p" | tr "\n" " ")
		echo "L3NS-SCALE step=hold n=$n held=$h owned=$owned" \
			"create_ms=$(sed -n 's/.* ready in \([0-9]*\) ms/\1/p' /tmp/hold.out) $(memdelta "$m0" "$m1") ask=\"$ask\" ask_unbound=\"$unb\""
	fi
	r=1; while [ $r -le $SROUNDS ]; do run_cfg h$n $r; r=$((r + 1)); done
	if [ $h -gt 0 ]; then
		hold_stop
		echo "L3NS-SCALE step=release n=$n release_ms=$(sed -n 's/.*released in \([0-9]*\) ms/\1/p' /tmp/hold.out)" \
			"$(memdelta "$m0" "$(mem)")"
	fi
done
unload
progress "done in $(echo "$(cut -d' ' -f1 /proc/uptime) $t_start" | awk '{printf "%d", $1 - $2}') s"
