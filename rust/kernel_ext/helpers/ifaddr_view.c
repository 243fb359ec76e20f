// SPDX-License-Identifier: GPL-2.0
/* One-line wrappers of static inlines for kernel_ext::ifaddr_view. */
#include <linux/inetdevice.h>
#include <linux/rtnetlink.h>

#include "ifaddr_view.h"

void l3ns_helper_rtnl_net_lock(struct net *net)
{
	rtnl_net_lock(net);
}

void l3ns_helper_rtnl_net_unlock(struct net *net)
{
	rtnl_net_unlock(net);
}

struct in_device *l3ns_helper_in_dev_get_rtnl_net(const struct net_device *dev)
{
	return __in_dev_get_rtnl_net(dev);
}
