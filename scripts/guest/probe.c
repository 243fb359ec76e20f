// SPDX-License-Identifier: GPL-2.0
/*
 * l3ns-probe: a tiny static test client for the guest scenarios, for checks
 * a shell tool cannot express exactly. Prints one result line:
 * "ok <detail>" or "errno <NAME>" (exit status 0 either way; 2 on misuse).
 *
 * Shared-port commands (name, serve, ask, asuser) are in probe_ports.c;
 * `make bench`'s server and client (bsrv, bcli) in probe_bench.c; many
 * namespaces and addresses (addrs, hold N, ask N) in probe_scale.c; device
 * creation and netns exec (link, netns) in probe_nl.c.
 *
 *   l3ns-probe write FILE BYTES   one write(2) of BYTES (escapes: \n \t \0 \\ \xNN)
 *   l3ns-probe bind PROTO ADDR PORT
 *                                 socket + bind(2); PROTO is tcp, udp, raw
 *                                 (AF_INET) or tcp6, udp6 (AF_INET6; ADDR
 *                                 may be ::, ::1 or ::ffff:a.b.c.d); on
 *                                 success prints getsockname()
 *   l3ns-probe hold SECONDS       holds one UDP socket open for SECONDS
 *   l3ns-probe socket FAMILY [N]  N (1) sockets of FAMILY (inet, inet6, unix,
 *                                 packet), all kept open until exit
 *   l3ns-probe connect PROTO DADDR PORT
 *                                 connect(2) an unbound socket (tcp, udp, tcp6,
 *                                 udp6); prints the local address chosen
 *   l3ns-probe sendto DADDR PORT [SRC]
 *                                 one UDP datagram from an unbound socket; with
 *                                 SRC, as IP_PKTINFO source
 *   l3ns-probe sendfd PATH        creates a UDP socket and passes it (SCM_RIGHTS)
 *                                 to the unix socket PATH
 *   l3ns-probe recvfd PATH ADDR SECONDS
 *                                 receives a socket on PATH, binds it to ADDR
 *                                 (prints "bind ok" or "bind errno X"), holds
 *                                 it for SECONDS
 *   l3ns-probe rawsend SRC DST    one UDP datagram built with IP_HDRINCL from SRC
 *   l3ns-probe mcsend IFADDR GROUP PORT
 *                                 one datagram to GROUP with IP_MULTICAST_IF IFADDR
 *   l3ns-probe thread FILE        a new thread prints the `id:` line of FILE
 *   l3ns-probe bench WHAT N         average ns per operation over N runs, WHAT
 *                                 is udp (loopback send+recv of 64 bytes), wild
 *                                 (the same to a 0.0.0.0:7000 receiver),
 *                                 fork (fork+exit+wait), bind (socket+bind+
 *                                 close) or connect (UDP socket+connect+close)
 *   l3ns-probe recv ADDR PORT SECONDS [GROUP]
 *                                 binds UDP ADDR:PORT (SO_REUSEADDR), joins
 *                                 multicast GROUP if given, prints
 *                                 "ok from <src>" for the first datagram or
 *                                 "timeout"
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <pthread.h>
#include <netinet/udp.h>
#include <netinet/ip.h>

#include "probe.h"

const char *errname(int e)
{
	switch (e) {
#define E(x) case x: return #x
	E(EPERM); E(ENOENT); E(EINTR); E(EIO); E(EBADF); E(EAGAIN); E(ENOMEM);
	E(EACCES); E(EFAULT); E(EBUSY); E(EEXIST); E(ENODEV); E(EINVAL);
	E(ENOSPC); E(EOPNOTSUPP); E(EADDRINUSE); E(EADDRNOTAVAIL); E(ECONNREFUSED);
	E(ENETUNREACH); E(EAFNOSUPPORT); E(ESRCH); E(ENOTCONN); E(ETIMEDOUT);
	E(ENOBUFS); E(EMSGSIZE); E(EPROTONOSUPPORT);
#undef E
	default: return "E?";
	}
}

int join_group(int fd, const char *group)
{
	struct ip_mreqn mr = {};

	if (inet_pton(AF_INET, group, &mr.imr_multiaddr) != 1)
		return 2;
	if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0) {
		printf("errno %s\n", errname(errno));
		return 1;
	}
	return 0;
}

static size_t unescape(const char *in, char *out)
{
	size_t n = 0;

	while (*in) {
		if (*in != '\\' || !in[1]) {
			out[n++] = *in++;
			continue;
		}
		in++;
		switch (*in) {
		case 'n': out[n++] = '\n'; in++; break;
		case 't': out[n++] = '\t'; in++; break;
		case '0': out[n++] = '\0'; in++; break;
		case 'x': {
			char hex[3] = { in[1], in[1] ? in[2] : 0, 0 };
			out[n++] = (char)strtol(hex, NULL, 16);
			in += 1 + strlen(hex);
			break;
		}
		default: out[n++] = *in++; break;
		}
	}
	return n;
}

static int cmd_write(const char *file, const char *bytes)
{
	char *buf = malloc(strlen(bytes) + 1);
	size_t len = unescape(bytes, buf);
	int fd = open(file, O_WRONLY);
	ssize_t r;

	if (fd < 0) {
		printf("errno %s\n", errname(errno));
		return 0;
	}
	r = write(fd, buf, len);
	if (r < 0)
		printf("errno %s\n", errname(errno));
	else
		printf("ok %zd\n", r);
	close(fd);
	free(buf);
	return 0;
}

/* One write of `text` to `file`: 0, or the errno. */
static int write_file(const char *file, const char *text)
{
	int fd = open(file, O_WRONLY), err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, text, strlen(text)) < 0)
		err = errno;
	close(fd);
	return err;
}

