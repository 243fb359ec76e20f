#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Install everything l3ns needs on a Debian 12 machine. Idempotent and quick
# when everything is present. Run as root (or with sudo available).
set -eu
. "$(dirname "$0")/common.sh"

PKGS="linux-source-6.12 clang-19 lld-19 llvm-19 libclang-19-dev flex bison bc \
libelf-dev libssl-dev cpio qemu-system-x86 busybox-static python3 gcc libc6-dev file"

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

# The toolchain named in rust-toolchain.toml, with rust-src (needed by the kernel build).
cd "$L3NS_ROOT"
if ! rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
	log "installing rust toolchain components (rust-toolchain.toml)"
	rustup show active-toolchain >/dev/null 2>&1 || rustup toolchain install
	rustup component add rust-src rustfmt clippy
fi

if ! command -v bindgen >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/bindgen" ]; then
	log "installing bindgen-cli 0.73 (about 1.5 minutes)"
	cargo install --locked --version 0.73.2 bindgen-cli
fi
log "set-up complete"
