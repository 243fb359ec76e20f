// SPDX-License-Identifier: GPL-2.0

//! The copies of devinet.c (7.3) the redirects run: `inet_gifconf()` and
//! the GET branch of `devinet_ioctl()`, each leaving out the addresses a
//! `shown` test refuses. Only exported functions and one-line helpers are
//! called; the RTNL-protected address list is walked with bindgen's layouts
//! of `in_device` and `in_ifaddr`.
//!
//! C source: [`net/ipv4/devinet.c`](srctree/net/ipv4/devinet.c).

use super::super::bindings;
use super::super::inetaddr::InIfaddr;
use core::marker::PhantomData;
use core::mem::{align_of, offset_of, size_of};
use kernel::error::code::{EADDRNOTAVAIL, ENODEV};
use kernel::ffi::{c_char, c_int, c_uint};
use kernel::uaccess::{UserPtr, UserSlice};

// `ifr_addr` is read and written as a `sockaddr_in`, as devinet.c does.
const _: () = assert!(
    size_of::<bindings::sockaddr_in>() == size_of::<bindings::sockaddr>()
        && align_of::<bindings::ifreq>() >= align_of::<bindings::sockaddr_in>()
        && offset_of!(bindings::ifreq, ifr_ifru) % align_of::<bindings::sockaddr_in>() == 0
);

/// The `sa_family` of an IPv4 `sockaddr_in`.
const FAMILY_INET: u16 = bindings::AF_INET as u16;

/// RTNL for one netns (`rtnl_net_lock()`), released in `Drop`.
///
/// # Invariants
///
/// This task holds RTNL for `net`, live, until the guard drops.
pub(super) struct RtnlNet(*mut bindings::net);

impl RtnlNet {
    /// # Safety
    ///
    /// Process context, RTNL not held by this task; `net` stays live.
    pub(super) unsafe fn lock(net: *mut bindings::net) -> Self {
        // SAFETY: process context, not held yet (function contract).
        unsafe { bindings::l3ns_helper_rtnl_net_lock(net) };
        RtnlNet(net)
    }
}

impl Drop for RtnlNet {
    fn drop(&mut self) {
        // SAFETY: held by this task since `lock` (type invariant).
        unsafe { bindings::l3ns_helper_rtnl_net_unlock(self.0) };
    }
}

/// An address on a device's list, read under RTNL.
///
/// # Invariants
///
/// `ifa` is on its device's list while RTNL is held for `'a`: live, with
/// its device, and its fields change only under RTNL.
#[derive(Clone, Copy)]
struct Ifa<'a> {
    ifa: *mut bindings::in_ifaddr,
    _rtnl: PhantomData<&'a ()>,
}

impl<'a> Ifa<'a> {
    /// As the `shown` test sees it.
    fn view(&self) -> &'a InIfaddr {
        // SAFETY: the address, its `in_device` and device are live for `'a` (type invariant).
        unsafe { InIfaddr::from_raw(self.ifa) }
    }

    /// `ifa_label`: the device name, or `name:alias`, NUL-terminated.
    fn label(&self) -> [u8; bindings::IFNAMSIZ as usize] {
        // SAFETY: live and stable while RTNL is held (type invariant).
        unsafe { (*self.ifa).ifa_label }
    }

    /// `ifa_local`, `ifa_address`, `ifa_broadcast` and `ifa_mask` (network order).
    fn addrs(&self) -> [u32; 4] {
        let ifa = self.ifa;
        // SAFETY: live and stable while RTNL is held (type invariant).
        unsafe {
            [
                (*ifa).ifa_local,
                (*ifa).ifa_address,
                (*ifa).ifa_broadcast,
                (*ifa).ifa_mask,
            ]
        }
    }
}

/// The addresses of a device (`in_dev_for_each_ifa_rtnl_net()`).
///
/// # Invariants
///
/// RTNL is held for `'a`; `next` is null or an address on the list.
#[derive(Clone)]
struct IfaList<'a> {
    next: *mut bindings::in_ifaddr,
    _rtnl: PhantomData<&'a ()>,
}

impl IfaList<'_> {
    /// The list of `dev`'s `in_device` (`__in_dev_get_rtnl_net()`), if any.
    ///
    /// # Safety
    ///
    /// RTNL is held for `'a`; `dev` is a live device.
    unsafe fn of_dev<'a>(dev: *const bindings::net_device) -> Option<IfaList<'a>> {
        // SAFETY: RTNL is held and `dev` is live (function contract).
        let in_dev = unsafe { bindings::l3ns_helper_in_dev_get_rtnl_net(dev) };
        if in_dev.is_null() {
            return None;
        }
        // SAFETY: RTNL keeps the `in_device` and its list (function contract).
        let next = unsafe { (*in_dev).ifa_list };
        // INVARIANT: the list's head, with RTNL held.
        Some(IfaList {
            next,
            _rtnl: PhantomData,
        })
    }
}

