/* SPDX-License-Identifier: GPL-2.0 */
int l3ns_helper_ftrace_recursion_trylock(unsigned long ip, unsigned long parent_ip);
void l3ns_helper_ftrace_recursion_unlock(int bit);
bool l3ns_helper_within_this_module(unsigned long addr);
void l3ns_helper_just_return(void);
