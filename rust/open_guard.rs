// SPDX-License-Identifier: GPL-2.0

//! The open guard (`Documentation/design.rst`, mechanism 15): a member may
//! not open for writing the root-only files that would switch l3ns off or
//! change the parent's stack (sysctls, tracing and debugfs files, module
//! parameters), whatever DAC says.

use crate::kernel_ext::file_open::{self, OpenFile};
use crate::policy::privilege::{member_may_open_for_write, open_kind, OpenKind, OpenedPath};
use crate::registry::State;
use crate::{caller, control};
use core::sync::atomic::Ordering;
use kernel::prelude::*;

/// The path of a file being opened, for the policy's classification.
struct Path<'a, 'b>(&'a OpenFile<'b>);

impl OpenedPath for Path<'_, '_> {
    fn depth(&self) -> usize {
        self.0.depth()
    }

    fn component(&self, depth: usize) -> Option<&[u8]> {
        self.0.component(depth)
    }

    fn is_own_file(&self) -> bool {
        let private = self.0.inode_private();
        control::START.is_private(private) || control::INFO.is_private(private)
    }
}

impl file_open::Handler for State {
    fn open_for_write(&self, file: &OpenFile<'_>) -> Result {
        self.file_open_check(open_kind(file.fs_magic(), &Path(file)))
    }
}

impl State {
    /// The current task opens a file of `kind` for writing.
    fn file_open_check(&self, kind: OpenKind) -> Result {
        if member_may_open_for_write(kind) {
            return Ok(());
        }
        let Some(index) = self.task_slot(caller::task()) else {
            return Ok(());
        };
        self.refused_opens.fetch_add(1, Ordering::Relaxed);
        let id = self.refused(index);
        if caller::log_ratelimit() {
            pr_info!(
                "open for writing of a {:?} file refused to pid {} in L3 namespace {} (EACCES)\n",
                kind,
                caller::pid(),
                id
            );
        }
        Err(EACCES)
    }
}