/*
 * cycle N ADDR PORT: N namespaces one after another, as fast as fork and
 * wait go (no exec, no sleep, no retry): each child starts a namespace,
 * takes ADDR on eth0, binds a socket (UDP and TCP listener in turn) to
 * ADDR:PORT and exits; the parent waits for it and starts the next. Prints
 * how many takes failed with EBUSY, binds with EADDRNOTAVAIL, and others.
 */
static int cmd_cycle(int n, const char *addr, int port)
{
	char take[64];
	int i, busy = 0, nobind = 0, other = 0;

	snprintf(take, sizeof(take), "eth0 %s", addr);
	for (i = 0; i < n; i++) {
		int status, code;
		pid_t p = fork();

		if (p < 0)
			return 2;
		if (!p) {
			struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
			int type = i % 2 ? SOCK_STREAM : SOCK_DGRAM, fd;

			if (write_file("/sys/kernel/debug/net_ns/start", "3"))
				_exit(3);
			code = write_file("/sys/kernel/debug/net_ns/info", take);
			if (code)
				_exit(code == EBUSY ? 10 : 11);
			inet_pton(AF_INET, addr, &a.sin_addr);
			fd = socket(AF_INET, type, 0);
			if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)))
				_exit(errno == EADDRNOTAVAIL ? 20 : 21);
			if (type == SOCK_STREAM && listen(fd, 1))
				_exit(21);
			_exit(0);
		}
		if (waitpid(p, &status, 0) != p || !WIFEXITED(status))
			return 2;
		code = WEXITSTATUS(status);
		busy += code == 10;
		nobind += code == 20;
		other += code && code != 10 && code != 20;
	}
	printf("busy %d nobind %d other %d\n", busy, nobind, other);
	return 0;
}

static int cmd_bind(const char *proto, const char *addr, int port)
{
	int v6 = !strcmp(proto, "tcp6") || !strcmp(proto, "udp6");
	int type = (!strcmp(proto, "udp") || !strcmp(proto, "udp6")) ? SOCK_DGRAM :
		   !strcmp(proto, "raw") ? SOCK_RAW : SOCK_STREAM;
	int fd = socket(v6 ? AF_INET6 : AF_INET, type, type == SOCK_RAW ? IPPROTO_ICMP : 0);
	struct sockaddr_storage ss = {};
	socklen_t len;
	char buf[INET6_ADDRSTRLEN];

	if (fd < 0) {
		printf("errno %s\n", errname(errno));
		return 0;
	}
	if (v6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		if (inet_pton(AF_INET6, addr, &s6->sin6_addr) != 1)
			return 2;
		len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		if (inet_pton(AF_INET, addr, &s4->sin_addr) != 1)
			return 2;
		len = sizeof(*s4);
	}
	if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
		printf("errno %s\n", errname(errno));
		return 0;
	}
	len = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &len);
	if (ss.ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, buf, sizeof(buf));
	else
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, buf, sizeof(buf));
	printf("ok %s\n", buf);
	close(fd);
	return 0;
}

