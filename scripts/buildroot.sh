#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The Debian 13 (trixie) build root: Debian's own gcc-14, rustc 1.85.1,
# bindgen 0.71.1, cargo, clippy and rustfmt -- what built the stock kernel
# 7.3.4+deb13-amd64 -- plus that kernel's headers and linux-source-7.3, i.e.
# what a real Debian 13 host has after `apt install` -- and the QEMU that
# boots the guests (scripts/run.sh says why not the machine's). Made with debootstrap
# from the mirror this machine's own apt sources name (never a fixed host
# name), with its own apt state inside: the machine's apt is not touched.
# Cached in $CACHE/buildroot-<hash of this script and the versions>.
#   buildroot.sh            ensure it exists, print its path
#   buildroot.sh mirror     print the mirror URI it is made from
set -eu
. "$(dirname "$0")/common.sh"
value_output

# The Debian archive URI of the machine's own apt sources (deb822 or
# one-line format), the first one that is not a security archive.
mirror() {
	{
		cat /etc/apt/sources.list.d/*.sources 2>/dev/null | sed -n 's/^URIs: *//p' | tr ' ' '\n'
		sed -n 's/^deb \(\[[^]]*\] \)\{0,1\}\([^ ]*\) .*/\2/p' /etc/apt/sources.list 2>/dev/null
	} | grep -v -e security -e '^$' | head -1
}
[ "${1:-}" = mirror ] && { value "$(mirror)"; exit 0; }

PKGS="gcc-14 libc6-dev rustc rust-src bindgen cargo rust-clippy rustfmt make bc flex bison \
libelf-dev libssl-dev cpio xz-utils zstd kmod python3 perl dwarves busybox-static file \
qemu-system-x86"
STOCK_PKGS="linux-headers-$STOCK_KVER=$STOCK_PKGVER linux-source-$KVER=$STOCK_PKGVER"
hash=$( { cat "$0"; echo "$KVER $STOCK_KVER $STOCK_PKGVER"; } | sha256sum | cut -c1-12)
BR=$CACHE/buildroot-$hash
[ -f "$BR/.l3ns-ready" ] && { value "$BR"; exit 0; }

[ "$(id -u)" -eq 0 ] || command -v sudo >/dev/null || die "the build root needs root (debootstrap, chroot)"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo -E"
command -v debootstrap >/dev/null || die "debootstrap missing: run scripts/setup.sh"
uri=$(mirror)
[ -n "$uri" ] || die "no Debian mirror found in /etc/apt/sources.list{,.d}"
mkdir -p "$CACHE"
exec 9>"$CACHE/buildroot.lock"
flock 9
[ -f "$BR/.l3ns-ready" ] && { value "$BR"; exit 0; }
t0=$(date +%s)
$SUDO rm -rf "$BR"
log "making the Debian 13 build root in $BR (from $uri; about a minute)"
$SUDO debootstrap --variant=minbase trixie "$BR" "$uri" >"$CACHE/buildroot.log" 2>&1 ||
	{ tail -20 "$CACHE/buildroot.log"; die "debootstrap failed (log: $CACHE/buildroot.log)"; }
printf 'deb %s trixie main\ndeb %s trixie-backports main\n' "$uri" "$uri" |
	$SUDO tee "$BR/etc/apt/sources.list" >/dev/null
$SUDO cp /etc/resolv.conf "$BR/etc/resolv.conf" 2>/dev/null || true
t1=$(date +%s)
inroot() { "$L3NS_ROOT/scripts/in-root.sh" "$BR" "$@"; }
inroot "apt-get update -qq" >>"$CACHE/buildroot.log" 2>&1 || die "apt-get update in the build root failed"
# The stock kernel's exact version: when Debian stops serving it, say which it serves.
for p in linux-source-$KVER linux-headers-$STOCK_KVER linux-binary-unsigned-$STOCK_KVER \
	linux-modules-$STOCK_KVER linux-base-$STOCK_KVER; do
	served=$(inroot "apt-cache madison $p" 2>/dev/null | awk '{print $3}' | tr '\n' ' ' | sed 's/ $//')
	case " $served " in
	*" $STOCK_PKGVER "*) ;;
	*) die "Debian no longer serves $p $STOCK_PKGVER (served: ${served:-nothing}); update STOCK_PKGVER in scripts/common.sh" ;;
	esac
done
# shellcheck disable=SC2086
inroot "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $PKGS $STOCK_PKGS" \
	>>"$CACHE/buildroot.log" 2>&1 || { tail -20 "$CACHE/buildroot.log"; die "package install in the build root failed"; }
inroot "apt-get clean"
t2=$(date +%s)
echo "debootstrap $((t1 - t0)) s, packages $((t2 - t1)) s" | $SUDO tee "$BR/.l3ns-times" >/dev/null
$SUDO touch "$BR/.l3ns-ready"
log "build root ready ($(cat "$BR/.l3ns-times"))"
value "$BR"
