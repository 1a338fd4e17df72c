//! The global scope a compile sees: [`Globals`] (names bound to values:
//! built-in sites, prelude definitions, a host's sites, earlier REPL
//! declarations) and the layers of them one compile looks through
//! ([`Scope`]). Desugaring, linting and resolution all read it, so it is
//! a module of its own below them.

use crate::value::Value;
use std::collections::HashMap;

/// Names visible everywhere, bound to values.
pub type Globals = HashMap<String, Value>;

/// The global names one compile sees: one table of [`Globals`], or layers
/// of them where the first that binds a name wins. An engine's compile
/// lays what it adds for the program at hand (the prelude definitions the
/// program names, the sandbox's refusals among them) over the engine's
/// own globals, so that compiling changes nothing in the engine and
/// copies none of its globals.
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    layers: Layers<'a>,
    /// Names that count as in scope for suggestions though no layer binds
    /// them: the prelude's (its definitions join a program's layers only
    /// when named), handed in by the engine above.
    prelude: &'a [&'a str],
}

#[derive(Clone, Copy)]
enum Layers<'a> {
    One(&'a Globals),
    Many(&'a [&'a Globals]),
}

impl<'a> Scope<'a> {
    /// `layers`, the first binding of a name winning.
    pub fn layered(layers: &'a [&'a Globals]) -> Scope<'a> {
        Scope {
            layers: Layers::Many(layers),
            prelude: &[],
        }
    }

    /// The same scope, where "did you mean" also offers `prelude` (the
    /// prelude's names, for an engine with the prelude).
    pub fn with_prelude_names(self, prelude: &'a [&'a str]) -> Scope<'a> {
        Scope { prelude, ..self }
    }

    /// Every name the scope binds (a name bound in two layers twice),
    /// and the prelude's if [`Scope::with_prelude_names`] says so.
    pub fn names(&self) -> impl Iterator<Item = &'a str> + 'a {
        let layers: Vec<&'a Globals> = match self.layers {
            Layers::One(g) => vec![g],
            Layers::Many(layers) => layers.to_vec(),
        };
        layers
            .into_iter()
            .flat_map(|g| g.keys().map(String::as_str))
            .chain(self.prelude.iter().copied())
    }

    /// What the scope binds `name` to.
    pub fn get(&self, name: &str) -> Option<&'a Value> {
        match self.layers {
            Layers::One(g) => g.get(name),
            Layers::Many(layers) => layers.iter().find_map(|g| g.get(name)),
        }
    }
}

impl<'a> From<&'a Globals> for Scope<'a> {
    fn from(globals: &'a Globals) -> Scope<'a> {
        Scope {
            layers: Layers::One(globals),
            prelude: &[],
        }
    }
}