static int cmd_hold(int seconds)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0) {
		printf("errno %s\n", errname(errno));
		return 0;
	}
	printf("ok holding\n");
	fflush(stdout);
	sleep(seconds);
	close(fd);
	return 0;
}

static int cmd_socket(const char *family, int n)
{
	int f = !strcmp(family, "packet") ? AF_PACKET : !strcmp(family, "inet6") ? AF_INET6 :
		!strcmp(family, "unix") ? AF_UNIX : AF_INET;
	int i;

	for (i = 0; i < n; i++) {	/* all kept open until exit */
		if (socket(f, f == AF_PACKET ? SOCK_RAW : SOCK_DGRAM, 0) < 0) {
			printf(n > 1 ? "errno %s after %d\n" : "errno %s\n", errname(errno), i);
			return 0;
		}
	}
	printf(n > 1 ? "ok %d sockets\n" : "ok socket\n", n);
	return 0;
}

static int fill(const char *addr, int port, struct sockaddr_storage *ss, socklen_t *len, int v6)
{
	memset(ss, 0, sizeof(*ss));
	if (v6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		*len = sizeof(*s6);
		return inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1 ? 0 : -1;
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		*len = sizeof(*s4);
		return inet_pton(AF_INET, addr, &s4->sin_addr) == 1 ? 0 : -1;
	}
}

static void print_addr(const char *prefix, const struct sockaddr_storage *ss)
{
	char buf[INET6_ADDRSTRLEN] = "?";

	if (ss->ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ss)->sin6_addr, buf, sizeof(buf));
	else
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr, buf, sizeof(buf));
	printf("%s%s\n", prefix, buf);
}

static int cmd_connect(const char *proto, const char *addr, int port)
{
	int v6 = strchr(proto, '6') != NULL;
	int fd = socket(v6 ? AF_INET6 : AF_INET, proto[0] == 'u' ? SOCK_DGRAM : SOCK_STREAM, 0);
	struct sockaddr_storage ss;
	socklen_t len;
	struct timeval tv = { .tv_sec = 3 };

	if (fd < 0 || fill(addr, port, &ss, &len, v6))
		return 2;
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&ss, len) < 0) {
		printf("errno %s\n", errname(errno));
		return 0;
	}
	len = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &len);
	print_addr("ok ", &ss);
	close(fd);
	return 0;
}

static int cmd_sendto(const char *addr, int port, const char *src)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_storage ss;
	socklen_t len;
	char cbuf[CMSG_SPACE(sizeof(struct in_pktinfo))] = {};
	struct iovec iov = { .iov_base = "l3ns", .iov_len = 4 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (fd < 0 || fill(addr, port, &ss, &len, 0))
		return 2;
	setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &(int){ 1 }, sizeof(int));
	msg.msg_name = &ss;
	msg.msg_namelen = len;
	if (src) {
		struct cmsghdr *c;
		struct in_pktinfo *pi;

		msg.msg_control = cbuf;
		msg.msg_controllen = sizeof(cbuf);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(*pi));
		pi = (struct in_pktinfo *)CMSG_DATA(c);
		if (inet_pton(AF_INET, src, &pi->ipi_spec_dst) != 1)
			return 2;
	}
	if (sendmsg(fd, &msg, 0) < 0)
		printf("errno %s\n", errname(errno));
	else
		printf("ok sent\n");
	close(fd);
	return 0;
}

static int cmd_recv(const char *addr, int port, int seconds, const char *group)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0), one = 1, err;
	struct sockaddr_storage ss;
	socklen_t len;
	struct timeval tv = { .tv_sec = seconds };
	char buf[64];

	if (fd < 0 || fill(addr, port, &ss, &len, 0))
		return 2;
	setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
		printf("errno %s\n", errname(errno));
		return 0;
	}
	if (group && (err = join_group(fd, group)))
		return err == 2 ? 2 : 0;
	printf("ready\n");
	fflush(stdout);
	len = sizeof(ss);
	if (recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&ss, &len) < 0)
		printf("timeout\n");
	else
		print_addr("ok from ", &ss);
	close(fd);
	return 0;
}

