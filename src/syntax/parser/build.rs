//! Node builders called from the grammar's actions.
//!
//! Every grammar nonterminal produces a [`Node`]: an AST value together with
//! its nesting depth. Expressions may nest without limit: every pass over
//! them, and their `Drop`, works with worklists rather than recursion, so
//! an expression node counts as depth 1 for what encloses it. Patterns,
//! types, class expressions and declarations nested in one another without
//! an expression in between are walked recursively (the run-time matcher
//! recurses over patterns too), so for those the builders compute the
//! depth of each new node from its children and refuse to build one deeper
//! than [`MAX_DEPTH`]. Since the check happens while the tree is being
//! built, not even a parse that fails later leaves a too-deep tree behind.

use lalrpop_util::ParseError;

use crate::diagnostics::{Diagnostic, SourceId, Span};
use crate::syntax::ast::*;
use crate::syntax::lexer::Token;

/// The deepest pattern, type, class expression or nest of declarations
/// (a class declared in a class body) the parser builds: each pattern or
/// type constructor, `with`, and declaration around another adds a level;
/// an expression starts again from 1. It exists so that the recursive
/// passes over these small trees (and the run-time matcher, over patterns)
/// cannot run out of stack. Measured: in a debug build, the derived
/// `Clone` and `PartialEq` of a depth-1000 tree already overflow a 2 MiB
/// thread stack (the default for test threads), while depth 500 does not.
/// Expressions have no such bound.
pub const MAX_DEPTH: u32 = 500;

pub type PE = ParseError<usize, Token, Diagnostic>;

/// An AST value with the depth of the tree under it (a leaf has depth 1).
#[derive(Debug)]
pub struct Node<T> {
    pub node: T,
    pub depth: u32,
}

pub type Res<T> = Result<Node<T>, PE>;

pub fn span(src: SourceId, l: usize, r: usize) -> Span {
    Span::new(src, l, r)
}

pub fn leaf<T>(node: T) -> Node<T> {
    Node { node, depth: 1 }
}

/// A user error for LALRPOP: an already-formatted diagnostic.
pub fn fail(d: Diagnostic) -> PE {
    ParseError::User { error: d }
}

/// Wraps `node` one level above children of depth `below`, or reports that
/// the pattern, type or declaration nests too deeply.
pub fn above<T>(node: T, below: u32, sp: Span) -> Res<T> {
    let depth = below + 1;
    if depth > MAX_DEPTH {
        return Err(fail(
            Diagnostic::syntax("program nests too deeply", sp)
                .with_label("this is nested too deeply")
                .with_help(format!(
                    "patterns, types, class expressions and declarations nested in \
                     one another may nest at most {MAX_DEPTH} levels deep"
                )),
        ));
    }
    Ok(Node { node, depth })
}

/// Deepest of a list of nodes, and the nodes themselves.
pub fn unzip<T>(items: Vec<Node<T>>) -> (Vec<T>, u32) {
    let depth = items.iter().map(|n| n.depth).max().unwrap_or(0);
    (items.into_iter().map(|n| n.node).collect(), depth)
}

pub fn unzip_opt<T>(items: Option<Vec<Node<T>>>) -> (Option<Vec<T>>, u32) {
    match items {
        Some(v) => {
            let (v, d) = unzip(v);
            (Some(v), d)
        }
        None => (None, 0),
    }
}

pub fn unzip_fields<T>(items: Vec<(Ident, Node<T>)>) -> (Vec<(Ident, T)>, u32) {
    let depth = items.iter().map(|(_, n)| n.depth).max().unwrap_or(0);
    (items.into_iter().map(|(i, n)| (i, n.node)).collect(), depth)
}

fn opt_depth<T>(n: &Option<Node<T>>) -> u32 {
    n.as_ref().map_or(0, |n| n.depth)
}

pub fn ident(src: SourceId, l: usize, name: String, r: usize) -> Ident {
    Ident {
        name,
        span: span(src, l, r),
    }
}

// ---------------------------------------------------------------- expressions

