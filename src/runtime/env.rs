//! Variable bindings: environments and futures.
//!
//! An environment is a persistent linked list, so forked tokens share their
//! common prefix. A binding is either a value or a [`Future`]: the pending
//! result of the right side of a pruning combinator (`f <x< g`), which is
//! bound to `g`'s first publication or *halted* if `g` halts silently.

use super::code::Slot;
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

struct Node {
    binding: Binding,
    next: Env,
}

/// A persistent stack of bindings; Local(0) is the top.
#[derive(Clone, Default)]
pub struct Env(Option<Arc<Node>>);

impl Env {
    pub fn push(&self, binding: Binding) -> Env {
        Env(Some(Arc::new(Node {
            binding,
            next: self.clone(),
        })))
    }

    pub fn push_value(&self, v: Value) -> Env {
        self.push(Binding::Value(v))
    }

    pub fn get(&self, index: u32) -> Option<&Binding> {
        let mut node = self.0.as_ref()?;
        for _ in 0..index {
            node = node.next.0.as_ref()?;
        }
        Some(&node.binding)
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        // Long environments (deep recursion) are unlinked iteratively.
        let mut next = self.0.take();
        while let Some(node) = next {
            match Arc::try_unwrap(node) {
                Ok(mut node) => next = node.next.0.take(),
                Err(_) => break,
            }
        }
    }
}

/// Looks up a slot given the local environment and the current closure.
pub fn lookup(
    slot: Slot,
    env: &Env,
    ctx: Option<&Arc<super::closure::Instance>>,
) -> Option<Binding> {
    match slot {
        Slot::Local(i) => env.get(i).cloned(),
        Slot::Capture(i) => ctx.and_then(|c| c.captured.get(i as usize).cloned()),
        Slot::Sibling(i) => {
            ctx.map(|c| Binding::Value(Value::Closure(super::closure::Closure::new(c.clone(), i))))
        }
    }
}
