// SPDX-License-Identifier: GPL-2.0

//! l3ns policy core, built as a host crate for `cargo test`.
//!
//! The kernel module compiles the same files as `mod policy` (see
//! `rust/l3ns.rs`); this root only exists for the host build. Nothing here
//! may use `unsafe`, allocate, or depend on the kernel crate.

#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod addrstore;
pub mod addrtable;
pub mod bindrule;
pub mod demux;
pub mod loopback;
pub mod nsslot;
pub mod nstable;
pub mod parse;
pub mod ports;
pub mod privilege;
pub mod source;
