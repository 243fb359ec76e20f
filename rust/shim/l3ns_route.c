// SPDX-License-Identifier: GPL-2.0
/*
 * l3ns C shim, part 3: source addresses and incoming demux (mechanisms 9
 * and 10 of Documentation/design.rst). A kprobe on ip_route_output_flow
 * rewrites the flow's source, kretprobes on security_socket_connect /
 * security_socket_sendmsg give EADDRNOTAVAIL to members with no address,
 * and an ftrace redirect of sock_queue_rcv_skb_reason refuses raw and ping
 * deliveries across namespaces (TCP/UDP are steered at LOCAL_IN).
 * Decisions are made by the l3ns_rs_* callbacks.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/inetdevice.h>
#include <linux/kprobes.h>
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

#include "l3ns_kprobes.h"
#include "l3ns_redirect.h"
#include "l3ns_shim.h"

L3NS_PROBED(ip_route_output_flow, struct rtable *(*)(struct net *, struct flowi4 *,
						     const struct sock *));
L3NS_PROBED(security_socket_connect, int (*)(struct socket *, struct sockaddr *, int));
L3NS_PROBED(security_socket_sendmsg, int (*)(struct socket *, struct msghdr *, int));
L3NS_PROBED(inet_getname, int (*)(struct socket *, struct sockaddr *, int));
L3NS_PROBED(inet6_getname, int (*)(struct socket *, struct sockaddr *, int));
#include "l3ns_steer.h"

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

static int route_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct net *net = (struct net *)regs_get_kernel_argument(regs, 0);
	struct flowi4 *fl4 = (struct flowi4 *)regs_get_kernel_argument(regs, 1);
	const struct sock *sk = (const struct sock *)regs_get_kernel_argument(regs, 2);
	const struct inet_sock *inet;
	struct l3ns_flow f = {};
	u32 addr = 0;

	if (!net || !fl4 || !inet_user_sock(sk) || sk->sk_state == TCP_LISTEN)
		return 0;
	if (!l3ns_rs_source_wanted(l3ns_route_data, sk, net->ns.inum))
		return 0;
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
	return 0;
}

static struct kprobe route_kp = {
	.symbol_name = "ip_route_output_flow",
	.pre_handler = route_pre,
};

/* IPv4 address and port of a sockaddr (AF_INET or v4-mapped AF_INET6). */
static bool sockaddr_v4(const struct sockaddr *sa, int len, u32 *addr, u16 *port)
{
	if (!sa || len < (int)sizeof(sa->sa_family))
		return false;
	if (sa->sa_family == AF_INET && len >= (int)sizeof(struct sockaddr_in)) {
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

static int dest_check(struct l3ns_kret *k, struct socket *sock, struct sockaddr *sa, int len)
{
	u32 daddr, rewrite = 0;
	u16 dport;

	k->ret = 0;
	if (sock && inet_user_sock(sock->sk) && sockaddr_v4(sa, len, &daddr, &dport)) {
		struct net *net = sock_net(sock->sk);

		k->ret = l3ns_rs_connect_check(l3ns_route_data, sock->sk, net, net->ns.inum,
					       daddr, dport, &rewrite);
		/* A kernel copy of the sockaddr, about to reach ->connect()
		 * or ->sendmsg().
		 */
		if (!k->ret && rewrite)
			l3ns_sockaddr_set_v4(sa, rewrite);
	}
	return k->ret ? 0 : 1;
}

static int connect_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return dest_check((struct l3ns_kret *)ri->data,
			  (struct socket *)regs_get_kernel_argument(regs, 0),
			  (struct sockaddr *)regs_get_kernel_argument(regs, 1),
			  (int)regs_get_kernel_argument(regs, 2));
}

static int sendmsg_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct socket *sock = (struct socket *)regs_get_kernel_argument(regs, 0);
	struct msghdr *msg = (struct msghdr *)regs_get_kernel_argument(regs, 1);

	if (!sock || !sock->sk || sock->sk->sk_type == SOCK_STREAM || !msg) {
		((struct l3ns_kret *)ri->data)->ret = 0;
		return 1;
	}
	return dest_check((struct l3ns_kret *)ri->data, sock, msg->msg_name, msg->msg_namelen);
}

static struct kretprobe connect_krp = {
	.kp.symbol_name = "security_socket_connect",
	.entry_handler = connect_entry,
	.handler = l3ns_forced_ret,
	.data_size = sizeof(struct l3ns_kret),
	.maxactive = 64,
};

