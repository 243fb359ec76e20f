// SPDX-License-Identifier: GPL-2.0

//! A debugfs directory of control files, read and written by a [`Handler`].
//!
//! C header: [`include/linux/debugfs.h`](srctree/include/linux/debugfs.h).
//! The 7.3 crate's `kernel::debugfs` fixes each file's mode by its kind
//! (0400, 0600, 0200), so it cannot make a file anyone may write (0666) or
//! read (0644, 0444); this wraps `debugfs_create_file_full()` with vtables
//! built here. Each file's `i_private` is its static [`File`] (so an inode
//! can be recognised with no lookup, [`File::is_private`]) and its `aux` the
//! handler. debugfs's proxy operations make every call wait for removal:
//! `debugfs_remove()` in [`Registration`]'s `Drop` returns once no handler
//! runs, and no call starts after it.

use super::bindings;
use super::ratelimit::RateLimit;
use core::marker::PhantomData;
use kernel::error::{from_err_ptr, from_result, Result};
use kernel::ffi::{c_char, c_int, c_void};
use kernel::module::this_module;
use kernel::prelude::*;
use kernel::str::{CStr, CStrExt};
use kernel::sync::Arc;
use kernel::uaccess::{UserPtr, UserSlice};
use kernel::ModuleMetadata;

/// Longest write accepted: longer ones fail with `EINVAL` (and a
/// rate-limited log line) before anything is copied.
pub(crate) const WRITE_MAX: usize = 256;

/// The room [`Handler::show`] formats a file into.
pub(crate) const SHOW_MAX: usize = kernel::page::PAGE_SIZE;

/// The log line of refused long writes, shared by every tree.
static LONG_WRITES: RateLimit = RateLimit::new(c"debugfs write", 5_000, 10);

/// One file of a directory: its name, mode, whether it can be read, and
/// what it is to the handler. Lives in a `static`: its address is what
/// names its inodes.
pub(crate) struct File<F> {
    name: &'static CStr,
    mode: u16,
    readable: bool,
    file: F,
}

impl<F> File<F> {
    /// A file that can only be written (`open`, `write`).
    pub(crate) const fn write_only(name: &'static CStr, mode: u16, file: F) -> Self {
        Self {
            name,
            mode,
            readable: false,
            file,
        }
    }

    /// A file read as a `seq_file` ([`Handler::show`] formats it once per
    /// open) and written as a write-only one is.
    pub(crate) const fn readable(name: &'static CStr, mode: u16, file: F) -> Self {
        Self {
            name,
            mode,
            readable: true,
            file,
        }
    }

    /// Whether an inode whose `i_private` is `private` is a file made from
    /// this one (an address comparison only).
    pub(crate) fn is_private(&'static self, private: *const kernel::ffi::c_void) -> bool {
        core::ptr::eq(private.cast::<Self>(), self)
    }

    /// Whether `inode` is a file made from this one (in any directory).
    ///
    /// # Safety
    ///
    /// `inode` must point to a live inode.
    #[cfg(CONFIG_KUNIT)]
    pub(crate) unsafe fn is_inode(&'static self, inode: *const bindings::inode) -> bool {
        // `i_private` is set when the inode is created and never changed.
        // SAFETY: the caller passes a live inode.
        let private = unsafe { (*inode).i_private };
        core::ptr::eq(private.cast_const().cast::<Self>(), self)
    }
}

/// What a [`Registration`]'s files do. Process context, in the task that
/// reads or writes.
pub(crate) trait Handler: Send + Sync + 'static {
    /// What names a file to the handler.
    type File: Copy + Send + Sync + 'static;
    /// The module whose code the files run: an open file keeps it loaded.
    type OwnerModule: ModuleMetadata;

    /// `input` (at most [`WRITE_MAX`] bytes, copied from the writer) was
    /// written to `file`; returns how many bytes it consumed.
    fn write(&self, file: Self::File, input: &[u8]) -> Result<usize>;

    /// Formats readable `file` for the reading task into `out`
    /// ([`SHOW_MAX`] zeroed bytes); returns the length of the text.
    fn show(&self, file: Self::File, out: &mut [u8]) -> Result<usize>;
}

