// SPDX-License-Identifier: GPL-2.0
/* One-line wrappers of kernel static inlines (see helpers.h). */
#include <linux/netdevice.h>
#include <linux/tracepoint.h>

#include "helpers.h"

struct net *l3ns_helper_dev_net(const struct net_device *dev)
{
	return dev_net(dev);
}

void l3ns_helper_tracepoint_synchronize_unregister(void)
{
	tracepoint_synchronize_unregister();
}
