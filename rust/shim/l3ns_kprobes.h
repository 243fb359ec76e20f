/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the shim's probe files (not part of the Rust
 * interface: bindgen never reads this header).
 */
#ifndef L3NS_KPROBES_H
#define L3NS_KPROBES_H

#include <linux/kprobes.h>

/*
 * A probe reads its target's arguments by position: the target must still
 * have the type the handler was written for, or the build fails here.
 */
#define L3NS_PROBED(fn, type) static_assert(__same_type(&fn, (type)NULL))

/* Per-instance data of int-returning kretprobes: the value to force. */
struct l3ns_kret {
	int ret;
};

/* Return handler: forces ->ret when the function itself returned 0. */
int l3ns_forced_ret(struct kretprobe_instance *ri, struct pt_regs *regs);

/*
 * Registers a set of kprobes and kretprobes (resetting them first, so a
 * module reload can register them again); on failure nothing stays
 * registered and one line names `what`.
 */
int l3ns_probes_register(const char *what, struct kprobe **kps, int nkps,
			 struct kretprobe **krps, int nkrps);
void l3ns_probes_unregister(struct kprobe **kps, int nkps,
			    struct kretprobe **krps, int nkrps);

/* Missed kretprobe hits (instance pool empty) of one set. */
unsigned long l3ns_probes_missed(struct kretprobe **krps, int nkrps);

unsigned long l3ns_route_probes_missed(void);

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

#endif /* L3NS_KPROBES_H */
