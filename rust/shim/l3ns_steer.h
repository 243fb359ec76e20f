/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Between the netfilter hook (l3ns_shim.c) and the steering file
 * (l3ns_steer.c); not part of the Rust interface (bindgen never reads it).
 */
#ifndef L3NS_STEER_H
#define L3NS_STEER_H

#include <linux/netfilter.h>
#include <linux/skbuff.h>

struct l3ns_pkt;
struct l3ns_net;

/* Fills pkt->l4/sport/dport/tcp_syn for a TCP/UDP packet that is not a
 * later fragment; false otherwise. `doff`: the transport header length.
 */
bool l3ns_ports(struct sk_buff *skb, struct l3ns_pkt *pkt, u8 *doff);
/* Routed as broadcast or multicast? What the stack decides on (udp_rcv()
 * looks at the route, not at how the frame was addressed).
 */
bool l3ns_routed_bcast(const struct sk_buff *skb);
/* Rewrites the TCP/UDP source port, checksum kept right. */
bool l3ns_set_sport(struct sk_buff *skb, u16 port);
/* NF_INET_LOCAL_IN: steering (mechanism 13). */
unsigned int l3ns_local_in(void *data, struct sk_buff *skb, const struct nf_hook_state *state,
			   struct l3ns_pkt *pkt, struct l3ns_net *ln);

#endif /* L3NS_STEER_H */
