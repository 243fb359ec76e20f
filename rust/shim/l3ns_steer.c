// SPDX-License-Identifier: GPL-2.0
/*
 * l3ns C shim, part 4: shared wildcard ports (mechanism 13 of
 * Documentation/design.rst). At NF_INET_LOCAL_IN the socket for a packet to
 * a child's address is looked up here and assigned to the skb as TPROXY
 * does; packets nobody in the owner namespace listens for are rejected with
 * the kernel's own helpers; broadcast copies go to the namespaces' hidden
 * ports; at LOCAL_OUT a hidden source port is rewritten back. Which
 * namespace owns what, and which hidden port stands for which port, is
 * decided by the l3ns_rs_* callbacks.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/netfilter.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/inet_hashtables.h>
#include <net/ip.h>
#include <net/netfilter/ipv4/nf_reject.h>
#include <net/route.h>
#include <net/sock.h>
#include <net/tcp.h>
#include <net/udp.h>

#include "l3ns_shim.h"
#include "l3ns_steer.h"

/* What the steering primitives need of a LOCAL_IN packet. */
struct l3ns_in_ctx {
	struct sk_buff *skb;
	const struct nf_hook_state *state;
	__be16 sport;
	__be16 dport;
	u8 protocol;
	u8 doff;		/* TCP header length */
};

/* Ports of a TCP/UDP packet (not a later fragment); false otherwise. */
bool l3ns_ports(struct sk_buff *skb, struct l3ns_pkt *pkt, u8 *doff)
{
	const struct iphdr *iph = ip_hdr(skb);
	unsigned int thoff = ip_hdrlen(skb);
	struct tcphdr _th;
	const struct tcphdr *th;
	struct udphdr _uh;
	const struct udphdr *uh;

	if (iph->frag_off & htons(IP_OFFSET))
		return false;
	if (iph->protocol == IPPROTO_TCP) {
		th = skb_header_pointer(skb, thoff, sizeof(_th), &_th);
		if (!th)
			return false;
		pkt->sport = ntohs(th->source);
		pkt->dport = ntohs(th->dest);
		pkt->tcp_syn = th->syn && !th->ack;
		*doff = th->doff * 4;
		pkt->l4 = L3NS_L4_TCP;
		return true;
	}
	if (iph->protocol == IPPROTO_UDP) {
		uh = skb_header_pointer(skb, thoff, sizeof(_uh), &_uh);
		if (!uh)
			return false;
		pkt->sport = ntohs(uh->source);
		pkt->dport = ntohs(uh->dest);
		*doff = sizeof(*uh);
		pkt->l4 = L3NS_L4_UDP;
		return true;
	}
	return false;
}

/* Rewrites a TCP/UDP port in place, keeping the checksum right in every
 * ip_summed state (as nf_nat's l4proto manip does).
 */
static bool set_port(struct sk_buff *skb, bool source, u16 port)
{
	unsigned int thoff = ip_hdrlen(skb);
	__be16 new = htons(port), *p;
	__sum16 *check;
	u8 protocol = ip_hdr(skb)->protocol;
	unsigned int hlen = protocol == IPPROTO_TCP ? sizeof(struct tcphdr) : sizeof(struct udphdr);

	if (skb_ensure_writable(skb, thoff + hlen))
		return false;
	if (protocol == IPPROTO_TCP) {
		struct tcphdr *th = (struct tcphdr *)(skb_network_header(skb) + thoff);

		p = source ? &th->source : &th->dest;
		inet_proto_csum_replace2(&th->check, skb, *p, new, false);
	} else {
		struct udphdr *uh = (struct udphdr *)(skb_network_header(skb) + thoff);

		p = source ? &uh->source : &uh->dest;
		check = &uh->check;
		if (*check || skb->ip_summed == CHECKSUM_PARTIAL) {
			inet_proto_csum_replace2(check, skb, *p, new, false);
			if (!*check)
				*check = CSUM_MANGLED_0;
		}
	}
	*p = new;
	return true;
}

