// SPDX-License-Identifier: GPL-2.0

//! The address table's storage interface and its read-side iterators
//! (`addrtable.rs` holds the table itself).

use super::addrtable::{AddrKey, Entry, Owner, EMPTY, TOMB};
use super::bindrule::Owned;

/// Where the table's entry array is kept (the kernel side: published under
/// RCU; host tests: on the heap).
pub trait EntryStore {
    /// Calls `f` with the current entries (none, or a power of two of at
    /// least `MIN_ENTRIES`) in a read-side section: the array stays valid
    /// until `f` returns. Any context; `f` must not sleep.
    fn read<R>(&self, f: impl FnOnce(&[Entry]) -> R) -> R;

    /// Writer only: makes `len` empty entries (none if 0), lets `fill`
    /// populate them, publishes them in place of the current ones and
    /// frees those once no reader can see them. `false` if memory is short
    /// (nothing changed). Process context.
    fn replace(&self, len: usize, fill: impl FnOnce(&[Entry])) -> bool;

    /// Bytes allocated for entries now.
    fn bytes(&self) -> usize;
}

/// Every owned address of an entry array with its assignment serial.
#[derive(Clone)]
pub struct AgedIter<'a>(core::slice::Iter<'a, Entry>);

impl<'a> AgedIter<'a> {
    /// Over the entries `e`.
    pub fn new(e: &'a [Entry]) -> Self {
        AgedIter(e.iter())
    }
}

impl Iterator for AgedIter<'_> {
    type Item = (AddrKey, Owner, u32);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.by_ref().find_map(|e| match e.read_all() {
            (EMPTY, _, _) | (TOMB, _, _) => None,
            (k, o, since) => Some((AddrKey::unpack(k), Owner::unpack(o), since)),
        })
    }
}

impl<'a> AgedIter<'a> {
    /// Only the addresses `slot` owns in netns `net`.
    pub fn owned_by(self, net: u32, slot: u16) -> OwnedBy<'a> {
        OwnedBy {
            it: self,
            net,
            slot,
        }
    }
}

/// The addresses one namespace owns in one L2 netns, with their serials.
#[derive(Clone)]
pub struct OwnedBy<'a> {
    it: AgedIter<'a>,
    net: u32,
    slot: u16,
}

impl Iterator for OwnedBy<'_> {
    type Item = (Owned, u32);

    fn next(&mut self) -> Option<Self::Item> {
        let (net, slot) = (self.net, self.slot);
        self.it.find_map(|(k, o, since)| {
            let owned = Owned {
                addr: k.addr,
                prefix_len: o.prefix_len,
            };
            (k.net == net && o.slot == slot).then_some((owned, since))
        })
    }
}
