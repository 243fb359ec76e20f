# SPDX-License-Identifier: GPL-2.0
# `make profile`, guest side (Documentation/performance.rst, "Where the
# cost is"): where config (c) of make bench spends the instructions it adds
# over (a). Booted under QEMU icount (one guest ns == one guest
# instruction), the stock kernel has no CONFIG_FUNCTION_PROFILER, so this
# uses the function_graph tracer: every traced function's duration (with
# sleep-time off) is the instructions it executed. Each workload is run
# untraced (the instr/op of make bench) and then traced, per configuration:
#   L3NS-PROF-RUN CFG WORKLOAD OPS UNTRACED_NS_PER_OP TRACED_NS_PER_OP CALLS
#   L3NS-PROF CFG WORKLOAD FUNCTION CALLS INCL_NS SELF_NS TRACED_DESCENDANTS
# (CALLS: traced calls in all; OPS counts the client's untimed warm-up too.)
# scripts/profile_report.py turns them into the tables.
. /guest/lib.sh
T=/sys/kernel/tracing
PORT=5001
WORKLOADS="udp_rr tcp_crr tcp_rr udp_oneway"
ops() { case $1 in tcp_rr|udp_rr) echo 2000 ;; tcp_crr) echo 300 ;; udp_oneway) echo 3000 ;; esac; }
# The kernel functions l3ns hooks (ftrace sites, initramfs.sh's list), the
# netfilter slow path its hooks put every packet on, and the syscall-level
# and IP-level functions around them.
KFUNCS="$(cat /guest/hooked-functions) nf_hook_slow __ip_local_out ip_local_deliver
	ip_rcv udp_sendmsg udp_recvmsg tcp_sendmsg tcp_v4_connect inet_csk_accept __sys_connect
	__sys_sendto __sys_recvfrom __sys_accept4 __sys_socket __x64_sys_close
	__udp4_lib_lookup __inet_lookup_established __inet_lookup_listener"
# l3ns_prof=lean on the kernel command line (scripts/profile.sh): none of the
# functions l3ns hooks, only their callers, so that each hooked site keeps
# l3ns's ftrace_ops alone (the dedicated trampoline of an untraced run, not
# ftrace's list function); nothing of l3ns traced.
lean=$(sed -n 's/.*l3ns_prof=\([a-z]*\).*/\1/p' /proc/cmdline)
[ "$lean" = lean ] && KFUNCS="nf_hook_slow sk_filter_trim_cap __sys_sendto udp_sendmsg tcp_sendmsg
	__sys_connect tcp_v4_connect __sys_recvfrom __sys_socket __sys_bind __sys_accept4 __fput
	ip_rcv ip_local_deliver __ip_local_out inet_csk_clone_lock"

ip link set dummy0 name eth0 && ip link set eth0 up
for a in 10.0.0.1 10.0.0.2 10.0.0.3; do ip addr add $a/24 dev eth0; done
echo 0 > $T/tracing_on
echo 65536 > $T/buffer_size_kb

