# SPDX-License-Identifier: GPL-2.0
# `make run`: the patch's workflow, narrated.
D=/sys/kernel/debug/net_ns
say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
run() { say "$*"; sh -c "$*"; }
run "insmod /l3ns.ko && dmesg | grep 'l3ns: loaded'"
run "ls -l $D"
run "cat $D/info"
say "sh -c 'echo 3 > $D/start; cat $D/info; sh -c \"grep -E ^level $D/info\"'"
sh -c "echo 3 > $D/start; cat $D/info; sh -c \"grep -E '^level' $D/info\""
run "sleep 0.3; dmesg | grep 'l3ns: ' | tail -3"
run "echo 4 > $D/start"
run "ping -c 2 127.0.0.1 >/dev/null; grep packets $D/info"
run "rmmod l3ns && dmesg | tail -2"
