// SPDX-License-Identifier: GPL-2.0
/*
 * l3ns C shim, part 4: address visibility (mechanism 11 of
 * Documentation/design.rst). ftrace ops with FTRACE_OPS_FL_IPMODIFY (as
 * livepatch uses) redirect three devinet.c functions:
 *
 *   inet_fill_ifaddr  RTM_GETADDR dumps (ip addr, getifaddrs): hidden ifas
 *                     are skipped by a stub returning 0 (dumps only, never
 *                     notifications: an empty notification would break
 *                     `ip monitor`).
 *   inet_gifconf      SIOCGIFCONF (ifconfig): a filtering copy.
 *   devinet_ioctl     SIOCGIF{ADDR,BRDADDR,DSTADDR,NETMASK} (ifconfig
 *                     eth0:1): a copy of the GET branch that skips hidden
 *                     ifas; other commands run the original.
 *
 * Only exported or inline helpers are called (no unexported function is
 * ever called through a pointer). Whether an address is visible is
 * decided by l3ns_rs_addr_visible() for the calling task.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/ftrace.h>
#include <linux/if.h>
#include <linux/inetdevice.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <linux/uaccess.h>
#include <net/net_namespace.h>
#include <net/netlink.h>

#include "l3ns_redirect.h"
#include "l3ns_shim.h"

static void *l3ns_vis_data;
/* Tasks inside the replacements below (they may sleep). */
static atomic_t l3ns_vis_inflight = ATOMIC_INIT(0);

/* net/ipv4/igmp_internal.h in 7.3 (not a public header): checked by hand
 * against each kernel this module is built for.
 */
struct l3ns_inet_fill_args {
	u32 portid;
	u32 seq;
	int event;
	unsigned int flags;
	int netnsid;
	int ifindex;
};

static bool ifa_hidden(const struct in_ifaddr *ifa)
{
	const struct in_device *in_dev = ifa->ifa_dev;

	if (!in_dev || !in_dev->dev)
		return false;
	return !l3ns_rs_addr_visible(l3ns_vis_data, dev_net(in_dev->dev)->ns.inum,
				     ntohl(ifa->ifa_local));
}

/* ---- RTM_GETADDR dumps ---------------------------------------------------- */

static int notrace fill_stub(struct sk_buff *skb, const struct in_ifaddr *ifa, void *args)
{
	return 0;	/* nothing emitted; the dump's position counter moves on */
}

L3NS_FTRACE_CALLBACK(fill_cb)
{
	const struct in_ifaddr *ifa = (const void *)ftrace_regs_get_argument(fregs, 1);
	const struct l3ns_inet_fill_args *args = (const void *)ftrace_regs_get_argument(fregs, 2);

	if (ifa && args && (args->flags & NLM_F_MULTI) && ifa_hidden(ifa))
		ftrace_regs_set_instruction_pointer(fregs, (unsigned long)fill_stub);
}

/* ---- SIOCGIFCONF ------------------------------------------------------------ */

