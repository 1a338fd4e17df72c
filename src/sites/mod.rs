//! Built-in sites: the services every Orc program can call.
//!
//! [`structural`] builds tuples, lists, records and datatype values and
//! decides conditionals; [`ops`] implements the operators; [`core`] the
//! fundamental sites (`Println`, `Error`, `Let`, `Rwait`, ...). [`builtins`]
//! returns them all by name: the global scope the prelude and programs are
//! resolved in.

pub mod core;
pub mod objects;
pub mod ops;
pub mod structural;
pub mod time;
pub mod util;

use crate::compile::resolve::Globals;
use crate::runtime::site::Site;
use crate::value::Value;
use std::sync::Arc;

pub(crate) fn site_value(s: impl Site) -> Value {
    Value::Site(Arc::new(s))
}

/// All built-in sites, by the name programs use.
pub fn builtins() -> Globals {
    let mut g = Globals::new();
    for (name, v) in ops::sites()
        .into_iter()
        .chain(core::sites())
        .chain(time::sites())
    {
        g.insert(name.to_string(), v);
    }
    g
}

/// `import site X = "location"`: the reference names sites by their Java
/// class; we accept those names for the sites we implement.
pub fn import_site(location: &str) -> Option<Value> {
    let short = location.rsplit('.').next().unwrap_or(location);
    builtins().remove(short)
}
