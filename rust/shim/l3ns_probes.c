// SPDX-License-Identifier: GPL-2.0
/*
 * l3ns C shim, part 2: socket probes (ownership, bind veto). Mechanisms 5-7 of
 * Documentation/design.rst. Decisions are made by the l3ns_rs_* callbacks.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/net.h>
#include <linux/netdevice.h>
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

L3NS_PROBED(security_socket_post_create, int (*)(struct socket *, int, int, int, int));
L3NS_PROBED(inet_bind, int (*)(struct socket *, struct sockaddr_unsized *, int));
L3NS_PROBED(inet6_bind, int (*)(struct socket *, struct sockaddr_unsized *, int));
L3NS_PROBED(security_capable, int (*)(const struct cred *, struct user_namespace *, int,
				      unsigned int));
L3NS_PROBED(security_socket_create, int (*)(int, int, int, int));
L3NS_PROBED(security_sk_clone, void (*)(const struct sock *, struct sock *));
L3NS_PROBED(security_sk_free, void (*)(struct sock *));

/* ---- socket creation: tag, or fail socket(2) ---------------------------- */

L3NS_FTRACE_CALLBACK(post_create_cb)
{
	struct socket *sock = (struct socket *)ftrace_regs_get_argument(fregs, 0);
	int kern = (int)ftrace_regs_get_argument(fregs, 4);
	int err = 0;

	if (!kern && sock && sock->sk)
		err = l3ns_rs_sock_create(l3ns_sock_data, sock->sk);
	if (err)
		l3ns_redirect_refuse(fregs, err);
}

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

/* ---- privileges of members ---------------------------------------------- */

L3NS_FTRACE_CALLBACK(capable_cb)
{
	int err;

	err = l3ns_rs_capable_check(l3ns_sock_data, (int)ftrace_regs_get_argument(fregs, 2));
	if (err)
		l3ns_redirect_refuse(fregs, err);
}

L3NS_FTRACE_CALLBACK(sock_create_cb)
{
	int family = (int)ftrace_regs_get_argument(fregs, 0);
	int type = (int)ftrace_regs_get_argument(fregs, 1);
	int protocol = (int)ftrace_regs_get_argument(fregs, 2);
	int kern = (int)ftrace_regs_get_argument(fregs, 3);
	int err;

	err = kern ? 0 : l3ns_rs_socket_create_check(l3ns_sock_data, family, type, protocol);
	if (err)
		l3ns_redirect_refuse(fregs, err);
}

/* ---- accepted sockets inherit, freed sockets drop their tag ------------- */

/* Plain ftrace callbacks (no IPMODIFY), not kprobes: a kprobe hit while
 * another kprobe's handler runs on the CPU (a socket freed in softirq
 * during a bind) is dropped; ftrace's recursion guard is per context, and
 * what it refuses is counted.
 */
L3NS_FTRACE_CALLBACK(sk_clone_cb)
{
	l3ns_rs_sock_clone(l3ns_sock_data, (const void *)ftrace_regs_get_argument(fregs, 0),
			   (const void *)ftrace_regs_get_argument(fregs, 1));
}

L3NS_FTRACE_CALLBACK(sk_free_cb)
{
	l3ns_rs_sock_free(l3ns_sock_data, (const void *)ftrace_regs_get_argument(fregs, 0));
}

/* sock_close(inode, file): userspace dropped its last file reference; the
 * socket may live on (an orphaned TCP connection) but no longer counts.
 */
L3NS_FTRACE_CALLBACK(sock_close_cb)
{
	struct socket *sock = SOCKET_I((struct inode *)ftrace_regs_get_argument(fregs, 0));

	if (sock->sk)
		l3ns_rs_sock_close(l3ns_sock_data, sock->sk);
}

static struct l3ns_redirect sock_observers[] = {
	{ .symbol = "security_sk_free", .ops = { .func = sk_free_cb, .flags = L3NS_OBSERVE_FLAGS } },
	{ .symbol = "sock_close", .ops = { .func = sock_close_cb, .flags = L3NS_OBSERVE_FLAGS } },
	{ .symbol = "security_sk_clone", .ops = { .func = sk_clone_cb, .flags = L3NS_OBSERVE_FLAGS } },
};

static struct l3ns_redirect sock_redirects[] = {
	{ .symbol = "security_socket_post_create",
	  .ops = { .func = post_create_cb, .flags = L3NS_REDIRECT_FLAGS } },
	{ .symbol = "inet_bind", .ops = { .func = bind_cb, .flags = L3NS_REDIRECT_FLAGS } },
	{ .symbol = "inet6_bind", .ops = { .func = bind6_cb, .flags = L3NS_REDIRECT_FLAGS } },
	{ .symbol = "security_capable", .ops = { .func = capable_cb, .flags = L3NS_REDIRECT_FLAGS } },
	{ .symbol = "security_socket_create",
	  .ops = { .func = sock_create_cb, .flags = L3NS_REDIRECT_FLAGS } },
};

int l3ns_c_sock_probes_register(void *data)
{
	int err;

	l3ns_sock_data = data;
	/* The sk_free remover is in place before any tag can be added. */
	err = l3ns_redirects_register("socket", sock_observers, ARRAY_SIZE(sock_observers));
	if (err)
		return err;
	err = l3ns_redirects_register("socket", sock_redirects, ARRAY_SIZE(sock_redirects));
	if (err) {
		l3ns_redirects_unregister(sock_observers, ARRAY_SIZE(sock_observers));
		l3ns_redirects_free(sock_observers, ARRAY_SIZE(sock_observers));
	}
	return err;
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
	l3ns_redirects_unregister(sock_observers, ARRAY_SIZE(sock_observers));
	l3ns_redirects_free(sock_observers, ARRAY_SIZE(sock_observers));
}
