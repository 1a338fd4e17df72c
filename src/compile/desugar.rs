//! Lowering the surface AST to the core calculus ([`super::core`]): the
//! rule of each sugar.
//!
//! | sugar | core |
//! |---|---|
//! | `a + b`, `a = b`, ... | a call of the variable named by the operator, `+(a, b)`, so a program may rebind it |
//! | `-a`, `~a`, `a?`, `a := b` | `0-(a)`, `~(a)`, `?(a)`, `:=(a, b)`; a call of the built-in `?` or `:=` is resolved as `a.read()`, `a.write(b)` |
//! | `f(e)` with a non-atomic `e` (or callee) | `f(x) <x< e` |
//! | `[a, b]`, `(a, b)`, `{. k = a .}` | calls of the list, tuple and record constructor sites |
//! | `if c then a else b` | `(Ift(x) >> a \| Iff(x) >> b) <x< c` |
//! | `val P = e  body` | `body <P< e` |
//! | `f >P> g` (P not a variable) | `f >x> match(x ~ P => g else stop)` |
//! | `f <P< g` (P not a variable) | `f' <t< (g >y> match(y ~ P => (v1, ..., vn)))`, each `vi` bound from `t` |
//! | call pattern `C(p)` in `>P>`, `<P<`, `val` | the value in its place `z`, then `C.unapply(z) >p> ...` (each publication matched; a constructor answers at once) |
//! | `def` clauses | one closure; its body tries the clauses in order with `match`, falling through on a mismatch |
//! | a clause with call patterns not known as constructors | `({\| match with unapply calls => (names) \|} >t> Some(t) ; None()) >r> match(r ~ Some(t) => body else next clauses)` |
//! | clause guard `if (e)` | `({\| match(args ~ P => e >g> Ift(g)) \|} >> true ; false) >b> match(b ~ true => clause else next)` |
//! | `lambda (P) = e`, `{ ... _ ... }` | a local definition, then its name |
//! | `type T = A(_) \| B()` | constructor sites bound to `A`, `B` |
//! | `site f(x) = e` | like `def`, marked as a site (its body runs in the declaring scope) |
//! | `def class C(ps) = decls goal` | `site C(ps)` publishing, once, the record of its methods while `goal` runs beside it (built by the parser, `syntax/parser/decls.rs`) |
//! | `a.m(args)` | `a.m >t> t(args)` (a field publishes at most once) |
//! | `class`, `new`, `this`, `super` | layer definitions and `new(L0, ..., Ln)` over the linearization: [`super::classes`]; `new` is bound in sequence, never by pruning |
//! | types, `e :: T` | erased |
//! | `include "f"` | the file's declarations, spliced in by the loader, once per program |
//!
//! Programs nest without limit, so this pass does not recurse over them:
//! it is written in continuation-passing style (see [`super::stackless`])
//! and visits one expression at a time, keeping what it would have kept on
//! the Rust stack in boxed continuations. Fresh names and diagnostics come
//! out in the order a recursive walk would make them.

use super::core::{Atom, Core, CorePat, Def, Name};
use super::scope::Scope;
use super::stackless::{self, Cont};
use crate::diagnostics::{Diagnostic, Span};
use crate::sites::structural::{self as st};
use crate::syntax::ast::{self, DeclKind, ExprKind, Literal, PatternKind};
use crate::value::{Decimal, Value};
use std::collections::HashMap;
use std::sync::Arc;

pub struct Desugarer<'a> {
    fresh: u32,
    pub(super) errors: Vec<Diagnostic>,
    /// The globals the result will be resolved against, when known: `import
    /// site` consults them for names the host withheld.
    globals: Option<Scope<'a>>,
    /// The classes in scope (see [`super::classes`]).
    pub(super) classes: super::classes::Scope<'a>,
    /// The placeholders `_` of the sections being lowered, by node
    /// address, with the parameter each stands for.
    placeholders: HashMap<*const ast::Expr, Name>,
    /// The datatype constructors the program declares (by name, in every
    /// scope: a later binding of the name is not tracked), which call
    /// patterns in definitions' clauses match at once.
    constructors: std::collections::HashSet<String>,
    /// The number of fields of each constructor the program declares (the
    /// last declaration of a name wins), and the call patterns lowered,
    /// with their number of arguments: what [`super::lint`] compares.
    pub(super) constructor_fields: HashMap<String, usize>,
    pub(super) call_patterns: Vec<(String, usize, Span)>,
}

/// A step of the pass: visit an expression (its core goes to the
/// continuation), hand a helper's result on, or a core for the pending
/// continuation.
pub(super) type Step<'a> = stackless::Step<'a, Desugarer<'a>, &'a ast::Expr, Core>;

/// A continuation for a helper's result of type `T`.
pub(super) type K<'a, T> = Box<dyn FnOnce(&mut Desugarer<'a>, T) -> Step<'a> + 'a>;

/// Lowers `e`, then continues with its core.
pub(super) fn then<'a>(
    e: &'a ast::Expr,
    k: impl FnOnce(&mut Desugarer<'a>, Core) -> Step<'a> + 'a,
) -> Step<'a> {
    let k: Cont<'a, Desugarer<'a>, &'a ast::Expr, Core> = Box::new(k);
    stackless::Step::Then(e, k)
}

/// Desugars `l`, then `r`, and combines their cores with `make`: the
/// binary combinators.
fn both<'a>(
    l: &'a ast::Expr,
    r: &'a ast::Expr,
    make: impl FnOnce(&mut Desugarer<'a>, Core, Core) -> Core + 'a,
) -> Step<'a> {
    then(l, move |_, l| {
        then(r, move |d, r| stackless::Step::Done(make(d, l, r)))
    })
}

/// Hands `value` to the continuation `k` (through the driver, so that
/// chains of helpers do not grow the Rust stack).
pub(super) fn ret<'a, T: 'a>(k: K<'a, T>, value: T) -> Step<'a> {
    stackless::Step::Jump(Box::new(move |d| k(d, value)))
}

/// The continuation that makes a helper's core the result of the visit.
pub(super) fn done<'a>() -> K<'a, Core> {
    Box::new(|_, core| stackless::Step::Done(core))
}

/// What a list of declarations scopes over.
enum Body<'a> {
    Expr(&'a ast::Expr),
    Core(Core),
    /// Nothing: the program has declarations but no expression (an
    /// error, reported after the declarations' own).
    Missing(&'a ast::Decl),
}

/// One clause of a definition, as the desugarer reads it (a `def`
/// clause, or a lambda).
#[derive(Clone, Copy)]
pub(super) struct Clause<'a> {
    /// Where the clause's name is (the lambda, for a lambda).
    pub name_span: Span,
    pub params: &'a [ast::Pattern],
    pub guard: Option<&'a ast::Expr>,
    pub body: &'a ast::Expr,
}

impl<'a> Clause<'a> {
    pub(super) fn of(c: &'a ast::DefClause) -> Clause<'a> {
        Clause {
            name_span: c.name.span,
            params: &c.params,
            guard: c.guard.as_ref(),
            body: &c.body,
        }
    }
}

/// Lowers a program; its declarations scope over its body. A program of
/// declarations alone is an error, as in the reference.
pub fn desugar_program(program: &ast::Program) -> Result<Core, Vec<Diagnostic>> {
    program_with(program, None)
}

/// [`desugar_program`] for a program to be resolved against `globals`.
pub fn desugar_program_in<'a>(
    program: &'a ast::Program,
    globals: impl Into<Scope<'a>>,
) -> Result<Core, Vec<Diagnostic>> {
    program_with(program, Some(globals.into()))
}

fn program_with<'a>(
    program: &'a ast::Program,
    globals: Option<Scope<'a>>,
) -> Result<Core, Vec<Diagnostic>> {
    program_warning(program, globals).map(|(core, _)| core)
}

