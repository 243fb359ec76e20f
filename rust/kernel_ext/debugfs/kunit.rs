// SPDX-License-Identifier: GPL-2.0

//! KUnit of [`super`]: a tree made, used through its real file operations
//! and removed.

use super::{bindings, File, Handler, Registration};
use core::marker::PhantomData;
use core::sync::atomic::{AtomicUsize, Ordering};
use kernel::error::{from_err_ptr, Result};
use kernel::prelude::*;
use kernel::str::CStr;
use kernel::sync::Arc;
use kernel::ModuleMetadata;

static READABLE: File<u8> = File::readable(c"rw", 0o644, 1);
static WRITE_ONLY: File<u8> = File::write_only(c"wo", 0o200, 2);
static FILES: [&File<u8>; 2] = [&READABLE, &WRITE_ONLY];

/// Counts the calls that reach it.
struct Probe<M> {
    writes: AtomicUsize,
    shows: AtomicUsize,
    _module: PhantomData<fn() -> M>,
}

impl<M: ModuleMetadata + 'static> Handler for Probe<M> {
    type File = u8;
    type OwnerModule = M;

    fn write(&self, _file: u8, input: &[u8]) -> Result<usize> {
        self.writes.fetch_add(1, Ordering::Relaxed);
        Ok(input.len())
    }

    fn show(&self, file: u8, out: &mut [u8]) -> Result<usize> {
        self.shows.fetch_add(1, Ordering::Relaxed);
        let text = out.get_mut(..2).ok_or(ENOSPC)?;
        text.copy_from_slice(&[b'0' + file, b'\n']);
        Ok(2)
    }
}

/// The mode bits of `name` in `dir`, if it is `spec`'s inode and not `other`'s.
fn mode_of(
    dir: *mut bindings::dentry,
    spec: &'static File<u8>,
    other: &'static File<u8>,
) -> Result<u16> {
    // SAFETY: `dir` is a live directory, `spec.name` a C string.
    let dentry = from_err_ptr(unsafe { bindings::debugfs_lookup(spec.name.as_char_ptr(), dir) })?;
    if dentry.is_null() {
        return Err(ENOENT);
    }
    // The lookup's reference keeps the dentry, and so its inode, alive until `dput`.
    // SAFETY: `dentry` is live and positive (debugfs files always are).
    let (inode, mode) = unsafe { ((*dentry).d_inode, (*(*dentry).d_inode).i_mode) };
    // SAFETY: `inode` is live until `dput`.
    let ours = unsafe { spec.is_inode(inode) && !other.is_inode(inode) };
    // SAFETY: drops the lookup's reference.
    unsafe { bindings::dput(dentry) };
    if !ours {
        return Err(EINVAL);
    }
    Ok(mode & 0o777)
}

/// Opens `path` for reading and writing (the kernel thread is root),
/// resolved from userspace's root as `scoped_with_init_fs()` does: KUnit's
/// kernel threads start in nullfs.
fn open(path: &CStr) -> Result<*mut bindings::file> {
    let task = kernel::task::Task::current_raw();
    // Only the task itself changes its `fs`; `userspace_init_fs` lives forever.
    // SAFETY: `task` is the current task; the old `fs` is put back below.
    let old = unsafe {
        let old = (*task).fs;
        core::ptr::write_volatile(&raw mut (*task).fs, bindings::userspace_init_fs);
        old
    };
    // SAFETY: `path` is a C string.
    let file = unsafe { bindings::filp_open(path.as_char_ptr(), bindings::O_RDWR as i32, 0) };
    // SAFETY: as above: the current task's own `fs`, back to what it was.
    unsafe { core::ptr::write_volatile(&raw mut (*task).fs, old) };
    from_err_ptr(file)
}

/// KUnit: `rw` and `wo` get their modes and are told apart by inode; a
/// write longer than `WRITE_MAX` is refused before the handler, one from a
/// kernel address (not user memory) faults, a read runs `show` once; after
/// removal the files are gone. `M` is the module (the files' owner).
pub(crate) fn self_test<M: ModuleMetadata + 'static>() -> Result {
    let probe = Arc::new(
        Probe::<M> {
            writes: AtomicUsize::new(0),
            shows: AtomicUsize::new(0),
            _module: PhantomData,
        },
        GFP_KERNEL,
    )?;
    let reg = Registration::register(c"l3ns-kunit", &FILES, probe.clone())?;
    if mode_of(reg.dir, &READABLE, &WRITE_ONLY)? != 0o644
        || mode_of(reg.dir, &WRITE_ONLY, &READABLE)? != 0o200
    {
        return Err(EINVAL);
    }
    let file = open(c"/sys/kernel/debug/l3ns-kunit/rw")?;
    let mut buf = [0u8; 300];
    let mut pos: bindings::loff_t = 0;
    // SAFETY: `file` is open; its operations are debugfs's proxies of ours.
    let (long, fault, read) = unsafe {
        let fops = &*(*file).f_op;
        let (Some(write), Some(read)) = (fops.write, fops.read) else {
            bindings::filp_close(file, core::ptr::null_mut());
            return Err(EINVAL);
        };
        let long = write(file, buf.as_ptr().cast(), buf.len(), &mut pos);
        let fault = write(file, buf.as_ptr().cast(), 3, &mut pos);
        let read = read(file, buf.as_mut_ptr().cast(), 16, &mut pos);
        bindings::filp_close(file, core::ptr::null_mut());
        (long, fault, read)
    };
    let errno = |e: Error| e.to_errno() as isize;
    let called = (
        probe.writes.load(Ordering::Relaxed),
        probe.shows.load(Ordering::Relaxed),
    );
    if long != errno(EINVAL) || fault != errno(EFAULT) || read != errno(EFAULT) || called != (0, 1)
    {
        return Err(EINVAL);
    }
    drop(reg);
    match open(c"/sys/kernel/debug/l3ns-kunit/rw") {
        Err(e) if e == ENOENT => Ok(()),
        Err(e) => Err(e),
        Ok(file) => {
            // SAFETY: `file` was just opened.
            unsafe { bindings::filp_close(file, core::ptr::null_mut()) };
            Err(EINVAL)
        }
    }
}
