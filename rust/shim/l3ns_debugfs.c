// SPDX-License-Identifier: GPL-2.0
/*
 * l3ns C shim: the debugfs tree net_ns/{start,info,addr,join,children}
 * (mechanism 4 of Documentation/design.rst). The file_operations are
 * trampolines: every read and write is handled by l3ns_rs_file_format /
 * l3ns_rs_file_write.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "l3ns_hooks.h"
#include "l3ns_shim.h"

/* ---- debugfs: net_ns/{start,info} ---------------------------------------- */

/* Larger than any valid command: the Rust parser reports malformed input,
 * only absurd sizes are cut here.
 */
#define L3NS_WRITE_MAX	256
#define L3NS_INFO_BUF	PAGE_SIZE

static struct dentry *l3ns_dir;

/* i_private of each file: the Rust state and which file it is. */
struct l3ns_file_ctx {
	void *data;
	u32 id;
	const char *name;
};

static struct l3ns_file_ctx l3ns_files[L3NS_FILE_COUNT] = {
	[L3NS_FILE_START] = { .id = L3NS_FILE_START, .name = "start" },
	[L3NS_FILE_INFO] = { .id = L3NS_FILE_INFO, .name = "info" },
	[L3NS_FILE_ADDR] = { .id = L3NS_FILE_ADDR, .name = "addr" },
	[L3NS_FILE_JOIN] = { .id = L3NS_FILE_JOIN, .name = "join" },
	[L3NS_FILE_CHILDREN] = { .id = L3NS_FILE_CHILDREN, .name = "children" },
};

static ssize_t write_ctx(struct l3ns_file_ctx *ctx, const char __user *ubuf, size_t len)
{
	char buf[L3NS_WRITE_MAX];

	if (len > sizeof(buf)) {
		pr_info_ratelimited("%s: write of %zu bytes refused (EINVAL)\n", ctx->name, len);
		return -EINVAL;
	}
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	return l3ns_rs_file_write(ctx->data, ctx->id, buf, len);
}

/* Write-only files: start, addr, join. */
static ssize_t plain_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	return write_ctx(file->private_data, ubuf, len);
}

static const struct file_operations write_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = plain_write,
};

/* Readable files (info, children), formatted once per open. */
static int ctx_show(struct seq_file *m, void *v)
{
	struct l3ns_file_ctx *ctx = m->private;
	u8 *buf = kzalloc(L3NS_INFO_BUF, GFP_KERNEL);	/* Rust makes a &mut [u8] of it */
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	n = l3ns_rs_file_format(ctx->data, ctx->id, buf, L3NS_INFO_BUF);
	if (n > 0)
		seq_write(m, buf, n);
	kfree(buf);
	return n < 0 ? n : 0;
}

static int ctx_open(struct inode *inode, struct file *file)
{
	return single_open(file, ctx_show, inode->i_private);
}

static ssize_t seq_ctx_write(struct file *file, const char __user *ubuf,
			     size_t len, loff_t *ppos)
{
	struct seq_file *m = file->private_data;

	return write_ctx(m->private, ubuf, len);
}

static const struct file_operations read_fops = {
	.owner = THIS_MODULE,
	.open = ctx_open,
	.read = seq_read,
	.write = seq_ctx_write,
	.llseek = seq_lseek,
	.release = single_release,
};

bool l3ns_c_debugfs_member_file(const void *i_private)
{
	return i_private == &l3ns_files[L3NS_FILE_START] ||
	       i_private == &l3ns_files[L3NS_FILE_INFO];
}

int l3ns_c_debugfs_create(void *data)
{
	static const umode_t modes[L3NS_FILE_COUNT] = {
		[L3NS_FILE_START] = 0666,	/* as in the patch */
		[L3NS_FILE_INFO] = 0644,	/* writes need CAP_NET_ADMIN */
		[L3NS_FILE_ADDR] = 0200,
		[L3NS_FILE_JOIN] = 0200,
		[L3NS_FILE_CHILDREN] = 0444,
	};
	struct dentry *dir = debugfs_create_dir("net_ns", NULL);
	int i;

	if (IS_ERR(dir))
		return PTR_ERR(dir);
	for (i = 0; i < L3NS_FILE_COUNT; i++) {
		bool readable = i == L3NS_FILE_INFO || i == L3NS_FILE_CHILDREN;

		l3ns_files[i].data = data;
		debugfs_create_file(l3ns_files[i].name, modes[i], dir, &l3ns_files[i],
				    readable ? &read_fops : &write_fops);
	}
	l3ns_dir = dir;
	return 0;
}

void l3ns_c_debugfs_remove(void)
{
	/* Waits for handlers in progress (debugfs proxy fops). */
	debugfs_remove(l3ns_dir);
	l3ns_dir = NULL;
}
