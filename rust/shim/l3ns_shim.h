/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l3ns C shim: the interface between the C glue (rust/shim/l3ns_shim.c) and
 * the Rust module. bindgen reads this header at build time (allowlist
 * l3ns_c_.* / l3ns_.* types) to produce rust/bindings_generated.rs.
 *
 * l3ns_c_*  : implemented in C, called from Rust.
 * l3ns_rs_* : implemented in Rust (#[no_mangle] extern "C"), called from C.
 *
 * Every `void *data` handed to a registration is the module's pinned
 * State; C stores it and passes it back to the l3ns_rs_* callbacks.
 */
#ifndef L3NS_SHIM_H
#define L3NS_SHIM_H

#include <linux/types.h>

/* Kinds of pointer-keyed tag tables. */
enum l3ns_tag_kind {
	L3NS_TAG_TASK = 0,
	L3NS_TAG_SOCK = 1,
	L3NS_TAG_PORT = 2,	/* socket -> the hidden port it reserved */
	L3NS_TAG_KINDS = 3,
};

/* Set in a socket's tag once userspace closed it (registry::CLOSED). */
#define L3NS_TAG_CLOSED 0x80000000u

/* What bind() asks for, classified by the shim (host byte order). */
enum l3ns_bind_kind {
	L3NS_BIND_V4 = 0,	/* AF_INET, or AF_INET6 v4-mapped: see .v4 */
	L3NS_BIND_V6_ANY = 1,	/* :: */
	L3NS_BIND_V6_LOOPBACK = 2,	/* ::1 */
	L3NS_BIND_V6_OTHER = 3,
};

struct l3ns_bind_req {
	u32 kind;		/* enum l3ns_bind_kind */
	u32 v4;
	u32 net_inum;		/* netns of the socket */
	u16 port;		/* the port asked for */
	u8 l4;			/* enum l3ns_l4: TCP or UDP socket */
	u8 bound;		/* the socket already has a local port */
	u8 v6only;		/* AF_INET6 with IPV6_V6ONLY: never sees IPv4 */
	u8 needs_cap;		/* privileged port, no CAP_NET_BIND_SERVICE */
};

/* The debugfs files under net_ns/. */
enum l3ns_file {
	L3NS_FILE_START = 0,
	L3NS_FILE_INFO = 1,
	L3NS_FILE_ADDR = 2,
	L3NS_FILE_JOIN = 3,
	L3NS_FILE_CHILDREN = 4,
	L3NS_FILE_COUNT = 5,
};

/* A file opened for writing, as the open guard classifies it. */
enum l3ns_open_kind {
	L3NS_OPEN_OTHER = 0,	/* not guarded */
	L3NS_OPEN_OWN = 1,	/* net_ns/start, net_ns/info */
	L3NS_OPEN_SYSCTL = 2,	/* under /proc/sys */
	L3NS_OPEN_TRACING = 3,	/* any other debugfs file, any tracefs file */
	L3NS_OPEN_MODPARAM = 4,	/* /sys/module/<module>/parameters/<name> */
};

/* What `info` needs of the reader's task, with no kernel address in it. */
struct l3ns_task_ns {
	char nsproxy[24];	/* hashed %p of current->nsproxy */
	u32 nsproxy_refcnt;
	u32 net_inum;		/* current->nsproxy->net_ns->ns.inum */
	u32 net_refcnt;
};

/* Transport protocols l3ns virtualizes ports for. */
enum l3ns_l4 {
	L3NS_L4_OTHER = 0,
	L3NS_L4_TCP = 1,
	L3NS_L4_UDP = 2,
};

/* A route lookup made for a socket (ip_route_output_flow), host order. */
#define L3NS_FLOW_DEV_ADDRS 16
struct l3ns_flow {
	u32 net_inum;
	u32 daddr;
	u32 saddr;
	u32 nexthop;		/* gateway, or daddr if directly connected */
	u8 prefilled;		/* saddr is the FIB's choice, not the caller's */
	u8 ndev;		/* addresses of the route's device, in order */
	u32 dev_addr[L3NS_FLOW_DEV_ADDRS];
	u8 dev_prefix[L3NS_FLOW_DEV_ADDRS];
};

enum l3ns_source {
	L3NS_SRC_KEEP = 0,
	L3NS_SRC_USE = 1,
	L3NS_SRC_REFUSE = 2,
};

/* --- implemented in C --------------------------------------------------- */

/* debugfs: creates net_ns/{start,info}; returns 0 or -errno. */
int l3ns_c_debugfs_create(void *data);
void l3ns_c_debugfs_remove(void);

/* Deferred process-context work (namespace reaping). */
void l3ns_c_reaper_init(void *data);
void l3ns_c_reaper_kick(void);
void l3ns_c_reaper_stop(void);

/* Pointer-keyed tags: value 0 means "no tag". `nowait`: try the allocator
 * (without reclaim) before the reserve; false only in KUnit.
 */
int l3ns_c_tag_set(u32 kind, const void *key, u32 value, bool nowait);
u32 l3ns_c_tag_get(u32 kind, const void *key);
u32 l3ns_c_tag_del(u32 kind, const void *key);
u32 l3ns_c_tag_count(u32 kind);
/* Replaces the tag of `key` by `value` if it is `old`; true if replaced. */
bool l3ns_c_tag_replace(u32 kind, const void *key, u32 old, u32 value);
/* Removes one tag of `kind` whose value, with the bits of `ignore` cleared,
 * is `value`, scanning from bucket *cursor on (advanced); for a socket tag
 * the socket's port tag goes with it, its value in *port (else 0). Returns
 * false when no such tag is left.
 */
bool l3ns_c_tag_pop(u32 kind, u32 value, u32 ignore, u32 *cursor, u32 *port);
/* The tag tables' slab cache and entry reserve: set up at load (-ENOMEM if
 * the reserve cannot be filled); at unload, once no caller of
 * l3ns_c_tag_set() is left, every tag is removed and everything freed.
 */
int l3ns_c_tags_init(void);
void l3ns_c_tags_exit(void);
/* Tag table counters (info). */
enum l3ns_tag_counter {
	L3NS_TAG_RESERVE_USED,		/* entries taken from the reserve */
	L3NS_TAG_ALLOC_FAILURES,	/* reserve and allocator both empty */
	L3NS_TAG_LIMIT_REFUSALS,	/* max_tasks / max_sockets reached */
	L3NS_TAG_COUNTERS,
	L3NS_TAG_RESERVE_FREE = L3NS_TAG_COUNTERS,	/* spares now */
};
u64 l3ns_c_tag_counter(u32 which);

/* The calling task. */
const void *l3ns_c_current(void);
int l3ns_c_current_pid(void);
void l3ns_c_current_task_ns(struct l3ns_task_ns *out);
bool l3ns_c_capable_net_admin(void);

/* Socket probes (post_create, sk_clone, sk_free, bind), and the privilege
 * probes (security_capable, security_socket_create).
 */
int l3ns_c_sock_probes_register(void *data);
void l3ns_c_sock_probes_unregister(void);

/* Route, connect/sendmsg and delivery probes (source addresses, demux). */
int l3ns_c_route_probes_register(void *data);
void l3ns_c_route_probes_unregister(void);

/* The open guard (security_file_open). */
int l3ns_c_guard_register(void *data);
void l3ns_c_guard_unregister(void);

/* ftrace redirects hiding addresses from ip addr / ifconfig. */
int l3ns_c_visibility_register(void *data);
void l3ns_c_visibility_unregister(void);

/* Checks that did not run: kprobe hits missed (a hit inside another probe
 * handler) and ftrace callbacks refused by the recursion guard.
 */
u64 l3ns_c_probes_missed(void);


/* RTNL, and finding an ifa of the caller's netns under it:
 * returns the prefix length, -ENODEV or -EADDRNOTAVAIL, and in *loopback
 * whether the device is a loopback device. `label` may be NULL (any label
 * of the device); both strings are NUL-terminated.
 */
void l3ns_c_rtnl_lock(void);
void l3ns_c_rtnl_unlock(void);
int l3ns_c_find_ifa(const char *dev, const char *label, u32 addr, bool *loopback);

/* Kills a task that has not run yet (fail-closed inheritance). */

/* True when a rate-limited log line may be printed now. */
bool l3ns_c_log_ratelimit(void);
void l3ns_c_synchronize_net(void);
void l3ns_c_rcu_barrier(void);

/* Module parameters. */
u32 l3ns_c_param_max_namespaces(void);
u32 l3ns_c_param_max_tasks(void);
u32 l3ns_c_param_max_sockets(void);
u32 l3ns_c_param_max_addrs(void);

/* --- implemented in Rust ------------------------------------------------ */

/* A write to net_ns/<file>: returns len or -errno. */
ssize_t l3ns_rs_file_write(void *data, u32 file, const u8 *buf, size_t len);
/* Formats net_ns/<file> for the calling task into buf; bytes or -errno. */
ssize_t l3ns_rs_file_format(void *data, u32 file, u8 *buf, size_t cap);
void l3ns_rs_reap(void *data);
/* security_capable / security_socket_create by the current task: 0 to
 * let it proceed, -EPERM (or -EPROTONOSUPPORT for an IP protocol l3ns does
 * not virtualize) to refuse.
 */
int l3ns_rs_capable_check(void *data, int cap);
int l3ns_rs_socket_create_check(void *data, int family, int type, int protocol);
/* A member socket's connect()/sendmsg() to a native IPv6 destination, and
 * a native IPv6 packet delivered to it: 0 for non-members, else
 * -ENETUNREACH / -EPERM (a member has no IPv6).
 */
int l3ns_rs_v6_check(void *data, const void *sk);
int l3ns_rs_v6_deliver_check(void *data, const void *sk);
/* The current task opens a file of `kind` for writing: 0, or -EACCES. */
int l3ns_rs_file_open_check(void *data, u32 kind);
/* A member created a user socket: tag it (0) or refuse it (-errno). */
int l3ns_rs_sock_create(void *data, const void *sk);
void l3ns_rs_sock_clone(void *data, const void *sk, const void *newsk);
/* Userspace closed its last reference to the socket (sock_close). */
void l3ns_rs_sock_close(void *data, const void *sk);
void l3ns_rs_sock_free(void *data, const void *sk);
/* bind(): 0 to let it proceed (with *rewrite, if non-zero, as the IPv4
 * address to bind instead, and *port, if non-zero, as the port), or
 * -EADDRNOTAVAIL / -EADDRINUSE / -ENOBUFS to refuse.
 */
int l3ns_rs_bind_check(void *data, const void *sk, const struct l3ns_bind_req *req, u32 *rewrite,
		       u16 *port);
/* bind() of sk was refused after l3ns_rs_bind_check() reserved a hidden
 * port for it: give the port back.
 */
void l3ns_rs_bind_undo(void *data, const void *sk);
/* Must the route lookup for sk in net_inum be judged (member socket, or
 * the netns has owned addresses)?
 */
bool l3ns_rs_source_wanted(void *data, const void *sk, u32 net_inum);
/* The source for a judged lookup; *addr is set for L3NS_SRC_USE. */
u32 l3ns_rs_source(void *data, const void *sk, const struct l3ns_flow *f, u32 *addr);
/* connect()/sendmsg() of sk to IPv4 daddr:dport: 0 (with *rewrite, if
 * non-zero, as the destination to use instead) or -EADDRNOTAVAIL. `net` is
 * the socket's struct net, valid for the call (l3ns_c_listener_exists).
 */
int l3ns_rs_connect_check(void *data, const void *sk, const void *net, u32 net_inum,
			  u32 daddr, u16 dport, u32 *rewrite);
/* Delivery of an IPv4 packet saddr -> daddr to a raw or ping socket sk:
 * 0 or -EPERM (refused).
 */
int l3ns_rs_deliver_check(void *data, const void *sk, u32 net_inum, u32 saddr, u32 daddr,
			  bool bcast);
/* getsockname/getpeername of a member socket: the IPv4 address to show. */
u32 l3ns_rs_getname_map(void *data, const void *sk, u32 addr);
/* getsockname of a member socket: the port to show (a hidden port maps
 * back to the port asked for).
 */
u16 l3ns_rs_getname_port(void *data, const void *sk, u16 port);
/* May the calling task see address addr of netns net_inum? Any context. */
bool l3ns_rs_addr_visible(void *data, u32 net_inum, u32 addr);
/* An IPv4 address was deleted from a device of netns net_inum. */

#endif /* L3NS_SHIM_H */
