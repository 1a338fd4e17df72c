//! A compact s-expression rendering of the surface AST, so that tests can
//! state the expected tree structure in one line:
//! `a >x> b | c` is `(| (>x> a b) c)`.

use orc::diagnostics::SourceId;
use orc::syntax::ast::*;
use orc::syntax::{parse_expr, parse_program};

pub fn expr(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Literal(l) => literal(l),
        ExprKind::Var(x) => x.clone(),
        ExprKind::Placeholder => "_".into(),
        ExprKind::Stop => "stop".into(),
        ExprKind::This => "this".into(),
        ExprKind::Super(x) => format!("(super {})", x.name),
        ExprKind::List(items) => list("list", items.iter().map(expr)),
        ExprKind::Tuple(items) => list("tuple", items.iter().map(expr)),
        ExprKind::Record(fields) => list(
            "record",
            fields
                .iter()
                .map(|(x, e)| format!("({} {})", x.name, expr(e))),
        ),
        ExprKind::Call {
            target,
            type_args,
            args,
        } => {
            let mut parts = vec![expr(target)];
            if let Some(ts) = type_args {
                parts.push(format!("[{}]", join(ts.iter().map(ty))));
            }
            parts.extend(args.iter().map(expr));
            list("call", parts.into_iter())
        }
        ExprKind::Field { target, name } => format!("(. {} {})", expr(target), name.name),
        ExprKind::Deref(e) => format!("(? {})", expr(e)),
        ExprKind::Prefix { op, operand } => {
            let name = match op {
                PrefixOp::Neg => "neg",
                PrefixOp::Not => "not",
            };
            format!("({name} {})", expr(operand))
        }
        ExprKind::Binary { op, left, right } => {
            format!("({} {} {})", op.site_name(), expr(left), expr(right))
        }
        ExprKind::Sequential {
            left,
            pattern,
            right,
        } => format!(
            "(>{}> {} {})",
            pattern.as_ref().map(pat).unwrap_or_default(),
            expr(left),
            expr(right)
        ),
        ExprKind::Pruning {
            left,
            pattern,
            right,
        } => format!(
            "(<{}< {} {})",
            pattern.as_ref().map(pat).unwrap_or_default(),
            expr(left),
            expr(right)
        ),
        ExprKind::Parallel(a, b) => format!("(| {} {})", expr(a), expr(b)),
        ExprKind::Otherwise(a, b) => format!("(; {} {})", expr(a), expr(b)),
        ExprKind::Trim(e) => format!("(trim {})", expr(e)),
        ExprKind::Section(e) => format!("(section {})", expr(e)),
        ExprKind::Lambda(l) => {
            let mut parts = Vec::new();
            if let Some(tp) = &l.type_params {
                parts.push(type_params(tp));
            }
            parts.push(format!("({})", join(l.params.iter().map(pat))));
            if let Some(t) = &l.return_type {
                parts.push(format!(":: {}", ty(t)));
            }
            parts.push(expr(&l.body));
            list("lambda", parts.into_iter())
        }
        ExprKind::Conditional {
            cond,
            then,
            otherwise,
        } => format!("(if {} {} {})", expr(cond), expr(then), expr(otherwise)),
        ExprKind::Declare { decl: d, body } => format!("(declare {} {})", decl(d), expr(body)),
        ExprKind::Ascribe {
            expr: e,
            ty: t,
            assert,
        } => format!(
            "({} {} {})",
            if *assert { ":!:" } else { "::" },
            expr(e),
            ty(t)
        ),
        ExprKind::New(c) => format!("(new {})", class(c)),
    }
}

pub fn literal(l: &Literal) -> String {
    match l {
        Literal::Int(n) => n.to_string(),
        Literal::Decimal(s) => s.clone(),
        Literal::Str(s) => format!("{s:?}"),
        Literal::Bool(b) => b.to_string(),
        Literal::Signal => "signal".into(),
        Literal::Null => "null".into(),
    }
}

pub fn pat(p: &Pattern) -> String {
    match &p.kind {
        PatternKind::Wildcard => "_".into(),
        PatternKind::Var(x) => x.clone(),
        PatternKind::Literal(l) => literal(l),
        PatternKind::Tuple(ps) => list("tuple", ps.iter().map(pat)),
        PatternKind::List(ps) => list("list", ps.iter().map(pat)),
        PatternKind::Cons(h, t) => format!("(: {} {})", pat(h), pat(t)),
        PatternKind::Record(fs) => list(
            "record",
            fs.iter().map(|(x, p)| format!("({} {})", x.name, pat(p))),
        ),
        PatternKind::Call { name, args } => list(
            "call",
            std::iter::once(name.name.clone()).chain(args.iter().map(pat)),
        ),
        PatternKind::As(p, x) => format!("(as {} {})", pat(p), x.name),
        PatternKind::Typed(p, t) => format!("(:: {} {})", pat(p), ty(t)),
    }
}

pub fn ty(t: &Type) -> String {
    match &t.kind {
        TypeKind::Var(x) => x.clone(),
        TypeKind::App(x, ts) => list(
            "app",
            std::iter::once(x.name.clone()).chain(ts.iter().map(ty)),
        ),
        TypeKind::Tuple(ts) => list("tuple", ts.iter().map(ty)),
        TypeKind::Record(fs) => list(
            "record",
            fs.iter().map(|(x, t)| format!("({} {})", x.name, ty(t))),
        ),
        TypeKind::Lambda {
            type_params: tp,
            params,
            ret,
        } => format!(
            "(lambda {} ({}) {})",
            type_params(tp),
            join(params.iter().map(ty)),
            ty(ret)
        ),
    }
}

