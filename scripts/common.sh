# SPDX-License-Identifier: GPL-2.0
# Shared settings for the l3ns scripts (sourced, not run).
# make host-test sources this file from make's shell, where $0 says nothing.
L3NS_ROOT=${L3NS_HOST_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
# One kernel series: 7.3. The test kernel is built from Debian's
# linux-source-$KVER; the stock kernel is Debian's own 7.3.4+deb13-amd64
# (trixie-backports), never rebuilt. Both come at this package version.
KVER=7.3
STOCK_KVER=7.3.4+deb13-amd64
STOCK_PKGVER=7.3.4-1~bpo13+1
# The compiler the stock kernel was built with (its CONFIG_CC_VERSION_TEXT),
# used for the test kernel and both module builds too (in the build root).
KCC=x86_64-linux-gnu-gcc-14
# The debug kernel (make test-debug) only: Debian's clang/LLVM 19, the LLVM
# Debian's rustc 1.85 is built on (Rust with KASAN needs a clang kernel).
DEBUG_LLVM=-19
CACHE=${L3NS_CACHE:-$HOME/.cache/l3ns}
log() { echo "l3ns: $*" >&2; }
die() { echo "l3ns: error: $*" >&2; exit 1; }

# A script whose stdout is a value (one path, captured with $(...)) calls
# value_output first: from then on everything it and its children print
# (kernel make chatter such as "Entering directory" under `make -C`/-w,
# compiler output) goes to stderr, and `value` writes the one line the
# caller captures. scripts/check-values.sh tests this.
value_output() { exec 3>&1 1>&2; }
value() { printf '%s\n' "$1" >&3; }

# inroot 'COMMAND': runs shell text in the Debian 13 build root (made on
# first use), where the checkout and the cache have their own paths.
inroot() {
	[ -n "${L3NS_BR:-}" ] || L3NS_BR=$("$L3NS_ROOT/scripts/buildroot.sh")
	"$L3NS_ROOT/scripts/in-root.sh" "$L3NS_BR" "$@"
}

# llvm_in_root: adds clang-$DEBUG_LLVM, lld and llvm to the build root, once
# (make test-debug only; the build root `make test` uses stays as it is).
llvm_in_root() {
	[ -n "${L3NS_BR:-}" ] || L3NS_BR=$("$L3NS_ROOT/scripts/buildroot.sh")
	[ -f "$L3NS_BR/.l3ns-llvm$DEBUG_LLVM" ] && return 0
	log "adding clang$DEBUG_LLVM, lld and llvm to the build root (make test-debug)"
	inroot "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends clang$DEBUG_LLVM lld$DEBUG_LLVM llvm$DEBUG_LLVM && apt-get clean" \
		>>"$CACHE/buildroot.log" 2>&1 || die "installing clang$DEBUG_LLVM in the build root failed"
	inroot "touch /.l3ns-llvm$DEBUG_LLVM"
}

# matplotlib_in_root: adds python3-matplotlib to the build root, once (the
# plot of make bench only; Debian's package, no pip).
matplotlib_in_root() {
	[ -n "${L3NS_BR:-}" ] || L3NS_BR=$("$L3NS_ROOT/scripts/buildroot.sh")
	[ -f "$L3NS_BR/.l3ns-matplotlib" ] && return 0
	log "adding python3-matplotlib to the build root (make bench's plot)"
	inroot "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends python3-matplotlib && apt-get clean" \
		>>"$CACHE/buildroot.log" 2>&1 || { log "installing python3-matplotlib failed: no plot"; return 1; }
	inroot "touch /.l3ns-matplotlib"
}

# kunit_counts CONSOLE KDIR NAME: the KTAP between the guest's markers in
# CONSOLE, parsed by KDIR's own kunit.py (log in build/NAME.log); prints
# "PASSED TOTAL", or nothing when there is no parsable result.
kunit_counts() {
	sed -n '/^L3NS-KTAP-BEGIN/,/^L3NS-KTAP-END/p' "$1" | sed '1d;$d' >"$L3NS_ROOT/build/$3.ktap"
	inroot "python3 '$2/tools/testing/kunit/kunit.py' parse '$L3NS_ROOT/build/$3.ktap'" \
		>"$L3NS_ROOT/build/$3.log" 2>&1
	sed -n 's/.*Testing complete\. Ran \([0-9]*\) tests: passed: \([0-9]*\).*/\2 \1/p' \
		"$L3NS_ROOT/build/$3.log" | grep -v ' 0$'
}
