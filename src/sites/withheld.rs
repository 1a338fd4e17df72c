//! A name the host withheld from its programs (see [`crate::embed::sandbox`]).
//!
//! A withheld name stays bound in the engine's globals to a [`Withheld`]
//! marker, so that the compiler can tell "this engine does not offer
//! `Prompt`" from "`Prompt` is not defined": the resolver reports any use of
//! a marker as a compile error, and `import site` refuses one too.

use crate::runtime::site::{Outcome, Site, SiteCx, SiteError};
use crate::value::Value;
use std::any::Any;

/// Stands in for a global the host does not let programs use.
pub struct Withheld {
    pub name: String,
}

impl Withheld {
    /// The diagnostic a use of the name gets.
    pub fn message(&self) -> String {
        format!("`{}` is not available in this sandbox", self.name)
    }

    /// The marker if `value` is one.
    pub fn of(value: &Value) -> Option<&Withheld> {
        match value {
            Value::Site(s) => s.as_any().downcast_ref::<Withheld>(),
            _ => None,
        }
    }
}

impl Site for Withheld {
    fn name(&self) -> &str {
        &self.name
    }
    /// Never reached through compiled code (the compiler refuses it); a
    /// value smuggled in another way fails the same way.
    fn call(&self, _args: &[Value], _cx: &mut SiteCx<'_>) -> Outcome {
        Outcome::Error(SiteError::new(self.message()))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}
