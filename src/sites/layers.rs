//! The internal sites `new` is lowered to (see `src/compile/classes.rs`).
//! Programs cannot name them: the desugarer puts them in the code as
//! constants.
//!
//! * [`NewObject`] makes an object with empty layers;
//! * [`SuperView`] `(this, k)` is what `super` means in layer `k`;
//! * [`InstallLayer`] `(this, k, m1, ..., mn)` sets layer `k` to the members
//!   `m1..mn`. Its arguments are taken as they are, futures included, so
//!   the evaluator calls it itself ([`crate::runtime`]'s object support)
//!   instead of through [`Site::call`];
//! * [`NewSlot`], [`SlotRead`], [`SlotWrite`], [`SlotHalt`]: the first
//!   publication of a member's computation, which goes on running after it
//!   (an object's `val _ = repeat(...)` is its thread).

use crate::runtime::site::{CallHandle, Outcome, Site, SiteCx, SiteError};
use crate::value::cycles::{Mark, Tracer, Trash};
use crate::value::object::Object;
use crate::value::{ObjectRef, Value};
use std::any::Any;
use std::sync::{Arc, Mutex};

pub struct NewObject {
    pub layers: usize,
}

impl Site for NewObject {
    fn name(&self) -> &str {
        "new"
    }
    fn call(&self, _args: &[Value], _cx: &mut SiteCx<'_>) -> Outcome {
        Outcome::Publish(Value::Object(ObjectRef::this(Object::new(self.layers))))
    }
    fn is_immediate(&self) -> bool {
        true
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

pub struct SuperView;

impl Site for SuperView {
    fn name(&self) -> &str {
        "super"
    }
    fn call(&self, args: &[Value], _cx: &mut SiteCx<'_>) -> Outcome {
        match args {
            [Value::Object(o), Value::Int(k)] if *k >= 0 => {
                Outcome::Publish(Value::Object(o.super_of(*k as usize)))
            }
            _ => Outcome::Error(SiteError::new("super expects an object and a layer")),
        }
    }
    fn is_immediate(&self) -> bool {
        true
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Installs one class's members into an object: called by the evaluator
/// with the members' bindings (see the module comment).
pub struct InstallLayer {
    /// The member names, in the order of the arguments after `(this, k)`.
    pub names: Arc<[Arc<str>]>,
}

impl Site for InstallLayer {
    fn name(&self) -> &str {
        "install"
    }
    fn call(&self, _args: &[Value], _cx: &mut SiteCx<'_>) -> Outcome {
        // Reached only if the evaluator did not recognise the site.
        Outcome::Error(SiteError::new(
            "internal error: object members must be installed by the evaluator",
        ))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A write-once cell that can also be halted: the first publication of a
/// member's computation, or `None` if it halted without one. Written
/// after it is made, it joins the run's cycle registry like a `Cell`
/// ([`crate::value::cycles`]).
#[derive(Default)]
pub struct Slot {
    state: Mutex<SlotState>,
    mark: Mark,
}

#[derive(Default)]
struct SlotState {
    /// `Some(Some(v))` written, `Some(None)` halted, `None` not yet.
    value: Option<Option<Value>>,
    readers: Vec<CallHandle>,
}

impl Drop for SlotState {
    fn drop(&mut self) {
        if let Some(Some(v)) = &mut self.value {
            crate::value::unwind::release(v);
        }
    }
}

impl Slot {
    fn lock(&self) -> std::sync::MutexGuard<'_, SlotState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn settle(&self, v: Option<Value>) {
        let readers = {
            let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
            if st.value.is_some() {
                return;
            }
            st.value = Some(v.clone());
            std::mem::take(&mut st.readers)
        };
        for r in readers {
            match &v {
                Some(v) => r.publish(v.clone()),
                None => r.halt(),
            }
        }
    }
}

impl Site for Slot {
    fn name(&self) -> &str {
        "member"
    }
    fn call(&self, _args: &[Value], _cx: &mut SiteCx<'_>) -> Outcome {
        Outcome::Error(SiteError::new(
            "internal error: a member slot is not callable",
        ))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn trace(&self, tracer: &mut Tracer<'_>) {
        if let Some(Some(v)) = &self.lock().value {
            tracer.value(v);
        }
    }
    fn clear(&self, trash: &mut Trash) {
        let value = self.lock().value.take();
        trash.push(value);
    }
}

fn slot_arg<'a>(name: &str, args: &'a [Value]) -> Result<&'a Slot, Outcome> {
    match args.first() {
        Some(Value::Site(s)) => s.as_any().downcast_ref::<Slot>().ok_or(()),
        _ => Err(()),
    }
    .map_err(|_| Outcome::Error(SiteError::new(format!("{name} expects a member slot"))))
}

macro_rules! slot_site {
    ($ty:ident, $name:literal, |$slot:ident, $args:ident, $cx:ident| $body:expr) => {
        pub struct $ty;
        impl Site for $ty {
            fn name(&self) -> &str {
                $name
            }
            fn call(&self, $args: &[Value], $cx: &mut SiteCx<'_>) -> Outcome {
                match slot_arg($name, $args) {
                    Ok($slot) => $body,
                    Err(e) => e,
                }
            }
            fn as_any(&self) -> &dyn Any {
                self
            }
        }
    };
}

pub struct NewSlot;

impl Site for NewSlot {
    fn name(&self) -> &str {
        "slot"
    }
    fn call(&self, _args: &[Value], _cx: &mut SiteCx<'_>) -> Outcome {
        Outcome::Publish(Value::Site(Arc::new(Slot::default())))
    }
    fn is_immediate(&self) -> bool {
        true
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

slot_site!(SlotRead, "slotread", |slot, _args, cx| {
    let mut st = slot.state.lock().unwrap_or_else(|e| e.into_inner());
    match &st.value {
        Some(Some(v)) => Outcome::Publish(v.clone()),
        Some(None) => Outcome::Halt,
        None => {
            st.readers.retain(|r| r.is_live());
            st.readers.push(cx.defer());
            Outcome::Pending
        }
    }
});

slot_site!(SlotWrite, "slotwrite", |slot, args, cx| {
    let v = args.get(1).cloned().unwrap_or(Value::Signal);
    slot.settle(Some(v.clone()));
    if let Some(Value::Site(s)) = args.first() {
        cx.track_site(s, &slot.mark, &v);
    }
    Outcome::Halt
});

slot_site!(SlotHalt, "slothalt", |slot, _args, _cx| {
    slot.settle(None);
    Outcome::Halt
});
