/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the shim's hook files (not part of the Rust
 * interface: bindgen never reads this header).
 */
#ifndef L3NS_HOOKS_H
#define L3NS_HOOKS_H

#include <linux/types.h>

/*
 * A probe reads its target's arguments by position: the target must still
 * have the type the handler was written for, or the build fails here.
 */
#define L3NS_PROBED(fn, type) static_assert(__same_type(&fn, (type)NULL))

struct user_namespace;
/*
 * Does the current task hold `cap` in `ns`, by its credentials alone
 * (cap_capable()'s walk, no LSM: callable from probe handlers, where
 * security_capable() would re-enter l3ns's own capability probe)?
 */
bool l3ns_raw_capable(struct user_namespace *ns, int cap);

struct sockaddr;
/* Sets the IPv4 address of an AF_INET or v4-mapped AF_INET6 sockaddr. */
void l3ns_sockaddr_set_v4(struct sockaddr *sa, u32 addr);

struct inode;
/* Is `inode` one of the debugfs files a member may open for writing
 * (net_ns/start, net_ns/info)?
 */
bool l3ns_debugfs_member_file(const struct inode *inode);

struct sk_buff;
/* Routed as broadcast or multicast? (Rust: kernel_ext::skb, exported for
 * rcv_refuse() in l3ns_route.c until that moves.)
 */
bool l3ns_routed_bcast(const struct sk_buff *skb);

#endif /* L3NS_HOOKS_H */
