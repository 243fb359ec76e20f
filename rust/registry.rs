// SPDX-License-Identifier: GPL-2.0

//! The module's state: the L3 namespace table, its writer lock, and the
//! membership rules built on the task tags.
//!
//! Lock-free paths (fork/free probes, netfilter hooks) only touch the
//! table's atomics and the tag table. Creating and reaping namespaces take
//! `writer`, in process context only.

use crate::caller;
use crate::ffi::{AddrTable, NsTable};
use crate::ffi::{SockId, TaskId};
use crate::hooks::NetCounters;
use crate::kernel_ext::netfilter::NetDataId;
use crate::kernel_ext::task_events::{self, NewTask};
use crate::policy::nstable::{NsView, SlotSet, TableError, Writer};
use crate::policy::ports::{PortTable, Reserver};
use crate::reaper::Reaper;
use crate::tags::{self, PortTags, SockTags, TaskTags};
use core::sync::atomic::AtomicU64;
use kernel::prelude::*;
use kernel::sync::lock::{mutex::MutexBackend, Guard};
use kernel::sync::Mutex;
use kernel::sync::SpinLock;
use kernel::task::Task;
use kernel::{new_mutex, new_spinlock};

/// Everything the hooks and handlers share. Lives in an `Arc` held by the
/// module and by every registration.
#[pin_data(PinnedDrop)]
pub(crate) struct State {
    /// The live L3 namespaces.
    pub(crate) table: NsTable,
    /// Which namespace owns which address.
    pub(crate) addrs: AddrTable,
    /// Hidden ports standing for the namespaces' wildcard binds (48 KiB:
    /// its own, possibly vmalloc'ed, allocation rather than a high-order
    /// piece of the state's).
    pub(crate) ports: KVBox<PortTable>,
    /// Packets dropped at LOCAL_OUT: a source the socket may not use.
    pub(crate) dropped_local_out: AtomicU64,
    /// Deliveries refused: a packet for another namespace's address.
    pub(crate) dropped_delivery: AtomicU64,
    /// Packets LOCAL_IN assigned to a namespace's socket.
    pub(crate) steered: AtomicU64,
    /// Packets LOCAL_IN rejected (RST / port unreachable).
    pub(crate) rejected: AtomicU64,
    /// Opens for writing the open guard refused to members.
    pub(crate) refused_opens: AtomicU64,
    /// Where the kernel keeps each network namespace's packet counters.
    pub(crate) net_counters: NetDataId<NetCounters>,
    /// Serializes creating and reaping namespaces.
    #[pin]
    writer: Mutex<()>,
    /// Serializes hidden-port reservations (bind, process context; never
    /// taken in softirq: releases are lock-free).
    #[pin]
    reserver: SpinLock<()>,
}

/// Set in a socket tag once userspace has closed the socket: it no longer
/// keeps its namespace alive, but (an orphaned TCP connection finishing)
/// still sends as the namespace's until it is freed or the namespace ends.
pub(crate) const CLOSED: u32 = 0x8000_0000;

/// The tag a task or socket of slot `index` carries.
pub(crate) fn tag_of(index: usize) -> Option<u32> {
    u32::try_from(index).ok()?.checked_add(1)
}

/// The slot a tag names (the `CLOSED` bit aside).
pub(crate) fn index_of(tag: u32) -> Option<usize> {
    usize::try_from((tag & !CLOSED).checked_sub(1)?).ok()
}

impl State {
    /// An empty state admitting `max_namespaces` live namespaces and
    /// `max_addrs` owned addresses.
    pub(crate) fn new(
        max_namespaces: usize,
        max_addrs: usize,
    ) -> Result<impl PinInit<Self, Error>> {
        let ports = KVBox::init(pin_init::zeroed::<PortTable>(), GFP_KERNEL)?;
        Ok(try_pin_init!(State {
            table <- pin_init::zeroed::<NsTable>(),
            addrs <- pin_init::zeroed::<AddrTable>(),
            ports,
            dropped_local_out: AtomicU64::new(0),
            dropped_delivery: AtomicU64::new(0),
            steered: AtomicU64::new(0),
            rejected: AtomicU64::new(0),
            refused_opens: AtomicU64::new(0),
            net_counters: NetDataId::new(),
            writer <- new_mutex!(()),
            reserver <- new_spinlock!(()),
        })
        .pin_chain(move |s| {
            s.table.set_limit(max_namespaces);
            s.addrs.set_limit(max_addrs);
            Ok(())
        }))
    }

    /// Bytes allocated for the module's tables now (`info`'s
    /// `memory_bytes`): namespace chunks, the address array, the
    /// hidden-port table.
    pub(crate) fn memory_bytes(&self) -> usize {
        self.table
            .bytes()
            .saturating_add(self.addrs.bytes())
            .saturating_add(core::mem::size_of::<PortTable>())
    }

