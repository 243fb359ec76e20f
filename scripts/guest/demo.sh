# SPDX-License-Identifier: GPL-2.0
# `make run`: the patch's workflow, narrated.
D=/sys/kernel/debug/net_ns
say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
run() { say "$*"; sh -c "$*"; }
say "uname -r; modinfo -F vermagic l3ns"
echo "kernel $(uname -r) ($([ -d /lib/modules/$(uname -r) ] && echo "Debian's own stock kernel" || echo "the l3ns test kernel")), l3ns vermagic: $(tr '\0' '\n' </l3ns.ko | sed -n 's/^vermagic=//p')"
load="insmod /l3ns.ko"
[ -d /lib/modules/$(uname -r) ] && load="modprobe l3ns"	# Debian: loads nf_reject_ipv4 first
ip link set dummy0 name eth0 && ip link set eth0 up
ip addr add 10.0.0.1/24 dev eth0 && ip addr add 10.0.0.2/24 dev eth0 && ip addr add 10.0.0.3/24 dev eth0
mkdir -p /tmp/www /tmp/www2 /tmp/wwwP && echo "hello from L3 namespace 1" >/tmp/www/index.html
echo "hello from L3 namespace 2" >/tmp/www2/index.html && echo "hello from the parent" >/tmp/wwwP/index.html
run "$load && dmesg | grep 'l3ns: loaded'"
run "ls $D; cat $D/info"
say "sh -c 'echo 3 > $D/start; echo \"eth0 10.0.0.2\" > $D/info; cat $D/info; ip -4 addr; exec httpd -f -p 8080 -h /tmp/www' &"
sh -c "echo 3 > $D/start; echo 'eth0 10.0.0.2' > $D/info; cat $D/info; ip -4 addr; exec httpd -f -p 8080 -h /tmp/www" &
sleep 1
run "cat $D/children"
run "ip -4 addr show dev eth0"
run "wget -q -O - http://10.0.0.2:8080/"
run "timeout 3 wget -q -O - http://10.0.0.1:8080/ || echo '(refused: 10.0.0.1 belongs to the parent, not to the namespace serving on 0.0.0.0:8080)'"
say "sh -c 'echo 3 > $D/start; echo \"eth0 10.0.0.3\" > $D/info; exec httpd -f -p 8080 -h /tmp/www2' &   # a second namespace, same port"
sh -c "echo 3 > $D/start; echo 'eth0 10.0.0.3' > $D/info; exec httpd -f -p 8080 -h /tmp/www2" &
sleep 1
run "httpd -p 8080 -h /tmp/wwwP   # and the parent, on 0.0.0.0:8080 too"
run "for a in 10.0.0.1 10.0.0.2 10.0.0.3; do wget -q -O - http://\$a:8080/; done"
run "echo 1 > $D/join && ip addr add 10.0.0.9/24 dev eth0"
run "echo 4 > $D/start"
run "rmmod l3ns && dmesg | grep 'l3ns:' | tail -3"
