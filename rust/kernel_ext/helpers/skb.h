/* SPDX-License-Identifier: GPL-2.0 */
#include <linux/rtnetlink.h>
struct sk_buff;
int l3ns_helper_inet_iif(const struct sk_buff *skb);
int l3ns_helper_inet_sdif(const struct sk_buff *skb);
unsigned short l3ns_helper_skb_rt_type(const struct sk_buff *skb);
/* Constants of an anonymous enum, named for bindgen. */
enum l3ns_helper_rtn { L3NS_RTN_BROADCAST = RTN_BROADCAST, L3NS_RTN_MULTICAST = RTN_MULTICAST };