impl<'a> Iterator for IfaList<'a> {
    type Item = Ifa<'a>;

    fn next(&mut self) -> Option<Ifa<'a>> {
        let ifa = self.next;
        if ifa.is_null() {
            return None;
        }
        // SAFETY: on the list, RTNL held (type invariant).
        self.next = unsafe { (*ifa).ifa_next };
        // INVARIANT: on the list while RTNL is held for `'a`.
        Some(Ifa {
            ifa,
            _rtnl: PhantomData,
        })
    }
}

/// A NUL-terminated name without its NUL (all of `s` if it has none).
fn c_name(s: &[u8]) -> &[u8] {
    s.split(|&c| c == 0).next().unwrap_or(s)
}

/// Copies `bytes` into `buf` at `at`, if they fit.
fn put(buf: &mut [u8], at: usize, bytes: &[u8]) {
    if let Some(to) = buf.get_mut(at..).and_then(|b| b.get_mut(..bytes.len())) {
        to.copy_from_slice(bytes);
    }
}

/// The `ifreq` `inet_gifconf()` writes for an address: its label, and as
/// `ifr_addr` an `AF_INET` `sockaddr_in` of `local` (network order); every
/// other byte zero.
fn gifconf_entry(label: &[u8], local: u32) -> [u8; size_of::<bindings::ifreq>()] {
    let mut ifr = [0u8; size_of::<bindings::ifreq>()];
    let (name, sin) = (
        offset_of!(bindings::ifreq, ifr_ifrn),
        offset_of!(bindings::ifreq, ifr_ifru),
    );
    put(&mut ifr, name, c_name(label));
    let family_at = sin + offset_of!(bindings::sockaddr_in, sin_family);
    put(&mut ifr, family_at, &FAMILY_INET.to_ne_bytes());
    let addr_at = sin + offset_of!(bindings::sockaddr_in, sin_addr.s_addr);
    put(&mut ifr, addr_at, &local.to_ne_bytes());
    ifr
}

/// `inet_gifconf()`: the IPv4 addresses of `dev` that `shown` accepts, as
/// `ifreq`s of `size` bytes into `buf`, at most `len` bytes; or, with a null
/// `buf`, the bytes they would take. Returns the bytes written or needed,
/// or `-EFAULT`.
///
/// # Safety
///
/// RTNL is held (`dev_ifconf()` holds it); `dev` is a live device; `buf` is
/// null or a user pointer.
pub(super) unsafe fn gifconf(
    shown: impl Fn(&InIfaddr) -> bool,
    dev: *mut bindings::net_device,
    buf: *mut c_char,
    mut len: c_int,
    size: c_int,
) -> c_int {
    let mut done: c_int = 0;
    let Ok(entry_size) = usize::try_from(size) else {
        return 0;
    };
    if entry_size > size_of::<bindings::ifreq>() {
        return 0;
    }
    // SAFETY: RTNL is held and `dev` is live (function contract).
    let Some(list) = (unsafe { IfaList::of_dev(dev) }) else {
        return 0;
    };
    for ifa in list {
        if !shown(ifa.view()) {
            continue; // before counting: length queries match
        }
        if buf.is_null() {
            done = done.saturating_add(size);
            continue;
        }
        if len < size {
            break;
        }
        let [local, ..] = ifa.addrs();
        let entry = gifconf_entry(&ifa.label(), local);
        let at = UserPtr::from_ptr(buf.cast()).wrapping_byte_add(done.unsigned_abs() as usize);
        let mut user = UserSlice::new(at, entry_size).writer();
        if let Err(e) = user.write_slice(entry.get(..entry_size).unwrap_or(&[])) {
            return e.to_errno(); // EFAULT
        }
        len -= size;
        done = done.saturating_add(size);
    }
    done
}

/// Is `cmd` one of the four GET commands of [`devinet_get`]?
pub(super) fn is_get(cmd: c_uint) -> bool {
    matches!(
        cmd,
        bindings::SIOCGIFADDR
            | bindings::SIOCGIFBRDADDR
            | bindings::SIOCGIFDSTADDR
            | bindings::SIOCGIFNETMASK
    )
}

