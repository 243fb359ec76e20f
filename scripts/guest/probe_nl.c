// SPDX-License-Identifier: GPL-2.0
/*
 * l3ns-probe: a few rtnetlink calls of our own (busybox `ip` cannot create
 * netkit or ipvlan devices, nor place both ends of a pair at once), and
 * running a command in another network namespace. For `make bench`.
 *
 *   link veth NAME NSPATH PEER PEERNSPATH MTU
 *   link netkit NAME NSPATH PEER PEERNSPATH MTU
 *                             a veth / netkit (L3 mode, policy pass) pair:
 *                             NAME in the netns of NSPATH, PEER in that of
 *                             PEERNSPATH ("-": this one), both with MTU
 *   link ipvlan MASTER NAME NSPATH MTU
 *                             an ipvlan slave of MASTER (in this netns) in
 *                             mode L3S, placed in the netns of NSPATH
 *   link dummy NAME MTU       a dummy device in this netns
 *   netns NSPATH CMD...       setns(2) into NSPATH's netns, exec CMD
 * Each link command prints "ok" or "errno NAME" (exit 1).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <sys/socket.h>

#include "probe.h"

int nl_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	int big = 1 << 20;

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Starts a message of TYPE with BODY (ifinfomsg, ifaddrmsg, ...). */
struct nlmsghdr *nl_begin(struct nlbuf *b, int type, int flags, const void *body, size_t len)
{
	struct nlmsghdr *h = (struct nlmsghdr *)(b->buf + b->len);

	if (b->len + NLMSG_SPACE(len) > sizeof(b->buf))
		return NULL;
	memset(h, 0, NLMSG_SPACE(len));
	h->nlmsg_len = NLMSG_LENGTH(len);
	h->nlmsg_type = type;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	h->nlmsg_seq = ++b->seq;
	memcpy(NLMSG_DATA(h), body, len);
	b->len += NLMSG_ALIGN(h->nlmsg_len);
	b->count++;
	return h;
}

/* Appends attribute TYPE to the message H (the last one in B). */
struct rtattr *nl_attr(struct nlbuf *b, struct nlmsghdr *h, int type, const void *data, size_t len)
{
	struct rtattr *a = (struct rtattr *)(b->buf + b->len);

	if (!h || b->len + RTA_SPACE(len) > sizeof(b->buf))
		return NULL;
	memset(a, 0, RTA_SPACE(len));
	a->rta_type = type;
	a->rta_len = RTA_LENGTH(len);
	if (data)
		memcpy(RTA_DATA(a), data, len);
	b->len += RTA_ALIGN(a->rta_len);
	h->nlmsg_len = (char *)a - (char *)h + RTA_ALIGN(a->rta_len);
	return a;
}

/* Closes the nest A: it holds everything appended since. */
void nl_end(struct nlbuf *b, struct rtattr *a)
{
	if (a)
		a->rta_len = b->buf + b->len - (char *)a;
}

/* Sends every message in B and reads one answer per message; returns 0 or
 * the first negative errno. B is emptied. */
int nl_send(int fd, struct nlbuf *b)
{
	static char rx[1 << 16];
	unsigned int want = b->count;
	int err = 0;

	if (!b->count)
		return 0;
	if (send(fd, b->buf, b->len, 0) != (ssize_t)b->len)
		return -errno;
	b->len = 0;
	b->count = 0;
	while (want) {
		ssize_t n = recv(fd, rx, sizeof(rx), 0);
		struct nlmsghdr *h = (struct nlmsghdr *)rx;

		if (n < 0)
			return -errno;
		for (; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type != NLMSG_ERROR)
				continue;
			want--;
			if (!err)
				err = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
		}
	}
	return err;
}

static int ns_fd(const char *path)
{
	if (!strcmp(path, "-"))
		return -2;
	return open(path, O_RDONLY | O_CLOEXEC);
}

