//! What prelude definitions are built on: the global names each one's code
//! uses, and the chains of such uses that lead to a name a host withholds.
//!
//! A host that withholds `Rwait` must not get timers back through
//! `timeout`, whose body calls it, nor through anything calling `timeout`.
//! Which globals a definition uses is read off its resolved code, not
//! listed by hand: each chunk of the prelude is desugared and resolved on
//! its own ([`uses`]) in a scope that binds every built-in and every
//! prelude name ([`scope`]), and the names the resolver finds there rather
//! than among the chunk's own bindings are what it uses (locals, parameters
//! and field names that happen to be spelt like globals do not count; so
//! the list stays true as the prelude changes). That holds for a `val`
//! as for a `def`: `val clock = Rclock()` uses `Rclock`, whatever value it
//! ends up holding. [`path_to`] then follows uses from name to name.

use crate::compile::core::Core;
use crate::compile::desugar::desugar_decls_in;
use crate::compile::resolve::{globals_used, Globals, Scope};
use crate::syntax::ast::{Decl, DeclKind};
use crate::value::Value;
use std::collections::{BTreeSet, HashMap, VecDeque};
use std::sync::OnceLock;

/// The scope chunks are analysed in: every built-in, and every prelude
/// name bound to a placeholder (a use is all the analysis needs to see).
pub fn scope() -> &'static Globals {
    static SCOPE: OnceLock<Globals> = OnceLock::new();
    SCOPE.get_or_init(|| {
        let mut globals = crate::services::builtins_and_services();
        for name in super::prelude_names() {
            globals.entry(name.to_string()).or_insert(Value::Signal);
        }
        globals
    })
}

/// The global names that `decls` use: those their resolved code takes
/// from `globals` (not from the declarations' own bindings), and the
/// built-ins they `import site`. Empty if they do not compile (then they
/// bind nothing either).
pub fn uses(decls: &[Decl], globals: Scope<'_>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for decl in decls {
        if let DeclKind::ImportSite { location, .. } = &decl.kind {
            out.insert(crate::sites::import_name(location).to_string());
        }
    }
    let Ok(core) = desugar_decls_in(decls, Core::Stop, globals) else {
        return BTreeSet::new();
    };
    match globals_used(&core, globals) {
        Ok(used) => {
            out.extend(used);
            out
        }
        Err(_) => BTreeSet::new(),
    }
}

/// The shortest chain of uses from `start` to a name `withheld` holds:
/// the names after `start`, the withheld one last, or `None` if no chain
/// leads to one. `uses(n)` gives the names `n` uses directly; `start`
/// itself is not tested.
pub fn path_to(
    start: &str,
    mut uses: impl FnMut(&str) -> Vec<String>,
    withheld: impl Fn(&str) -> bool,
) -> Option<Vec<String>> {
    // Breadth first, each name once, remembering where it was reached from.
    let mut from: HashMap<String, Option<String>> = HashMap::new();
    from.insert(start.to_string(), None);
    let mut todo = VecDeque::from([start.to_string()]);
    while let Some(name) = todo.pop_front() {
        for next in uses(&name) {
            if from.contains_key(&next) {
                continue;
            }
            from.insert(next.clone(), Some(name.clone()));
            if withheld(&next) {
                let mut path = vec![next];
                while let Some(Some(prev)) = from.get(path.last().expect("a name")) {
                    if prev == start {
                        break;
                    }
                    path.push(prev.clone());
                }
                path.reverse();
                return Some(path);
            }
            todo.push_back(next);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::SourceMap;
    use crate::syntax::parser::parse_program;

    /// The uses of each top-level definition of `text`, analysed the way
    /// the prelude's chunks are, against built-ins and `names`.
    fn uses_in(text: &str, names: &[&str]) -> HashMap<String, Vec<String>> {
        let mut globals = crate::sites::builtins();
        for name in names {
            globals.insert(name.to_string(), Value::Signal);
        }
        let mut sources = SourceMap::new();
        let mut out = HashMap::new();
        for (line, name, body) in super::super::split_definitions(text) {
            let padded = format!("{}{body}", "\n".repeat(line));
            let id = sources.add("t.orc", padded.as_str());
            let program = parse_program(&padded, id).expect("parses");
            let used = uses(&program.decls, Scope::from(&globals));
            out.insert(name, used.into_iter().collect());
        }
        out
    }

    #[test]
    fn uses_are_the_globals_the_code_resolves_to() {
        let text = "\
def later(x, t) = Rwait(t) >> x
-- A parameter, a local and a field spelt like globals are not uses.
def shadow(Rwait, c) =
  def Channel() = 1
  Rwait(Channel()) >> c.Ref
val clock = Rclock()
def tick() = clock.wait(10)
def both() = later(1, 2) | tick()
";
        let names = ["later", "shadow", "clock", "tick", "both"];
        let uses = uses_in(text, &names);
        assert_eq!(uses["later"], ["Rwait"]);
        assert!(uses["shadow"].is_empty(), "{:?}", uses["shadow"]);
        assert_eq!(uses["clock"], ["Rclock"]);
        assert_eq!(uses["tick"], ["clock"]);
        assert_eq!(uses["both"], ["later", "tick"]);
    }

    #[test]
    fn a_value_built_on_a_withheld_site_is_found_through_it() {
        let text = "val clock = Rclock()\ndef tick() = clock.wait(10)\n";
        let uses = uses_in(text, &["clock", "tick"]);
        let edges = |n: &str| match uses.get(n) {
            Some(u) => u.clone(),
            None => match scope().get(n) {
                Some(Value::Site(s)) => s.built_on().iter().map(|n| n.to_string()).collect(),
                _ => Vec::new(),
            },
        };
        assert_eq!(
            path_to("tick", edges, |n| n == "Rwait"),
            Some(vec!["clock".into(), "Rclock".into(), "Rwait".into()])
        );
        assert_eq!(path_to("tick", edges, |n| n == "Random"), None);
    }

    #[test]
    fn the_shortest_chain_is_given() {
        let graph: HashMap<&str, Vec<&str>> = HashMap::from([
            ("a", vec!["b", "c"]),
            ("b", vec!["d"]),
            ("c", vec!["x"]),
            ("d", vec!["x", "a"]),
        ]);
        let edges = |n: &str| {
            graph
                .get(n)
                .map(|v| v.iter().map(|s| s.to_string()).collect())
                .unwrap_or_default()
        };
        assert_eq!(
            path_to("a", edges, |n| n == "x"),
            Some(vec!["c".into(), "x".into()])
        );
        // A cycle back to the start is not a use of a withheld name.
        assert_eq!(path_to("a", edges, |n| n == "a"), None);
    }
}
