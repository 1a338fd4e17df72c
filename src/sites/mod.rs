//! Built-in sites: the services every Orc program can call.
//!
//! [`structural`] builds tuples, lists, records and datatype values and
//! decides conditionals; [`ops`] implements the operators; [`core`] the
//! fundamental sites (`Println`, `Error`, `Let`, ...); [`time`] the clocks. The library
//! sites of the reference's prelude: [`state`] (`Ref`, `Cell`, `Semaphore`,
//! `Counter`), [`channel`], [`collections`] (`Array`, `Dictionary`),
//! [`numeric`], [`text`] (string methods, `Read`, `Write`), [`json`] and
//! [`system`] (`Random`, `UUID`, `Prompt`, ...); [`object`] is the machinery
//! of sites with methods; [`layers`] the internal sites `new` is lowered to
//! (objects of Orc classes). [`builtins`] returns them all by name: the
//! global scope the prelude and programs are resolved in.
//!
//! Every site, here, in the services and for a host, is defined one way:
//! `site!` in [`util`] writes the parts of the `Site` impl that every
//! site repeats (its name, `as_any`, whether it is immediate or pure, what
//! it is built on), and a sites table binds each by its name.

pub mod channel;
pub mod collections;
pub mod core;
pub mod json;
pub mod layers;
pub mod lists;
pub mod numeric;
pub mod object;
pub mod ops;
pub mod state;
pub mod structural;
pub mod system;
pub mod text;
pub mod time;
pub mod util;
pub mod withheld;

use crate::value::site::{Members, Site};
use crate::value::Value;
use std::collections::HashMap;
use std::sync::Arc;

pub(crate) fn site_value(s: impl Site) -> Value {
    Value::Site(Arc::new(s))
}

/// What member access needs of the built-in sites (strings' methods,
/// constructors' `unapply`), which the compiler hands down with each
/// program.
pub const MEMBERS: Members = Members {
    of_string: text::string_member,
    unapply: structural::unapply_member,
};

/// All built-in sites, by the name programs use: the first layer of the
/// globals a program is compiled against
/// ([`Globals`](crate::compile::resolve::Globals)).
pub fn builtins() -> HashMap<String, Value> {
    let mut g = HashMap::new();
    let all = [
        ops::sites(),
        core::sites(),
        state::sites(),
        channel::sites(),
        collections::sites(),
        lists::sites(),
        numeric::sites(),
        text::sites(),
        json::sites(),
        system::sites(),
        time::sites(),
    ];
    for (name, v) in all.into_iter().flatten() {
        g.insert(name.to_string(), v);
    }
    g
}

/// `import site X = "location"`: the reference names sites by their Java
/// class; we accept those names for the sites we implement.
pub fn import_site(location: &str) -> Option<Value> {
    builtins().remove(import_name(location))
}

/// The built-in name an `import site` location stands for.
pub fn import_name(location: &str) -> &str {
    let short = location.rsplit('.').next().unwrap_or(location);
    // Classes whose short name differs from the name the prelude binds.
    match short {
        "JavaArray" => "Array",
        other => other,
    }
}
