// SPDX-License-Identifier: GPL-2.0
/*
 * l3ns-probe: what a root member tries against l3ns (issue 11 scenarios).
 *
 *   unspec PROTO ADDR PORT SECS   bind a tcp/udp/raw socket with a sockaddr
 *                                 whose sa_family is AF_UNSPEC (the kernel
 *                                 reads it as IPv4); prints "bound ADDR PORT"
 *                                 or "errno E"; then, for udp, waits SECS for
 *                                 one datagram ("got DATA" / "nothing"), for
 *                                 tcp listens and waits for one connection
 *                                 ("accepted" / "nothing")
 *   getname THREADS SECS PORT     THREADS threads call getsockname() on one
 *                                 UDP socket bound to 0.0.0.0:PORT (contending
 *                                 on its socket lock) for SECS; prints
 *                                 "calls N leaks M", a leak being any answer
 *                                 other than 0.0.0.0:PORT
 *   binds THREADS SECS PORT       THREADS threads each bind a new UDP socket
 *                                 (SO_REUSEADDR) to 0.0.0.0:(PORT + thread %
 *                                 16) again and again
 *                                 for SECS (a member's wildcard bind: a hidden
 *                                 port); prints "binds N leaks M", a leak
 *                                 being a failed bind or a getsockname()
 *                                 showing another port
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "probe.h"

static int cmd_unspec(const char *proto, const char *addr, int port, int secs)
{
	int type = !strcmp(proto, "udp") ? SOCK_DGRAM : !strcmp(proto, "raw") ? SOCK_RAW : SOCK_STREAM;
	int fd = socket(AF_INET, type, type == SOCK_RAW ? IPPROTO_UDP : 0);
	struct sockaddr_in sa = { .sin_port = htons(port) };
	socklen_t len = sizeof(sa);
	struct pollfd p;
	char buf[128];
	int n;

	sa.sin_family = AF_UNSPEC;
	if (fd < 0 || inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
		printf("errno %s\n", errname(errno));
		return 0;
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		printf("errno %s\n", errname(errno));
		return 0;
	}
	getsockname(fd, (struct sockaddr *)&sa, &len);
	printf("bound %s %d\n", inet_ntop(AF_INET, &sa.sin_addr, buf, sizeof(buf)), ntohs(sa.sin_port));
	fflush(stdout);
	if (type == SOCK_STREAM && listen(fd, 8) < 0) {
		printf("errno %s\n", errname(errno));
		return 0;
	}
	p = (struct pollfd){ .fd = fd, .events = POLLIN };
	if (poll(&p, 1, secs * 1000) != 1) {
		printf("nothing\n");
		return 0;
	}
	if (type == SOCK_STREAM) {
		printf("accepted\n");
		return 0;
	}
	n = recv(fd, buf, sizeof(buf) - 1, 0);
	buf[n > 0 ? n : 0] = 0;
	printf("got %s\n", buf);
	return 0;
}

struct stress_run {
	int fd;
	int port;
	int base;
	time_t until;
	long calls;
	long leaks;
};

static void *getname_thread(void *arg)
{
	struct stress_run *g = arg;
	long calls = 0, leaks = 0;

	while (time(NULL) < g->until) {
		struct sockaddr_in sa;
		socklen_t len = sizeof(sa);

		calls++;
		if (getsockname(g->fd, (struct sockaddr *)&sa, &len) ||
		    ntohs(sa.sin_port) != g->port || sa.sin_addr.s_addr != htonl(INADDR_ANY))
			leaks++;
	}
	__atomic_add_fetch(&g->calls, calls, __ATOMIC_RELAXED);
	__atomic_add_fetch(&g->leaks, leaks, __ATOMIC_RELAXED);
	return NULL;
}

/* Runs `fn` in `threads` threads for `secs` seconds; the number started. */
static int run_threads(struct stress_run *g, int threads, int secs, void *(*fn)(void *))
{
	pthread_t *t = calloc(threads, sizeof(*t));
	int i, started = 0;

	if (!t)
		return 0;
	g->until = time(NULL) + secs;
	for (i = 0; i < threads; i++)
		started += !pthread_create(&t[i], NULL, fn, g);
	for (i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	free(t);
	return started;
}

static int cmd_getname(int threads, int secs, int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct stress_run g = { .port = port };
	int started;

	g.fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (g.fd < 0 || bind(g.fd, (struct sockaddr *)&sa, sizeof(sa))) {
		printf("errno %s\n", errname(errno));
		return 0;
	}
	started = run_threads(&g, threads, secs, getname_thread);
	printf("threads %d calls %ld leaks %ld\n", started, g.calls, g.leaks);
	return 0;
}

static void *binds_thread(void *arg)
{
	struct stress_run *g = arg;
	/* 16 ports (a namespace has 32 shared ports), shared with SO_REUSEADDR. */
	int port = g->base + __atomic_fetch_add(&g->port, 1, __ATOMIC_RELAXED) % 16;
	long calls = 0, leaks = 0;

	while (time(NULL) < g->until) {
		struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
		socklen_t len = sizeof(sa);
		int fd = socket(AF_INET, SOCK_DGRAM, 0);

		calls++;
		if (fd >= 0)
			setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &(int){ 1 }, sizeof(int));
		if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
		    getsockname(fd, (struct sockaddr *)&sa, &len) || ntohs(sa.sin_port) != port)
			leaks++;
		if (fd >= 0)
			close(fd);
	}
	__atomic_add_fetch(&g->calls, calls, __ATOMIC_RELAXED);
	__atomic_add_fetch(&g->leaks, leaks, __ATOMIC_RELAXED);
	return NULL;
}

static int cmd_binds(int threads, int secs, int port)
{
	struct stress_run g = { .base = port };
	int started = run_threads(&g, threads, secs, binds_thread);

	printf("threads %d binds %ld leaks %ld\n", started, g.calls, g.leaks);
	return 0;
}

int attack_main(int argc, char **argv)
{
	if (argc == 6 && !strcmp(argv[1], "unspec"))
		return cmd_unspec(argv[2], argv[3], atoi(argv[4]), atoi(argv[5]));
	if (argc == 5 && !strcmp(argv[1], "binds"))
		return cmd_binds(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]));
	if (argc == 5 && !strcmp(argv[1], "getname"))
		return cmd_getname(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]));
	return -1;
}
