// SPDX-License-Identifier: GPL-2.0
/* One-line wrappers of static inlines for kernel_ext::skb. */
#include <net/ip.h>
#include <net/route.h>

#include "skb.h"

int l3ns_helper_inet_iif(const struct sk_buff *skb)
{
	return inet_iif(skb);
}

int l3ns_helper_inet_sdif(const struct sk_buff *skb)
{
	return inet_sdif(skb);
}

unsigned short l3ns_helper_skb_rt_type(const struct sk_buff *skb)
{
	return skb_rtable(skb) ? skb_rtable(skb)->rt_type : RTN_UNSPEC;
}