/// [`desugar_program_in`], with the warnings about constructor patterns
/// of the wrong number of fields (see [`super::lint`]).
pub fn desugar_program_warning<'a>(
    program: &'a ast::Program,
    globals: Scope<'a>,
) -> Result<(Core, Vec<Diagnostic>), Vec<Diagnostic>> {
    program_warning(program, Some(globals))
}

fn program_warning<'a>(
    program: &'a ast::Program,
    globals: Option<Scope<'a>>,
) -> Result<(Core, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut d = Desugarer::new();
    d.globals = globals;
    let body = match (&program.body, program.decls.last()) {
        (Some(e), _) => Body::Expr(e),
        // As in the reference: declarations alone are not a program.
        (None, Some(last)) => Body::Missing(last),
        (None, None) => Body::Core(Core::Stop),
    };
    let core = d.lower_decls(&program.decls, body);
    let warnings = super::lint::call_patterns(&d.call_patterns, &d.constructor_fields, globals);
    d.finish(core).map(|core| (core, warnings))
}

/// The error for a program of declarations alone. When the last one ends
/// in a call whose arguments are set apart from the callee (`v (x, y)`),
/// the likely cause is an expression in parentheses meant to follow the
/// declaration, read as arguments: it says so there. (On a line of its
/// own, a `(` always begins an expression: see the lexer.)
fn no_expression(last: &ast::Decl) -> Diagnostic {
    const MESSAGE: &str = "the program has declarations but no expression to run";
    let body = match &last.kind {
        ast::DeclKind::Val { expr, .. } => Some(expr),
        ast::DeclKind::Def(clause) | ast::DeclKind::Site(clause) => Some(&clause.body),
        _ => None,
    };
    if let Some(call) = body.and_then(trailing_spaced_call) {
        return Diagnostic::compile(MESSAGE, call)
            .with_label("read as one call, with what is in the parentheses as its arguments")
            .with_help(
                "parentheses after a declaration, on its line, are read as arguments \
                 of what the declaration ends with; begin the program's expression \
                 on a line of its own",
            );
    }
    let end = Span {
        start: last.span.end,
        ..last.span
    };
    Diagnostic::compile(MESSAGE, end)
        .with_label("expected an expression after the declarations")
        .with_help("end the program with an expression, e.g. a call of what it defines")
}

/// The span of the expression that `e`'s text ends with, if that is a call
/// with a gap (white space) between the callee and its `(`.
fn trailing_spaced_call(e: &ast::Expr) -> Option<Span> {
    use ast::ExprKind as K;
    let mut e = e;
    loop {
        e = match &e.kind {
            K::Call {
                target,
                type_args: None,
                args,
            } => {
                // `f(a)` has its first argument one character after the
                // callee (`f()` ends two after it).
                let spaced = match args.first() {
                    Some(a) => a.span.start > target.span.end + 1,
                    None => e.span.end > target.span.end + 2,
                };
                return spaced.then_some(e.span);
            }
            K::Binary { right, .. }
            | K::Sequential { right, .. }
            | K::Pruning { right, .. }
            | K::Parallel(_, right)
            | K::Otherwise(_, right) => right,
            K::Prefix { operand, .. } => operand,
            K::Conditional { otherwise, .. } => otherwise,
            K::Declare { body, .. } => body,
            K::Lambda(lambda) => &lambda.body,
            _ => return None,
        };
    }
}

/// [`desugar_decls`] for declarations to be resolved against `globals`.
pub fn desugar_decls_in<'a>(
    decls: &'a [ast::Decl],
    body: Core,
    globals: impl Into<Scope<'a>>,
) -> Result<Core, Vec<Diagnostic>> {
    let mut d = Desugarer::new();
    d.globals = Some(globals.into());
    let core = d.decls(decls, body);
    d.finish(core)
}

/// [`desugar_expr`] for an expression to be resolved against `globals`.
pub fn desugar_expr_in<'a>(
    e: &'a ast::Expr,
    globals: impl Into<Scope<'a>>,
) -> Result<Core, Vec<Diagnostic>> {
    let mut d = Desugarer::new();
    d.globals = Some(globals.into());
    let core = d.expr(e);
    d.finish(core)
}

/// Lowers declarations whose scope is `body` (already core).
pub fn desugar_decls(decls: &[ast::Decl], body: Core) -> Result<Core, Vec<Diagnostic>> {
    let mut d = Desugarer::new();
    let core = d.decls(decls, body);
    d.finish(core)
}

/// Lowers one expression (for tests).
pub fn desugar_expr(e: &ast::Expr) -> Result<Core, Vec<Diagnostic>> {
    let mut d = Desugarer::new();
    let core = d.expr(e);
    d.finish(core)
}

/// The names a sequence of declarations binds, in order (for the REPL and
/// the prelude, which keep them for later inputs).
pub fn declared_names(decls: &[ast::Decl]) -> Vec<String> {
    let mut out = Vec::new();
    for decl in flatten(decls.iter()) {
        match &decl.kind {
            DeclKind::Val { pattern, .. } => {
                let mut d = Desugarer::new();
                d.pattern(pattern).bound_names(&mut out);
            }
            DeclKind::Def(c) | DeclKind::Site(c) => out.push(c.name.name.clone()),
            DeclKind::ImportSite { name, .. } => out.push(name.name.clone()),
            DeclKind::Datatype { constructors, .. } => {
                out.extend(constructors.iter().map(|c| c.name.name.clone()))
            }
            _ => {}
        }
    }
    let mut seen = std::collections::HashSet::new();
    let mut unique: Vec<String> = out
        .into_iter()
        .rev()
        .filter(|n| seen.insert(n.clone()))
        .collect();
    unique.reverse();
    unique
}

fn lit(l: &Literal) -> Value {
    match l {
        Literal::Int(i) => Value::from_bigint(i.clone()),
        Literal::Decimal(s) => Decimal::parse(s).map(Value::decimal).unwrap_or(Value::Null),
        Literal::Str(s) => Value::str(s),
        Literal::Bool(b) => Value::Bool(*b),
        Literal::Signal => Value::Signal,
        Literal::Null => Value::Null,
    }
}

fn site(s: impl crate::value::site::Site) -> Value {
    Value::Site(Arc::new(s))
}

/// The state of lowering a list of declarations, last first.
struct Declaring<'a> {
    flat: Vec<&'a ast::Decl>,
    /// For each declaration, how many classes are visible while lowering it.
    visible: Vec<usize>,
    /// How many classes were visible before the declarations.
    outer: usize,
    /// The declarations still to lower: `flat[..left]`.
    left: usize,
}