    pub(crate) fn lock(&self) -> (Guard<'_, (), MutexBackend>, Writer) {
        let guard = self.writer.lock();
        // INVARIANT: the `Writer` token lives no longer than the guard it is
        // returned with, so table writers are serialized by `writer`.
        (guard, Writer::assume_locked())
    }

    /// Runs `f` holding the reservation lock, with its token.
    pub(crate) fn with_reserver<R>(&self, f: impl FnOnce(&Reserver) -> R) -> R {
        let _guard = self.reserver.lock();
        // INVARIANT: the token does not outlive `_guard`, so reservations
        // are serialized by `reserver`.
        f(&Reserver::assume_locked())
    }

    /// The L3 namespace `task` belongs to.
    pub(crate) fn ns_of(&self, task: TaskId) -> Option<NsView> {
        self.table.view(index_of(TaskTags::get(task)?)?)
    }

    /// The slot of the live L3 namespace `task` belongs to.
    pub(crate) fn task_slot(&self, task: TaskId) -> Option<usize> {
        self.live_slot_of(TaskTags::get(task))
    }

    /// The slot of the live L3 namespace socket `sk` belongs to. A socket
    /// of an ended namespace (an orphan finishing) is the parent's, like the
    /// addresses it uses.
    pub(crate) fn sock_slot(&self, sk: SockId) -> Option<usize> {
        self.live_slot_of(SockTags::get(sk))
    }

    /// The slot `tag` names, if that namespace is live.
    fn live_slot_of(&self, tag: Option<u32>) -> Option<usize> {
        tag.and_then(index_of).filter(|&i| self.table.is_live(i))
    }

    /// Creates an L3 namespace under the L2 namespace `parent_net` and makes
    /// `task` its first member.
    pub(crate) fn create(&self, task: TaskId, parent_net: u32) -> Result<NsView> {
        let (_guard, w) = self.lock();
        // Ended namespaces give their slots back first.
        self.reap_locked(&w);
        let ns = self.table.create(&w, parent_net).map_err(|e| match e {
            TableError::Full | TableError::IdsExhausted => ENOSPC,
        })?;
        let tagged = tag_of(ns.index)
            .ok_or(EINVAL)
            .and_then(|tag| TaskTags::set(task, tag));
        if let Err(e) = tagged {
            self.table.member_put(ns.index);
            // Through the full reap: a namespace that ended meanwhile on
            // another CPU must get its addresses returned and tags purged.
            self.reap_locked(&w);
            return Err(e);
        }
        Ok(ns)
    }

    /// `task` (not a member) joins `ns` (checked by the caller).
    pub(crate) fn join(&self, task: TaskId, ns: &NsView, tag: u32) -> Result {
        let (_guard, _w) = self.lock();
        if self.table.view(ns.index).map(|v| v.id) != Some(ns.id) {
            return Err(ENOENT);
        }
        self.add_member(ns.index, task, tag)
    }

    /// Makes `task` a member of slot `index` under `tag`: `ENOENT` if the
    /// namespace is dissolved, else the tag table's error with the member
    /// count rolled back.
    fn add_member(&self, index: usize, task: TaskId, tag: u32) -> Result {
        if !self.table.member_get(index) {
            return Err(ENOENT);
        }
        TaskTags::set(task, tag).inspect_err(|_| {
            if self.table.member_put(index) {
                Reaper::kick();
            }
        })
    }

    /// Counts a refused operation against slot `index` and returns the
    /// namespace's id, for the log line.
    pub(crate) fn refused(&self, index: usize) -> u32 {
        self.table.count_refusal(index);
        self.table.view(index).map_or(0, |v| v.id)
    }

    /// A member forked: the child joins its parent's namespace before it
    /// runs, or is killed if it cannot be tagged (fail closed). If the
    /// namespace is already dissolved (module unload in progress), the
    /// child simply stays untagged, like every task after unload.
    pub(crate) fn task_fork(&self, parent: TaskId, child: &NewTask<'_>) {
        let Some(tag) = TaskTags::get(parent) else {
            return;
        };
        let Some(index) = index_of(tag) else { return };
        match self.add_member(index, TaskId::of(child.task()), tag) {
            Ok(()) => {}
            Err(e) if e == ENOENT => {}
            Err(e) => {
                self.refused(index);
                child.kill();
                if caller::log_ratelimit() {
                    pr_warn!(
                        "could not tag a new member task ({}); killed it\n",
                        tags::failure_reason(e)
                    );
                }
            }
        }
    }

