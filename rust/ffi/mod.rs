// SPDX-License-Identifier: GPL-2.0

//! The glue between `kernel_ext` and the safe module code: identities of
//! kernel objects used as table keys ([`tags`]), the borrowed sockets the
//! state's checks take ([`steering`], [`ProbedSock`]), and the `Zeroable`
//! claims of the policy tables. (Named for what it was: the FFI layer to the
//! C shim, which is gone.)

pub(crate) mod steering;
pub(crate) mod tags;

pub(crate) use steering::BindSock;
pub(crate) use tags::SockId;

use crate::kernel_ext::chunks::OnceChunks;
use crate::kernel_ext::rcu_box::RcuBox;
use crate::kernel_ext::sock::Rcu;
use crate::kernel_ext::user_sock::UserSock;
use crate::policy::addrtable::{Entry, EntryStore};
use crate::policy::nstable::{Chunk, ChunkStore, CHUNKS};
use crate::policy::ports::{PortTable, Proto};
use core::sync::atomic::{AtomicUsize, Ordering};
use kernel::prelude::*;

/// The namespace table's chunks: allocated as namespaces are created,
/// freed at unload.
pub(crate) type NsChunks = OnceChunks<Chunk, CHUNKS>;

impl ChunkStore for NsChunks {
    fn chunk(&self, n: usize) -> Option<&Chunk> {
        self.get(n)
    }

    fn chunk_or_alloc(&self, n: usize) -> Option<&Chunk> {
        self.get_or_alloc(n)
    }

    fn bytes(&self) -> usize {
        OnceChunks::bytes(self)
    }
}

/// The namespace table over kernel chunks.
pub(crate) type NsTable = crate::policy::nstable::NsTable<NsChunks>;

// Its atomics at zero and an empty `NsChunks` are the empty table (documented on the type).
// SAFETY: the all-zero bit pattern is a valid `NsTable`.
unsafe impl pin_init::Zeroable for NsTable {}

// A `Chunk` consists only of atomics; all-zero is every slot free.
// SAFETY: the all-zero bit pattern is a valid `Chunk`.
unsafe impl pin_init::Zeroable for Chunk {}

/// The address table's entry array: published under RCU, replaced when
/// it grows or shrinks (vmalloc'ed when large).
pub(crate) struct AddrEntries {
    arr: RcuBox<KVVec<Entry>>,
    bytes: AtomicUsize,
}

// An empty `RcuBox` and a count of 0 are "no array".
// SAFETY: the all-zero bit pattern is a valid `AddrEntries`.
unsafe impl pin_init::Zeroable for AddrEntries {}

impl EntryStore for AddrEntries {
    fn read<R>(&self, f: impl FnOnce(&[Entry]) -> R) -> R {
        self.arr.with(|v| f(v.map_or(&[][..], |v| v.as_slice())))
    }

    fn replace(&self, len: usize, fill: impl FnOnce(&[Entry])) -> bool {
        if len == 0 {
            self.arr.replace(None);
            self.bytes.store(0, Ordering::Relaxed);
            return true;
        }
        let Ok(mut v) = KVVec::with_capacity(len, GFP_KERNEL) else {
            return false;
        };
        for _ in 0..len {
            if v.push(Entry::new(), GFP_KERNEL).is_err() {
                return false;
            }
        }
        fill(&v);
        let Ok(b) = KBox::new(v, GFP_KERNEL) else {
            return false;
        };
        self.arr.replace(Some(b));
        let bytes = len.saturating_mul(core::mem::size_of::<Entry>());
        self.bytes.store(bytes, Ordering::Relaxed);
        true
    }

    fn bytes(&self) -> usize {
        self.bytes.load(Ordering::Relaxed)
    }
}

/// The address table over its RCU-published array.
pub(crate) type AddrTable = crate::policy::addrtable::AddrTable<AddrEntries>;

// Its counters at zero and an empty `AddrEntries` are the empty table.
// SAFETY: the all-zero bit pattern is a valid `AddrTable`.
unsafe impl pin_init::Zeroable for AddrTable {}

// `PortTable` consists only of atomics; all-zero is the empty table (every hidden port free).
// SAFETY: the all-zero bit pattern is a valid `PortTable`.
unsafe impl pin_init::Zeroable for PortTable {}

// `NetCounters` consists only of atomics; all-zero is both counters at 0.
// SAFETY: the all-zero bit pattern is a valid `NetCounters`.
unsafe impl pin_init::Zeroable for crate::hooks::NetCounters {}

/// Identity of a task: its `task_struct` address, used only as a key and
/// never dereferenced on the Rust side.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct TaskId(pub(super) usize);

impl TaskId {
    /// The identity of `task` (its address; never dereferenced here).
    pub(crate) fn of(task: &kernel::task::Task) -> Self {
        TaskId(task.as_ptr() as usize)
    }

    /// Its address, as a tag key.
    pub(crate) fn key(self) -> usize {
        self.0
    }
}

/// Hooked calls skipped by ftrace's recursion guard (module-wide).
pub(crate) fn probes_missed() -> u64 {
    crate::kernel_ext::ftrace::missed()
}

/// The socket a connect/sendmsg hook call is about.
///
/// # Invariants
///
/// Borrowed for `'a`, the duration of that hook call, so the socket is
/// never looked at after it: nothing here takes a free-standing
/// [`tags::SockId`], which could name a freed socket.
pub(crate) struct ProbedSock<'a> {
    sk: &'a crate::kernel_ext::sock::Sock,
}

impl<'a> From<&UserSock<'a>> for ProbedSock<'a> {
    fn from(sk: &UserSock<'a>) -> Self {
        ProbedSock { sk: sk.sock() }
    }
}

impl ProbedSock<'_> {
    /// Its identity (for the tag tables).
    pub(crate) fn id(&self) -> tags::SockId {
        tags::SockId::of(self.sk)
    }

    /// The socket.
    fn sock(&self) -> &crate::kernel_ext::sock::Sock {
        self.sk
    }

    /// Whether a socket of this one's protocol (TCP or UDP) is bound to
    /// `addr:port` (host byte order) in its netns.
    pub(crate) fn listener_exists(&self, addr: u32, port: u16) -> bool {
        let sk = self.sock();
        let rcu = kernel::sync::rcu::read_lock();
        sk.listener_bound(Rcu::held(&rcu), addr, port)
    }

    /// Its transport protocol, if TCP or UDP.
    pub(crate) fn proto(&self) -> Option<Proto> {
        self.sock().l4().map(crate::hooks::proto_of)
    }
}

/// Error display for log lines.
pub(crate) mod errno {
    use kernel::error::Error;

    /// Displays an error by name (`ENOSPC`), or by number if unnamed.
    pub(crate) struct Name(pub(crate) Error);

    impl kernel::fmt::Display for Name {
        fn fmt(&self, f: &mut kernel::fmt::Formatter<'_>) -> kernel::fmt::Result {
            match self.0.name().and_then(|name| name.to_str().ok()) {
                Some(name) => f.write_str(name),
                None => write!(f, "errno {}", -self.0.to_errno()),
            }
        }
    }
}
