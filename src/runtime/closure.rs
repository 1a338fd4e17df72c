//! Closures: a definition together with the bindings it captured.
//!
//! A `def` group (mutually recursive definitions declared together) becomes
//! one [`Instance`] holding the captured bindings; each definition's closure
//! is that instance plus an index. Siblings reach each other through the
//! instance, so recursion creates no reference cycle.

use super::code::{DefCode, DefGroup};
use super::env::{Binding, Future};
use std::sync::Arc;

pub struct Instance {
    pub group: Arc<DefGroup>,
    pub captured: Box<[Binding]>,
    /// For groups with `site` definitions: the group and counter of the
    /// declaring scope, where the sites' bodies run.
    pub home: Option<(super::engine::GroupRef, super::engine::CounterRef)>,
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

    /// Captured futures still pending. A closure becomes a value only once
    /// its free variables are resolved (bound or halted), as in the reference.
    pub fn pending_captures(&self) -> impl Iterator<Item = &Arc<Future>> {
        self.instance.captured.iter().filter_map(|b| match b {
            Binding::Future(f) if f.is_pending() => Some(f),
            _ => None,
        })
    }
}