/* The ifinfomsg + name + MTU (+ netns) part shared by every device. */
static struct nlmsghdr *link_head(struct nlbuf *b, struct nlmsghdr *h, const char *name, int nsfd,
				  unsigned int mtu)
{
	nl_attr(b, h, IFLA_IFNAME, name, strlen(name) + 1);
	if (mtu)
		nl_attr(b, h, IFLA_MTU, &mtu, sizeof(mtu));
	if (nsfd >= 0)
		nl_attr(b, h, IFLA_NET_NS_FD, &nsfd, sizeof(nsfd));
	return h;
}

static int cmd_link(int argc, char **argv)
{
	static struct nlbuf b;
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	const char *kind = argv[2];
	int fd = nl_open(), err = -EINVAL;
	struct nlmsghdr *h = nl_begin(&b, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifi, sizeof(ifi));
	struct rtattr *li, *data, *peer;

	if (fd < 0 || !h)
		goto out;
	if ((!strcmp(kind, "veth") || !strcmp(kind, "netkit")) && argc == 8) {
		int veth = !strcmp(kind, "veth"), a = ns_fd(argv[4]), p = ns_fd(argv[6]);
		unsigned int mtu = atoi(argv[7]), mode = NETKIT_L3;

		if (a == -1 || p == -1) {
			err = -errno;
			goto out;
		}
		link_head(&b, h, argv[3], a, mtu);
		li = nl_attr(&b, h, IFLA_LINKINFO, NULL, 0);
		nl_attr(&b, h, IFLA_INFO_KIND, kind, strlen(kind) + 1);
		data = nl_attr(&b, h, IFLA_INFO_DATA, NULL, 0);
		if (!veth)
			nl_attr(&b, h, IFLA_NETKIT_MODE, &mode, sizeof(mode));
		peer = nl_attr(&b, h, veth ? VETH_INFO_PEER : IFLA_NETKIT_PEER_INFO, &ifi, sizeof(ifi));
		link_head(&b, h, argv[5], p, mtu);
		nl_end(&b, peer);
		nl_end(&b, data);
		nl_end(&b, li);
	} else if (!strcmp(kind, "ipvlan") && argc == 7) {
		int master = if_nametoindex(argv[3]), nsfd = ns_fd(argv[5]);
		unsigned short mode = IPVLAN_MODE_L3S;

		if (!master || nsfd == -1) {
			err = -errno;
			goto out;
		}
		link_head(&b, h, argv[4], nsfd, atoi(argv[6]));
		nl_attr(&b, h, IFLA_LINK, &master, sizeof(master));
		li = nl_attr(&b, h, IFLA_LINKINFO, NULL, 0);
		nl_attr(&b, h, IFLA_INFO_KIND, "ipvlan", 7);
		data = nl_attr(&b, h, IFLA_INFO_DATA, NULL, 0);
		nl_attr(&b, h, IFLA_IPVLAN_MODE, &mode, sizeof(mode));
		nl_end(&b, data);
		nl_end(&b, li);
	} else if (!strcmp(kind, "dummy") && argc == 5) {
		link_head(&b, h, argv[3], -2, atoi(argv[4]));
		li = nl_attr(&b, h, IFLA_LINKINFO, NULL, 0);
		nl_attr(&b, h, IFLA_INFO_KIND, "dummy", 6);
		nl_end(&b, li);
	} else {
		fprintf(stderr, "usage: see probe_nl.c\n");
		return 2;
	}
	err = nl_send(fd, &b);
out:
	if (err) {
		printf("errno %s\n", errname(-err));
		return 1;
	}
	printf("ok\n");
	return 0;
}

static int cmd_netns(char **argv)
{
	int fd = open(argv[2], O_RDONLY | O_CLOEXEC);

	if (fd < 0 || setns(fd, CLONE_NEWNET)) {
		printf("errno %s\n", errname(errno));
		return 1;
	}
	execvp(argv[3], argv + 3);
	printf("errno %s\n", errname(errno));
	return 1;
}

int nl_main(int argc, char **argv)
{
	if (argc >= 5 && !strcmp(argv[1], "link"))
		return cmd_link(argc, argv);
	if (argc >= 4 && !strcmp(argv[1], "netns"))
		return cmd_netns(argv);
	return -1;
}
