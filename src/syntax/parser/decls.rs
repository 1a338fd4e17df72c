//! Builders for declarations, classes and whole programs, called from the
//! grammar's actions (expressions, patterns and types are in `build`).

use crate::diagnostics::Diagnostic;
use crate::syntax::ast::*;

use super::build::{above, fail, leaf, unzip, Node, Res};
use super::cover::{to_patterns, to_types, Cover};

fn decl(sp: Span, kind: DeclKind, below: u32) -> Res<Decl> {
    above(Decl { kind, span: sp }, below, sp)
}

pub fn val(sp: Span, p: Node<Pattern>, e: Node<Expr>) -> Res<Decl> {
    let below = p.depth.max(e.depth);
    let kind = DeclKind::Val {
        pattern: p.node,
        expr: e.node,
    };
    decl(sp, kind, below)
}

/// `val x` or `val x :: T` without a value: a member signature. The grammar
/// reads any pattern here (so that `val P = e` and `val x :: T` can share a
/// prefix); only a name, possibly typed, is a signature.
pub fn val_sig(sp: Span, p: Node<Pattern>) -> Res<Decl> {
    let below = p.depth;
    let at = p.node.span;
    let (name, ty) = match p.node.kind {
        PatternKind::Var(name) => (Ident { name, span: at }, None),
        PatternKind::Typed(inner, ty) => match inner.kind {
            PatternKind::Var(name) => (
                Ident {
                    name,
                    span: inner.span,
                },
                Some(ty),
            ),
            _ => return Err(missing_val_body(at)),
        },
        _ => return Err(missing_val_body(at)),
    };
    decl(sp, DeclKind::ValSig { name, ty }, below)
}

fn missing_val_body(sp: Span) -> super::build::PE {
    fail(
        Diagnostic::syntax("expected `=` and a value after this pattern", sp)
            .with_label("`val` needs `= expression` here")
            .with_help("only a signature `val name :: Type` may omit the value"),
    )
}

/// The part of a `def`/`site` header before the return type.
pub struct DefHead {
    pub name: Ident,
    pub type_params: Option<Vec<Ident>>,
    pub params: Vec<Node<Cover>>,
}

#[allow(clippy::too_many_arguments)]
pub fn def(
    sp: Span,
    site: bool,
    head: DefHead,
    return_type: Option<Node<Type>>,
    guard: Option<Node<Expr>>,
    body: Node<Expr>,
) -> Res<Decl> {
    let (params, pd) = unzip(to_patterns(head.params)?);
    let below = pd
        .max(return_type.as_ref().map_or(0, |t| t.depth))
        .max(guard.as_ref().map_or(0, |g| g.depth))
        .max(body.depth);
    let clause = DefClause {
        name: head.name,
        type_params: head.type_params,
        params,
        return_type: return_type.map(|t| t.node),
        guard: guard.map(|g| g.node),
        body: body.node,
        once: false,
    };
    let kind = if site {
        DeclKind::Site(clause)
    } else {
        DeclKind::Def(clause)
    };
    decl(sp, kind, below)
}

