# Every kernel function l3ns probes or redirects (the list is taken from the
# shim's sources when the initramfs is built) exists on this kernel -- the
# test kernel and Debian's stock one alike -- and ftrace can trace it (a
# kprobe on an ftrace site and an IPMODIFY redirect both need that): it is
# in /proc/kallsyms and in available_filter_functions. So are the sched
# tracepoints l3ns attaches to.
T=/sys/kernel/tracing
[ -f $T/available_filter_functions ] || mount -t tracefs tracefs $T 2>/dev/null
[ -f $T/available_filter_functions ] || fail "no tracefs at $T"
# Each list is read once (the stock kernel's are ~200k and ~80k lines, and a
# read per function made this scenario time out under a loaded host).
sed -n 's/^[0-9a-f]* [tT] \([^ ]*\)$/\1/p' /proc/kallsyms >/tmp/text-symbols
cp $T/available_filter_functions /tmp/traceable
n=0
while read -r fn; do
	grep -qx "$fn" /tmp/text-symbols || fail "$fn is not in /proc/kallsyms"
	grep -qx "$fn" /tmp/traceable || fail "$fn is not traceable (available_filter_functions)"
	n=$((n + 1))
done </guest/hooked-functions
assert_ge "hooked functions present and traceable on $(uname -r)" 16 "$n"
for tp in sched_process_fork sched_process_exit sched_process_free sched_process_exec; do
	[ -d $T/events/sched/$tp ] || fail "no tracepoint $tp"
done
note "ok: sched_process_fork/exit/free/exec tracepoints present"
