/* SPDX-License-Identifier: GPL-2.0 */
/* Shared between the l3ns-probe source files. */
#ifndef L3NS_PROBE_H
#define L3NS_PROBE_H

/* "EADDRINUSE" for EADDRINUSE, ... */
const char *errname(int e);
/* probe_ports.c: the shared-port commands; -1 when argv is not one. */
int ports_main(int argc, char **argv);

#endif