static int unix_at(const char *path, struct sockaddr_un *un)
{
	memset(un, 0, sizeof(*un));
	un->sun_family = AF_UNIX;
	strncpy(un->sun_path, path, sizeof(un->sun_path) - 1);
	return socket(AF_UNIX, SOCK_STREAM, 0);
}

static int cmd_sendfd(const char *path)
{
	struct sockaddr_un un;
	int u = unix_at(path, &un), fd = socket(AF_INET, SOCK_DGRAM, 0), i;
	char cbuf[CMSG_SPACE(sizeof(int))] = {};
	struct iovec iov = { .iov_base = "f", .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	for (i = 0; connect(u, (struct sockaddr *)&un, sizeof(un)) < 0; i++) {
		if (i == 50) {
			printf("errno %s\n", errname(errno));
			return 0;
		}
		usleep(100000);
	}
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	printf(sendmsg(u, &msg, 0) < 0 ? "errno %s\n" : "ok sent%.0s\n", errname(errno));
	return 0;
}

static int cmd_recvfd(const char *path, const char *addr, int seconds)
{
	struct sockaddr_un un;
	int u = unix_at(path, &un), c, fd = -1;
	char cbuf[CMSG_SPACE(sizeof(int))], b;
	struct iovec iov = { .iov_base = &b, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct sockaddr_storage ss;
	socklen_t len;

	unlink(path);
	if (bind(u, (struct sockaddr *)&un, sizeof(un)) < 0 || listen(u, 1) < 0)
		return 2;
	printf("ready\n");
	fflush(stdout);
	c = accept(u, NULL, NULL);
	if (c < 0 || recvmsg(c, &msg, 0) <= 0 || !CMSG_FIRSTHDR(&msg))
		return 2;
	memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&msg)), sizeof(int));
	if (fill(addr, 0, &ss, &len, 0))
		return 2;
	if (bind(fd, (struct sockaddr *)&ss, len) < 0)
		printf("bind errno %s\n", errname(errno));
	else
		printf("bind ok\n");
	fflush(stdout);
	sleep(seconds);
	close(fd);
	return 0;
}

static int cmd_rawsend(const char *src, const char *dst)
{
	struct {
		struct iphdr ip;
		struct udphdr udp;
		char data[4];
	} pkt = {};
	struct sockaddr_in to = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);

	if (fd < 0) {
		printf("errno %s\n", errname(errno));
		return 0;
	}
	pkt.ip.version = 4;
	pkt.ip.ihl = 5;
	pkt.ip.ttl = 64;
	pkt.ip.protocol = IPPROTO_UDP;
	pkt.ip.tot_len = htons(sizeof(pkt));
	if (inet_pton(AF_INET, src, &pkt.ip.saddr) != 1 || inet_pton(AF_INET, dst, &pkt.ip.daddr) != 1)
		return 2;
	pkt.udp.source = htons(9);
	pkt.udp.dest = htons(9);
	pkt.udp.len = htons(sizeof(pkt.udp) + sizeof(pkt.data));
	to.sin_addr.s_addr = pkt.ip.daddr;
	if (sendto(fd, &pkt, sizeof(pkt), 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		printf("errno %s\n", errname(errno));
	else
		printf("ok sent\n");
	return 0;
}

static int cmd_mcsend(const char *ifaddr, const char *group, int port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	struct in_addr a;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || fill(group, port, &ss, &len, 0) || inet_pton(AF_INET, ifaddr, &a) != 1)
		return 2;
	if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &a, sizeof(a)) < 0) {
		printf("setsockopt errno %s\n", errname(errno));
		return 0;
	}
	if (sendto(fd, "l3ns", 4, 0, (struct sockaddr *)&ss, len) < 0)
		printf("errno %s\n", errname(errno));
	else
		printf("ok sent\n");
	return 0;
}

