// SPDX-License-Identifier: GPL-2.0
/* Wrappers of static inlines for kernel_ext::route_source. */
#include <linux/inetdevice.h>
#include <net/ip_fib.h>

#include "inet_calls.h"

int l3ns_helper_fib_lookup(struct net *net, struct flowi4 *flp, struct fib_result *res,
			   unsigned int flags)
{
	return fib_lookup(net, flp, res, flags);
}

struct in_device *l3ns_helper_in_dev_get_rcu(const struct net_device *dev)
{
	return __in_dev_get_rcu(dev);
}
