// SPDX-License-Identifier: GPL-2.0
/*
 * l3ns C shim, part 2: socket probes (ownership, bind veto), the inetaddr
 * notifier and ifa lookup under RTNL. Mechanisms 5-7 of
 * Documentation/design.rst. Decisions are made by the l3ns_rs_* callbacks.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/inetdevice.h>
#include <linux/kprobes.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/inet_sock.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "l3ns_kprobes.h"
#include "l3ns_shim.h"

static void *l3ns_sock_data;

L3NS_PROBED(security_socket_post_create, int (*)(struct socket *, int, int, int, int));
L3NS_PROBED(security_socket_bind, int (*)(struct socket *, struct sockaddr *, int));
L3NS_PROBED(security_capable, int (*)(const struct cred *, struct user_namespace *, int,
				      unsigned int));
L3NS_PROBED(security_socket_create, int (*)(int, int, int, int));
L3NS_PROBED(security_sk_clone, void (*)(const struct sock *, struct sock *));
L3NS_PROBED(security_sk_free, void (*)(struct sock *));

int l3ns_forced_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct l3ns_kret *k = (struct l3ns_kret *)ri->data;

	if (k->ret && regs_return_value(regs) == 0)
		regs_set_return_value(regs, k->ret);
	return 0;
}

int l3ns_probes_register(const char *what, struct kprobe **kps, int nkps,
			 struct kretprobe **krps, int nkrps)
{
	int i, err;

	for (i = 0; i < nkps; i++) {
		kps[i]->addr = NULL;
		kps[i]->flags = 0;
	}
	for (i = 0; i < nkrps; i++) {
		krps[i]->kp.addr = NULL;
		krps[i]->kp.flags = 0;
	}
	/* Plain kprobes first: the sk_free remover is in place before any
	 * tag can be added by a kretprobe.
	 */
	err = register_kprobes(kps, nkps);
	if (err)
		goto fail;
	err = register_kretprobes(krps, nkrps);
	if (err) {
		unregister_kprobes(kps, nkps);
		goto fail;
	}
	return 0;
fail:
	pr_err("%s probes: registration failed (%d)\n", what, err);
	return err;
}

unsigned long l3ns_probes_missed(struct kretprobe **krps, int nkrps)
{
	unsigned long n = 0;
	int i;

	for (i = 0; i < nkrps; i++)
		n += READ_ONCE(krps[i]->nmissed);
	return n;
}

void l3ns_probes_unregister(struct kprobe **kps, int nkps,
			    struct kretprobe **krps, int nkrps)
{
	unregister_kretprobes(krps, nkrps);
	unregister_kprobes(kps, nkps);
}

/* ---- socket creation: tag, or fail socket(2) ---------------------------- */

static int post_create_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct l3ns_kret *k = (struct l3ns_kret *)ri->data;
	struct socket *sock = (struct socket *)regs_get_kernel_argument(regs, 0);
	int kern = (int)regs_get_kernel_argument(regs, 4);

	k->ret = 0;
	if (!kern && sock && sock->sk)
		k->ret = l3ns_rs_sock_create(l3ns_sock_data, sock->sk);
	return k->ret ? 0 : 1;	/* 1: no return probe needed */
}

static struct kretprobe post_create_krp = {
	.kp.symbol_name = "security_socket_post_create",
	.entry_handler = post_create_entry,
	.handler = l3ns_forced_ret,
	.data_size = sizeof(struct l3ns_kret),
	.maxactive = 64,
};

/* ---- bind(): veto ------------------------------------------------------- */

void l3ns_sockaddr_set_v4(struct sockaddr *sa, u32 addr)
{
	if (sa->sa_family == AF_INET)
		((struct sockaddr_in *)sa)->sin_addr.s_addr = htonl(addr);
	else if (sa->sa_family == AF_INET6)
		((struct sockaddr_in6 *)sa)->sin6_addr.s6_addr32[3] = htonl(addr);
}

