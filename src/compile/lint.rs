//! Warnings: mistakes a program may run with but that cannot do what was
//! meant. Calls of a known definition or constructor with the wrong number
//! of arguments (found in the core calculus, [`lint`]); constructor
//! patterns with the wrong number of fields (found as the desugarer lowers
//! them, [`call_patterns`]); clauses of one definition that
//! are not adjacent, so that the later ones start a new definition that
//! hides the earlier (found in the syntax, [`scattered_clauses`]).
//!
//! The walk over the core keeps a stack of its own, like the other passes:
//! it never recurses in proportion to the program.

use super::core::{Atom, Core};
use super::scope::Scope;
use crate::diagnostics::{Diagnostic, Phase, SourceMap, Span};
use crate::sites::structural::DataConstructor;
use crate::syntax::ast::{Decl, DeclKind};
use crate::value::Value;
use std::collections::HashMap;

/// What a name is known to be where it is used.
#[derive(Clone, Copy)]
enum Known {
    /// A definition taking this many arguments.
    Def(usize),
    /// A datatype constructor with this many fields.
    Constructor(usize),
    /// Anything else (a parameter, a value computed at run time).
    Unknown,
}

enum Work<'c> {
    Visit(&'c Core),
    Bind(Vec<(String, Known)>),
    Unbind(usize),
}

fn warning(message: String, span: Span) -> Diagnostic {
    Diagnostic::new(Phase::Lint, message, Some(span))
}

fn plural(n: usize, one: &str) -> String {
    format!("{n} {one}{}", if n == 1 { "" } else { "s" })
}

/// The warnings for a program's core: calls with the wrong number of
/// arguments of definitions and constructors known at the call.
pub fn lint(core: &Core, globals: Scope<'_>) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    // Every binding in scope, by name, innermost last; and the names bound,
    // in order, to unbind them.
    let mut scope: HashMap<String, Vec<Known>> = HashMap::new();
    let mut bound: Vec<String> = Vec::new();
    let known = |scope: &HashMap<String, Vec<Known>>, atom: &Atom| -> Known {
        match atom {
            Atom::Var(name, _) => match scope.get(name.as_str()).and_then(|b| b.last()) {
                Some(k) => *k,
                None => globals.get(name).map_or(Known::Unknown, of_value),
            },
            Atom::Const(v) => of_value(v),
        }
    };
    let mut todo = vec![Work::Visit(core)];
    while let Some(work) = todo.pop() {
        let core = match work {
            Work::Visit(core) => core,
            Work::Bind(names) => {
                for (name, k) in names {
                    scope.entry(name.clone()).or_default().push(k);
                    bound.push(name);
                }
                continue;
            }
            Work::Unbind(n) => {
                for _ in 0..n {
                    let name = bound.pop().expect("a bound name");
                    if let Some(b) = scope.get_mut(&name) {
                        b.pop();
                    }
                }
                continue;
            }
        };
        match core {
            Core::Stop | Core::Const(_) | Core::Var(..) | Core::Field { .. } => {}
            Core::Call { target, args, span } => {
                let given = args.len();
                match known(&scope, target) {
                    Known::Def(arity) if arity != given => warnings.push(warning(
                        format!(
                            "{} takes {}, but this call passes {given}",
                            shown(target),
                            plural(arity, "argument")
                        ),
                        *span,
                    )),
                    Known::Constructor(arity) if arity != given => warnings.push(warning(
                        format!(
                            "constructor {} has {}, but this call passes {given}",
                            shown(target),
                            plural(arity, "field")
                        ),
                        *span,
                    )),
                    _ => {}
                }
            }
            Core::Parallel(l, r) | Core::Otherwise(l, r) => {
                todo.push(Work::Visit(r));
                todo.push(Work::Visit(l));
            }
            Core::Trim(e) => todo.push(Work::Visit(e)),
            // `source >x> body` and `body <x< source`: the source first,
            // then the body with `x` bound.
            Core::Sequential(source, x, body) | Core::Pruning(body, x, source) => {
                todo.push(Work::Unbind(usize::from(x.is_some())));
                todo.push(Work::Visit(body));
                if let Some(x) = x {
                    todo.push(Work::Bind(vec![(x.clone(), constant(source))]));
                }
                todo.push(Work::Visit(source));
            }
            Core::Defs(defs, body) => {
                let names: Vec<(String, Known)> = defs
                    .iter()
                    .map(|d| (d.name.clone(), Known::Def(d.params.len())))
                    .collect();
                todo.push(Work::Unbind(names.len()));
                todo.push(Work::Visit(body));
                for d in defs.iter().rev() {
                    todo.push(Work::Unbind(d.params.len()));
                    todo.push(Work::Visit(&d.body));
                    todo.push(Work::Bind(
                        d.params
                            .iter()
                            .map(|p| (p.clone(), Known::Unknown))
                            .collect(),
                    ));
                }
                todo.push(Work::Bind(names));
            }
            Core::Match {
                patterns,
                then,
                otherwise,
                ..
            } => {
                let mut names = Vec::new();
                for p in patterns {
                    p.bound_names(&mut names);
                }
                todo.push(Work::Visit(otherwise));
                let names: Vec<(String, Known)> =
                    names.into_iter().map(|n| (n, Known::Unknown)).collect();
                todo.push(Work::Unbind(names.len()));
                todo.push(Work::Visit(then));
                todo.push(Work::Bind(names));
            }
        }
    }
    warnings
}

