// SPDX-License-Identifier: GPL-2.0
/* Wrappers of static inlines, and one asm stub, for kernel_ext::ftrace. */
#include <linux/ftrace.h>
#include <linux/linkage.h>
#include <linux/module.h>
#include <linux/objtool.h>
#include <linux/trace_recursion.h>

#include "ftrace.h"

int l3ns_helper_ftrace_recursion_trylock(unsigned long ip, unsigned long parent_ip)
{
	return ftrace_test_recursion_trylock(ip, parent_ip);
}

void l3ns_helper_ftrace_recursion_unlock(int bit)
{
	ftrace_test_recursion_unlock(bit);
}

bool l3ns_helper_within_this_module(unsigned long addr)
{
	return within_module(addr, THIS_MODULE);
}

/* A bare return, where a refused call is sent: lib/error-inject.c's
 * just_return_func (not reachable from modules), written with the kernel's
 * own return macro (the return thunk where the kernel uses one).
 */
asm(".text\n.globl l3ns_helper_just_return\n.type l3ns_helper_just_return, @function\n"
	ASM_FUNC_ALIGN "l3ns_helper_just_return:\n" ANNOTATE_NOENDBR "\n" ASM_RET
	".size l3ns_helper_just_return, .-l3ns_helper_just_return\n");
