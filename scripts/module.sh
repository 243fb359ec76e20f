#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build l3ns.ko for one kernel in the Debian 13 build root (the stock
# kernel's gcc-14, rustc 1.85.1, bindgen 0.71.1) with build-module.sh, into
# build/<kernel>/ (Kbuild's MO=, so the two builds never share objects).
#   module.sh [test|stock|debug]  build (prints the path of l3ns.ko)
#   module.sh clean          remove build products
set -eu
. "$(dirname "$0")/common.sh"
value_output

which=${1:-test}
case $which in
clean) rm -rf "$L3NS_ROOT/build/test" "$L3NS_ROOT/build/stock" "$L3NS_ROOT/build/debug"; exit 0 ;;
test) KDIR=$("$L3NS_ROOT/scripts/kernel.sh" dir) ;;
debug) KDIR=$("$L3NS_ROOT/scripts/kernel.sh" dir debug) ;;
stock) KDIR=$("$L3NS_ROOT/scripts/stock.sh" kdir) ;;
*) die "usage: module.sh [test|stock|debug|clean]" ;;
esac
OUT=$L3NS_ROOT/build/$which
inroot "'$L3NS_ROOT/scripts/build-module.sh' '$KDIR' '$OUT'" || die "module build for the $which kernel failed"
value "$OUT/l3ns.ko"
