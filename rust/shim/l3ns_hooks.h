/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the shim's hook files (not part of the Rust
 * interface: bindgen never reads this header).
 */
#ifndef L3NS_HOOKS_H
#define L3NS_HOOKS_H

#include <linux/types.h>

/*
 * A probe reads its target's arguments by position: the target must still
 * have the type the handler was written for, or the build fails here.
 */
#define L3NS_PROBED(fn, type) static_assert(__same_type(&fn, (type)NULL))



#endif /* L3NS_HOOKS_H */
