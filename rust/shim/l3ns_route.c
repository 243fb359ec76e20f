// SPDX-License-Identifier: GPL-2.0
/*
 * l3ns C shim, part 3: deliveries to raw and ping sockets across
 * namespaces (sock_queue_rcv_skb_reason) and native IPv6 deliveries to
 * members (security_sock_rcv_skb), mechanism 10 and 16 of
 * Documentation/design.rst, and two socket lookups. Decisions are made by
 * the l3ns_rs_* callbacks.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/inetdevice.h>
#include <linux/net.h>
#include <linux/socket.h>
#include <net/inet_common.h>
#include <net/inet_sock.h>
#include <net/ip_fib.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/sock.h>
#include <net/tcp.h>
#include <net/udp.h>
#include <net/inet_hashtables.h>

#include "l3ns_hooks.h"
#include "l3ns_redirect.h"
#include "l3ns_shim.h"

L3NS_PROBED(security_sock_rcv_skb, int (*)(struct sock *, struct sk_buff *));
#include "l3ns_steer.h"

static void *l3ns_route_data;

static bool inet_user_sock(const struct sock *sk)
{
	return sk && sk_fullsock(sk) && !sk->sk_kern_sock &&
	       (sk->sk_family == AF_INET || sk->sk_family == AF_INET6);
}

u8 l3ns_c_sock_l4(const void *skp)
{
	const struct sock *sk = skp;

	if (sk->sk_protocol == IPPROTO_TCP && sk->sk_type == SOCK_STREAM)
		return L3NS_L4_TCP;
	if (sk->sk_protocol == IPPROTO_UDP && sk->sk_type == SOCK_DGRAM)
		return L3NS_L4_UDP;
	return L3NS_L4_OTHER;
}

bool l3ns_c_listener_exists(const void *netp, const void *skp, u32 addr, u16 port)
{
	struct net *net = (struct net *)netp;
	const struct sock *sk = skp;
	bool found = false;

	rcu_read_lock();
	if (sk->sk_protocol == IPPROTO_TCP)
		found = __inet_lookup_listener(net, NULL, 0,
					       htonl(addr), 0, htonl(addr), port, 0, 0);
	else if (sk->sk_protocol == IPPROTO_UDP)
		found = __udp4_lib_lookup(net, htonl(addr), 0, htonl(addr), htons(port), 0, 0,
					  NULL);
	rcu_read_unlock();
	return found;
}

/*
 * Deliveries that LOCAL_IN steering does not decide (raw and ping sockets,
 * and any other user of sock_queue_rcv_skb_reason()): an ftrace redirect of
 * sock_queue_rcv_skb_reason() to a stub that refuses, as a socket filter
 * would. TCP and UDP deliveries never pass here, so the unicast TCP/UDP
 * path carries no per-socket hook.
 */
static enum skb_drop_reason notrace rcv_refused(struct sock *sk, struct sk_buff *skb)
{
	return SKB_DROP_REASON_SOCKET_FILTER;
}
/* A redirect target must have its target's exact type. */
static_assert(__same_type(&rcv_refused, &sock_queue_rcv_skb_reason));

static bool rcv_refuse(struct sock *sk, struct sk_buff *skb)
{
	/* Received IPv4 (ip_rcv() set the network header) for an inet socket. */
	if (!skb || skb->protocol != htons(ETH_P_IP) || !inet_user_sock(sk))
		return false;
	return l3ns_rs_deliver_check(l3ns_route_data, sk, sock_net(sk)->ns.inum,
				     ntohl(ip_hdr(skb)->saddr), ntohl(ip_hdr(skb)->daddr),
				     l3ns_routed_bcast(skb)) != 0;
}

L3NS_FTRACE_CALLBACK(rcv_cb)
{
	struct sock *sk = (struct sock *)ftrace_regs_get_argument(fregs, 0);
	struct sk_buff *skb = (struct sk_buff *)ftrace_regs_get_argument(fregs, 1);

	if (rcv_refuse(sk, skb))
		ftrace_regs_set_instruction_pointer(fregs, (unsigned long)rcv_refused);
}

/*
 * Native IPv6 deliveries (a member has no IPv6): security_sock_rcv_skb()
 * runs in sk_filter_trim_cap() for every TCP, UDP, raw and ping delivery;
 * an IPv6 packet for a member's socket is refused there (dropped, as a
 * socket filter would). IPv4 packets -- v4-mapped traffic to a dual-stack
 * socket included -- return after one test.
 */
static void notrace v6_rcv_cb(unsigned long ip, unsigned long parent_ip,
			      struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct sock *sk = (struct sock *)ftrace_regs_get_argument(fregs, 0);
	struct sk_buff *skb = (struct sk_buff *)ftrace_regs_get_argument(fregs, 1);
	int bit, err;

	if (!skb || skb->protocol != htons(ETH_P_IPV6))
		return;
	bit = l3ns_redirect_enter(ip, parent_ip);
	if (bit < 0)
		return;
	err = inet_user_sock(sk) ? l3ns_rs_v6_deliver_check(l3ns_route_data, sk) : 0;
	if (err)
		l3ns_redirect_refuse(fregs, err);
	l3ns_redirect_exit(bit);
}

static struct l3ns_redirect route_redirects[] = {
	{ .symbol = "sock_queue_rcv_skb_reason",
	  .ops = { .func = rcv_cb, .flags = L3NS_REDIRECT_FLAGS } },
	{ .symbol = "security_sock_rcv_skb", .ops = { .func = v6_rcv_cb, .flags = L3NS_REDIRECT_FLAGS } },
};

int l3ns_c_route_probes_register(void *data)
{
	l3ns_route_data = data;
	return l3ns_redirects_register("delivery", route_redirects, ARRAY_SIZE(route_redirects));
}

void l3ns_c_route_probes_unregister(void)
{
	/* The callbacks never sleep: the tasks-RCU grace period is enough. */
	l3ns_redirects_unregister(route_redirects, ARRAY_SIZE(route_redirects));
	l3ns_redirects_free(route_redirects, ARRAY_SIZE(route_redirects));
}
