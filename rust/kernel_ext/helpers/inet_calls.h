/* SPDX-License-Identifier: GPL-2.0 */
struct net;
struct flowi4;
struct fib_result;
struct in_device;
struct net_device;
int l3ns_helper_fib_lookup(struct net *net, struct flowi4 *flp, struct fib_result *res,
			   unsigned int flags);
struct in_device *l3ns_helper_in_dev_get_rcu(const struct net_device *dev);
