#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make soak: the whole scenario suite L3NS_REPEAT times (default 10) back to
# back in one boot of each kernel (both at once, as make test runs them),
# optionally beside a CPU-heavy job (L3NS_SOAK_LOAD=1: one busy loop per
# host CPU). Prints the failures of each round and a total.
set -eu
. "$(dirname "$0")/common.sh"
export L3NS_REPEAT=${L3NS_REPEAT:-10}
: "${L3NS_QEMU_TIMEOUT:=$((L3NS_REPEAT * 600))}"
export L3NS_QEMU_TIMEOUT
"$L3NS_ROOT/scripts/module.sh" test >/dev/null
"$L3NS_ROOT/scripts/module.sh" stock >/dev/null
load=""
if [ "${L3NS_SOAK_LOAD:-0}" = 1 ]; then
	for _ in $(seq "$(nproc)"); do sh -c 'while :; do :; done' & load="$load $!"; done
fi
stop_load() { [ -z "$load" ] || kill $load 2>/dev/null; load=""; }
trap stop_load EXIT
start=$(date +%s)
runs=""
for k in test stock; do "$L3NS_ROOT/scripts/run.sh" test $k >/dev/null 2>&1 & runs="$runs $!"; done
# shellcheck disable=SC2086
wait $runs	# not the busy loops
echo "l3ns soak: $L3NS_REPEAT rounds, $(( $(date +%s) - start )) s${load:+, beside $(nproc) busy loops}"
stop_load
total=0
for k in test stock; do
	log=$L3NS_ROOT/build/console-$k.log
	awk -v k=$k '/^L3NS-ROUND /{r=$2} /^L3NS-SCENARIO [^ ]* (PASS|FAIL)$/{n[r]++; if ($3=="FAIL") {f[r]++; names[r]=names[r] " " $2}}
		END { for (i = 1; i in n; i++) printf "  %s round %d: %d scenarios, %d failed%s\n", k, i, n[i], f[i], names[i] }' "$log"
	fails=$(grep -c '^L3NS-SCENARIO [^ ]* FAIL$' "$log" || true)
	runs=$(grep -c '^L3NS-SCENARIO [^ ]* \(PASS\|FAIL\)$' "$log" || true)
	echo "  $k: $runs scenario runs, $fails failed"
	total=$((total + fails))
done
[ "$total" = 0 ]
