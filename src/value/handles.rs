//! The handles a run gives out for its tokens, groups, halting counters
//! and virtual clocks: keys into the run's slabs ([`super::slab`]).
//!
//! They live here, below everything that holds one (bindings' waiters,
//! call handles, closures' home scopes, timers, the trace), so that those
//! files need not import the scheduler (`runtime::engine`) that owns the
//! slabs.

use super::slab::Key;

pub type TokenRef = Key;
pub type GroupRef = Key;
pub type CounterRef = Key;
pub type ClockRef = Key;

/// No token.
pub(crate) const NO_TOKEN: TokenRef = Key::NONE;