/// An expression node: depth 1 whatever it holds (expressions are not
/// bounded; see the module's documentation).
fn ex(kind: ExprKind, sp: Span, _below: u32) -> Res<Expr> {
    Ok(leaf(Expr { kind, span: sp }))
}

pub fn leaf_expr(src: SourceId, l: usize, r: usize, kind: ExprKind) -> Node<Expr> {
    leaf(Expr {
        kind,
        span: span(src, l, r),
    })
}

pub fn binary(
    src: SourceId,
    l: usize,
    r: usize,
    op: BinOp,
    a: Node<Expr>,
    b: Node<Expr>,
) -> Res<Expr> {
    let below = a.depth.max(b.depth);
    let kind = ExprKind::Binary {
        op,
        left: Box::new(a.node),
        right: Box::new(b.node),
    };
    ex(kind, span(src, l, r), below)
}

/// `-e` and `~e`. A minus directly applied to a number literal gives a
/// negative literal rather than a call of `(0-)`.
pub fn prefix(src: SourceId, l: usize, r: usize, op: PrefixOp, e: Node<Expr>) -> Res<Expr> {
    let sp = span(src, l, r);
    if op == PrefixOp::Neg {
        if let ExprKind::Literal(lit @ (Literal::Int(_) | Literal::Decimal(_))) = &e.node.kind {
            return Ok(leaf(Expr {
                kind: ExprKind::Literal(negate(lit.clone())),
                span: sp,
            }));
        }
    }
    let kind = ExprKind::Prefix {
        op,
        operand: Box::new(e.node),
    };
    ex(kind, sp, e.depth)
}

/// The negative of a numeric literal; other literals are returned as is.
pub fn negate(lit: Literal) -> Literal {
    match lit {
        Literal::Int(n) => Literal::Int(-n),
        Literal::Decimal(s) => match s.strip_prefix('-') {
            Some(positive) => Literal::Decimal(positive.to_string()),
            None => Literal::Decimal(format!("-{s}")),
        },
        other => other,
    }
}

pub fn call(
    src: SourceId,
    l: usize,
    r: usize,
    target: Node<Expr>,
    type_args: Option<Vec<Node<Type>>>,
    args: Vec<Node<Expr>>,
) -> Res<Expr> {
    let (type_args, td) = unzip_opt(type_args);
    let (args, ad) = unzip(args);
    let below = target.depth.max(td).max(ad);
    let kind = ExprKind::Call {
        target: Box::new(target.node),
        type_args,
        args,
    };
    ex(kind, span(src, l, r), below)
}

pub fn field(src: SourceId, l: usize, r: usize, target: Node<Expr>, name: Ident) -> Res<Expr> {
    let below = target.depth;
    let kind = ExprKind::Field {
        target: Box::new(target.node),
        name,
    };
    ex(kind, span(src, l, r), below)
}

pub fn deref(src: SourceId, l: usize, r: usize, target: Node<Expr>) -> Res<Expr> {
    let below = target.depth;
    ex(
        ExprKind::Deref(Box::new(target.node)),
        span(src, l, r),
        below,
    )
}

/// Builds one of the two-operand combinators and wrappers from its parts.
pub fn pair(
    src: SourceId,
    l: usize,
    r: usize,
    a: Node<Expr>,
    b: Node<Expr>,
    make: impl FnOnce(Box<Expr>, Box<Expr>) -> ExprKind,
) -> Res<Expr> {
    let below = a.depth.max(b.depth);
    ex(
        make(Box::new(a.node), Box::new(b.node)),
        span(src, l, r),
        below,
    )
}

pub fn sequential(
    src: SourceId,
    l: usize,
    r: usize,
    a: Node<Expr>,
    p: Option<Node<Pattern>>,
    b: Node<Expr>,
) -> Res<Expr> {
    let below = a.depth.max(b.depth).max(opt_depth(&p));
    let kind = ExprKind::Sequential {
        left: Box::new(a.node),
        pattern: p.map(|p| p.node),
        right: Box::new(b.node),
    };
    ex(kind, span(src, l, r), below)
}

