// SPDX-License-Identifier: GPL-2.0

//! KUnit of [`super`] (`kunit_cases::netfilter_abstraction`).

use super::{bindings, Handler, HookState, Net, NetDataId, Registration, Skb, Verdict};
use kernel::error::{code::EBUSY, Result};
use kernel::prelude::*;
use kernel::sync::Arc;
/// KUnit (the module's own hooks are not armed: no namespace exists): an
/// unregistered id has no data, a registered one has, a second
/// registration is refused, the data goes with the registration, and a
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
    let first = Registration::register(idle.clone(), [])?;
    if idle.0.with_current(|_| ()).is_none() {
        return Err(EINVAL);
    }
    let other = Arc::new(Idle(NetDataId::new()), GFP_KERNEL)?;
    match Registration::register(other, []) {
        Err(e) if e == EBUSY => {}
        _ => return Err(EINVAL),
    }
    drop(first);
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
