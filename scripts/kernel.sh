#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build (or reuse) the l3ns test kernel: Debian's linux-source-7.3,
# tinyconfig + scripts/kernel.config (KUnit, lockdep, PROVE_RCU, the stock
# kernel's preemption model), built in the Debian 13 build root with the
# stock kernel's compiler. Cached in
# $CACHE/linux-<package version>-<config hash>; a second run rebuilds nothing.
# Prints the kernel tree directory (`dir`) or the bzImage path (`image`).
#   kernel.sh [dir|image] [test|debug]
# `debug` (make test-debug) adds scripts/kernel-debug.config (KASAN, UBSAN,
# kmemleak, DEBUG_NET, refcount tracking) and is built with Debian's
# clang-19/LLVM 19 (the LLVM of Debian's rustc 1.85): Kconfig allows Rust
# with KASAN only when the kernel is compiled by clang.
set -eu
. "$(dirname "$0")/common.sh"
value_output

what=${1:-image}
flavour=${2:-test}
ver=$(echo "$STOCK_PKGVER" | tr -c 'A-Za-z0-9.\n-' _)
case $flavour in
test) CONFIGS=$L3NS_ROOT/scripts/kernel.config MAKEVARS="CC=$KCC" key=$KCC name=linux-$KVER-$ver ;;
debug) CONFIGS="$L3NS_ROOT/scripts/kernel.config $L3NS_ROOT/scripts/kernel-debug.config"
	MAKEVARS="LLVM=$DEBUG_LLVM" key=$MAKEVARS name=linux-$KVER-$ver-debug ;;
*) die "usage: kernel.sh [dir|image] [test|debug]" ;;
esac
# shellcheck disable=SC2086
hash=$( { cat $CONFIGS; echo "$key"; } | sha256sum | cut -c1-12)
KDIR=$CACHE/$name-$hash

build() {
	mkdir -p "$CACHE"
	exec 9>"$CACHE/build.lock"
	flock 9
	[ -f "$KDIR/.l3ns-built" ] && return 0
	start=$(date +%s)
	L3NS_BR=$("$L3NS_ROOT/scripts/buildroot.sh")
	[ "$flavour" = debug ] && llvm_in_root
	tar=$L3NS_BR/usr/src/linux-source-$KVER.tar.xz
	[ -f "$tar" ] || die "$tar missing from the build root"
	if [ ! -f "$KDIR/Makefile" ]; then
		log "extracting linux-source-$KVER"
		rm -rf "$KDIR.tmp" && mkdir -p "$KDIR.tmp"
		tar -C "$KDIR.tmp" --strip-components=1 -xf "$tar"
		rm -rf "$KDIR" && mv "$KDIR.tmp" "$KDIR"
	fi
	# shellcheck disable=SC2086
	opts=$(cat $CONFIGS | grep -v '^#' | tr '\n' ' ')
	inroot "cd '$KDIR' && make -s $MAKEVARS tinyconfig && ./scripts/config $opts &&
		make -s $MAKEVARS olddefconfig" || die "kernel configuration failed"
	# The last word on a symbol wins (kernel-debug.config may undo one).
	# shellcheck disable=SC2086
	cat $CONFIGS | grep -v '^#' | awk 'NF == 2 { last[$2] = $1; order[++n] = $2 }
		END { for (i = 1; i <= n; i++) if (!seen[order[i]]++) print last[order[i]], order[i] }' |
	while read -r flag sym; do
		[ -n "${flag:-}" ] || continue
		case $flag in
		-e) grep -q "^CONFIG_$sym=y" "$KDIR/.config" || die "CONFIG_$sym did not survive olddefconfig" ;;
		-d) ! grep -q "^CONFIG_$sym=y" "$KDIR/.config" || die "CONFIG_$sym is still set" ;;
		esac
	done
	inroot "cd '$KDIR' && make -s $MAKEVARS rustavailable" || die "Rust toolchain not usable by the kernel"
	log "building the $flavour kernel in $KDIR (10-25 minutes on 2 cores)"
	inroot "cd '$KDIR' && make $MAKEVARS -j$(nproc)" >"$KDIR/build.log" 2>&1 ||
		{ tail -40 "$KDIR/build.log"; die "kernel build failed (log: $KDIR/build.log)"; }
	echo "$(( $(date +%s) - start ))" >"$KDIR/.l3ns-build-seconds"
	[ "$flavour" = test ] || echo "$MAKEVARS" >"$KDIR/.l3ns-makevars"
	touch "$KDIR/.l3ns-built"
	log "$flavour kernel built in $(cat "$KDIR/.l3ns-build-seconds") s"
}

[ -f "$KDIR/.l3ns-built" ] || build
case $what in
dir) value "$KDIR" ;;
image) value "$KDIR/arch/x86/boot/bzImage" ;;
*) die "usage: kernel.sh [dir|image]" ;;
esac
