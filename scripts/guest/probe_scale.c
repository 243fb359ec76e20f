// SPDX-License-Identifier: GPL-2.0
/*
 * l3ns-probe commands for many namespaces and addresses (issue 13: `make
 * bench`'s scaling series and the 4096-namespace scenario use exactly these):
 *
 *   addrs PREFIX NDEV CIDR_FIRST COUNT
 *        creates dummy devices PREFIX0..PREFIX<NDEV-1> (up) and adds COUNT
 *        consecutive addresses from CIDR_FIRST (a.b.c.d, /32, or a.b.c.d/N)
 *        round-robin over them, batched over rtnetlink; prints
 *        "addrs: COUNT on NDEV devices in T ms"
 *   hold N FIRST_IP PORT [TOTAL]
 *        forks N children in turn; child i starts an L3 namespace, takes
 *        FIRST_IP+i (on the device that has it) and, when TOTAL > N, also
 *        FIRST_IP+N+i, FIRST_IP+2N+i, ... below FIRST_IP+TOTAL; listens on
 *        TCP FIRST_IP+i:PORT, passes the socket to the parent (SCM_RIGHTS)
 *        and exits. The parent, in no L3 namespace, keeps the N listeners
 *        (each namespace lives through its socket alone), prints
 *        "hold: N namespaces ready in T ms", answers every connection with
 *        "<i> <FIRST_IP+i>\n" until stdin ends or SIGTERM, closes them all,
 *        waits until net_ns/info's l3_children is back where it was and
 *        prints "hold: released in T ms". When a child is refused it
 *        prints "hold: n/a at namespace I: STEP ERRNO" and exits 3.
 *   ask N FIRST_IP PORT [SRC]
 *        connects (from SRC, if given) to FIRST_IP+i:PORT for each i,
 *        checks the answer names
 *        that address; prints "ask: A answered, K wrong"; exit 1 unless
 *        A = N and K = 0
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "probe.h"

#define NS_DIR "/sys/kernel/debug/net_ns/"

static int parse_ip(const char *s, unsigned int *ip, unsigned int *plen)
{
	char buf[32], *slash;
	struct in_addr a;

	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	*plen = 32;
	if (slash) {
		*slash = 0;
		*plen = atoi(slash + 1);
	}
	if (inet_pton(AF_INET, buf, &a) != 1 || *plen > 32)
		return -1;
	*ip = ntohl(a.s_addr);
	return 0;
}

static const char *ip_str(unsigned int ip, char *buf)
{
	struct in_addr a = { .s_addr = htonl(ip) };

	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static int cmd_addrs(const char *prefix, int ndev, const char *first, long count)
{
	static struct nlbuf b;
	unsigned int ip, plen, *idx = calloc(ndev > 0 ? ndev : 1, sizeof(*idx));
	long long t0 = mono_ns();
	int fd = nl_open(), err = 0, i;
	long k;

	if (ndev < 1 || count < 0 || !idx || parse_ip(first, &ip, &plen) || fd < 0) {
		fprintf(stderr, "addrs: bad arguments\n");
		return 2;
	}
	for (i = 0; i < ndev && !err; i++) {
		struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_flags = IFF_UP, .ifi_change = IFF_UP };
		struct nlmsghdr *h;
		struct rtattr *li;
		char name[IFNAMSIZ];

		snprintf(name, sizeof(name), "%s%d", prefix, i);
		h = nl_begin(&b, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifi, sizeof(ifi));
		nl_attr(&b, h, IFLA_IFNAME, name, strlen(name) + 1);
		li = nl_attr(&b, h, IFLA_LINKINFO, NULL, 0);
		nl_attr(&b, h, IFLA_INFO_KIND, "dummy", 6);
		nl_end(&b, li);
		err = nl_send(fd, &b);
		idx[i] = if_nametoindex(name);
		if (!err && !idx[i])
			err = -errno;
	}
	for (k = 0; k < count && !err; k++) {
		struct ifaddrmsg ifa = { .ifa_family = AF_INET, .ifa_prefixlen = plen,
					 .ifa_index = idx[k % ndev] };
		unsigned int a = htonl(ip + k);
		struct nlmsghdr *h = nl_begin(&b, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, &ifa, sizeof(ifa));

		if (h) {
			nl_attr(&b, h, IFA_LOCAL, &a, 4);
			nl_attr(&b, h, IFA_ADDRESS, &a, 4);
		}
		if (!h || b.len + 128 > sizeof(b.buf)) {
			err = nl_send(fd, &b);
			if (!h)
				k--;	/* not queued: again */
		}
	}
	if (!err)
		err = nl_send(fd, &b);
	if (err) {
		printf("addrs: errno %s\n", errname(-err));
		return 1;
	}
	printf("addrs: %ld on %d devices in %lld ms\n", count, ndev, (mono_ns() - t0) / 1000000);
	return 0;
}

