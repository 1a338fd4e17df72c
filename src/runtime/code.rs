//! The resolved program the runtime executes.
//!
//! The resolver turns the named core calculus ([`crate::compile::core`]) into
//! this form: every variable becomes a [`Slot`] (a slot of the running
//! body's activation record, the enclosing closure's captures, or a sibling
//! definition) and every global becomes a constant.
//!
//! Each binder of a body (a parameter, the variable of `>x>` or `<x<`, a
//! pattern variable, a local definition) has a slot of its own in the
//! body's activation record: no two binders share one, so a token never
//! writes a slot that another token sharing the record still reads (see
//! [`super::act`]). Nodes are owned through `Arc` by their parents, the
//! [`Program`] and the [`DefGroup`]s; tokens point at the node they run
//! next without counting references ([`CodePtr`]). A program's code is as
//! deep as the program, so dropping it takes the tree apart with a
//! worklist (`Drop for Code`), not recursively.

use super::site::MemberHint;
use crate::diagnostics::Span;
use crate::value::Value;
use std::sync::{Arc, LazyLock};

/// Where a variable's binding lives at run time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// A slot of the running body's activation record.
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
        /// Where the site found the method, when the member is called at
        /// once (`target.name(args)`, see [`super::site::Site::call_member`]).
        hint: MemberHint,
    },
    Parallel(Arc<Code>, Arc<Code>),
    /// `left >x> right`: `right` runs with the publication in the slot
    /// ([`NO_SLOT`] for `left >> right`).
    Sequential(Arc<Code>, u32, Arc<Code>),
    /// `left <x< right`: `left` runs with a future for `right`'s first
    /// publication in the slot.
    Pruning(Arc<Code>, u32, Arc<Code>),
    Otherwise(Arc<Code>, Arc<Code>),
    Trim(Arc<Code>),
    /// `{| f | Rwait(d) >> c |}` run by one token waiting on both sides
    /// (recognised by the resolver; see [`super::race`]).
    Race(Box<Race>),
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
    /// Mutually recursive definitions; `body` runs with the closures in
    /// the slots from `first_slot` on, in order.
    Defs {
        group: Arc<DefGroup>,
        first_slot: u32,
        body: Arc<Code>,
    },
    /// Match the operands against the patterns. On success `then` runs with
    /// the patterns' bindings in the slots from `first_slot` on, in order;
    /// on failure `otherwise` runs.
    Match {
        scrutinees: Box<[Operand]>,
        patterns: Box<[Pat]>,
        first_slot: u32,
        then: Arc<Code>,
        otherwise: Arc<Code>,
        span: Span,
    },
}

impl Code {
    /// Where the node is in the source, if it has a place of its own (a
    /// call, a member, a conditional, a match), or the place of what it
    /// runs first (the left side of `>x>`).
    pub fn span(&self) -> Option<Span> {
        match self {
            Code::Call { span, .. }
            | Code::Field { span, .. }
            | Code::If { span, .. }
            | Code::VClock { span, .. }
            | Code::Match { span, .. } => Some(*span),
            Code::Sequential(first, ..) => first.span(),
            Code::Race(race) => race.trim.span(),
            _ => None,
        }
    }
}

/// The parts of a [`Code::Race`]: `trim` is `{| left | timer |}` where
/// `left` is a call of a pure immediate site, `timer` is
/// `Rwait(delay) >> after`, and `after` a constant.
#[derive(Debug)]
pub struct Race {
    pub left: Arc<Code>,
    pub delay: Operand,
    pub timer: Arc<Code>,
    pub after: Value,
    /// The whole trim, run the general way where the race cannot be run.
    pub trim: Arc<Code>,
}

/// The slot of a binder that binds nothing (`f >> g`).
pub const NO_SLOT: u32 = u32::MAX;

/// A resolved program: its code and the size of the activation record its
/// top level runs in.
#[derive(Debug)]
pub struct Program {
    pub code: Arc<Code>,
    pub frame_size: u32,
}

/// A node a token runs, pointed at without a reference count.
///
/// Every node is owned by its parent node, up to the [`Program`] (which a
/// run holds for as long as it lives) or a [`DefGroup`] (which every
/// closure instance holds). A token or frame pointing into a definition's
/// body holds that body's instance (or sits below a return frame that
/// does), so the node outlives the pointer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodePtr(std::ptr::NonNull<Code>);

// SAFETY: a `CodePtr` is a shared reference to an immutable `Code` (which is
// `Send + Sync`) kept alive by its owner, as described above.
unsafe impl Send for CodePtr {}
unsafe impl Sync for CodePtr {}

impl CodePtr {
    pub fn new(code: &Code) -> CodePtr {
        CodePtr(std::ptr::NonNull::from(code))
    }

    /// The node. Valid while the node's owner lives (see the type's doc).
    #[inline(always)]
    pub fn get<'a>(self) -> &'a Code {
        // SAFETY: see the type's documentation: the owner outlives every
        // pointer a run holds.
        unsafe { self.0.as_ref() }
    }
}

