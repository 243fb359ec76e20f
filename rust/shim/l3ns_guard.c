// SPDX-License-Identifier: GPL-2.0
/*
 * l3ns C shim: the open guard (mechanism 15 of Documentation/design.rst).
 * An ftrace redirect of security_file_open() classifies a file opened for
 * writing -- a sysctl under /proc/sys, a debugfs or tracefs file, a module
 * parameter under /sys/module -- and asks l3ns_rs_file_open_check() whether
 * the calling task may; a refusal makes the open fail at once.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/security.h>
#include <linux/string.h>

#include "l3ns_hooks.h"
#include "l3ns_redirect.h"
#include "l3ns_shim.h"

L3NS_PROBED(security_file_open, int (*)(struct file *));

static void *l3ns_guard_data;

/* The name of `d` if it is the `depth`-th component below its superblock's
 * root (1: the top level), else NULL. Ancestors of an open file's dentry
 * are pinned by it; the names of these pseudo filesystems do not change.
 */
static const char *component(const struct dentry *d, int depth, int *total)
{
	const struct dentry *path[4] = {};
	int n = 0;

	while (d && !IS_ROOT(d)) {
		memmove(&path[1], &path[0], sizeof(path) - sizeof(path[0]));
		path[0] = d;
		n++;
		d = READ_ONCE(d->d_parent);
	}
	*total = n;
	if (depth > n || depth > (int)ARRAY_SIZE(path))
		return NULL;
	return (const char *)path[depth - 1]->d_name.name;
}

static enum l3ns_open_kind file_kind(const struct file *file)
{
	const struct dentry *d = file->f_path.dentry;
	const char *top, *third;
	int depth;

	switch (d->d_sb->s_magic) {
	case PROC_SUPER_MAGIC:
		top = component(d, 1, &depth);
		return top && !strcmp(top, "sys") ? L3NS_OPEN_SYSCTL : L3NS_OPEN_OTHER;
	case DEBUGFS_MAGIC:
		return l3ns_debugfs_member_file(d_inode(d)) ? L3NS_OPEN_OWN : L3NS_OPEN_TRACING;
	case TRACEFS_MAGIC:
		return L3NS_OPEN_TRACING;
	case SYSFS_MAGIC:
		/* /sys/module/<module>/parameters/<name> */
		top = component(d, 1, &depth);
		if (!top || strcmp(top, "module") || depth != 4)
			return L3NS_OPEN_OTHER;
		third = component(d, 3, &depth);
		return third && !strcmp(third, "parameters") ? L3NS_OPEN_MODPARAM : L3NS_OPEN_OTHER;
	}
	return L3NS_OPEN_OTHER;
}

static void notrace file_open_cb(unsigned long ip, unsigned long parent_ip,
				 struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	const struct file *file = (const struct file *)ftrace_regs_get_argument(fregs, 0);
	int bit, err;

	/* Most opens read: nothing to judge, no lookup. */
	if (!file || !(file->f_mode & FMODE_WRITE))
		return;
	bit = l3ns_redirect_enter(ip, parent_ip);
	if (bit < 0)
		return;
	err = l3ns_rs_file_open_check(l3ns_guard_data, file_kind(file));
	if (err)
		l3ns_redirect_refuse(fregs, err);
	l3ns_redirect_exit(bit);
}

static struct l3ns_redirect guard_redirect[] = {
	{ .symbol = "security_file_open",
	  .ops = { .func = file_open_cb, .flags = L3NS_REDIRECT_FLAGS } },
};

int l3ns_c_guard_register(void *data)
{
	l3ns_guard_data = data;
	return l3ns_redirects_register("open guard", guard_redirect, ARRAY_SIZE(guard_redirect));
}

void l3ns_c_guard_unregister(void)
{
	/* The callback never sleeps: the tasks-RCU grace period is enough. */
	l3ns_redirects_unregister(guard_redirect, ARRAY_SIZE(guard_redirect));
	l3ns_redirects_free(guard_redirect, ARRAY_SIZE(guard_redirect));
}
