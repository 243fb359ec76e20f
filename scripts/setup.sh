#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Install what l3ns needs on the build machine (Debian 12 or 13): only
# debootstrap (for the Debian 13 build root, which holds every compiler and
# the QEMU that boots the guests: scripts/buildroot.sh), a static busybox for
# the guests, and util-linux (unshare). Idempotent and quick when everything
# is present. Run as root.
set -eu
. "$(dirname "$0")/common.sh"

PKGS="debootstrap busybox-static util-linux xz-utils file"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	log "installing:$missing"
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