/// `def class C(params) = decls goal`: Orc's class of the manual. It is
/// sugar for a `site` (strict arguments; its body runs in the declaring
/// scope, where the caller cannot kill it):
///
/// ```text
/// site C(params) = decls' ({. m = m, ... .} | goal >> stop)
/// ```
///
/// where the `m` are the definitions among `decls` (its methods): the
/// class calls them as definitions, while the instance holds for each a
/// `site` that calls it and publishes once (`decls'` adds these). A call
/// publishes the record of methods, its instance, and the goal runs on
/// beside it, its publications dropped. The `val`s stay private to the
/// methods.
pub fn def_class(
    sp: Span,
    head: DefHead,
    return_type: Option<Node<Type>>,
    body: Node<Expr>,
) -> Res<Decl> {
    let mut class = def(sp, true, head, return_type, None, body)?;
    class.depth += 2;
    let DeclKind::Site(clause) = &mut class.node.kind else {
        unreachable!("`def` with `site` makes a site")
    };
    // It publishes its instance, once: the caller does not wait for the
    // goal (nor for the methods' scope, which stays open).
    clause.once = true;
    // The declarations, peeled off the goal (a chain as long as the
    // class body: no recursion).
    let mut goal = std::mem::replace(
        &mut clause.body,
        Expr {
            kind: ExprKind::Stop,
            span: sp,
        },
    );
    let mut decls: Vec<(Decl, Span)> = Vec::new();
    while matches!(goal.kind, ExprKind::Declare { .. }) {
        let ExprKind::Declare { decl, body } = std::mem::replace(&mut goal.kind, ExprKind::Stop)
        else {
            unreachable!("matched above")
        };
        decls.push((*decl, goal.span));
        goal = *body;
    }
    // The methods: each definition, by its first clause's name and arity.
    let mut methods: Vec<(Ident, usize)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (decl, _) in &decls {
        if let DeclKind::Def(c) | DeclKind::Site(c) = &decl.kind {
            if seen.insert(c.name.name.as_str()) {
                methods.push((c.name.clone(), c.params.len()));
            }
        }
    }
    let at = goal.span;
    let expr = |kind| Expr { kind, span: at };
    // Inside the class its definitions are called as definitions; the
    // instance holds for each a `site` that calls it and publishes once.
    let wrapper = |m: &Ident| format!("{} (method)", m.name);
    for (m, arity) in &methods {
        let var = |name: String| Expr {
            kind: ExprKind::Var(name),
            span: m.span,
        };
        let params: Vec<String> = (0..*arity).map(|i| format!("#{i}")).collect();
        let clause = DefClause {
            name: Ident {
                name: wrapper(m),
                span: m.span,
            },
            type_params: None,
            params: params
                .iter()
                .map(|p| Pattern {
                    kind: PatternKind::Var(p.clone()),
                    span: m.span,
                })
                .collect(),
            return_type: None,
            guard: None,
            body: Expr {
                kind: ExprKind::Call {
                    target: Box::new(var(m.name.clone())),
                    type_args: None,
                    args: params.into_iter().map(var).collect(),
                },
                span: m.span,
            },
            once: true,
        };
        let site = Decl {
            kind: DeclKind::Site(clause),
            span: m.span,
        };
        decls.push((site, at));
    }
    let instance = ExprKind::Record(
        methods
            .iter()
            .map(|(m, _)| {
                let var = Expr {
                    kind: ExprKind::Var(wrapper(m)),
                    span: m.span,
                };
                (m.clone(), var)
            })
            .collect(),
    );
    let quiet_goal = ExprKind::Sequential {
        left: Box::new(goal),
        pattern: None,
        right: Box::new(expr(ExprKind::Stop)),
    };
    let mut body = expr(ExprKind::Parallel(
        Box::new(expr(instance)),
        Box::new(expr(quiet_goal)),
    ));
    for (decl, at) in decls.into_iter().rev() {
        body = Expr {
            kind: ExprKind::Declare {
                decl: Box::new(decl),
                body: Box::new(body),
            },
            span: at,
        };
    }
    clause.body = body;
    Ok(class)
}

pub fn def_sig(sp: Span, site: bool, head: DefHead, return_type: Node<Type>) -> Res<Decl> {
    let (param_types, pd) = unzip(to_types(head.params)?);
    let below = pd.max(return_type.depth);
    let sig = DefSig {
        name: head.name,
        type_params: head.type_params,
        param_types,
        return_type: return_type.node,
    };
    let kind = if site {
        DeclKind::SiteSig(sig)
    } else {
        DeclKind::DefSig(sig)
    };
    decl(sp, kind, below)
}

pub fn type_alias(sp: Span, name: Ident, params: Option<Vec<Ident>>, ty: Node<Type>) -> Res<Decl> {
    let below = ty.depth;
    let kind = DeclKind::TypeAlias {
        name,
        params: params.unwrap_or_default(),
        ty: ty.node,
    };
    decl(sp, kind, below)
}

