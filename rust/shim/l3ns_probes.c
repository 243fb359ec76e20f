// SPDX-License-Identifier: GPL-2.0
/*
 * l3ns C shim, part 2: the bind wrappers (bind veto and rewrite) and the
 * ifa lookup under RTNL. Mechanisms 5-7 of
 * Documentation/design.rst. Decisions are made by the l3ns_rs_* callbacks.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/inetdevice.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/inet_common.h>
#include <net/inet_sock.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "l3ns_hooks.h"
#include "l3ns_redirect.h"
#include "l3ns_shim.h"

static void *l3ns_sock_data;

L3NS_PROBED(inet_bind, int (*)(struct socket *, struct sockaddr_unsized *, int));
L3NS_PROBED(inet6_bind, int (*)(struct socket *, struct sockaddr_unsized *, int));

/* ---- bind(): veto and rewrite ------------------------------------------- */

void l3ns_sockaddr_set_v4(struct sockaddr *sa, u32 addr)
{
	if (sa->sa_family == AF_INET6)
		((struct sockaddr_in6 *)sa)->sin6_addr.s6_addr32[3] = htonl(addr);
	else	/* AF_INET, or AF_UNSPEC on an AF_INET socket */
		((struct sockaddr_in *)sa)->sin_addr.s_addr = htonl(addr);
}

/*
 * What a bind() asks for, read as the socket's own family reads it, never by
 * the caller's sa_family: an AF_INET socket (__inet_bind(), raw_bind(),
 * ping_bind()) takes any sockaddr of sizeof(sockaddr_in) as an IPv4 one
 * (AF_UNSPEC is 0.0.0.0; raw_bind() ignores the family), an AF_INET6 socket
 * only AF_INET6. What the socket's own bind refuses is not ours to judge.
 */
static bool classify(const struct sock *sk, const struct sockaddr *sa, int len,
		     struct l3ns_bind_req *req)
{
	if (sk->sk_family == AF_INET && len >= (int)sizeof(struct sockaddr_in)) {
		req->kind = L3NS_BIND_V4;
		req->v4 = ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr);
		return true;
	}
	if (sk->sk_family == AF_INET6 && sa->sa_family == AF_INET6 && len >= SIN6_LEN_RFC2133) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;

		if (ipv6_addr_v4mapped(a)) {
			req->kind = L3NS_BIND_V4;
			req->v4 = ntohl(a->s6_addr32[3]);
		} else if (ipv6_addr_any(a)) {
			req->kind = L3NS_BIND_V6_ANY;
		} else if (ipv6_addr_loopback(a)) {
			req->kind = L3NS_BIND_V6_LOOPBACK;
		} else {
			req->kind = L3NS_BIND_V6_OTHER;
		}
		return true;
	}
	return false;	/* the socket's own bind refuses it */
}

/*
 * inet_bind() / inet6_bind() (every inet socket's ->bind, raw and ping
 * included), after security_socket_bind() judged what the caller asked for:
 * l3ns refuses, or rewrites the kernel copy of the sockaddr (private
 * loopback, hidden port) before the original binds it, and gives a hidden
 * port back when the original fails. A wrapper, not a return probe:
 * nothing can skip it.
 */
