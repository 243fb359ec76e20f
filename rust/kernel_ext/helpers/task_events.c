// SPDX-License-Identifier: GPL-2.0
/* One-line wrappers of static inlines for kernel_ext::task_events. */
#include <linux/tracepoint.h>

#include "task_events.h"

void l3ns_helper_tracepoint_synchronize_unregister(void)
{
	tracepoint_synchronize_unregister();
}