bool l3ns_routed_bcast(const struct sk_buff *skb)
{
	const struct rtable *rt = skb_rtable(skb);

	return rt && (rt->rt_type == RTN_BROADCAST || rt->rt_type == RTN_MULTICAST);
}

bool l3ns_set_sport(struct sk_buff *skb, u16 port)
{
	return set_port(skb, true, port);
}

/* Is `sk` (no reference needed) a socket of the namespace tagged `tag`
 * (0: the parent), open or closed (an orphan finishing its connection)?
 */
static bool sock_of(const struct sock *sk, u32 tag)
{
	return sk_fullsock(sk) && (l3ns_c_tag_get(L3NS_TAG_SOCK, sk) & ~L3NS_TAG_CLOSED) == tag;
}

/* Is an established-table entry the owner's? A full socket by its tag; a
 * request socket by its listener's; a TIME_WAIT entry has no owner left
 * (it only answers for a connection that has ended).
 */
static bool conn_of(const struct sock *sk, u32 tag)
{
	if (sk->sk_state == TCP_NEW_SYN_RECV)
		return sock_of(inet_reqsk(sk)->rsk_listener, tag);
	return !sk_fullsock(sk) || sock_of(sk, tag);
}

/* Gives the skb to `sk` (a reference is passed in), as nf_tproxy does:
 * inet_steal_sock() then uses it without another lookup.
 */
static void assign(struct sk_buff *skb, struct sock *sk)
{
	skb_orphan(skb);
	skb->sk = sk;
	skb->destructor = sock_edemux;
}

/* An RCU-protected socket without a reference (listener, UDP). */
static int assign_rcu(struct sk_buff *skb, struct sock *sk)
{
	if (!refcount_inc_not_zero(&sk->sk_refcnt))
		return L3NS_FOUND_NONE;	/* being freed: as if not there */
	assign(skb, sk);
	return L3NS_FOUND_OWN;
}

static int steer_tcp(struct l3ns_in_ctx *c, u32 tag, u16 hidden)
{
	struct sk_buff *skb = c->skb;
	struct net *net = c->state->net;
	const struct iphdr *iph = ip_hdr(skb);
	int doff = ip_hdrlen(skb) + c->doff;
	int dif = inet_iif(skb), sdif = inet_sdif(skb);
	u16 ports[2] = { ntohs(c->dport), hidden };
	int found = L3NS_FOUND_NONE;
	struct sock *sk;
	int i;

	for (i = 0; i < 2 && ports[i]; i++) {
		/* The exact connection (takes a reference): its local address
		 * is the destination, so it is the owner's.
		 */
		sk = __inet_lookup_established(net, iph->saddr, c->sport, iph->daddr,
					       ports[i], dif, sdif);
		if (sk && conn_of(sk, tag)) {
			assign(skb, sk);
			return L3NS_FOUND_OWN;
		}
		if (sk) {
			sock_gen_put(sk);
			found = L3NS_FOUND_FOREIGN;
			continue;
		}
		/* A listener, whatever its reuseport group picked: only one of
		 * the owner's, on the real port and the hidden one alike.
		 */
		sk = __inet_lookup_listener(net, skb, doff, iph->saddr, c->sport,
					    iph->daddr, ports[i], dif, sdif);
		if (sk && sock_of(sk, tag))
			return assign_rcu(skb, sk);
		if (sk)
			found = L3NS_FOUND_FOREIGN;
	}
	return found;
}

