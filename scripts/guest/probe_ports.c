// SPDX-License-Identifier: GPL-2.0
/*
 * l3ns-probe commands for shared ports (issue 5, mechanism 13):
 *   name PROTO ADDR PORT      bind, print "ok ADDR PORT" from getsockname()
 *   serve NAME PORT SECONDS   UDP server on 0.0.0.0:PORT answering NAME to
 *                             every datagram (prints "ok serving" once bound)
 *   ask DADDR PORT [LPORT]    connected UDP client (bound to 0.0.0.0:LPORT
 *                             first, if given): prints "ok NAME from ADDR
 *                             PORT", "errno ECONNREFUSED" (ICMP port
 *                             unreachable) or "timeout"
 *   accept PORT SECONDS       TCP server on 0.0.0.0:PORT: prints "ready
 *                             LPORT" (getsockname), then "ok peer ADDR
 *                             PORT" of one connection
 *   rawrecv SECONDS [src]     raw ICMP socket: prints "ready", then "ok"
 *                             and the destinations (with "src": the
 *                             sources) of the packets it saw, each once,
 *                             in order of arrival
 *   socket3 FAMILY TYPE PROTO socket(2) with these numbers: "ok" or errno
 *   dial LPORT DADDR PORT     TCP socket bound to 0.0.0.0:LPORT connects:
 *                             "ok local PORT" (getsockname) or errno
 *   count PORT SECONDS [GROUP]
 *                             UDP socket on 0.0.0.0:PORT (joined to GROUP):
 *                             prints "ready", then "ok N" with the number
 *                             of datagrams received in SECONDS
 *   asuser UID CMD...         runs CMD with uid and gid UID
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "probe.h"

static int cmd_name(const char *proto, const char *addr, int port)
{
	int v6 = strchr(proto, '6') != NULL;
	int fd = socket(v6 ? AF_INET6 : AF_INET, proto[0] == 'u' ? SOCK_DGRAM : SOCK_STREAM, 0);
	struct sockaddr_storage ss = {};
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	socklen_t len = v6 ? sizeof(*s6) : sizeof(*s4);
	char buf[INET6_ADDRSTRLEN] = "?";

	ss.ss_family = v6 ? AF_INET6 : AF_INET;
	/* sin_port and sin6_port share their offset */
	s4->sin_port = htons(port);
	if (fd < 0 || inet_pton(ss.ss_family, addr, v6 ? (void *)&s6->sin6_addr :
			      (void *)&s4->sin_addr) != 1)
		return 2;
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 ||
	    (proto[0] == 't' && listen(fd, 1) < 0)) {
		printf("errno %s\n", errname(errno));
		return 0;
	}
	len = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &len);
	inet_ntop(ss.ss_family, v6 ? (void *)&s6->sin6_addr : (void *)&s4->sin_addr,
		  buf, sizeof(buf));
	printf("ok %s %d\n", buf, ntohs(s4->sin_port));
	close(fd);
	return 0;
}

static int cmd_serve(const char *name, int port, int seconds)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct timeval tv = { .tv_sec = seconds };
	char buf[64];

	if (fd < 0)
		return 2;
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		printf("errno %s\n", errname(errno));
		return 0;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	printf("ok serving\n");
	fflush(stdout);
	for (;;) {
		struct sockaddr_in from;
		socklen_t flen = sizeof(from);

		if (recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen) < 0)
			break;
		sendto(fd, name, strlen(name), 0, (struct sockaddr *)&from, flen);
	}
	close(fd);
	return 0;
}

/* Binds fd to 0.0.0.0:port; prints the errno and returns -1 on failure. */
static int bind_any(int fd, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		printf("errno %s\n", errname(errno));
		return -1;
	}
	return 0;
}

static int cmd_ask(const char *daddr, int port, int lport)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct sockaddr_in from;
	socklen_t flen = sizeof(from);
	struct timeval tv = { .tv_sec = 3 };
	char buf[64], ip[INET_ADDRSTRLEN];
	ssize_t n;

	if (fd < 0 || inet_pton(AF_INET, daddr, &a.sin_addr) != 1)
		return 2;
	if (lport && bind_any(fd, lport))
		return 0;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || send(fd, "?", 1, 0) < 0) {
		printf("errno %s\n", errname(errno));
		return 0;
	}
	n = recvfrom(fd, buf, sizeof(buf) - 1, 0, (struct sockaddr *)&from, &flen);
	if (n < 0) {
		if (errno == EAGAIN)
			printf("timeout\n");
		else
			printf("errno %s\n", errname(errno));
		return 0;
	}
	buf[n] = 0;
	inet_ntop(AF_INET, &from.sin_addr, ip, sizeof(ip));
	printf("ok %s from %s %d\n", buf, ip, ntohs(from.sin_port));
	close(fd);
	return 0;
}

