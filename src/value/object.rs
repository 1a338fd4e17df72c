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
//!
//! Objects are reference counted, and their methods refer to them: a layer
//! keeps its `def` members without those references (see `Method`), so an
//! object is freed once nothing outside it holds it or one of its methods.
//! Cycles a program builds through what members compute (`val me = this`,
//! objects tied into a ring) are freed by the cycle collector
//! ([`super::cycles`]), which empties an object's layers: that is why
//! they sit behind a lock. Freeing one releases its members without
//! recursion (a chain of objects each holding the next frees in a loop,
//! see [`super::unwind`]), and printing one goes through [`super::print`].

use super::cycles::{Container, Tracer, Trash};
use super::lock::{lock, StateLock};
use crate::value::closure::{Closure, Instance};
use crate::value::code::DefGroup;
use crate::value::env::{Binding, FutureRef, Read};
use crate::value::handles::{CounterRef, GroupRef};
use crate::value::Value;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Weak};

pub struct Object {
    /// The layers, each `None` until installed. Under a lock (taken on
    /// the engine's thread, uncontended) so that the cycle collector can
    /// empty an object found in a garbage cycle.
    layers: StateLock<Box<[Option<Layer>]>>,
    /// How many layers it has.
    count: usize,
    /// Layers still to install.
    missing: AtomicUsize,
    /// Resolved (with `signal`) once every layer is installed.
    complete: FutureRef,
}

/// The members one class contributes.
pub struct Layer {
    members: Box<[(Arc<str>, Slot)]>,
    /// The closure instances of the layer's `def` members, kept without
    /// their references to the object (see [`Layer::new`]).
    methods: Box<[Method]>,
}

/// A member as its layer keeps it.
enum Slot {
    Binding(Binding),
    /// Definition `index` of `methods[instance]`.
    Method {
        instance: u32,
        index: u32,
    },
}

/// A `def` group of a class body, kept by the object it belongs to.
///
/// The definitions refer to the object (`this`, or `super`: bare member
/// names mean `this.name`), so a closure kept in the object as it was made
/// would hold the object that holds it, and reference counting would never
/// free either. The layer keeps the captures with those references taken
/// out, and a member read puts them back into an instance that holds the
/// object: the object lives while its methods are held outside it.
struct Method {
    group: Arc<DefGroup>,
    captured: Box<[Binding]>,
    home: Option<(GroupRef, CounterRef)>,
    /// Captures that are views of the object: (capture, view's first layer).
    views: Box<[(u32, usize)]>,
    /// The instance handed out last, while anyone holds it: reads made
    /// meanwhile get the same closures (closures compare by instance).
    live: Mutex<Weak<Instance>>,
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
        let _ = OBJECTS_ALIVE.try_with(|n| n.set(n.get() + 1));
        let complete = FutureRef::pending();
        if layers == 0 {
            complete.resolve(Some(crate::value::Value::Signal));
        }
        Arc::new(Object {
            layers: StateLock::new((0..layers).map(|_| None).collect()),
            count: layers,
            missing: AtomicUsize::new(layers),
            complete,
        })
    }

    pub fn layer_count(&self) -> usize {
        self.count
    }

    /// Layers still to install.
    pub fn layers_missing(&self) -> usize {
        self.missing.load(Ordering::Acquire)
    }

    /// Installs layer `index`. Returns the future to resolve if this was the
    /// last layer missing (the caller wakes its waiters).
    pub fn install(&self, index: usize, layer: Layer) -> Result<Option<FutureRef>, String> {
        {
            let mut layers = lock(&self.layers);
            let slot = layers
                .get_mut(index)
                .ok_or_else(|| format!("object layer {index} out of range"))?;
            if slot.is_some() {
                return Err(format!("object layer {index} installed twice"));
            }
            *slot = Some(layer);
        }
        if self.missing.fetch_sub(1, Ordering::AcqRel) == 1 {
            Ok(Some(self.complete.clone()))
        } else {
            Ok(None)
        }
    }
}

impl Layer {
    /// The layer of `object` with these members. A member that is a
    /// closure whose instance refers to `object` is kept as a `Method`.
    pub fn new(object: &Arc<Object>, members: Vec<(Arc<str>, Binding)>) -> Layer {
        let mut methods: Vec<Method> = Vec::new();
        // The instances met so far, by address, and which method each
        // became (`None`: kept as it is, it does not refer to `object`).
        let mut seen: Vec<(*const Instance, Option<u32>)> = Vec::new();
        let members = members
            .into_iter()
            .map(|(name, b)| {
                let Binding::Value(Value::Closure(c)) = &b else {
                    return (name, Slot::Binding(b));
                };
                let key = Arc::as_ptr(&c.instance);
                let instance = match seen.iter().find(|(p, _)| *p == key) {
                    Some(&(_, i)) => i,
                    None => {
                        let i = Method::detach(&c.instance, object).map(|m| {
                            methods.push(m);
                            methods.len() as u32 - 1
                        });
                        seen.push((key, i));
                        i
                    }
                };
                match instance {
                    Some(instance) => (
                        name,
                        Slot::Method {
                            instance,
                            index: c.index,
                        },
                    ),
                    None => (name, Slot::Binding(b)),
                }
            })
            .collect();
        Layer {
            members,
            methods: methods.into(),
        }
    }

    /// The member in `slot` of this layer of `object`.
    fn read(&self, slot: &Slot, object: &Arc<Object>) -> Binding {
        match slot {
            Slot::Binding(b) => b.clone(),
            &Slot::Method { instance, index } => {
                let instance = self.methods[instance as usize].instance(object);
                Binding::Value(Value::Closure(Closure::new(instance, index)))
            }
        }
    }
}

