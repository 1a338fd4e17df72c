//! Lowering the surface AST to the core calculus (see ARCHITECTURE.md for
//! the rule of each sugar).
//!
//! * operators → calls of the variable named by the operator (`+`), so a
//!   program may rebind them; `-x` → `(0-)(x)`; `e?` → `(?)(e)`;
//! * a non-atomic call argument or callee → a fresh variable bound by
//!   pruning: `f(g(x))` → `f(y) <y< g(x)`;
//! * lists, tuples, records → calls of constructor sites;
//! * `if c then a else b` → `(Ift(x) >> a | Iff(x) >> b) <x< c`;
//! * `val P = e  body` → `body <P< e`; `f >P> g` → `f >x> match(x ~ P => g)`;
//!   `f <P< g` with a non-variable P → bind a tuple of P's variables;
//! * `def` clauses → one closure per name whose body tries the clauses in
//!   order; guards run in `{| |}` and fall through when false or silent;
//! * `lambda` and sections `{ _ + 1 }` → a local definition;
//! * type declarations and annotations are erased; datatype declarations
//!   bind constructor sites;
//! * `a.m(args)` → `a.m >t> t(args)`: a field publishes at most once;
//! * classes, `new`, `this` and `super` → [`super::classes`]; `new` is bound
//!   in sequence, never by pruning (it publishes once, at once).

use super::core::{Atom, Core, CorePat, Def, Name};
use super::resolve::Globals;
use crate::diagnostics::{Diagnostic, Span};
use crate::sites::structural::{self as st};
use crate::syntax::ast::{self, DeclKind, ExprKind, Literal, PatternKind};
use crate::value::{Decimal, Value};
use std::sync::Arc;

pub struct Desugarer<'g> {
    fresh: u32,
    pub(super) errors: Vec<Diagnostic>,
    /// The globals the result will be resolved against, when known: `import
    /// site` consults them for names the host withheld.
    globals: Option<&'g Globals>,
    /// The classes in scope (see [`super::classes`]).
    pub(super) classes: super::classes::Scope,
}

/// Lowers a program; its declarations scope over its body. A program of
/// declarations alone is an error, as in the reference.
pub fn desugar_program(program: &ast::Program) -> Result<Core, Vec<Diagnostic>> {
    program_with(program, None)
}

/// [`desugar_program`] for a program to be resolved against `globals`.
pub fn desugar_program_in(
    program: &ast::Program,
    globals: &Globals,
) -> Result<Core, Vec<Diagnostic>> {
    program_with(program, Some(globals))
}

fn program_with(
    program: &ast::Program,
    globals: Option<&Globals>,
) -> Result<Core, Vec<Diagnostic>> {
    let mut d = Desugarer::new();
    d.globals = globals;
    let core = d.declare(&program.decls, |d| {
        match (&program.body, program.decls.last()) {
            (Some(e), _) => d.expr(e),
            (None, Some(last)) => {
                // As in the reference: declarations alone are not a program.
                d.errors.push(no_expression(last));
                Core::Stop
            }
            (None, None) => Core::Stop,
        }
    });
    d.finish(core)
}

/// The error for a program of declarations alone. When the last one ends
/// in a call whose arguments are set apart from the callee (`v\n(x, y)`),
/// the likely cause is an expression in parentheses on the next line,
/// read as arguments: it says so there.
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
                "an expression in parentheses after a declaration is read as arguments \
                 of what the declaration ends with; begin the program's expression \
                 another way, e.g. `signal >> (...)`",
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
pub fn desugar_decls_in(
    decls: &[ast::Decl],
    body: Core,
    globals: &Globals,
) -> Result<Core, Vec<Diagnostic>> {
    let mut d = Desugarer::new();
    d.globals = Some(globals);
    let core = d.decls(decls, body);
    d.finish(core)
}

