#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build the guest initramfs for one kernel: static busybox, /init, the guest
# scripts, the scenarios and l3ns.ko; for the stock kernel also a minimal
# lib/modules/<version> tree (l3ns in updates/, and Debian's own
# nf_reject_ipv4, dummy, veth and ipvlan (make bench) with what they depend on, uncompressed,
# indexed by depmod) so that `modprobe l3ns` loads nf_reject_ipv4 first.
# Prints the path of the gzipped cpio.
#   initramfs.sh [test|stock]
set -eu
. "$(dirname "$0")/common.sh"
value_output
which=${1:-test}
KO=$("$L3NS_ROOT/scripts/module.sh" "$which")
OUT=$L3NS_ROOT/build/$which
BB=$(command -v busybox || echo /bin/busybox)
file "$BB" 2>/dev/null | grep -q 'statically linked' || [ -x /bin/busybox ] || die "static busybox missing"
# Our static test client (the build root's gcc and glibc).
G=$L3NS_ROOT/scripts/guest
PROBE=$L3NS_ROOT/build/l3ns-probe
if [ ! -x "$PROBE" ] || [ -n "$(find "$G" -name 'probe*' -newer "$PROBE")" ]; then
	inroot "gcc-14 -static -O2 -Wall -o '$PROBE' '$G/probe.c' '$G/probe_ports.c' '$G/probe_attack.c' '$G/probe_v6.c' '$G/probe_pressure.c' '$G/probe_bench.c' '$G/probe_scale.c' '$G/probe_nl.c' -lpthread" ||
		die "building l3ns-probe failed"
fi
# gen_init_cpio: one C file of the kernel tree, built once.
CPIO=$L3NS_ROOT/build/gen_init_cpio
if [ ! -x "$CPIO" ]; then
	KSRC=$("$L3NS_ROOT/scripts/stock.sh" kdir)
	inroot "gcc-14 -static -O2 -o '$CPIO' '$KSRC/usr/gen_init_cpio.c'" || die "building gen_init_cpio failed"
fi

list=$OUT/initramfs.list
{
	echo "dir /dev 0755 0 0"
	echo "nod /dev/console 0600 0 0 c 5 1"
	echo "nod /dev/null 0666 0 0 c 1 3"
	for d in bin proc sys tmp guest scenarios; do echo "dir /$d 0755 0 0"; done
	echo "file /bin/busybox $BB 0755 0 0"
	echo "slink /bin/sh busybox 0777 0 0"
	echo "file /init $G/init 0755 0 0"
	for f in "$G"/*.sh; do echo "file /guest/$(basename "$f") $f 0644 0 0"; done
	for f in "$L3NS_ROOT"/scripts/scenarios/*.sh; do echo "file /scenarios/$(basename "$f") $f 0644 0 0"; done
	echo "file /bin/l3ns-probe $PROBE 0755 0 0"
	echo "file /l3ns.ko $KO 0644 0 0"
	# Every function l3ns hooks, for the scenario that checks the kernel has them.
	echo "file /guest/hooked-functions $OUT/hooked-functions 0644 0 0"
} >"$list"
# shellcheck disable=SC2016
# Rust: `symbol: c"f"` or `const SYMBOL: &'static CStr = c"f"`.
{
	grep -rhoiE 'symbol(: |: &.static CStr = )c"[a-z_0-9]+"' "$L3NS_ROOT"/rust --include='*.rs' | sed 's/.*c"\(.*\)"/\1/'
} 2>/dev/null | sort -u >"$OUT/hooked-functions"

if [ "$which" = stock ]; then
	# The modules the guest loads, from Debian's tree, with their dependencies.
	SRC=$("$L3NS_ROOT/scripts/stock.sh" modules)/lib/modules/$STOCK_KVER
	STAGE=$OUT/modules
	rm -rf "$STAGE" && mkdir -p "$STAGE/lib/modules/$STOCK_KVER/updates"
	cp "$SRC"/modules.order "$SRC"/modules.builtin "$SRC"/modules.builtin.modinfo "$STAGE/lib/modules/$STOCK_KVER/"
	# l3ns itself goes in as `make install` puts it on a Debian 13 host.
	inroot "L3NS_KERNEL=$STOCK_KVER DESTDIR='$STAGE' L3NS_INSTALL_CACHE='$("$L3NS_ROOT/scripts/stock.sh" dir)' \
		'$L3NS_ROOT/scripts/install.sh'" || die "install.sh into the stock initramfs failed"
	want="nf_reject_ipv4 dummy veth ipvlan" done=""
	while :; do
		# shellcheck disable=SC2086
		set -- $want
		[ $# -gt 0 ] || break
		m=$1; shift; want="$*"
		case " $done " in *" $m "*) continue ;; esac
		done="$done $m"
		f=$(cd "$SRC" && find kernel -name "$m.ko*" | head -1)
		[ -n "$f" ] || die "module $m not in the stock kernel's tree"
		mkdir -p "$STAGE/lib/modules/$STOCK_KVER/$(dirname "$f")"
		xz -dc "$SRC/$f" >"$STAGE/lib/modules/$STOCK_KVER/${f%.xz}"
		deps=$(strings "$STAGE/lib/modules/$STOCK_KVER/${f%.xz}" | sed -n 's/^depends=//p' | tr ',' ' ')
		want="$want $deps"
	done
	inroot "depmod -b '$STAGE' $STOCK_KVER" || die "depmod failed"	# again, with the others
	(cd "$STAGE" && find lib -type d | sed 's|^|dir /|; s|$| 0755 0 0|'
	 find lib -type f | while read -r f; do echo "file /$f $STAGE/$f 0644 0 0"; done) >>"$list"
fi
"$CPIO" "$list" >"$OUT/initramfs.cpio" || die "gen_init_cpio failed"
gzip -1f "$OUT/initramfs.cpio"
value "$OUT/initramfs.cpio.gz"