impl Method {
    /// `instance` without its references to `object`; `None` if it has
    /// none (it is kept as it is).
    fn detach(instance: &Arc<Instance>, object: &Arc<Object>) -> Option<Method> {
        let mut captured = instance.captured.to_vec();
        let mut views = Vec::new();
        for (k, b) in captured.iter_mut().enumerate() {
            if let Binding::Value(Value::Object(o)) = b {
                if Arc::ptr_eq(&o.object, object) {
                    views.push((k as u32, o.from));
                    *b = Binding::Value(Value::Signal);
                }
            }
        }
        (!views.is_empty()).then(|| Method {
            group: instance.group.clone(),
            captured: captured.into(),
            home: instance.home,
            views: views.into(),
            live: Mutex::new(Arc::downgrade(instance)),
        })
    }

    /// An instance of the group that holds `object`: the one handed out
    /// last if it is still held, else a new one.
    fn instance(&self, object: &Arc<Object>) -> Arc<Instance> {
        let mut live = self.live.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(instance) = live.upgrade() {
            return instance;
        }
        let mut captured = self.captured.to_vec();
        for &(k, from) in self.views.iter() {
            captured[k as usize] = Binding::Value(Value::Object(ObjectRef {
                object: object.clone(),
                from,
            }));
        }
        let instance = Arc::new(Instance::new(
            self.group.clone(),
            captured.into(),
            self.home,
        ));
        *live = Arc::downgrade(&instance);
        instance
    }
}

thread_local! {
    static OBJECTS_ALIVE: std::cell::Cell<isize> = const { std::cell::Cell::new(0) };
}

impl Drop for Object {
    fn drop(&mut self) {
        let _ = OBJECTS_ALIVE.try_with(|n| n.set(n.get() - 1));
        // Members may be deep values, or objects with members of their
        // own (a chain of objects): released without recursion.
        for layer in self.layers.get_mut().iter_mut().flatten() {
            for (_, slot) in layer.members.iter_mut() {
                if let Slot::Binding(b) = slot {
                    super::unwind::release_binding(b);
                }
            }
            for method in layer.methods.iter_mut() {
                method
                    .captured
                    .iter_mut()
                    .for_each(super::unwind::release_binding);
            }
        }
    }
}

impl Container for Object {
    /// The members' bindings and the methods' captures of every layer
    /// installed.
    fn trace(&self, tracer: &mut Tracer<'_>) {
        for layer in lock(&self.layers).iter().flatten() {
            for (_, slot) in layer.members.iter() {
                if let Slot::Binding(b) = slot {
                    tracer.binding(b);
                }
            }
            for method in layer.methods.iter() {
                method.captured.iter().for_each(|b| tracer.binding(b));
            }
        }
    }

    /// Takes every layer out: the object is garbage.
    fn clear(&self, trash: &mut Trash) {
        let taken: Vec<Layer> = lock(&self.layers)
            .iter_mut()
            .filter_map(Option::take)
            .collect();
        trash.push(taken);
    }
}

/// Objects made on this thread less those dropped on it. Objects can
/// hold themselves through what their members computed (`val me =
/// this`, a lambda over `this` in a `val`), a cycle that reference
/// counting alone never frees; the cycle collector frees it once it is
/// unreachable, at the latest when the run is dropped (see
/// [`super::cycles`]). The leak checks of the tests and the fuzzer count
/// objects and pooled blocks after dropping a run.
pub fn objects_alive() -> isize {
    OBJECTS_ALIVE.try_with(|n| n.get()).unwrap_or(0)
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
        let layers = lock(&self.object.layers);
        for layer in layers.iter().skip(self.from).flatten() {
            if let Some((_, slot)) = layer.members.iter().find(|(n, _)| &**n == name) {
                return Member::Found(layer.read(slot, &self.object));
            }
        }
        Member::Missing
    }

    /// The names of the members the view sees, each once (for completion
    /// in the REPL); none while the object is being built.
    pub fn member_names(&self) -> Vec<String> {
        if self.object.complete.is_pending() {
            return Vec::new();
        }
        let layers = lock(&self.object.layers);
        let mut names: Vec<String> = layers
            .iter()
            .skip(self.from)
            .flatten()
            .flat_map(|layer| layer.members.iter().map(|(n, _)| n.to_string()))
            .collect();
        names.sort();
        names.dedup();
        names
    }

    /// Identity: the same object seen from the same layer.
    pub fn same(&self, other: &ObjectRef) -> bool {
        Arc::ptr_eq(&self.object, &other.object) && self.from == other.from
    }
}

/// `{ x = 1 # y = 2 }`, as the reference prints objects (see
/// [`super::print`], which also prints an object inside itself as
/// `{ ... }`).
impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        super::print::write_value(f, &Value::Object(self.clone()))
    }
}

impl ObjectRef {
    /// The members an object prints, in order: the view's members that
    /// have a value, base classes' members first, an override in place of
    /// what it overrides. Pending and halted members are left out.
    pub(crate) fn shown_members(&self) -> Vec<(Arc<str>, Value)> {
        let mut shown: Vec<(Arc<str>, Option<Value>)> = Vec::new();
        let layers = lock(&self.object.layers);
        for layer in layers.iter().skip(self.from).rev().flatten() {
            for (name, slot) in layer.members.iter() {
                let v = match layer.read(slot, &self.object).read() {
                    Read::Ready(v) => Some(v.clone()),
                    _ => None,
                };
                match shown.iter_mut().find(|(n, _)| n == name) {
                    Some(slot) => slot.1 = v,
                    None => shown.push((name.clone(), v)),
                }
            }
        }
        drop(layers);
        shown
            .into_iter()
            .filter_map(|(name, v)| Some((name, v?)))
            .collect()
    }
}
