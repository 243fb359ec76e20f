# SPDX-License-Identifier: GPL-2.0
# Shared settings for the l3ns scripts (sourced, not run).
L3NS_ROOT=$(cd "$(dirname "$0")/.." && pwd)
KVER=6.12
KSRC_TAR=/usr/src/linux-source-$KVER.tar.xz
CACHE=${L3NS_CACHE:-$HOME/.cache/l3ns}
LLVM_SUFFIX=-19
PATH="$HOME/.cargo/bin:$PATH"
export PATH
log() { echo "l3ns: $*" >&2; }
die() { echo "l3ns: error: $*" >&2; exit 1; }

# A script whose stdout is a value (one path, captured with $(...)) calls
# value_output first: from then on everything it and its children print
# (kernel make chatter such as "Entering directory" under `make -C`/-w,
# compiler output) goes to stderr, and `value` writes the one line the
# caller captures. scripts/check-values.sh tests this.
value_output() { exec 3>&1 1>&2; }
value() { printf '%s\n' "$1" >&3; }