/// Warnings for call patterns `C(p, ...)` whose constructor `C` is known
/// (declared by the program, or a global constructor such as `Some`) and
/// has another number of fields: such a pattern never matches.
pub fn call_patterns(
    patterns: &[(String, usize, Span)],
    declared: &HashMap<String, usize>,
    globals: Option<Scope<'_>>,
) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for (name, given, span) in patterns {
        let fields = match declared.get(name) {
            Some(&n) => n,
            None => match globals.and_then(|g| g.get(name)).map(of_value) {
                Some(Known::Constructor(n)) => n,
                _ => continue,
            },
        };
        if fields != *given {
            warnings.push(warning(
                format!(
                    "constructor `{name}` has {}, but this pattern has {given}: it never matches",
                    plural(fields, "field"),
                ),
                *span,
            ));
        }
    }
    warnings
}

/// What a value is, for the checks.
fn of_value(v: &Value) -> Known {
    match v {
        Value::Site(s) => match s.as_any().downcast_ref::<DataConstructor>() {
            Some(c) => Known::Constructor(c.0.arity),
            None => Known::Unknown,
        },
        _ => Known::Unknown,
    }
}

/// What a name bound to the publication of `core` is known to be.
fn constant(core: &Core) -> Known {
    match core {
        Core::Const(v) => of_value(v),
        _ => Known::Unknown,
    }
}

fn shown(atom: &Atom) -> String {
    match atom {
        Atom::Var(name, _) => format!("`{name}`"),
        Atom::Const(Value::Site(s)) => format!("`{}`", s.name()),
        Atom::Const(_) => "this value".to_string(),
    }
}

/// Clauses of one definition separated by other declarations: the later
/// run of clauses is a new definition hiding the earlier one. One warning
/// for each such later run, at its first clause.
pub fn scattered_clauses(decls: &[Decl], sources: Option<&SourceMap>) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    // The first clause of each definition seen, by name.
    let mut first: HashMap<&str, Span> = HashMap::new();
    let earlier_at = |span: Span| -> String {
        match sources.and_then(|s| s.line_col(span)) {
            Some((line, col)) => format!("line {line}, column {col}"),
            None => "an earlier declaration".to_string(),
        }
    };
    let mut previous: Option<&str> = None;
    for decl in decls {
        let name = match &decl.kind {
            DeclKind::Def(c) | DeclKind::Site(c) => Some(c.name.name.as_str()),
            _ => None,
        };
        if let Some(name) = name {
            if previous != Some(name) {
                if let Some(earlier) = first.get(name) {
                    warnings.push(
                        warning(
                            format!(
                                "clauses of `{name}` are not adjacent: this one starts a new \
                                 definition that hides the earlier"
                            ),
                            decl.span,
                        )
                        .with_help(format!(
                            "put all the clauses of `{name}` together, or give the two \
                             definitions different names (the earlier one starts at {})",
                            earlier_at(*earlier)
                        )),
                    );
                } else {
                    first.insert(name, decl.span);
                }
            }
        }
        // Signatures (`def f(Integer) :: Integer`) belong with the clauses.
        if !matches!(decl.kind, DeclKind::DefSig(_) | DeclKind::SiteSig(_)) {
            previous = name;
        }
    }
    warnings
}
