// SPDX-License-Identifier: GPL-2.0
/*
 * l3ns C shim: the parts of l3ns that Rust cannot reach yet — static
 * inline helpers, the pernet_operations table;
 * probes in l3ns_probes.c / l3ns_route.c,
 * ftrace redirects in l3ns_visibility.c.
 * No policy lives here: every decision is made by the l3ns_rs_* callbacks.
 * See Documentation/design.rst for each mechanism and its teardown.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hash.h>
#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/nsproxy.h>
#include <linux/rculist.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/inet_sock.h>
#include <net/sock.h>

#include "l3ns_hooks.h"
#include "l3ns_shim.h"
#include "l3ns_steer.h"

/* ---- netfilter hooks in every network namespace ------------------------- */

static unsigned int l3ns_net_id __read_mostly;
static void *l3ns_nf_data;
/* Set while unregistering: .exit then runs for every netns, not because
 * one is dying, and must not reap that netns's L3 children.
 */
static bool l3ns_pernet_unregistering;

static bool dev_is_loopback(const struct net_device *dev)
{
	return dev && (dev->flags & IFF_LOOPBACK);
}

static unsigned int l3ns_nf_hookfn(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct sock *sk = state->hook == NF_INET_LOCAL_OUT ? skb_to_full_sk(skb) : NULL;
	struct l3ns_pkt pkt = {
		.sk = (sk && sk_fullsock(sk) && !sk->sk_kern_sock) ? sk : NULL,
		.net_inum = state->net->ns.inum,
		.saddr = ntohl(iph->saddr),
		.daddr = ntohl(iph->daddr),
		.protocol = iph->protocol,
		.hook = state->hook,
		.from_loopback = dev_is_loopback(state->in) || dev_is_loopback(state->out),
	};
	struct l3ns_net *ln = net_generic(state->net, l3ns_net_id);
	u8 doff;

	if (state->hook == NF_INET_LOCAL_IN)
		return l3ns_local_in(priv, skb, state, &pkt, ln);
	/* A member socket's packet: its source port may be a hidden one. */
	if (pkt.sk)
		l3ns_ports(skb, &pkt, &doff);
	if (l3ns_rs_nf_hook(priv, &pkt, ln) != L3NS_NF_ACCEPT)
		return NF_DROP;
	if (pkt.set_sport && !l3ns_set_sport(skb, pkt.set_sport))
		return NF_DROP;
	return NF_ACCEPT;
}

static struct nf_hook_ops l3ns_nf_ops[] = {
	{
		.hook = l3ns_nf_hookfn,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP_PRI_MANGLE + 1,
	},
	{
		/* Before raw and conntrack: a hidden source port is put back
		 * to the public one first, so every table and conntrack see
		 * the port that goes on the wire (and replies match it).
		 */
		.hook = l3ns_nf_hookfn,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP_PRI_RAW - 1,
	},
	{
		/* Steering: after the filter and security tables (their
		 * verdicts come first), before conntrack confirmation.
		 */
		.hook = l3ns_nf_hookfn,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP_PRI_SECURITY + 1,
	},
};

static int __net_init l3ns_net_init(struct net *net)
{
	return nf_register_net_hooks(net, l3ns_nf_ops, ARRAY_SIZE(l3ns_nf_ops));
}

static void __net_exit l3ns_net_exit(struct net *net)
{
	nf_unregister_net_hooks(net, l3ns_nf_ops, ARRAY_SIZE(l3ns_nf_ops));
	if (!READ_ONCE(l3ns_pernet_unregistering))
		l3ns_rs_net_exit(l3ns_nf_data, net->ns.inum);
}

static struct pernet_operations l3ns_net_ops = {
	.init = l3ns_net_init,
	.exit = l3ns_net_exit,
	.id = &l3ns_net_id,
	.size = sizeof(struct l3ns_net),
};

int l3ns_c_pernet_register(void *data)
{
	int i;

	l3ns_nf_data = data;
	WRITE_ONCE(l3ns_pernet_unregistering, false);
	for (i = 0; i < ARRAY_SIZE(l3ns_nf_ops); i++)
		l3ns_nf_ops[i].priv = data;
	return register_pernet_subsys(&l3ns_net_ops);
}

void l3ns_c_pernet_unregister(void)
{
	WRITE_ONCE(l3ns_pernet_unregistering, true);
	unregister_pernet_subsys(&l3ns_net_ops);
	/* Hooks may still run on other CPUs until a grace period passes. */
	synchronize_net();
}

/* ---- the calling task's netns counters ------------------------------- */

struct l3ns_net *l3ns_c_current_net(void)
{
	return net_generic(current->nsproxy->net_ns, l3ns_net_id);
}
