/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ftrace IPMODIFY redirects (as livepatch uses), shared by the visibility
 * (l3ns_visibility.c) and delivery (l3ns_route.c) files; not part of the
 * Rust interface (bindgen never reads this header).
 */
#ifndef L3NS_REDIRECT_H
#define L3NS_REDIRECT_H

#include <linux/atomic.h>
#include <linux/ftrace.h>
#include <linux/trace_recursion.h>

/*
 * IPMODIFY, and PERMANENT as livepatch has it: the ftrace_enabled sysctl
 * cannot switch these off while they are registered (it fails with EBUSY).
 * No FTRACE_OPS_FL_RECURSION: each callback takes the recursion guard
 * itself (l3ns_redirect_enter()), so that a skipped call is counted.
 */
#define L3NS_REDIRECT_FLAGS (FTRACE_OPS_FL_IPMODIFY | FTRACE_OPS_FL_PERMANENT)

/* Callbacks that only observe (no IPMODIFY). */
#define L3NS_OBSERVE_FLAGS FTRACE_OPS_FL_PERMANENT

/* Callbacks skipped by ftrace's recursion guard (a hooked function called
 * from inside a callback in the same context): part of probe_misses.
 */
extern atomic_long_t l3ns_redirect_missed;

/* Opens a callback: >= 0 to go on (preemption off until the exit), < 0
 * when the guard refused it (counted).
 */
static __always_inline int l3ns_redirect_enter(unsigned long ip, unsigned long parent_ip)
{
	int bit = ftrace_test_recursion_trylock(ip, parent_ip);

	if (bit < 0)
		atomic_long_inc(&l3ns_redirect_missed);
	return bit;
}

static __always_inline void l3ns_redirect_exit(int bit)
{
	ftrace_test_recursion_unlock(bit);
}

/*
 * Defines the ftrace callback `name`: the body that follows runs inside the
 * recursion guard (a refused call is counted and skips it), with the
 * traced call's `parent_ip` and `fregs`.
 */
#define L3NS_FTRACE_CALLBACK(name)						\
static void name##_body(unsigned long parent_ip, struct ftrace_regs *fregs);	\
static void notrace name(unsigned long ip, unsigned long parent_ip,		\
			 struct ftrace_ops *op, struct ftrace_regs *fregs)	\
{										\
	int bit = l3ns_redirect_enter(ip, parent_ip);				\
										\
	if (bit < 0)								\
		return;								\
	name##_body(parent_ip, fregs);						\
	l3ns_redirect_exit(bit);						\
}										\
static void notrace name##_body(unsigned long parent_ip, struct ftrace_regs *fregs)

/* Makes the redirected call return `err` at once, its body skipped (as the
 * kernel's own override_function_with_return() does for error injection).
 */
void l3ns_redirect_refuse(struct ftrace_regs *fregs, int err);

/* Tasks inside a wrapper replacement (one that calls the original and may
 * sleep): unregistration waits for them.
 */
extern atomic_t l3ns_wrap_inflight;
/* Sends the call to `wrapper`, unless it comes from l3ns itself (the
 * wrapper calling the original).
 */
void l3ns_redirect_wrap(struct ftrace_regs *fregs, unsigned long parent_ip, void *wrapper);
/* Waits until no task is inside a wrapper (after unregistering). */
void l3ns_wrappers_wait(void);

/* One redirected function: `ops.func` may point regs at a replacement. */
struct l3ns_redirect {
	const char *symbol;
	struct ftrace_ops ops;
	bool registered;
};

/*
 * Attaches every redirect of the set; on failure none stays attached and
 * one line names `what` and the symbol.
 */
int l3ns_redirects_register(const char *what, struct l3ns_redirect *r, int n);
/*
 * Detaches the set and waits until no task can be between a redirect and
 * the replacement's first instruction (replacements that may sleep keep
 * their own in-flight count on top of this).
 */
void l3ns_redirects_unregister(struct l3ns_redirect *r, int n);
/* Frees the filters once the replacements are idle. */
void l3ns_redirects_free(struct l3ns_redirect *r, int n);

#endif /* L3NS_REDIRECT_H */