static void *thread_main(void *file)
{
	char line[128];
	FILE *f = fopen(file, "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "id: ", 4))
			printf("thread %s", line + 4);
	if (f)
		fclose(f);
	return NULL;
}

static int cmd_thread(const char *file)
{
	pthread_t t;

	if (pthread_create(&t, NULL, thread_main, (void *)file))
		return 2;
	pthread_join(t, NULL);
	return 0;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmd_bench(const char *what, int n)
{
	/* "wild": the receiver is on 0.0.0.0:7000 (a member's is on a hidden
	 * port, so its datagrams take the steering path). */
	int wild = !strcmp(what, "wild");
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_in b = { .sin_family = AF_INET, .sin_port = htons(wild ? 7000 : 0),
				 .sin_addr.s_addr = htonl(wild ? INADDR_ANY : INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	char buf[64] = {};
	long long t0;
	int i, r = socket(AF_INET, SOCK_DGRAM, 0), s = socket(AF_INET, SOCK_DGRAM, 0);

	if (r < 0 || s < 0 || bind(r, (struct sockaddr *)&b, len) || getsockname(r, (struct sockaddr *)&a, &len))
		goto fail;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(s, (struct sockaddr *)&a, len)) {
fail:
		printf("errno %s\n", errname(errno));
		return 0;
	}
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		if (!strcmp(what, "udp") || wild) {
			if (send(s, buf, sizeof(buf), 0) < 0 || recv(r, buf, sizeof(buf), 0) < 0)
				return 2;
		} else if (!strcmp(what, "fork")) {
			pid_t p = fork();

			if (!p)
				_exit(0);
			waitpid(p, NULL, 0);
		} else {
			int fd = socket(AF_INET, SOCK_DGRAM, 0);
			struct sockaddr_in any = { .sin_family = AF_INET };

			if (!strcmp(what, "bind"))
				bind(fd, (struct sockaddr *)&any, sizeof(any));
			else
				connect(fd, (struct sockaddr *)&a, len);
			close(fd);
		}
	}
	printf("%lld\n", (now_ns() - t0) / n);
	return 0;
}

int main(int argc, char **argv)
{
	int r = scale_main(argc, argv);

	if (r >= 0)
		return r;
	r = ports_main(argc, argv);
	if (r >= 0)
		return r;
	r = bench_main(argc, argv);
	if (r >= 0)
		return r;
	r = nl_main(argc, argv);
	if (r >= 0)
		return r;
	r = attack_main(argc, argv);
	if (r >= 0)
		return r;
	r = v6_main(argc, argv);
	if (r >= 0)
		return r;
	r = pressure_main(argc, argv);
	if (r >= 0)
		return r;
	if (argc == 4 && !strcmp(argv[1], "rawsend"))
		return cmd_rawsend(argv[2], argv[3]);
	if (argc == 5 && !strcmp(argv[1], "mcsend"))
		return cmd_mcsend(argv[2], argv[3], atoi(argv[4]));
	if (argc == 3 && !strcmp(argv[1], "thread"))
		return cmd_thread(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "bench"))
		return cmd_bench(argv[2], atoi(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "sendfd"))
		return cmd_sendfd(argv[2]);
	if (argc == 5 && !strcmp(argv[1], "recvfd"))
		return cmd_recvfd(argv[2], argv[3], atoi(argv[4]));
	if (argc == 5 && !strcmp(argv[1], "connect"))
		return cmd_connect(argv[2], argv[3], atoi(argv[4]));
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "sendto"))
		return cmd_sendto(argv[2], atoi(argv[3]), argc == 5 ? argv[4] : NULL);
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "recv"))
		return cmd_recv(argv[2], atoi(argv[3]), atoi(argv[4]), argc == 6 ? argv[5] : NULL);
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "socket"))
		return cmd_socket(argv[2], argc == 4 ? atoi(argv[3]) : 1);
	if (argc == 4 && !strcmp(argv[1], "write"))
		return cmd_write(argv[2], argv[3]);
	if (argc == 5 && !strcmp(argv[1], "bind"))
		return cmd_bind(argv[2], argv[3], atoi(argv[4]));
	if (argc == 5 && !strcmp(argv[1], "cycle"))
		return cmd_cycle(atoi(argv[2]), argv[3], atoi(argv[4]));
	if (argc == 3 && !strcmp(argv[1], "hold"))
		return cmd_hold(atoi(argv[2]));
	fprintf(stderr, "usage: l3ns-probe write FILE BYTES | bind PROTO ADDR PORT | hold SECONDS\n");
	return 2;
}