/// A constructor field: a type, or `_` (`None`) for an untyped field.
pub fn constructor(name: Ident, fields: Vec<Option<Node<Type>>>) -> Node<Constructor> {
    let depth = fields.iter().flatten().map(|t| t.depth).max().unwrap_or(0) + 1;
    let fields = fields.into_iter().map(|f| f.map(|t| t.node)).collect();
    Node {
        node: Constructor { name, fields },
        depth,
    }
}

pub fn datatype(
    sp: Span,
    name: Ident,
    params: Option<Vec<Ident>>,
    constructors: Vec<Node<Constructor>>,
) -> Res<Decl> {
    let (constructors, below) = unzip(constructors);
    let kind = DeclKind::Datatype {
        name,
        params: params.unwrap_or_default(),
        constructors,
    };
    decl(sp, kind, below)
}

/// Which `import` form.
#[derive(Clone, Copy)]
pub enum Import {
    Site,
    Class,
    Type,
}

pub fn import(sp: Span, what: Import, name: Ident, location: String) -> Node<Decl> {
    let kind = match what {
        Import::Site => DeclKind::ImportSite { name, location },
        Import::Class => DeclKind::ImportClass { name, location },
        Import::Type => DeclKind::ImportType { name, location },
    };
    leaf(Decl { kind, span: sp })
}

pub fn include(sp: Span, path: String) -> Node<Decl> {
    leaf(Decl {
        kind: DeclKind::Include { path },
        span: sp,
    })
}

// -------------------------------------------------------------------- classes

pub fn class_decl(
    sp: Span,
    name: Ident,
    type_params: Option<Vec<Ident>>,
    extends: Option<Node<ClassExpr>>,
    body: Node<ClassBody>,
) -> Res<Decl> {
    let below = body.depth.max(extends.as_ref().map_or(0, |e| e.depth));
    let kind = DeclKind::Class {
        name,
        type_params,
        extends: extends.map(|e| e.node),
        body: body.node,
    };
    decl(sp, kind, below)
}

pub fn class_body(sp: Span, self_name: Option<Ident>, decls: Vec<Node<Decl>>) -> Res<ClassBody> {
    let (decls, below) = unzip(decls);
    let body = ClassBody {
        self_name,
        decls,
        span: sp,
    };
    above(body, below, sp)
}

pub fn class_literal(body: Node<ClassBody>) -> Node<ClassExpr> {
    Node {
        node: ClassExpr::Body(body.node),
        depth: body.depth,
    }
}

pub fn class_var(name: Ident) -> Node<ClassExpr> {
    leaf(ClassExpr::Var(name))
}

pub fn class_mixin(sp: Span, a: Node<ClassExpr>, b: Node<ClassExpr>) -> Res<ClassExpr> {
    let below = a.depth.max(b.depth);
    let mixin = ClassExpr::Mixin(Box::new(a.node), Box::new(b.node));
    above(mixin, below, sp)
}

pub fn subclass(sp: Span, c: Node<ClassExpr>, body: Node<ClassBody>) -> Res<ClassExpr> {
    let below = c.depth.max(body.depth);
    let sub = ClassExpr::Subclass(Box::new(c.node), body.node);
    above(sub, below, sp)
}

// ------------------------------------------------------------------- programs

/// A top-level sequence of declarations and an optional final expression,
/// built right to left by the grammar (declarations are pushed in reverse).
pub struct Top {
    rev_decls: Vec<Decl>,
    body: Option<Expr>,
}

impl Top {
    pub fn empty() -> Top {
        Top {
            rev_decls: Vec::new(),
            body: None,
        }
    }

    pub fn decl(d: Node<Decl>) -> Top {
        Top {
            rev_decls: vec![d.node],
            body: None,
        }
    }

    pub fn body(e: Node<Expr>) -> Top {
        Top {
            rev_decls: Vec::new(),
            body: Some(e.node),
        }
    }

    pub fn with(mut self, d: Node<Decl>) -> Top {
        self.rev_decls.push(d.node);
        self
    }

    pub fn finish(mut self) -> Program {
        self.rev_decls.reverse();
        Program {
            decls: self.rev_decls,
            body: self.body,
        }
    }
}