/* ifindex of each address in [first, first + n), from one RTM_GETADDR dump. */
static int addr_devs(unsigned int first, unsigned int n, unsigned int *dev)
{
	static char rx[1 << 16];
	struct { struct nlmsghdr h; struct ifaddrmsg a; } req = {
		.h = { .nlmsg_len = sizeof(req), .nlmsg_type = RTM_GETADDR,
		       .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 1 },
		.a = { .ifa_family = AF_INET },
	};
	int fd = nl_open();

	if (fd < 0 || send(fd, &req, sizeof(req), 0) < 0)
		return -1;
	for (;;) {
		ssize_t len = recv(fd, rx, sizeof(rx), 0);
		struct nlmsghdr *h = (struct nlmsghdr *)rx;

		if (len < 0)
			return -1;
		for (; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			struct ifaddrmsg *ifa = NLMSG_DATA(h);
			struct rtattr *a = IFA_RTA(ifa);
			int alen = IFA_PAYLOAD(h);

			if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
				close(fd);
				return 0;
			}
			for (; RTA_OK(a, alen); a = RTA_NEXT(a, alen)) {
				unsigned int ip;

				if (a->rta_type != IFA_LOCAL)
					continue;
				ip = ntohl(*(unsigned int *)RTA_DATA(a));
				if (ip - first < n)
					dev[ip - first] = ifa->ifa_index;
			}
		}
	}
}

/* net_ns/info's l3_children (of this netns), or -1. */
static long l3_children(void)
{
	char buf[4096], *p;
	int fd = open(NS_DIR "info", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	p = strstr(buf, "l3_children: ");
	return p ? atol(p + 13) : -1;
}

static int write_one(const char *file, const char *text)
{
	int fd = open(file, O_WRONLY);
	int ok = fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	int e = errno;

	if (fd >= 0)
		close(fd);
	errno = e;
	return ok ? 0 : -1;
}

/* Child i of `hold`: returns (step << 16 | errno), 0 and *lfd on success. */
static int hold_child(unsigned int first, unsigned int i, unsigned int n, unsigned int total,
		      const unsigned int *dev, int port, int *lfd)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(first + i) };
	char line[64], ip[INET_ADDRSTRLEN], name[IF_NAMESIZE];
	unsigned int j;
	int one = 1, fd;

	if (write_one(NS_DIR "start", "3"))
		return 1 << 16 | errno;
	for (j = i;; j = j == i ? n + i : j + n) {
		if (j != i && j >= total)
			break;
		if (!dev[j] || !if_indextoname(dev[j], name))
			return 2 << 16 | ENODEV;
		snprintf(line, sizeof(line), "%s %s", name, ip_str(first + j, ip));
		if (write_one(NS_DIR "info", line))
			return 2 << 16 | errno;
	}
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 64))
		return 3 << 16 | errno;
	*lfd = fd;
	return 0;
}

