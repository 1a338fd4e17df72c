//! The internal sites `new` is lowered to (see `src/compile/classes.rs`).
//! Programs cannot name them: the desugarer puts them in the code as
//! constants.
//!
//! * [`NewObject`] makes an object with empty layers;
//! * [`SuperView`] `(this, k)` is what `super` means in layer `k`;
//! * [`InstallLayer`] `(this, k, m1, ..., mn)` sets layer `k` to the members
//!   `m1..mn`. Its arguments are taken as they are, futures included, so
//!   the evaluator calls it itself ([`crate::runtime`]'s object support)
//!   instead of through [`Site::call`](crate::value::site::Site::call),
//!   and so it is defined there: here is only its site, which the
//!   evaluator never calls;
//! * [`NewSlot`], [`SlotRead`], [`SlotWrite`], [`SlotHalt`]: the first
//!   publication of a member's computation, which goes on running after it
//!   (an object's `val _ = repeat(...)` is its thread).

use super::util::site;
use crate::runtime::objects::InstallLayer;
use crate::value::cycles::{Mark, Tracer, Trash};
use crate::value::object::Object;
use crate::value::site::{CallHandle, Outcome, SiteCx, SiteError};
use crate::value::{ObjectRef, Value};
use std::sync::{Arc, Mutex};

pub struct NewObject {
    pub layers: usize,
}

site!(impl NewObject as "new": immediate {
    fn call(&self, _args: &[Value], _cx: &mut SiteCx<'_>) -> Outcome {
        Outcome::Publish(Value::Object(ObjectRef::this(Object::new(self.layers))))
    }
});

pub struct SuperView;

site!(impl SuperView as "super": immediate {
    fn call(&self, args: &[Value], _cx: &mut SiteCx<'_>) -> Outcome {
        match args {
            [Value::Object(o), Value::Int(k)] if *k >= 0 => {
                Outcome::Publish(Value::Object(o.super_of(*k as usize)))
            }
            _ => Outcome::Error(SiteError::new("super expects an object and a layer")),
        }
    }
});

site!(impl InstallLayer as "install" {
    fn call(&self, _args: &[Value], _cx: &mut SiteCx<'_>) -> Outcome {
        // Reached only if the evaluator did not recognise the site.
        Outcome::Error(SiteError::new(
            "internal error: object members must be installed by the evaluator",
        ))
    }
});

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

site!(impl Slot as "member" {
    fn call(&self, _args: &[Value], _cx: &mut SiteCx<'_>) -> Outcome {
        Outcome::Error(SiteError::new(
            "internal error: a member slot is not callable",
        ))
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
});

fn slot_arg<'a>(name: &str, args: &'a [Value]) -> Result<&'a Slot, Outcome> {
    match args.first() {
        Some(Value::Site(s)) => s.as_any().downcast_ref::<Slot>().ok_or(()),
        _ => Err(()),
    }
    .map_err(|_| Outcome::Error(SiteError::new(format!("{name} expects a member slot"))))
}

/// Calls `f` with the slot that is a slot site's first argument, or fails
/// the call naming the site.
fn with_slot(name: &str, args: &[Value], f: impl FnOnce(&Slot) -> Outcome) -> Outcome {
    match slot_arg(name, args) {
        Ok(slot) => f(slot),
        Err(e) => e,
    }
}

pub struct NewSlot;

site!(impl NewSlot as "slot": immediate {
    fn call(&self, _args: &[Value], _cx: &mut SiteCx<'_>) -> Outcome {
        Outcome::Publish(Value::Site(Arc::new(Slot::default())))
    }
});

pub struct SlotRead;
site!(impl SlotRead as "slotread" {
    fn call(&self, args: &[Value], cx: &mut SiteCx<'_>) -> Outcome {
        with_slot("slotread", args, |slot| {
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
        })
    }
});

pub struct SlotWrite;
site!(impl SlotWrite as "slotwrite" {
    fn call(&self, args: &[Value], cx: &mut SiteCx<'_>) -> Outcome {
        with_slot("slotwrite", args, |slot| {
            let v = args.get(1).cloned().unwrap_or(Value::Signal);
            slot.settle(Some(v.clone()));
            if let Some(Value::Site(s)) = args.first() {
                cx.track_site(s, &slot.mark, &v);
            }
            Outcome::Halt
        })
    }
});

pub struct SlotHalt;
site!(impl SlotHalt as "slothalt" {
    fn call(&self, args: &[Value], _cx: &mut SiteCx<'_>) -> Outcome {
        with_slot("slothalt", args, |slot| {
            slot.settle(None);
            Outcome::Halt
        })
    }
});
