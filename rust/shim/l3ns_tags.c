// SPDX-License-Identifier: GPL-2.0
/*
 * l3ns C shim: the pointer-keyed tag tables (task -> slot, sock -> slot,
 * sock -> hidden port).
 * RCU readers in any context, one irq-safe writer lock (writers run in
 * process context, the fork tracepoint and the softirq free paths), entries
 * freed with kfree_rcu; a reserve of entries refilled in process context
 * serves the atomic callers when the allocator would have to reclaim.
 * Documentation/design.rst, mechanisms 1, 5 and 18.
 */
#include <linux/atomic.h>
#include <linux/hash.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "l3ns_shim.h"

/* ---- pointer-keyed tag table (RCU readers, one irq-safe writer lock) ------ */

#define L3NS_TAG_BITS 10

struct l3ns_tag {
	struct hlist_node node;
	const void *key;
	u32 value;
	struct rcu_head rcu;
};

static struct hlist_head l3ns_tags[L3NS_TAG_KINDS][1 << L3NS_TAG_BITS];
static atomic_t l3ns_tag_counts[L3NS_TAG_KINDS];
static DEFINE_SPINLOCK(l3ns_tag_lock);
static struct kmem_cache *l3ns_tag_cache;	/* set while loaded */

static struct hlist_head *tag_bucket(u32 kind, const void *key)
{
	return &l3ns_tags[kind][hash_ptr(key, L3NS_TAG_BITS)];
}

/* The tag of `key`; under rcu_read_lock() or l3ns_tag_lock. */
static struct l3ns_tag *tag_find(u32 kind, const void *key)
{
	struct l3ns_tag *tag;

	hlist_for_each_entry_rcu(tag, tag_bucket(kind, key), node,
				 lockdep_is_held(&l3ns_tag_lock)) {
		if (tag->key == key)
			return tag;
	}
	return NULL;
}

/* Unlinks a tag; under l3ns_tag_lock. */
static void tag_unlink(u32 kind, struct l3ns_tag *tag)
{
	hlist_del_rcu(&tag->node);
	atomic_dec(&l3ns_tag_counts[kind]);
	kfree_rcu(tag, rcu);
}

/* ---- reserve: entries for when an atomic allocation fails (mechanism 18) -- */

#define L3NS_TAG_RESERVE 1024

static HLIST_HEAD(l3ns_tag_spare);	/* under l3ns_tag_lock */
static unsigned int l3ns_tag_spares;	/* written under l3ns_tag_lock */
static atomic64_t l3ns_tag_counters[L3NS_TAG_COUNTERS];

/* Tops the reserve up; process context (may sleep and reclaim). */
static void tag_refill(struct work_struct *work)
{
	struct l3ns_tag *tag;
	unsigned long flags;

	while (READ_ONCE(l3ns_tag_spares) < L3NS_TAG_RESERVE) {
		tag = kmem_cache_alloc(l3ns_tag_cache, GFP_KERNEL);
		if (!tag)
			return;
		spin_lock_irqsave(&l3ns_tag_lock, flags);
		hlist_add_head(&tag->node, &l3ns_tag_spare);
		l3ns_tag_spares++;
		spin_unlock_irqrestore(&l3ns_tag_lock, flags);
	}
}
static DECLARE_WORK(l3ns_tag_refill_work, tag_refill);

/* A spare entry, or NULL if none is left; under l3ns_tag_lock. */
static struct l3ns_tag *tag_spare(void)
{
	struct l3ns_tag *tag = hlist_entry_safe(l3ns_tag_spare.first, struct l3ns_tag, node);

	if (!tag)
		return NULL;
	hlist_del(&tag->node);
	l3ns_tag_spares--;
	atomic64_inc(&l3ns_tag_counters[L3NS_TAG_RESERVE_USED]);
	schedule_work(&l3ns_tag_refill_work);	/* a no-op while it is pending */
	return tag;
}

int l3ns_c_tags_init(void)
{
	l3ns_tag_cache = kmem_cache_create("l3ns_tag", sizeof(struct l3ns_tag), 0,
					   SLAB_NO_MERGE, NULL);
	if (!l3ns_tag_cache)
		return -ENOMEM;
	tag_refill(NULL);
	if (l3ns_tag_spares < L3NS_TAG_RESERVE) {
		l3ns_c_tags_exit();
		return -ENOMEM;
	}
	return 0;
}

static void tag_clear(u32 kind)
{
	struct hlist_node *tmp;
	struct l3ns_tag *tag;
	unsigned long flags;
	int b;

	spin_lock_irqsave(&l3ns_tag_lock, flags);
	for (b = 0; b < ARRAY_SIZE(l3ns_tags[kind]); b++) {
		hlist_for_each_entry_safe(tag, tmp, &l3ns_tags[kind][b], node)
			tag_unlink(kind, tag);
	}
	spin_unlock_irqrestore(&l3ns_tag_lock, flags);
}

void l3ns_c_tags_exit(void)
{
	struct hlist_node *tmp;
	struct l3ns_tag *tag;
	u32 kind;

	cancel_work_sync(&l3ns_tag_refill_work);
	for (kind = 0; kind < L3NS_TAG_KINDS; kind++)
		tag_clear(kind);
	hlist_for_each_entry_safe(tag, tmp, &l3ns_tag_spare, node)
		kmem_cache_free(l3ns_tag_cache, tag);
	INIT_HLIST_HEAD(&l3ns_tag_spare);
	l3ns_tag_spares = 0;
	kmem_cache_destroy(l3ns_tag_cache);	/* waits for kfree_rcu() in flight */
	l3ns_tag_cache = NULL;
}

