# Hardening (issue 11.1, 11.2): a root member cannot switch l3ns off or
# change the shared stack through files root owns (DAC only): opening for
# writing anything under /proc/sys, any debugfs/tracefs file but
# net_ns/start and net_ns/info, or a module parameter is EACCES (one
# rate-limited dmesg line, counted in info as refused_opens). Reading stays
# allowed. The ftrace_enabled sysctl no longer switches ftrace off in 7.3
# (EOPNOTSUPP, even for the parent); l3ns's ftrace ops are PERMANENT too.
ensure_loaded
net_setup
[ -f /sys/kernel/debug/kprobes/enabled ] || fail "no kprobes/enabled file"
before=$(info_get refused_opens)
B=$(ns_with 10.0.0.3)
param=$(for f in /sys/module/*/parameters/*; do [ -w "$f" ] && [ -f "$f" ] && echo "$f"; done | head -1)
note "a writable module parameter: ${param:-none}"
n=0
for f in /sys/kernel/debug/kprobes/enabled /proc/sys/kernel/ftrace_enabled \
	/proc/sys/net/ipv4/ip_unprivileged_port_start /proc/sys/net/ipv4/ip_forward \
	/proc/sys/net/ipv4/ip_local_port_range /proc/sys/net/ipv4/icmp_echo_ignore_all \
	/proc/sys/kernel/core_pattern /proc/sys/kernel/modprobe $param; do
	# (the test kernel has no coredumps and no modprobe helper)
	[ -e "$f" ] || continue
	n=$((n + 1))
	expect "member opens $f for writing" "errno EACCES" "$(in_ns $B "l3ns-probe write $f 0")"
done
expect "kprobes still enabled" "1" "$(cat /sys/kernel/debug/kprobes/enabled)"
expect "ftrace still enabled" "1" "$(cat /proc/sys/kernel/ftrace_enabled)"
expect "a member still reads /proc/sys" "$(cat /proc/sys/net/ipv4/ip_forward)" "$(in_ns $B 'cat /proc/sys/net/ipv4/ip_forward')"
expect "the shell's redirection fails too" "refused" "$(in_ns $B 'echo 0 > /proc/sys/net/ipv4/ip_forward 2>/dev/null && echo written || echo refused')"
# A member's own info stays open to it (B is sealed: it has exec'd).
expect "a member still opens net_ns/info for writing" "errno EPERM" "$(in_ns $B "sh_write $D/info 'eth0 10.0.0.2'")"
# ... and the enforcement still holds: the parent's address stays refused.
expect "bind of the parent's address still refused" "errno EADDRNOTAVAIL" "$(in_ns $B 'l3ns-probe bind udp 10.0.0.1 7300')"
assert_ge "refused opens counted in info" $((before + n + 1)) "$(info_get refused_opens)"
dmesg | grep -q "open for writing of a Sysctl file refused to pid" || fail "no dmesg line for a refused open"
# The parent may write sysctls; ftrace_enabled cannot go off.
expect "the parent writes a sysctl" "ok 1" "$(l3ns-probe write /proc/sys/net/ipv4/icmp_echo_ignore_all 0)"
expect "ftrace_enabled=0 by the parent" "errno EOPNOTSUPP" "$(l3ns-probe write /proc/sys/kernel/ftrace_enabled 0)"
expect "ftrace is still enabled" "1" "$(cat /proc/sys/kernel/ftrace_enabled)"
