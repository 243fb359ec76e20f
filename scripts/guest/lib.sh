# SPDX-License-Identifier: GPL-2.0
# Helpers for guest scenarios (sourced). A scenario is a shell script that
# exits 0 on success; `fail` prints why and exits 1.
D=/sys/kernel/debug/net_ns
KO=/l3ns.ko

fail() { echo "FAIL: $*"; exit 1; }
note() { echo "  $*"; }

# info_get KEY [FILE]: value of "KEY: value" in net_ns/info (read by this shell).
info_get() { sed -n "s/^$1: //p" "${2:-$D/info}"; }

# assert_eq WHAT EXPECTED ACTUAL
assert_eq() { [ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"; note "ok: $1 = '$3'"; }

# assert_ge WHAT MIN ACTUAL
assert_ge() { [ "$3" -ge "$2" ] 2>/dev/null || fail "$1: expected >= $2, got '$3'"; note "ok: $1 = $3 (>= $2)"; }

# expect_write_error ERRNO BYTES FILE: one write(2) of BYTES (C escapes) must
# fail with ERRNO (e.g. EINVAL).
expect_write_error() {
	got=$(l3ns-probe write "$3" "$2")
	[ "$got" = "errno $1" ] || fail "write '$2' to $3: expected errno $1, got '$got'"
	note "ok: write '$2' -> $1"
}

# sh_write FILE TEXT: one write of TEXT by this shell itself (a builtin: no
# execve, so it does not seal an L3 namespace); prints "ok" or "errno NAME"
# (from the C library's message, for the errnos l3ns gives).
sh_write() {
	msg=$( { echo "$2" >"$1"; } 2>&1 ) && { echo ok; return 0; }
	case $msg in
	*"Cannot assign requested address"*) echo "errno EADDRNOTAVAIL" ;;
	*"Device or resource busy"*) echo "errno EBUSY" ;;
	*"File exists"*) echo "errno EEXIST" ;;
	*"Invalid argument"*) echo "errno EINVAL" ;;
	*"No such device"*) echo "errno ENODEV" ;;
	*"Operation not permitted"*) echo "errno EPERM" ;;
	*"No space left on device"*) echo "errno ENOSPC" ;;
	*"Permission denied"*) echo "errno EACCES" ;;
	*) echo "error $msg" ;;
	esac
}

# netns_inode [PID]: inode number of a task's network namespace.
netns_inode() { readlink "/proc/${1:-self}/ns/net" | sed 's/net:\[\([0-9]*\)\]/\1/'; }

# wait_for CMD...: retries CMD for up to 5 s (RCU + work item latency).
wait_for() { wait_ticks 50 "$@"; }
# wait_ticks N CMD...: wait_for with N tenths of a second.
wait_ticks() {
	_wt_max=$1 i=0
	shift
	while ! "$@" >/dev/null 2>&1; do
		i=$((i + 1)); [ $i -ge "$_wt_max" ] && return 1
		usleep 100000
	done
}

ensure_loaded() { [ -d $D ] || insmod $KO || fail "insmod failed"; }

# hooks_idle: no l3ns hook is armed (mechanism 19).
hooks_idle() { [ "$(info_get hooks)" = idle ]; }
# wait_hooks_idle: waits up to 60 s for the reaper to disarm (2 s after the
# last namespace ended, then seconds of unregistering under TCG).
wait_hooks_idle() { wait_ticks 600 hooks_idle; }

# net_setup: eth0 (the boot-time dummy0, renamed) with 10.0.0.1/24 kept by
# the parent and 10.0.0.2-.3/24 plus 10.0.0.4/24 labelled eth0:1 to hand out.
net_setup() {
	if ! ip link show eth0 >/dev/null 2>&1; then
		ip link set dummy0 name eth0 || fail "no dummy0 to rename"
	fi
	ip link set eth0 up
	for a in 10.0.0.1 10.0.0.2 10.0.0.3; do
		ip -4 addr show dev eth0 | grep -q "inet $a/" || ip addr add $a/24 dev eth0
	done
	ip -4 addr show dev eth0 | grep -q "inet 10.0.0.4/" || ip addr add 10.0.0.4/24 dev eth0 label eth0:1
}

# member SCRIPT: runs SCRIPT (shell text) in a new L3 namespace; its output
# is the function's output.
member() { sh -c "$(member_sh "$1")"; }
# member_sh SCRIPT: the shell text `member` runs; for a member in the
# background whose $! is the member itself (so `kill` reaches it):
#   sh -c "$(member_sh 'exec sleep 30')" & pid=$!
member_sh() { echo ". /guest/lib.sh; echo 3 > $D/start || exit 1; $1"; }

