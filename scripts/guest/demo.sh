# SPDX-License-Identifier: GPL-2.0
# `make run`: the patch's workflow, narrated.
D=/sys/kernel/debug/net_ns
say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
run() { say "$*"; sh -c "$*"; }
ip link set dummy0 name eth0 && ip link set eth0 up
ip addr add 10.0.0.1/24 dev eth0 && ip addr add 10.0.0.2/24 dev eth0
mkdir -p /tmp/www && echo "hello from L3 namespace 1" >/tmp/www/index.html
run "insmod /l3ns.ko && dmesg | grep 'l3ns: loaded'"
run "ls $D; cat $D/info"
say "sh -c 'echo 3 > $D/start; echo \"eth0 10.0.0.2\" > $D/info; cat $D/info; ip -4 addr; exec httpd -f -p 8080 -h /tmp/www' &"
sh -c "echo 3 > $D/start; echo 'eth0 10.0.0.2' > $D/info; cat $D/info; ip -4 addr; exec httpd -f -p 8080 -h /tmp/www" &
sleep 1
run "cat $D/children"
run "ip -4 addr show dev eth0"
run "wget -q -O - http://10.0.0.2:8080/"
run "timeout 3 wget -q -O - http://10.0.0.1:8080/ || echo '(no answer: 10.0.0.1 belongs to the parent, not to the namespace serving on 0.0.0.0:8080)'"
run "echo 1 > $D/join && ip addr add 10.0.0.9/24 dev eth0"
run "echo 4 > $D/start"
run "rmmod l3ns && dmesg | grep 'l3ns:' | tail -3"
