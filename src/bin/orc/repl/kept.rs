//! What the REPL keeps of earlier inputs' text, for the inputs after them:
//! classes (which are not values, so the engine keeps no binding of them)
//! and the clauses of each definition, so that clauses typed in
//! successive inputs extend one definition.
//!
//! A clause typed later joins the definition's clauses, after them, with
//! two exceptions that make retyping a clause to fix it work: a clause
//! whose parameters are written as an earlier clause's (`def f(0) = ..`
//! again) replaces that clause, and so does a clause of plain variables
//! (`def f(x) = ..`) replace an earlier one of plain variables, which
//! would otherwise catch every call first. A clause with another number
//! of parameters starts the definition afresh; so does `:forget NAME`.
//! The engine compiles the kept text with the input
//! ([`orc::Engine::load_input_after`]).

use orc::compile::desugar::declared_names;
use orc::diagnostics::SourceId;
use orc::syntax::ast::{DeclKind, DefClause, PatternKind, Program};
use orc::syntax::parser::parse_program;
use std::collections::HashMap;

#[derive(Clone, Debug)]
struct Clause {
    /// The clause as typed.
    text: String,
    /// Its parameters (and guard), without blanks: the same text is the
    /// same clause.
    params: String,
    arity: usize,
    /// Plain variables (or `_`) and no guard: it matches every call.
    catch_all: bool,
}

#[derive(Default)]
pub struct Kept {
    /// By name, in the order declared.
    classes: Vec<(String, String)>,
    defs: HashMap<String, Vec<Clause>>,
}

/// What an input needs of earlier ones, and what to keep once its
/// declarations are made.
pub struct Plan {
    /// The kept text to compile with the input: before its declarations,
    /// and after its clauses (see [`orc::Engine::load_input_after`]).
    pub earlier: String,
    pub later: String,
    /// Said once the input is declared: `g: 2 clauses`.
    pub notes: Vec<String>,
    classes: Vec<(String, String)>,
    defs: Vec<(String, Vec<Clause>)>,
    /// Names the input binds otherwise (a `val`): their clauses go.
    rebound: Vec<String>,
}

/// `text` without blanks: the same parameters however spaced.
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn clause(text: &str, c: &DefClause, whole: &str) -> Clause {
    let start = c.name.span.end as usize;
    let end = c.body.span.start as usize;
    let params = whole.get(start..end).unwrap_or("");
    let catch_all = c.guard.is_none()
        && c.params.iter().all(|p| {
            let mut p = p;
            while let PatternKind::Typed(inner, _) = &p.kind {
                p = inner;
            }
            matches!(p.kind, PatternKind::Var(_) | PatternKind::Wildcard)
        });
    Clause {
        text: text.to_string(),
        params: squeeze(params.trim_end().trim_end_matches('=')),
        arity: c.params.len(),
        catch_all,
    }
}

fn count(n: usize) -> String {
    format!("{n} clause{}", if n == 1 { "" } else { "s" })
}

impl Kept {
    /// Forgets everything (`:reset`).
    pub fn clear(&mut self) {
        *self = Kept::default();
    }

    /// Forgets the clauses and the class named `name`: the next
    /// definition of it starts afresh. Whether there was any.
    pub fn forget(&mut self, name: &str) -> bool {
        let before = self.classes.len();
        self.classes.retain(|(n, _)| n != name);
        self.defs.remove(name).is_some() | (self.classes.len() != before)
    }

