// SPDX-License-Identifier: GPL-2.0

//! Files opened for writing, judged as they open: an ftrace refusal hook
//! on `security_file_open()`, which runs after `f_mode` is set and before
//! the file is usable; a refusal makes `open()` fail with that error.
//!
//! C header: [`include/linux/security.h`](srctree/include/linux/security.h).

use super::bindings;
use super::ftrace::{self, Call, Hook, Kind};
use core::marker::PhantomData;
use kernel::error::Result;
use kernel::ffi::c_void;
use kernel::str::{CStr, CStrExt};
use kernel::sync::Arc;

/// `FMODE_WRITE` (include/linux/fs.h: `(__force fmode_t)(1 << 1)`, a cast
/// bindgen cannot evaluate).
const FMODE_WRITE: u32 = 1 << 1;

/// The deepest path component [`OpenFile::component`] looks at.
const MAX_DEPTH: usize = 4;

/// A file being opened for writing, borrowed for one hook call.
///
/// # Invariants
///
/// `file` is the `struct file` `security_file_open()` was called with: its
/// path and dentry are pinned for the call, and so are the dentry's
/// ancestors.
pub(crate) struct OpenFile<'a> {
    file: *const bindings::file,
    _call: PhantomData<&'a ()>,
}

impl<'a> OpenFile<'a> {
    fn dentry(&self) -> *const bindings::dentry {
        // `f_path` is the union's active member once the file is set up.
        // SAFETY: `file` is live for the call (type invariant).
        unsafe { (*self.file).__bindgen_anon_1.f_path.dentry }
    }

    /// The magic number of the file's filesystem (`include/uapi/linux/magic.h`).
    pub(crate) fn fs_magic(&self) -> u64 {
        // SAFETY: the dentry and its superblock are pinned by the open file (type invariant).
        let magic = unsafe { (*(*self.dentry()).d_sb).s_magic };
        magic as u64
    }

    /// The dentries from the file up to (not including) its filesystem's root.
    fn ancestors(&self) -> impl Iterator<Item = *const bindings::dentry> + 'a {
        let mut d = self.dentry();
        core::iter::from_fn(move || {
            if d.is_null() {
                return None;
            }
            // SAFETY: ancestors of an open file's dentry are pinned by it (type invariant).
            let parent = unsafe { core::ptr::read_volatile(&raw const (*d).d_parent) };
            if core::ptr::eq(parent, d) {
                return None; // IS_ROOT()
            }
            let this = d;
            d = parent;
            Some(this)
        })
    }

    /// How many components the file's path has below its filesystem's root.
    pub(crate) fn depth(&self) -> usize {
        self.ancestors().count()
    }

    /// The name of the `depth`-th path component below the filesystem's root
    /// (1: the top level), if the path has that many (at most 4 are
    /// looked at). Names of the pseudo filesystems judged here never change.
    pub(crate) fn component(&self, depth: usize) -> Option<&'a [u8]> {
        let total = self.depth();
        if depth == 0 || depth > total || depth > MAX_DEPTH {
            return None;
        }
        let d = self.ancestors().nth(total - depth)?;
        // SAFETY: `d` is pinned (type invariant); `d_name.name` is a C string while it is.
        let name = unsafe { CStr::from_char_ptr((*d).__bindgen_anon_1.d_name.name.cast()) };
        Some(name.to_bytes())
    }

    /// The file's inode's `i_private` (what its creator attached), as an
    /// address to compare with.
    pub(crate) fn inode_private(&self) -> *const c_void {
        // SAFETY: the dentry and its inode are pinned by the open file (type invariant).
        unsafe { (*(*self.dentry()).d_inode).i_private }
    }
}

/// Judges files opened for writing.
pub(crate) trait Handler: Send + Sync + 'static {
    /// `file` is being opened for writing by the current task: `Ok` lets
    /// the open go on, an error fails it. Any context an open runs in;
    /// must not sleep.
    fn open_for_write(&self, file: &OpenFile<'_>) -> Result;
}

/// The `security_file_open()` hook of handler `T`.
struct OpenHook<T>(PhantomData<fn(&T)>);

impl<T: Handler> Hook<T> for OpenHook<T> {
    const SYMBOL: &'static CStr = c"security_file_open";
    const KIND: Kind = Kind::Redirect;

    fn wanted(call: &Call<'_>) -> bool {
        // Most opens read: nothing to judge. Preemption is off for the callback.
        let file = call.ptr_arg::<bindings::file>(0);
        // SAFETY: argument 0 of `security_file_open()` is the file being opened, live.
        !file.is_null() && unsafe { (*file).f_mode } & FMODE_WRITE != 0
    }

    fn call(handler: &T, call: &mut Call<'_>) {
        // INVARIANT: argument 0 is the file `security_file_open()` judges (checked non-null).
        let file = OpenFile {
            file: call.ptr_arg(0),
            _call: PhantomData,
        };
        if let Err(e) = handler.open_for_write(&file) {
            call.refuse(e);
        }
    }
}

/// The open hook of a [`Handler`], removed in `Drop`.
pub(crate) struct Registration<T: Handler> {
    _hooks: ftrace::Registration<T>,
}

impl<T: Handler> Registration<T> {
    /// Attaches `handler` (process context); `EBUSY` if another `IPMODIFY`
    /// user (livepatch, a BPF trampoline) has `security_file_open()`.
    pub(crate) fn register(handler: Arc<T>) -> Result<Self> {
        let hooks = [ftrace::hook::<T, OpenHook<T>>()];
        Ok(Self {
            _hooks: ftrace::Registration::register(c"open guard", handler, &hooks)?,
        })
    }
}
