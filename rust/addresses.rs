// SPDX-License-Identifier: GPL-2.0

//! Address ownership (`Documentation/design.rst`, mechanism 6): taking,
//! pushing, pulling, deletion by the parent, and return on release.
//!
//! Lock order: RTNL, then the state mutex.

use crate::caller;
use crate::kernel_ext::ifaddr_view;
use crate::kernel_ext::inetaddr::{self, InIfaddr};
use crate::kernel_ext::rtnl::Rtnl;
use crate::kernel_ext::task_ns::Nsproxy;
use crate::policy::addrtable::{AddrError, AddrKey, OwnedBy, Owner};
use crate::policy::bindrule::{takeable, Owned};
use crate::policy::nstable::{NsView, Writer};
use crate::policy::parse::{Dotted, IfName, TakeAddr};
use crate::registry::State;
use crate::text::TextBuf;
use core::fmt::Write;
use kernel::prelude::*;
use kernel::str::CStr;

/// Logs a refused address operation (rate-limited) and returns `err`.
fn refuse(what: &str, err: Error) -> Error {
    if caller::log_ratelimit() {
        pr_info!("{}: refused ({:?})\n", what, err);
    }
    err
}

/// What [`find_ifa`] found.
struct Ifa {
    /// The address's prefix length.
    prefix_len: u8,
    /// Whether its device is a loopback device.
    loopback: bool,
}

/// Finds `addr` on the device `name` names in the caller's netns (with its
/// label, when `name` has one). `ENODEV`, `EADDRNOTAVAIL`, or `EINVAL` for
/// a name too long.
fn find_ifa(rtnl: &Rtnl, name: &IfName<'_>, addr: u32) -> Result<Ifa> {
    let mut device = [0u8; 17];
    device
        .get_mut(..name.device.len())
        .ok_or(EINVAL)?
        .copy_from_slice(name.device);
    let device = CStr::from_bytes_until_nul(&device).map_err(|_| EINVAL)?;
    let task = kernel::current!();
    let net = Nsproxy::of_current(task).ok_or(ESRCH)?.net();
    let dev = rtnl.device(net, device).ok_or(ENODEV)?;
    let ifa = dev
        .ipv4_addrs()
        .find(|ifa| ifa.local() == addr && name.label.is_none_or(|l| ifa.label() == l))
        .ok_or(EADDRNOTAVAIL)?;
    Ok(Ifa {
        prefix_len: ifa.prefix_len(),
        loopback: dev.is_loopback(),
    })
}

/// Address deletions reach the owner's table (mechanism 6).
impl inetaddr::Handler for State {
    fn deleted(&self, ifa: &InIfaddr) {
        if let Some(net) = ifa.net_inum() {
            self.addr_deleted(net, ifa.local());
        }
    }
}

/// `ip addr` and `ifconfig` list only what the caller may see (mechanism
/// 11); an address on no device is not judged.
impl ifaddr_view::Handler for State {
    fn visible(&self, ifa: &InIfaddr) -> bool {
        match ifa.net_inum() {
            Some(net) => self.addr_visible(net, ifa.local()),
            None => true,
        }
    }
}

/// The addresses of one namespace, as `State::with_owned` lends them.
pub(crate) type OwnedIter<'a> = core::iter::Map<OwnedBy<'a>, fn((Owned, u32)) -> Owned>;

fn first(o: (Owned, u32)) -> Owned {
    o.0
}

