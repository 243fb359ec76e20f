#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make test-debug`: every scenario (and KUnit) on the debug kernel --
# KASAN, UBSAN, kmemleak, lockdep/PROVE_RCU, DEBUG_ATOMIC_SLEEP, DEBUG_NET,
# refcount tracking (scripts/kernel-debug.config, built once and cached,
# about 15 minutes). Fails on any failed scenario, any sanitizer, lockdep,
# RCU or refcount report in the console log, and any kmemleak leak whose
# backtrace has a frame in l3ns (by symbol, or by address inside one of the
# module's loads). Not part of `make test`: TCG with KASAN is slow.
set -u
. "$(dirname "$0")/common.sh"
cd "$L3NS_ROOT"
t0=$(date +%s)
KDIR=$("$L3NS_ROOT/scripts/kernel.sh" dir debug) || die "debug kernel build failed"
"$L3NS_ROOT/scripts/initramfs.sh" debug >/dev/null || die "initramfs for the debug kernel failed"
t1=$(date +%s)
log "booting the debug kernel (TCG, KASAN: slow)"
"$L3NS_ROOT/scripts/run.sh" test debug >/dev/null 2>&1
console=build/console-debug.log
pass=0 fail=0
: >build/failures-debug.txt
failed() { fail=$((fail + 1)); echo "$1" >>build/failures-debug.txt; log "$1: FAIL"; }
# KUnit, as in make test.
counts=$(kunit_counts $console "$KDIR" kunit-debug)
kp=${counts% *} kt=${counts#* }
if [ -n "$counts" ]; then
	pass=$((pass + kp)); [ "$kp" = "$kt" ] || failed "KUnit: $((kt - kp)) failed"
else
	failed "KUnit: no parsable results"
fi
for s in scripts/scenarios/*.sh; do
	name=$(basename "$s" .sh)
	if grep -q "^L3NS-SCENARIO $name PASS" $console; then
		pass=$((pass + 1))
	else
		failed "debug/$name"
		sed -n "/^L3NS-SCENARIO-START $name\$/,/^L3NS-SCENARIO $name /p" $console | tail -30
	fi
done
# Kernel reports: each kind once, with its first line.
for pat in 'BUG: KASAN' 'UBSAN:' 'WARNING: possible circular locking' 'WARNING: possible recursive locking' \
	'suspicious RCU usage' 'BUG: sleeping function called from invalid context' 'refcount_t:' \
	'BUG: ' 'WARNING: CPU' 'Kernel panic' 'general protection fault' 'ref_tracker:'; do
	line=$(grep -m1 -F "$pat" $console)
	if [ -n "$line" ]; then
		failed "kernel report: $(echo "$line" | cut -c1-160)"
		grep -m1 -F -A25 "$pat" $console | sed 's/^/  | /'
	else
		pass=$((pass + 1))
	fi
done
# kmemleak: blocks between the markers; a block is l3ns's when a backtrace
# line names [l3ns] or an address inside one of the module's loads.
if grep -q '^L3NS-KMEMLEAK-BEGIN' $console; then
	sed -n '/^L3NS-KMEMLEAK-BEGIN/,/^L3NS-KMEMLEAK-END/p' $console >build/kmemleak.txt
	ranges=$(sed -n 's/^L3NS-MODRANGE //p' $console | sort -u)
	leaks=$(awk -v ranges="$ranges" '
		function hex(s,   i, c, v) { v = 0; s = tolower(s); sub(/^0x/, "", s)
			for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)) - 1; v = v * 16 + c }
			return v }
		BEGIN { n = split(ranges, r, "\n"); for (i = 1; i <= n; i++) { split(r[i], f, " "); lo[i] = hex(f[1]); hi[i] = lo[i] + f[2] } }
		/unreferenced object/ { if (blk && ours) count++; blk = 1; ours = 0; next }
		blk && /\[l3ns\]/ { ours = 1 }
		blk && match($0, /0x[0-9a-f]+/) { a = hex(substr($0, RSTART, RLENGTH)); for (i = 1; i <= n; i++) if (a >= lo[i] && a < hi[i]) ours = 1 }
		END { if (blk && ours) count++; print count + 0 }' build/kmemleak.txt)
	total=$(grep -c 'unreferenced object' build/kmemleak.txt)
	log "kmemleak: $total unreferenced objects, $leaks with an l3ns frame"
	if [ "$leaks" -eq 0 ]; then pass=$((pass + 1)); else failed "kmemleak: $leaks leak(s) from l3ns (build/kmemleak.txt)"; fi
else
	failed "kmemleak: no scan in the log (guest stopped early?)"
fi
if [ -s build/failures-debug.txt ]; then
	log "failures:"
	sed 's/^/  /' build/failures-debug.txt >&2
fi
log "times: debug kernel and initramfs $((t1 - t0)) s, QEMU $(( $(date +%s) - t1 )) s"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
