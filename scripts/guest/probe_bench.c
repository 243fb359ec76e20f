// SPDX-License-Identifier: GPL-2.0
/*
 * l3ns-probe: the server and client of `make bench` (scripts/guest/bench.sh,
 * Documentation/performance.rst). Server and client are separate processes
 * so that each can sit in its own (L3 or L2) namespace.
 *
 *   bsrv ADDR PORT            binds ADDR and serves, one child per socket:
 *                             TCP PORT    1-byte echo on each connection
 *                             TCP PORT+1  one 1-byte answer, then close
 *                             TCP PORT+2  reads to EOF, answers the byte count
 *                             UDP PORT    1-byte echo
 *                             UDP PORT+1  counts datagrams; "E" asks the count
 *                             prints "ready" once all are bound, runs until
 *                             killed (its children die with it)
 *   bcli WORKLOAD SRC DST PORT N
 *                             N operations (after N/10 + 1 untimed) from SRC
 *                             ("-": unbound) to a bsrv at DST; prints the
 *                             mean ns per operation (CLOCK_MONOTONIC: in the
 *                             icount guest, guest instructions). WORKLOAD:
 *                             tcp_rr      1-byte request/response, one connection
 *                             tcp_crr     connect + 1-byte request/response + close
 *                             tcp_stream  64 KiB written and received
 *                             udp_rr      1-byte request/response
 *                             udp_oneway  one 1-byte datagram sent and received
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "probe.h"

#define CHUNK (64 * 1024)

long long mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int sock_at(int type, const char *addr, int port, int nopt)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	int one = 1, fd = socket(AF_INET, type, 0);

	if (fd < 0)
		return -1;
	if (!strcmp(addr, "-"))
		return fd;
	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
		errno = EINVAL;
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* A client's TCP port is chosen at connect, for its 4-tuple. */
	if (nopt)
		setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || (type == SOCK_STREAM && !nopt && listen(fd, 128))) {
		close(fd);
		return -1;
	}
	return fd;
}

static void nodelay(int fd)
{
	int one = 1;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

static void serve(int kind, int fd)
{
	static char buf[CHUNK];
	struct sockaddr_storage peer;
	socklen_t plen;
	uint64_t count = 0;
	int big = 16 << 20;

	if (kind == 4)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
	for (;;) {
		ssize_t n;
		int c;

		if (kind >= 3) {	/* UDP */
			plen = sizeof(peer);
			n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&peer, &plen);
			if (n <= 0)
				continue;
			if (kind == 3 || buf[0] == 'E') {
				if (kind == 4) {
					memcpy(buf, &count, sizeof(count));
					n = sizeof(count);
					count = 0;
				}
				sendto(fd, buf, n, 0, (struct sockaddr *)&peer, plen);
			} else {
				count++;
			}
			continue;
		}
		c = accept(fd, NULL, NULL);
		if (c < 0)
			continue;
		nodelay(c);
		if (kind == 0) {
			while (read(c, buf, 1) == 1 && write(c, buf, 1) == 1)
				;
		} else if (kind == 1) {
			if (read(c, buf, 1) == 1 && write(c, buf, 1) != 1)
				perror("bsrv");
		} else {
			count = 0;
			while ((n = read(c, buf, sizeof(buf))) > 0)
				count += n;
			if (write(c, &count, sizeof(count)) != sizeof(count))
				perror("bsrv");
		}
		close(c);
	}
}

static int cmd_bsrv(const char *addr, int port)
{
	int fd[5], k;

	for (k = 0; k < 5; k++) {
		fd[k] = sock_at(k < 3 ? SOCK_STREAM : SOCK_DGRAM, addr, port + (k < 3 ? k : k - 3), 0);
		if (fd[k] < 0) {
			printf("errno %s\n", errname(errno));
			return 1;
		}
	}
	for (k = 0; k < 5; k++) {
		pid_t p = fork();

		if (p == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			serve(k, fd[k]);
			_exit(0);
		}
	}
	printf("ready\n");
	fflush(stdout);
	while (wait(NULL) > 0)
		;
	return 0;
}

