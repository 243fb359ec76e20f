/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel headers l3ns's own abstractions (rust/kernel_ext/) read beyond
 * what kernel::bindings has. bindgen runs over this file with the kernel's
 * own flags, generating only the items scripts/build-module.sh allowlists;
 * every type kernel::bindings already has is taken from there.
 */
#include <linux/inetdevice.h>
#include <linux/netdevice.h>

#include "helpers.h"