/// A group of mutually recursive definitions.
#[derive(Debug, Default)]
pub struct DefGroup {
    /// Bindings copied from the declaring context into each closure.
    pub captures: Box<[Slot]>,
    pub defs: Box<[DefCode]>,
}

#[derive(Debug)]
pub struct DefCode {
    pub name: Arc<str>,
    pub arity: usize,
    /// The layer of a class, run by `new`: called without waiting for
    /// its captured futures (`new` waited for those it must), and run
    /// apart from its caller (`Run::detach_layer`).
    pub lenient: bool,
    /// Runs with argument `k` in slot `k` of a new activation record.
    pub body: Arc<Code>,
    /// The slots of the body's activation record (parameters included).
    pub frame_size: u32,
    pub span: Span,
    /// A `site` declaration: strict arguments; the body runs in the
    /// declaring scope (not killed with the caller) and every publication
    /// is returned to the caller while it waits.
    pub site: bool,
    /// A `site` whose call publishes the body's first publication only (a
    /// method of a `def class`); the body goes on.
    pub once: bool,
    /// What the resolver found out about the body (see [`DefShape`]).
    pub shape: DefShape,
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

/// What the resolver finds out about a definition's body, once, for the
/// evaluator's use.
#[derive(Debug, Default, Clone, Copy)]
pub struct DefShape {
    /// The body only uses constructs that publish at most once by
    /// themselves and never fork ([`is_functional`]): a call of it on the
    /// right of a pruning is run first by the calling token, under a
    /// light frame (see `runtime::light`). A hint only: what the call
    /// really does (a wait, a fork) makes the frame real.
    pub functional: bool,
    /// The body is one read `a(i)?` of the element its call names (as
    /// `Table`'s lookup is): a call reads the element at once
    /// (`Run::read_in_place`).
    pub element_read: bool,
    /// A call has no effect but its result: the body is functional and
    /// calls only immediate sites and pure definitions (its group's, by
    /// a fixpoint, or constants), never a closure it is given
    /// ([`calls_pure`]). Delaying such a call is unobservable (see
    /// `runtime::light`'s fairness).
    pub pure: bool,
}

impl DefShape {
    pub fn of(body: &Code, functional: bool) -> DefShape {
        let element_read = match body {
            Code::Pruning(left, slot, right) => {
                matches!(**right, Code::Call { .. }) && reads_slot(left, *slot)
            }
            _ => false,
        };
        DefShape {
            functional,
            element_read,
            pure: false,
        }
    }
}

/// Whether a definition body is functional: it forks nowhere and waits
/// for nothing by itself, so it publishes at most once, provided the
/// sites and closures it calls do too. (A walk with a worklist: bodies
/// nest as deep as the program.)
pub fn is_functional(code: &Code) -> bool {
    let mut todo: Vec<&Code> = vec![code];
    while let Some(code) = todo.pop() {
        match code {
            Code::Stop | Code::Const(_) | Code::Var(_) | Code::Call { .. } | Code::Field { .. } => {
            }
            Code::Parallel(..) | Code::Race(_) | Code::VClock { .. } => return false,
            Code::Sequential(l, _, r) | Code::Pruning(l, _, r) | Code::Otherwise(l, r) => {
                todo.push(l);
                todo.push(r);
            }
            Code::Trim(body) => todo.push(body),
            Code::If {
                then, otherwise, ..
            }
            | Code::Match {
                then, otherwise, ..
            } => {
                todo.push(then);
                todo.push(otherwise);
            }
            Code::Defs { group, body, .. } => {
                if group.defs.iter().any(|d| d.site || d.lenient) {
                    return false;
                }
                todo.push(body);
            }
        }
    }
    true
}

/// Whether `left` is `x.read()` (how the built-in `x?` is resolved) or
/// `?(x)`, the read of the pruned variable `x` in `slot` (the left side of
/// `a(i)?`). A look at the shape first: most prunings' left sides are
/// neither.
#[inline(always)]
pub(crate) fn reads_slot(left: &Code, slot: u32) -> bool {
    match left {
        Code::Sequential(field, method, call) => {
            matches!(&**field, Code::Field { target: Operand::Slot(Slot::Local(read)), name, .. }
                if *read == slot && &**name == "read")
                && matches!(&**call, Code::Call { target: Operand::Slot(Slot::Local(m)), args, .. }
                    if m == method && args.is_empty())
        }
        Code::Call {
            target: Operand::Const(Value::Site(deref)),
            args,
            ..
        } => match &**args {
            [Operand::Slot(Slot::Local(read))] => {
                *read == slot && crate::sites::ops::is_deref(&**deref)
            }
            _ => false,
        },
        _ => false,
    }
}

/// Whether every call in `body` is of an immediate site, of a constant
/// pure closure, or of a definition `i` of the same group with
/// `siblings(i)` (see [`DefShape::pure`]). (A worklist: bodies nest as
/// deep as the program.)
pub fn calls_pure(body: &Code, siblings: impl Fn(u32) -> bool) -> bool {
    let mut todo: Vec<&Code> = vec![body];
    while let Some(code) = todo.pop() {
        match code {
            Code::Stop | Code::Const(_) | Code::Var(_) => {}
            Code::Call { target, .. } => {
                let pure = match target {
                    Operand::Const(Value::Site(s)) => s.is_immediate(),
                    Operand::Const(Value::Closure(c)) => c.def().shape.pure,
                    Operand::Slot(Slot::Sibling(i)) => siblings(*i),
                    _ => false,
                };
                if !pure {
                    return false;
                }
            }
            Code::Field { .. } => return false,
            Code::Parallel(..) | Code::Race(_) | Code::VClock { .. } => return false,
            Code::Sequential(l, _, r) | Code::Pruning(l, _, r) | Code::Otherwise(l, r) => {
                todo.push(l);
                todo.push(r);
            }
            Code::Trim(b) => todo.push(b),
            Code::If {
                then, otherwise, ..
            }
            | Code::Match {
                then, otherwise, ..
            } => {
                todo.push(then);
                todo.push(otherwise);
            }
            // Nested definitions: their calls are made through slots.
            Code::Defs { .. } => return false,
        }
    }
    true
}

/// What is left in a node, being dropped, in place of a subtree taken out.
static TAKEN: LazyLock<Arc<Code>> = LazyLock::new(|| Arc::new(Code::Stop));

/// What is left in a node, being dropped, in place of a group taken out.
static TAKEN_GROUP: LazyLock<Arc<DefGroup>> = LazyLock::new(Default::default);

impl Code {
    /// Whether the node has no subtrees.
    fn is_leaf(&self) -> bool {
        matches!(
            self,
            Code::Stop | Code::Const(_) | Code::Var(_) | Code::Call { .. } | Code::Field { .. }
        )
    }