static bool classify(const struct sockaddr *sa, int len, struct l3ns_bind_req *req)
{
	if (sa->sa_family == AF_INET && len >= (int)sizeof(struct sockaddr_in)) {
		req->kind = L3NS_BIND_V4;
		req->v4 = ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr);
		return true;
	}
	if (sa->sa_family == AF_INET6 && len >= SIN6_LEN_RFC2133) {
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
	return false;	/* other families, short lengths: not ours to judge */
}

/* One bind() call: the refusal to force, or the rewrite to apply. */
struct l3ns_bind_call {
	int ret;
	struct sockaddr *sa;
	const struct sock *sk;
	u32 rewrite;
	u16 port;
};

static int bind_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct l3ns_bind_call *b = (struct l3ns_bind_call *)ri->data;
	struct socket *sock = (struct socket *)regs_get_kernel_argument(regs, 0);
	struct sockaddr *sa = (struct sockaddr *)regs_get_kernel_argument(regs, 1);
	int len = (int)regs_get_kernel_argument(regs, 2);
	struct l3ns_bind_req req = {};

	*b = (struct l3ns_bind_call){ .sa = sa };
	if (!sock || !sock->sk || !sa || len < (int)sizeof(sa->sa_family))
		return 1;
	if (!classify(sa, len, &req))
		return 1;
	req.net_inum = sock_net(sock->sk)->ns.inum;
	/* sin_port and sin6_port sit at the same offset. */
	req.port = ntohs(((const struct sockaddr_in *)sa)->sin_port);
	if (sock->sk->sk_protocol == IPPROTO_TCP && sock->type == SOCK_STREAM)
		req.l4 = L3NS_L4_TCP;
	else if (sock->sk->sk_protocol == IPPROTO_UDP && sock->type == SOCK_DGRAM)
		req.l4 = L3NS_L4_UDP;
	req.bound = READ_ONCE(inet_sk(sock->sk)->inet_num) != 0;
	req.v6only = sock->sk->sk_family == AF_INET6 && ipv6_only_sock(sock->sk);
	/* __inet_bind()'s privileged-port rule, judged on the port asked for
	 * (a hidden port would pass it).
	 */
	req.needs_cap = req.port && inet_port_requires_bind_service(sock_net(sock->sk), req.port) &&
			!l3ns_raw_capable(sock_net(sock->sk)->user_ns, CAP_NET_BIND_SERVICE);
	b->sk = sock->sk;
	b->ret = l3ns_rs_bind_check(l3ns_sock_data, sock->sk, &req, &b->rewrite, &b->port);
	/* Nothing to refuse or rewrite: no return handler needed. */
	return b->ret || b->rewrite || b->port ? 0 : 1;
}

/*
 * After the LSMs judged the address and port the caller asked for: force
 * l3ns's refusal, or rewrite the sockaddr. It is __sys_bind_socket()'s
 * kernel copy, about to be passed to ->bind(): rewriting it changes what
 * gets bound. A bind an LSM refused gives its hidden port back.
 */
static int bind_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct l3ns_bind_call *b = (struct l3ns_bind_call *)ri->data;

	if (regs_return_value(regs) != 0) {
		if (b->port)
			l3ns_rs_bind_undo(l3ns_sock_data, b->sk);
		return 0;
	}
	if (b->ret) {
		regs_set_return_value(regs, b->ret);
		return 0;
	}
	if (b->rewrite)
		l3ns_sockaddr_set_v4(b->sa, b->rewrite);
	if (b->port)
		((struct sockaddr_in *)b->sa)->sin_port = htons(b->port);
	return 0;
}

static struct kretprobe bind_krp = {
	.kp.symbol_name = "security_socket_bind",
	.entry_handler = bind_entry,
	.handler = bind_ret,
	.data_size = sizeof(struct l3ns_bind_call),
	.maxactive = 64,
};

/* ---- privileges of members ---------------------------------------------- */

static int capable_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct l3ns_kret *k = (struct l3ns_kret *)ri->data;

	k->ret = l3ns_rs_capable_check(l3ns_sock_data, (int)regs_get_kernel_argument(regs, 2));
	return k->ret ? 0 : 1;
}