fn type_params(tp: &[Ident]) -> String {
    format!("[{}]", join(tp.iter().map(|x| x.name.clone())))
}

fn clause(kw: &str, c: &DefClause) -> String {
    let mut parts = vec![c.name.name.clone()];
    if let Some(tp) = &c.type_params {
        parts.push(type_params(tp));
    }
    parts.push(format!("({})", join(c.params.iter().map(pat))));
    if let Some(t) = &c.return_type {
        parts.push(format!(":: {}", ty(t)));
    }
    if let Some(g) = &c.guard {
        parts.push(format!("if {}", expr(g)));
    }
    parts.push(expr(&c.body));
    list(kw, parts.into_iter())
}

fn sig(kw: &str, s: &DefSig) -> String {
    let mut parts = vec![s.name.name.clone()];
    if let Some(tp) = &s.type_params {
        parts.push(type_params(tp));
    }
    parts.push(format!("({})", join(s.param_types.iter().map(ty))));
    parts.push(ty(&s.return_type));
    list(kw, parts.into_iter())
}

pub fn decl(d: &Decl) -> String {
    match &d.kind {
        DeclKind::Val { pattern, expr: e } => format!("(val {} {})", pat(pattern), expr(e)),
        DeclKind::ValSig { name, ty: t } => match t {
            Some(t) => format!("(valsig {} {})", name.name, ty(t)),
            None => format!("(valsig {})", name.name),
        },
        DeclKind::Def(c) => clause("def", c),
        DeclKind::Site(c) => clause("site", c),
        DeclKind::DefSig(s) => sig("defsig", s),
        DeclKind::SiteSig(s) => sig("sitesig", s),
        DeclKind::Class {
            name,
            type_params: tp,
            extends,
            body,
        } => {
            let mut parts = vec![name.name.clone()];
            if let Some(tp) = tp {
                parts.push(type_params(tp));
            }
            if let Some(e) = extends {
                parts.push(format!("extends {}", class(e)));
            }
            parts.push(class_body(body));
            list("class", parts.into_iter())
        }
        DeclKind::ImportSite { name, location } => {
            format!("(import-site {} {location:?})", name.name)
        }
        DeclKind::ImportClass { name, location } => {
            format!("(import-class {} {location:?})", name.name)
        }
        DeclKind::ImportType { name, location } => {
            format!("(import-type {} {location:?})", name.name)
        }
        DeclKind::Include { path } => format!("(include {path:?})"),
        DeclKind::Included { path, decls } => list(
            "included",
            std::iter::once(format!("{path:?}")).chain(decls.iter().map(decl)),
        ),
        DeclKind::TypeAlias {
            name,
            params,
            ty: t,
        } => {
            format!("(alias {} {} {})", name.name, type_params(params), ty(t))
        }
        DeclKind::Datatype {
            name,
            params,
            constructors,
        } => list(
            "data",
            [name.name.clone(), type_params(params)]
                .into_iter()
                .chain(constructors.iter().map(|c| {
                    list(
                        &c.name.name,
                        c.fields
                            .iter()
                            .map(|f| f.as_ref().map_or_else(|| "_".to_string(), ty)),
                    )
                })),
        ),
    }
}

pub fn class(c: &ClassExpr) -> String {
    match c {
        ClassExpr::Body(b) => class_body(b),
        ClassExpr::Var(x) => x.name.clone(),
        ClassExpr::Mixin(a, b) => format!("(with {} {})", class(a), class(b)),
        ClassExpr::Subclass(a, b) => format!("(subclass {} {})", class(a), class_body(b)),
    }
}

fn class_body(b: &ClassBody) -> String {
    let head = match &b.self_name {
        Some(x) => format!("{} #", x.name),
        None => String::new(),
    };
    let mut parts: Vec<String> = Vec::new();
    if !head.is_empty() {
        parts.push(head);
    }
    parts.extend(b.decls.iter().map(decl));
    format!("{{{}}}", join(parts.into_iter()))
}

pub fn program(p: &Program) -> String {
    let body = p.body.as_ref().map(expr);
    list("program", p.decls.iter().map(decl).chain(body))
}

fn join(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join(" ")
}

fn list(head: &str, items: impl Iterator<Item = String>) -> String {
    let rest = join(items);
    if rest.is_empty() {
        format!("({head})")
    } else {
        format!("({head} {rest})")
    }
}

/// Parses `src` as an expression and renders it, or panics with the
/// diagnostic.
pub fn e(src: &str) -> String {
    match parse_expr(src, SourceId(0)) {
        Ok(e) => expr(&e),
        Err(d) => panic!("failed to parse {src:?}: {d}"),
    }
}

/// Parses `src` as a program and renders it, or panics.
pub fn p(src: &str) -> String {
    match parse_program(src, SourceId(0)) {
        Ok(p) => program(&p),
        Err(d) => panic!("failed to parse {src:?}: {d}"),
    }
}

/// The error message for `src`, which must fail to parse.
pub fn err(src: &str) -> String {
    match parse_program(src, SourceId(0)) {
        Ok(p) => panic!("expected a syntax error for {src:?}, got {}", program(&p)),
        Err(d) => d.message,
    }
}
