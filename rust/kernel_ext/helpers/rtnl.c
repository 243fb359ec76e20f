// SPDX-License-Identifier: GPL-2.0
/* One-line wrappers of static inlines for kernel_ext::rtnl. */
#include <linux/inetdevice.h>

#include "rtnl.h"

struct in_device *l3ns_helper_in_dev_get_rtnl(const struct net_device *dev)
{
	return __in_dev_get_rtnl(dev);
}
