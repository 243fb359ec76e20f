// SPDX-License-Identifier: GPL-2.0
/*
 * l3ns C shim: the parts of l3ns that Rust cannot reach yet — static
 * inline helpers, module parameters, the reaper work item (the netfilter
 * hooks are rust/kernel_ext/netfilter.rs). debugfs is in l3ns_debugfs.c,
 * the tag table in l3ns_tags.c, probes in l3ns_probes.c / l3ns_route.c,
 * ftrace redirects in l3ns_visibility.c.
 * No policy lives here: every decision is made by the l3ns_rs_* callbacks.
 * See Documentation/design.rst for each mechanism and its teardown.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/netdevice.h>
#include <linux/nsproxy.h>
#include <linux/ratelimit.h>
#include <linux/cred.h>
#include <linux/user_namespace.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>

#include "l3ns_hooks.h"
#include "l3ns_shim.h"

/* ---- module parameters --------------------------------------------------- */

static unsigned int max_namespaces = 64;
module_param(max_namespaces, uint, 0444);
MODULE_PARM_DESC(max_namespaces, "Most L3 namespaces alive at once (1-255, default 64)");

static unsigned int max_tasks = 65536;
module_param(max_tasks, uint, 0444);
MODULE_PARM_DESC(max_tasks, "Most member tasks over all L3 namespaces (default 65536)");

static unsigned int max_sockets = 65536;
module_param(max_sockets, uint, 0444);
MODULE_PARM_DESC(max_sockets, "Most sockets owned by L3 namespaces (default 65536)");

static unsigned int max_addrs = 512;
module_param(max_addrs, uint, 0444);
MODULE_PARM_DESC(max_addrs, "Most addresses owned by L3 namespaces (1-512, default 512)");

u32 l3ns_c_param_max_namespaces(void) { return max_namespaces; }
u32 l3ns_c_param_max_addrs(void) { return max_addrs; }
u32 l3ns_c_param_max_sockets(void) { return max_sockets; }
u32 l3ns_c_param_max_tasks(void) { return max_tasks; }

/* ---- reaper work ---------------------------------------------------------- */

static struct work_struct l3ns_reap_work;
static void *l3ns_reap_data;

static void l3ns_reap_fn(struct work_struct *work)
{
	l3ns_rs_reap(l3ns_reap_data);
}

void l3ns_c_reaper_init(void *data)
{
	l3ns_reap_data = data;
	INIT_WORK(&l3ns_reap_work, l3ns_reap_fn);
}

void l3ns_c_reaper_kick(void)
{
	schedule_work(&l3ns_reap_work);
}

void l3ns_c_reaper_stop(void)
{
	cancel_work_sync(&l3ns_reap_work);
}

/* ---- the calling task ---------------------------------------------------- */

const void *l3ns_c_current(void)
{
	return current;
}

int l3ns_c_current_pid(void)
{
	return task_pid_nr(current);
}

void l3ns_c_current_task_ns(struct l3ns_task_ns *out)
{
	/* current->nsproxy is only changed by current itself. */
	struct nsproxy *nsp = current->nsproxy;
	struct net *net = nsp->net_ns;

	snprintf(out->nsproxy, sizeof(out->nsproxy), "%p", nsp);
	out->nsproxy_refcnt = refcount_read(&nsp->count);
	out->net_inum = net->ns.inum;
	out->net_refcnt = ns_ref_read(net);
}

/*
 * CAP_NET_ADMIN over the caller's netns, read from the credentials directly:
 * capable() would go through security_capable(), where l3ns refuses
 * CAP_NET_ADMIN to members, and members must still be able to take an
 * address with the patch's `echo "eth0 10.0.0.2" > info`. Like
 * cap_capable(), the capability counts in the netns's user namespace or
 * any namespace owned by the caller above it.
 */
bool l3ns_raw_capable(struct user_namespace *ns, int cap)
{
	const struct cred *cred = current_cred();

	for (;;) {
		if (ns == cred->user_ns)
			return cap_raised(cred->cap_effective, cap);
		if (ns->level <= cred->user_ns->level)
			return false;
		if (ns->parent == cred->user_ns && uid_eq(ns->owner, cred->euid))
			return true;
		ns = ns->parent;
	}
}

bool l3ns_c_capable_net_admin(void)
{
	return l3ns_raw_capable(current->nsproxy->net_ns->user_ns, CAP_NET_ADMIN);
}

bool l3ns_c_log_ratelimit(void)
{
	static DEFINE_RATELIMIT_STATE(rs, 5 * HZ, 10);

	return __ratelimit(&rs);
}

void l3ns_c_synchronize_net(void) { synchronize_net(); }
void l3ns_c_rcu_barrier(void) { rcu_barrier(); }
