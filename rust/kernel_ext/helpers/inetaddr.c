// SPDX-License-Identifier: GPL-2.0
/* One-line wrappers of static inlines for kernel_ext::inetaddr. */
#include <linux/netdevice.h>

#include "inetaddr.h"

struct net *l3ns_helper_dev_net(const struct net_device *dev)
{
	return dev_net(dev);
}
