// SPDX-License-Identifier: GPL-2.0
/*
 * l3ns C shim, part 3: source addresses and incoming demux (mechanisms 9
 * and 10 of Documentation/design.rst). An ftrace callback on
 * ip_route_output_flow rewrites the flow's source; ftrace redirects refuse connect()/sendmsg()
 * destinations at security_socket_connect / security_socket_sendmsg
 * (EADDRNOTAVAIL to members with no address), refuse raw and ping
 * deliveries across namespaces at sock_queue_rcv_skb_reason (TCP/UDP are
 * steered at LOCAL_IN), and wrap inet_getname / inet6_getname.
 * Decisions are made by the l3ns_rs_* callbacks.
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

L3NS_PROBED(ip_route_output_flow, struct rtable *(*)(struct net *, struct flowi4 *,
						     const struct sock *));
L3NS_PROBED(security_socket_connect, int (*)(struct socket *, struct sockaddr *, int));
L3NS_PROBED(security_socket_sendmsg, int (*)(struct socket *, struct msghdr *, int));
L3NS_PROBED(security_sock_rcv_skb, int (*)(struct sock *, struct sk_buff *));
L3NS_PROBED(inet_getname, int (*)(struct socket *, struct sockaddr *, int));
L3NS_PROBED(inet6_getname, int (*)(struct socket *, struct sockaddr *, int));

static void *l3ns_route_data;

static bool inet_user_sock(const struct sock *sk)
{
	return sk && sk_fullsock(sk) && !sk->sk_kern_sock &&
	       (sk->sk_family == AF_INET || sk->sk_family == AF_INET6);
}

/* The route's next hop and its device's addresses (RCU read side). */
static void route_facts(struct net *net, const struct flowi4 *fl4, struct l3ns_flow *f)
{
	struct flowi4 tmp = *fl4;
	struct fib_result res;
	struct fib_nh_common *nhc;
	struct in_device *in_dev;
	struct in_ifaddr *ifa;

	f->nexthop = f->daddr;
	tmp.saddr = 0;
	tmp.flowi4_iif = LOOPBACK_IFINDEX;
	rcu_read_lock();
	if (fib_lookup(net, &tmp, &res, 0))
		goto out;
	nhc = FIB_RES_NHC(res);
	if (nhc->nhc_gw_family == AF_INET)
		f->nexthop = ntohl(nhc->nhc_gw.ipv4);
	in_dev = nhc->nhc_dev ? __in_dev_get_rcu(nhc->nhc_dev) : NULL;
	if (!in_dev)
		goto out;
	in_dev_for_each_ifa_rcu(ifa, in_dev) {
		if (f->ndev >= L3NS_FLOW_DEV_ADDRS)
			break;
		f->dev_addr[f->ndev] = ntohl(ifa->ifa_local);
		f->dev_prefix[f->ndev] = ifa->ifa_prefixlen;
		f->ndev++;
	}
out:
	rcu_read_unlock();
}

static void route_source(struct net *net, struct flowi4 *fl4, const struct sock *sk)
{
	const struct inet_sock *inet;
	struct l3ns_flow f = {};
	u32 addr = 0;

	if (!net || !fl4 || !inet_user_sock(sk) || sk->sk_state == TCP_LISTEN)
		return;
	if (!l3ns_rs_source_wanted(l3ns_route_data, sk, net->ns.inum))
		return;
	inet = inet_sk(sk);
	f.net_inum = net->ns.inum;
	f.daddr = ntohl(fl4->daddr);
	f.saddr = ntohl(fl4->saddr);
	f.prefilled = fl4 == &inet->cork.fl.u.ip4 && !inet->inet_saddr &&
		      !(ipv4_is_multicast(fl4->daddr) && fl4->saddr == READ_ONCE(inet->mc_addr));
	route_facts(net, fl4, &f);
	switch (l3ns_rs_source(l3ns_route_data, sk, &f, &addr)) {
	case L3NS_SRC_USE:
		fl4->saddr = htonl(addr);
		break;
	case L3NS_SRC_REFUSE:
		/* The lookup fails (-EINVAL); connect/sendmsg probes say
		 * EADDRNOTAVAIL first where they can.
		 */
		fl4->saddr = htonl(INADDR_BROADCAST);
		break;
	}
}

/* ip_route_output_flow(net, fl4, sk): a plain ftrace callback (no kprobe
 * whose hit could be dropped while another probe handler runs).
 */
