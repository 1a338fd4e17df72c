//! Choosing what programs may reach: a sandbox for untrusted scripts.
//!
//! [`Engine::sandboxed`] gives programs the prelude and the built-in sites
//! that only compute, keep state of their own, tell time or draw random
//! numbers ([`SANDBOX_BUILTINS`]), and nothing that touches the operating
//! system: no standard input (`Prompt`), no `include` of files. Every other
//! built-in is withheld, including any added to this crate later until it
//! is listed here. A program that names a withheld site gets a compile
//! error saying so ("`Prompt` is not available in this sandbox"), not
//! "unbound variable"; `import site` of one is refused the same way.
//!
//! Withholding goes by capability: what is built on a withheld name is
//! withheld with it. A prelude function whose code reaches the name,
//! directly or through other prelude functions, and a built-in that hands
//! it out ([`Site::built_on`](crate::value::site::Site::built_on):
//! `Rclock`'s `.wait` is `Rwait`) are refused too, saying why ("`timeout`
//! is not available in this sandbox: it uses `Rwait`, which this host
//! withholds"). What each prelude definition is built on is read off its
//! resolved code ([`crate::stdlib::deps`]), and checked for the names a
//! program mentions when it is compiled.
//!
//! The host chooses further with [`Engine::withhold`] (take a global
//! away), [`Engine::define`] or the `register_*` methods (grant one back, or
//! add its own) and [`Engine::allow_includes`].
//!
//! A sandbox limits what a program can reach, not how much it computes:
//! give untrusted runs a time limit and a token limit too
//! ([`RunOptions::time_limit`](crate::RunOptions::time_limit),
//! [`RunOptions::max_tokens`](crate::RunOptions::max_tokens)).
//!
//! ```
//! use orc::Engine;
//!
//! let engine = Engine::sandboxed();
//! let err = engine.compile("untrusted", r#"Prompt("Password?")"#).unwrap_err();
//! assert!(err.to_string().contains("`Prompt` is not available in this sandbox"));
//! assert!(engine.compile("untrusted", "Rwait(10) >> Channel()").is_ok());
//! ```

use crate::compile::resolve::Globals;
use crate::engine::Engine;
use crate::sites::withheld::Withheld;
use crate::value::Value;
use std::sync::Arc;

/// The built-in sites a sandboxed program may use: operators, constructors,
/// the program's own state (references, cells, channels, arrays, ...),
/// numbers, strings, JSON text, clocks and randomness.
pub const SANDBOX_BUILTINS: &[&str] = &[
    // operators
    "+",
    "-",
    "*",
    "/",
    "%",
    "**",
    "0-",
    "=",
    "/=",
    "<:",
    "<=",
    ":>",
    ">=",
    "&&",
    "||",
    "~",
    "?",
    ":=",
    ":", // core
    "Println",
    "Block",
    "Print",
    "Error",
    "Ift",
    "Iff",
    "Some",
    "None",
    "Let",
    "signal",
    // state and communication within the program
    "Ref",
    "Cell",
    "Semaphore",
    "Counter",
    "Channel",
    "BoundedChannel",
    "SyncChannel",
    "Array",
    "Dictionary",
    // lists
    "Append",
    "FilterInPlace",
    "Member", // numbers, text, data
    "Abs",
    "Ceil",
    "Floor",
    "Exp",
    "Log",
    "Read",
    "Write",
    "ReadJSON",
    "WriteJSON",
    // time and randomness
    "Rwait",
    "Rtime",
    "Rclock",
    "Vclock",
    "Vawait",
    "Vtime",
    "IntegerTimeOrder",
    "Random",
    "URandom",
    "UUID",
    "OrcVersion",
];

/// Replaces `name` in `globals` with a marker that the compiler refuses.
fn withhold_in(globals: &mut Globals, name: &str) {
    let marker = Withheld::new(name);
    globals.insert(name.to_string(), Value::Site(Arc::new(marker)));
}

/// `globals` without the built-ins a sandbox withholds.
fn sandbox(mut globals: Globals) -> Globals {
    for name in crate::sites::builtins().into_keys() {
        if !SANDBOX_BUILTINS.contains(&name.as_str()) {
            withhold_in(&mut globals, &name);
        }
    }
    globals
}