/// A directory at the debugfs root and its files, removed in `Drop`.
///
/// # Invariants
///
/// `dir` is the directory `register` made, with files whose `aux` is
/// `handler` (from `Arc::into_raw`), which stays valid until `drop` has
/// removed them.
pub(crate) struct Registration<T: Handler> {
    dir: *mut bindings::dentry,
    handler: *const T,
}

// `dir` is a dentry debugfs lets any thread remove.
// SAFETY: nothing in it is tied to a thread; `handler` is an `Arc<T>`, `T: Send + Sync`.
unsafe impl<T: Handler> Send for Registration<T> {}
// SAFETY: `&Registration` gives access to nothing.
unsafe impl<T: Handler> Sync for Registration<T> {}

impl<T: Handler> Registration<T> {
    /// Makes directory `name` with `files`, served by `handler` (process
    /// context). `EEXIST` if the directory exists.
    pub(crate) fn register(
        name: &'static CStr,
        files: &'static [&'static File<T::File>],
        handler: Arc<T>,
    ) -> Result<Self> {
        let root = core::ptr::null_mut();
        // SAFETY: `name` is a C string; a NULL parent is the debugfs root.
        let dir = from_err_ptr(unsafe { bindings::debugfs_create_dir(name.as_char_ptr(), root) })?;
        // INVARIANT: from here on `drop` removes `dir` and its files, then the handler.
        let reg = Self {
            dir,
            handler: Arc::into_raw(handler),
        };
        for &file in files {
            let fops = if file.readable {
                Adapter::<T>::READABLE
            } else {
                Adapter::<T>::WRITE_ONLY
            };
            // CAST: the file's `i_private` is its static `File`, which debugfs never writes.
            let private = core::ptr::from_ref(file).cast_mut().cast::<c_void>();
            // `fops` is an `Adapter<T>` vtable, whose callbacks expect that `i_private` and
            // the handler as `aux`; both outlive the file.
            // SAFETY: `dir` is our directory and `file.name` a C string.
            let dentry = unsafe {
                bindings::debugfs_create_file_full(
                    file.name.as_char_ptr(),
                    file.mode,
                    reg.dir,
                    private,
                    reg.handler.cast(),
                    fops,
                )
            };
            from_err_ptr(dentry)?;
        }
        Ok(reg)
    }
}

impl<T: Handler> Drop for Registration<T> {
    fn drop(&mut self) {
        // Waits for the handlers in flight (debugfs's proxy operations); none starts after.
        // SAFETY: `dir` is the directory `register` made.
        unsafe { bindings::debugfs_remove(self.dir) };
        // SAFETY: `handler` came from `Arc::into_raw`; no file can reach it any more.
        drop(unsafe { Arc::from_raw(self.handler) });
    }
}

/// The file operations of a `Registration<T>`.
struct Adapter<T>(PhantomData<T>);