static int steer_udp(struct l3ns_in_ctx *c, u32 tag, u16 hidden)
{
	struct sk_buff *skb = c->skb;
	struct net *net = c->state->net;
	const struct iphdr *iph = ip_hdr(skb);
	int dif = inet_iif(skb), sdif = inet_sdif(skb);
	struct sock *sk;

	/* No skb: reuseport groups pick by hash, as nf_tproxy's lookup does. */
	sk = __udp4_lib_lookup(net, iph->saddr, c->sport, iph->daddr, c->dport, dif, sdif,
			       NULL);
	if (sk && sock_of(sk, tag))
		return assign_rcu(skb, sk);
	if (hidden) {
		struct sock *own = __udp4_lib_lookup(net, iph->saddr, c->sport, iph->daddr,
						     htons(hidden), dif, sdif,
						     NULL);
		if (own && sock_of(own, tag))
			return assign_rcu(skb, own);
		if (own)
			return L3NS_FOUND_FOREIGN;
	}
	return sk ? L3NS_FOUND_FOREIGN : L3NS_FOUND_NONE;
}

bool l3ns_c_in_has_sock(const void *ctx)
{
	return ((const struct l3ns_in_ctx *)ctx)->skb->sk;
}

int l3ns_c_in_steer(void *ctx, u32 owner_tag, u16 hidden)
{
	struct l3ns_in_ctx *c = ctx;

	return c->protocol == IPPROTO_TCP ? steer_tcp(c, owner_tag, hidden)
					  : steer_udp(c, owner_tag, hidden);
}

void l3ns_c_in_copy(void *ctx, u16 port)
{
	struct l3ns_in_ctx *c = ctx;
	struct sk_buff *nskb;

	if (c->protocol != IPPROTO_UDP)
		return;
	nskb = skb_clone(c->skb, GFP_ATOMIC);
	if (!nskb)
		return;
	/* skb_ensure_writable() un-shares the header before set_port()
	 * touches it; the original keeps its port.
	 */
	if (!set_port(nskb, false, port)) {
		kfree_skb(nskb);
		return;
	}
	/* ip_local_deliver_finish(): multicast delivery on the hidden port. */
	c->state->okfn(c->state->net, c->state->sk, nskb);
}

static void reject(struct l3ns_in_ctx *c)
{
	if (c->protocol == IPPROTO_TCP)
		nf_send_reset(c->state->net, NULL, c->skb, NF_INET_LOCAL_IN);
	else
		nf_send_unreach(c->skb, ICMP_PORT_UNREACH, NF_INET_LOCAL_IN);
}

/* Does a socket on the quoted source port itself match the quoted packet
 * (an accepted connection on the public port, a specific-address bind)?
 */
static bool quoted_sock_exists(struct sk_buff *skb, const struct iphdr *inner, __be16 sport,
			       __be16 dport)
{
	struct net *net = dev_net(skb->dev);
	struct sock *sk;

	if (inner->protocol == IPPROTO_TCP) {
		sk = __inet_lookup_established(net, inner->daddr, dport, inner->saddr, ntohs(sport),
					       inet_iif(skb), inet_sdif(skb));
		if (!sk)
			return false;
		sock_gen_put(sk);
		return true;
	}
	sk = __udp4_lib_lookup(net, inner->daddr, dport, inner->saddr, sport, inet_iif(skb),
			       inet_sdif(skb), NULL);
	return sk && inet_sk(sk)->inet_rcv_saddr == inner->saddr;
}

/* An ICMP error quoting a TCP/UDP packet we sent from a hidden port's
 * public port: quote the hidden port, so the error reaches its socket.
 */