impl Engine {
    /// An engine for untrusted programs: the prelude and the built-ins in
    /// [`SANDBOX_BUILTINS`], without access to standard input, files or
    /// processes, and without `include`. Host sites registered on it are
    /// available as usual. See [the module](self).
    pub fn sandboxed() -> Engine {
        let mut engine = Engine::new();
        engine.globals = sandbox(engine.globals);
        engine.allow_files = false;
        engine
    }

    /// Takes the global `name` away from programs compiled from now on: a
    /// use of it is a compile error ("`name` is not available in this
    /// sandbox"). So is a use of anything built on it: a prelude function
    /// whose code reaches `name` (through other prelude functions too), a
    /// built-in that hands it out (`Rclock`, whose `.wait` is `Rwait`).
    /// Their error says why ("`timeout` is not available in this sandbox:
    /// it uses `Rwait`, which this host withholds"). [`Engine::define`]
    /// (or a `register_*` method) gives the name a value again, and what
    /// is built on it comes back with it.
    ///
    /// ```
    /// use orc::Engine;
    ///
    /// let mut engine = Engine::new();
    /// engine.withhold("Random").withhold("Rwait");
    /// let err = engine.compile("main", "Random(6)").unwrap_err();
    /// assert!(err.to_string().contains("`Random` is not available in this sandbox"));
    /// let err = engine.compile("main", "timeout(1, 100)").unwrap_err();
    /// assert!(err.to_string().contains(
    ///     "`timeout` is not available in this sandbox: it uses `Rwait`, which this host withholds"
    /// ));
    /// assert!(engine.compile("main", "map(abs, [-1, 2])").is_ok());
    /// ```
    pub fn withhold(&mut self, name: &str) -> &mut Engine {
        withhold_in(&mut self.globals, name);
        self
    }

    /// Whether `include "file"` may read files (the default; off in
    /// [`Engine::sandboxed`]).
    pub fn allow_includes(&mut self, allow: bool) -> &mut Engine {
        self.allow_files = allow;
        self
    }

    /// Whether the global `name` is withheld from programs: by the host
    /// itself, or because it is built on a name the host withholds (see
    /// [`Engine::withhold`]).
    pub fn is_withheld(&self, name: &str) -> bool {
        self.globals
            .get(name)
            .is_some_and(|v| Withheld::of(v).is_some())
            || self.withheld_through(name).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Built-ins that reach the operating system: withheld on purpose.
    const SYSTEM: &[&str] = &["Prompt"];

    #[test]
    fn every_builtin_is_classified() {
        let mut unclassified: Vec<String> = crate::sites::builtins()
            .into_keys()
            .filter(|n| !SANDBOX_BUILTINS.contains(&n.as_str()) && !SYSTEM.contains(&n.as_str()))
            .collect();
        unclassified.sort();
        assert!(
            unclassified.is_empty(),
            "built-in sites withheld from sandboxes only because nobody said whether they are \
             safe: add them to SANDBOX_BUILTINS (pure, or touching only the program's own \
             state) or to SYSTEM in this test (files, processes, network, stdin): {unclassified:?}"
        );
        let builtins = crate::sites::builtins();
        for name in SANDBOX_BUILTINS.iter().chain(SYSTEM) {
            assert!(
                builtins.contains_key(*name),
                "{name} is not a built-in any more"
            );
        }
    }

    /// Besides the services (`execLines` is built on `Spawn`), which a
    /// sandbox does not grant, and withholds with what is built on them.
    #[test]
    fn the_prelude_needs_no_withheld_site() {
        let mut globals = sandbox(crate::sites::builtins());
        for cap in crate::services::Capability::ALL {
            for site in cap.sites() {
                globals.insert(site.name().to_string(), Value::Site(site));
            }
        }
        let mut sources = crate::diagnostics::SourceMap::new();
        crate::stdlib::load_files(&mut globals, &mut sources, crate::stdlib::PRELUDE)
            .unwrap_or_else(|e| panic!("the prelude in a sandbox: {e}"));
    }
}
