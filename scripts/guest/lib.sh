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

# netns_inode [PID]: inode number of a task's network namespace.
netns_inode() { readlink "/proc/${1:-self}/ns/net" | sed 's/net:\[\([0-9]*\)\]/\1/'; }

# wait_for CMD...: retries CMD for up to 5 s (RCU + work item latency).
wait_for() {
	i=0
	while ! "$@" >/dev/null 2>&1; do
		i=$((i + 1)); [ $i -ge 50 ] && return 1
		usleep 100000
	done
}

ensure_loaded() { [ -d $D ] || insmod $KO || fail "insmod failed"; }
