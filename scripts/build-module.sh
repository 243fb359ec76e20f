#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# build-module.sh KDIR OUT: builds l3ns.ko of this checkout against the
# kbuild tree KDIR into OUT (Kbuild's MO=): bindgen over
# rust/shim/l3ns_shim.h with that kernel's own clang flags (output never
# committed), then Kbuild with the kernel's own compiler. L3NS_CLIPPY=1
# compiles the Rust crate through clippy (the kernel's CLIPPY=1). Runs on a
# Debian 13 system: the build root (module.sh) or a real host (install.sh).
set -eu
KDIR=$1 OUT=$2
ROOT=$(cd "$(dirname "$0")/.." && pwd)
die() { echo "l3ns: error: $*" >&2; exit 1; }
HDR=$ROOT/rust/shim/l3ns_shim.h
cc=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\([^ ]*\) .*/\1/p' "$KDIR/.config")
mkdir -p "$OUT"
# Regenerate bindings when the header (or the kernel) changed.
if [ ! -f "$OUT/bindings_generated.rs" ] || [ "$HDR" -nt "$OUT/bindings_generated.rs" ] ||
	[ "$KDIR/rust/libkernel.rmeta" -nt "$OUT/bindings_generated.rs" ]; then
	cmdfile=$KDIR/rust/bindings/.bindings_generated.rs.cmd
	[ -f "$cmdfile" ] || die "$cmdfile missing: kernel tree not built with Rust"
	# The kernel's own clang flags for bindgen: the part after ' -- ', minus
	# the dependency-file option.
	cflags=$(sed -n 's/^savedcmd_[^ ]* := .* -- //p' "$cmdfile" |
		sed 's/-Wp,-MMD,[^ ]*//; s/;.*$//; s/-DKBUILD_[A-Z_]*=[^ ]*//g; s/-D__KBUILD_MODNAME=[^ ]*//')
	[ -n "$cflags" ] || die "could not read bindgen flags from $cmdfile"
	# shellcheck disable=SC2086
	(cd "$KDIR" && bindgen "$HDR" \
		--rust-target 1.85 --use-core --with-derive-default \
		--ctypes-prefix kernel::ffi --no-layout-tests --no-debug '.*' \
		--enable-function-attribute-detection \
		--allowlist-function 'l3ns_c_.*' --allowlist-type 'l3ns_.*' \
		--allowlist-var 'L3NS_.*' \
		-o "$OUT/bindings_generated.rs.tmp" -- $cflags -DMODULE) || die "bindgen failed"
	mv "$OUT/bindings_generated.rs.tmp" "$OUT/bindings_generated.rs"
fi
# The compiler: the kernel's own gcc, or for a clang-built tree (the debug
# kernel) the LLVM toolchain kernel.sh recorded.
tools="CC=$cc"
[ -f "$KDIR/.l3ns-makevars" ] && tools=$(cat "$KDIR/.l3ns-makevars")
# rust/ffi/mod.rs includes $L3NS_OUT/bindings_generated.rs.
# shellcheck disable=SC2086
L3NS_OUT=$OUT make -s -C "$KDIR" M="$ROOT" MO="$OUT" $tools ${L3NS_CLIPPY:+CLIPPY=1} modules
