# SPDX-License-Identifier: GPL-2.0
# l3ns: L3 network namespaces as a Rust-for-Linux module, for Linux 7.3.
#
#   make            set-up if needed, build l3ns.ko for the test kernel (cached)
#   make run        boot Debian's stock 7.3 kernel in QEMU with l3ns loaded, show it working
#   make test       host tests, lints, KUnit, every scenario on both kernels;
#                   ends with "N passed, N failed"
#   make test-debug every scenario on a KASAN/UBSAN/kmemleak/lockdep kernel (own target, slow)
#   make bench      l3ns against the alternatives, in guest instructions per operation
#                   (QEMU icount) and wall-clock ns, stock kernel; build/bench/
#   make profile    where config (c) of make bench spends its instructions (ftrace
#                   function_graph under icount); build/profile/
#   make install    on a Debian 13 host running 7.3.4+deb13-amd64: build and install l3ns.ko
#   make -s kernel-image | stock-image | stock-module | stock-modules
#                   print one path: the test kernel's bzImage, Debian's vmlinuz, the
#                   l3ns.ko built for it, the folder holding its lib/modules/<version>

SHELL := /bin/bash
ROOT  := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

.PHONY: all setup kernel-image stock-image stock-module stock-modules module run test soak bench profile \
	install host-test clean test-debug

all: module

setup:
	@$(ROOT)/scripts/setup.sh

kernel-image: setup
	@$(ROOT)/scripts/kernel.sh image

stock-image: setup
	@$(ROOT)/scripts/stock.sh image

stock-module: setup
	@$(ROOT)/scripts/module.sh stock

stock-modules: setup
	@$(ROOT)/scripts/stock.sh modules

module: setup
	@$(ROOT)/scripts/module.sh test

run: setup
	@$(ROOT)/scripts/run.sh demo stock

test: setup
	@$(ROOT)/scripts/test.sh

# Not in `make test`: builds a second (KASAN/UBSAN/kmemleak) kernel once and
# runs every scenario on it under TCG.
test-debug: setup
	@$(ROOT)/scripts/test-debug.sh

# Not in `make test`: the whole suite L3NS_REPEAT (10) times in one boot of
# each kernel; L3NS_SOAK_LOAD=1 adds a busy loop per host CPU.
soak: setup
	@$(ROOT)/scripts/soak.sh

bench: setup
	@$(ROOT)/scripts/bench.sh

profile: setup
	@$(ROOT)/scripts/profile.sh

install:
	@$(ROOT)/scripts/install.sh

host-test: setup
	@L3NS_HOST_ROOT=$(ROOT); . $(ROOT)/scripts/common.sh && inroot "cd '$(ROOT)' && cargo test --offline"

clean:
	@$(ROOT)/scripts/module.sh clean
	@rm -rf $(ROOT)/target $(ROOT)/build
