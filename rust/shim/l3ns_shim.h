/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l3ns C shim: the interface between the C glue (rust/shim/l3ns_shim.c) and
 * the Rust module. bindgen reads this header at build time (allowlist
 * l3ns_c_.* / l3ns_.* types) to produce rust/bindings_generated.rs.
 *
 * l3ns_c_*  : implemented in C, called from Rust.
 * l3ns_rs_* : implemented in Rust (#[no_mangle] extern "C"), called from C.
 *
 * Every `void *data` handed to a registration is the module's pinned
 * State; C stores it and passes it back to the l3ns_rs_* callbacks.
 */
#ifndef L3NS_SHIM_H
#define L3NS_SHIM_H

#include <linux/types.h>

/* Kinds of pointer-keyed tag tables (rust/tags.rs). */
enum l3ns_tag_kind {
	L3NS_TAG_TASK = 0,
	L3NS_TAG_SOCK = 1,
	L3NS_TAG_PORT = 2,	/* socket -> the hidden port it reserved */
	L3NS_TAG_KINDS = 3,
};

/* Set in a socket's tag once userspace closed it (registry::CLOSED). */
#define L3NS_TAG_CLOSED 0x80000000u

/* Per network namespace state (net_generic), counters updated atomically. */
struct l3ns_net {
	u64 pre_routing_packets;
	u64 local_out_packets;
};

/* The IPv4 header fields a netfilter hook decides on (host byte order). */
/* Transport protocols l3ns virtualizes ports for. */
enum l3ns_l4 {
	L3NS_L4_OTHER = 0,
	L3NS_L4_TCP = 1,
	L3NS_L4_UDP = 2,
};

struct l3ns_pkt {
	const void *sk;		/* LOCAL_OUT: the sending full user socket, or NULL */
	void *ctx;		/* LOCAL_IN: for l3ns_c_in_*(), else NULL */
	u32 net_inum;
	u32 saddr;
	u32 daddr;
	u16 sport;		/* valid when l4 != L3NS_L4_OTHER */
	u16 dport;
	u16 set_sport;		/* out (LOCAL_OUT): rewrite the source port to this */
	u8 protocol;
	u8 hook;		/* enum nf_inet_hooks */
	u8 from_loopback;	/* state->in or state->out is a loopback device */
	u8 l4;			/* enum l3ns_l4; LOCAL_OUT: only for member sockets */
	u8 tcp_syn;		/* SYN without ACK */
	u8 bcast;		/* LOCAL_IN: routed as broadcast or multicast */
};

/* Verdicts returned by l3ns_rs_nf_hook. */
#define L3NS_NF_ACCEPT 1u
#define L3NS_NF_DROP   0u
/* LOCAL_IN: drop, answering with a TCP RST / ICMP port unreachable. */
#define L3NS_NF_REJECT 2u

/* --- implemented in C --------------------------------------------------- */

/* netfilter PRE_ROUTING + LOCAL_OUT in every netns (pernet). */
int l3ns_c_pernet_register(void *data);
void l3ns_c_pernet_unregister(void);


/* The tag of `key` in table `kind` (0: none); any context. Implemented in
 * Rust (rust/ffi/tags.rs), temporary: for l3ns_steer.c and l3ns_route.c.
 */
u32 l3ns_c_tag_get(u32 kind, const void *key);

/* Counters of the caller's network namespace (never NULL while loaded). */
struct l3ns_net *l3ns_c_current_net(void);

/* Delivery redirects (raw/ping across namespaces, native IPv6 to members). */
int l3ns_c_route_probes_register(void *data);
void l3ns_c_route_probes_unregister(void);


/* Checks that did not run: kprobe hits missed (a hit inside another probe
 * handler) and ftrace callbacks refused by the recursion guard.
 */
u64 l3ns_c_probes_missed(void);


/* Is a socket of sk's type and protocol bound to addr:port in `net` (the
 * socket's own netns)? RCU read side, any context.
 */
bool l3ns_c_listener_exists(const void *net, const void *sk, u32 addr, u16 port);
/* The enum l3ns_l4 of a live socket. */
u8 l3ns_c_sock_l4(const void *sk);

/* LOCAL_IN steering (pkt->ctx): did early demux already find a socket? */
bool l3ns_c_in_has_sock(const void *ctx);
/* What l3ns_c_in_steer() found. */
enum l3ns_found {
	L3NS_FOUND_NONE = 0,	/* no socket at all */
	L3NS_FOUND_OWN = 1,	/* the owner's: assigned to the skb */
	L3NS_FOUND_FOREIGN = 2,	/* only another namespace's */
};
/* Finds the socket of the namespace tagged `owner_tag` (0: the parent) for
 * the packet, on its destination port or on `hidden` (0: none), and
 * assigns it to the skb; returns an enum l3ns_found.
 */
int l3ns_c_in_steer(void *ctx, u32 owner_tag, u16 hidden);
/* Broadcast/multicast UDP: delivers a copy with destination port `port`. */
void l3ns_c_in_copy(void *ctx, u16 port);
/* Is `port` bound by a socket of sk's protocol in sk's netns? Process
 * context (takes the hash chain's lock).
 */
bool l3ns_c_port_in_use(const void *sk, u16 port);

/* Kills a task that has not run yet (fail-closed inheritance). */


/* --- implemented in Rust ------------------------------------------------ */

/* A packet at PRE_ROUTING, LOCAL_IN or LOCAL_OUT: an L3NS_NF_* verdict;
 * may set pkt->set_sport.
 */
unsigned int l3ns_rs_nf_hook(void *data, struct l3ns_pkt *pkt, struct l3ns_net *net);
void l3ns_rs_net_exit(void *data, u32 net_inum);
/* A native IPv6 packet delivered to a user inet socket: 0 for non-members,
 * else -EPERM (a member has no IPv6).
 */
int l3ns_rs_v6_deliver_check(void *data, const void *sk);
/* Delivery of an IPv4 packet saddr -> daddr to a raw or ping socket sk:
 * 0 or -EPERM (refused).
 */
int l3ns_rs_deliver_check(void *data, const void *sk, u32 net_inum, u32 saddr, u32 daddr,
			  bool bcast);
/* LOCAL_IN, an ICMP error quoting a packet of protocol l4 (enum l3ns_l4)
 * from saddr:sport: the hidden port to quote instead, or 0.
 */
u16 l3ns_rs_icmp_quoted(void *data, u32 net_inum, u8 l4, u32 saddr, u16 sport);
/* An IPv4 address was deleted from a device of netns net_inum. */

#endif /* L3NS_SHIM_H */