    /// The node's subtrees and definition groups, each owned with others or
    /// not.
    fn for_each_subtree(
        &mut self,
        mut node: impl FnMut(&mut Arc<Code>),
        mut group: impl FnMut(&mut Arc<DefGroup>),
    ) {
        match self {
            Code::Stop | Code::Const(_) | Code::Var(_) | Code::Call { .. } | Code::Field { .. } => {
            }
            Code::Parallel(l, r)
            | Code::Sequential(l, _, r)
            | Code::Pruning(l, _, r)
            | Code::Otherwise(l, r)
            | Code::If {
                then: l,
                otherwise: r,
                ..
            }
            | Code::Match {
                then: l,
                otherwise: r,
                ..
            } => {
                node(l);
                node(r);
            }
            Code::Trim(body) | Code::VClock { body, .. } => node(body),
            Code::Race(race) => {
                node(&mut race.left);
                node(&mut race.timer);
                node(&mut race.trim);
            }
            Code::Defs { group: g, body, .. } => {
                group(g);
                node(body);
            }
        }
    }

    /// Moves the subtrees this node alone owns (and that have subtrees of
    /// their own) to the worklists.
    fn take_subtrees(&mut self, nodes: &mut Vec<Arc<Code>>, groups: &mut Vec<Arc<DefGroup>>) {
        self.for_each_subtree(
            |n| {
                if Arc::strong_count(n) == 1 && !n.is_leaf() {
                    nodes.push(std::mem::replace(n, TAKEN.clone()));
                }
            },
            |g| {
                if Arc::strong_count(g) == 1 {
                    groups.push(std::mem::replace(g, TAKEN_GROUP.clone()));
                }
            },
        );
    }
}

/// Taken apart with worklists: dropping a node drops the subtrees only it
/// holds, and a program's code is as deep as the program. A node whose
/// subtrees are leaves, or shared, is dropped as usual.
impl Drop for Code {
    fn drop(&mut self) {
        let (mut deep_node, mut deep_group) = (false, false);
        self.for_each_subtree(
            |n| deep_node |= Arc::strong_count(n) == 1 && !n.is_leaf(),
            |g| deep_group |= Arc::strong_count(g) == 1,
        );
        if !(deep_node || deep_group) {
            return;
        }
        let (mut nodes, mut groups) = (Vec::new(), Vec::new());
        self.take_subtrees(&mut nodes, &mut groups);
        loop {
            if let Some(node) = nodes.pop() {
                // Dropped here, shallow, unless another holder keeps it.
                if let Some(mut code) = Arc::into_inner(node) {
                    code.take_subtrees(&mut nodes, &mut groups);
                }
            } else if let Some(group) = groups.pop() {
                if let Some(mut group) = Arc::into_inner(group) {
                    for def in group.defs.iter_mut() {
                        nodes.push(std::mem::replace(&mut def.body, TAKEN.clone()));
                    }
                }
            } else {
                break;
            }
        }
    }
}