    /// What `text`, an input, needs of earlier inputs.
    pub fn plan(&self, text: &str) -> Plan {
        let mut plan = Plan {
            earlier: String::new(),
            later: String::new(),
            notes: Vec::new(),
            classes: Vec::new(),
            defs: Vec::new(),
            rebound: Vec::new(),
        };
        // An input that does not parse gets the classes, and its error.
        let program: Option<Program> = parse_program(text, SourceId::default()).ok();
        let decls = program.as_ref().map_or(&[][..], |p| &p.decls[..]);
        let mut typed: Vec<(String, Vec<Clause>)> = Vec::new();
        for d in decls {
            let whole = text
                .get(d.span.start as usize..d.span.end as usize)
                .unwrap_or("");
            match &d.kind {
                DeclKind::Class { name, .. } => {
                    plan.classes.push((name.name.clone(), whole.to_string()))
                }
                DeclKind::Def(c) | DeclKind::Site(c) => {
                    let c = clause(whole, c, text);
                    let name = match &d.kind {
                        DeclKind::Def(c) | DeclKind::Site(c) => c.name.name.clone(),
                        _ => unreachable!(),
                    };
                    match typed.iter_mut().find(|(n, _)| *n == name) {
                        Some((_, cs)) => cs.push(c),
                        None => typed.push((name, vec![c])),
                    }
                }
                _ => {}
            }
        }
        let mut earlier: Vec<String> = self
            .classes
            .iter()
            .filter(|(n, _)| !plan.classes.iter().any(|(m, _)| m == n))
            .map(|(_, t)| t.clone())
            .collect();
        let mut later: Vec<String> = Vec::new();
        for (name, new) in typed {
            let mut old = self.defs.get(&name).cloned().unwrap_or_default();
            if old.first().is_some_and(|c| c.arity != new[0].arity) {
                plan.notes.push(format!(
                    "{name}: a new definition (the earlier one took {} argument{})",
                    old[0].arity,
                    if old[0].arity == 1 { "" } else { "s" }
                ));
                old.clear();
            }
            let extended = !old.is_empty();
            // The clauses a new one replaces; the new ones take the place
            // of the first of them.
            let replaces = |o: &Clause| {
                new.iter()
                    .any(|c| o.params == c.params || (o.catch_all && c.catch_all))
            };
            let replaced = old.iter().filter(|o| replaces(o)).count();
            let at = old.iter().position(replaces).unwrap_or(old.len());
            let after: Vec<Clause> = old
                .split_off(at)
                .into_iter()
                .filter(|o| !replaces(o))
                .collect();
            earlier.extend(old.iter().map(|c| c.text.clone()));
            later.extend(after.iter().map(|c| c.text.clone()));
            let mut all = old;
            all.extend(new);
            all.extend(after);
            if extended {
                let mut note = format!("{name}: {}", count(all.len()));
                if replaced > 0 {
                    note.push_str(&format!(
                        " ({} replaced; :forget {name} starts it afresh)",
                        count(replaced)
                    ));
                }
                plan.notes.push(note);
            }
            plan.defs.push((name, all));
        }
        if let Some(p) = &program {
            plan.rebound = declared_names(&p.decls)
                .into_iter()
                .filter(|n| !plan.defs.iter().any(|(d, _)| d == n))
                .collect();
        }
        plan.earlier = earlier.join("\n");
        plan.later = later.join("\n");
        plan
    }

    /// Keeps what `plan`'s input declared, now that it is.
    pub fn commit(&mut self, plan: Plan) {
        for (name, text) in plan.classes {
            self.classes.retain(|(n, _)| *n != name);
            self.classes.push((name, text));
        }
        for (name, clauses) in plan.defs {
            self.defs.insert(name, clauses);
        }
        for name in plan.rebound {
            self.defs.remove(&name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept_after(inputs: &[&str]) -> Kept {
        let mut k = Kept::default();
        for i in inputs {
            let plan = k.plan(i);
            k.commit(plan);
        }
        k
    }

    #[test]
    fn clauses_extend_and_replace() {
        let k = kept_after(&["def g(0) = 0"]);
        let plan = k.plan("def g(n) = n + g(n - 1)");
        assert_eq!(plan.earlier, "def g(0) = 0");
        assert_eq!(plan.notes, ["g: 2 clauses"]);
        // Retyping the clause for 0 replaces it.
        let k = kept_after(&["def g(0) = 0", "def g(n) = n + g(n - 1)"]);
        let plan = k.plan("def g( 0 ) = 100");
        // The new clause for 0 comes where the old one was: first.
        assert_eq!(
            (plan.earlier.as_str(), plan.later.as_str()),
            ("", "def g(n) = n + g(n - 1)")
        );
        assert!(
            plan.notes[0].starts_with("g: 2 clauses (1 clause replaced"),
            "{:?}",
            plan.notes
        );
        // A catch-all replaces a catch-all, whatever its variable.
        let k = kept_after(&["def f(x) = x + 1"]);
        let plan = k.plan("def f(y) = y * 2");
        assert_eq!(plan.earlier, "");
        // Another arity starts afresh.
        let plan = k.plan("def f(x, y) = x");
        assert_eq!(plan.earlier, "");
        assert!(
            plan.notes[0].contains("a new definition"),
            "{:?}",
            plan.notes
        );
    }

    #[test]
    fn classes_are_kept_and_replaced() {
        let k = kept_after(&["class C { val x = 1 }", "class D { val y = 2 }"]);
        assert_eq!(
            k.plan("new C").earlier,
            "class C { val x = 1 }\nclass D { val y = 2 }"
        );
        assert_eq!(
            k.plan("class C { val x = 3 }").earlier,
            "class D { val y = 2 }"
        );
        let mut k = k;
        assert!(k.forget("C"));
        assert_eq!(k.plan("1").earlier, "class D { val y = 2 }");
    }

    #[test]
    fn a_val_ends_a_definition() {
        let k = kept_after(&["def g(0) = 0", "val g = 3"]);
        assert_eq!(k.plan("def g(n) = n").earlier, "");
    }
}