static int cmd_count(int port, int seconds, const char *group)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0), one = 1, n = 0, err;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct timeval tv = { .tv_sec = seconds };
	char buf[64];

	if (fd < 0)
		return 2;
	setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		printf("errno %s\n", errname(errno));
		return 0;
	}
	if (group && (err = join_group(fd, group)))
		return err == 2 ? 2 : 0;
	printf("ready\n");
	fflush(stdout);
	/* SO_RCVTIMEO restarts per call: count until one full quiet period. */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (recv(fd, buf, sizeof(buf), 0) >= 0)
		n++;
	printf("ok %d\n", n);
	close(fd);
	return 0;
}

static int cmd_accept(int port, int seconds)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0), c, one = 1;
	struct sockaddr_in from;
	socklen_t flen = sizeof(from);
	struct timeval tv = { .tv_sec = seconds };
	char ip[INET_ADDRSTRLEN];

	if (fd < 0)
		return 2;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind_any(fd, port))
		return 0;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (listen(fd, 1) < 0)
		return 2;
	flen = sizeof(from);
	getsockname(fd, (struct sockaddr *)&from, &flen);
	printf("ready %d\n", ntohs(from.sin_port));
	flen = sizeof(from);
	fflush(stdout);
	c = accept(fd, (struct sockaddr *)&from, &flen);
	if (c < 0) {
		printf("timeout\n");
		return 0;
	}
	inet_ntop(AF_INET, &from.sin_addr, ip, sizeof(ip));
	printf("ok peer %s %d\n", ip, ntohs(from.sin_port));
	close(c);
	close(fd);
	return 0;
}

static int cmd_dial(int lport, const char *daddr, int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	socklen_t len = sizeof(a);
	struct timeval tv = { .tv_sec = 3 };

	if (fd < 0 || inet_pton(AF_INET, daddr, &a.sin_addr) != 1)
		return 2;
	if (bind_any(fd, lport))
		return 0;
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		printf("errno %s\n", errname(errno));
		return 0;
	}
	getsockname(fd, (struct sockaddr *)&a, &len);
	printf("ok local %d\n", ntohs(a.sin_port));
	close(fd);
	return 0;
}

static int cmd_rawrecv(int seconds, int sources)
{
	int fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP), n, i, seen = 0;
	struct timeval tv = { .tv_sec = seconds };
	unsigned char buf[256];
	unsigned int dst[16];
	char ip[INET_ADDRSTRLEN];

	if (fd < 0) {
		printf("errno %s\n", errname(errno));
		return 0;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	printf("ready\n");
	fflush(stdout);
	while ((n = recv(fd, buf, sizeof(buf), 0)) >= 20) {
		unsigned int d;

		memcpy(&d, buf + (sources ? 12 : 16), 4);	/* IPv4 saddr / daddr */
		for (i = 0; i < seen && dst[i] != d; i++)
			;
		if (i == seen && seen < 16)
			dst[seen++] = d;
	}
	printf("ok");
	for (i = 0; i < seen; i++)
		printf(" %s", inet_ntop(AF_INET, &dst[i], ip, sizeof(ip)));
	printf("\n");
	return 0;
}

static int cmd_socket3(int family, int type, int proto)
{
	int fd = socket(family, type, proto);

	if (fd < 0)
		printf("errno %s\n", errname(errno));
	else
		printf("ok\n");
	return 0;
}

static int cmd_asuser(int uid, char **cmd)
{
	if (setgid(uid) < 0 || setuid(uid) < 0) {
		printf("errno %s\n", errname(errno));
		return 1;
	}
	execvp(cmd[0], cmd);
	printf("errno %s\n", errname(errno));
	return 1;
}

int ports_main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "name"))
		return cmd_name(argv[2], argv[3], atoi(argv[4]));
	if (argc == 5 && !strcmp(argv[1], "serve"))
		return cmd_serve(argv[2], atoi(argv[3]), atoi(argv[4]));
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "ask"))
		return cmd_ask(argv[2], atoi(argv[3]), argc == 5 ? atoi(argv[4]) : 0);
	if (argc == 4 && !strcmp(argv[1], "accept"))
		return cmd_accept(atoi(argv[2]), atoi(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "dial"))
		return cmd_dial(atoi(argv[2]), argv[3], atoi(argv[4]));
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "count"))
		return cmd_count(atoi(argv[2]), atoi(argv[3]), argc == 5 ? argv[4] : NULL);
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "rawrecv"))
		return cmd_rawrecv(atoi(argv[2]), argc == 4 && !strcmp(argv[3], "src"));
	if (argc == 5 && !strcmp(argv[1], "socket3"))
		return cmd_socket3(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]));
	if (argc >= 4 && !strcmp(argv[1], "asuser"))
		return cmd_asuser(atoi(argv[2]), argv + 3);
	return -1;
}
