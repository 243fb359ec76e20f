// SPDX-License-Identifier: GPL-2.0
/*
 * l3ns-probe commands for shared ports (issue 5, mechanism 13):
 *   name PROTO ADDR PORT      bind, print "ok ADDR PORT" from getsockname()
 *   serve NAME PORT SECONDS   UDP server on 0.0.0.0:PORT answering NAME to
 *                             every datagram (prints "ok serving" once bound)
 *   ask DADDR PORT            connected UDP client: prints
 *                             "ok NAME from ADDR PORT", "errno ECONNREFUSED"
 *                             (ICMP port unreachable) or "timeout"
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

static int cmd_ask(const char *daddr, int port)
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
	int fd = socket(AF_INET, SOCK_DGRAM, 0), one = 1, n = 0;
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
	if (group) {
		struct ip_mreqn mr = {};

		if (inet_pton(AF_INET, group, &mr.imr_multiaddr) != 1)
			return 2;
		if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0) {
			printf("errno %s\n", errname(errno));
			return 0;
		}
	}
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
	if (argc == 4 && !strcmp(argv[1], "ask"))
		return cmd_ask(argv[2], atoi(argv[3]));
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "count"))
		return cmd_count(atoi(argv[2]), atoi(argv[3]), argc == 5 ? argv[4] : NULL);
	if (argc >= 4 && !strcmp(argv[1], "asuser"))
		return cmd_asuser(atoi(argv[2]), argv + 3);
	return -1;
}
