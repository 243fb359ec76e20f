// SPDX-License-Identifier: GPL-2.0
/* One-line wrappers of static inlines for kernel_ext::netfilter. */
#include <net/netns/generic.h>

#include "netfilter.h"

void *l3ns_helper_net_generic(const struct net *net, unsigned int id)
{
	return net_generic(net, id);
}
