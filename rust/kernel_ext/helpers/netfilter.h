/* SPDX-License-Identifier: GPL-2.0 */
struct net;
void *l3ns_helper_net_generic(const struct net *net, unsigned int id);