impl<T: Handler> Adapter<T> {
    /// Write-only files.
    const WRITE_ONLY: &'static bindings::file_operations = &bindings::file_operations {
        owner: this_module::<T::OwnerModule>().as_ptr(),
        open: Some(bindings::simple_open),
        write: Some(Self::write_plain),
        ..pin_init::zeroed()
    };

    /// Readable files: a `seq_file` for reads, writes as above.
    const READABLE: &'static bindings::file_operations = &bindings::file_operations {
        owner: this_module::<T::OwnerModule>().as_ptr(),
        open: Some(Self::open),
        read: Some(bindings::seq_read),
        write: Some(Self::write_seq),
        llseek: Some(bindings::seq_lseek),
        release: Some(bindings::single_release),
        ..pin_init::zeroed()
    };

    /// The file and handler of a call.
    ///
    /// # Safety
    ///
    /// `private` is the `i_private` and `file` an open file of a tree a
    /// live `Registration<T>` made, in a call debugfs's proxy protects from
    /// removal.
    unsafe fn context<'a>(
        private: *mut c_void,
        file: *const bindings::file,
    ) -> (&'a File<T::File>, &'a T) {
        // SAFETY: per the function contract: the static `File`, and the live handler as `aux`.
        unsafe {
            (
                &*private.cast::<File<T::File>>(),
                &*bindings::debugfs_get_aux(file).cast::<T>(),
            )
        }
    }

    /// `open` of a readable file: the text is made by [`Self::show`].
    ///
    /// # Safety
    ///
    /// Called by debugfs's proxy `open` for a readable file of a live registration.
    unsafe extern "C" fn open(inode: *mut bindings::inode, file: *mut bindings::file) -> c_int {
        // SAFETY: `inode` is being opened as `file`; its `i_private` becomes the seq_file's.
        unsafe { bindings::single_open(file, Some(Self::show), (*inode).i_private) }
    }

    /// `show` of a readable file's `seq_file`.
    ///
    /// # Safety
    ///
    /// Called by `seq_read()` on the seq_file [`Self::open`] made, under
    /// debugfs's proxy `read`.
    unsafe extern "C" fn show(m: *mut bindings::seq_file, _v: *mut c_void) -> c_int {
        // SAFETY: `m` is live for the call; its `private` is the `i_private` `open` passed.
        let (file, handler) = unsafe { Self::context((*m).private, (*m).file) };
        from_result(|| {
            // Zeroed: the handler gets initialised bytes.
            let mut out = KVec::from_elem(0u8, SHOW_MAX, GFP_KERNEL)?;
            let len = handler.show(file.file, &mut out)?;
            let text = out.get(..len).ok_or(EINVAL)?;
            if !text.is_empty() {
                // An overflow is seq_file's to handle: it calls `show` again with more room.
                // SAFETY: `m` is live for the call; `text` is readable for `text.len()` bytes.
                unsafe { bindings::seq_write(m, text.as_ptr().cast(), text.len()) };
            }
            Ok(0)
        })
    }

    /// `write` of a write-only file (`simple_open()` set `private_data`).
    ///
    /// # Safety
    ///
    /// Called by debugfs's proxy `write` for a write-only file of a live
    /// registration; `buf` is the writer's buffer of `len` bytes.
    unsafe extern "C" fn write_plain(
        file: *mut bindings::file,
        buf: *const c_char,
        len: usize,
        _ppos: *mut bindings::loff_t,
    ) -> isize {
        // SAFETY: `simple_open()` set `private_data` to the inode's `i_private`.
        let (spec, handler) = unsafe { Self::context((*file).private_data, file) };
        Self::write(spec, handler, buf, len)
    }

    /// `write` of a readable file (`private_data` is its seq_file).
    ///
    /// # Safety
    ///
    /// As for [`Self::write_plain`], for a readable file.
    unsafe extern "C" fn write_seq(
        file: *mut bindings::file,
        buf: *const c_char,
        len: usize,
        _ppos: *mut bindings::loff_t,
    ) -> isize {
        // `single_open()` set `private_data` to its seq_file, whose `private` is `i_private`.
        // SAFETY: the file is open, so its seq_file is live.
        let private = unsafe { (*(*file).private_data.cast::<bindings::seq_file>()).private };
        // SAFETY: `private` is the file's `i_private`.
        let (spec, handler) = unsafe { Self::context(private, file) };
        Self::write(spec, handler, buf, len)
    }

    /// Copies a write of at most [`WRITE_MAX`] bytes and hands it over.
    fn write(spec: &File<T::File>, handler: &T, buf: *const c_char, len: usize) -> isize {
        if len > WRITE_MAX {
            if LONG_WRITES.allow() {
                pr_info!("{}: write of {} bytes refused (EINVAL)\n", spec.name, len);
            }
            return EINVAL.to_errno() as isize;
        }
        from_result(|| {
            let mut bytes = [0u8; WRITE_MAX];
            let input = bytes.get_mut(..len).ok_or(EINVAL)?;
            let user = UserPtr::from_ptr(buf.cast_mut().cast());
            UserSlice::new(user, len).reader().read_slice(input)?;
            let n = handler.write(spec.file, input)?;
            Ok(isize::try_from(n).unwrap_or(isize::MAX))
        })
    }
}

#[cfg(CONFIG_KUNIT)]
mod kunit;
#[cfg(CONFIG_KUNIT)]
pub(crate) use kunit::self_test;
