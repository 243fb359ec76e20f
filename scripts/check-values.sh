#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Captured values stay clean: every script whose stdout another script
# captures with $(...) prints exactly one line naming an existing path, even
# in a noisy environment (MAKEFLAGS=w, as under `make -C`, makes every
# nested make print "Entering directory" on stdout). Run by `make test`
# after the module build, so each value is cached and the check is quick.
#   1. static: each captured script calls value_output (so a build it starts
#      later, on a cold machine, cannot reach stdout either);
#   2. dynamic: each one, run with MAKEFLAGS=w, prints one existing path.
set -u
. "$(dirname "$0")/common.sh"
cd "$L3NS_ROOT"
bad=0
flag() { echo "check-values: $*" >&2; bad=1; }

captured=$(grep -ohE '\$\("\$L3NS_ROOT/scripts/[a-z0-9_-]+\.sh' scripts/*.sh |
	sed 's|.*/scripts/||' | sort -u)
[ -n "$captured" ] || flag "found no captured script (the pattern is stale)"
for s in $captured; do
	grep -q '^value_output$' "scripts/$s" || flag "scripts/$s is captured but does not call value_output"
done

one_path() { # LABEL OUTPUT
	n=$(printf '%s\n' "$2" | wc -l)
	if [ "$n" -ne 1 ] || [ ! -e "$2" ]; then
		flag "$1 printed $n line(s), not one existing path:"
		printf '%s\n' "$2" | sed 's/^/    | /' >&2
	fi
}
for cmd in "buildroot.sh" "kernel.sh dir" "kernel.sh image" "stock.sh image" "stock.sh modules" \
	"stock.sh kdir" "module.sh test" "module.sh stock" "initramfs.sh test" "initramfs.sh stock"; do
	# The test kernel's module was built through clippy: keep it so (no rebuild).
	case $cmd in *stock*) clippy= ;; *) clippy=1 ;; esac
	# shellcheck disable=SC2086
	out=$(MAKEFLAGS=w L3NS_CLIPPY=$clippy sh scripts/$cmd 2>/dev/null)
	one_path "MAKEFLAGS=w scripts/$cmd" "$out"
done
for t in kernel-image stock-image stock-module stock-modules; do
	case $t in *stock*) clippy= ;; *) clippy=1 ;; esac
	out=$(env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS L3NS_CLIPPY=$clippy make -s -C "$L3NS_ROOT" $t 2>/dev/null)
	one_path "make -s -C <checkout> $t" "$out"
done
exit $bad
