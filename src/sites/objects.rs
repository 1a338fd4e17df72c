//! The internal sites `new` is lowered to (see `src/compile/classes.rs`).
//! Programs cannot name them: the desugarer puts them in the code as
//! constants.
//!
//! * [`NewObject`] makes an object with empty layers;
//! * [`SuperView`] `(this, k)` is what `super` means in layer `k`;
//! * [`InstallLayer`] `(this, k, m1, ..., mn)` sets layer `k` to the members
//!   `m1..mn`. Its arguments are taken as they are, futures included, so
//!   the evaluator calls it itself ([`crate::runtime`]'s object support)
//!   instead of through [`Site::call`].

use crate::runtime::site::{Outcome, Site, SiteCx, SiteError};
use crate::value::object::Object;
use crate::value::{ObjectRef, Value};
use std::any::Any;
use std::sync::Arc;

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
