#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Boot the test kernel in QEMU (TCG) with the l3ns initramfs.
#   run.sh demo    short demo of the patch workflow; interactive shell if a
#                  terminal is attached, power off otherwise
#   run.sh test    KUnit + scenarios; console log in build/console.log
#   run.sh bench   benchmarks
set -eu
. "$(dirname "$0")/common.sh"
mode=${1:-demo}
IMAGE=$("$L3NS_ROOT/scripts/kernel.sh" image)
"$L3NS_ROOT/scripts/module.sh" >/dev/null
INITRD=$("$L3NS_ROOT/scripts/initramfs.sh")
tty=0
[ "$mode" = demo ] && [ -t 0 ] && [ -t 1 ] && tty=1
# TCG, not KVM: the nested KVM here cannot emulate INT3 (kprobes die).
# -cpu max gives RDRAND, so the CRNG (and hashed %p) is ready at boot.
set -- qemu-system-x86_64 -accel tcg -cpu max -m 768 -smp 2 -kernel "$IMAGE" -initrd "$INITRD" \
	-append "console=ttyS0 panic=-1 oops=panic loglevel=4 l3ns_mode=$mode l3ns_tty=$tty${L3NS_ONLY:+ l3ns_only=$L3NS_ONLY}" \
	-nographic -no-reboot
if [ $tty = 1 ]; then
	exec "$@"
fi
LOG=$L3NS_ROOT/build/console.log
timeout "${L3NS_QEMU_TIMEOUT:-900}" "$@" </dev/null 2>&1 | tr -d '\r' | tee "$LOG"
