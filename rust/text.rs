// SPDX-License-Identifier: GPL-2.0

//! `TextBuf`: formatting into a caller's fixed buffer (debugfs output, log
//! lines) without allocating; running out of room is an error, never a
//! silent truncation.

use core::fmt;

/// Lets the kernel's printing macros (which take `kernel::fmt::Display`)
/// show types that implement `core::fmt::Display`, such as the policy
/// core's, which knows nothing of the kernel crate.
macro_rules! kernel_display {
    ($($t:ty),* $(,)?) => {
        $(impl kernel::fmt::Display for $t {
            fn fmt(&self, f: &mut kernel::fmt::Formatter<'_>) -> kernel::fmt::Result {
                core::fmt::Display::fmt(self, f)
            }
        })*
    };
}
pub(crate) use kernel_display;

kernel_display!(crate::policy::parse::Dotted);

/// A `fmt::Write` into a fixed byte buffer.
pub(crate) struct TextBuf<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl<'a> TextBuf<'a> {
    /// An empty text over `buf`.
    pub(crate) fn new(buf: &'a mut [u8]) -> Self {
        TextBuf { buf, len: 0 }
    }

    /// Bytes written so far.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The text written so far (always valid UTF-8: only `str`s go in).
    pub(crate) fn as_str(&self) -> &str {
        core::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}

impl fmt::Write for TextBuf<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len.checked_add(s.len()).ok_or(fmt::Error)?;
        let dst = self.buf.get_mut(self.len..end).ok_or(fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}
