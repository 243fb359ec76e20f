/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ftrace IPMODIFY redirects (as livepatch uses), shared by the visibility
 * (l3ns_visibility.c) and delivery (l3ns_route.c) files; not part of the
 * Rust interface (bindgen never reads this header).
 */
#ifndef L3NS_REDIRECT_H
#define L3NS_REDIRECT_H

#include <linux/ftrace.h>

#define L3NS_REDIRECT_FLAGS (FTRACE_OPS_FL_IPMODIFY | FTRACE_OPS_FL_RECURSION)

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
