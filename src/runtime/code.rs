//! The resolved program the runtime executes.
//!
//! The resolver turns the named core calculus ([`crate::compile::core`]) into
//! this form: every variable becomes a [`Slot`] (a position in the local
//! environment, the enclosing closure's captures, or a sibling definition)
//! and every global becomes a constant. Nodes are shared through `Arc` so a
//! token can hold a pointer to the node it runs next.

use crate::diagnostics::Span;
use crate::value::Value;
use std::sync::Arc;

/// Where a variable's binding lives at run time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// De Bruijn index into the token's local environment (0 = innermost).
    Local(u32),
    /// Index into the enclosing definition group's captured bindings.
    Capture(u32),
    /// Another definition of the enclosing group (or the definition itself).
    Sibling(u32),
}

/// An argument position: a variable or a constant.
#[derive(Clone, Debug)]
pub enum Operand {
    Slot(Slot),
    Const(Value),
}

#[derive(Debug)]
pub enum Code {
    Stop,
    /// Publish a constant.
    Const(Value),
    /// Publish a variable's value (waiting for it if it is a future).
    Var(Slot),
    /// Call a site (strict: waits for all arguments) or a closure (lenient).
    Call {
        target: Operand,
        args: Box<[Operand]>,
        span: Span,
    },
    /// `target.name`: a record field or a site/object member.
    Field {
        target: Operand,
        name: Arc<str>,
        span: Span,
    },
    Parallel(Arc<Code>, Arc<Code>),
    /// `left >x> right`: `right` runs with the publication bound as Local(0).
    Sequential(Arc<Code>, Arc<Code>),
    /// `left <x< right`: `left` runs with a future for `right`'s first
    /// publication bound as Local(0).
    Pruning(Arc<Code>, Arc<Code>),
    Otherwise(Arc<Code>, Arc<Code>),
    Trim(Arc<Code>),
    /// `(Ift(c) >> then | Iff(c) >> else)`, recognised by the resolver and
    /// run without forking: waits for `c`, then runs one branch.
    If {
        cond: Operand,
        then: Arc<Code>,
        otherwise: Arc<Code>,
        span: Span,
    },
    /// `Vclock(order) >> body`: `body` runs in the scope of a new virtual
    /// clock (recognised by the resolver).
    VClock {
        order: Operand,
        body: Arc<Code>,
        span: Span,
    },
    /// Mutually recursive definitions; `body` runs with the closures bound
    /// (the first definition deepest, the last as Local(0)).
    Defs {
        group: Arc<DefGroup>,
        body: Arc<Code>,
    },
    /// Match the operands against the patterns. On success `then` runs with
    /// the patterns' bindings pushed in order; on failure `otherwise` runs.
    Match {
        scrutinees: Box<[Operand]>,
        patterns: Box<[Pat]>,
        then: Arc<Code>,
        otherwise: Arc<Code>,
        span: Span,
    },
}

/// A group of mutually recursive definitions.
#[derive(Debug)]
pub struct DefGroup {
    /// Bindings copied from the declaring context into each closure.
    pub captures: Box<[Slot]>,
    pub defs: Box<[DefCode]>,
}

#[derive(Debug)]
pub struct DefCode {
    pub name: Arc<str>,
    pub arity: usize,
    /// Called without waiting for its captured futures: the layer of a
    /// class, run by `new` (object creation is lenient).
    pub lenient: bool,
    /// Runs with the arguments as locals: the last argument is Local(0).
    pub body: Arc<Code>,
    pub span: Span,
    /// A `site` declaration: strict arguments; the body runs in the
    /// declaring scope (not killed with the caller) and every publication
    /// is returned to the caller while it waits.
    pub site: bool,
    /// Whether calls may be evaluated directly, without tokens.
    pub direct: super::direct::DirectState,
}

/// A compiled pattern. Bindings are pushed in left-to-right order.
#[derive(Clone, Debug)]
pub enum Pat {
    Wildcard,
    /// Bind the value (a future stays a future: binding is lenient).
    Bind,
    Const(Value),
    Tuple(Box<[Pat]>),
    List(Box<[Pat]>),
    Cons(Box<Pat>, Box<Pat>),
    Record(Box<[(Arc<str>, Pat)]>),
    /// A constructor or any site that can take a value apart (`unapply`).
    Call(Operand, Box<[Pat]>),
    /// `p as x`: binds the whole value after p's bindings.
    As(Box<Pat>),
}

impl Pat {
    /// Whether matching needs the value itself (not just a binding for it).
    pub fn is_strict(&self) -> bool {
        !matches!(self, Pat::Wildcard | Pat::Bind)
    }
}
