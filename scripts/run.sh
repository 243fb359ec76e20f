#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Boot a kernel in QEMU (TCG) with the l3ns initramfs.
#   run.sh demo  [stock|test]  the patch workflow, narrated (default: Debian's
#                              stock kernel); interactive shell if a terminal
#                              is attached, power off otherwise
#   run.sh test  [test|stock]  KUnit (test kernel) + scenarios; console log in
#                              build/console-<kernel>.log
#   run.sh bench [test|stock]  benchmarks (make bench: scripts/bench.sh)
#   run.sh profile stock       where config (c) of make bench spends its
#                              instructions (make profile: L3NS_ICOUNT=1)
#   run.sh test debug          the scenarios on the debug kernel (make test-debug)
set -eu
. "$(dirname "$0")/common.sh"
mode=${1:-demo}
which=${2:-$([ "$mode" = demo ] && echo stock || echo test)}
case $which in
test) IMAGE=$("$L3NS_ROOT/scripts/kernel.sh" image) MEM=768 ;;
stock) IMAGE=$("$L3NS_ROOT/scripts/stock.sh" image) MEM=1024 ;;
debug) IMAGE=$("$L3NS_ROOT/scripts/kernel.sh" image debug) MEM=2048 ;;	# KASAN shadow
*) die "usage: run.sh demo|test|bench|profile [test|stock|debug]" ;;
esac
# L3NS_INITRD: an initramfs already built for $which (make bench's two boots).
INITRD=${L3NS_INITRD:-$("$L3NS_ROOT/scripts/initramfs.sh" "$which")}
tty=0
[ "$mode" = demo ] && [ -t 0 ] && [ -t 1 ] && tty=1
# TCG, not KVM: the nested KVM here cannot emulate INT3 (kprobes die).
# -cpu max gives RDRAND, so the CRNG (and hashed %p) is ready at boot.
# L3NS_ICOUNT=1 (make bench): guest time counts instructions, repeatable.
# L3NS_SINGLE=1: one vCPU without icount (make bench's wall-clock boot).
accel="-accel tcg -smp 2"
[ -n "${L3NS_SINGLE:-}" ] && accel="-accel tcg,thread=single -smp 1"
[ -n "${L3NS_ICOUNT:-}" ] && accel="-accel tcg,thread=single -icount shift=0,align=off,sleep=off -smp 1"
# make bench/profile: room for 4096 namespaces and 65536 addresses; the
# stock kernel's scenarios too (45-4096-namespaces).
[ "$mode" != demo ] && [ "$which" = stock ] && MEM=2048
append="console=ttyS0 panic=-1 oops=panic loglevel=4 l3ns_mode=$mode l3ns_tty=$tty l3ns_kernel=$which${L3NS_ONLY:+ l3ns_only=$L3NS_ONLY}${L3NS_REPEAT:+ l3ns_repeat=$L3NS_REPEAT}${L3NS_APPEND:+ $L3NS_APPEND}"
case "$IMAGE$INITRD$append" in *"'"*) die "no single quote in a kernel path or L3NS_APPEND" ;; esac
# QEMU of the Debian 13 build root (10.0), not the machine's: bookworm's
# QEMU 7.2 loses cross-vCPU code modification under multi-threaded TCG --
# a guest whose kernel patches a hot function's ftrace site (any ftrace
# user: l3ns arming, the function tracer) dies on an INT3 the patching
# CPU had already replaced ("Oops: int3"; reproduced within a minute of
# toggling the function tracer on security_file_open, never in 3 529
# toggles on 10.0). Documentation/kernels.rst, "QEMU".
BR=$("$L3NS_ROOT/scripts/buildroot.sh")
set -- "$L3NS_ROOT/scripts/in-root.sh" "$BR" "qemu-system-x86_64 --version | sed -n '1s/^/l3ns: /p'; exec qemu-system-x86_64 $accel -cpu max -m $MEM \
	-kernel '$IMAGE' -initrd '$INITRD' -append '$append' -nographic -no-reboot"
if [ $tty = 1 ]; then
	exec "$@"
fi
mkdir -p "$L3NS_ROOT/build"
# L3NS_LOG=NAME: the console log is build/console-NAME.log instead.
LOG=$L3NS_ROOT/build/console-${L3NS_LOG:-$which}.log
[ "$which" = debug ] && : "${L3NS_QEMU_TIMEOUT:=3600}"
# Line-buffered where coreutils' stdbuf exists (make bench's progress lines).
lb=$(command -v stdbuf >/dev/null && echo "stdbuf -oL")
timeout "${L3NS_QEMU_TIMEOUT:-900}" "$@" </dev/null 2>&1 | $lb tr -d '\r' | tee "$LOG"
