// SPDX-License-Identifier: GPL-2.0

//! l3ns: L3 network namespaces (Daniel Lezcano's 2007 design) as a loadable
//! Rust-for-Linux module for an unmodified Linux 7.3.
//!
//! An L3 namespace is a light child of an L2 network namespace: it shares the
//! parent's devices and routes. `echo 3 > /sys/kernel/debug/net_ns/start`
//! moves the writer into a new one; `cat net_ns/info` describes the reader's
//! namespace. See `Documentation/` for the design and the semantics.
//!
//! Layout: [`kernel_ext`] (abstractions over the kernel's own types, over
//! bindgen of the kernel's headers) is the only module with `unsafe`
//! (besides [`ffi`]'s `Zeroable` claims for the policy tables); the rest --
//! [`control`], [`registry`], [`caller`], [`hooks`], the `Handler`
//! implementations -- is safe Rust; `policy` is the `no_std` core shared
//! with the host test crate.

use kernel::prelude::*;
use kernel::sync::Arc;

mod addresses;
mod arming;
mod binds;
mod caller;
mod control;
mod ffi;
mod hooks;
mod inet_calls;
mod info;
mod kernel_ext;
mod kunit_cases;
mod open_guard;
mod params;
mod reaper;
mod registry;
mod sockets;
mod steering;
mod tags;
mod text;
mod traffic;

/// The policy core: no `unsafe`, no allocation; also built on the host.
/// Its API is `pub` for the host crate, and some of it serves later stages
/// or only the host tests, hence the two allowances.
#[forbid(unsafe_code)]
#[allow(unreachable_pub, dead_code)]
#[path = "policy"]
mod policy {
    pub(crate) mod addrstore;
    pub(crate) mod addrtable;
    pub(crate) mod bindrule;
    pub(crate) mod demux;
    pub(crate) mod loopback;
    pub(crate) mod nsslot;
    pub(crate) mod nstable;
    pub(crate) mod parse;
    pub(crate) mod ports;
    pub(crate) mod privilege;
    pub(crate) mod source;
}

use arming::{Arming, Disarm};
use kernel_ext::{debugfs, inetaddr};
use reaper::Reaper;
use registry::State;
use tags::TagTables;

module! {
    type: L3ns,
    name: "l3ns",
    authors: ["l3ns developers"],
    description: "L3 network namespaces (address-based isolation) for Linux 7.3",
    license: "GPL",
}

/// The loaded module.
///
/// Fields drop in declaration order: every entry point (debugfs files, the
/// armed hooks and probes, the address notifier, the reaper work) is gone
/// before the `state` they point to is freed.
struct L3ns {
    _debugfs: debugfs::Registration<Arming>,
    _disarm: Disarm,
    _addrs: Pin<KBox<inetaddr::Registration<State>>>,
    _reaper: Reaper,
    _tags: TagTables,
    state: Arc<State>,
}

impl kernel::Module for L3ns {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let state = Arc::pin_init(
            State::new(params::max_namespaces(), params::max_addrs())?,
            GFP_KERNEL,
        )?;
        let tags = TagTables::init()?;
        let arming = Arc::pin_init(Arming::new(state.clone()), GFP_KERNEL)?;
        let reaper = Reaper::register(&arming)?;
        let addrs = inetaddr::Registration::register(state.clone())?;
        // Hooks and probes exist only while a namespace does (mechanism
        // 19); arming them once here fails the load on a kernel that
        // cannot take them.
        arming.check()?;
        let disarm = Disarm(arming.clone());
        let debugfs = debugfs::Registration::register(control::DIR, &control::FILES, arming)?;
        pr_info!(
            "loaded (max_namespaces={}, max_addrs={}, max_tasks={}, max_sockets={})\n",
            state.table.limit(),
            state.addrs.limit(),
            params::max_tasks(),
            params::max_sockets()
        );
        Ok(L3ns {
            _debugfs: debugfs,
            _disarm: disarm,
            _addrs: addrs,
            _reaper: reaper,
            _tags: tags,
            state,
        })
    }
}

impl Drop for L3ns {
    fn drop(&mut self) {
        // Runs before the fields drop; the fields then tear down in order.
        pr_info!(
            "unloading ({} L3 namespaces live)\n",
            self.state.table.live()
        );
    }
}
