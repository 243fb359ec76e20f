// SPDX-License-Identifier: GPL-2.0
/*
 * l3ns-probe: IPv6 as a member would use it (issue 11.7: a member has no
 * IPv6 but keeps dual-stack sockets for IPv4).
 *
 *   v6serve tcp|udp ADDR PORT SECS [v6only]
 *                          bind an AF_INET6 socket to [ADDR]:PORT (with
 *                          IPV6_V6ONLY if asked); prints "bound PORT" (the
 *                          port the kernel shows) or "errno E"; then waits
 *                          SECS for one connection or datagram: "accepted
 *                          FROM", "got FROM", or "nothing"
 *   v6send ADDR PORT       one datagram from an AF_INET6 socket: "ok" or
 *                          "errno E"
 *   v6sock raw|icmp6       socket(AF_INET6, SOCK_RAW / SOCK_DGRAM,
 *                          IPPROTO_ICMPV6): "ok" or "errno E"
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "probe.h"

static int cmd_v6serve(const char *proto, const char *addr, int port, int secs, int v6only)
{
	int tcp = !strcmp(proto, "tcp");
	int fd = socket(AF_INET6, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
	struct sockaddr_in6 from;
	socklen_t len = sizeof(sa);
	char buf[INET6_ADDRSTRLEN];
	struct pollfd p;

	if (fd < 0 || inet_pton(AF_INET6, addr, &sa.sin6_addr) != 1)
		return 2;
	if (v6only)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &(int){ 1 }, sizeof(int));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || (tcp && listen(fd, 8) < 0)) {
		printf("errno %s\n", errname(errno));
		return 0;
	}
	getsockname(fd, (struct sockaddr *)&sa, &len);
	printf("bound %d\n", ntohs(sa.sin6_port));
	fflush(stdout);
	p = (struct pollfd){ .fd = fd, .events = POLLIN };
	if (poll(&p, 1, secs * 1000) != 1) {
		printf("nothing\n");
		return 0;
	}
	len = sizeof(from);
	if (tcp) {
		if (accept(fd, (struct sockaddr *)&from, &len) < 0)
			return 2;
	} else if (recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len) < 0) {
		return 2;
	}
	inet_ntop(AF_INET6, &from.sin6_addr, buf, sizeof(buf));
	printf("%s %s\n", tcp ? "accepted" : "got", buf);
	return 0;
}

static int cmd_v6send(const char *addr, int port)
{
	int fd = socket(AF_INET6, SOCK_DGRAM, 0);
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_port = htons(port) };

	if (fd < 0 || inet_pton(AF_INET6, addr, &sa.sin6_addr) != 1)
		return 2;
	if (sendto(fd, "l3ns", 4, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		printf("errno %s\n", errname(errno));
	else
		printf("ok\n");
	return 0;
}

static int cmd_v6sock(const char *what)
{
	int fd = socket(AF_INET6, !strcmp(what, "raw") ? SOCK_RAW : SOCK_DGRAM, IPPROTO_ICMPV6);

	if (fd < 0)
		printf("errno %s\n", errname(errno));
	else
		printf("ok\n");
	return 0;
}

int v6_main(int argc, char **argv)
{
	if ((argc == 6 || argc == 7) && !strcmp(argv[1], "v6serve"))
		return cmd_v6serve(argv[2], argv[3], atoi(argv[4]), atoi(argv[5]), argc == 7);
	if (argc == 4 && !strcmp(argv[1], "v6send"))
		return cmd_v6send(argv[2], atoi(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "v6sock"))
		return cmd_v6sock(argv[2]);
	return -1;
}
