//! Parameters of `def`/`site` headers, which are patterns or types.
//!
//! `def f(x, y) = ...` has pattern parameters while the signature
//! `def f(Integer, T) :: R` has type parameters, and which one it is only
//! shows after the closing parenthesis (a body `=` or guard `if` follows a
//! definition). An LR(1) parser cannot wait that long, so parameters are
//! parsed with a *cover grammar* accepting both and built as a [`Cover`]:
//! both readings at once, each either a tree or the span of the first part
//! that rules it out. The declaration's action then picks one.

use crate::diagnostics::{Diagnostic, Span};
use crate::syntax::ast::*;

use super::build::{above, fail, Node, Res, PE};

/// One parameter read both as a pattern and as a type.
#[derive(Debug)]
pub struct Cover {
    pub pat: Result<Pattern, Span>,
    pub ty: Result<Type, Span>,
}

fn cover(
    sp: Span,
    pat: Result<PatternKind, Span>,
    ty: Result<TypeKind, Span>,
    below: u32,
) -> Res<Cover> {
    let c = Cover {
        pat: pat.map(|kind| Pattern { kind, span: sp }),
        ty: ty.map(|kind| Type { kind, span: sp }),
    };
    above(c, below, sp)
}

fn depth_of(items: &[Node<Cover>]) -> u32 {
    items.iter().map(|c| c.depth).max().unwrap_or(0)
}

/// The pattern readings of all items, or the span of the first item that
/// is not a pattern.
fn patterns(items: Vec<Node<Cover>>) -> (Result<Vec<Pattern>, Span>, Result<Vec<Type>, Span>) {
    let mut pats = Ok(Vec::with_capacity(items.len()));
    let mut tys = Ok(Vec::with_capacity(items.len()));
    for c in items {
        match (&mut pats, c.node.pat) {
            (Ok(v), Ok(p)) => v.push(p),
            (Ok(_), Err(s)) => pats = Err(s),
            (Err(_), _) => {}
        }
        match (&mut tys, c.node.ty) {
            (Ok(v), Ok(t)) => v.push(t),
            (Ok(_), Err(s)) => tys = Err(s),
            (Err(_), _) => {}
        }
    }
    (pats, tys)
}

/// Literals, `-3`, and `_`: patterns only.
pub fn pattern_only(sp: Span, kind: PatternKind) -> Node<Cover> {
    Node {
        node: Cover {
            pat: Ok(Pattern { kind, span: sp }),
            ty: Err(sp),
        },
        depth: 1,
    }
}

/// A name: a variable pattern or a type variable.
pub fn name(x: Ident) -> Node<Cover> {
    let sp = x.span;
    Node {
        node: Cover {
            pat: Ok(Pattern {
                kind: PatternKind::Var(x.name.clone()),
                span: sp,
            }),
            ty: Ok(Type {
                kind: TypeKind::Var(x.name),
                span: sp,
            }),
        },
        depth: 1,
    }
}

/// `C(p, ...)`: a call pattern.
pub fn call(sp: Span, name: Ident, args: Vec<Node<Cover>>) -> Res<Cover> {
    let below = depth_of(&args);
    let (pats, _) = patterns(args);
    cover(
        sp,
        pats.map(|args| PatternKind::Call { name, args }),
        Err(sp),
        below,
    )
}

/// `(c, c, ...)`: a tuple of either kind.
pub fn tuple(sp: Span, first: Node<Cover>, mut rest: Vec<Node<Cover>>) -> Res<Cover> {
    rest.insert(0, first);
    let below = depth_of(&rest);
    let (pats, tys) = patterns(rest);
    cover(
        sp,
        pats.map(PatternKind::Tuple),
        tys.map(TypeKind::Tuple),
        below,
    )
}

/// `[p, ...]`: a list pattern.
pub fn list(sp: Span, items: Vec<Node<Cover>>) -> Res<Cover> {
    let below = depth_of(&items);
    let (pats, _) = patterns(items);
    cover(sp, pats.map(PatternKind::List), Err(sp), below)
}