u64 l3ns_c_tag_counter(u32 which)
{
	if (which == L3NS_TAG_RESERVE_FREE)
		return READ_ONCE(l3ns_tag_spares);
	return which < L3NS_TAG_COUNTERS ? atomic64_read(&l3ns_tag_counters[which]) : 0;
}

static u32 tag_limit(u32 kind)
{
	return kind == L3NS_TAG_TASK ? l3ns_c_param_max_tasks() : l3ns_c_param_max_sockets();
}

int l3ns_c_tag_set(u32 kind, const void *key, u32 value, bool nowait)
{
	struct l3ns_tag *tag = NULL;
	unsigned long flags;
	int err = 0;

	if (kind >= L3NS_TAG_KINDS || !value)
		return -EINVAL;
	/* Any context: the allocator without reclaim, else a spare. */
	if (nowait)
		tag = kmem_cache_alloc(l3ns_tag_cache, GFP_NOWAIT | __GFP_NOWARN);
	spin_lock_irqsave(&l3ns_tag_lock, flags);
	if (!tag)
		tag = tag_spare();
	if (!tag) {	/* the reserve is empty: the emergency pools, last */
		spin_unlock_irqrestore(&l3ns_tag_lock, flags);
		tag = kmem_cache_alloc(l3ns_tag_cache, GFP_ATOMIC | __GFP_NOWARN);
		if (!tag) {
			atomic64_inc(&l3ns_tag_counters[L3NS_TAG_ALLOC_FAILURES]);
			return -ENOMEM;
		}
		spin_lock_irqsave(&l3ns_tag_lock, flags);
	}
	tag->key = key;
	tag->value = value;
	if (tag_find(kind, key)) {
		err = -EEXIST;
		goto out;
	}
	if (atomic_read(&l3ns_tag_counts[kind]) >= tag_limit(kind)) {
		atomic64_inc(&l3ns_tag_counters[L3NS_TAG_LIMIT_REFUSALS]);
		err = -ENOSPC;
		goto out;
	}
	hlist_add_head_rcu(&tag->node, tag_bucket(kind, key));
	atomic_inc(&l3ns_tag_counts[kind]);
	tag = NULL;
out:
	spin_unlock_irqrestore(&l3ns_tag_lock, flags);
	kfree(tag);
	return err;
}

u32 l3ns_c_tag_get(u32 kind, const void *key)
{
	struct l3ns_tag *tag;
	u32 value = 0;

	if (kind >= L3NS_TAG_KINDS)
		return 0;
	rcu_read_lock();
	tag = tag_find(kind, key);
	if (tag)
		value = READ_ONCE(tag->value);
	rcu_read_unlock();
	return value;
}

u32 l3ns_c_tag_del(u32 kind, const void *key)
{
	struct l3ns_tag *tag;
	unsigned long flags;
	u32 value = 0;

	if (kind >= L3NS_TAG_KINDS)
		return 0;
	spin_lock_irqsave(&l3ns_tag_lock, flags);
	tag = tag_find(kind, key);
	if (tag) {
		value = tag->value;
		tag_unlink(kind, tag);
	}
	spin_unlock_irqrestore(&l3ns_tag_lock, flags);
	return value;
}

bool l3ns_c_tag_replace(u32 kind, const void *key, u32 old, u32 value)
{
	struct l3ns_tag *tag;
	unsigned long flags;
	bool done = false;

	if (kind >= L3NS_TAG_KINDS || !value)
		return false;
	spin_lock_irqsave(&l3ns_tag_lock, flags);
	tag = tag_find(kind, key);
	if (tag && tag->value == old) {
		WRITE_ONCE(tag->value, value);
		done = true;
	}
	spin_unlock_irqrestore(&l3ns_tag_lock, flags);
	return done;
}

bool l3ns_c_tag_pop(u32 kind, u32 value, u32 ignore, u32 *cursor, u32 *port)
{
	struct l3ns_tag *tag, *found = NULL, *ptag;
	unsigned long flags;

	*port = 0;
	if (kind >= L3NS_TAG_KINDS)
		return false;
	/* One bucket per lock hold: a long table never keeps IRQs off long. */
	for (; *cursor < ARRAY_SIZE(l3ns_tags[kind]); (*cursor)++) {
		spin_lock_irqsave(&l3ns_tag_lock, flags);
		hlist_for_each_entry(tag, &l3ns_tags[kind][*cursor], node) {
			if ((tag->value & ~ignore) == value) {
				found = tag;
				break;
			}
		}
		if (found) {
			/* The socket's port tag goes in the same critical section:
			 * once unlocked, the socket may be freed and its address
			 * reused by a new socket with a port tag of its own.
			 */
			ptag = kind == L3NS_TAG_SOCK ? tag_find(L3NS_TAG_PORT, found->key) : NULL;
			if (ptag) {
				*port = ptag->value;
				tag_unlink(L3NS_TAG_PORT, ptag);
			}
			tag_unlink(kind, found);
			spin_unlock_irqrestore(&l3ns_tag_lock, flags);
			return true;	/* the bucket may hold more: rescan it */
		}
		spin_unlock_irqrestore(&l3ns_tag_lock, flags);
	}
	return false;
}

u32 l3ns_c_tag_count(u32 kind)
{
	return kind < L3NS_TAG_KINDS ? atomic_read(&l3ns_tag_counts[kind]) : 0;
}