impl State {
    /// Calls `f` with the addresses slot `index` owns in netns `net` (in
    /// an RCU read-side section: `f` must not sleep).
    pub(crate) fn with_owned<R>(
        &self,
        net: u32,
        index: usize,
        f: impl FnOnce(OwnedIter<'_>) -> R,
    ) -> R {
        self.with_owned_aged(net, index, |it| {
            f(it.map(first as fn((Owned, u32)) -> Owned))
        })
    }

    /// As `with_owned`, with their assignment serials (smaller: older).
    pub(crate) fn with_owned_aged<R>(
        &self,
        net: u32,
        index: usize,
        f: impl FnOnce(OwnedBy<'_>) -> R,
    ) -> R {
        let slot = u16::try_from(index).unwrap_or(u16::MAX);
        self.addrs.with_iter(|it| f(it.owned_by(net, slot)))
    }

    /// `echo "eth0 10.0.0.2" > info` by a member with `CAP_NET_ADMIN`: the
    /// patch's workflow.
    pub(crate) fn take_addr(&self, take: &TakeAddr<'_>) -> Result {
        let ns = self
            .ns_of(caller::task())
            .ok_or_else(|| refuse("info: take from layer 2", EPERM))?;
        if !caller::capable_net_admin() {
            return Err(refuse("info: take without CAP_NET_ADMIN", EPERM));
        }
        if self.table.sealed(ns.index) {
            self.refused(ns.index);
            return Err(refuse(
                "info: namespace sealed (a member has exec'd; the parent can push)",
                EPERM,
            ));
        }
        self.assign(&ns, take)
    }

    /// The child namespace `id` of the caller's netns, for a parent with
    /// `CAP_NET_ADMIN`.
    pub(crate) fn child_for_admin(&self, id: u32) -> Result<NsView> {
        if self.ns_of(caller::task()).is_some() {
            return Err(refuse("addr/join: caller is in an L3 namespace", EPERM));
        }
        if !caller::capable_net_admin() {
            return Err(refuse("addr/join: caller lacks CAP_NET_ADMIN", EPERM));
        }
        let net = caller::namespaces()?.net_inum;
        self.table
            .find_id(id)
            .filter(|ns| ns.parent == net)
            .ok_or_else(|| refuse("addr/join: no such child", ENOENT))
    }

    /// `push <id> <ifname> <addr>` from the parent.
    pub(crate) fn push_addr(&self, id: u32, take: &TakeAddr<'_>) -> Result {
        let ns = self.child_for_admin(id)?;
        self.assign(&ns, take)
    }

    /// `pull <id> <addr>` from the parent: the address is the parent's again.
    pub(crate) fn pull_addr(&self, id: u32, addr: u32) -> Result {
        let ns = self.child_for_admin(id)?;
        let key = AddrKey {
            net: ns.parent,
            addr,
        };
        // Removing needs no device lookup: the state mutex alone serializes
        // it with every other writer of the table.
        let (_guard, w) = self.lock();
        match self.addrs.lookup(key) {
            Some(o) if usize::from(o.slot) == ns.index => {
                if self.addrs.remove(&w, key).is_some() {
                    self.table.addr_removed(&w, ns.index);
                }
                pr_info!(
                    "{} pulled back from L3 namespace {} by its parent\n",
                    Dotted(addr),
                    ns.id
                );
                Ok(())
            }
            _ => Err(refuse(
                "addr: pull of an address the child does not own",
                EADDRNOTAVAIL,
            )),
        }
    }

    /// Gives an address the parent owns on `take.ifname` to `ns`.
    fn assign(&self, ns: &NsView, take: &TakeAddr<'_>) -> Result {
        let rtnl = Rtnl::lock();
        let ifa = find_ifa(&rtnl, &take.ifname, take.addr)
            .map_err(|e| refuse("address assignment: device/address lookup", e))?;
        let prefix_len = ifa.prefix_len;
        if !takeable(take.addr, prefix_len, ifa.loopback) {
            return Err(refuse(
                "address assignment: not a unicast host address of a non-loopback device",
                EADDRNOTAVAIL,
            ));
        }
        let (_guard, w) = self.lock();
        // An address of a namespace that ended is free now, reaper or not.
        self.reap_locked(&w);
        // The namespace may have been reaped since it was looked up.
        if self.table.view(ns.index).map(|v| v.id) != Some(ns.id) {
            return Err(refuse("address assignment: namespace is gone", ENOENT));
        }
        let slot = u16::try_from(ns.index).map_err(|_| EINVAL)?;
        let key = AddrKey {
            net: ns.parent,
            addr: take.addr,
        };
        self.addrs
            .insert(&w, key, Owner { slot, prefix_len })
            .map_err(|e| match e {
                AddrError::Owned(_) => {
                    refuse("address assignment: owned by another L3 namespace", EBUSY)
                }
                AddrError::Full => refuse("address assignment: table full", ENOSPC),
            })?;
        self.table.addr_added(&w, ns.index);
        pr_info!(
            "{}/{} now owned by L3 namespace {}\n",
            Dotted(take.addr),
            prefix_len,
            ns.id
        );
        Ok(())
    }

    /// The inetaddr notifier saw `addr` deleted in netns `net` (under RTNL).
    pub(crate) fn addr_deleted(&self, net: u32, addr: u32) {
        let (_guard, w) = self.lock();
        if let Some(o) = self.addrs.remove(&w, AddrKey { net, addr }) {
            self.table.addr_removed(&w, usize::from(o.slot));
            let id = self.table.view(usize::from(o.slot)).map_or(0, |v| v.id);
            pr_info!(
                "{} was deleted from its device: L3 namespace {} no longer owns it\n",
                Dotted(addr),
                id
            );
        }
    }

    /// Returns every address of slot `index` to the parent and logs one line
    /// naming them. Called with the state mutex held.
    pub(crate) fn release_addrs(&self, w: &Writer, ns: &NsView, why: &str) {
        let mut line = [0u8; 200];
        let mut text = TextBuf::new(&mut line);
        let Ok(slot) = u16::try_from(ns.index) else {
            return;
        };
        let mut n = 0usize;
        self.addrs.remove_owner(w, slot, |k, o| {
            n += 1;
            self.table.addr_removed(w, ns.index);
            // A line too long for the buffer ends with what fitted.
            let _ = write!(text, " {}/{}", Dotted(k.addr), o.prefix_len);
        });
        if n == 0 {
            pr_info!(
                "L3 namespace {} released: {} (it owned no address)\n",
                ns.id,
                why
            );
        } else {
            pr_info!(
                "L3 namespace {} released: {}; {} address(es) returned to net_ns {}:{}\n",
                ns.id,
                why,
                n,
                ns.parent,
                text.as_str()
            );
        }
    }

    /// Netns `net` is exiting: forget every address that lived in it.
    pub(crate) fn forget_net_addrs(&self, w: &Writer, net: u32) {
        self.addrs.remove_where(
            w,
            |k, _| k.net == net,
            |_, o| self.table.addr_removed(w, usize::from(o.slot)),
        );
    }

    /// `loopback <id> shared|private` from the parent.
    pub(crate) fn set_shared_loopback(&self, id: u32, shared: bool) -> Result {
        let ns = self.child_for_admin(id)?;
        if !self.table.set_shared_loopback(ns.index, shared) {
            return Err(ENOENT);
        }
        pr_info!(
            "L3 namespace {}: loopback {}\n",
            ns.id,
            if shared {
                "shared with the parent"
            } else {
                "private"
            }
        );
        Ok(())
    }
}
