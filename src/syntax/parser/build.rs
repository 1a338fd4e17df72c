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

pub fn ident(src: SourceId, l: usize, name: String, r: usize) -> Ident {
    Ident {
        name,
        span: span(src, l, r),
    }
}

// ------------------------------------------------------------------ the trees

/// What the builders make: expressions, patterns and types, each with its
/// kind of node and its tuples and records.
pub trait Tree: Sized {
    type Kind;
    /// A node of `kind` above children of depth `below`.
    fn node(kind: Self::Kind, sp: Span, below: u32) -> Res<Self>;
    fn tuple(items: Vec<Self>) -> Self::Kind;
    fn record(fields: Vec<(Ident, Self)>) -> Self::Kind;
}

impl Tree for Expr {
    type Kind = ExprKind;
    /// Depth 1 whatever it holds: expressions are not bounded (see the
    /// module's documentation).
    fn node(kind: ExprKind, span: Span, _below: u32) -> Res<Expr> {
        Ok(leaf(Expr { kind, span }))
    }
    fn tuple(items: Vec<Expr>) -> ExprKind {
        ExprKind::Tuple(items)
    }
    fn record(fields: Vec<(Ident, Expr)>) -> ExprKind {
        ExprKind::Record(fields)
    }
}

/// Patterns and types: trees bounded at [`MAX_DEPTH`].
macro_rules! bounded_tree {
    ($tree:ident, $kind:ident) => {
        impl Tree for $tree {
            type Kind = $kind;
            fn node(kind: $kind, span: Span, below: u32) -> Res<$tree> {
                above($tree { kind, span }, below, span)
            }
            fn tuple(items: Vec<$tree>) -> $kind {
                $kind::Tuple(items)
            }
            fn record(fields: Vec<(Ident, $tree)>) -> $kind {
                $kind::Record(fields)
            }
        }
    };
}

bounded_tree!(Pattern, PatternKind);
bounded_tree!(Type, TypeKind);

/// A node made by `make` from a list of children (`[e, ...]`, `C(p, ...)`).
pub fn list<T: Tree>(
    sp: Span,
    items: Vec<Node<T>>,
    make: impl FnOnce(Vec<T>) -> T::Kind,
) -> Res<T> {
    let (items, below) = unzip(items);
    T::node(make(items), sp, below)
}

/// `(x, x, ...)`: the first component and the rest.
pub fn tuple<T: Tree>(sp: Span, first: Node<T>, mut rest: Vec<Node<T>>) -> Res<T> {
    rest.insert(0, first);
    list(sp, rest, T::tuple)
}

/// `{. k = x, ... .}` (or `k :: T` for types).
pub fn record<T: Tree>(sp: Span, fields: Vec<(Ident, Node<T>)>) -> Res<T> {
    let (fields, below) = unzip_fields(fields);
    T::node(T::record(fields), sp, below)
}

// ---------------------------------------------------------------- expressions

/// An expression node (of depth 1, see [`Tree`] for `Expr`).
fn ex(kind: ExprKind, sp: Span) -> Res<Expr> {
    Ok(leaf(Expr { kind, span: sp }))
}

pub fn leaf_expr(sp: Span, kind: ExprKind) -> Node<Expr> {
    leaf(Expr { kind, span: sp })
}

pub fn binary(sp: Span, op: BinOp, a: Node<Expr>, b: Node<Expr>) -> Res<Expr> {
    let (left, right) = (Box::new(a.node), Box::new(b.node));
    ex(ExprKind::Binary { op, left, right }, sp)
}

/// `-e` and `~e`. A minus directly applied to a number literal gives a
/// negative literal rather than a call of `(0-)`.
pub fn prefix(sp: Span, op: PrefixOp, e: Node<Expr>) -> Res<Expr> {
    if op == PrefixOp::Neg {
        if let ExprKind::Literal(lit @ (Literal::Int(_) | Literal::Decimal(_))) = &e.node.kind {
            return ex(ExprKind::Literal(negate(lit.clone())), sp);
        }
    }
    let operand = Box::new(e.node);
    ex(ExprKind::Prefix { op, operand }, sp)
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
    sp: Span,
    target: Node<Expr>,
    type_args: Option<Vec<Node<Type>>>,
    args: Vec<Node<Expr>>,
) -> Res<Expr> {
    let (type_args, _) = unzip_opt(type_args);
    let (args, _) = unzip(args);
    let target = Box::new(target.node);
    ex(
        ExprKind::Call {
            target,
            type_args,
            args,
        },
        sp,
    )
}

pub fn field(sp: Span, target: Node<Expr>, name: Ident) -> Res<Expr> {
    let target = Box::new(target.node);
    ex(ExprKind::Field { target, name }, sp)
}

pub fn deref(sp: Span, target: Node<Expr>) -> Res<Expr> {
    ex(ExprKind::Deref(Box::new(target.node)), sp)
}

