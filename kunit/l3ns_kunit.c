// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "l3ns": the case table. Bodies are Rust (rust/kunit_cases.rs)
 * and return 0 or the Rust source line of the first failed check. The suite
 * runs when the module goes live; results land in dmesg (KTAP) and in
 * /sys/kernel/debug/kunit/l3ns/results.
 */
#include <kunit/test.h>

#include "l3ns_kunit.h"


#define L3NS_RUST_CASE(name)						\
static void name##_case(struct kunit *test)				\
{									\
	int line = l3ns_kunit_##name();					\
	KUNIT_EXPECT_EQ_MSG(test, line, 0,				\
			    "check failed at rust/kunit_cases.rs:%d", line); \
}

L3NS_RUST_CASE(parser)
L3NS_RUST_CASE(nstable)
L3NS_RUST_CASE(tags)
L3NS_RUST_CASE(info_format)
L3NS_RUST_CASE(addrtable)
L3NS_RUST_CASE(porttable)
L3NS_RUST_CASE(rules)

static struct kunit_case l3ns_cases[] = {
	KUNIT_CASE(parser_case),
	KUNIT_CASE(nstable_case),
	KUNIT_CASE(tags_case),
	KUNIT_CASE(info_format_case),
	KUNIT_CASE(addrtable_case),
	KUNIT_CASE(porttable_case),
	KUNIT_CASE(rules_case),
	{}
};

static struct kunit_suite l3ns_suite = {
	.name = "l3ns",
	.test_cases = l3ns_cases,
};

kunit_test_suite(l3ns_suite);
