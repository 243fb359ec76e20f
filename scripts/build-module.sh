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
EXT=$ROOT/rust/kernel_ext/bindings_helper.h
KB=$KDIR/rust/bindings/bindings_generated.rs
cmdfile=$KDIR/rust/bindings/.bindings_generated.rs.cmd
[ -f "$cmdfile" ] && [ -f "$KB" ] || die "$cmdfile missing: kernel tree not built with Rust"
# The kernel's own clang flags for bindgen: the part after ' -- ', minus
# the dependency-file option.
cflags=$(sed -n 's/^savedcmd_[^ ]* := .* -- //p' "$cmdfile" |
	sed 's/-Wp,-MMD,[^ ]*//; s/;.*$//; s/-DKBUILD_[A-Z_]*=[^ ]*//g; s/-D__KBUILD_MODNAME=[^ ]*//')
[ -n "$cflags" ] || die "could not read bindgen flags from $cmdfile"
stale() { [ ! -f "$1" ] || [ "$2" -nt "$1" ] || [ "$KDIR/rust/libkernel.rmeta" -nt "$1" ] ||
	[ "$0" -nt "$1" ]; }
# The kernel types rust/kernel_ext/ uses that kernel::bindings lacks, from the
# kernel's real headers. Every type kernel::bindings has is blocklisted here
# and taken from there (`use kernel::bindings::*`): one C type, one Rust type.
# Only what is asked for is generated (no recursive allowlist).
if stale "$OUT/kernel_ext_bindings.rs" "$EXT"; then
	sed -n 's/^pub \(struct\|union\|type\|enum\) \([A-Za-z0-9_]*\).*/--blocklist-type ^\2$/p' "$KB" |
		sort -u >"$OUT/kernel_types.args"
	# shellcheck disable=SC2086
	(cd "$KDIR" && bindgen "$EXT" \
		--rust-target 1.85 --use-core --with-derive-default \
		--ctypes-prefix kernel::ffi --no-layout-tests --no-debug '.*' \
		--enable-function-attribute-detection --no-recursive-allowlist \
		--allowlist-type '(in_ifaddr|in_device|netdev_cmd)(__.*)?' \
		--allowlist-type 'ip_mc_list|neigh_parms' --opaque-type 'ip_mc_list|neigh_parms' \
		--allowlist-var 'netdev_cmd_.*' \
		--allowlist-function '(un)?register_inetaddr_notifier|l3ns_helper_.*' \
		$(cat "$OUT/kernel_types.args") --raw-line 'pub use kernel::bindings::*;' \
		-o "$OUT/kernel_ext_bindings.rs.tmp" -- $cflags -DMODULE) || die "bindgen (kernel_ext) failed"
	mv "$OUT/kernel_ext_bindings.rs.tmp" "$OUT/kernel_ext_bindings.rs"
fi
# Our own header: the C shim's interface.
if stale "$OUT/bindings_generated.rs" "$HDR"; then
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
# rust/ffi/mod.rs and rust/kernel_ext/mod.rs include $L3NS_OUT/*.rs.
# shellcheck disable=SC2086
L3NS_OUT=$OUT make -s -C "$KDIR" M="$ROOT" MO="$OUT" $tools ${L3NS_CLIPPY:+CLIPPY=1} modules