static int notrace gifconf_copy(struct net_device *dev, char __user *buf, int len, int size)
{
	struct in_device *in_dev = __in_dev_get_rtnl_net(dev);
	const struct in_ifaddr *ifa;
	struct ifreq ifr;
	int done = 0;

	atomic_inc(&l3ns_vis_inflight);
	if (!in_dev || size > (int)sizeof(ifr))
		goto out;
	in_dev_for_each_ifa_rtnl_net(dev_net(dev), ifa, in_dev) {
		if (ifa_hidden(ifa))
			continue;	/* before counting: length queries match */
		if (!buf) {
			done += size;
			continue;
		}
		if (len < size)
			break;
		memset(&ifr, 0, sizeof(ifr));
		strscpy(ifr.ifr_name, ifa->ifa_label, IFNAMSIZ);
		((struct sockaddr_in *)&ifr.ifr_addr)->sin_family = AF_INET;
		((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr.s_addr = ifa->ifa_local;
		if (copy_to_user(buf + done, &ifr, size)) {
			done = -EFAULT;
			break;
		}
		len -= size;
		done += size;
	}
out:
	atomic_dec(&l3ns_vis_inflight);
	return done;
}

static_assert(__same_type(&gifconf_copy, &inet_gifconf));

L3NS_FTRACE_CALLBACK(gifconf_cb)
{
	ftrace_regs_set_instruction_pointer(fregs, (unsigned long)gifconf_copy);
}

/* ---- SIOCGIF{ADDR,BRDADDR,DSTADDR,NETMASK} ---------------------------------- */

/* devinet_ioctl()'s GET branch (devinet.c, 7.3), skipping hidden ifas. */
static int notrace devinet_get(struct net *net, unsigned int cmd, struct ifreq *ifr)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr->ifr_addr;
	struct sockaddr_in sin_orig;
	struct in_ifaddr *ifa, *found = NULL;
	struct in_device *in_dev;
	struct net_device *dev;
	bool tryaddrmatch;
	char *colon;
	int ret;

	atomic_inc(&l3ns_vis_inflight);
	ifr->ifr_name[IFNAMSIZ - 1] = 0;
	memcpy(&sin_orig, sin, sizeof(*sin));
	colon = strchr(ifr->ifr_name, ':');
	if (colon)
		*colon = 0;
	dev_load(net, ifr->ifr_name);
	tryaddrmatch = sin_orig.sin_family == AF_INET;
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;

	rtnl_net_lock(net);
	ret = -ENODEV;
	dev = __dev_get_by_name(net, ifr->ifr_name);
	if (!dev)
		goto done;
	if (colon)
		*colon = ':';
	in_dev = __in_dev_get_rtnl_net(dev);
	if (in_dev && tryaddrmatch) {
		in_dev_for_each_ifa_rtnl_net(net, ifa, in_dev) {
			if (!strcmp(ifr->ifr_name, ifa->ifa_label) &&
			    sin_orig.sin_addr.s_addr == ifa->ifa_local && !ifa_hidden(ifa)) {
				found = ifa;
				break;
			}
		}
	}
	if (in_dev && !found) {
		in_dev_for_each_ifa_rtnl_net(net, ifa, in_dev) {
			if (!strcmp(ifr->ifr_name, ifa->ifa_label) && !ifa_hidden(ifa)) {
				found = ifa;
				break;
			}
		}
	}
	ret = -EADDRNOTAVAIL;
	if (!found)
		goto done;
	ret = 0;
	switch (cmd) {
	case SIOCGIFADDR:
		sin->sin_addr.s_addr = found->ifa_local;
		break;
	case SIOCGIFBRDADDR:
		sin->sin_addr.s_addr = found->ifa_broadcast;
		break;
	case SIOCGIFDSTADDR:
		sin->sin_addr.s_addr = found->ifa_address;
		break;
	case SIOCGIFNETMASK:
		sin->sin_addr.s_addr = found->ifa_mask;
		break;
	}
done:
	rtnl_net_unlock(net);
	atomic_dec(&l3ns_vis_inflight);
	return ret;
}

static_assert(__same_type(&devinet_get, &devinet_ioctl));

L3NS_FTRACE_CALLBACK(devinet_cb)
{
	switch ((unsigned int)ftrace_regs_get_argument(fregs, 1)) {
	case SIOCGIFADDR:
	case SIOCGIFBRDADDR:
	case SIOCGIFDSTADDR:
	case SIOCGIFNETMASK:
		ftrace_regs_set_instruction_pointer(fregs, (unsigned long)devinet_get);
		break;
	}
}

/* ---- registration ------------------------------------------------------------ */

static struct l3ns_redirect l3ns_redirects[] = {
	{ .symbol = "inet_fill_ifaddr", .ops = { .func = fill_cb, .flags = L3NS_REDIRECT_FLAGS } },
	{ .symbol = "inet_gifconf", .ops = { .func = gifconf_cb, .flags = L3NS_REDIRECT_FLAGS } },
	{ .symbol = "devinet_ioctl", .ops = { .func = devinet_cb, .flags = L3NS_REDIRECT_FLAGS } },
};

void l3ns_c_visibility_unregister(void)
{
	l3ns_redirects_unregister(l3ns_redirects, ARRAY_SIZE(l3ns_redirects));
	/* The replacements may sleep: wait for those inside. */
	while (atomic_read(&l3ns_vis_inflight))
		msleep(20);
	l3ns_redirects_free(l3ns_redirects, ARRAY_SIZE(l3ns_redirects));
}

int l3ns_c_visibility_register(void *data)
{
	l3ns_vis_data = data;
	return l3ns_redirects_register("visibility", l3ns_redirects, ARRAY_SIZE(l3ns_redirects));
}