/// `devinet_ioctl()` for a GET `cmd` ([`is_get`]), the addresses `shown`
/// refuses left out: the address, broadcast, destination or mask of the
/// first matching address of the device `ifr` names into `ifr_addr`, 0 or
/// an error.
///
/// # Safety
///
/// Process context, RTNL not held by this task; `net` is a live netns and
/// `ifr` a live kernel `ifreq`, ours for the call (`inet_ioctl()` copied it
/// in).
pub(super) unsafe fn devinet_get(
    shown: impl Fn(&InIfaddr) -> bool,
    net: *mut bindings::net,
    cmd: c_uint,
    ifr: *mut bindings::ifreq,
) -> c_int {
    // SAFETY: `ifr` is live and ours alone for the call (function contract).
    let ifr = unsafe { &mut *ifr };
    // SAFETY: `ifrn_name` is the only member of its union; any bytes are valid.
    let name = unsafe { &mut ifr.ifr_ifrn.ifrn_name };
    // CAST: as in devinet.c, `ifr_addr` is a `sockaddr_in` (sizes and alignment above).
    let sin = core::ptr::from_mut(&mut ifr.ifr_ifru).cast::<bindings::sockaddr_in>();
    // SAFETY: `ifr_addr` is plain bytes in `*ifr`, aligned for it; any bytes are a `sockaddr_in`.
    let sin = unsafe { &mut *sin };
    if let Some(last) = name.last_mut() {
        *last = 0;
    }
    // Save the original address for comparison.
    let sin_orig = *sin;
    let colon = c_name(name).iter().position(|&c| c == b':');
    if let Some(c) = colon.and_then(|i| name.get_mut(i)) {
        *c = 0;
    }
    // SAFETY: process context; `net` is live and `name` NUL-terminated.
    unsafe { bindings::dev_load(net, name.as_ptr()) };
    let tryaddrmatch = sin_orig.sin_family == FAMILY_INET;
    *sin = bindings::sockaddr_in {
        sin_family: FAMILY_INET,
        ..Default::default()
    };

    // SAFETY: process context, RTNL not held (function contract); `net` is live.
    let rtnl = unsafe { RtnlNet::lock(net) };
    // SAFETY: RTNL is held; `name` is NUL-terminated.
    let dev = unsafe { bindings::__dev_get_by_name(net, name.as_ptr()) };
    if dev.is_null() {
        return ENODEV.to_errno();
    }
    if let Some(c) = colon.and_then(|i| name.get_mut(i)) {
        *c = b':';
    }
    let asked = c_name(name);
    let labelled = |ifa: &Ifa<'_>| c_name(&ifa.label()) == asked && shown(ifa.view());
    // SAFETY: RTNL is held until `rtnl` drops, after the last use of the list; `dev` is live.
    let list = unsafe { IfaList::of_dev(dev) };
    let mut found = None;
    if let Some(list) = &list {
        if tryaddrmatch {
            // Compare label and address (4.4BSD style).
            let wanted = sin_orig.sin_addr.s_addr;
            found = list.clone().find(|ifa| {
                let [local, ..] = ifa.addrs();
                local == wanted && labelled(ifa)
            });
        }
        if found.is_none() {
            // No match: maybe a 4.3BSD-style caller; the label alone.
            found = list.clone().find(labelled);
        }
    }
    let Some(ifa) = found else {
        return EADDRNOTAVAIL.to_errno();
    };
    let [local, address, broadcast, mask] = ifa.addrs();
    sin.sin_addr.s_addr = match cmd {
        bindings::SIOCGIFADDR => local,
        bindings::SIOCGIFBRDADDR => broadcast,
        bindings::SIOCGIFDSTADDR => address,
        _ => mask, // SIOCGIFNETMASK
    };
    drop(rtnl);
    0
}

/// What [`kunit_loopback`] saw: return values and addresses (host order).
#[cfg(CONFIG_KUNIT)]
pub(crate) struct KunitLoopback {
    /// `SIOCGIFADDR` of `lo`: (return value, address).
    pub(crate) addr: (i32, u32),
    /// `SIOCGIFNETMASK` of `lo` given 127.0.0.1 (4.4BSD style).
    pub(crate) mask: (i32, u32),
    /// `SIOCGIFADDR` of `lo` with every address hidden.
    pub(crate) hidden: i32,
    /// `SIOCGIFADDR` of `lo:9` (no such label).
    pub(crate) alias: i32,
    /// `SIOCGIFCONF` length query of `lo`: all shown, 127.0.0.1 hidden,
    /// everything hidden.
    pub(crate) gifconf: (i32, i32, i32),
    /// The size of an `ifreq`.
    pub(crate) entry_size: i32,
    /// The entry written for 127.0.0.1 on `lo`, read back as an `ifreq`:
    /// (name, family, address).
    pub(crate) entry: ([u8; 3], u32, u32),
}