/// The state of lowering a recursive group of definitions.
/// A definition of a group: its name, clauses, span, and whether it is a
/// `site` (and one that publishes once).
type Named<'a> = (&'a str, Vec<Clause<'a>>, Span, (bool, bool));

struct Grouping<'a> {
    decls: Vec<&'a ast::Decl>,
    /// Each definition's name, clauses, span and whether it is a `site`
    /// (and one that publishes once).
    names: std::vec::IntoIter<Named<'a>>,
    defs: Vec<Def>,
    body: Core,
    k: K<'a, Core>,
}

/// The state of lowering a definition of several clauses (or patterns or a
/// guard), last clause first.
struct Clauses<'a> {
    name: String,
    clauses: Vec<Clause<'a>>,
    /// The clauses still to lower: `clauses[..left]`.
    left: usize,
    params: Vec<Name>,
    args: Vec<Atom>,
    /// What the clauses after them lower to.
    body: Core,
    span: Span,
}

/// The state of turning a list of expressions into atoms.
struct Atoms<'a> {
    exprs: Vec<&'a ast::Expr>,
    next: usize,
    atoms: Vec<Atom>,
    binds: Vec<(Name, Core)>,
}

impl<'a> Desugarer<'a> {
    fn new() -> Desugarer<'a> {
        Desugarer {
            fresh: 0,
            errors: Vec::new(),
            globals: None,
            classes: Default::default(),
            placeholders: HashMap::new(),
            constructors: Default::default(),
            constructor_fields: HashMap::new(),
            call_patterns: Vec::new(),
        }
    }

    /// The site an `import site` location names (see
    /// [`crate::sites::import_site`]); `Err` when the globals withhold it
    /// (a sandbox), with the reason.
    fn import(&self, location: &str) -> Result<Option<Value>, String> {
        let withheld = self
            .globals
            .and_then(|g| g.get(crate::sites::import_name(location)))
            .and_then(crate::sites::withheld::Withheld::of);
        match withheld {
            Some(w) => Err(w.message()),
            None => Ok(crate::sites::import_site(location)),
        }
    }

    fn finish(self, core: Core) -> Result<Core, Vec<Diagnostic>> {
        if self.errors.is_empty() {
            Ok(core)
        } else {
            Err(self.errors)
        }
    }

    pub(super) fn fresh(&mut self) -> Name {
        self.fresh += 1;
        format!("${}", self.fresh)
    }

    pub(super) fn error(&mut self, msg: impl Into<String>, span: Span) -> Core {
        self.errors.push(Diagnostic::compile(msg, span));
        Core::Stop
    }

    /// Lowers one expression.
    pub fn expr(&mut self, e: &'a ast::Expr) -> Core {
        stackless::run(
            self,
            then(e, |_, core| stackless::Step::Done(core)),
            Self::visit,
        )
    }

    /// Lowers declarations whose scope is `body` (already core).
    pub fn decls(&mut self, decls: &'a [ast::Decl], body: Core) -> Core {
        self.lower_decls(decls, Body::Core(body))
    }

    fn lower_decls(&mut self, decls: &'a [ast::Decl], body: Body<'a>) -> Core {
        let start = self.declare(decls.iter().collect(), body, done());
        stackless::run(self, start, Self::visit)
    }

    // ----- atoms ----------------------------------------------------------

    /// `e` as an atom, if it is one (a constant, a variable, `this`, `[]`,
    /// a section's placeholder).
    fn atom_now(&mut self, e: &ast::Expr) -> Option<Atom> {
        Some(match &e.kind {
            ExprKind::Literal(l) => Atom::Const(lit(l)),
            ExprKind::Var(n) => Atom::Var(n.clone(), e.span),
            ExprKind::This => self.this_atom(e.span),
            ExprKind::List(items) if items.is_empty() => Atom::Const(Value::list(Vec::new())),
            ExprKind::Placeholder => {
                Atom::Var(self.placeholders.get(&(e as *const _))?.clone(), e.span)
            }
            _ => return None,
        })
    }

    /// The expressions as atoms, in order; the non-atomic ones get fresh
    /// variables, bound by prunings (`binds`) that the caller wraps around
    /// the use.
    fn atoms(&mut self, exprs: Vec<&'a ast::Expr>, k: K<'a, (Vec<Atom>, Binds)>) -> Step<'a> {
        let state = Atoms {
            atoms: Vec::with_capacity(exprs.len()),
            exprs,
            next: 0,
            binds: Vec::new(),
        };
        self.atoms_from(state, k)
    }

    fn atoms_from(&mut self, mut st: Atoms<'a>, k: K<'a, (Vec<Atom>, Binds)>) -> Step<'a> {
        while let Some(&e) = st.exprs.get(st.next) {
            st.next += 1;
            let mut e = e;
            while let ExprKind::Ascribe { expr, .. } = &e.kind {
                e = expr;
            }
            if let Some(atom) = self.atom_now(e) {
                st.atoms.push(atom);
                continue;
            }
            let x = self.fresh();
            st.atoms.push(Atom::Var(x.clone(), e.span));
            return then(e, move |d, core| {
                st.binds.push((x, core));
                d.atoms_from(st, k)
            });
        }
        // Called at once: what an `atoms` continuation does is bounded
        // (it builds the node, or visits a subexpression).
        k(self, (st.atoms, st.binds))
    }

    /// A call of `target` whose arguments may be arbitrary expressions.
    fn call(&mut self, target: Atom, args: Vec<&'a ast::Expr>, span: Span) -> Step<'a> {
        self.atoms(
            args,
            Box::new(move |_, (args, binds)| {
                let call = Core::Call { target, args, span };
                stackless::Step::Done(wrap(call, binds))
            }),
        )
    }

    fn call_const(&mut self, target: Value, args: Vec<&'a ast::Expr>, span: Span) -> Step<'a> {
        self.call(Atom::Const(target), args, span)
    }

    /// `receiver.name(args)`: the callee publishes at most once and the
    /// call needs it anyway, so it is bound in sequence:
    /// `receiver.name >t> t(args)` (so `(new C).m()` keeps the object's
    /// members running in the caller's group). A receiver that is not
    /// atomic is bound around that, inside the arguments' bindings:
    /// `(x.m >t> t(args)) <x< e`, so that the method call itself always
    /// has an atomic receiver.
    fn method_call(
        &mut self,
        receiver: &'a ast::Expr,
        name: &str,
        mut args: Vec<&'a ast::Expr>,
        field_span: Span,
        span: Span,
    ) -> Step<'a> {
        let name = name.to_string();
        args.push(receiver);
        self.atoms(
            args,
            Box::new(move |d, (mut atoms, binds)| {
                let x = atoms.pop().expect("the receiver");
                let t = d.fresh();
                let callee = Core::Field {
                    target: x,
                    name,
                    span: field_span,
                };
                let call = Core::Call {
                    target: Atom::Var(t.clone(), span),
                    args: atoms,
                    span,
                };
                let seq = Core::Sequential(Box::new(callee), Some(t), Box::new(call));
                stackless::Step::Done(wrap(seq, binds))
            }),
        )
    }

    fn op_call(&mut self, name: &str, args: Vec<&'a ast::Expr>, span: Span) -> Step<'a> {
        self.call(Atom::Var(name.to_string(), span), args, span)
    }

    // ----- expressions ----------------------------------------------------

    /// Lowers one node: its core, or the steps that make it.
    fn visit(&mut self, e: &'a ast::Expr) -> Step<'a> {
        let span = e.span;
        let core = match &e.kind {
            ExprKind::Literal(l) => Core::Const(lit(l)),
            ExprKind::Var(n) => Core::Var(n.clone(), span),
            ExprKind::This => self.this_expr(span),
            ExprKind::Placeholder => match self.placeholders.get(&(e as *const _)) {
                Some(x) => Core::Var(x.clone(), span),
                None => self.error(
                    "`_` stands for an argument only inside a section `{ ... }`",
                    span,
                ),
            },
            ExprKind::Stop => Core::Stop,
            ExprKind::Super(name) => self.super_member(name, span),
            ExprKind::New(class) => return self.new_object(class, span, done()),
            ExprKind::List(items) => {
                if items.is_empty() {
                    Core::Const(Value::list(Vec::new()))
                } else {
                    return self.call_const(site(st::MakeList), items.iter().collect(), span);
                }
            }
            ExprKind::Tuple(items) => {
                return self.call_const(site(st::MakeTuple), items.iter().collect(), span)
            }
            ExprKind::Record(fields) => {
                let names = fields
                    .iter()
                    .map(|(n, _)| Arc::from(n.name.as_str()))
                    .collect();
                let values = fields.iter().map(|(_, e)| e).collect();
                return self.call_const(site(st::MakeRecord { names }), values, span);
            }
            ExprKind::Call { target, args, .. }
                if matches!(target.kind, ExprKind::Field { .. }) =>
            {
                let ExprKind::Field {
                    target: receiver,
                    name,
                } = &target.kind
                else {
                    unreachable!("matched above")
                };
                return self.method_call(
                    receiver,
                    &name.name,
                    args.iter().collect(),
                    target.span,
                    span,
                );
            }
            ExprKind::Call { target, args, .. } => {
                // The callee's binding goes around the arguments'.
                let mut exprs = vec![&**target];
                exprs.extend(args);
                return self.atoms(
                    exprs,
                    Box::new(move |_, (mut atoms, binds)| {
                        let target = atoms.remove(0);
                        let call = Core::Call {
                            target,
                            args: atoms,
                            span,
                        };
                        stackless::Step::Done(wrap(call, binds))
                    }),
                );
            }
            ExprKind::Field { target, name } => {
                return self.atoms(
                    vec![target],
                    Box::new(move |_, (mut atoms, binds)| {
                        let field = Core::Field {
                            target: atoms.pop().expect("the target"),
                            name: name.name.clone(),
                            span,
                        };
                        stackless::Step::Done(wrap(field, binds))
                    }),
                );
            }
            // Calls of the operators `?` and `:=`, which programs may
            // rebind; the built-in ones are method calls `x.read()` and
            // `x.write(y)` (see `Resolver::visit`).
            ExprKind::Deref(target) => return self.op_call("?", vec![target], span),
            ExprKind::Prefix { op, operand } => {
                return self.op_call(op.site_name(), vec![operand], span)
            }
            ExprKind::Binary { op, left, right } => {
                return self.op_call(op.site_name(), vec![left, right], span)
            }
            ExprKind::Sequential {
                left,
                pattern,
                right,
            } => {
                return both(left, right, move |d, l, r| {
                    d.sequential(l, pattern.as_ref(), r, span)
                })
            }
            ExprKind::Parallel(l, r) => {
                return both(l, r, |_, l, r| Core::Parallel(Box::new(l), Box::new(r)))
            }
            ExprKind::Pruning {
                left,
                pattern,
                right,
            } => {
                return both(left, right, move |d, l, r| {
                    let p = pattern.as_ref().map(|p| d.pattern(p));
                    d.pruning(l, p, r, span)
                })
            }
            ExprKind::Otherwise(l, r) => {
                return both(l, r, |_, l, r| Core::Otherwise(Box::new(l), Box::new(r)))
            }
            ExprKind::Trim(e) => {
                return then(e, |_, e| stackless::Step::Done(Core::Trim(Box::new(e))))
            }
            ExprKind::Section(body) => return self.section(body, span),
            ExprKind::Lambda(l) => return self.lambda(&l.params, &l.body, span, done()),
            ExprKind::Conditional {
                cond,
                then: yes,
                otherwise: no,
            } => {
                return self.atoms(
                    vec![cond],
                    Box::new(move |_, (mut atoms, binds)| {
                        let c = atoms.pop().expect("the condition");
                        then(yes, move |_, t| {
                            then(no, move |_, f| {
                                let branch = |test: Value, body: Core| {
                                    Core::Sequential(
                                        Box::new(Core::Call {
                                            target: Atom::Const(test),
                                            args: vec![c.clone()],
                                            span,
                                        }),
                                        None,
                                        Box::new(body),
                                    )
                                };
                                let par = Core::Parallel(
                                    Box::new(branch(site(st::Ift), t)),
                                    Box::new(branch(site(st::Iff), f)),
                                );
                                stackless::Step::Done(wrap(par, binds))
                            })
                        })
                    }),
                );
            }
            ExprKind::Declare { .. } => {
                let mut decls = Vec::new();
                let mut cur = e;
                while let ExprKind::Declare { decl, body } = &cur.kind {
                    decls.push(&**decl);
                    cur = body;
                }
                return self.declare(decls, Body::Expr(cur), done());
            }
            ExprKind::Ascribe { expr, .. } => return then(expr, |_, e| stackless::Step::Done(e)),
        };
        stackless::Step::Done(core)
    }

    /// `left >P> right`.
    fn sequential(&mut self, l: Core, pattern: Option<&ast::Pattern>, r: Core, span: Span) -> Core {
        match pattern.map(|p| self.pattern(p)) {
            None | Some(CorePat::Wildcard) => Core::Sequential(Box::new(l), None, Box::new(r)),
            Some(CorePat::Bind(x)) => Core::Sequential(Box::new(l), Some(x), Box::new(r)),
            Some(p) => {
                let x = self.fresh();
                let m = self.match_or_stop(Atom::Var(x.clone(), span), p, r, span);
                Core::Sequential(Box::new(l), Some(x), Box::new(m))
            }
        }
    }

    /// `x` matched against `p`, then `then`; nothing if it does not match.
    ///
    /// A call pattern `C(ps)` in `p` matches through `C.unapply`, as the
    /// manual says: the value in its place is passed to `C.unapply`, and
    /// each of its publications is matched against `ps` (one pattern, or
    /// their tuple), so `C` may be a record or object with an `unapply`
    /// member, which may publish many times or wait; a constructor's
    /// `unapply` publishes the parts at once. (In a definition's clauses,
    /// which must decide at once whether they match, call patterns take
    /// constructors only.)
    fn match_or_stop(&mut self, x: Atom, p: CorePat, then: Core, span: Span) -> Core {
        match p {
            CorePat::Call(target, ps) => self.unapply_then(target, x, unapplied(ps), then, span),
            p => self.match_all(vec![x], vec![p], then, span),
        }
    }

    /// `match(xs ~ ps => then else stop)`, each call pattern in `ps`
    /// matched through `unapply` after the rest (see
    /// [`Desugarer::match_or_stop`]).
    fn match_all(&mut self, xs: Vec<Atom>, ps: Vec<CorePat>, then: Core, span: Span) -> Core {
        let mut calls = Vec::new();
        let outer: Vec<CorePat> = ps
            .into_iter()
            .map(|p| self.extract_calls(p, &mut calls))
            .collect();
        let mut body = then;
        for (z, target, inner) in calls.into_iter().rev() {
            body = self.unapply_then(target, Atom::Var(z, span), inner, body, span);
        }
        Core::Match {
            scrutinees: xs,
            patterns: outer,
            then: Box::new(body),
            otherwise: Box::new(Core::Stop),
            span,
        }
    }

    /// `target.unapply(x) >inner> then`, for a call pattern.
    fn unapply_then(
        &mut self,
        target: Atom,
        x: Atom,
        inner: CorePat,
        then: Core,
        span: Span,
    ) -> Core {
        let method = self.fresh();
        let unapply = Box::new(Core::Sequential(
            Box::new(Core::Field {
                target,
                name: "unapply".to_string(),
                span,
            }),
            Some(method.clone()),
            Box::new(Core::Call {
                target: Atom::Var(method, span),
                args: vec![x],
                span,
            }),
        ));
        match inner {
            CorePat::Wildcard => Core::Sequential(unapply, None, Box::new(then)),
            CorePat::Bind(name) => Core::Sequential(unapply, Some(name), Box::new(then)),
            inner => {
                let part = self.fresh();
                let rest = self.match_or_stop(Atom::Var(part.clone(), span), inner, then, span);
                Core::Sequential(unapply, Some(part), Box::new(rest))
            }
        }
    }

    /// Whether `p` has a call pattern whose target is not known to be a
    /// datatype constructor (declared in the program, or a global one such
    /// as `Some`): such a pattern matches through calls of `unapply`,
    /// while a constructor's is matched at once.
    fn calls_other_than_constructors(&self, p: &CorePat) -> bool {
        let mut todo = vec![p];
        while let Some(p) = todo.pop() {
            match p {
                CorePat::Call(target, ps) => {
                    let known = match target {
                        Atom::Var(name, _) => {
                            self.constructors.contains(name)
                                || match self.globals.and_then(|g| g.get(name)) {
                                    Some(Value::Site(s)) => s.unapply(&Value::Signal).is_ok(),
                                    Some(_) => false,
                                    None => matches!(name.as_str(), "Some" | "None"),
                                }
                        }
                        Atom::Const(Value::Site(s)) => s.unapply(&Value::Signal).is_ok(),
                        Atom::Const(_) => false,
                    };
                    if !known {
                        return true;
                    }
                    todo.extend(ps);
                }
                CorePat::Tuple(ps) | CorePat::List(ps) => todo.extend(ps),
                CorePat::Cons(h, t) => todo.extend([&**h, &**t]),
                CorePat::Record(fs) => todo.extend(fs.iter().map(|(_, p)| p)),
                CorePat::As(p, _) => todo.push(p),
                CorePat::Wildcard | CorePat::Bind(_) | CorePat::Const(_) => {}
            }
        }
        false
    }

    /// `p` with each call pattern in it replaced by a fresh variable,
    /// listed in `calls` with its target and the pattern for what its
    /// `unapply` publishes. (Patterns nest at most `MAX_DEPTH` deep: this
    /// recursion is bounded.)
    fn extract_calls(&mut self, p: CorePat, calls: &mut Vec<(Name, Atom, CorePat)>) -> CorePat {
        match p {
            CorePat::Call(target, ps) => {
                let z = self.fresh();
                calls.push((z.clone(), target, unapplied(ps)));
                CorePat::Bind(z)
            }
            CorePat::Tuple(ps) => CorePat::Tuple(
                ps.into_iter()
                    .map(|p| self.extract_calls(p, calls))
                    .collect(),
            ),
            CorePat::List(ps) => CorePat::List(
                ps.into_iter()
                    .map(|p| self.extract_calls(p, calls))
                    .collect(),
            ),
            CorePat::Cons(h, t) => CorePat::Cons(
                Box::new(self.extract_calls(*h, calls)),
                Box::new(self.extract_calls(*t, calls)),
            ),
            CorePat::Record(fs) => CorePat::Record(
                fs.into_iter()
                    .map(|(n, p)| (n, self.extract_calls(p, calls)))
                    .collect(),
            ),
            CorePat::As(p, n) => CorePat::As(Box::new(self.extract_calls(*p, calls)), n),
            other => other,
        }
    }

    /// A section `{ ... _ ... }`: a lambda whose parameters are the
    /// placeholders of its body (not of sections nested in it).
    fn section(&mut self, body: &'a ast::Expr, span: Span) -> Step<'a> {
        let holes = placeholders(body);
        let params: Vec<Name> = holes.iter().map(|_| self.fresh()).collect();
        for (&hole, x) in holes.iter().zip(&params) {
            self.placeholders.insert(hole, x.clone());
        }
        let name = format!("lambda{}", self.fresh().trim_start_matches('$'));
        then(body, move |d, body| {
            for hole in &holes {
                d.placeholders.remove(hole);
            }
            let def = Def {
                name: name.clone(),
                params,
                body,
                span,
                site: false,
                once: false,
            };
            stackless::Step::Done(Core::Defs(vec![def], Box::new(Core::Var(name, span))))
        })
    }

    fn lambda(
        &mut self,
        params: &'a [ast::Pattern],
        body: &'a ast::Expr,
        span: Span,
        k: K<'a, Core>,
    ) -> Step<'a> {
        let name = format!("lambda{}", self.fresh().trim_start_matches('$'));
        let clause = Clause {
            name_span: span,
            params,
            guard: None,
            body,
        };
        self.def_group_member(
            name.clone(),
            vec![clause],
            span,
            Box::new(move |_, def| ret(k, Core::Defs(vec![def], Box::new(Core::Var(name, span))))),
        )
    }

    /// `left <P< right`.
    pub(super) fn pruning(
        &mut self,
        left: Core,
        pattern: Option<CorePat>,
        right: Core,
        span: Span,
    ) -> Core {
        match pattern {
            Some(CorePat::Bind(x)) if super::classes::is_new(&right) => {
                Core::Sequential(Box::new(right), Some(x), Box::new(left))
            }
            None | Some(CorePat::Wildcard) => Core::Pruning(Box::new(left), None, Box::new(right)),
            Some(CorePat::Bind(x)) => Core::Pruning(Box::new(left), Some(x), Box::new(right)),
            Some(p) => {
                let mut names = Vec::new();
                p.bound_names(&mut names);
                let y = self.fresh();
                let result = match names.len() {
                    0 => Core::Const(Value::Signal),
                    1 => Core::Var(names[0].clone(), span),
                    _ => Core::Call {
                        target: Atom::Const(site(st::MakeTuple)),
                        args: names.iter().map(|n| Atom::Var(n.clone(), span)).collect(),
                        span,
                    },
                };
                let matched = Core::Sequential(
                    Box::new(right),
                    Some(y.clone()),
                    Box::new(self.match_or_stop(Atom::Var(y, span), p, result, span)),
                );
                match names.len() {
                    0 => Core::Pruning(Box::new(left), None, Box::new(matched)),
                    1 => Core::Pruning(Box::new(left), Some(names[0].clone()), Box::new(matched)),
                    n => {
                        // Bind each variable to its component of the tuple.
                        let t = self.fresh();
                        let mut body = left;
                        for (i, name) in names.iter().enumerate() {
                            let mut parts = vec![CorePat::Wildcard; n];
                            parts[i] = CorePat::Bind(name.clone());
                            let project = Core::Match {
                                scrutinees: vec![Atom::Var(t.clone(), span)],
                                patterns: vec![CorePat::Tuple(parts)],
                                then: Box::new(Core::Var(name.clone(), span)),
                                otherwise: Box::new(Core::Stop),
                                span,
                            };
                            body = Core::Pruning(
                                Box::new(body),
                                Some(name.clone()),
                                Box::new(project),
                            );
                        }
                        Core::Pruning(Box::new(body), Some(t), Box::new(matched))
                    }
                }
            }
        }
    }

    /// A pattern (patterns nest at most `MAX_DEPTH` deep: this recursion is
    /// bounded).
    pub fn pattern(&mut self, p: &ast::Pattern) -> CorePat {
        match &p.kind {
            PatternKind::Wildcard => CorePat::Wildcard,
            PatternKind::Var(n) => CorePat::Bind(n.clone()),
            PatternKind::Literal(l) => CorePat::Const(lit(l)),
            PatternKind::Tuple(ps) => CorePat::Tuple(ps.iter().map(|p| self.pattern(p)).collect()),
            PatternKind::List(ps) => CorePat::List(ps.iter().map(|p| self.pattern(p)).collect()),
            PatternKind::Cons(h, t) => {
                CorePat::Cons(Box::new(self.pattern(h)), Box::new(self.pattern(t)))
            }
            PatternKind::Record(fs) => CorePat::Record(
                fs.iter()
                    .map(|(n, p)| (n.name.clone(), self.pattern(p)))
                    .collect(),
            ),
            PatternKind::Call { name, args } => {
                self.call_patterns
                    .push((name.name.clone(), args.len(), p.span));
                CorePat::Call(
                    Atom::Var(name.name.clone(), name.span),
                    args.iter().map(|p| self.pattern(p)).collect(),
                )
            }
            PatternKind::As(p, n) => CorePat::As(Box::new(self.pattern(p)), n.name.clone()),
            PatternKind::Typed(p, _) => self.pattern(p),
        }
    }

    // ----- declarations ---------------------------------------------------

    /// Declarations scoping over `body`, innermost last: the classes they
    /// declare are in scope there (and in the declarations after each).
    fn declare(&mut self, decls: Vec<&'a ast::Decl>, body: Body<'a>, k: K<'a, Core>) -> Step<'a> {
        let flat = flatten(decls.into_iter());
        for d in &flat {
            if let DeclKind::Datatype { constructors, .. } = &d.kind {
                self.constructors
                    .extend(constructors.iter().map(|c| c.name.name.clone()));
                self.constructor_fields.extend(
                    constructors
                        .iter()
                        .map(|c| (c.name.name.clone(), c.fields.len())),
                );
            }
        }
        let (outer, visible) = self.enter_classes(&flat);
        let state = Declaring {
            left: flat.len(),
            flat,
            visible,
            outer,
        };
        match body {
            Body::Expr(e) => then(e, move |d, body| d.declare_from(state, body, k)),
            Body::Core(core) => self.declare_from(state, core, k),
            Body::Missing(last) => {
                self.errors.push(no_expression(last));
                self.declare_from(state, Core::Stop, k)
            }
        }
    }

    /// Wraps the declarations `flat[..left]` around `body`, last first.
    fn declare_from(&mut self, mut st: Declaring<'a>, mut body: Core, k: K<'a, Core>) -> Step<'a> {
        while st.left > 0 {
            let i = st.left - 1;
            self.classes.truncate(st.visible[i]);
            let decl = st.flat[i];
            if is_def(decl) {
                // A run of consecutive definitions (and classes) is one
                // recursive group.
                let mut start = i;
                while start > 0 && is_def(st.flat[start - 1]) {
                    start -= 1;
                }
                let group = st.flat[start..st.left].to_vec();
                st.left = start;
                return self.def_group(
                    group,
                    body,
                    Box::new(move |d, body| d.declare_from(st, body, k)),
                );
            }
            st.left = i;
            if let DeclKind::Val { pattern, expr } = &decl.kind {
                let span = decl.span;
                return then(expr, move |d, e| {
                    let p = d.pattern(pattern);
                    let body = d.pruning(body, Some(p), e, span);
                    d.declare_from(st, body, k)
                });
            }
            body = self.decl(decl, body);
        }
        self.classes.truncate(st.outer);
        ret(k, body)
    }

    /// A declaration other than `val` and definitions (which hold
    /// expressions) around `body`.
    fn decl(&mut self, decl: &ast::Decl, body: Core) -> Core {
        let span = decl.span;
        match &decl.kind {
            DeclKind::Datatype { constructors, .. } => {
                let mut body = body;
                for c in constructors.iter().rev() {
                    let ctor = st::DataConstructor::new(&c.name.name, c.fields.len());
                    body = Core::Sequential(
                        Box::new(Core::Const(site(ctor))),
                        Some(c.name.name.clone()),
                        Box::new(body),
                    );
                }
                body
            }
            DeclKind::ImportSite { name, location } => match self.import(location) {
                Ok(Some(v)) => Core::Sequential(Box::new(Core::Const(v)), Some(name.name.clone()), Box::new(body)),
                Err(refused) => self.error(refused, span),
                Ok(None) => self.error(
                    match location.strip_prefix("orc.lib.") {
                        Some(_) => format!(
                            "the reference's site \"{location}\" has no counterpart in this \
                             implementation (`{}` is not a built-in site)",
                            crate::sites::import_name(location)
                        ),
                        None => format!("no site is available at \"{location}\""),
                    },
                    span,
                ),
            },
            DeclKind::ImportClass { location, .. } => self.error(
                format!("`import class` loads Java classes, which this implementation does not run (\"{location}\")"),
                span,
            ),
            DeclKind::Include { path } => self.error(format!("include \"{path}\" was not loaded"), span),
            DeclKind::ValSig { name, .. } => self.error(
                format!("`val {}` has no value: only a class member may be abstract", name.name),
                span,
            ),
            // `val` and definitions are lowered by `declare_from`, classes
            // with their group, included files are spliced by `flatten`,
            // and types are erased.
            DeclKind::Val { .. }
            | DeclKind::Class { .. }
            | DeclKind::Included { .. }
            | DeclKind::TypeAlias { .. }
            | DeclKind::ImportType { .. }
            | DeclKind::Def(_)
            | DeclKind::DefSig(_)
            | DeclKind::Site(_)
            | DeclKind::SiteSig(_) => body,
        }
    }

    /// A recursive group of definitions (and classes) around `body`.
    fn def_group(&mut self, decls: Vec<&'a ast::Decl>, body: Core, k: K<'a, Core>) -> Step<'a> {
        // Clauses grouped by name, in order of first appearance.
        let mut names: Vec<Named<'a>> = Vec::new();
        let mut index: HashMap<&'a str, usize> = HashMap::new();
        for d in &decls {
            if let DeclKind::Def(c) | DeclKind::Site(c) = &d.kind {
                let site = matches!(d.kind, DeclKind::Site(_));
                match index.get(c.name.name.as_str()) {
                    Some(&i) => names[i].1.push(Clause::of(c)),
                    None => {
                        index.insert(&c.name.name, names.len());
                        let kind = (site, site && c.once);
                        names.push((&c.name.name, vec![Clause::of(c)], d.span, kind));
                    }
                }
            }
        }
        let state = Grouping {
            decls,
            names: names.into_iter(),
            defs: Vec::new(),
            body,
            k,
        };
        self.def_group_from(state)
    }

    fn def_group_from(&mut self, mut st: Grouping<'a>) -> Step<'a> {
        if let Some((name, clauses, span, (site, once))) = st.names.next() {
            return self.def_group_member(
                name.to_string(),
                clauses,
                span,
                Box::new(move |d, def| {
                    st.defs.push(Def { site, once, ..def });
                    d.def_group_from(st)
                }),
            );
        }
        let decls = std::mem::take(&mut st.decls);
        self.class_layers(
            decls,
            Box::new(move |_, layers| {
                let Grouping {
                    mut defs, body, k, ..
                } = st;
                defs.extend(layers);
                if defs.is_empty() {
                    return ret(k, body);
                }
                ret(k, Core::Defs(defs, Box::new(body)))
            }),
        )
    }

    /// One definition of a group, from its clauses.
    pub(super) fn def_group_member(
        &mut self,
        name: String,
        clauses: Vec<Clause<'a>>,
        span: Span,
        k: K<'a, Def>,
    ) -> Step<'a> {
        let arity = clauses[0].params.len();
        for c in &clauses[1..] {
            if c.params.len() != arity {
                self.errors.push(
                    Diagnostic::compile(
                        format!(
                            "clause of `{name}` has {} parameters, but the first clause has {arity}",
                            c.params.len()
                        ),
                        c.name_span,
                    )
                    .with_help("all clauses of a definition take the same number of arguments"),
                );
            }
        }
        // Common case: one clause of plain variables and no guard.
        if let [c] = clauses.as_slice() {
            if c.guard.is_none() {
                let simple: Option<Vec<Name>> = c
                    .params
                    .iter()
                    .map(|p| match &p.kind {
                        PatternKind::Var(n) => Some(n.clone()),
                        PatternKind::Typed(inner, _) => match &inner.kind {
                            PatternKind::Var(n) => Some(n.clone()),
                            _ => None,
                        },
                        _ => None,
                    })
                    .collect();
                if let Some(params) = simple {
                    return then(c.body, move |_, body| {
                        let def = Def {
                            name,
                            params,
                            body,
                            span,
                            site: false,
                            once: false,
                        };
                        ret(k, def)
                    });
                }
            }
        }
        let params: Vec<Name> = (0..arity).map(|_| self.fresh()).collect();
        let args: Vec<Atom> = params.iter().map(|p| Atom::Var(p.clone(), span)).collect();
        let state = Clauses {
            name,
            left: clauses.len(),
            clauses,
            params,
            args,
            body: Core::Stop,
            span,
        };
        self.clauses_from(state, k)
    }

    /// Lowers the clauses `clauses[..left]`, last first: each tries its
    /// patterns (and guard), falling through to the ones after it.
    fn clauses_from(&mut self, mut st: Clauses<'a>, k: K<'a, Def>) -> Step<'a> {
        if st.left == 0 {
            let def = Def {
                name: st.name,
                params: st.params,
                body: std::mem::replace(&mut st.body, Core::Stop),
                span: st.span,
                site: false,
                once: false,
            };
            return ret(k, def);
        }
        st.left -= 1;
        let c = st.clauses[st.left];
        let pats: Vec<CorePat> = c.params.iter().map(|p| self.pattern(p)).collect();
        if pats.iter().any(|p| self.calls_other_than_constructors(p)) {
            return then(c.body, move |d, clause_body| {
                let next = std::mem::replace(&mut st.body, Core::Stop);
                let Some(guard) = c.guard else {
                    st.body = d.call_clause(&st.args, pats, None, clause_body, next, c.name_span);
                    return d.clauses_from(st, k);
                };
                let g = d.fresh();
                then(guard, move |d, guard| {
                    let guard = Some((g, guard));
                    st.body = d.call_clause(&st.args, pats, guard, clause_body, next, c.name_span);
                    d.clauses_from(st, k)
                })
            });
        }
        then(c.body, move |d, clause_body| {
            let next = std::mem::replace(&mut st.body, Core::Stop);
            match c.guard {
                None => {
                    st.body = Core::Match {
                        scrutinees: st.args.clone(),
                        patterns: pats,
                        then: Box::new(clause_body),
                        otherwise: Box::new(next),
                        span: c.name_span,
                    };
                    d.clauses_from(st, k)
                }
                Some(guard) => {
                    let g = d.fresh();
                    then(guard, move |d, guard| {
                        st.body = d.guarded_clause(
                            &st.args,
                            pats,
                            g,
                            guard,
                            clause_body,
                            next,
                            c.name_span,
                        );
                        d.clauses_from(st, k)
                    })
                }
            }
        })
    }

    /// A clause with call patterns, which match through calls of
    /// `unapply` (see [`Desugarer::match_or_stop`]): the clause is chosen
    /// if its patterns (and guard) match at all, by their first match,
    /// whose bindings the body gets; else the clauses after it are tried.
    ///
    /// `({| test |} >t> Some(t) ; None()) >r> match(r ~ Some(t) => body
    /// else next)`, where `test` publishes the tuple of the bound names.
    #[allow(clippy::too_many_arguments)]
    fn call_clause(
        &mut self,
        args: &[Atom],
        pats: Vec<CorePat>,
        guard: Option<(Name, Core)>,
        clause_body: Core,
        next: Core,
        span: Span,
    ) -> Core {
        let mut names = Vec::new();
        for p in &pats {
            p.bound_names(&mut names);
        }
        let bound = Core::Call {
            target: Atom::Const(site(st::MakeTuple)),
            args: names.iter().map(|n| Atom::Var(n.clone(), span)).collect(),
            span,
        };
        let passed = match guard {
            None => bound,
            Some((g, guard)) => Core::Sequential(
                Box::new(guard),
                Some(g.clone()),
                Box::new(Core::Sequential(
                    Box::new(Core::Call {
                        target: Atom::Const(site(st::Ift)),
                        args: vec![Atom::Var(g, span)],
                        span,
                    }),
                    None,
                    Box::new(bound),
                )),
            ),
        };
        let matched = self.match_all(args.to_vec(), pats, passed, span);
        let some = Value::Site(crate::sites::structural::some().clone());
        let none = Value::Site(crate::sites::structural::none().clone());
        let (t, r, u) = (self.fresh(), self.fresh(), self.fresh());
        let test = Core::Otherwise(
            Box::new(Core::Sequential(
                Box::new(Core::Trim(Box::new(matched))),
                Some(t.clone()),
                Box::new(Core::Call {
                    target: Atom::Const(some.clone()),
                    args: vec![Atom::Var(t, span)],
                    span,
                }),
            )),
            Box::new(Core::Call {
                target: Atom::Const(none),
                args: Vec::new(),
                span,
            }),
        );
        // The bound names, from the tuple (`MakeTuple` of one name is
        // that value; of none, `signal`).
        let unpack = match names.len() {
            0 => CorePat::Wildcard,
            1 => CorePat::Bind(names[0].clone()),
            _ => CorePat::Tuple(names.into_iter().map(CorePat::Bind).collect()),
        };
        Core::Sequential(
            Box::new(test),
            Some(r.clone()),
            Box::new(Core::Match {
                scrutinees: vec![Atom::Var(r, span)],
                patterns: vec![CorePat::Call(
                    Atom::Const(some),
                    vec![CorePat::Bind(u.clone())],
                )],
                then: Box::new(Core::Match {
                    scrutinees: vec![Atom::Var(u, span)],
                    patterns: vec![unpack],
                    then: Box::new(clause_body),
                    otherwise: Box::new(Core::Stop),
                    span,
                }),
                otherwise: Box::new(next),
                span,
            }),
        )
    }

    /// `(test ; false) >b> if b then clause else next`, where `test` matches
    /// the patterns and publishes `true` once if the guard (bound to `g`)
    /// publishes true.
    #[allow(clippy::too_many_arguments)]
    fn guarded_clause(
        &mut self,
        args: &[Atom],
        pats: Vec<CorePat>,
        g: Name,
        guard: Core,
        clause_body: Core,
        next: Core,
        span: Span,
    ) -> Core {
        let test_guard = Core::Sequential(
            Box::new(guard),
            Some(g.clone()),
            Box::new(Core::Call {
                target: Atom::Const(site(st::Ift)),
                args: vec![Atom::Var(g, span)],
                span,
            }),
        );
        let test = Core::Otherwise(
            Box::new(Core::Sequential(
                Box::new(Core::Trim(Box::new(Core::Match {
                    scrutinees: args.to_vec(),
                    patterns: pats.clone(),
                    then: Box::new(test_guard),
                    otherwise: Box::new(Core::Stop),
                    span,
                }))),
                None,
                Box::new(Core::Const(Value::Bool(true))),
            )),
            Box::new(Core::Const(Value::Bool(false))),
        );
        let b = self.fresh();
        Core::Sequential(
            Box::new(test),
            Some(b.clone()),
            Box::new(Core::Match {
                scrutinees: vec![Atom::Var(b, span)],
                patterns: vec![CorePat::Const(Value::Bool(true))],
                then: Box::new(Core::Match {
                    scrutinees: args.to_vec(),
                    patterns: pats,
                    then: Box::new(clause_body),
                    otherwise: Box::new(Core::Stop),
                    span,
                }),
                otherwise: Box::new(next),
                span,
            }),
        )
    }
}