static struct kretprobe sendmsg_krp = {
	.kp.symbol_name = "security_socket_sendmsg",
	.entry_handler = sendmsg_entry,
	.handler = l3ns_forced_ret,
	.data_size = sizeof(struct l3ns_kret),
	.maxactive = 64,
};

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

static void notrace rcv_cb(unsigned long ip, unsigned long parent_ip,
			   struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct sock *sk = (struct sock *)ftrace_regs_get_argument(fregs, 0);
	struct sk_buff *skb = (struct sk_buff *)ftrace_regs_get_argument(fregs, 1);

	if (rcv_refuse(sk, skb))
		ftrace_regs_set_instruction_pointer(fregs, (unsigned long)rcv_refused);
}

static struct l3ns_redirect rcv_redirect[] = {
	{ .symbol = "sock_queue_rcv_skb_reason",
	  .ops = { .func = rcv_cb, .flags = L3NS_REDIRECT_FLAGS } },
};

/* getsockname()/getpeername(): a member sees 127.0.x.y for its own copy. */
struct l3ns_getname {
	struct socket *sock;
	struct sockaddr *uaddr;
	int peer;
};

static int getname_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct l3ns_getname *g = (struct l3ns_getname *)ri->data;

	g->sock = (struct socket *)regs_get_kernel_argument(regs, 0);
	g->uaddr = (struct sockaddr *)regs_get_kernel_argument(regs, 1);
	g->peer = (int)regs_get_kernel_argument(regs, 2);
	if (!g->sock || !inet_user_sock(g->sock->sk) || !g->uaddr ||
	    !l3ns_c_tag_get(L3NS_TAG_SOCK, g->sock->sk))
		return 1;
	return 0;
}

static int getname_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct l3ns_getname *g = (struct l3ns_getname *)ri->data;
	int len = (int)regs_return_value(regs);
	u32 addr, shown;
	u16 port;

	/* uaddr is the kernel sockaddr_storage the syscall copies out next. */
	if (len > 0 && sockaddr_v4(g->uaddr, len, &addr, &port)) {
		shown = l3ns_rs_getname_map(l3ns_route_data, g->sock->sk, addr);
		if (shown != addr)
			l3ns_sockaddr_set_v4(g->uaddr, shown);
	}
	/* Our own port (AF_INET or AF_INET6, same offset): a hidden port
	 * shows as the one asked for.
	 */
	if (len >= (int)sizeof(struct sockaddr_in) && !g->peer &&
	    (g->uaddr->sa_family == AF_INET || g->uaddr->sa_family == AF_INET6)) {
		__be16 *p = &((struct sockaddr_in *)g->uaddr)->sin_port;

		*p = htons(l3ns_rs_getname_port(l3ns_route_data, g->sock->sk, ntohs(*p)));
	}
	return 0;
}

static struct kretprobe getname_krp = {
	.kp.symbol_name = "inet_getname",
	.entry_handler = getname_entry,
	.handler = getname_ret,
	.data_size = sizeof(struct l3ns_getname),
	.maxactive = 64,
};

static struct kretprobe getname6_krp = {
	.kp.symbol_name = "inet6_getname",
	.entry_handler = getname_entry,
	.handler = getname_ret,
	.data_size = sizeof(struct l3ns_getname),
	.maxactive = 64,
};

static struct kprobe *route_kps[] = { &route_kp };
static struct kretprobe *route_krps[] = {
	&connect_krp, &sendmsg_krp, &getname_krp, &getname6_krp,
};

int l3ns_c_route_probes_register(void *data)
{
	int err;

	l3ns_route_data = data;
	err = l3ns_probes_register("route", route_kps, ARRAY_SIZE(route_kps),
				   route_krps, ARRAY_SIZE(route_krps));
	if (err)
		return err;
	err = l3ns_redirects_register("delivery", rcv_redirect, ARRAY_SIZE(rcv_redirect));
	if (err)
		l3ns_probes_unregister(route_kps, ARRAY_SIZE(route_kps),
				       route_krps, ARRAY_SIZE(route_krps));
	return err;
}

unsigned long l3ns_route_probes_missed(void)
{
	return l3ns_probes_missed(route_krps, ARRAY_SIZE(route_krps));
}

void l3ns_c_route_probes_unregister(void)
{
	/* rcv_refused() never sleeps: the tasks-RCU grace period is enough. */
	l3ns_redirects_unregister(rcv_redirect, ARRAY_SIZE(rcv_redirect));
	l3ns_redirects_free(rcv_redirect, ARRAY_SIZE(rcv_redirect));
	l3ns_probes_unregister(route_kps, ARRAY_SIZE(route_kps), route_krps, ARRAY_SIZE(route_krps));
}
