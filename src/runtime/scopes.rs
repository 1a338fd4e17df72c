//! The entries of the run's tables of scopes: groups (the unit of
//! killing), halting counters and virtual clocks. What they mean and how
//! the run keeps them is told in [`super::groups`] and [`super::vclock`];
//! the entries live here, below the run ([`super::engine`]) that holds
//! their tables, so that the run's files do not import one another for
//! them.

use super::token::{Hot, Place};
use crate::value::env::FutureRef;
use crate::value::handles::{ClockRef, CounterRef, GroupRef, TokenRef};
use crate::value::site::{CallHandle, Site};
use crate::value::Value;
use smallvec::SmallVec;
use std::sync::Arc;

pub(crate) struct Group {
    /// The enclosing group's index in the slab ([`NO_PARENT`] for the
    /// root). A group is never freed while it has children (nor is the
    /// root while the run lives), so the index needs no generation to stay
    /// right, and the group 8 bytes less (64, one per trim or pruning).
    pub(crate) parent: u32,
    pub(crate) alive: bool,
    /// Most groups (the right side of a pruning) hold one token and no
    /// child, so both lists start inline.
    pub(crate) tokens: SmallVec<[TokenRef; 2]>,
    pub(crate) children: SmallVec<[GroupRef; 2]>,
    /// Position in the parent's child list (for O(1) removal).
    pub(crate) child_pos: u32,
    /// Otherwise counters that may still start a token in this group, and
    /// binders of calls made in it (see [`super::binder`]).
    pub(crate) pins: u32,
    /// Whether `site` declarations made in this group hold counters (in
    /// [`Run::site_holds`]): a site can be called for as long as its scope
    /// lives, so the scope does not halt; killing the group releases them.
    pub(crate) holds_sites: bool,
}

pub(crate) enum CounterKind {
    Root,
    /// `place.counter` is this counter's parent, where `g` will run:
    /// `start` is the token that runs it (a reader of the activation).
    Otherwise {
        published: bool,
        start: Hot,
        place: Place,
    },
    Pruning {
        future: FutureRef,
    },
    /// The body of one call of a `site` definition: when it halts, the
    /// waiting caller halts.
    SiteBody {
        caller: TokenRef,
        epoch: u32,
    },
}

pub(crate) struct Counter {
    pub(crate) parent: Option<CounterRef>,
    pub(crate) count: u32,
    pub(crate) kind: CounterKind,
}

/// The `parent` of the root group.
pub(crate) const NO_PARENT: u32 = u32::MAX;

/// A virtual clock: `Vclock(order) >> e` (see [`super::vclock`]).
pub(crate) struct VClock {
    pub(crate) parent: Option<ClockRef>,
    pub(crate) order: Arc<dyn Site>,
    pub(crate) now: Option<Value>,
    pub(crate) active: usize,
    pub(crate) live: usize,
    pub(crate) waiters: Vec<(Value, CallHandle)>,
}