static volatile sig_atomic_t stop;
static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static int pass_fd(int sock, int status, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = {};
	struct iovec iov = { .iov_base = &status, .iov_len = sizeof(status) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;

	if (!status) {
		m.msg_control = cbuf;
		m.msg_controllen = sizeof(cbuf);
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	return sendmsg(sock, &m, 0) < 0 ? -1 : 0;
}

static int take_fd(int sock, int *status)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = status, .iov_len = sizeof(*status) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			    .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	int fd = -1;

	*status = 4 << 16 | EIO;
	if (recvmsg(sock, &m, 0) < (ssize_t)sizeof(*status))
		return -1;
	c = CMSG_FIRSTHDR(&m);
	if (c && c->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

static void release(int *fds, unsigned int n, long base)
{
	long long t0 = mono_ns(), limit = t0 + 60LL * 1000000000;
	unsigned int i;

	for (i = 0; i < n; i++)
		close(fds[i]);
	while (base >= 0 && l3_children() > base && mono_ns() < limit)
		sched_yield();
	printf("hold: released in %lld ms\n", (mono_ns() - t0) / 1000000);
}

static int cmd_hold(unsigned int n, const char *first_s, int port, unsigned int total)
{
	static const char *step[] = { "?", "start", "info", "listen", "pass" };
	unsigned int first, plen, i, span = total > n ? total : n;
	unsigned int *dev = calloc(span + 1, sizeof(*dev));
	int *fds = calloc(n + 1, sizeof(*fds)), sv[2], ep = epoll_create1(0);
	struct rlimit rl = { .rlim_cur = n + 64, .rlim_max = n + 64 };
	struct sigaction sa = { .sa_handler = on_term };
	long base = l3_children();
	pid_t spawner;
	long long t0 = mono_ns();
	char ip[INET_ADDRSTRLEN];

	if (!dev || !fds || ep < 0 || parse_ip(first_s, &first, &plen) || addr_devs(first, span, dev) ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv)) {
		fprintf(stderr, "hold: set-up failed: %s\n", errname(errno));
		return 2;
	}
	if (n + 64 > 1024)
		setrlimit(RLIMIT_NOFILE, &rl);
	sigaction(SIGTERM, &sa, NULL);
	/* A spawner forks the children one after the other, before the parent
	 * holds any listener (so no fork copies thousands of descriptors). */
	spawner = fork();
	if (spawner == 0) {
		close(sv[0]);
		for (i = 0; i < n; i++) {
			int status, lfd = -1, w = 0;
			pid_t p = fork();

			if (p == 0) {
				status = hold_child(first, i, n, total, dev, port, &lfd);
				_exit(pass_fd(sv[1], status, lfd) || status ? 1 : 0);
			}
			if (p < 0)
				_exit(pass_fd(sv[1], 4 << 16 | errno, -1) ? 1 : 1);
			if (waitpid(p, &w, 0) < 0 || !WIFEXITED(w) || WEXITSTATUS(w))
				_exit(1);
		}
		_exit(0);
	}
	close(sv[1]);
	for (i = 0; i < n; i++) {
		int status;

		fds[i] = spawner < 0 ? -1 : take_fd(sv[0], &status);
		if (fds[i] < 0 || status) {
			if (spawner < 0)
				status = 4 << 16 | errno;
			printf("hold: n/a at namespace %u: %s %s\n", i, step[(status >> 16) <= 4 ? status >> 16 : 0],
			       errname(status & 0xffff));
			fflush(stdout);
			if (spawner > 0)
				waitpid(spawner, NULL, 0);
			release(fds, i, base);
			return 3;
		}
		struct epoll_event ev = { .events = EPOLLIN, .data.u32 = i };
		epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev);
	}
	struct epoll_event in = { .events = EPOLLIN, .data.u32 = n };
	epoll_ctl(ep, EPOLL_CTL_ADD, 0, &in);
	waitpid(spawner, NULL, 0);
	printf("hold: %u namespaces ready in %lld ms\n", n, (mono_ns() - t0) / 1000000);
	fflush(stdout);
	while (!stop) {
		struct epoll_event ev[16];
		int k, got = epoll_wait(ep, ev, 16, -1);

		for (k = 0; k < got; k++) {
			unsigned int j = ev[k].data.u32;
			char line[64], junk[256];
			int c;

			if (j == n) {
				if (read(0, junk, sizeof(junk)) <= 0)
					stop = 1;
				continue;
			}
			c = accept4(fds[j], NULL, NULL, SOCK_CLOEXEC);
			if (c < 0)
				continue;
			snprintf(line, sizeof(line), "%u %s\n", j, ip_str(first + j, ip));
			if (write(c, line, strlen(line)) < 0)
				perror("hold: write");
			close(c);
		}
		if (got < 0 && errno != EINTR)
			break;
	}
	release(fds, n, base);
	return 0;
}

static int cmd_ask(unsigned int n, const char *first_s, int port, const char *src)
{
	struct sockaddr_in from = { .sin_family = AF_INET };
	unsigned int first, plen, i, answered = 0, wrong = 0;
	char ip[INET_ADDRSTRLEN], want[64], buf[64];

	if (parse_ip(first_s, &first, &plen) || (src && inet_pton(AF_INET, src, &from.sin_addr) != 1))
		return 2;
	for (i = 0; i < n; i++) {
		struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port),
					  .sin_addr.s_addr = htonl(first + i) };
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		ssize_t got = -1, r;

		if (src && fd >= 0 && bind(fd, (struct sockaddr *)&from, sizeof(from))) {
			close(fd);
			fd = -1;
		}
		if (fd >= 0 && !connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
			got = 0;
			while (got < (ssize_t)sizeof(buf) - 1 && (r = read(fd, buf + got, sizeof(buf) - 1 - got)) > 0)
				got += r;
		}
		if (got < 0 && answered + wrong == i)
			fprintf(stderr, "ask: %s: %s\n", ip_str(first + i, ip), errname(errno));
		if (fd >= 0)
			close(fd);
		if (got <= 0)
			continue;
		answered++;
		buf[got] = 0;
		snprintf(want, sizeof(want), " %s\n", ip_str(first + i, ip));
		if (!strstr(buf, want))
			wrong++;
	}
	printf("ask: %u answered, %u wrong\n", answered, wrong);
	return answered == n && !wrong ? 0 : 1;
}

static int all_digits(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

int scale_main(int argc, char **argv)
{
	if (argc == 6 && !strcmp(argv[1], "addrs"))
		return cmd_addrs(argv[2], atoi(argv[3]), argv[4], atol(argv[5]));
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "hold"))
		return cmd_hold(atoi(argv[2]), argv[3], atoi(argv[4]), argc == 6 ? atoi(argv[5]) : 0);
	/* `ask DADDR PORT LPORT` (probe_ports.c) has an address second. */
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "ask") && all_digits(argv[2]))
		return cmd_ask(atoi(argv[2]), argv[3], atoi(argv[4]), argc == 6 ? argv[5] : NULL);
	return -1;
}
