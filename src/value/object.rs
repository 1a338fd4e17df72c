//! Objects: what `new` publishes.
//!
//! An object is a stack of *layers*, one per class of its linearization,
//! most derived first. Each layer is the table of members its class defines:
//! a `val` member is the future of its computation (bound to the first
//! publication, halted if the computation halts or is killed), a `def`
//! member is a closure. The object exists (and is published) before any
//! member is computed; each layer's code installs its table once, and member
//! lookups wait until every layer is installed, since a later layer may
//! override what an earlier one defines.
//!
//! A value is a *view* of an object: `this` sees every layer, the `super` of
//! layer `k` sees only the layers after `k`.

use crate::runtime::env::{Binding, FutureRef, Read};
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

pub struct Object {
    layers: Box<[OnceLock<Layer>]>,
    /// Layers still to install.
    missing: AtomicUsize,
    /// Resolved (with `signal`) once every layer is installed.
    complete: FutureRef,
}

/// The members one class contributes.
pub struct Layer {
    pub members: Box<[(Arc<str>, Binding)]>,
}

/// An object seen from layer `from` on: `this` is the view from 0.
#[derive(Clone)]
pub struct ObjectRef {
    pub object: Arc<Object>,
    pub from: usize,
}

/// The result of looking a member up.
pub enum Member {
    Found(Binding),
    /// No layer of the view defines it.
    Missing,
    /// Some layer is not installed yet: wait for this future and retry.
    Building(FutureRef),
}

impl Object {
    /// A new object with `layers` empty layers; publish it as
    /// `ObjectRef::this`.
    pub fn new(layers: usize) -> Arc<Object> {
        OBJECTS_MADE.with(|n| n.set(n.get() + 1));
        let complete = FutureRef::pending();
        if layers == 0 {
            complete.resolve(Some(crate::value::Value::Signal));
        }
        Arc::new(Object {
            layers: (0..layers).map(|_| OnceLock::new()).collect(),
            missing: AtomicUsize::new(layers),
            complete,
        })
    }

    pub fn layer_count(&self) -> usize {
        self.layers.len()
    }

    /// Installs layer `index`. Returns the future to resolve if this was the
    /// last layer missing (the caller wakes its waiters).
    pub fn install(&self, index: usize, layer: Layer) -> Result<Option<FutureRef>, String> {
        let slot = self
            .layers
            .get(index)
            .ok_or_else(|| format!("object layer {index} out of range"))?;
        slot.set(layer)
            .map_err(|_| format!("object layer {index} installed twice"))?;
        if self.missing.fetch_sub(1, Ordering::AcqRel) == 1 {
            Ok(Some(self.complete.clone()))
        } else {
            Ok(None)
        }
    }
}

thread_local! {
    static OBJECTS_MADE: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Objects made on this thread so far. An object whose methods refer to
/// its members holds itself through them (object → method closure →
/// `this`), a cycle that reference counting never frees: the leak checks
/// of the tests and the fuzzer only count runs that made no object.
pub fn objects_made() -> usize {
    OBJECTS_MADE.with(|n| n.get())
}

impl ObjectRef {
    pub fn this(object: Arc<Object>) -> ObjectRef {
        ObjectRef { object, from: 0 }
    }

    /// What `super` means in layer `layer`: the layers after it.
    pub fn super_of(&self, layer: usize) -> ObjectRef {
        ObjectRef {
            object: self.object.clone(),
            from: layer + 1,
        }
    }

    /// The member `name` as the first layer of the view that defines it.
    pub fn member(&self, name: &str) -> Member {
        if self.object.complete.is_pending() {
            return Member::Building(self.object.complete.clone());
        }
        for layer in self.object.layers.iter().skip(self.from) {
            let Some(layer) = layer.get() else { continue };
            if let Some((_, b)) = layer.members.iter().find(|(n, _)| &**n == name) {
                return Member::Found(b.clone());
            }
        }
        Member::Missing
    }

    /// Identity: the same object seen from the same layer.
    pub fn same(&self, other: &ObjectRef) -> bool {
        Arc::ptr_eq(&self.object, &other.object) && self.from == other.from
    }
}

/// `{ x = 1 # y = 2 }`, as the reference prints objects: the view's members
/// that have a value, base classes' members first, an override in place of
/// what it overrides. Pending and halted members are left out.
impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Objects may contain themselves (`val me = this`) or long chains of
        // objects: print those as `{ ... }` instead of recursing forever.
        let me = Arc::as_ptr(&self.object) as usize;
        let entered = PRINTING.with(|p| {
            let mut p = p.borrow_mut();
            if p.len() >= MAX_PRINT_DEPTH || p.contains(&me) {
                false
            } else {
                p.push(me);
                true
            }
        });
        if !entered {
            return f.write_str("{ ... }");
        }
        let result = self.write_members(f);
        PRINTING.with(|p| p.borrow_mut().pop());
        result
    }
}

const MAX_PRINT_DEPTH: usize = 32;

thread_local! {
    /// The objects being printed by this thread, outermost first.
    static PRINTING: std::cell::RefCell<Vec<usize>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl ObjectRef {
    fn write_members(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown: Vec<(&str, Option<&crate::value::Value>)> = Vec::new();
        for layer in self.object.layers.iter().skip(self.from).rev() {
            let Some(layer) = layer.get() else { continue };
            for (name, b) in layer.members.iter() {
                let v = match b.read() {
                    Read::Ready(v) => Some(v),
                    _ => None,
                };
                match shown.iter_mut().find(|(n, _)| *n == &**name) {
                    Some(slot) => slot.1 = v,
                    None => shown.push((name, v)),
                }
            }
        }
        f.write_str("{ ")?;
        let mut first = true;
        for (name, v) in shown {
            let Some(v) = v else { continue };
            if !first {
                f.write_str(" # ")?;
            }
            first = false;
            write!(f, "{name} = {v}")?;
        }
        f.write_str(" }")
    }
}