pub fn pruning(
    src: SourceId,
    l: usize,
    r: usize,
    a: Node<Expr>,
    p: Option<Node<Pattern>>,
    b: Node<Expr>,
) -> Res<Expr> {
    let below = a.depth.max(b.depth).max(opt_depth(&p));
    let kind = ExprKind::Pruning {
        left: Box::new(a.node),
        pattern: p.map(|p| p.node),
        right: Box::new(b.node),
    };
    ex(kind, span(src, l, r), below)
}

pub fn wrap(
    src: SourceId,
    l: usize,
    r: usize,
    e: Node<Expr>,
    make: impl FnOnce(Box<Expr>) -> ExprKind,
) -> Res<Expr> {
    let below = e.depth;
    ex(make(Box::new(e.node)), span(src, l, r), below)
}

pub fn list(
    src: SourceId,
    l: usize,
    r: usize,
    items: Vec<Node<Expr>>,
    make: impl FnOnce(Vec<Expr>) -> ExprKind,
) -> Res<Expr> {
    let (items, below) = unzip(items);
    ex(make(items), span(src, l, r), below)
}

/// `(e, e, ...)`: the first component and the rest.
pub fn tuple(
    src: SourceId,
    l: usize,
    r: usize,
    first: Node<Expr>,
    mut rest: Vec<Node<Expr>>,
) -> Res<Expr> {
    rest.insert(0, first);
    list(src, l, r, rest, ExprKind::Tuple)
}

pub fn record(src: SourceId, l: usize, r: usize, fields: Vec<(Ident, Node<Expr>)>) -> Res<Expr> {
    let (fields, below) = unzip_fields(fields);
    ex(ExprKind::Record(fields), span(src, l, r), below)
}

pub fn ascribe(
    src: SourceId,
    l: usize,
    r: usize,
    e: Node<Expr>,
    ty: Node<Type>,
    assert: bool,
) -> Res<Expr> {
    let below = e.depth.max(ty.depth);
    let kind = ExprKind::Ascribe {
        expr: Box::new(e.node),
        ty: ty.node,
        assert,
    };
    ex(kind, span(src, l, r), below)
}

pub fn conditional(
    src: SourceId,
    l: usize,
    r: usize,
    c: Node<Expr>,
    t: Node<Expr>,
    e: Node<Expr>,
) -> Res<Expr> {
    let below = c.depth.max(t.depth).max(e.depth);
    let kind = ExprKind::Conditional {
        cond: Box::new(c.node),
        then: Box::new(t.node),
        otherwise: Box::new(e.node),
    };
    ex(kind, span(src, l, r), below)
}

#[allow(clippy::too_many_arguments)]
pub fn lambda(
    src: SourceId,
    l: usize,
    r: usize,
    type_params: Option<Vec<Ident>>,
    params: Vec<Node<Pattern>>,
    return_type: Option<Node<Type>>,
    body: Node<Expr>,
) -> Res<Expr> {
    let (params, pd) = unzip(params);
    let below = pd.max(opt_depth(&return_type)).max(body.depth);
    let lam = Lambda {
        type_params,
        params,
        return_type: return_type.map(|t| t.node),
        body: body.node,
    };
    ex(ExprKind::Lambda(Box::new(lam)), span(src, l, r), below)
}

pub fn declare(src: SourceId, l: usize, r: usize, d: Node<Decl>, body: Node<Expr>) -> Res<Expr> {
    let below = d.depth.max(body.depth);
    let kind = ExprKind::Declare {
        decl: Box::new(d.node),
        body: Box::new(body.node),
    };
    ex(kind, span(src, l, r), below)
}

pub fn new_object(src: SourceId, l: usize, r: usize, c: Node<ClassExpr>) -> Res<Expr> {
    let below = c.depth;
    ex(ExprKind::New(c.node), span(src, l, r), below)
}

// ------------------------------------------------------------------- patterns

fn pat(kind: PatternKind, sp: Span, below: u32) -> Res<Pattern> {
    above(Pattern { kind, span: sp }, below, sp)
}

