// SPDX-License-Identifier: GPL-2.0
/* One-line wrappers of static inlines for kernel_ext::ratelimit. */
#include <linux/ratelimit.h>

#include "ratelimit.h"

void l3ns_helper_ratelimit_state_init(struct ratelimit_state *rs, int interval, int burst)
{
	ratelimit_state_init(rs, interval, burst);
}
