/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The KUnit case bodies, written in Rust (rust/kunit_cases.rs): each
 * returns 0 or the Rust source line of its first failed check.
 */
#ifndef L3NS_KUNIT_H
#define L3NS_KUNIT_H

int l3ns_kunit_parser(void);
int l3ns_kunit_nstable(void);
int l3ns_kunit_tags(void);
int l3ns_kunit_info_format(void);
int l3ns_kunit_addrtable(void);
int l3ns_kunit_porttable(void);
int l3ns_kunit_rules(void);

#endif /* L3NS_KUNIT_H */