/// Builds one of the two-operand combinators and wrappers from its parts.
pub fn pair(
    sp: Span,
    a: Node<Expr>,
    b: Node<Expr>,
    make: impl FnOnce(Box<Expr>, Box<Expr>) -> ExprKind,
) -> Res<Expr> {
    ex(make(Box::new(a.node), Box::new(b.node)), sp)
}

/// The combinators that bind a pattern: `a >p> b` and `a <p< b`.
pub enum Bind {
    Sequential,
    Pruning,
}

/// `a >p> b` or `a <p< b`, as `how` says.
#[allow(clippy::too_many_arguments)]
pub fn bind(
    sp: Span,
    a: Node<Expr>,
    p: Option<Node<Pattern>>,
    b: Node<Expr>,
    how: Bind,
) -> Res<Expr> {
    let (left, pattern, right) = (Box::new(a.node), p.map(|p| p.node), Box::new(b.node));
    let kind = match how {
        Bind::Sequential => ExprKind::Sequential {
            left,
            pattern,
            right,
        },
        Bind::Pruning => ExprKind::Pruning {
            left,
            pattern,
            right,
        },
    };
    ex(kind, sp)
}

pub fn wrap(sp: Span, e: Node<Expr>, make: impl FnOnce(Box<Expr>) -> ExprKind) -> Res<Expr> {
    ex(make(Box::new(e.node)), sp)
}

pub fn ascribe(sp: Span, e: Node<Expr>, ty: Node<Type>, assert: bool) -> Res<Expr> {
    let (expr, ty) = (Box::new(e.node), ty.node);
    ex(ExprKind::Ascribe { expr, ty, assert }, sp)
}

pub fn conditional(sp: Span, c: Node<Expr>, t: Node<Expr>, e: Node<Expr>) -> Res<Expr> {
    let (cond, then, otherwise) = (Box::new(c.node), Box::new(t.node), Box::new(e.node));
    ex(
        ExprKind::Conditional {
            cond,
            then,
            otherwise,
        },
        sp,
    )
}

#[allow(clippy::too_many_arguments)]
pub fn lambda(
    sp: Span,
    type_params: Option<Vec<Ident>>,
    params: Vec<Node<Pattern>>,
    return_type: Option<Node<Type>>,
    body: Node<Expr>,
) -> Res<Expr> {
    let (params, _) = unzip(params);
    let lam = Lambda {
        type_params,
        params,
        return_type: return_type.map(|t| t.node),
        body: body.node,
    };
    ex(ExprKind::Lambda(Box::new(lam)), sp)
}

pub fn declare(sp: Span, d: Node<Decl>, body: Node<Expr>) -> Res<Expr> {
    let (decl, body) = (Box::new(d.node), Box::new(body.node));
    ex(ExprKind::Declare { decl, body }, sp)
}

pub fn new_object(sp: Span, c: Node<ClassExpr>) -> Res<Expr> {
    ex(ExprKind::New(c.node), sp)
}

// ------------------------------------------------------------------- patterns

pub fn leaf_pattern(sp: Span, kind: PatternKind) -> Node<Pattern> {
    leaf(Pattern { kind, span: sp })
}

pub fn pattern_call(sp: Span, name: Ident, args: Vec<Node<Pattern>>) -> Res<Pattern> {
    list(sp, args, |args| PatternKind::Call { name, args })
}

pub fn pattern_cons(sp: Span, h: Node<Pattern>, t: Node<Pattern>) -> Res<Pattern> {
    let below = h.depth.max(t.depth);
    let kind = PatternKind::Cons(Box::new(h.node), Box::new(t.node));
    Pattern::node(kind, sp, below)
}

pub fn pattern_as(sp: Span, p: Node<Pattern>, x: Ident) -> Res<Pattern> {
    let below = p.depth;
    Pattern::node(PatternKind::As(Box::new(p.node), x), sp, below)
}

pub fn pattern_typed(sp: Span, p: Node<Pattern>, t: Node<Type>) -> Res<Pattern> {
    let below = p.depth.max(t.depth);
    let kind = PatternKind::Typed(Box::new(p.node), t.node);
    Pattern::node(kind, sp, below)
}

// ---------------------------------------------------------------------- types

pub fn type_var(name: Ident) -> Node<Type> {
    let span = name.span;
    leaf(Type {
        kind: TypeKind::Var(name.name),
        span,
    })
}

pub fn type_app(sp: Span, name: Ident, args: Vec<Node<Type>>) -> Res<Type> {
    list(sp, args, |args| TypeKind::App(name, args))
}

pub fn type_tuple(sp: Span, items: Vec<Node<Type>>) -> Res<Type> {
    list(sp, items, TypeKind::Tuple)
}

pub fn type_lambda(
    sp: Span,
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
    Type::node(kind, sp, below)
}
