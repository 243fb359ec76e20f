/* SPDX-License-Identifier: GPL-2.0 */
/* Shared between the l3ns-probe source files. */
#ifndef L3NS_PROBE_H
#define L3NS_PROBE_H

#include <stddef.h>

/* "EADDRINUSE" for EADDRINUSE, ... */
const char *errname(int e);
/* IP_ADD_MEMBERSHIP of `group` on fd: 0; 1 after printing the errno; 2
 * for a malformed group. */
int join_group(int fd, const char *group);
/* probe_ports.c: the shared-port commands; -1 when argv is not one. */
int ports_main(int argc, char **argv);

/* probe_attack.c: what a root member tries; -1 when argv is not one. */
int attack_main(int argc, char **argv);
/* probe_v6.c: IPv6 as a member would use it; -1 when argv is not one. */
int v6_main(int argc, char **argv);
/* probe_pressure.c: memory pressure and a member's burst; -1 when not one. */
int pressure_main(int argc, char **argv);

/* probe_nl.c: link creation, netns exec; -1 when argv is not one. */
int nl_main(int argc, char **argv);
/* probe_scale.c: addrs, hold, ask (many namespaces); -1 when not one. */
int scale_main(int argc, char **argv);
/* probe_bench.c: the bench server and client; -1 when not one. */
int bench_main(int argc, char **argv);

/* A batch of rtnetlink requests (probe_nl.c). */
struct nlbuf {
	char buf[1 << 15];
	unsigned int len, count, seq;
};
struct nlmsghdr;
struct rtattr;
/* An rtnetlink socket, or -1. */
int nl_open(void);
/* Starts a request (NLM_F_ACK added) with BODY; NULL when B is full. */
struct nlmsghdr *nl_begin(struct nlbuf *b, int type, int flags, const void *body, size_t len);
/* Appends an attribute to H (the last request); a nest when DATA is NULL. */
struct rtattr *nl_attr(struct nlbuf *b, struct nlmsghdr *h, int type, const void *data, size_t len);
/* Closes a nest opened by nl_attr(.., NULL, 0). */
void nl_end(struct nlbuf *b, struct rtattr *a);
/* Sends B, reads every answer: 0 or the first -errno; empties B. */
int nl_send(int fd, struct nlbuf *b);
/* CLOCK_MONOTONIC in ns (in `make bench`'s icount guest: instructions). */
long long mono_ns(void);

#endif
