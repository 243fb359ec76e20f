/* SPDX-License-Identifier: GPL-2.0 */
/* Shared between the l3ns-probe source files. */
#ifndef L3NS_PROBE_H
#define L3NS_PROBE_H

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

#endif
