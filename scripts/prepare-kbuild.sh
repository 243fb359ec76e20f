#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# prepare-kbuild.sh HEADERS SOURCE_TARBALL OUT: makes OUT a kbuild tree
# that Rust modules for a Debian kernel can be built against: the kernel's
# source (linux-source-7.3) with Debian's own .config, generated headers,
# Module.symvers and BTF vmlinux copied in from its linux-headers package,
# plus the rust/ artifacts no Debian package ships, generated here by
# rustc and bindgen of the versions the kernel's config names. Runs on a
# Debian 13 system: the build root (stock.sh) or a real host (install.sh).
set -eu
H=$1 TAR=$2 K=$3
log() { echo "l3ns: $*" >&2; }
die() { echo "l3ns: error: $*" >&2; exit 1; }
[ -f "$H/.config" ] || die "$H/.config missing: install linux-headers for the kernel"
[ -f "$TAR" ] || die "$TAR missing: install linux-source-7.3"
cc=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\([^ ]*\) .*/\1/p' "$H/.config")
want_rustc=$(sed -n 's/^CONFIG_RUSTC_VERSION_TEXT="\(.*\)"/\1/p' "$H/.config")
want_bindgen=$(sed -n 's/^CONFIG_BINDGEN_VERSION_TEXT="\(.*\)"/\1/p' "$H/.config")
command -v "$cc" >/dev/null || die "$cc (the kernel's compiler) missing"
[ "$(rustc --version)" = "$want_rustc" ] || die "rustc is '$(rustc --version)', the kernel was built with '$want_rustc'"
[ "$(bindgen --version)" = "$want_bindgen" ] || die "bindgen is '$(bindgen --version)', the kernel was built with '$want_bindgen'"
release=$(cat "$H/include/config/kernel.release")
rm -rf "$K" && mkdir -p "$K"
tar -C "$K" --strip-components=1 -xf "$TAR"
cd "$K"
# Debian's configuration and generated headers, exactly. An empty
# auto.conf.cmd and generated files newer than .config keep syncconfig from
# re-running with this system's view of the toolchain (it would drop
# options -- seen: OpenSSL ML-DSA support -- and could change layouts).
cp -a "$H/.config" "$H/Module.symvers" "$H/vmlinux" .
cp -a "$H/include/config" "$H/include/generated" include/
cp -a "$H/arch/x86/include/generated" arch/x86/include/
: >include/config/auto.conf.cmd
touch include/config/auto.conf include/generated/autoconf.h include/generated/rustc_cfg
make -s CC="$cc" modules_prepare
make -s CC="$cc" rust/
# prepare wrote the source's plain version: the release string modules are
# stamped with (vermagic) is Debian's. External module builds do not
# regenerate it.
cp "$H/include/config/kernel.release" include/config/
cp "$H/include/generated/utsrelease.h" include/generated/
for f in .config include/config/auto.conf include/generated/autoconf.h include/generated/rustc_cfg \
	include/generated/utsrelease.h; do
	cmp -s "$f" "$H/$f" || die "$f differs from Debian's after preparing"
done
log "kbuild tree for $release ready in $K"