filter() { # [l3ns]: the traced functions
	: > $T/set_ftrace_filter
	for f in $KFUNCS; do echo "$f" >> $T/set_ftrace_filter 2>/dev/null; done
	if [ "${1:-}" = l3ns ] && [ "$lean" != lean ]; then
		echo ':mod:l3ns' >> $T/set_ftrace_filter 2>/dev/null || echo "l3ns profile: :mod:l3ns not traceable"
		echo "l3ns profile: traceable in l3ns: $(grep '\[l3ns\]' $T/available_filter_functions | cut -d' ' -f1 | tr '\n' ' ')"
	fi
	echo "l3ns profile: $(wc -l < $T/set_ftrace_filter) functions traced ($(grep -c '\[l3ns\]' $T/available_filter_functions) of l3ns traceable)"
}
graph_on() {
	echo function_graph > $T/current_tracer
	for o in funcgraph-proc funcgraph-tail; do echo 1 > $T/options/$o; done
	for o in funcgraph-overhead funcgraph-cpu sleep-time; do echo 0 > $T/options/$o; done
	: > $T/trace
}
# Per pid a stack of open traced calls: inclusive and self durations, and
# how many traced calls ran inside (each of those adds the tracer's cost).
summarise() { # CFG WORKLOAD
	awk -v tag="$1 $2" -F'|' '
	function rec(n, i, s, k) { calls[n]++; inc[n] += i; sel[n] += s; desc[n] += k; total++ }
	NF >= 3 {
		pid = $1; sub(/.*-/, "", pid); sub(/ .*/, "", pid)
		d = 0; if (match($2, /[0-9]+\.[0-9]+/)) d = substr($2, RSTART, RLENGTH) * 1000
		b = $3; for (j = 4; j <= NF; j++) b = b "|" $j
		sub(/^ +/, "", b); sub(/ +$/, "", b)
		if (b ~ /\(\) \{$/) { n = b; sub(/\(\) \{$/, "", n); sp[pid]++; k = pid SUBSEP sp[pid]; st[k] = n; ch[k] = 0; de[k] = 0; next }
		if (b ~ /^\}/) {
			n = b; sub(/^\} \/\* /, "", n); sub(/ \*\/$/, "", n)
			if (sp[pid] < 1) { rec(n, d, d, 0); next }
			k = pid SUBSEP sp[pid]
			rec(n, d, d - ch[k], de[k]); c = de[k]; sp[pid]--
			if (sp[pid] > 0) { k = pid SUBSEP sp[pid]; ch[k] += d; de[k] += c + 1 }
			next
		}
		if (b ~ /\(\);$/) {
			n = b; sub(/\(\);$/, "", n); rec(n, d, d, 0)
			if (sp[pid] > 0) { k = pid SUBSEP sp[pid]; ch[k] += d; de[k] += 1 }
		}
	}
	END {
		for (n in calls) printf "L3NS-PROF %s %s %d %.0f %.0f %d\n", tag, n, calls[n], inc[n], sel[n], desc[n]
		printf "L3NS-PROF-CALLS %s %d\n", tag, total
	}' $T/trace
}
run_cfg() { # CFG (server and client of make bench's (a) or (c))
	SSH="" CSH=""
	[ $1 = c ] && SSH="echo 3 > $D/start && echo 'eth0 10.0.0.3' > $D/info &&" \
		CSH="echo 3 > $D/start && echo 'eth0 10.0.0.2' > $D/info &&"
	sh -c "$SSH exec l3ns-probe bsrv 10.0.0.3 $PORT" >/tmp/srv.out 2>&1 </dev/null &
	srv=$!
	wait_for grep -q ready /tmp/srv.out || echo "l3ns profile: server: $(cat /tmp/srv.out)"
	for w in $WORKLOADS; do
		n=$(ops $w)
		sh -c "$CSH exec l3ns-probe bcli $w 10.0.0.2 10.0.0.3 $PORT $n" >/dev/null 2>&1
		u=$(sh -c "$CSH exec l3ns-probe bcli $w 10.0.0.2 10.0.0.3 $PORT $n" 2>&1)
		# A member may not write tracefs (the open guard): the client sets
		# itself up, says so, and waits on a FIFO while tracing starts.
		graph_on
		rm -f /tmp/go /tmp/set; mkfifo /tmp/go
		sh -c "$CSH : > /tmp/set && read x < /tmp/go && exec l3ns-probe bcli $w 10.0.0.2 10.0.0.3 $PORT $n" >/tmp/cli.out 2>&1 &
		cli=$!
		wait_for test -e /tmp/set
		: > $T/trace; echo 1 > $T/tracing_on; echo go > /tmp/go
		wait $cli; t=$(cat /tmp/cli.out)
		echo 0 > $T/tracing_on
		echo "l3ns profile: $1 $w untraced $u traced $t ($(grep -c . $T/trace) lines, overrun $(sed -n 's/^overrun: //p' $T/per_cpu/cpu0/stats))"
		summarise $1 $w
		echo "L3NS-PROF-RUN $1 $w $((n + n / 10 + 1)) $u $t"
		echo nop > $T/current_tracer
	done
	kill $srv; wait $srv 2>/dev/null
}

filter
run_cfg a
if [ -d /lib/modules/$(uname -r) ]; then modprobe l3ns; else insmod $KO; fi || echo "l3ns profile: loading l3ns failed"
filter l3ns
run_cfg c
