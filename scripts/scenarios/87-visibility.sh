# Visibility: inside an L3 namespace `ip addr` (netlink dump), `ifconfig`
# (SIOCGIFCONF + SIOCGIFADDR) and `ifconfig eth0:1` show only its own
# addresses plus loopback; the parent no longer sees them until they
# return.
ensure_loaded
net_setup
A=$(ns_with 10.0.0.2 10.0.0.4)
v4() { grep -o 'inet [0-9.]*' | sed 's/inet //' | sort | tr '\n' ' ' | sed 's/ $//'; }
expect "ip addr inside A" "10.0.0.2 10.0.0.4 127.0.0.1" "$(in_ns $A 'ip -4 addr' | v4)"
expect "ip addr show dev eth0 inside A" "10.0.0.2 10.0.0.4" "$(in_ns $A 'ip -4 addr show dev eth0' | v4)"
ifc() { grep -o 'inet addr:[0-9.]*' | sed 's/inet addr://' | sort | tr '\n' ' ' | sed 's/ $//'; }
expect "ifconfig inside A" "10.0.0.2 10.0.0.4 127.0.0.1" "$(in_ns $A 'ifconfig' | ifc)"
expect "ifconfig eth0 inside A" "10.0.0.2" "$(in_ns $A 'ifconfig eth0' | ifc)"
expect "ifconfig eth0:1 inside A" "10.0.0.4" "$(in_ns $A 'ifconfig eth0:1' | ifc)"
expect "ip addr in the parent" "10.0.0.1 10.0.0.3 127.0.0.1" "$(ip -4 addr | v4)"
expect "ifconfig in the parent (one address per label, as always)" "10.0.0.1 127.0.0.1" "$(ifconfig | ifc)"
expect "ifconfig eth0:1 in the parent" "" "$(ifconfig eth0:1 2>/dev/null | ifc)"
B=$(ns_with)
expect "a namespace with no address sees only loopback" "127.0.0.1" "$(in_ns $B 'ip -4 addr' | v4)"
ns_cleanup
expect "ip addr in the parent after A died" "10.0.0.1 10.0.0.2 10.0.0.3 10.0.0.4 127.0.0.1" "$(ip -4 addr | v4)"