# child_ids: ids of the L3 children of this netns (from net_ns/children).
child_ids() { sed -n '2,$p' $D/children | cut -d' ' -f1; }

# expect LABEL EXPECTED OUTPUT-OF-PROBE
expect() { assert_eq "$1" "$2" "$3"; }

# write_ok LABEL FILE BYTES: one write of BYTES (no escapes) must succeed.
write_ok() { assert_eq "$1" "ok ${#3}" "$(l3ns-probe write "$2" "$3")"; }

# ns_with ADDR...: starts a member that takes each address (on eth0) and
# sleeps; prints its id. `ns_cleanup` kills every such member.
ns_with() {
	f=/tmp/ns.$$.$(cat /proc/sys/kernel/random/uuid 2>/dev/null || echo $RANDOM)
	# Not through `member`: a backgrounded shell function would keep the
	# caller's saved stdout open and hold up $(ns_with ...).
	sh -c ". /guest/lib.sh; echo 3 > $D/start || exit 1
		for a in $*; do echo \"eth0 \$a\" > $D/info || exit 1; done
		info_get id; exec sleep 120" >"$f" 2>"$f.err" </dev/null &
	_ns_pid=$!
	echo $_ns_pid >>/tmp/ns.pids
	# The first namespace arms the hooks: seconds under a loaded TCG.
	wait_ticks 300 ns_up "$f" $_ns_pid
	[ -s "$f" ] || fail_scenario "namespace with $* did not start: $(cat "$f.err")"
	cat "$f"
}
# ns_up FILE PID: ns_with's holder PID has written its id to FILE, or exited.
ns_up() { [ -s "$1" ] || exited "$2"; }
# fail_scenario MSG: fail from inside $(...) too, where `fail` would only
# end the substitution (and its FAIL line would become the value): the
# message goes to stderr and USR1 ends the shell that sourced this file
# ($$ is that shell in every subshell) through `exit 1`, so its EXIT trap
# still runs.
fail_scenario() { echo "FAIL: $*" >&2; kill -USR1 $$; exit 1; }
trap 'exit 1' USR1
# exited PID: the task has exited (gone, or a zombie nobody reaped yet).
exited() { [ ! -e /proc/$1/stat ] || [ "$(sed 's/^.*) //' /proc/$1/stat | cut -d' ' -f1)" = Z ]; }
# kill_wait PID...: kills processes this shell cannot wait() for (daemons,
# other shells' children) and waits until each has exited.
kill_wait() {
	[ $# -gt 0 ] || return 0
	kill "$@" 2>/dev/null
	for p in "$@"; do wait_for exited $p || echo "kill_wait: $p did not exit"; done
}
# ns_cleanup kills the members ns_with started (they are not this shell's
# children, so it cannot wait() for them: it waits until they have exited).
ns_cleanup() {
	pids=$(cat /tmp/ns.pids 2>/dev/null)
	rm -f /tmp/ns.pids
	kill_wait $pids
}

# end_scenario (run by the guest runner between scenarios, in its own
# shell): kills every process a scenario left behind -- daemons, the
# watchdog half of busybox `timeout` (it outlives its command by up to a
# second) -- and waits until each has exited. Then no L3 namespace may be
# alive, since a namespace ends with its last member: otherwise it prints
# them and fails.
end_scenario() {
	for d in /proc/[0-9]*; do
		p=${d#/proc/}
		{ [ "$p" = 1 ] || [ "$p" = $$ ]; } && continue
		[ -e "$d/exe" ] && echo "$p"	# kernel threads have no executable
	done >/tmp/leftover.pids
	kill_wait $(cat /tmp/leftover.pids)
	[ -d $D ] || return 0
	[ "$(info_get l3_children)" = 0 ] && return 0
	echo "L3 children alive after every process of the scenario exited:"; cat $D/children
	ps -o pid,ppid,stat,args 2>/dev/null | grep -v ' \[.*\]$'
	return 1
}

# in_ns ID CMD: runs CMD (shell text) inside L3 namespace ID.
in_ns() { sh -c ". /guest/lib.sh; echo $1 > $D/join || exit 1; $2"; }

# bg_recv FILE ARGS...: starts `l3ns-probe recv ARGS` in the background
# (optionally via in_ns) and waits until it is bound.
bg_ready() { wait_for grep -q . "$1" || fail "receiver did not start"; }