static struct kretprobe capable_krp = {
	.kp.symbol_name = "security_capable",
	.entry_handler = capable_entry,
	.handler = l3ns_forced_ret,
	.data_size = sizeof(struct l3ns_kret),
	.maxactive = 64,
};

static int sock_create_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct l3ns_kret *k = (struct l3ns_kret *)ri->data;
	int family = (int)regs_get_kernel_argument(regs, 0);
	int type = (int)regs_get_kernel_argument(regs, 1);
	int protocol = (int)regs_get_kernel_argument(regs, 2);
	int kern = (int)regs_get_kernel_argument(regs, 3);

	k->ret = kern ? 0 : l3ns_rs_socket_create_check(l3ns_sock_data, family, type, protocol);
	return k->ret ? 0 : 1;
}

static struct kretprobe sock_create_krp = {
	.kp.symbol_name = "security_socket_create",
	.entry_handler = sock_create_entry,
	.handler = l3ns_forced_ret,
	.data_size = sizeof(struct l3ns_kret),
	.maxactive = 64,
};

/* ---- accepted sockets inherit, freed sockets drop their tag ------------- */

static int sk_clone_pre(struct kprobe *p, struct pt_regs *regs)
{
	l3ns_rs_sock_clone(l3ns_sock_data, (const void *)regs_get_kernel_argument(regs, 0),
			   (const void *)regs_get_kernel_argument(regs, 1));
	return 0;
}

static int sk_free_pre(struct kprobe *p, struct pt_regs *regs)
{
	l3ns_rs_sock_free(l3ns_sock_data, (const void *)regs_get_kernel_argument(regs, 0));
	return 0;
}

/* sock_close(inode, file): userspace dropped its last file reference; the
 * socket may live on (an orphaned TCP connection) but no longer counts.
 */
static int sock_close_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct socket *sock = SOCKET_I((struct inode *)regs_get_kernel_argument(regs, 0));

	if (sock->sk)
		l3ns_rs_sock_close(l3ns_sock_data, sock->sk);
	return 0;
}

static struct kprobe sk_clone_kp = { .symbol_name = "security_sk_clone", .pre_handler = sk_clone_pre };
static struct kprobe sk_free_kp = { .symbol_name = "security_sk_free", .pre_handler = sk_free_pre };

static struct kprobe sock_close_kp = { .symbol_name = "sock_close", .pre_handler = sock_close_pre };

static struct kprobe *sock_kps[] = { &sk_free_kp, &sock_close_kp, &sk_clone_kp };
static struct kretprobe *sock_krps[] = { &post_create_krp, &bind_krp, &capable_krp, &sock_create_krp };

int l3ns_c_sock_probes_register(void *data)
{
	l3ns_sock_data = data;
	return l3ns_probes_register("socket", sock_kps, ARRAY_SIZE(sock_kps),
				    sock_krps, ARRAY_SIZE(sock_krps));
}

u64 l3ns_c_probes_missed(void)
{
	return l3ns_probes_missed(sock_krps, ARRAY_SIZE(sock_krps)) + l3ns_route_probes_missed();
}

void l3ns_c_sock_probes_unregister(void)
{
	l3ns_probes_unregister(sock_kps, ARRAY_SIZE(sock_kps), sock_krps, ARRAY_SIZE(sock_krps));
}

/* ---- address deletions --------------------------------------------------- */

static void *l3ns_addr_data;

static int inetaddr_event(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct in_ifaddr *ifa = ptr;

	if (event == NETDEV_DOWN && ifa->ifa_dev && ifa->ifa_dev->dev)
		l3ns_rs_addr_deleted(l3ns_addr_data, dev_net(ifa->ifa_dev->dev)->ns.inum,
				     ntohl(ifa->ifa_local));
	return NOTIFY_DONE;
}

static struct notifier_block l3ns_inetaddr_nb = { .notifier_call = inetaddr_event };

int l3ns_c_inetaddr_register(void *data)
{
	l3ns_addr_data = data;
	return register_inetaddr_notifier(&l3ns_inetaddr_nb);
}

void l3ns_c_inetaddr_unregister(void)
{
	unregister_inetaddr_notifier(&l3ns_inetaddr_nb);
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
