#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build (or reuse) the l3ns test kernel: Debian's linux-source-7.3,
# tinyconfig + scripts/kernel.config (KUnit, lockdep, PROVE_RCU, the stock
# kernel's preemption model), built in the Debian 13 build root with the
# stock kernel's compiler. Cached in
# $CACHE/linux-<package version>-<config hash>; a second run rebuilds nothing.
# Prints the kernel tree directory (`dir`) or the bzImage path (`image`).
set -eu
. "$(dirname "$0")/common.sh"
value_output

what=${1:-image}
ver=$(echo "$STOCK_PKGVER" | tr -c 'A-Za-z0-9.\n-' _)
hash=$( { cat "$L3NS_ROOT/scripts/kernel.config"; echo "$KCC"; } | sha256sum | cut -c1-12)
KDIR=$CACHE/linux-$KVER-$ver-$hash

build() {
	mkdir -p "$CACHE"
	exec 9>"$CACHE/build.lock"
	flock 9
	[ -f "$KDIR/.l3ns-built" ] && return 0
	start=$(date +%s)
	L3NS_BR=$("$L3NS_ROOT/scripts/buildroot.sh")
	tar=$L3NS_BR/usr/src/linux-source-$KVER.tar.xz
	[ -f "$tar" ] || die "$tar missing from the build root"
	if [ ! -f "$KDIR/Makefile" ]; then
		log "extracting linux-source-$KVER"
		rm -rf "$KDIR.tmp" && mkdir -p "$KDIR.tmp"
		tar -C "$KDIR.tmp" --strip-components=1 -xf "$tar"
		rm -rf "$KDIR" && mv "$KDIR.tmp" "$KDIR"
	fi
	opts=$(grep -v '^#' "$L3NS_ROOT/scripts/kernel.config" | tr '\n' ' ')
	inroot "cd '$KDIR' && make -s CC=$KCC tinyconfig && ./scripts/config $opts &&
		make -s CC=$KCC olddefconfig" || die "kernel configuration failed"
	grep -v '^#' "$L3NS_ROOT/scripts/kernel.config" | while read -r flag sym; do
		[ -n "${flag:-}" ] || continue
		case $flag in
		-e) grep -q "^CONFIG_$sym=y" "$KDIR/.config" || die "CONFIG_$sym did not survive olddefconfig" ;;
		-d) ! grep -q "^CONFIG_$sym=y" "$KDIR/.config" || die "CONFIG_$sym is still set" ;;
		esac
	done
	inroot "cd '$KDIR' && make -s CC=$KCC rustavailable" || die "Rust toolchain not usable by the kernel"
	log "building the test kernel in $KDIR (about 10 minutes on 2 cores)"
	inroot "cd '$KDIR' && make CC=$KCC -j$(nproc)" >"$KDIR/build.log" 2>&1 ||
		{ tail -40 "$KDIR/build.log"; die "kernel build failed (log: $KDIR/build.log)"; }
	echo "$(( $(date +%s) - start ))" >"$KDIR/.l3ns-build-seconds"
	touch "$KDIR/.l3ns-built"
	log "test kernel built in $(cat "$KDIR/.l3ns-build-seconds") s"
}

[ -f "$KDIR/.l3ns-built" ] || build
case $what in
dir) value "$KDIR" ;;
image) value "$KDIR/arch/x86/boot/bzImage" ;;
*) die "usage: kernel.sh [dir|image]" ;;
esac