/// `{. x = p, ... .}`: a record pattern; `{. .}` is also the empty record
/// type.
pub fn record(sp: Span, fields: Vec<(Ident, Node<Cover>)>) -> Res<Cover> {
    let ty = if fields.is_empty() {
        Ok(TypeKind::Record(Vec::new()))
    } else {
        Err(sp)
    };
    let below = fields.iter().map(|(_, c)| c.depth).max().unwrap_or(0);
    let mut out = Ok(Vec::with_capacity(fields.len()));
    for (x, c) in fields {
        match (&mut out, c.node.pat) {
            (Ok(v), Ok(p)) => v.push((x, p)),
            (Ok(_), Err(s)) => out = Err(s),
            (Err(_), _) => {}
        }
    }
    cover(sp, out.map(PatternKind::Record), ty, below)
}

/// `h : t`: a cons pattern.
pub fn cons(sp: Span, h: Node<Cover>, t: Node<Cover>) -> Res<Cover> {
    let below = h.depth.max(t.depth);
    let pat = h.node.pat.and_then(|h| {
        t.node
            .pat
            .map(|t| PatternKind::Cons(Box::new(h), Box::new(t)))
    });
    cover(sp, pat, Err(sp), below)
}

/// `p as x`.
pub fn as_pattern(sp: Span, c: Node<Cover>, x: Ident) -> Res<Cover> {
    let pat = c.node.pat.map(|p| PatternKind::As(Box::new(p), x));
    cover(sp, pat, Err(sp), c.depth)
}

/// `p :: T`.
pub fn typed(sp: Span, c: Node<Cover>, t: Node<Type>) -> Res<Cover> {
    let below = c.depth.max(t.depth);
    let pat = c.node.pat.map(|p| PatternKind::Typed(Box::new(p), t.node));
    cover(sp, pat, Err(sp), below)
}

/// A form that can only be a type (`T[A]`, `()`, `{. x :: T .}`, lambda
/// types).
pub fn type_only(t: Node<Type>) -> Node<Cover> {
    let sp = t.node.span;
    Node {
        node: Cover {
            pat: Err(sp),
            ty: Ok(t.node),
        },
        depth: t.depth,
    }
}

/// The parameters of a definition, as patterns.
pub fn to_patterns(params: Vec<Node<Cover>>) -> Result<Vec<Node<Pattern>>, PE> {
    read_as(
        params,
        |c| c.pat,
        |sp| {
            Diagnostic::syntax("expected a pattern, found a type", sp)
                .with_label("this is a type, not a pattern")
                .with_help(
                    "a definition with a body (`= ...`) takes patterns; \
                 a signature `def f(T, ...) :: R` takes types",
                )
        },
    )
}

/// The parameters of a signature, as types.
pub fn to_types(params: Vec<Node<Cover>>) -> Result<Vec<Node<Type>>, PE> {
    read_as(
        params,
        |c| c.ty,
        |sp| {
            Diagnostic::syntax("expected a type in this signature", sp)
                .with_label("this is a pattern, not a type")
                .with_help(
                    "a signature `def f(T, ...) :: R` lists parameter types; \
                 to define the function, add `= body`",
                )
        },
    )
}

/// Each parameter read one way (`reading`), or the error `wrong` makes at
/// the first that cannot be.
fn read_as<T>(
    params: Vec<Node<Cover>>,
    reading: fn(Cover) -> Result<T, Span>,
    wrong: fn(Span) -> Diagnostic,
) -> Result<Vec<Node<T>>, PE> {
    params
        .into_iter()
        .map(|c| match reading(c.node) {
            Ok(node) => Ok(Node {
                node,
                depth: c.depth,
            }),
            Err(sp) => Err(fail(wrong(sp))),
        })
        .collect()
}
