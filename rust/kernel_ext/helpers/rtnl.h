/* SPDX-License-Identifier: GPL-2.0 */
struct in_device;
struct net_device;
struct in_device *l3ns_helper_in_dev_get_rtnl(const struct net_device *dev);
