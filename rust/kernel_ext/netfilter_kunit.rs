// SPDX-License-Identifier: GPL-2.0

//! KUnit of [`super`] (`kunit_cases::netfilter_abstraction`).

use super::{bindings, Handler, HookState, Net, NetDataId, Registration, Skb, Verdict};
use kernel::error::{code::EBUSY, Result};
use kernel::prelude::*;
use kernel::sync::Arc;
/// KUnit (run once the module is loaded, its own registration live): an
/// unregistered id has no data, a second registration is refused, and a
/// namespace's inode number is read through bindgen's `struct net`.
pub(crate) fn self_test() -> Result {
    use kernel::error::code::EINVAL;

    struct Idle(NetDataId<u64>);
    impl Handler for Idle {
        type NetData = u64;
        fn net_data_id(&self) -> &NetDataId<u64> {
            &self.0
        }
        fn hook(&self, _: &Skb, _: &HookState, _: &u64) -> Verdict {
            Verdict::Accept
        }
        fn net_exit(&self, _: &Net) {}
    }
    let idle = Arc::new(Idle(NetDataId::new()), GFP_KERNEL)?;
    if idle.0.with_current(|_| ()).is_some() {
        return Err(EINVAL);
    }
    match Registration::register(idle.clone(), []) {
        Err(e) if e == EBUSY => {}
        _ => return Err(EINVAL),
    }
    // SAFETY: `init_net` is always alive.
    let (net, inum) = unsafe {
        let p = &raw const bindings::init_net;
        (Net::from_raw(p), (*p).ns.inum)
    };
    if net.inum() != inum || idle.0.with_current(|_| ()).is_some() {
        return Err(EINVAL);
    }
    Ok(())
}
