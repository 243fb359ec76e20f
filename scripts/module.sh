#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build l3ns.ko at the repository root against the cached test kernel:
# bindgen over rust/shim/l3ns_shim.h (output never committed), then Kbuild.
#   module.sh          build (prints the path of l3ns.ko)
#   module.sh clean    remove build products
set -eu
. "$(dirname "$0")/common.sh"
value_output

if [ "${1:-}" = clean ]; then
	KDIR=$(find "$CACHE" -maxdepth 1 -name 'linux-*' -type d 2>/dev/null | head -1)
	[ -n "$KDIR" ] && make -s -C "$KDIR" M="$L3NS_ROOT" LLVM=$LLVM_SUFFIX clean || true
	rm -f "$L3NS_ROOT/rust/bindings_generated.rs"
	exit 0
fi

KDIR=$("$L3NS_ROOT/scripts/kernel.sh" dir)
HDR=$L3NS_ROOT/rust/shim/l3ns_shim.h
OUT=$L3NS_ROOT/rust/bindings_generated.rs

# Regenerate bindings when the header (or the kernel) changed.
if [ ! -f "$OUT" ] || [ "$HDR" -nt "$OUT" ] || [ "$KDIR/.l3ns-built" -nt "$OUT" ]; then
	cmdfile=$KDIR/rust/bindings/.bindings_generated.rs.cmd
	[ -f "$cmdfile" ] || die "$cmdfile missing: kernel tree not built with Rust"
	# The kernel's own clang flags for bindgen: the part after ' -- ', minus
	# the dependency-file option.
	cflags=$(sed -n 's/^savedcmd_[^ ]* := .* -- //p' "$cmdfile" |
		sed 's/-Wp,-MMD,[^ ]*//; s/;.*$//; s/-DKBUILD_[A-Z_]*=[^ ]*//g; s/-D__KBUILD_MODNAME=[^ ]*//')
	[ -n "$cflags" ] || die "could not read bindgen flags from $cmdfile"
	(cd "$KDIR" && eval bindgen "$HDR" \
		--rust-target 1.68 --use-core --with-derive-default \
		--ctypes-prefix kernel::ffi --no-layout-tests --no-debug "'.*'" \
		--enable-function-attribute-detection \
		--allowlist-function "'l3ns_c_.*'" --allowlist-type "'l3ns_.*'" \
		--allowlist-var "'L3NS_.*'" \
		-o "$OUT.tmp" -- "$cflags" -DMODULE) || die "bindgen failed"
	mv "$OUT.tmp" "$OUT"
fi

# L3NS_CLIPPY=1: compile the Rust crate through clippy, as the kernel's
# CLIPPY=1 does (make test uses it and counts warnings).
make -s -C "$KDIR" M="$L3NS_ROOT" LLVM=$LLVM_SUFFIX ${L3NS_CLIPPY:+CLIPPY=1} modules ||
	die "module build failed"
value "$L3NS_ROOT/l3ns.ko"
