//! The surface syntax tree produced by the parser.
//!
//! Every node carries a [`Span`] (byte offsets into one source file) so that
//! later passes can point diagnostics at the exact text. The tree mirrors the
//! Orc 2.1 grammar closely; all sugar is removed later, by
//! [`crate::compile::desugar`], when the tree is lowered to the core calculus.
//!
//! Expressions nest without limit (a generated sum of 100,000 terms is
//! 100,000 levels deep), so an [`Expr`] is dropped with a worklist, not
//! recursively, and the compiler walks it the same way. Patterns, types
//! and class expressions are bounded by the parser
//! ([`crate::syntax::parser::MAX_DEPTH`]); the derived `Clone`, `PartialEq`
//! and `Debug` recurse, and are meant for tests and tools on ordinary
//! trees (the compiler uses none of them).

use num_bigint::BigInt;

pub use crate::diagnostics::{SourceId, Span};

/// A name as written in the source, with where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A literal constant.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    /// Integer literal of any size.
    Int(BigInt),
    /// Decimal literal (has a fraction or an exponent), kept as written
    /// (e.g. `"1.5e3"`); the value layer turns it into a decimal number.
    Decimal(String),
    Str(String),
    Bool(bool),
    Signal,
    Null,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

/// Binary operators. Each is sugar for a call of the site bound to the
/// operator's name (see [`BinOp::site_name`]), so programs may rebind them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    Cons,
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
    And,
    Or,
    Assign,
}

impl BinOp {
    /// The name the operator calls, as written between parentheses: `(+)`.
    pub fn site_name(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Mod => "%",
            BinOp::Pow => "**",
            BinOp::Cons => ":",
            BinOp::Eq => "=",
            BinOp::Ne => "/=",
            BinOp::Lt => "<:",
            BinOp::Gt => ":>",
            BinOp::Le => "<=",
            BinOp::Ge => ">=",
            BinOp::And => "&&",
            BinOp::Or => "||",
            BinOp::Assign => ":=",
        }
    }
}

/// Prefix operators: arithmetic negation calls `(0-)`, logical negation `(~)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PrefixOp {
    Neg,
    Not,
}

