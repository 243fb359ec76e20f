#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build the guest initramfs: static busybox, /init, the guest scripts, the
# scenarios and l3ns.ko. Prints the path of the gzipped cpio.
set -eu
. "$(dirname "$0")/common.sh"
value_output
KDIR=$("$L3NS_ROOT/scripts/kernel.sh" dir)
OUT=$L3NS_ROOT/build
mkdir -p "$OUT"
BB=$(command -v busybox || echo /bin/busybox)
file "$BB" 2>/dev/null | grep -q 'statically linked' || [ -x /bin/busybox ] || die "static busybox missing"
# Our static test client.
G=$L3NS_ROOT/scripts/guest
if [ ! -x "$OUT/l3ns-probe" ] || [ -n "$(find "$G" -name 'probe*' -newer "$OUT/l3ns-probe")" ]; then
	gcc -static -O2 -Wall -o "$OUT/l3ns-probe" "$G/probe.c" "$G/probe_ports.c" -lpthread || die "building l3ns-probe failed"
fi
list=$OUT/initramfs.list
{
	echo "dir /dev 0755 0 0"
	echo "nod /dev/console 0600 0 0 c 5 1"
	echo "nod /dev/null 0666 0 0 c 1 3"
	for d in bin proc sys tmp guest scenarios; do echo "dir /$d 0755 0 0"; done
	echo "file /bin/busybox $BB 0755 0 0"
	echo "slink /bin/sh busybox 0777 0 0"
	echo "file /init $L3NS_ROOT/scripts/guest/init 0755 0 0"
	for f in "$L3NS_ROOT"/scripts/guest/*.sh; do echo "file /guest/$(basename "$f") $f 0644 0 0"; done
	for f in "$L3NS_ROOT"/scripts/scenarios/*.sh; do echo "file /scenarios/$(basename "$f") $f 0644 0 0"; done
	echo "file /bin/l3ns-probe $OUT/l3ns-probe 0755 0 0"
	echo "file /l3ns.ko $L3NS_ROOT/l3ns.ko 0644 0 0"
} >"$list"
"$KDIR/usr/gen_init_cpio" "$list" | gzip -1 >"$OUT/initramfs.cpio.gz"
value "$OUT/initramfs.cpio.gz"
