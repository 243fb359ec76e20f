# SPDX-License-Identifier: GPL-2.0
# l3ns: L3 network namespaces as a Rust-for-Linux module.
#
#   make            set-up if needed, build the test kernel (cached), build l3ns.ko
#   make run        boot the test kernel in QEMU with l3ns loaded and show it working
#   make test       host tests + KUnit + QEMU scenarios; ends with "N passed, N failed"
#   make bench      per-packet / per-syscall costs in the guest
#   make kernel-image   print the path of the cached bzImage (building it if needed)

SHELL := /bin/bash
ROOT  := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
export PATH := $(HOME)/.cargo/bin:$(PATH)

.PHONY: all setup kernel-image module bindings run test bench host-test clean

all: module

setup:
	@$(ROOT)/scripts/setup.sh

kernel-image: setup
	@$(ROOT)/scripts/kernel.sh image

module: setup
	@$(ROOT)/scripts/module.sh

run: module
	@$(ROOT)/scripts/run.sh demo

test: setup
	@$(ROOT)/scripts/test.sh

bench: module
	@$(ROOT)/scripts/run.sh bench

host-test:
	@cargo test -q --manifest-path $(ROOT)/Cargo.toml

clean:
	@$(ROOT)/scripts/module.sh clean
	@rm -rf $(ROOT)/target $(ROOT)/build