impl PrefixOp {
    pub fn site_name(self) -> &'static str {
        match self {
            PrefixOp::Neg => "0-",
            PrefixOp::Not => "~",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Literal(Literal),
    /// A variable; operator names appear without parentheses (`+` for `(+)`).
    Var(String),
    /// `_` inside a section `{ ... }`.
    Placeholder,
    Stop,
    This,
    /// `super.name`
    Super(Ident),
    /// `[e, ...]`
    List(Vec<Expr>),
    /// `(e, e, ...)`: two or more components.
    Tuple(Vec<Expr>),
    /// `{. name = e, ... .}`
    Record(Vec<(Ident, Expr)>),
    /// `target[T, ...](args)`
    Call {
        target: Box<Expr>,
        type_args: Option<Vec<Type>>,
        args: Vec<Expr>,
    },
    /// `target.name`
    Field {
        target: Box<Expr>,
        name: Ident,
    },
    /// `target?`
    Deref(Box<Expr>),
    Prefix {
        op: PrefixOp,
        operand: Box<Expr>,
    },
    Binary {
        op: BinOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    /// `left >P> right`; `>>` has no pattern.
    Sequential {
        left: Box<Expr>,
        pattern: Option<Pattern>,
        right: Box<Expr>,
    },
    Parallel(Box<Expr>, Box<Expr>),
    /// `left <P< right`; `<<` has no pattern.
    Pruning {
        left: Box<Expr>,
        pattern: Option<Pattern>,
        right: Box<Expr>,
    },
    Otherwise(Box<Expr>, Box<Expr>),
    /// `{| e |}`
    Trim(Box<Expr>),
    /// `{ e }` where `e` contains placeholders `_`.
    Section(Box<Expr>),
    Lambda(Box<Lambda>),
    Conditional {
        cond: Box<Expr>,
        then: Box<Expr>,
        otherwise: Box<Expr>,
    },
    /// A declaration scoping over the expression after it.
    Declare {
        decl: Box<Decl>,
        body: Box<Expr>,
    },
    /// `e :: T` (ascription) or `e :!: T` (assertion, `assert = true`).
    Ascribe {
        expr: Box<Expr>,
        ty: Type,
        assert: bool,
    },
    /// `new C`
    New(ClassExpr),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Lambda {
    pub type_params: Option<Vec<Ident>>,
    pub params: Vec<Pattern>,
    pub return_type: Option<Type>,
    pub body: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Pattern {
    pub kind: PatternKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum PatternKind {
    Wildcard,
    Var(String),
    Literal(Literal),
    /// `(p, p, ...)`: two or more components; `(p)` is just `p`.
    Tuple(Vec<Pattern>),
    List(Vec<Pattern>),
    /// `head : tail`
    Cons(Box<Pattern>, Box<Pattern>),
    Record(Vec<(Ident, Pattern)>),
    /// `Name(p, ...)`: a datatype constructor or any site with an `unapply`.
    Call {
        name: Ident,
        args: Vec<Pattern>,
    },
    /// `p as x`
    As(Box<Pattern>, Ident),
    /// `p :: T`
    Typed(Box<Pattern>, Type),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Type {
    pub kind: TypeKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TypeKind {
    Var(String),
    /// `Name[T, ...]`
    App(Ident, Vec<Type>),
    /// `(T, T, ...)`; also `()`.
    Tuple(Vec<Type>),
    Record(Vec<(Ident, Type)>),
    /// `lambda[X](T, ...) :: R`
    Lambda {
        type_params: Vec<Ident>,
        params: Vec<Type>,
        ret: Box<Type>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Decl {
    pub kind: DeclKind,
    pub span: Span,
}

/// One clause of a `def` (or `site`) declaration. Consecutive clauses with
/// the same name form one definition; the desugarer groups them.
#[derive(Clone, Debug, PartialEq)]
pub struct DefClause {
    pub name: Ident,
    pub type_params: Option<Vec<Ident>>,
    pub params: Vec<Pattern>,
    pub return_type: Option<Type>,
    pub guard: Option<Expr>,
    pub body: Expr,
    /// A method of a `def class` (then the clause is a `site`): a call
    /// publishes the body's first publication only; the body goes on.
    pub once: bool,
}

/// `def f[X](T, ...) :: R`: a signature without a body.
#[derive(Clone, Debug, PartialEq)]
pub struct DefSig {
    pub name: Ident,
    pub type_params: Option<Vec<Ident>>,
    pub param_types: Vec<Type>,
    pub return_type: Type,
}

/// A datatype constructor `Name(T, ...)` or `Name(_, ...)` (`None` fields).
#[derive(Clone, Debug, PartialEq)]
pub struct Constructor {
    pub name: Ident,
    pub fields: Vec<Option<Type>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ClassBody {
    /// `{ self # ... }`: the name bound to the instance inside the body.
    pub self_name: Option<Ident>,
    pub decls: Vec<Decl>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ClassExpr {
    Body(ClassBody),
    Var(Ident),
    /// `A with B`
    Mixin(Box<ClassExpr>, Box<ClassExpr>),
    /// `new C { ... }`
    Subclass(Box<ClassExpr>, ClassBody),
}

#[derive(Clone, Debug, PartialEq)]
pub enum DeclKind {
    Val {
        pattern: Pattern,
        expr: Expr,
    },
    /// `val x :: T` (a member signature in a class).
    ValSig {
        name: Ident,
        ty: Option<Type>,
    },
    Def(DefClause),
    DefSig(DefSig),
    /// `site f(...) = ...`: like `def`, but called as a site (strict
    /// arguments, at most one publication).
    Site(DefClause),
    SiteSig(DefSig),
    Class {
        name: Ident,
        type_params: Option<Vec<Ident>>,
        extends: Option<ClassExpr>,
        body: ClassBody,
    },
    ImportSite {
        name: Ident,
        location: String,
    },
    ImportClass {
        name: Ident,
        location: String,
    },
    ImportType {
        name: Ident,
        location: String,
    },
    /// `include "path"`: replaced by [`DeclKind::Included`] when loaded.
    Include {
        path: String,
    },
    /// The declarations of an included file, after loading.
    Included {
        path: String,
        decls: Vec<Decl>,
    },
    TypeAlias {
        name: Ident,
        params: Vec<Ident>,
        ty: Type,
    },
    Datatype {
        name: Ident,
        params: Vec<Ident>,
        constructors: Vec<Constructor>,
    },
}

/// A whole program, an included file, or one REPL input: declarations,
/// then (for a program) the expression they scope over.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    pub decls: Vec<Decl>,
    pub body: Option<Expr>,
}

impl ExprKind {
    /// Whether the node has no subexpressions.
    fn is_leaf(&self) -> bool {
        matches!(
            self,
            ExprKind::Literal(_)
                | ExprKind::Var(_)
                | ExprKind::Placeholder
                | ExprKind::Stop
                | ExprKind::This
                | ExprKind::Super(_)
        )
    }

    /// Whether dropping the node recursively goes at most one level down:
    /// every subexpression is a leaf, and nothing else it holds nests
    /// expressions (declarations, lambdas, classes).
    fn is_shallow(&self) -> bool {
        let leaf = |e: &Expr| e.kind.is_leaf();
        match self {
            ExprKind::List(items) | ExprKind::Tuple(items) => items.iter().all(leaf),
            ExprKind::Record(fields) => fields.iter().all(|(_, e)| leaf(e)),
            ExprKind::Call { target, args, .. } => leaf(target) && args.iter().all(leaf),
            ExprKind::Field { target: e, .. }
            | ExprKind::Deref(e)
            | ExprKind::Prefix { operand: e, .. }
            | ExprKind::Trim(e)
            | ExprKind::Section(e)
            | ExprKind::Ascribe { expr: e, .. } => leaf(e),
            ExprKind::Binary { left, right, .. }
            | ExprKind::Sequential { left, right, .. }
            | ExprKind::Pruning { left, right, .. }
            | ExprKind::Parallel(left, right)
            | ExprKind::Otherwise(left, right) => leaf(left) && leaf(right),
            ExprKind::Conditional {
                cond,
                then,
                otherwise,
            } => leaf(cond) && leaf(then) && leaf(otherwise),
            ExprKind::Lambda(_) | ExprKind::Declare { .. } | ExprKind::New(_) => false,
            _ => self.is_leaf(),
        }
    }
}

/// A tree is taken apart iteratively: each subexpression's node is moved
/// out into a worklist (leaving a leaf in its place) before its parent is
/// dropped, so no drop recurses more than a level or two, however deep
/// the tree (patterns and types inside are bounded by the parser).
impl Drop for Expr {
    fn drop(&mut self) {
        if self.kind.is_shallow() {
            return;
        }
        let mut parts = Parts(Vec::new());
        parts.0.push(Part::Expr(std::mem::replace(
            &mut self.kind,
            ExprKind::Stop,
        )));
        while let Some(part) = parts.0.pop() {
            parts.take_apart(part);
        }
    }
}

/// A piece of a tree being dropped (see `Drop for Expr`).
enum Part {
    Expr(ExprKind),
    Decl(Box<Decl>),
    Decls(Vec<Decl>),
    Class(ClassExpr),
}

struct Parts(Vec<Part>);

impl Parts {
    fn expr(&mut self, e: &mut Expr) {
        if !e.kind.is_leaf() {
            let kind = std::mem::replace(&mut e.kind, ExprKind::Stop);
            self.0.push(Part::Expr(kind));
        }
    }

    fn exprs(&mut self, es: &mut [Expr]) {
        es.iter_mut().for_each(|e| self.expr(e));
    }

    /// Moves the subtrees of a declaration to the worklist.
    fn decl(&mut self, kind: DeclKind) {
        match kind {
            DeclKind::Val { mut expr, .. } => self.expr(&mut expr),
            DeclKind::Def(mut clause) | DeclKind::Site(mut clause) => {
                if let Some(guard) = &mut clause.guard {
                    self.expr(guard);
                }
                self.expr(&mut clause.body);
            }
            DeclKind::Class { extends, body, .. } => {
                if let Some(e) = extends {
                    self.0.push(Part::Class(e));
                }
                self.0.push(Part::Decls(body.decls));
            }
            DeclKind::Included { decls, .. } => self.0.push(Part::Decls(decls)),
            _ => {}
        }
    }

    /// Moves the subtrees of `part` to the worklist; what is left of it
    /// is dropped here, shallow.
    fn take_apart(&mut self, part: Part) {
        match part {
            Part::Expr(kind) => match kind {
                ExprKind::List(mut items) | ExprKind::Tuple(mut items) => self.exprs(&mut items),
                ExprKind::Record(mut fields) => {
                    fields.iter_mut().for_each(|(_, e)| self.expr(e));
                }
                ExprKind::Call {
                    mut target,
                    mut args,
                    ..
                } => {
                    self.expr(&mut target);
                    self.exprs(&mut args);
                }
                ExprKind::Field { target: mut e, .. }
                | ExprKind::Deref(mut e)
                | ExprKind::Prefix { operand: mut e, .. }
                | ExprKind::Trim(mut e)
                | ExprKind::Section(mut e)
                | ExprKind::Ascribe { expr: mut e, .. } => self.expr(&mut e),
                ExprKind::Binary {
                    mut left,
                    mut right,
                    ..
                }
                | ExprKind::Sequential {
                    mut left,
                    mut right,
                    ..
                }
                | ExprKind::Pruning {
                    mut left,
                    mut right,
                    ..
                }
                | ExprKind::Parallel(mut left, mut right)
                | ExprKind::Otherwise(mut left, mut right) => {
                    self.expr(&mut left);
                    self.expr(&mut right);
                }
                ExprKind::Conditional {
                    mut cond,
                    mut then,
                    mut otherwise,
                } => {
                    self.expr(&mut cond);
                    self.expr(&mut then);
                    self.expr(&mut otherwise);
                }
                ExprKind::Lambda(mut lambda) => self.expr(&mut lambda.body),
                ExprKind::Declare { decl, mut body } => {
                    self.0.push(Part::Decl(decl));
                    self.expr(&mut body);
                }
                ExprKind::New(class) => self.0.push(Part::Class(class)),
                ExprKind::Literal(_)
                | ExprKind::Var(_)
                | ExprKind::Placeholder
                | ExprKind::Stop
                | ExprKind::This
                | ExprKind::Super(_) => {}
            },
            Part::Decl(decl) => self.decl(decl.kind),
            Part::Decls(decls) => decls.into_iter().for_each(|d| self.decl(d.kind)),
            Part::Class(class) => match class {
                ClassExpr::Body(body) => self.0.push(Part::Decls(body.decls)),
                ClassExpr::Var(_) => {}
                ClassExpr::Mixin(a, b) => {
                    self.0.push(Part::Class(*a));
                    self.0.push(Part::Class(*b));
                }
                ClassExpr::Subclass(base, body) => {
                    self.0.push(Part::Class(*base));
                    self.0.push(Part::Decls(body.decls));
                }
            },
        }
    }
}
