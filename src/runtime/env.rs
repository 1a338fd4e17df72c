//! Variable bindings and futures.
//!
//! A binding (in a slot of an activation record, see [`super::act`], or
//! captured by a closure) is either a value or a [`Future`]: the pending
//! result of the right side of a pruning combinator (`f <x< g`), which is
//! bound to `g`'s first publication or *halted* if `g` halts silently.

use crate::value::Value;
use smallvec::SmallVec;
use std::sync::{Arc, Mutex, OnceLock};

#[derive(Clone)]
pub enum Binding {
    Value(Value),
    Future(Arc<Future>),
}

/// What a token waiting on futures is woken with: its id and the epoch of
/// the wait, so a stale registration (the token moved on) is ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Waiter {
    pub token: super::engine::TokenRef,
    pub epoch: u32,
}

/// A single-assignment cell.
#[derive(Default)]
pub struct Future {
    /// `Some(v)` bound, `None` halted; unset while pending.
    state: OnceLock<Option<Value>>,
    /// Usually one reader waits (the left side of the pruning), so the
    /// list lives inline.
    waiters: Mutex<Waiters>,
}

/// Tokens waiting for a future.
pub type Waiters = SmallVec<[Waiter; 2]>;

/// The state of a binding as seen by a reader.
pub enum Read<'a> {
    Ready(&'a Value),
    Pending(&'a Arc<Future>),
    Halted,
}

impl Future {
    pub fn new() -> Arc<Future> {
        Arc::new(Future::default())
    }

    pub fn get(&self) -> Option<&Option<Value>> {
        self.state.get()
    }

    pub fn is_pending(&self) -> bool {
        self.state.get().is_none()
    }

    pub fn add_waiter(&self, w: Waiter) {
        self.waiters
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(w);
    }

    /// Resolves the cell (bound with `Some`, halted with `None`) and returns
    /// the waiters to wake; empty if it was already resolved.
    pub fn resolve(&self, v: Option<Value>) -> Waiters {
        if self.state.set(v).is_err() {
            return Waiters::new();
        }
        std::mem::take(&mut *self.waiters.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl Binding {
    pub fn read(&self) -> Read<'_> {
        match self {
            Binding::Value(v) => Read::Ready(v),
            Binding::Future(f) => match f.get() {
                Some(Some(v)) => Read::Ready(v),
                Some(None) => Read::Halted,
                None => Read::Pending(f),
            },
        }
    }
}