/// Bindings of fresh variables to the cores of non-atomic expressions.
type Binds = Vec<(Name, Core)>;

pub(super) fn is_def(d: &ast::Decl) -> bool {
    matches!(
        d.kind,
        DeclKind::Def(_)
            | DeclKind::DefSig(_)
            | DeclKind::Site(_)
            | DeclKind::SiteSig(_)
            | DeclKind::Class { .. }
    )
}

/// Splices included files into the declaration list.
fn flatten<'a>(decls: impl DoubleEndedIterator<Item = &'a ast::Decl>) -> Vec<&'a ast::Decl> {
    let mut out = Vec::new();
    // What is left to look at, next last.
    let mut todo: Vec<&ast::Decl> = decls.rev().collect();
    while let Some(d) = todo.pop() {
        match &d.kind {
            DeclKind::Included { decls, .. } => todo.extend(decls.iter().rev()),
            _ => out.push(d),
        }
    }
    out
}

/// The placeholders `_` of a section's body that stand for its
/// parameters, in order: those not inside a nested section (nor in a
/// lambda, a class, or a declaration's own expressions, where `_` is an
/// error).
fn placeholders(body: &ast::Expr) -> Vec<*const ast::Expr> {
    let mut out = Vec::new();
    // What is left to look at, next last.
    let mut todo = vec![body];
    while let Some(e) = todo.pop() {
        let children: Vec<&ast::Expr> = match &e.kind {
            ExprKind::Placeholder => {
                out.push(e as *const ast::Expr);
                continue;
            }
            ExprKind::List(items) | ExprKind::Tuple(items) => items.iter().collect(),
            ExprKind::Record(fields) => fields.iter().map(|(_, v)| v).collect(),
            ExprKind::Call { target, args, .. } => std::iter::once(&**target).chain(args).collect(),
            ExprKind::Field { target: x, .. }
            | ExprKind::Deref(x)
            | ExprKind::Trim(x)
            | ExprKind::Prefix { operand: x, .. }
            | ExprKind::Ascribe { expr: x, .. }
            | ExprKind::Declare { body: x, .. } => vec![x],
            ExprKind::Binary { left, right, .. }
            | ExprKind::Sequential { left, right, .. }
            | ExprKind::Pruning { left, right, .. }
            | ExprKind::Parallel(left, right)
            | ExprKind::Otherwise(left, right) => vec![left, right],
            ExprKind::Conditional {
                cond,
                then,
                otherwise,
            } => vec![cond, then, otherwise],
            _ => continue,
        };
        todo.extend(children.into_iter().rev());
    }
    out
}

/// Wraps prunings that bind the fresh variables of non-atomic arguments.
/// (`new` publishes exactly once, at once: it is bound in sequence, so that
/// the object's members are not killed with a pruning's right side.)
fn wrap(core: Core, binds: Vec<(Name, Core)>) -> Core {
    binds.into_iter().rev().fold(core, |acc, (x, e)| {
        if super::classes::is_new(&e) {
            Core::Sequential(Box::new(e), Some(x), Box::new(acc))
        } else {
            Core::Pruning(Box::new(acc), Some(x), Box::new(e))
        }
    })
}

/// The pattern a call pattern's arguments `ps` make for what `unapply`
/// publishes: one pattern as itself, several as their tuple, none as `_`.
fn unapplied(mut ps: Vec<CorePat>) -> CorePat {
    match ps.len() {
        0 => CorePat::Wildcard,
        1 => ps.pop().unwrap_or(CorePat::Wildcard),
        _ => CorePat::Tuple(ps),
    }
}