    /// A task exits (`do_exit()`, before its files are closed and before
    /// its parent can reap it): it is no longer a member. If it was the
    /// last member and no socket is open, the namespace ends here.
    pub(crate) fn task_exit(&self, task: TaskId) {
        let Some(index) = TaskTags::del(task).and_then(index_of) else {
            return;
        };
        if self.table.member_put(index) {
            Reaper::kick();
        }
    }

    /// A task completed an `execve()`: a member's namespace is sealed from
    /// now on (the patch's workflow takes its addresses before it execs the
    /// server; the server cannot take more).
    pub(crate) fn task_exec(&self, task: TaskId) {
        let Some(index) = self.task_slot(task) else {
            return;
        };
        if self.table.seal(index) && caller::log_ratelimit() {
            if let Some(ns) = self.table.view(index) {
                pr_info!(
                    "L3 namespace {} sealed at the first execve() of a member (pid {})\n",
                    ns.id,
                    caller::pid()
                );
            }
        }
    }

    /// A task is freed. Its tag went at exit; this only catches a task
    /// that was somehow tagged after it.
    pub(crate) fn task_free(&self, task: TaskId) {
        self.task_exit(task);
    }

    /// Reaps ended namespaces, then tells whether none is left (the work
    /// item queued when one ends; the hooks may be disarmed, mechanism 19).
    pub(crate) fn is_idle(&self) -> bool {
        let (_guard, w) = self.lock();
        self.reap_locked(&w);
        !self.table.any_live()
    }

    /// Reaps ended namespaces, the state mutex held: each one's addresses
    /// go back to the parent and the tags naming its slot are purged.
    /// Every writer that needs the addresses free (create, take, push)
    /// calls this first, so an ended namespace's addresses are free the
    /// moment it ended, whether or not the work item has run yet.
    pub(crate) fn reap_locked(&self, w: &Writer) {
        let mut ended = SlotSet::new();
        self.table.reap_ended(w, |ns| {
            self.release_addrs(w, &ns, "no members or open sockets left");
            ended.insert(ns.index);
        });
        self.purge_tags(&ended);
    }

    /// Removes every task and socket tag naming a slot of `slots` (and the
    /// hidden ports of those sockets), so the slots can be reused: one walk
    /// of the tag tables for all of them. Called with the state mutex held
    /// (no slot of `slots` is reused before this returns).
    fn purge_tags(&self, slots: &SlotSet) {
        if slots.is_empty() {
            return;
        }
        let named = |tag: u32| index_of(tag).is_some_and(|i| slots.contains(i));
        TaskTags::purge_where(named, |_| {});
        SockTags::purge_where(named, |port| {
            if let Ok(hidden) = u16::try_from(port) {
                if hidden != 0 {
                    self.ports.release(hidden);
                }
            }
        });
    }

    /// The L2 namespace `net_inum` is being destroyed: its children go too.
    pub(crate) fn net_exit(&self, net_inum: u32) {
        let (_guard, w) = self.lock();
        let mut gone = SlotSet::new();
        self.table.reap_children(&w, Some(net_inum), |ns| {
            self.release_addrs(&w, &ns, "its parent net_ns exited");
            gone.insert(ns.index);
        });
        self.purge_tags(&gone);
        self.forget_net_addrs(&w, net_inum);
        // The last namespace may have gone: the reaper disarms (never here,
        // under `pernet_ops_rwsem`).
        Reaper::kick();
    }
}

/// Membership follows the process lifetime events (mechanism 1).
impl task_events::Handler for State {
    fn fork(&self, parent: &Task, child: &NewTask<'_>) {
        self.task_fork(TaskId::of(parent), child);
    }

    fn exit(&self, task: &Task) {
        self.task_exit(TaskId::of(task));
    }

    fn free(&self, task: &Task) {
        self.task_free(TaskId::of(task));
    }

    fn exec(&self, task: &Task) {
        self.task_exec(TaskId::of(task));
    }
}

#[pinned_drop]
impl PinnedDrop for State {
    fn drop(self: Pin<&mut Self>) {
        // Every registration is gone (they hold `Arc`s to us) and the tag
        // tables were emptied (`TagTables` drops first).
        let w = Writer::assume_locked();
        let mut n = 0;
        self.table.reap_children(&w, None, |ns| {
            n += 1;
            pr_info!(
                "unload: L3 namespace {} dissolved ({} members, {} sockets)\n",
                ns.id,
                ns.members,
                ns.sockets
            );
            self.release_addrs(&w, &ns, "module unload");
        });
        pr_info!(
            "unloaded: {} namespaces dissolved, {} task tags, {} socket tags, {} port tags, {} addresses, {} namespaces left\n",
            n,
            TaskTags::count(),
            SockTags::count(),
            PortTags::count(),
            self.addrs.len(),
            self.table.live()
        );
    }
}
