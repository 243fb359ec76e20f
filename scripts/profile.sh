#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make profile (Documentation/performance.rst, "Where the cost is"): where
# make bench's config (c) spends the guest instructions it adds over (a).
# Two boots of Debian's stock kernel under QEMU icount, one after the
# other, running scripts/guest/profile.sh: the full set (the functions l3ns
# hooks, its traceable C helpers, the IP and syscall paths around them),
# then the lean set (only the callers of the hooked functions: each hooked
# site keeps l3ns's ftrace_ops alone, as untraced); the tables of
# scripts/profile_report.py in build/profile/.
set -u
. "$(dirname "$0")/common.sh"
OUT=$L3NS_ROOT/build/profile
mkdir -p "$OUT"
L3NS_INITRD=$("$L3NS_ROOT/scripts/initramfs.sh" stock) || die "initramfs for the stock kernel failed"
export L3NS_INITRD
for set in full lean; do
	log "profile: the $set set of traced functions"
	L3NS_ICOUNT=1 L3NS_QEMU_TIMEOUT=1500 L3NS_LOG=profile-$set L3NS_APPEND="l3ns_prof=$set" \
		"$L3NS_ROOT/scripts/run.sh" profile stock 2>&1 | grep --line-buffered -E '^l3ns profile|Kernel panic|BUG: |Oops'
	inroot "python3 '$L3NS_ROOT/scripts/profile_report.py' '$L3NS_ROOT/build/console-profile-$set.log'" >"$OUT/$set.txt" ||
		die "profile report failed"
done
log "profile: build/profile/full.txt and lean.txt"