static int notrace bind_wrap(struct socket *sock, struct sockaddr_unsized *uaddr, int len,
			     int (*orig)(struct socket *, struct sockaddr_unsized *, int))
{
	struct sockaddr *sa = (struct sockaddr *)uaddr;
	struct sock *sk = sock->sk;
	struct l3ns_bind_req req = {};
	u32 rewrite = 0;
	u16 port = 0;
	int err;

	atomic_inc(&l3ns_wrap_inflight);
	if (!sk || sk->sk_kern_sock || !sa || len < (int)sizeof(sa->sa_family) ||
	    !classify(sk, sa, len, &req))
		goto bind;
	req.net_inum = sock_net(sk)->ns.inum;
	/* sin_port and sin6_port sit at the same offset. */
	req.port = ntohs(((const struct sockaddr_in *)sa)->sin_port);
	if (sk->sk_protocol == IPPROTO_TCP && sock->type == SOCK_STREAM)
		req.l4 = L3NS_L4_TCP;
	else if (sk->sk_protocol == IPPROTO_UDP && sock->type == SOCK_DGRAM)
		req.l4 = L3NS_L4_UDP;
	req.bound = READ_ONCE(inet_sk(sk)->inet_num) != 0;
	req.v6only = sk->sk_family == AF_INET6 && ipv6_only_sock(sk);
	/* __inet_bind()'s privileged-port rule, judged on the port asked for
	 * (a hidden port would pass it).
	 */
	req.needs_cap = req.port && inet_port_requires_bind_service(sock_net(sk), req.port) &&
			!l3ns_raw_capable(sock_net(sk)->user_ns, CAP_NET_BIND_SERVICE);
	err = l3ns_rs_bind_check(l3ns_sock_data, sk, &req, &rewrite, &port);
	if (err)
		goto out;
	if (rewrite)
		l3ns_sockaddr_set_v4(sa, rewrite);
	if (port)
		((struct sockaddr_in *)sa)->sin_port = htons(port);
bind:
	err = orig(sock, uaddr, len);
	if (err && port)
		l3ns_rs_bind_undo(l3ns_sock_data, sk);
out:
	atomic_dec(&l3ns_wrap_inflight);
	return err;
}

static int notrace inet_bind_wrap(struct socket *sock, struct sockaddr_unsized *uaddr, int len)
{
	return bind_wrap(sock, uaddr, len, inet_bind);
}
static_assert(__same_type(&inet_bind_wrap, &inet_bind));

static int notrace inet6_bind_wrap(struct socket *sock, struct sockaddr_unsized *uaddr, int len)
{
	return bind_wrap(sock, uaddr, len, inet6_bind);
}
static_assert(__same_type(&inet6_bind_wrap, &inet6_bind));

L3NS_FTRACE_CALLBACK(bind_cb)
{
	l3ns_redirect_wrap(fregs, parent_ip, inet_bind_wrap);
}

L3NS_FTRACE_CALLBACK(bind6_cb)
{
	l3ns_redirect_wrap(fregs, parent_ip, inet6_bind_wrap);
}

static struct l3ns_redirect sock_redirects[] = {
	{ .symbol = "inet_bind", .ops = { .func = bind_cb, .flags = L3NS_REDIRECT_FLAGS } },
	{ .symbol = "inet6_bind", .ops = { .func = bind6_cb, .flags = L3NS_REDIRECT_FLAGS } },
};

int l3ns_c_sock_probes_register(void *data)
{
	l3ns_sock_data = data;
	return l3ns_redirects_register("socket", sock_redirects, ARRAY_SIZE(sock_redirects));
}

u64 l3ns_c_probes_missed(void)
{
	return atomic_long_read(&l3ns_redirect_missed);
}

void l3ns_c_sock_probes_unregister(void)
{
	l3ns_redirects_unregister(sock_redirects, ARRAY_SIZE(sock_redirects));
	/* The bind wrappers may sleep (lock_sock()): wait for them. */
	l3ns_wrappers_wait();
	l3ns_redirects_free(sock_redirects, ARRAY_SIZE(sock_redirects));
}

/* ---- ifa lookup ----------------------------------------------------------- */

void l3ns_c_rtnl_lock(void) { rtnl_lock(); }
void l3ns_c_rtnl_unlock(void) { rtnl_unlock(); }

int l3ns_c_find_ifa(const char *devname, const char *label, u32 addr, bool *loopback)
{
	struct net *net = current->nsproxy->net_ns;
	struct net_device *dev;
	struct in_device *in_dev;
	struct in_ifaddr *ifa;

	ASSERT_RTNL();
	dev = __dev_get_by_name(net, devname);
	if (!dev)
		return -ENODEV;
	*loopback = dev->flags & IFF_LOOPBACK;
	in_dev = __in_dev_get_rtnl(dev);
	if (!in_dev)
		return -EADDRNOTAVAIL;
	in_dev_for_each_ifa_rtnl(ifa, in_dev) {
		if (ifa->ifa_local != htonl(addr))
			continue;
		if (label && strcmp(label, ifa->ifa_label))
			continue;
		return ifa->ifa_prefixlen;
	}
	return -EADDRNOTAVAIL;
}
