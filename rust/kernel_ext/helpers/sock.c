// SPDX-License-Identifier: GPL-2.0
/* One-line wrappers of static inlines for kernel_ext::sock. */
#include <net/inet_hashtables.h>
#include <net/sock.h>
#include <net/udp.h>

#include "sock.h"

bool l3ns_helper_sk_kern_sock(const struct sock *sk)
{
	return sk->sk_kern_sock;
}

unsigned short l3ns_helper_sk_protocol(const struct sock *sk)
{
	return sk->sk_protocol;
}

unsigned short l3ns_helper_sk_type(const struct sock *sk)
{
	return sk->sk_type;
}

struct inet_bind_hashbucket *l3ns_helper_tcp_bhash(const struct net *net, unsigned short port)
{
	struct inet_hashinfo *h = net->ipv4.tcp_death_row.hashinfo;

	return &h->bhash[inet_bhashfn(net, port, h->bhash_size)];
}

struct udp_hslot *l3ns_helper_udp_hashslot(const struct net *net, unsigned short port)
{
	return udp_hashslot(net->ipv4.udp_table, net, port);
}
