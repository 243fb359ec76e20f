/* SPDX-License-Identifier: GPL-2.0 */
struct ratelimit_state;
void l3ns_helper_ratelimit_state_init(struct ratelimit_state *rs, int interval, int burst);
