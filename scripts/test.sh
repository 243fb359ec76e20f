#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make test`: host unit tests, lints, the KUnit suite (test kernel) and
# every QEMU scenario on both kernels -- the test kernel built from
# linux-source-7.3 and Debian's own stock 7.3.4+deb13-amd64 -- each result
# labelled by kernel. Ends with one line "N passed, N failed"; exits
# non-zero if anything failed or did not report.
set -u
. "$(dirname "$0")/common.sh"
cd "$L3NS_ROOT"
mkdir -p build && : >build/failures.txt
t0=$(date +%s)
pass=0 fail=0
count() { # NAME OK: one check
	if [ "$2" = 0 ]; then pass=$((pass + 1)); log "$1: PASS"; else fail=$((fail + 1)); log "$1: FAIL"; echo "$1" >>build/failures.txt; fi
}

# 1. Set-up and builds: the build root, both kernels, both modules (the
#    test kernel's through clippy), so that a cold cache changes only the
#    time this takes, never the counts.
if ! L3NS_BR=$("$L3NS_ROOT/scripts/buildroot.sh") || ! KDIR=$("$L3NS_ROOT/scripts/kernel.sh" dir) ||
	! "$L3NS_ROOT/scripts/stock.sh" kdir >/dev/null || ! "$L3NS_ROOT/scripts/stock.sh" image >/dev/null; then
	log "set-up or kernel build failed"
	echo "$pass passed, $((fail + 1)) failed"
	exit 1
fi
export L3NS_BR
t1=$(date +%s)

# 2. Host: cargo test on the policy core (Debian's cargo, in the build root).
log "host tests (cargo test)"
inroot "cd '$L3NS_ROOT' && cargo test --offline" >build/host.log 2>&1
grep -E '^test |test result' build/host.log
hp=$(sed -n 's/^test result: .* \([0-9]*\) passed; \([0-9]*\) failed.*/\1/p' build/host.log | awk '{s+=$1} END {print s+0}')
hf=$(sed -n 's/^test result: .* \([0-9]*\) passed; \([0-9]*\) failed.*/\2/p' build/host.log | awk '{s+=$1} END {print s+0}')
grep -q '^test result' build/host.log || { hf=$((hf + 1)); tail -20 build/host.log; }
pass=$((pass + hp)); fail=$((fail + hf))
log "host: $hp passed, $hf failed"

# 3. Modules and lints: no compiler or clippy warning in either module,
#    captured values stay one line, kernel rustfmt style, checkpatch.
touch "$L3NS_ROOT/rust/l3ns.rs"	# recompile the crate so clippy sees all of it
L3NS_CLIPPY=1 "$L3NS_ROOT/scripts/module.sh" test >build/module-test.log 2>&1
count "module for the test kernel (clippy)" $?
"$L3NS_ROOT/scripts/module.sh" stock >build/module-stock.log 2>&1
count "module for the stock kernel" $?
! grep -B2 -A8 "warning" build/module-test.log build/module-stock.log
count "lint: module warnings (clippy)" $?
L3NS_CLIPPY=1 sh "$L3NS_ROOT/scripts/check-values.sh"
count "lint: captured values (MAKEFLAGS=w)" $?
inroot "rustfmt --edition 2021 --check '$L3NS_ROOT/rust/l3ns.rs'"
count "lint: rustfmt" $?
inroot "perl '$KDIR/scripts/checkpatch.pl' --no-tree --terse -q -f '$L3NS_ROOT'/rust/kernel_ext/helpers/*.[ch]" \
	>build/checkpatch.log 2>&1 || { grep -v '^total: 0 ' build/checkpatch.log; false; }
count "lint: checkpatch (all C)" $?
t2=$(date +%s)

