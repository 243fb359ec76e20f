/* SPDX-License-Identifier: GPL-2.0 */
struct in_device;
struct net;
struct net_device;
void l3ns_helper_rtnl_net_lock(struct net *net);
void l3ns_helper_rtnl_net_unlock(struct net *net);
struct in_device *l3ns_helper_in_dev_get_rtnl_net(const struct net_device *dev);
