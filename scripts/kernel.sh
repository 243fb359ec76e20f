#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build (or reuse) the l3ns test kernel. The tree is cached in
# $CACHE/linux-<debian version>-<config hash>; a second run rebuilds nothing.
# Prints the kernel tree directory (`dir`) or the bzImage path (`image`).
set -eu
. "$(dirname "$0")/common.sh"
value_output

what=${1:-image}
[ -f "$KSRC_TAR" ] || die "$KSRC_TAR missing: run scripts/setup.sh"
ver=$(dpkg-query -W -f='${Version}' linux-source-$KVER | tr -c 'A-Za-z0-9.\n-' _)
hash=$(cat "$L3NS_ROOT/scripts/kernel.config" "$L3NS_ROOT/rust-toolchain.toml" | sha256sum | cut -c1-12)
KDIR=$CACHE/linux-$ver-$hash
mkdir -p "$CACHE"

build() {
	exec 9>"$CACHE/build.lock"
	flock 9
	[ -f "$KDIR/.l3ns-built" ] && return 0
	start=$(date +%s)
	if [ ! -f "$KDIR/Makefile" ]; then
		log "extracting $KSRC_TAR"
		rm -rf "$KDIR.tmp" && mkdir -p "$KDIR.tmp"
		tar -C "$KDIR.tmp" --strip-components=1 -xf "$KSRC_TAR"
		rm -rf "$KDIR" && mv "$KDIR.tmp" "$KDIR"
	fi
	cd "$KDIR"
	# The kernel build must use the pinned toolchain, wherever it runs from.
	cp "$L3NS_ROOT/rust-toolchain.toml" "$KDIR/rust-toolchain.toml"
	make -s LLVM=$LLVM_SUFFIX tinyconfig
	opts=$(grep -v '^#' "$L3NS_ROOT/scripts/kernel.config" | tr '\n' ' ')
	# shellcheck disable=SC2086
	./scripts/config $opts
	make -s LLVM=$LLVM_SUFFIX olddefconfig
	grep -v '^#' "$L3NS_ROOT/scripts/kernel.config" | while read -r flag sym; do
		[ -n "${flag:-}" ] || continue
		case $flag in
		-e) grep -q "^CONFIG_$sym=y" .config || die "CONFIG_$sym did not survive olddefconfig" ;;
		-d) ! grep -q "^CONFIG_$sym=y" .config || die "CONFIG_$sym is still set" ;;
		esac
	done
	make -s LLVM=$LLVM_SUFFIX rustavailable >/dev/null || die "Rust toolchain not usable by the kernel"
	log "building kernel in $KDIR (about 9 minutes on 2 cores)"
	make LLVM=$LLVM_SUFFIX -j"$(nproc)" >"$KDIR/build.log" 2>&1 ||
		{ tail -40 "$KDIR/build.log" >&2; die "kernel build failed (log: $KDIR/build.log)"; }
	echo "$(( $(date +%s) - start ))" >"$KDIR/.l3ns-build-seconds"
	touch "$KDIR/.l3ns-built"
	log "kernel built in $(cat "$KDIR/.l3ns-build-seconds") s"
}

[ -f "$KDIR/.l3ns-built" ] || build
case $what in
dir) value "$KDIR" ;;
image) value "$KDIR/arch/x86/boot/bzImage" ;;
*) die "usage: kernel.sh [dir|image]" ;;
esac
