/* SPDX-License-Identifier: GPL-2.0 */
/* One-line wrappers of kernel static inlines for rust/kernel_ext/ (as the
 * kernel's rust/helpers/ files): no decision is made here.
 */
struct net;
struct net_device;

struct net *l3ns_helper_dev_net(const struct net_device *dev);
void l3ns_helper_tracepoint_synchronize_unregister(void);
