#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make test`: host unit tests, the KUnit suite and the QEMU scenarios.
# Ends with one line "N passed, N failed" (all three together); exits
# non-zero if anything failed or did not report.
set -u
. "$(dirname "$0")/common.sh"
cd "$L3NS_ROOT"
mkdir -p build
t0=$(date +%s)
pass=0 fail=0

# 1. Host: cargo test on the policy core.
log "host tests (cargo test)"
cargo test --manifest-path "$L3NS_ROOT/Cargo.toml" 2>&1 | tee build/host.log | grep -E '^test |test result'
hp=$(sed -n 's/^test result: .* \([0-9]*\) passed; \([0-9]*\) failed.*/\1/p' build/host.log | awk '{s+=$1} END {print s+0}')
hf=$(sed -n 's/^test result: .* \([0-9]*\) passed; \([0-9]*\) failed.*/\2/p' build/host.log | awk '{s+=$1} END {print s+0}')
grep -q '^test result' build/host.log || hf=$((hf + 1))
pass=$((pass + hp)); fail=$((fail + hf))
log "host: $hp passed, $hf failed"

# 2+3. Guest: kernel (cached), module (compiled through clippy), initramfs, QEMU.
touch "$L3NS_ROOT/rust/l3ns.rs"	# recompile the crate so clippy sees all of it
if ! KDIR=$("$L3NS_ROOT/scripts/kernel.sh" dir) ||
	! L3NS_CLIPPY=1 "$L3NS_ROOT/scripts/module.sh" >build/module.log 2>&1; then
	cat build/module.log
	fail=$((fail + 1))
	log "kernel or module build failed"
	echo "$pass passed, $fail failed"
	exit 1
fi

# Lint: no compiler or clippy warning in the module, kernel rustfmt style.
lint() { # NAME: counts one check from the exit status of the rest
	name=$1; shift
	if "$@"; then pass=$((pass + 1)); log "lint $name: PASS"; else fail=$((fail + 1)); log "lint $name: FAIL"; fi
}
lint "module warnings (clippy)" sh -c '! grep -B2 -A8 "warning" build/module.log'
lint "captured values (MAKEFLAGS=w)" env L3NS_CLIPPY=1 sh "$L3NS_ROOT/scripts/check-values.sh"
lint "rustfmt" rustfmt --edition 2021 --check "$L3NS_ROOT/rust/l3ns.rs"
lint "checkpatch (C shim, KUnit table)" sh -c "perl '$KDIR/scripts/checkpatch.pl' --no-tree \
	--terse -q -f '$L3NS_ROOT'/rust/shim/*.[ch] '$L3NS_ROOT'/kunit/*.[ch] >build/checkpatch.log 2>&1 ||
	{ grep -v '^total: 0 ' build/checkpatch.log; exit 1; }"
t1=$(date +%s)
log "booting QEMU (TCG) for KUnit and scenarios"
"$L3NS_ROOT/scripts/run.sh" test >/dev/null 2>&1
console=build/console.log
t2=$(date +%s)

# KUnit: KTAP between markers, parsed by the kernel's own kunit.py.
sed -n '/^L3NS-KTAP-BEGIN/,/^L3NS-KTAP-END/p' $console | sed '1d;$d' >build/ktap.txt
python3 "$KDIR/tools/testing/kunit/kunit.py" parse "$L3NS_ROOT/build/ktap.txt" >build/kunit.log 2>&1
cat build/kunit.log | grep -E '\[(PASSED|FAILED|CRASHED|SKIPPED)\]|Testing complete' || true
kp=$(sed -n 's/.*Testing complete\. Ran [0-9]* tests: passed: \([0-9]*\).*/\1/p' build/kunit.log)
kt=$(sed -n 's/.*Testing complete\. Ran \([0-9]*\) tests.*/\1/p' build/kunit.log)
if [ -z "$kp" ] || [ -z "$kt" ] || [ "$kt" -eq 0 ]; then
	log "KUnit: no parsable results"
	kp=0 kf=1
else
	kf=$((kt - kp))
fi
pass=$((pass + kp)); fail=$((fail + kf))
log "KUnit: $kp passed, $kf failed"

# Scenarios: every script must report PASS; a missing report is a failure.
sp=0 sf=0
for s in scripts/scenarios/*.sh; do
	name=$(basename "$s" .sh)
	if grep -q "^L3NS-SCENARIO $name PASS" $console; then
		sp=$((sp + 1)); echo "  scenario $name: PASS"
	else
		sf=$((sf + 1)); echo "  scenario $name: FAIL"
		sed -n "/^L3NS-SCENARIO-START $name\$/,/^L3NS-SCENARIO $name /p" $console | tail -40
	fi
done
pass=$((pass + sp)); fail=$((fail + sf))
log "scenarios: $sp passed, $sf failed"
grep -oE 'l3ns-guest: (up|first scenario) at [0-9.]+s' $console | sed 's/^/l3ns: /' >&2 || true
log "times: host tests + builds $((t1 - t0)) s, QEMU $((t2 - t1)) s, total $(( $(date +%s) - t0 )) s"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