/// KUnit: the copies queried from the kernel side for `init_net`'s
/// loopback device (up, 127.0.0.1/8 its first address).
#[cfg(CONFIG_KUNIT)]
pub(crate) fn kunit_loopback() -> KunitLoopback {
    const LOOPBACK: u32 = 0x7f00_0001;
    let all = |_: &InIfaddr| true;
    let none = |_: &InIfaddr| false;
    let not_loopback = |ifa: &InIfaddr| ifa.local() != LOOPBACK;
    // `init_net` is always live.
    let net = &raw mut bindings::init_net;
    let get = |shown: &dyn Fn(&InIfaddr) -> bool, cmd: u32, name: &[u8], addr: u32| {
        let mut ifr = bindings::ifreq::default();
        // SAFETY: the name is the only member of its union.
        let ifr_name = unsafe { &mut ifr.ifr_ifrn.ifrn_name };
        put(ifr_name, 0, name);
        let asked = bindings::sockaddr_in {
            sin_family: if addr != 0 { FAMILY_INET } else { 0 },
            sin_addr: bindings::in_addr {
                s_addr: addr.to_be(),
            },
            ..Default::default()
        };
        // CAST: as in `devinet_get`.
        let sin = core::ptr::from_mut(&mut ifr.ifr_ifru).cast::<bindings::sockaddr_in>();
        // SAFETY: `ifr_addr` is in `ifr`, aligned for a `sockaddr_in` (checked above).
        unsafe { sin.write(asked) };
        // SAFETY: process context without RTNL; `net` and `ifr` are live.
        let r = unsafe { devinet_get(shown, net, cmd, &mut ifr) };
        // CAST: as above.
        let sin = core::ptr::from_ref(&ifr.ifr_ifru).cast::<bindings::sockaddr_in>();
        // SAFETY: as above.
        let answer = unsafe { sin.read() };
        (r, u32::from_be(answer.sin_addr.s_addr))
    };
    let size = size_of::<bindings::ifreq>() as c_int;
    let gifconf_len = |shown: &dyn Fn(&InIfaddr) -> bool| {
        use kernel::str::CStrExt;
        // SAFETY: process context without RTNL; `net` is live.
        let _rtnl = unsafe { RtnlNet::lock(net) };
        // SAFETY: RTNL is held; a NUL-terminated name.
        let lo = unsafe { bindings::__dev_get_by_name(net, c"lo".as_char_ptr()) };
        if lo.is_null() {
            return ENODEV.to_errno();
        }
        // SAFETY: RTNL is held, `lo` is live, a null `buf` is a length query.
        unsafe { gifconf(shown, lo, core::ptr::null_mut(), 0, size) }
    };
    let entry = gifconf_entry(b"lo\0", LOOPBACK.to_be());
    // SAFETY: `entry` has an `ifreq`'s size, and any bytes are an `ifreq`.
    let ifr = unsafe { core::ptr::read_unaligned(entry.as_ptr().cast::<bindings::ifreq>()) };
    // CAST: as in `devinet_get`.
    let sin = core::ptr::from_ref(&ifr.ifr_ifru).cast::<bindings::sockaddr_in>();
    // SAFETY: plain bytes of `ifr`, aligned for a `sockaddr_in` (checked above).
    let ([n0, n1, n2, ..], sin) = unsafe { (ifr.ifr_ifrn.ifrn_name, sin.read()) };
    KunitLoopback {
        addr: get(&all, bindings::SIOCGIFADDR, b"lo", 0),
        mask: get(&all, bindings::SIOCGIFNETMASK, b"lo", LOOPBACK),
        hidden: get(&none, bindings::SIOCGIFADDR, b"lo", 0).0,
        alias: get(&all, bindings::SIOCGIFADDR, b"lo:9", 0).0,
        gifconf: (
            gifconf_len(&all),
            gifconf_len(&not_loopback),
            gifconf_len(&none),
        ),
        entry_size: size,
        entry: (
            [n0, n1, n2],
            u32::from(sin.sin_family),
            u32::from_be(sin.sin_addr.s_addr),
        ),
    }
}
