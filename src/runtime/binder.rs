//! Timers that bind a pruning's future with no token waiting on them.
//!
//! In `f <x< Rwait(d)` (the argument of `timeout(Rwait(d), t)`) the right
//! side is one site call that answers with a signal when its timer fires,
//! and all that answer does is bind `x` and halt. A token kept waiting
//! for it would cost a token (112 bytes of slab), a spawn for the left side and a
//! turn when it fires. Instead the call's token goes on with the left side
//! at once, and the timer fires a [`Binder`]: the future to bind and the
//! halting counter the call still counts in (so a `;` around the pruning,
//! or the end of the run, waits for it as it would for the token).
//!
//! A binder belongs to its call's group as the token did: killing the
//! group kills it (its timer cancelled, its future halted), and the group
//! is not freed while it has one (a *pin*, as an `f ; g` waiting to start
//! `g` there holds). The root group, only ever killed whole, keeps no list
//! of its binders; the others' are in [`Run::group_binders`]. Not in a
//! virtual clock's scope, whose quiescence counts tokens: there the token
//! stays as before.
//!
//! [`Run::group_binders`]: super::engine::Run::group_binders

use crate::value::env::FutureRef;
use crate::value::handles::TokenRef;
use crate::value::slab::Key;

/// What a timer fires: a token, at the epoch of the wait it was set in,
/// or a binder. 12 bytes, with the key's niche for the wheel's `Option`,
/// so a wheel entry stays 32 bytes: a binder is told apart by an epoch no
/// token wait ever has ([`next_epoch`] skips it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Wake {
    key: Key,
    epoch: u32,
}

/// The epoch that marks a [`Wake`] of a binder.
const BINDER: u32 = u32::MAX;

/// What a [`Wake`] is for.
pub(crate) enum Target {
    Token(TokenRef, u32),
    Binder(BinderRef),
}

pub(crate) type BinderRef = Key;

impl Wake {
    pub(crate) fn token(t: TokenRef, epoch: u32) -> Wake {
        debug_assert_ne!(epoch, BINDER, "token epochs skip the binder mark");
        Wake { key: t, epoch }
    }

    pub(crate) fn binder(b: BinderRef) -> Wake {
        Wake {
            key: b,
            epoch: BINDER,
        }
    }

    pub(crate) fn target(self) -> Target {
        if self.epoch == BINDER {
            Target::Binder(self.key)
        } else {
            Target::Token(self.key, self.epoch)
        }
    }
}

/// The epoch after `epoch` for a token's next wait (never the binder mark).
pub(crate) fn next_epoch(epoch: u32) -> u32 {
    match epoch.wrapping_add(1) {
        BINDER => 0,
        e => e,
    }
}

/// A pruned call's answer yet to come, held by a timer.
pub(crate) struct Binder {
    pub(crate) future: FutureRef,
    /// The slab indices of the counter the call counts in as a live
    /// member, as its token did, and of its group, which it pins (bare
    /// indices, as a token's: neither is freed while the binder lives).
    pub(crate) counter: u32,
    pub(crate) group: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::num::NonZeroU32;

    #[test]
    fn wakes_tell_tokens_from_binders() {
        let k = Key {
            index: 7,
            gen: NonZeroU32::MIN,
        };
        assert!(matches!(Wake::token(k, 3).target(), Target::Token(t, 3) if t == k));
        assert!(matches!(Wake::binder(k).target(), Target::Binder(b) if b == k));
        assert_eq!(std::mem::size_of::<Option<Wake>>(), 12);
        assert_eq!(std::mem::size_of::<Option<Binder>>(), 16);
    }

    #[test]
    fn token_epochs_never_mark_a_binder() {
        assert_eq!(next_epoch(BINDER - 1), 0);
        assert_eq!(next_epoch(0), 1);
        assert_eq!(next_epoch(BINDER), 0);
    }
}