/// [`desugar_expr`] for an expression to be resolved against `globals`.
pub fn desugar_expr_in(e: &ast::Expr, globals: &Globals) -> Result<Core, Vec<Diagnostic>> {
    let mut d = Desugarer::new();
    d.globals = Some(globals);
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
    for decl in decls {
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
            DeclKind::Included { decls, .. } => out.extend(declared_names(decls)),
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

fn site(s: impl crate::runtime::site::Site) -> Value {
    Value::Site(Arc::new(s))
}

impl<'g> Desugarer<'g> {
    fn new() -> Desugarer<'g> {
        Desugarer {
            fresh: 0,
            errors: Vec::new(),
            globals: None,
            classes: Default::default(),
        }
    }

    /// The site an `import site` location names; `Err` when the globals
    /// withhold it.
    fn import(&self, location: &str) -> Result<Option<Value>, String> {
        match self.globals {
            Some(g) => crate::sites::import_site_in(location, g),
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

    /// A call whose callee and arguments may be arbitrary expressions.
    fn call(&mut self, target: Atom, args: &[ast::Expr], span: Span) -> Core {
        let mut binds = Vec::new();
        let atoms: Vec<Atom> = args.iter().map(|a| self.atom(a, &mut binds)).collect();
        wrap(
            Core::Call {
                target,
                args: atoms,
                span,
            },
            binds,
        )
    }

    /// An expression as an atom; non-atomic ones get a fresh variable bound
    /// by a pruning that the caller wraps around the use (`binds`).
    fn atom(&mut self, e: &ast::Expr, binds: &mut Vec<(Name, Core)>) -> Atom {
        match &e.kind {
            ExprKind::Literal(l) => Atom::Const(lit(l)),
            ExprKind::Var(n) => Atom::Var(n.clone(), e.span),
            ExprKind::This => self.this_atom(e.span),
            ExprKind::List(items) if items.is_empty() => Atom::Const(Value::list(Vec::new())),
            ExprKind::Ascribe { expr, .. } => self.atom(expr, binds),
            _ => {
                let x = self.fresh();
                let core = self.expr(e);
                binds.push((x.clone(), core));
                Atom::Var(x, e.span)
            }
        }
    }

    fn call_const(&mut self, target: Value, args: &[ast::Expr], span: Span) -> Core {
        self.call(Atom::Const(target), args, span)
    }

    fn op_call(&mut self, name: &str, args: &[&ast::Expr], span: Span) -> Core {
        let mut binds = Vec::new();
        let atoms: Vec<Atom> = args.iter().map(|a| self.atom(a, &mut binds)).collect();
        wrap(
            Core::Call {
                target: Atom::Var(name.to_string(), span),
                args: atoms,
                span,
            },
            binds,
        )
    }

    pub fn expr(&mut self, e: &ast::Expr) -> Core {
        let span = e.span;
        match &e.kind {
            ExprKind::Literal(l) => Core::Const(lit(l)),
            ExprKind::Var(n) => Core::Var(n.clone(), span),
            ExprKind::This => self.this_expr(span),
            ExprKind::Placeholder => self.error(
                "`_` stands for an argument only inside a section `{ ... }`",
                span,
            ),
            ExprKind::Stop => Core::Stop,
            ExprKind::Super(name) => self.super_member(name, span),
            ExprKind::New(class) => self.new_object(class, span),
            ExprKind::List(items) => {
                if items.is_empty() {
                    Core::Const(Value::list(Vec::new()))
                } else {
                    self.call_const(site(st::MakeList), items, span)
                }
            }
            ExprKind::Tuple(items) => self.call_const(site(st::MakeTuple), items, span),
            ExprKind::Record(fields) => {
                let names = fields
                    .iter()
                    .map(|(n, _)| Arc::from(n.name.as_str()))
                    .collect();
                let values: Vec<ast::Expr> = fields.iter().map(|(_, e)| e.clone()).collect();
                self.call_const(site(st::MakeRecord { names }), &values, span)
            }
            ExprKind::Call { target, args, .. }
                if matches!(target.kind, ExprKind::Field { .. }) =>
            {
                // `a.m(args)`: the callee publishes at most once and the
                // call needs it anyway, so it is bound in sequence:
                // `a.m >t> t(args)` (so `(new C).m()` keeps the object's
                // members running in the caller's group). A receiver that
                // is not atomic is bound around that, inside the
                // arguments' bindings: `(x.m >t> t(args)) <x< e`, so that
                // the method call itself always has an atomic receiver.
                let ExprKind::Field {
                    target: receiver,
                    name,
                } = &target.kind
                else {
                    unreachable!("matched above")
                };
                let mut binds = Vec::new();
                let atoms = args.iter().map(|a| self.atom(a, &mut binds)).collect();
                let x = self.atom(receiver, &mut binds);
                let t = self.fresh();
                let callee = Core::Field {
                    target: x,
                    name: name.name.clone(),
                    span: target.span,
                };
                let call = Core::Call {
                    target: Atom::Var(t.clone(), span),
                    args: atoms,
                    span,
                };
                wrap(
                    Core::Sequential(Box::new(callee), Some(t), Box::new(call)),
                    binds,
                )
            }
            ExprKind::Call { target, args, .. } => {
                let mut binds = Vec::new();
                let t = self.atom(target, &mut binds);
                let call = self.call(t, args, span);
                wrap(call, binds)
            }
            ExprKind::Field { target, name } => {
                let mut binds = Vec::new();
                let t = self.atom(target, &mut binds);
                wrap(
                    Core::Field {
                        target: t,
                        name: name.name.clone(),
                        span,
                    },
                    binds,
                )
            }
            ExprKind::Deref(target) => self.op_call("?", &[target], span),
            ExprKind::Prefix { op, operand } => self.op_call(op.site_name(), &[operand], span),
            ExprKind::Binary { op, left, right } => {
                self.op_call(op.site_name(), &[left, right], span)
            }
            ExprKind::Sequential {
                left,
                pattern,
                right,
            } => {
                let l = self.expr(left);
                let r = self.expr(right);
                match pattern.as_ref().map(|p| self.pattern(p)) {
                    None => Core::Sequential(Box::new(l), None, Box::new(r)),
                    Some(CorePat::Bind(x)) => Core::Sequential(Box::new(l), Some(x), Box::new(r)),
                    Some(CorePat::Wildcard) => Core::Sequential(Box::new(l), None, Box::new(r)),
                    Some(p) => {
                        let x = self.fresh();
                        let m = Core::Match {
                            scrutinees: vec![Atom::Var(x.clone(), span)],
                            patterns: vec![p],
                            then: Box::new(r),
                            otherwise: Box::new(Core::Stop),
                            span,
                        };
                        Core::Sequential(Box::new(l), Some(x), Box::new(m))
                    }
                }
            }
            ExprKind::Parallel(l, r) => {
                Core::Parallel(Box::new(self.expr(l)), Box::new(self.expr(r)))
            }
            ExprKind::Pruning {
                left,
                pattern,
                right,
            } => {
                let l = self.expr(left);
                let r = self.expr(right);
                let p = pattern.as_ref().map(|p| self.pattern(p));
                self.pruning(l, p, r, span)
            }
            ExprKind::Otherwise(l, r) => {
                Core::Otherwise(Box::new(self.expr(l)), Box::new(self.expr(r)))
            }
            ExprKind::Trim(e) => Core::Trim(Box::new(self.expr(e))),
            ExprKind::Section(body) => {
                let mut params = Vec::new();
                let body = self.fill_placeholders(body, &mut params);
                let params = params
                    .into_iter()
                    .map(|(n, s)| ast::Pattern {
                        kind: PatternKind::Var(n),
                        span: s,
                    })
                    .collect::<Vec<_>>();
                self.lambda(&params, &body, span)
            }
            ExprKind::Lambda(l) => self.lambda(&l.params, &l.body, span),
            ExprKind::Conditional {
                cond,
                then,
                otherwise,
            } => {
                let mut binds = Vec::new();
                let c = self.atom(cond, &mut binds);
                let t = self.expr(then);
                let f = self.expr(otherwise);
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
                wrap(par, binds)
            }
            ExprKind::Declare { .. } => {
                let mut decls = Vec::new();
                let mut cur = e;
                while let ExprKind::Declare { decl, body } = &cur.kind {
                    decls.push((**decl).clone());
                    cur = body;
                }
                self.declare(&decls, |d| d.expr(cur))
            }
            ExprKind::Ascribe { expr, .. } => self.expr(expr),
        }
    }

    fn lambda(&mut self, params: &[ast::Pattern], body: &ast::Expr, span: Span) -> Core {
        let name = format!("lambda{}", self.fresh().trim_start_matches('$'));
        let clause = ast::DefClause {
            name: ast::Ident {
                name: name.clone(),
                span,
            },
            type_params: None,
            params: params.to_vec(),
            return_type: None,
            guard: None,
            body: body.clone(),
        };
        let def = self.def_group_member(&name, &[&clause], span);
        Core::Defs(vec![def], Box::new(Core::Var(name, span)))
    }

    /// Replaces the placeholders of a section body (not of nested sections)
    /// by fresh variables.
    fn fill_placeholders(&mut self, e: &ast::Expr, params: &mut Vec<(Name, Span)>) -> ast::Expr {
        let mut out = e.clone();
        self.fill_in(&mut out, params);
        out
    }

    fn fill_in(&mut self, e: &mut ast::Expr, params: &mut Vec<(Name, Span)>) {
        if let ExprKind::Placeholder = e.kind {
            let x = self.fresh();
            params.push((x.clone(), e.span));
            e.kind = ExprKind::Var(x);
            return;
        }
        match &mut e.kind {
            ExprKind::Section(_) => {}
            ExprKind::List(items) | ExprKind::Tuple(items) => {
                items.iter_mut().for_each(|i| self.fill_in(i, params))
            }
            ExprKind::Record(fields) => {
                fields.iter_mut().for_each(|(_, v)| self.fill_in(v, params))
            }
            ExprKind::Call { target, args, .. } => {
                self.fill_in(target, params);
                args.iter_mut().for_each(|a| self.fill_in(a, params));
            }
            ExprKind::Field { target, .. } => self.fill_in(target, params),
            ExprKind::Deref(x) | ExprKind::Trim(x) => self.fill_in(x, params),
            ExprKind::Prefix { operand, .. } => self.fill_in(operand, params),
            ExprKind::Binary { left, right, .. }
            | ExprKind::Sequential { left, right, .. }
            | ExprKind::Pruning { left, right, .. } => {
                self.fill_in(left, params);
                self.fill_in(right, params);
            }
            ExprKind::Parallel(l, r) | ExprKind::Otherwise(l, r) => {
                self.fill_in(l, params);
                self.fill_in(r, params);
            }
            ExprKind::Conditional {
                cond,
                then,
                otherwise,
            } => {
                self.fill_in(cond, params);
                self.fill_in(then, params);
                self.fill_in(otherwise, params);
            }
            ExprKind::Ascribe { expr, .. } => self.fill_in(expr, params),
            ExprKind::Declare { body, .. } => self.fill_in(body, params),
            _ => {}
        }
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
                    Box::new(Core::Match {
                        scrutinees: vec![Atom::Var(y, span)],
                        patterns: vec![p],
                        then: Box::new(result),
                        otherwise: Box::new(Core::Stop),
                        span,
                    }),
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
            PatternKind::Call { name, args } => CorePat::Call(
                Atom::Var(name.name.clone(), name.span),
                args.iter().map(|p| self.pattern(p)).collect(),
            ),
            PatternKind::As(p, n) => CorePat::As(Box::new(self.pattern(p)), n.name.clone()),
            PatternKind::Typed(p, _) => self.pattern(p),
        }
    }

    /// Declarations scoping over `body`, innermost last.
    pub fn decls(&mut self, decls: &[ast::Decl], body: Core) -> Core {
        self.declare(decls, |_| body)
    }

    /// Declarations scoping over the body `body` lowers: the classes they
    /// declare are in scope there (and in the declarations after each).
    pub fn declare(&mut self, decls: &[ast::Decl], body: impl FnOnce(&mut Self) -> Core) -> Core {
        let flat = flatten(decls);
        let (outer, visible) = self.enter_classes(&flat);
        let mut body = body(self);
        let mut i = flat.len();
        while i > 0 {
            self.classes.truncate(visible[i - 1]);
            let decl = flat[i - 1];
            if is_def(decl) {
                // A run of consecutive definitions (and classes) is one
                // recursive group.
                let mut start = i - 1;
                while start > 0 && is_def(flat[start - 1]) {
                    start -= 1;
                }
                body = self.def_group(&flat[start..i], body);
                i = start;
                continue;
            }
            body = self.decl(decl, body);
            i -= 1;
        }
        self.classes.truncate(outer);
        body
    }

    fn decl(&mut self, decl: &ast::Decl, body: Core) -> Core {
        let span = decl.span;
        match &decl.kind {
            DeclKind::Val { pattern, expr } => {
                let p = self.pattern(pattern);
                let e = self.expr(expr);
                self.pruning(body, Some(p), e, span)
            }
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
                    format!("no site is available at \"{location}\""),
                    span,
                ),
            },
            DeclKind::ImportClass { location, .. } => self.error(
                format!("`import class` loads Java classes, which this implementation does not run (\"{location}\")"),
                span,
            ),
            DeclKind::Class { .. } => body, // lowered with its group (def_group)
            DeclKind::Include { path } => self.error(format!("include \"{path}\" was not loaded"), span),
            DeclKind::Included { decls, .. } => self.decls(decls, body),
            DeclKind::ValSig { name, .. } => self.error(
                format!("`val {}` has no value: only a class member may be abstract", name.name),
                span,
            ),
            DeclKind::TypeAlias { .. } | DeclKind::ImportType { .. } => body,
            DeclKind::Def(_) | DeclKind::DefSig(_) | DeclKind::Site(_) | DeclKind::SiteSig(_) => body,
        }
    }

    fn def_group(&mut self, decls: &[&ast::Decl], body: Core) -> Core {
        // Clauses grouped by name, in order of first appearance.
        let mut names: Vec<(&str, Vec<&ast::DefClause>, Span, bool)> = Vec::new();
        for d in decls {
            if let DeclKind::Def(c) | DeclKind::Site(c) = &d.kind {
                let site = matches!(d.kind, DeclKind::Site(_));
                match names.iter_mut().find(|(n, ..)| *n == c.name.name) {
                    Some((_, clauses, ..)) => clauses.push(c),
                    None => names.push((&c.name.name, vec![c], d.span, site)),
                }
            }
        }
        let mut defs: Vec<Def> = names
            .iter()
            .map(|(name, clauses, span, site)| Def {
                site: *site,
                ..self.def_group_member(name, clauses, *span)
            })
            .collect();
        defs.extend(self.class_layers(decls));
        if defs.is_empty() {
            return body;
        }
        Core::Defs(defs, Box::new(body))
    }

    pub(super) fn def_group_member(
        &mut self,
        name: &str,
        clauses: &[&ast::DefClause],
        span: Span,
    ) -> Def {
        let arity = clauses[0].params.len();
        for c in &clauses[1..] {
            if c.params.len() != arity {
                self.errors.push(
                    Diagnostic::compile(
                        format!(
                            "clause of `{name}` has {} parameters, but the first clause has {arity}",
                            c.params.len()
                        ),
                        c.name.span,
                    )
                    .with_help("all clauses of a definition take the same number of arguments"),
                );
            }
        }
        // Common case: one clause of plain variables and no guard.
        if let [c] = clauses {
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
                    let body = self.expr(&c.body);
                    return Def {
                        name: name.to_string(),
                        params,
                        body,
                        span,
                        site: false,
                    };
                }
            }
        }
        let params: Vec<Name> = (0..arity).map(|_| self.fresh()).collect();
        let args: Vec<Atom> = params.iter().map(|p| Atom::Var(p.clone(), span)).collect();
        let mut body = Core::Stop;
        for c in clauses.iter().rev() {
            let pats: Vec<CorePat> = c.params.iter().map(|p| self.pattern(p)).collect();
            let clause_body = self.expr(&c.body);
            body = match &c.guard {
                None => Core::Match {
                    scrutinees: args.clone(),
                    patterns: pats,
                    then: Box::new(clause_body),
                    otherwise: Box::new(body),
                    span: c.name.span,
                },
                Some(g) => self.guarded_clause(&args, pats, g, clause_body, body, c.name.span),
            };
        }
        Def {
            name: name.to_string(),
            params,
            body,
            span,
            site: false,
        }
    }

    /// `(test ; false) >b> if b then clause else next`, where `test` matches
    /// the patterns and publishes `true` once if the guard publishes true.
    fn guarded_clause(
        &mut self,
        args: &[Atom],
        pats: Vec<CorePat>,
        guard: &ast::Expr,
        clause_body: Core,
        next: Core,
        span: Span,
    ) -> Core {
        let g = self.fresh();
        let guard = self.expr(guard);
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
fn flatten(decls: &[ast::Decl]) -> Vec<&ast::Decl> {
    let mut out = Vec::new();
    for d in decls {
        match &d.kind {
            DeclKind::Included { decls, .. } => out.extend(flatten(decls)),
            _ => out.push(d),
        }
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
