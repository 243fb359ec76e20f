# Hardening (issue 11.3): bind() is judged by the socket's family, never by
# the caller's sa_family. An AF_INET socket takes an AF_UNSPEC sockaddr as
# 0.0.0.0 (TCP/UDP) or as any IPv4 address (raw_bind() ignores the family):
# a root member using it gets exactly what an AF_INET sockaddr would give
# (its own hidden port for a wildcard, EADDRNOTAVAIL for a foreign address),
# never the parent's real port or address.
ensure_loaded
net_setup
B=$(ns_with 10.0.0.3)
# A wildcard UDP bind first: it must not take the parent's real port 8096.
in_ns $B "l3ns-probe unspec udp 0.0.0.0 8096 6" >/tmp/uB & pb=$!
bg_ready /tmp/uB
expect "B's AF_UNSPEC wildcard bind (shown as asked)" "bound 0.0.0.0 8096" "$(sed -n 1p /tmp/uB)"
l3ns-probe serve udpP 8096 10 >/tmp/uP & pp=$!
bg_ready /tmp/uP
expect "the parent can still bind 0.0.0.0:8096" "ok serving" "$(cat /tmp/uP)"
expect "the parent's server gets its datagrams" "ok udpP from 10.0.0.1 8096" "$(l3ns-probe ask 10.0.0.1 8096)"
wait $pb
expect "B received nothing of the parent's" "nothing" "$(sed -n 2p /tmp/uB)"
kill $pp 2>/dev/null; wait $pp 2>/dev/null
# A wildcard TCP listener: connections to the parent's address never reach it.
in_ns $B "l3ns-probe unspec tcp 0.0.0.0 8098 4" >/tmp/tB & pt=$!
bg_ready /tmp/tB
expect "B's AF_UNSPEC TCP bind" "bound 0.0.0.0 8098" "$(sed -n 1p /tmp/tB)"
expect "the parent's address: nobody listens there" "errno ECONNREFUSED" "$(l3ns-probe connect tcp 10.0.0.1 8098)"
expect "B's own address reaches B" "ok 10.0.0.1" "$(l3ns-probe connect tcp 10.0.0.3 8098)"
wait $pt
expect "B accepted only its own connection" "accepted" "$(sed -n 2p /tmp/tB)"
# Raw sockets: the address is judged whatever the family says.
expect "raw AF_UNSPEC bind of the parent's address" "errno EADDRNOTAVAIL" "$(in_ns $B 'l3ns-probe unspec raw 10.0.0.1 0 0')"
expect "raw AF_UNSPEC bind of A's address" "errno EADDRNOTAVAIL" "$(in_ns $B 'l3ns-probe unspec raw 10.0.0.2 0 0' | head -1)"
# (a raw socket's "port" is its protocol, 17)
expect "raw AF_UNSPEC bind of its own address" "bound 10.0.0.3 17" "$(in_ns $B 'l3ns-probe unspec raw 10.0.0.3 0 0' | head -1)"
# An AF_UNSPEC sockaddr with an address (TCP/UDP) stays the kernel's refusal.
expect "UDP AF_UNSPEC with an address" "errno EAFNOSUPPORT" "$(in_ns $B 'l3ns-probe unspec udp 10.0.0.3 8099 0')"
