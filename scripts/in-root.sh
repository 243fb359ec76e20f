#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# in-root.sh BUILDROOT 'COMMAND': runs COMMAND (shell text) inside the
# Debian 13 build root, with the checkout and the cache mounted at their own
# paths (so every path means the same inside and out), in a private mount
# namespace that disappears with the command (nothing to unmount, nothing
# left behind on the machine).
set -eu
. "$(dirname "$0")/common.sh"
# chroot and mount need root: a non-root caller goes through sudo.
[ "$(id -u)" -eq 0 ] || exec sudo -E "$0" "$@"
BR=$1
shift
[ -d "$BR/usr" ] || die "no build root at $BR"
# shellcheck disable=SC2016
exec unshare -m sh -ec '
	br=$1 root=$2 cache=$3; shift 3
	mount --make-rprivate /
	for d in "$root" "$cache"; do mkdir -p "$br$d"; mount --bind "$d" "$br$d"; done
	mount -t proc proc "$br/proc"
	mount --bind /dev "$br/dev"
	exec chroot "$br" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		LANG=C.UTF-8 TERM="${TERM:-dumb}" MAKEFLAGS="${MAKEFLAGS:-}" \
		L3NS_CACHE="$cache" L3NS_CLIPPY="${L3NS_CLIPPY:-}" L3NS_IN_ROOT=1 \
		/bin/sh -c "$*"
' in-root "$BR" "$L3NS_ROOT" "$CACHE" "$@"