L3NS_FTRACE_CALLBACK(route_cb)
{
	route_source((struct net *)ftrace_regs_get_argument(fregs, 0),
		     (struct flowi4 *)ftrace_regs_get_argument(fregs, 1),
		     (const struct sock *)ftrace_regs_get_argument(fregs, 2));
}

/* IPv4 address and port of a sockaddr (AF_INET or v4-mapped AF_INET6;
 * AF_UNSPEC too when `unspec_v4`: udp_sendmsg() and raw_sendmsg() take it
 * as AF_INET on an AF_INET socket).
 */
static bool sockaddr_v4_as(const struct sockaddr *sa, int len, bool unspec_v4, u32 *addr, u16 *port)
{
	if (!sa || len < (int)sizeof(sa->sa_family))
		return false;
	if ((sa->sa_family == AF_INET || (unspec_v4 && sa->sa_family == AF_UNSPEC)) &&
	    len >= (int)sizeof(struct sockaddr_in)) {
		*addr = ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr);
		*port = ntohs(((const struct sockaddr_in *)sa)->sin_port);
		return true;
	}
	if (sa->sa_family == AF_INET6 && len >= SIN6_LEN_RFC2133 &&
	    ipv6_addr_v4mapped(&((const struct sockaddr_in6 *)sa)->sin6_addr)) {
		*addr = ntohl(((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr32[3]);
		*port = ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
		return true;
	}
	return false;
}

static bool sockaddr_v4(const struct sockaddr *sa, int len, u32 *addr, u16 *port)
{
	return sockaddr_v4_as(sa, len, false, addr, port);
}

/* connect()/sendmsg() destination: the refusal, or 0 (the kernel copy of
 * the sockaddr, about to reach ->connect() or ->sendmsg(), may have been
 * rewritten).
 */
/* A native IPv6 destination (not v4-mapped), `::1` included. */
static bool sockaddr_native_v6(const struct sockaddr *sa, int len)
{
	return sa && len >= SIN6_LEN_RFC2133 && sa->sa_family == AF_INET6 &&
	       !ipv6_addr_v4mapped(&((const struct sockaddr_in6 *)sa)->sin6_addr);
}

static int dest_check(struct socket *sock, struct sockaddr *sa, int len, bool unspec_v4)
{
	u32 daddr, rewrite = 0;
	u16 dport;
	int err = 0;

	if (sock && inet_user_sock(sock->sk) && sockaddr_native_v6(sa, len))
		return l3ns_rs_v6_check(l3ns_route_data, sock->sk);

	if (sock && inet_user_sock(sock->sk) && sockaddr_v4_as(sa, len, unspec_v4, &daddr, &dport)) {
		struct net *net = sock_net(sock->sk);

		err = l3ns_rs_connect_check(l3ns_route_data, sock->sk, net, net->ns.inum,
					    daddr, dport, &rewrite);
		if (!err && rewrite)
			l3ns_sockaddr_set_v4(sa, rewrite);
	}
	return err;
}

L3NS_FTRACE_CALLBACK(connect_cb)
{
	int err;

	err = dest_check((struct socket *)ftrace_regs_get_argument(fregs, 0),
			 (struct sockaddr *)ftrace_regs_get_argument(fregs, 1),
			 (int)ftrace_regs_get_argument(fregs, 2), false);
	if (err)
		l3ns_redirect_refuse(fregs, err);
}

L3NS_FTRACE_CALLBACK(sendmsg_cb)
{
	struct socket *sock = (struct socket *)ftrace_regs_get_argument(fregs, 0);
	struct msghdr *msg = (struct msghdr *)ftrace_regs_get_argument(fregs, 1);
	int err;

	/* TCP ignores the destination of a connected socket's sendmsg(), but
	 * MSG_FASTOPEN connects to it: IPv6 is judged for every type.
	 */
	if (sock && sock->sk && msg && (sock->sk->sk_type != SOCK_STREAM ||
					sockaddr_native_v6(msg->msg_name, msg->msg_namelen))) {
		err = dest_check(sock, msg->msg_name, msg->msg_namelen,
				 sock->sk->sk_family == AF_INET);
		if (err)
			l3ns_redirect_refuse(fregs, err);
	}
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

/*
 * getsockname()/getpeername(): a member sees 127.0.x.y for its own copy and
 * the port it asked for instead of a hidden port. inet_getname() and
 * inet6_getname() are replaced by wrappers that call them and rewrite the
 * kernel sockaddr the syscall copies out next (no return probe: nothing
 * can skip the rewrite).
 */
static void getname_fix(struct socket *sock, struct sockaddr *uaddr, int peer, int len)
{
	u32 addr, shown;
	u16 port;

	if (len <= 0 || !inet_user_sock(sock->sk) || !l3ns_c_tag_get(L3NS_TAG_SOCK, sock->sk))
		return;
	if (sockaddr_v4(uaddr, len, &addr, &port)) {
		shown = l3ns_rs_getname_map(l3ns_route_data, sock->sk, addr);
		if (shown != addr)
			l3ns_sockaddr_set_v4(uaddr, shown);
	}
	/* Our own port (AF_INET or AF_INET6, same offset): a hidden port
	 * shows as the one asked for.
	 */
	if (len >= (int)sizeof(struct sockaddr_in) && !peer &&
	    (uaddr->sa_family == AF_INET || uaddr->sa_family == AF_INET6)) {
		__be16 *p = &((struct sockaddr_in *)uaddr)->sin_port;

		*p = htons(l3ns_rs_getname_port(l3ns_route_data, sock->sk, ntohs(*p)));
	}
}

/* The original getname, then the member's view of its result. */
static int notrace getname_call(struct socket *sock, struct sockaddr *uaddr, int peer,
				int (*orig)(struct socket *, struct sockaddr *, int))
{
	int len;

	atomic_inc(&l3ns_wrap_inflight);
	len = orig(sock, uaddr, peer);
	getname_fix(sock, uaddr, peer, len);
	atomic_dec(&l3ns_wrap_inflight);
	return len;
}

static int notrace getname_wrap(struct socket *sock, struct sockaddr *uaddr, int peer)
{
	return getname_call(sock, uaddr, peer, inet_getname);
}
static_assert(__same_type(&getname_wrap, &inet_getname));

static int notrace getname6_wrap(struct socket *sock, struct sockaddr *uaddr, int peer)
{
	return getname_call(sock, uaddr, peer, inet6_getname);
}
static_assert(__same_type(&getname6_wrap, &inet6_getname));

L3NS_FTRACE_CALLBACK(getname_cb)
{
	l3ns_redirect_wrap(fregs, parent_ip, getname_wrap);
}

L3NS_FTRACE_CALLBACK(getname6_cb)
{
	l3ns_redirect_wrap(fregs, parent_ip, getname6_wrap);
}

static struct l3ns_redirect route_redirects[] = {
	{ .symbol = "sock_queue_rcv_skb_reason",
	  .ops = { .func = rcv_cb, .flags = L3NS_REDIRECT_FLAGS } },
	{ .symbol = "security_sock_rcv_skb", .ops = { .func = v6_rcv_cb, .flags = L3NS_REDIRECT_FLAGS } },
	{ .symbol = "security_socket_connect",
	  .ops = { .func = connect_cb, .flags = L3NS_REDIRECT_FLAGS } },
	{ .symbol = "security_socket_sendmsg",
	  .ops = { .func = sendmsg_cb, .flags = L3NS_REDIRECT_FLAGS } },
	{ .symbol = "inet_getname", .ops = { .func = getname_cb, .flags = L3NS_REDIRECT_FLAGS } },
	{ .symbol = "inet6_getname", .ops = { .func = getname6_cb, .flags = L3NS_REDIRECT_FLAGS } },
};

static struct l3ns_redirect route_observers[] = {
	{ .symbol = "ip_route_output_flow",
	  .ops = { .func = route_cb, .flags = L3NS_OBSERVE_FLAGS } },
};

int l3ns_c_route_probes_register(void *data)
{
	int err;

	l3ns_route_data = data;
	err = l3ns_redirects_register("route", route_observers, ARRAY_SIZE(route_observers));
	if (err)
		return err;
	err = l3ns_redirects_register("route", route_redirects, ARRAY_SIZE(route_redirects));
	if (err) {
		l3ns_redirects_unregister(route_observers, ARRAY_SIZE(route_observers));
		l3ns_redirects_free(route_observers, ARRAY_SIZE(route_observers));
	}
	return err;
}

void l3ns_c_route_probes_unregister(void)
{
	l3ns_redirects_unregister(route_redirects, ARRAY_SIZE(route_redirects));
	/* The getname wrappers may sleep (lock_sock()): wait for them. */
	l3ns_wrappers_wait();
	l3ns_redirects_free(route_redirects, ARRAY_SIZE(route_redirects));
	l3ns_redirects_unregister(route_observers, ARRAY_SIZE(route_observers));
	l3ns_redirects_free(route_observers, ARRAY_SIZE(route_observers));
}
