/* SPDX-License-Identifier: GPL-2.0 */
#include <net/tcp_states.h>
struct net;
struct sock;
struct inet_bind_hashbucket;
struct udp_hslot;
_Bool l3ns_helper_sk_kern_sock(const struct sock *sk);
unsigned short l3ns_helper_sk_protocol(const struct sock *sk);
unsigned short l3ns_helper_sk_type(const struct sock *sk);
struct inet_bind_hashbucket *l3ns_helper_tcp_bhash(const struct net *net, unsigned short port);
struct udp_hslot *l3ns_helper_udp_hashslot(const struct net *net, unsigned short port);
/* Constants of an anonymous enum, named for bindgen. */
enum l3ns_helper_sk_state { L3NS_TCP_TIME_WAIT = TCP_TIME_WAIT, L3NS_TCP_NEW_SYN_RECV = TCP_NEW_SYN_RECV };