pub fn leaf_pattern(src: SourceId, l: usize, r: usize, kind: PatternKind) -> Node<Pattern> {
    leaf(Pattern {
        kind,
        span: span(src, l, r),
    })
}

pub fn pattern_list(
    src: SourceId,
    l: usize,
    r: usize,
    items: Vec<Node<Pattern>>,
    make: impl FnOnce(Vec<Pattern>) -> PatternKind,
) -> Res<Pattern> {
    let (items, below) = unzip(items);
    pat(make(items), span(src, l, r), below)
}

pub fn pattern_tuple(
    src: SourceId,
    l: usize,
    r: usize,
    first: Node<Pattern>,
    mut rest: Vec<Node<Pattern>>,
) -> Res<Pattern> {
    rest.insert(0, first);
    pattern_list(src, l, r, rest, PatternKind::Tuple)
}

pub fn pattern_call(
    src: SourceId,
    l: usize,
    r: usize,
    name: Ident,
    args: Vec<Node<Pattern>>,
) -> Res<Pattern> {
    pattern_list(src, l, r, args, |args| PatternKind::Call { name, args })
}

pub fn pattern_record(
    src: SourceId,
    l: usize,
    r: usize,
    fields: Vec<(Ident, Node<Pattern>)>,
) -> Res<Pattern> {
    let (fields, below) = unzip_fields(fields);
    pat(PatternKind::Record(fields), span(src, l, r), below)
}

pub fn pattern_cons(
    src: SourceId,
    l: usize,
    r: usize,
    h: Node<Pattern>,
    t: Node<Pattern>,
) -> Res<Pattern> {
    let below = h.depth.max(t.depth);
    let kind = PatternKind::Cons(Box::new(h.node), Box::new(t.node));
    pat(kind, span(src, l, r), below)
}

pub fn pattern_as(src: SourceId, l: usize, r: usize, p: Node<Pattern>, x: Ident) -> Res<Pattern> {
    let below = p.depth;
    pat(PatternKind::As(Box::new(p.node), x), span(src, l, r), below)
}

pub fn pattern_typed(
    src: SourceId,
    l: usize,
    r: usize,
    p: Node<Pattern>,
    t: Node<Type>,
) -> Res<Pattern> {
    let below = p.depth.max(t.depth);
    let kind = PatternKind::Typed(Box::new(p.node), t.node);
    pat(kind, span(src, l, r), below)
}

// ---------------------------------------------------------------------- types

fn ty(kind: TypeKind, sp: Span, below: u32) -> Res<Type> {
    above(Type { kind, span: sp }, below, sp)
}

pub fn type_var(name: Ident) -> Node<Type> {
    let span = name.span;
    leaf(Type {
        kind: TypeKind::Var(name.name),
        span,
    })
}

pub fn type_app(
    src: SourceId,
    l: usize,
    r: usize,
    name: Ident,
    args: Vec<Node<Type>>,
) -> Res<Type> {
    let (args, below) = unzip(args);
    ty(TypeKind::App(name, args), span(src, l, r), below)
}

pub fn type_tuple(src: SourceId, l: usize, r: usize, items: Vec<Node<Type>>) -> Res<Type> {
    let (items, below) = unzip(items);
    ty(TypeKind::Tuple(items), span(src, l, r), below)
}

pub fn type_record(
    src: SourceId,
    l: usize,
    r: usize,
    fields: Vec<(Ident, Node<Type>)>,
) -> Res<Type> {
    let (fields, below) = unzip_fields(fields);
    ty(TypeKind::Record(fields), span(src, l, r), below)
}

pub fn type_lambda(
    src: SourceId,
    l: usize,
    r: usize,
    type_params: Option<Vec<Ident>>,
    params: Vec<Node<Type>>,
    ret: Node<Type>,
) -> Res<Type> {
    let (params, pd) = unzip(params);
    let below = pd.max(ret.depth);
    let kind = TypeKind::Lambda {
        type_params: type_params.unwrap_or_default(),
        params,
        ret: Box::new(ret.node),
    };
    ty(kind, span(src, l, r), below)
}
