/* SPDX-License-Identifier: GPL-2.0 */
void l3ns_helper_tracepoint_synchronize_unregister(void);