# 4. QEMU, once per kernel. KUnit runs on the test kernel (the stock one has
#    no CONFIG_KUNIT); every scenario runs on both.
scenarios() { # KERNEL CONSOLE
	sp=0 sf=0
	for s in scripts/scenarios/*.sh; do
		name=$(basename "$s" .sh)
		[ -z "${L3NS_ONLY:-}" ] || case ",$L3NS_ONLY," in *",${name%%-*},"*) ;; *) continue ;; esac
		if grep -q "^L3NS-SCENARIO $name PASS" "$2"; then
			sp=$((sp + 1)); echo "  scenario $1/$name: PASS"
		else
			sf=$((sf + 1)); echo "  scenario $1/$name: FAIL"
			sed -n "/^L3NS-SCENARIO-START $name\$/,/^L3NS-SCENARIO $name /p" "$2" | tail -40
			# One line per failure for the end of the output (CI shows its tail).
			why=$(sed -n "/^L3NS-SCENARIO-START $name\$/,/^L3NS-SCENARIO $name /p" "$2" |
				grep -m1 -E 'FAIL: ' | sed 's/^ *| *//' | cut -c1-200)
			grep -q "^L3NS-SCENARIO-START $name\$" "$2" || why="never ran (the guest stopped earlier)"
			echo "$1/$name: ${why:-failed (see its output above)}" >>build/failures.txt
		fi
	done
	pass=$((pass + sp)); fail=$((fail + sf))
	log "scenarios on the $1 kernel: $sp passed, $sf failed"
	grep -oE 'l3ns-guest: (kernel|up at|first scenario at) .*' "$2" | sed "s/^/l3ns: $1: /" >&2 || true
}
# Both guests at once: they spend much of their time waiting (timeouts the
# scenarios expect), so two cores serve both.
# (The test kernel's module stays the one compiled through clippy.)
clippy_for() { [ "$1" = test ] && echo 1; }
for k in test stock; do
	L3NS_CLIPPY=$(clippy_for $k) "$L3NS_ROOT/scripts/initramfs.sh" $k >/dev/null ||
		log "initramfs for the $k kernel failed"
done
log "booting QEMU (TCG) with the test and the stock kernel"
for k in test stock; do
	(tk=$(date +%s); L3NS_CLIPPY=$(clippy_for $k) "$L3NS_ROOT/scripts/run.sh" test $k >/dev/null 2>&1
	 echo $(( $(date +%s) - tk )) >build/qemu-$k.seconds) &
done
wait
for k in test stock; do
	log "$k kernel: QEMU $(cat build/qemu-$k.seconds) s"
	console=build/console-$k.log
	if [ $k = test ]; then
		# KUnit: KTAP between markers, parsed by the kernel's own kunit.py.
		counts=$(kunit_counts $console "$KDIR" kunit)
		grep -E '\[(PASSED|FAILED|CRASHED|SKIPPED)\]|Testing complete' build/kunit.log || true
		kp=${counts% *} kt=${counts#* }
		if [ -z "$counts" ]; then
			log "KUnit: no parsable results"
			kp=0 kf=1
		else
			kf=$((kt - kp))
		fi
		pass=$((pass + kp)); fail=$((fail + kf))
		log "KUnit (test kernel): $kp passed, $kf failed"
	fi
	scenarios $k $console
done
# 5. One quick pass of the bench harness (make bench's guest side and
#    report; icount, stock kernel, a few operations per configuration) so
#    that it cannot rot: it asserts only that every row was produced.
log "bench harness: quick pass"
"$L3NS_ROOT/scripts/bench.sh" quick >build/bench-quick.log 2>&1
count "bench harness (quick pass: every row produced)" $?
[ -s build/failures.txt ] && grep -q '^bench harness' build/failures.txt && tail -15 build/bench-quick.log

# The reasons again, last, with any kernel oops: CI keeps only the tail.
if [ -s build/failures.txt ]; then
	log "failures:"
	sed 's/^/  /' build/failures.txt >&2
	for k in test stock; do
		grep -m1 -A12 -E 'Kernel panic|BUG: |Oops|WARNING: |Call Trace' build/console-$k.log |
			sed "s/^/  $k console: /" | cut -c1-200 >&2 || true
	done
fi
log "times: set-up and kernels $((t1 - t0)) s, host tests + modules + lints $((t2 - t1)) s, QEMU $(( $(date +%s) - t2 )) s, total $(( $(date +%s) - t0 )) s"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
