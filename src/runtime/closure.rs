//! Closures: a definition together with the bindings it captured.
//!
//! A `def` group (mutually recursive definitions declared together) becomes
//! one [`Instance`] holding the captured bindings; each definition's closure
//! is that instance plus an index. Siblings reach each other through the
//! instance, so recursion creates no reference cycle.

use super::code::{DefCode, DefGroup};
use super::env::{Binding, FutureRef};
use crate::value::Value;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

pub struct Instance {
    pub group: Arc<DefGroup>,
    pub captured: Box<[Binding]>,
    /// For groups with `site` definitions: the group and counter of the
    /// declaring scope, where the sites' bodies run.
    pub home: Option<(super::engine::GroupRef, super::engine::CounterRef)>,
    /// Every captured future has resolved (they never become pending
    /// again): calls need not look at the captures any more.
    settled: AtomicBool,
}

impl Instance {
    /// Whether a call of one of its definitions is known not to wait for
    /// a capture (see [`Closure::has_pending_captures`]).
    #[inline(always)]
    pub(crate) fn settled(&self) -> bool {
        self.settled.load(Ordering::Relaxed)
    }

    pub fn new(
        group: Arc<DefGroup>,
        captured: Box<[Binding]>,
        home: Option<(super::engine::GroupRef, super::engine::CounterRef)>,
    ) -> Instance {
        Instance {
            group,
            captured,
            home,
            settled: AtomicBool::new(false),
        }
    }
}

#[derive(Clone)]
pub struct Closure {
    pub instance: Arc<Instance>,
    pub index: u32,
}

impl Closure {
    pub fn new(instance: Arc<Instance>, index: u32) -> Closure {
        Closure { instance, index }
    }

    pub fn def(&self) -> &DefCode {
        &self.instance.group.defs[self.index as usize]
    }

    pub fn same(&self, other: &Closure) -> bool {
        Arc::ptr_eq(&self.instance, &other.instance) && self.index == other.index
    }

    pub fn describe(&self) -> String {
        format!("<closure {}>", self.def().name)
    }

    /// Whether any captured future is still pending ([`Self::pending_captures`]
    /// is not empty), without collecting them.
    #[inline]
    pub fn has_pending_captures(&self) -> bool {
        if self.instance.settled() {
            return false;
        }
        let quiet = self.instance.captured.iter().all(|b| match b {
            Binding::Future(f) => !f.is_pending(),
            Binding::Value(Value::Closure(c)) => !c.def().lenient,
            Binding::Value(_) => true,
        });
        // Captured class layers need the full walk.
        let pending = !quiet && !self.pending_captures().is_empty();
        if !pending {
            self.instance.settled.store(true, Ordering::Relaxed);
        }
        pending
    }

    /// Captured futures still pending. A closure becomes a value only once
    /// its free variables are resolved (bound or halted), as in the reference.
    /// A captured class layer counts with its own captures: instantiating a
    /// class needs the variables the class refers to (its layer itself is
    /// called leniently by `new`).
    pub fn pending_captures(&self) -> Vec<FutureRef> {
        let mut out = Vec::new();
        // Layers met on the way (rare: only closures that instantiate
        // classes capture any), so nothing is allocated in the common case.
        let mut layers: Vec<&Arc<Instance>> = Vec::new();
        let mut next = Some(&self.instance);
        let mut i = 0;
        while let Some(instance) = next {
            for b in instance.captured.iter() {
                match b {
                    Binding::Future(f) if f.is_pending() => out.push(f.clone()),
                    Binding::Value(Value::Closure(c))
                        if c.def().lenient
                            && !layers.iter().any(|l| Arc::ptr_eq(l, &c.instance)) =>
                    {
                        layers.push(&c.instance)
                    }
                    _ => {}
                }
            }
            next = layers.get(i).copied();
            i += 1;
        }
        out
    }
}
