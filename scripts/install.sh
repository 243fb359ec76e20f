#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make install`, on a Debian 13 host running Debian's 7.3.4+deb13-amd64:
# with the host's own packages (gcc-14, Debian's rustc and bindgen of the
# kernel's versions, the kernel's headers, linux-source-7.3) it prepares a
# kbuild tree with rust/ artifacts (prepare-kbuild.sh), builds l3ns.ko
# (build-module.sh), installs it under /lib/modules/<version>/updates and
# runs depmod, so that `modprobe l3ns` works. These are the very steps the
# stock-kernel scenarios take in the build root (stock.sh, module.sh).
#   L3NS_KERNEL=<version> DESTDIR=<dir>: for another kernel or a staging tree
#   (never the build machine's own kernel: it refuses unless the host runs,
#   or DESTDIR is given for, a Debian kernel with CONFIG_RUST).
set -eu
. "$(dirname "$0")/common.sh"
kver=${L3NS_KERNEL:-$(uname -r)}
dest=${DESTDIR:-}
H=/usr/src/linux-headers-$kver
if [ -z "$dest" ] && [ "$kver" != "$(uname -r)" ]; then
	die "L3NS_KERNEL=$kver is not the running kernel: give DESTDIR to stage it"
fi
[ -f "$H/.config" ] || die "$H missing: apt install linux-headers-$kver"
grep -q '^CONFIG_RUST=y' "$H/.config" || die "kernel $kver has no CONFIG_RUST: l3ns needs Debian's 7.3 kernel ($STOCK_KVER)"
grep -q '^CONFIG_KPROBES=y' "$H/.config" || die "kernel $kver has no CONFIG_KPROBES"
need=""
for p in gcc-14 rustc rust-src bindgen make bc flex bison libelf-dev libssl-dev kmod linux-source-$KVER; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || need="$need $p"
done
[ -z "$need" ] || die "missing packages:$need (apt install$need)"
work=${L3NS_INSTALL_CACHE:-/var/cache/l3ns}/kbuild-$kver
if [ ! -f "$work/.l3ns-ready" ] || [ "$H/.config" -nt "$work/.l3ns-ready" ]; then
	log "preparing a kbuild tree with rust/ artifacts for $kver in $work (a few minutes)"
	"$L3NS_ROOT/scripts/prepare-kbuild.sh" "$H" "/usr/src/linux-source-$KVER.tar.xz" "$work"
	touch "$work/.l3ns-ready"
fi
out=$L3NS_ROOT/build/install-$kver
"$L3NS_ROOT/scripts/build-module.sh" "$work" "$out"
install -D -m 0644 "$out/l3ns.ko" "$dest/lib/modules/$kver/updates/l3ns.ko"
depmod ${dest:+-b "$dest"} "$kver"
log "installed $dest/lib/modules/$kver/updates/l3ns.ko; load it with: modprobe l3ns"
