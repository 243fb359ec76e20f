// SPDX-License-Identifier: GPL-2.0
/*
 * l3ns C shim: registering sets of ftrace IPMODIFY redirects (mechanisms
 * 10 and 11 of Documentation/design.rst). A filter is set by symbol name;
 * only one IPMODIFY user per function is possible (livepatch, BPF
 * trampolines): registration then fails with -EBUSY and l3ns does not load.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/ftrace.h>
#include <linux/linkage.h>
#include <linux/module.h>
#include <linux/objtool.h>
#include <linux/rcupdate.h>
#include <linux/string.h>

#include "l3ns_redirect.h"
#include "l3ns_shim.h"

atomic_long_t l3ns_redirect_missed = ATOMIC_LONG_INIT(0);
atomic_t l3ns_wrap_inflight = ATOMIC_INIT(0);

/* A bare return, where a refused call is sent (lib/error-inject.c's
 * just_return_func, which modules cannot reach).
 */
asmlinkage void l3ns_just_return(void);
asm(".text\n"
	".type l3ns_just_return, @function\n"
	ASM_FUNC_ALIGN
	"l3ns_just_return:\n"
	ANNOTATE_NOENDBR "\n"
	ASM_RET
	".size l3ns_just_return, .-l3ns_just_return\n");

void l3ns_redirect_refuse(struct ftrace_regs *fregs, int err)
{
	ftrace_regs_set_return_value(fregs, err);
	ftrace_regs_set_instruction_pointer(fregs, (unsigned long)l3ns_just_return);
}

void l3ns_redirect_wrap(struct ftrace_regs *fregs, unsigned long parent_ip, void *wrapper)
{
	if (!within_module(parent_ip, THIS_MODULE))
		ftrace_regs_set_instruction_pointer(fregs, (unsigned long)wrapper);
}

void l3ns_wrappers_wait(void)
{
	while (atomic_read(&l3ns_wrap_inflight))
		msleep(20);
}

void l3ns_redirects_unregister(struct l3ns_redirect *r, int n)
{
	int i;

	for (i = n - 1; i >= 0; i--) {
		if (!r[i].registered)
			continue;
		unregister_ftrace_function(&r[i].ops);
		r[i].registered = false;
	}
	/* A task redirected before the unregistration is still on its way
	 * into a replacement without having slept: a tasks-RCU grace period
	 * covers that window.
	 */
	synchronize_rcu_tasks();
}

void l3ns_redirects_free(struct l3ns_redirect *r, int n)
{
	int i;

	for (i = 0; i < n; i++)
		ftrace_free_filter(&r[i].ops);
}

int l3ns_redirects_register(const char *what, struct l3ns_redirect *r, int n)
{
	int i, err;

	for (i = 0; i < n; i++) {
		err = ftrace_set_filter(&r[i].ops, (unsigned char *)r[i].symbol,
					strlen(r[i].symbol), 1);
		if (!err)
			err = register_ftrace_function(&r[i].ops);
		if (err) {
			pr_err("%s: cannot redirect %s (%d)\n", what, r[i].symbol, err);
			l3ns_redirects_unregister(r, n);
			l3ns_redirects_free(r, n);
			return err;
		}
		r[i].registered = true;
	}
	return 0;
}

u64 l3ns_c_probes_missed(void)
{
	return atomic_long_read(&l3ns_redirect_missed);
}