static void icmp_error_in(void *data, struct sk_buff *skb, u32 net_inum)
{
	unsigned int off = ip_hdrlen(skb);
	struct icmphdr _ih, *ih;
	struct iphdr _inner, *inner;
	__be16 _ports[2], *ports, *port;
	unsigned int poff;
	u16 hidden;

	ih = skb_header_pointer(skb, off, sizeof(_ih), &_ih);
	if (!ih || (ih->type != ICMP_DEST_UNREACH && ih->type != ICMP_TIME_EXCEEDED &&
		    ih->type != ICMP_PARAMETERPROB && ih->type != ICMP_SOURCE_QUENCH))
		return;
	inner = skb_header_pointer(skb, off + sizeof(_ih), sizeof(_inner), &_inner);
	if (!inner || inner->ihl < 5 || (inner->frag_off & htons(IP_OFFSET)) ||
	    (inner->protocol != IPPROTO_TCP && inner->protocol != IPPROTO_UDP))
		return;
	/* The quoted ports: the first two fields of both TCP and UDP headers. */
	poff = off + sizeof(_ih) + inner->ihl * 4;
	ports = skb_header_pointer(skb, poff, sizeof(_ports), &_ports);
	if (!ports)
		return;
	hidden = l3ns_rs_icmp_quoted(data, net_inum,
				     inner->protocol == IPPROTO_TCP ? L3NS_L4_TCP : L3NS_L4_UDP,
				     ntohl(inner->saddr), ntohs(ports[0]));
	if (!hidden || quoted_sock_exists(skb, inner, ports[0], ports[1]) ||
	    skb_ensure_writable(skb, poff + sizeof(*port)))
		return;
	ih = (struct icmphdr *)(skb_network_header(skb) + off);
	port = (__be16 *)(skb_network_header(skb) + poff);
	inet_proto_csum_replace2(&ih->checksum, skb, *port, htons(hidden), false);
	*port = htons(hidden);
}

unsigned int l3ns_local_in(void *data, struct sk_buff *skb, const struct nf_hook_state *state,
			   struct l3ns_pkt *pkt, struct l3ns_net *ln)
{
	struct l3ns_in_ctx c = { .skb = skb, .state = state };

	if (ip_hdr(skb)->protocol == IPPROTO_ICMP) {
		icmp_error_in(data, skb, pkt->net_inum);
		return NF_ACCEPT;
	}
	if (!l3ns_ports(skb, pkt, &c.doff))
		return NF_ACCEPT;
	c.protocol = ip_hdr(skb)->protocol;
	c.sport = htons(pkt->sport);
	c.dport = htons(pkt->dport);
	pkt->bcast = l3ns_routed_bcast(skb);
	pkt->ctx = &c;
	switch (l3ns_rs_nf_hook(data, pkt, ln)) {
	case L3NS_NF_ACCEPT:
		return NF_ACCEPT;
	case L3NS_NF_REJECT:
		reject(&c);
		return NF_DROP;
	default:
		return NF_DROP;
	}
}

/* Is `port` bound by any socket of `sk`'s protocol in its netns? Walks one
 * bind-hash (TCP) or port-hash (UDP) chain under its lock. Called from the
 * bind wrapper (process context); the lock is taken with IRQs saved off,
 * which also keeps out the softirqs that take these chain locks.
 */
bool l3ns_c_port_in_use(const void *skp, u16 port)
{
	const struct sock *sk = skp;
	struct net *net = sock_net(sk);
	unsigned long flags;
	bool used = false;

	if (sk->sk_protocol == IPPROTO_TCP) {
		struct inet_hashinfo *h = net->ipv4.tcp_death_row.hashinfo;
		struct inet_bind_hashbucket *head = &h->bhash[inet_bhashfn(net, port, h->bhash_size)];
		struct inet_bind_bucket *tb;

		spin_lock_irqsave(&head->lock, flags);
		inet_bind_bucket_for_each(tb, &head->chain)
			if (net_eq(ib_net(tb), net) && tb->port == port)
				used = true;
		spin_unlock_irqrestore(&head->lock, flags);
	} else if (sk->sk_protocol == IPPROTO_UDP) {
		struct udp_hslot *hslot = udp_hashslot(net->ipv4.udp_table, net, port);
		struct sock *sk2;

		spin_lock_irqsave(&hslot->lock, flags);
		sk_for_each(sk2, &hslot->head)
			if (net_eq(sock_net(sk2), net) && udp_sk(sk2)->udp_port_hash == port)
				used = true;
		spin_unlock_irqrestore(&hslot->lock, flags);
	}
	return used;
}
