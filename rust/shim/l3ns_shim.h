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
	L3NS_TAG_KINDS = 1,
};

/* Per network namespace state (net_generic), counters updated atomically. */
struct l3ns_net {
	u64 pre_routing_packets;
	u64 local_out_packets;
};

/* What `info` needs of the reader's task, with no kernel address in it. */
struct l3ns_task_ns {
	char nsproxy[24];	/* hashed %p of current->nsproxy */
	u32 nsproxy_refcnt;
	u32 net_inum;		/* current->nsproxy->net_ns->ns.inum */
	u32 net_refcnt;
};

/* The IPv4 header fields a netfilter hook decides on (host byte order). */
struct l3ns_pkt {
	u32 saddr;
	u32 daddr;
	u8 protocol;
	u8 hook;		/* enum nf_inet_hooks */
	u8 from_loopback;	/* state->in or state->out is a loopback device */
};

/* Verdicts returned by l3ns_rs_nf_hook. */
#define L3NS_NF_ACCEPT 1u
#define L3NS_NF_DROP   0u

/* --- implemented in C --------------------------------------------------- */

/* debugfs: creates net_ns/{start,info}; returns 0 or -errno. */
int l3ns_c_debugfs_create(void *data);
void l3ns_c_debugfs_remove(void);

/* netfilter PRE_ROUTING + LOCAL_OUT in every netns (pernet). */
int l3ns_c_pernet_register(void *data);
void l3ns_c_pernet_unregister(void);

/* sched_process_fork / sched_process_free tracepoints. */
int l3ns_c_task_probes_register(void *data);
void l3ns_c_task_probes_unregister(void);

/* Deferred process-context work (namespace reaping). */
void l3ns_c_reaper_init(void *data);
void l3ns_c_reaper_kick(void);
void l3ns_c_reaper_stop(void);

/* Pointer-keyed tags: value 0 means "no tag". */
int l3ns_c_tag_set(u32 kind, const void *key, u32 value);
u32 l3ns_c_tag_get(u32 kind, const void *key);
u32 l3ns_c_tag_del(u32 kind, const void *key);
u32 l3ns_c_tag_count(u32 kind);
/* Removes every tag of `kind` (module unload). */
void l3ns_c_tag_clear(u32 kind);

/* The calling task. */
const void *l3ns_c_current(void);
int l3ns_c_current_pid(void);
void l3ns_c_current_task_ns(struct l3ns_task_ns *out);
/* Counters of the caller's network namespace (never NULL while loaded). */
struct l3ns_net *l3ns_c_current_net(void);
bool l3ns_c_capable_net_admin(void);

/* Kills a task that has not run yet (fail-closed inheritance). */
void l3ns_c_kill_task(const void *task);

/* True when a rate-limited log line may be printed now. */
bool l3ns_c_log_ratelimit(void);
void l3ns_c_synchronize_net(void);
void l3ns_c_rcu_barrier(void);

/* Module parameters. */
u32 l3ns_c_param_max_namespaces(void);
u32 l3ns_c_param_max_tasks(void);

/* --- implemented in Rust ------------------------------------------------ */

ssize_t l3ns_rs_start_write(void *data, const u8 *buf, size_t len);
/* Formats `info` for the calling task into buf; returns bytes or -errno. */
ssize_t l3ns_rs_info_format(void *data, u8 *buf, size_t cap);
unsigned int l3ns_rs_nf_hook(void *data, const struct l3ns_pkt *pkt, struct l3ns_net *net);
void l3ns_rs_net_exit(void *data, u32 net_inum);
void l3ns_rs_task_fork(void *data, const void *parent, const void *child);
void l3ns_rs_task_free(void *data, const void *task);
void l3ns_rs_reap(void *data);

#endif /* L3NS_SHIM_H */