static int dial(const char *src, struct sockaddr_in *dst, int type)
{
	int fd = sock_at(type, src, 0, type == SOCK_STREAM);

	if (fd < 0 || connect(fd, (struct sockaddr *)dst, sizeof(*dst))) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (type == SOCK_STREAM)
		nodelay(fd);
	return fd;
}

/* Runs N operations of W; returns 0 or -1 (errno set). */
static int run(const char *w, const char *src, struct sockaddr_in *dst, int port, long n)
{
	static char buf[CHUNK];
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	uint64_t got = 0;
	long i;
	int fd = -1, tries;

	if (!strcmp(w, "tcp_crr")) {
		dst->sin_port = htons(port + 1);
		for (i = 0; i < n; i++) {
			fd = dial(src, dst, SOCK_STREAM);
			if (fd < 0 || write(fd, "x", 1) != 1 || read(fd, buf, 1) != 1)
				return -1;
			/* RST, not TIME_WAIT: rounds do not fill the port space. */
			setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
			close(fd);
		}
		return 0;
	}
	if (!strncmp(w, "tcp_", 4)) {
		dst->sin_port = htons(port + (!strcmp(w, "tcp_stream") ? 2 : 0));
		fd = dial(src, dst, SOCK_STREAM);
	} else {
		dst->sin_port = htons(port + (!strcmp(w, "udp_oneway") ? 1 : 0));
		fd = dial(src, dst, SOCK_DGRAM);
	}
	if (fd < 0)
		return -1;
	if (!strcmp(w, "tcp_rr") || !strcmp(w, "udp_rr")) {
		for (i = 0; i < n; i++)
			if (write(fd, "x", 1) != 1 || read(fd, buf, 1) != 1)
				return -1;
	} else if (!strcmp(w, "tcp_stream")) {
		for (i = 0; i < n; i++)
			if (write(fd, buf, CHUNK) != CHUNK)
				return -1;
		shutdown(fd, SHUT_WR);
		if (read(fd, &got, sizeof(got)) != sizeof(got) || got != (uint64_t)n * CHUNK)
			return errno = EIO, -1;
	} else if (!strcmp(w, "udp_oneway")) {
		struct timeval tv = { .tv_sec = 1 };

		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		for (i = 0; i < n; i++)
			if (write(fd, "d", 1) != 1)
				return -1;
		for (tries = 0; tries < 5; tries++)
			if (write(fd, "E", 1) == 1 && read(fd, &got, sizeof(got)) == sizeof(got))
				break;
		if (got != (uint64_t)n)
			fprintf(stderr, "bcli: %llu of %ld datagrams received\n", (unsigned long long)got, n);
		if (!got)
			return errno = EIO, -1;
	} else {
		errno = EINVAL;
		return -1;
	}
	close(fd);
	return 0;
}

static int cmd_bcli(const char *w, const char *src, const char *dst_s, int port, long n)
{
	struct sockaddr_in dst = { .sin_family = AF_INET };
	long long t0;

	if (n < 1 || inet_pton(AF_INET, dst_s, &dst.sin_addr) != 1) {
		fprintf(stderr, "bcli: bad arguments\n");
		return 2;
	}
	if (run(w, src, &dst, port, n / 10 + 1))
		goto fail;
	t0 = mono_ns();
	if (run(w, src, &dst, port, n))
		goto fail;
	printf("%lld\n", (mono_ns() - t0) / n);
	return 0;
fail:
	printf("errno %s\n", errname(errno));
	return 1;
}

int bench_main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "bsrv"))
		return cmd_bsrv(argv[2], atoi(argv[3]));
	if (argc == 7 && !strcmp(argv[1], "bcli"))
		return cmd_bcli(argv[2], argv[3], argv[4], atoi(argv[5]), atol(argv[6]));
	return -1;
}
