// SPDX-License-Identifier: GPL-2.0

//! Module parameters shown read-only in sysfs: C's
//! `module_param(name, uint, 0444)` with `MODULE_PARM_DESC()`.
//!
//! C header: [`include/linux/moduleparam.h`](srctree/include/linux/moduleparam.h).
//! The 7.3 `module!` macro's `params` have permission 0 (no file under
//! `/sys/module/<module>/parameters/`) and no `get` operation. A
//! [`uint_param!`] is a `struct kernel_param` in the module's `__param`
//! section with mode 0444 and the kernel's own `param_ops_uint` (parsed at
//! load, printed on read), over a [`UintParam`]; its `parm` and `parmtype`
//! lines go in `.modinfo` as `MODULE_PARM_DESC()` puts them.

use super::bindings;
use core::sync::atomic::{AtomicU32, Ordering};
use kernel::ffi::c_void;

/// The value of a `uint` module parameter.
///
/// # Invariants
///
/// Written only by the kernel's `param_set_uint()` while the module loads,
/// before its init runs (mode 0444: sysfs never writes it); read-only after.
#[repr(transparent)]
pub(crate) struct UintParam(AtomicU32);

impl UintParam {
    /// A parameter whose value is `default` unless given at load.
    pub(crate) const fn new(default: u32) -> Self {
        Self(AtomicU32::new(default))
    }

    /// Its value.
    pub(crate) fn get(&self) -> u32 {
        self.0.load(Ordering::Relaxed)
    }
}

/// One entry of the `__param` section (`struct kernel_param`).
#[repr(transparent)]
pub(crate) struct KernelParam(bindings::kernel_param);

// SAFETY: only the kernel reads it (under `kernel_param_lock()`); nothing writes it.
unsafe impl Sync for KernelParam {}

impl KernelParam {
    /// `module_param_named(name, *value, uint, 0444)` of this loadable
    /// module (a built-in one would prefix `name` with `<module>.`); `name`
    /// ends with a NUL.
    pub(crate) const fn read_only_uint(name: &'static str, value: &'static UintParam) -> Self {
        Self(bindings::kernel_param {
            name: name.as_ptr().cast(),
            mod_: &raw mut bindings::__this_module,
            ops: &raw const bindings::param_ops_uint,
            perm: 0o444,
            level: -1,
            flags: 0,
            __bindgen_anon_1: bindings::kernel_param__bindgen_ty_1 {
                // CAST: `UintParam` is `repr(transparent)` over a `u32`, what the ops read and write.
                arg: core::ptr::from_ref(value).cast_mut().cast::<c_void>(),
            },
        })
    }
}

/// A `.modinfo` line (`text` ends with a NUL) as the array the section holds.
pub(crate) const fn modinfo<const N: usize>(text: &str) -> [u8; N] {
    let bytes = text.as_bytes();
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N && i < bytes.len() {
        out[i] = bytes[i];
        i += 1;
    }
    out
}

/// Declares `static $name: UintParam`, the `uint` module parameter
/// `$param` (a string), default `$default`, shown read-only (0444) in
/// `/sys/module/<module>/parameters/`, described by `$desc`.
macro_rules! uint_param {
    ($(#[$meta:meta])* $vis:vis static $name:ident: $param:literal = $default:expr, $desc:literal;) => {
        $(#[$meta])*
        $vis static $name: $crate::kernel_ext::module_param::UintParam =
            $crate::kernel_ext::module_param::UintParam::new($default);

        const _: () = {
            use $crate::kernel_ext::module_param::{modinfo, KernelParam};
            const PARMTYPE: &str = concat!("parmtype=", $param, ":uint\0");
            const PARM: &str = concat!("parm=", $param, ":", $desc, "\0");

            #[link_section = "__param"]
            #[used(compiler)]
            static PARAM: KernelParam = KernelParam::read_only_uint(concat!($param, "\0"), &$name);
            #[link_section = ".modinfo"]
            #[used(compiler)]
            static TYPE_INFO: [u8; PARMTYPE.len()] = modinfo(PARMTYPE);
            #[link_section = ".modinfo"]
            #[used(compiler)]
            static DESC_INFO: [u8; PARM.len()] = modinfo(PARM);
        };
    };
}
pub(crate) use uint_param;

/// KUnit: `$name`'s entry in this module's parameter table is `value`'s,
/// mode 0444, and the kernel's own `get` operation prints its value.
#[cfg(CONFIG_KUNIT)]
pub(crate) fn self_test(
    name: &kernel::str::CStr,
    value: &'static UintParam,
) -> kernel::error::Result {
    use kernel::error::code::{EINVAL, ENOENT};
    use kernel::prelude::*;
    let this = &raw const bindings::__this_module;
    // The loader set `kp`/`num_kp` to the `__param` section before init; they never change.
    // SAFETY: `__this_module` is this module, live while its code runs.
    let (kp, n) = unsafe { ((*this).kp, (*this).num_kp) };
    let n = usize::try_from(n).map_err(|_| EINVAL)?;
    // SAFETY: `kp` points to the module's `num_kp` parameters.
    let params = unsafe { core::slice::from_raw_parts(kp.cast_const(), n) };
    let want = core::ptr::from_ref(value).cast_mut().cast::<c_void>();
    let entry = params
        .iter()
        // SAFETY: every parameter's name is a C string in the module image.
        .find(|p| unsafe { kernel::str::CStr::from_char_ptr(p.name) } == name)
        .ok_or(ENOENT)?;
    // SAFETY: a `uint` parameter's union holds `arg`.
    if entry.perm != 0o444 || unsafe { entry.__bindgen_anon_1.arg } != want {
        return Err(EINVAL);
    }
    // `param_get_uint()` prints with `sysfs_emit()`, into a page as sysfs gives it (a
    // power-of-two kmalloc is aligned to its size).
    let page = kernel::page::PAGE_SIZE;
    let mut text = KVec::<u8>::from_elem(0, page, GFP_KERNEL)?;
    if text.as_ptr().align_offset(page) != 0 {
        return Err(EINVAL);
    }
    // SAFETY: `entry` is this module's `uint` parameter; `text` is a page-aligned page.
    let len = unsafe { bindings::param_get_uint(text.as_mut_ptr().cast(), entry) };
    let shown = text
        .get(..usize::try_from(len).map_err(|_| EINVAL)?)
        .ok_or(EINVAL)?;
    let digits = shown.strip_suffix(b"\n").ok_or(EINVAL)?;
    let parsed = digits.iter().try_fold(0u32, |n, &d| {
        let digit = d.checked_sub(b'0').filter(|d| *d < 10)?;
        n.checked_mul(10)?.checked_add(u32::from(digit))
    });
    if digits.is_empty() || parsed != Some(value.get()) {
        return Err(EINVAL);
    }
    Ok(())
}
