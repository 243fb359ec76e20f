/* SPDX-License-Identifier: GPL-2.0 */
struct net;
struct net_device;
struct net *l3ns_helper_dev_net(const struct net_device *dev);
