#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench (Documentation/performance.rst): two boots of Debian's stock
# kernel running scripts/guest/bench.sh -- one under QEMU icount (the
# guest clock counts instructions: the primary, repeatable figure) and one
# plain single-vCPU TCG boot (wall-clock ns/op, fewer rounds), side by side
# -- then one table, CSV, JSON and a PNG plot in build/bench/.
#   bench.sh          the full benchmark
#   bench.sh quick    make test's pass: icount only, a few operations per
#                     configuration; exits 1 unless every row was produced
set -u
. "$(dirname "$0")/common.sh"
OUT=$L3NS_ROOT/build/bench
mkdir -p "$OUT"
t0=$(date +%s)
"$L3NS_ROOT/scripts/initramfs.sh" stock >/dev/null || die "initramfs for the stock kernel failed"
# Only the progress lines and anything alarming reach the terminal.
show() { grep --line-buffered -E '^l3ns bench:|^l3ns-guest: (up|done)|Kernel panic|BUG: |Oops|WARNING: '; }
if [ "${1:-}" = quick ]; then
	L3NS_ICOUNT=1 L3NS_LOG=bench-quick L3NS_APPEND="l3ns_clock=icount l3ns_quick=1" \
		"$L3NS_ROOT/scripts/run.sh" bench stock >/dev/null 2>&1
	inroot "python3 '$L3NS_ROOT/scripts/bench_report.py' '$L3NS_ROOT/build/console-bench-quick.log' - '$OUT/quick' --check" \
		>"$OUT/quick.log" 2>&1
	rc=$?
	tail -5 "$OUT/quick.log"
	log "bench (quick pass): $(( $(date +%s) - t0 )) s"
	exit $rc
fi
plot=--plot
matplotlib_in_root || plot=
log "bench: two boots of the stock kernel at once: icount (instructions) and plain TCG (wall clock)"
(L3NS_SINGLE=1 L3NS_QEMU_TIMEOUT=1800 L3NS_LOG=bench-wall L3NS_APPEND="l3ns_clock=wall" \
	"$L3NS_ROOT/scripts/run.sh" bench stock 2>&1 | sed -u 's/^l3ns bench:/l3ns bench (wall):/' | show) &
wall=$!
L3NS_ICOUNT=1 L3NS_QEMU_TIMEOUT=1800 L3NS_LOG=bench-icount L3NS_APPEND="l3ns_clock=icount" \
	"$L3NS_ROOT/scripts/run.sh" bench stock 2>&1 | sed -u 's/^l3ns bench:/l3ns bench (icount):/' | show
wait $wall
inroot "python3 '$L3NS_ROOT/scripts/bench_report.py' '$L3NS_ROOT/build/console-bench-icount.log' \
	'$L3NS_ROOT/build/console-bench-wall.log' '$OUT' $plot"
log "bench: table, results.csv, results.json${plot:+, bench.png} in build/bench/ ($(( $(date +%s) - t0 )) s)"
