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
//! `runtime::act`). Nodes are owned through `Arc` by their parents, the
//! program (`runtime::program`) and the [`DefGroup`]s; tokens point at the node they run
//! next without counting references ([`CodePtr`]). A program's code is as
//! deep as the program, so dropping it takes the tree apart with a
//! worklist (`Drop for Code`), not recursively.

use crate::diagnostics::Span;
use crate::value::Value;
use std::sync::atomic::{AtomicUsize, Ordering};
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
    /// (recognised by the resolver; see `runtime::race`).
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
    /// Whether the code is an *immediate expression*: built only of
    /// constants, variables, `stop`, prunings, conditionals, matches whose
    /// patterns need no site, and calls of immediate sites. It publishes
    /// at most once, never waits and has no effect, so it may run in place
    /// (see `runtime::inplace`). A look at the code alone, at most
    /// [`IMMEDIATE_DEPTH`] deep: that evaluation recurses. (It decides
    /// which definition bodies become register code; an expression inside
    /// a body is flattened as far as it goes, `value/flatten.rs`.)
    pub fn is_immediate(&self) -> bool {
        self.immediate_within(IMMEDIATE_DEPTH)
    }

    fn immediate_within(&self, depth: u32) -> bool {
        if depth == 0 {
            return false;
        }
        match self {
            Code::Stop | Code::Const(_) | Code::Var(_) => true,
            Code::Pruning(left, _, right) => {
                left.immediate_within(depth - 1) && right.immediate_within(depth - 1)
            }
            Code::If {
                then, otherwise, ..
            } => then.immediate_within(depth - 1) && otherwise.immediate_within(depth - 1),
            Code::Match {
                patterns,
                then,
                otherwise,
                ..
            } => {
                patterns.iter().all(Pat::needs_no_site)
                    && then.immediate_within(depth - 1)
                    && otherwise.immediate_within(depth - 1)
            }
            Code::Call {
                target: Operand::Const(Value::Site(site)),
                ..
            } => site.is_immediate(),
            _ => false,
        }
    }

    /// The two subtrees of a node that has two: the sides of a
    /// combinator, the branches of a conditional or a match.
    fn branches(&self) -> Option<(&Code, &Code)> {
        let (l, r) = match self {
            Code::Parallel(l, r) | Code::Otherwise(l, r) => (l, r),
            Code::Sequential(l, _, r) | Code::Pruning(l, _, r) => (l, r),
            Code::If {
                then, otherwise, ..
            } => (then, otherwise),
            Code::Match {
                then, otherwise, ..
            } => (then, otherwise),
            _ => return None,
        };
        Some((l, r))
    }

    /// Of a `Defs` node: its first slot and its group.
    fn defs_slots(&self) -> Option<(u32, &DefGroup)> {
        match self {
            Code::Defs {
                group, first_slot, ..
            } => Some((*first_slot, group)),
            _ => None,
        }
    }

    /// Of a `Defs` node: the slots its closures go in, each with what the
    /// definition is as a callee.
    fn defined_callees(&self) -> impl Iterator<Item = (u32, Callee)> + '_ {
        let (first, group) = self.defs_slots().unzip();
        let defs = group.map(|g| &g.defs[..]).unwrap_or_default();
        defs.iter()
            .enumerate()
            .map(move |(j, d)| (first.unwrap_or(0) + j as u32, d.shape.callee()))
    }

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

/// A method call's memory of where its site found the method last time
/// (see [`Site::call_member`](super::site::Site::call_member)): a word that only the site that wrote it
/// interprets, and must check before it trusts it (the next call may reach
/// another kind of site). It is one word, written and read whole, so the
/// runs of a program on several threads cannot tear it.
#[derive(Debug, Default)]
pub struct MemberHint(AtomicUsize);

impl MemberHint {
    #[inline(always)]
    pub fn get(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }

    #[inline(always)]
    pub fn set(&self, word: usize) {
        self.0.store(word, Ordering::Relaxed)
    }
}

/// A node a token runs, pointed at without a reference count.
///
/// Every node is owned by its parent node, up to the program (which a
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
    /// The body as register code, where it is an immediate expression
    /// (and the definition functional): a call with its arguments ready
    /// is computed in place (see [`super::flat`]).
    pub flat: Option<Box<super::flat::Flat>>,
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
    /// How many slots a match binds (patterns nest a bounded depth).
    pub fn binds(&self) -> usize {
        match self {
            Pat::Wildcard | Pat::Const(_) => 0,
            Pat::Bind => 1,
            Pat::As(p) => p.binds() + 1,
            Pat::Cons(h, t) => h.binds() + t.binds(),
            Pat::Tuple(ps) | Pat::List(ps) | Pat::Call(_, ps) => ps.iter().map(Pat::binds).sum(),
            Pat::Record(fs) => fs.iter().map(|(_, p)| p.binds()).sum(),
        }
    }

    /// Whether matching takes values apart without a site (no constructor
    /// or `unapply` pattern inside): such a match may run in place.
    pub fn needs_no_site(&self) -> bool {
        match self {
            Pat::Wildcard | Pat::Bind | Pat::Const(_) => true,
            Pat::As(p) => p.needs_no_site(),
            Pat::Cons(h, t) => h.needs_no_site() && t.needs_no_site(),
            Pat::Tuple(ps) | Pat::List(ps) => ps.iter().all(Pat::needs_no_site),
            Pat::Record(fs) => fs.iter().all(|(_, p)| p.needs_no_site()),
            Pat::Call(..) => false,
        }
    }

    /// Whether matching needs the value itself (not just a binding for it).
    pub fn is_strict(&self) -> bool {
        !matches!(self, Pat::Wildcard | Pat::Bind)
    }
}

/// How deep an immediate expression may nest ([`Code::is_immediate`]).
pub const IMMEDIATE_DEPTH: u32 = 32;

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
    /// calls only immediate sites, pure definitions (its group's, by a
    /// fixpoint, its own local ones, or constants) and the parameters in
    /// [`DefShape::pure_given`] ([`calls_pure`]). Delaying such a call is
    /// unobservable (see `runtime::light`'s fairness).
    pub pure: bool,
    /// The parameters a pure body calls (bit `k`: parameter `k`), as
    /// `filter` calls its predicate: a call is pure only when each of
    /// those arguments is a pure callee itself (an immediate site, or a
    /// closure pure with no such condition; see [`DefShape::purity`]).
    pub pure_given: u32,
    /// The parameters the body waits for before it does anything else
    /// (bit `k`: parameter `k`), as a clausal definition matching its
    /// argument does: a call with a future there does nothing observable
    /// until the future is bound.
    pub strict: u32,
    /// The parameters every publication of the body waits for (bit `k`:
    /// parameter `k`), as `append(xs, ys)` publishes only once `ys` is
    /// bound ([`publication_needs`], a fixpoint over the group).
    pub needs: u32,
}

impl DefShape {
    /// The shape of a definition's body, given what the resolver found
    /// of it: whether it is functional and an element read.
    pub fn of(body: &Code, arity: usize, functional: bool, element_read: bool) -> DefShape {
        DefShape {
            functional,
            element_read,
            pure: false,
            pure_given: 0,
            strict: first_waits_for(body) & params_mask(arity),
            needs: 0,
        }
    }

    /// The definition as a callee ([`Callee`]).
    pub fn callee(&self) -> Callee {
        Callee {
            purity: self.pure.then_some(self.pure_given),
            strict: self.strict,
            needs: self.needs,
        }
    }
}

/// The bits of the first `arity` parameters (at most 32).
pub fn params_mask(arity: usize) -> u32 {
    if arity >= 32 {
        u32::MAX
    } else {
        (1u32 << arity) - 1
    }
}

/// The bit of the slot `op` names among the first 32 local slots, if any.
pub fn local_bit(op: &Operand) -> u32 {
    match op {
        Operand::Slot(Slot::Local(k)) if *k < 32 => 1 << k,
        _ => 0,
    }
}

/// The local slots (bit `k`: slot `k`) that `code`'s first action waits
/// for: a match's strict scrutinees, a condition, a site call's arguments
/// (or those a local definition called first waits for), a call's
/// target, a member's target, a published variable.
fn first_waits_for(code: &Code) -> u32 {
    let mut code = code;
    let mut defs: Option<(u32, &DefGroup)> = None;
    loop {
        return match code {
            Code::Sequential(first, ..) => {
                code = first;
                continue;
            }
            Code::Defs { body, .. } => {
                defs = code.defs_slots();
                code = body;
                continue;
            }
            Code::Match {
                scrutinees,
                patterns,
                ..
            } => strict_scrutinees(scrutinees, patterns),
            Code::If { cond, .. } => local_bit(cond),
            Code::Var(s) => local_bit(&Operand::Slot(*s)),
            Code::Field { target, .. } => local_bit(target),
            Code::Call { target, args, .. } => {
                let strict = match target {
                    Operand::Const(Value::Site(_)) => u32::MAX,
                    Operand::Slot(Slot::Local(k)) => match defs {
                        Some((first, group)) if *k >= first => group
                            .defs
                            .get((k - first) as usize)
                            .map_or(0, |d| d.shape.strict),
                        _ => 0,
                    },
                    _ => 0,
                };
                local_bit(target) | arg_bits(args, strict)
            }
            _ => 0,
        };
    }
}

/// The local slots a match waits for: its scrutinees matched by strict
/// patterns.
fn strict_scrutinees(scrutinees: &[Operand], patterns: &[Pat]) -> u32 {
    scrutinees
        .iter()
        .zip(patterns)
        .filter(|(_, p)| p.is_strict())
        .fold(0, |m, (s, _)| m | local_bit(s))
}

/// The local slots among `args` at the positions in `mask`.
fn arg_bits(args: &[Operand], mask: u32) -> u32 {
    args.iter()
        .take(32)
        .enumerate()
        .filter(|(k, _)| mask & (1 << k) != 0)
        .fold(0, |m, (_, a)| m | local_bit(a))
}

/// What a call's target is known to be, for the light frames' fairness
/// (see `runtime::light`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Callee {
    /// `Some(mask)` if a call of it is pure given pure callees as its
    /// arguments in `mask` (an immediate site: `Some(0)`); `None` if it
    /// may have an effect, or is not known.
    pub purity: Option<u32>,
    /// The arguments it waits for before anything else (a site: all).
    pub strict: u32,
    /// The arguments every publication of a call waits for (a site: all).
    pub needs: u32,
}

impl Callee {
    /// A value as a callee.
    pub fn of(v: &Value) -> Callee {
        match v {
            Value::Site(s) => Callee {
                purity: s.pure_given(),
                strict: u32::MAX,
                needs: u32::MAX,
            },
            Value::Closure(c) => c.def().shape.callee(),
            _ => Callee::default(),
        }
    }

    /// Whether a call of it with `args` waits for the local `slot` first.
    pub fn waits_for(&self, args: &[Operand], slot: u32) -> bool {
        args.iter().take(32).enumerate().any(|(k, a)| {
            self.strict & (1 << k) != 0 && matches!(a, Operand::Slot(Slot::Local(s)) if *s == slot)
        })
    }

    /// Whether a call of it with `args` is pure, where `arg` tells what
    /// each argument is as a callee: every argument it calls must be
    /// unconditionally pure.
    pub fn pure_call(&self, args: &[Operand], mut arg: impl FnMut(&Operand) -> Callee) -> bool {
        let Some(mask) = self.purity else {
            return false;
        };
        (0..32)
            .filter(|k| mask & (1 << k) != 0)
            .all(|k| args.get(k).is_some_and(|a| arg(a).purity == Some(0)))
    }
}

/// The local slots (bit `k`: slot `k`, among the first 32) that every
/// publication of `code` waits for, `callee` telling what each call's
/// target is (the code's own definitions, and variables known to hold
/// one, are looked up here): `x` for `x + 1`; for `f(y) <y< g` what `g`
/// needs if `f` needs `y`. A code that never publishes waits for all of
/// them. (A worklist: code nests as deep as the program.)
pub fn publication_needs(code: &Code, callee: &dyn Fn(&Operand) -> Callee) -> u32 {
    enum Task<'a> {
        /// A node, the number of known callees in its scope, and one more
        /// that its scope adds.
        Visit(&'a Code, usize, Option<(u32, Callee)>),
        Combine(&'a Code),
    }
    let bit = |slot: u32| if slot < 32 { 1u32 << slot } else { 0 };
    let bits = |first: u32, count: usize| {
        (first..first.saturating_add(count as u32)).fold(0, |m, s| m | bit(s))
    };
    // Slots known to hold a callee, innermost last.
    let mut known: Vec<(u32, Callee)> = Vec::new();
    let mut todo = vec![Task::Visit(code, 0, None)];
    let mut done: Vec<u32> = Vec::new();
    while let Some(task) = todo.pop() {
        match task {
            Task::Visit(code, scope, adds) => {
                known.truncate(scope);
                known.extend(adds);
                let needs = match code {
                    Code::Stop => u32::MAX,
                    Code::Const(_) | Code::Race(_) | Code::VClock { .. } => 0,
                    Code::Var(s) => local_bit(&Operand::Slot(*s)),
                    Code::Field { target, .. } => local_bit(target),
                    Code::Call { target, args, .. } => {
                        let known = match target {
                            Operand::Slot(Slot::Local(k)) => {
                                known.iter().rev().find(|(s, _)| s == k).map(|(_, c)| *c)
                            }
                            _ => None,
                        };
                        let c = known.unwrap_or_else(|| callee(target));
                        local_bit(target) | arg_bits(args, c.needs)
                    }
                    Code::Pruning(l, x, r) => {
                        todo.push(Task::Combine(code));
                        let scope = known.len();
                        let adds = known_callee(r).map(|c| (*x, c));
                        todo.push(Task::Visit(l, scope, adds));
                        todo.push(Task::Visit(r, scope, None));
                        continue;
                    }
                    Code::Defs { body, .. } => {
                        todo.push(Task::Combine(code));
                        known.extend(code.defined_callees());
                        todo.push(Task::Visit(body, known.len(), None));
                        continue;
                    }
                    Code::Trim(body) => {
                        todo.push(Task::Combine(code));
                        todo.push(Task::Visit(body, known.len(), None));
                        continue;
                    }
                    _ => match code.branches() {
                        Some((l, r)) => {
                            // The last pushed is visited first: the left
                            // branch's result ends up on top of `done`.
                            todo.push(Task::Combine(code));
                            todo.push(Task::Visit(l, known.len(), None));
                            todo.push(Task::Visit(r, known.len(), None));
                            continue;
                        }
                        None => 0,
                    },
                };
                done.push(needs);
            }
            Task::Combine(code) => {
                let mut next = || done.pop().unwrap_or(0);
                let needs = match code {
                    Code::Parallel(..) | Code::Otherwise(..) => next() & next(),
                    Code::Sequential(_, x, _) => {
                        let (l, r) = (next(), next());
                        l | (r & !bit(*x))
                    }
                    Code::Pruning(_, x, _) => {
                        let (l, r) = (next(), next());
                        let through = if l & bit(*x) != 0 { r } else { 0 };
                        (l & !bit(*x)) | through
                    }
                    Code::Trim(_) => next(),
                    Code::If { cond, .. } => local_bit(cond) | (next() & next()),
                    Code::Match {
                        scrutinees,
                        patterns,
                        first_slot,
                        ..
                    } => {
                        let (then, otherwise) = (next(), next());
                        let bound = bits(*first_slot, patterns.iter().map(Pat::binds).sum());
                        strict_scrutinees(scrutinees, patterns) | ((then & !bound) & otherwise)
                    }
                    Code::Defs {
                        group, first_slot, ..
                    } => next() & !bits(*first_slot, group.defs.len()),
                    _ => 0,
                };
                done.push(needs);
            }
        }
    }
    done.pop().unwrap_or(0)
}

/// What the right side `right` of a pruning publishes as a callee, when
/// known without running it: a constant, or the closure of a local
/// definition (a `lambda` given as an argument).
pub fn known_callee(right: &Code) -> Option<Callee> {
    match right {
        Code::Const(v) => Some(Callee::of(v)),
        Code::Defs {
            group,
            first_slot,
            body,
        } => match &**body {
            Code::Var(Slot::Local(k)) if k >= first_slot => group
                .defs
                .get((k - first_slot) as usize)
                .map(|d| d.shape.callee()),
            _ => None,
        },
        _ => None,
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

/// Whether every call in `body` (a definition's, with `arity` parameters)
/// is pure: of an immediate site, of a constant pure closure, of a
/// definition `i` of the same group with `siblings(i)`, of a local
/// definition found pure (or a pruned variable known to hold one), or of
/// a parameter; each with pure callees where the callee calls its
/// arguments (see [`DefShape::pure`]). Gives the parameters the body
/// calls (as [`DefShape::pure_given`]), or `None`. (A worklist: bodies
/// nest as deep as the program.)
pub fn calls_pure(body: &Code, arity: usize, siblings: impl Fn(u32) -> Callee) -> Option<u32> {
    let params = params_mask(arity);
    let mut given = 0u32;
    // Slots known to hold a callee, innermost last: an entry holds in the
    // subtrees pushed after it, so a node cuts the list back to what it
    // was when the node was pushed (slots are reused out of scope).
    let mut known: Vec<(u32, Callee)> = Vec::new();
    let mut todo: Vec<(&Code, usize)> = vec![(body, 0)];
    while let Some((code, scope)) = todo.pop() {
        known.truncate(scope);
        match code {
            Code::Stop | Code::Const(_) | Code::Var(_) => {}
            Code::Call { target, args, .. } => {
                let mut callee = |op: &Operand| match op {
                    Operand::Const(v) => Callee::of(v),
                    Operand::Slot(Slot::Sibling(i)) => siblings(*i),
                    Operand::Slot(Slot::Local(k)) => match known.iter().rev().find(|(s, _)| s == k)
                    {
                        Some((_, c)) => *c,
                        None if local_bit(op) & params != 0 => {
                            given |= local_bit(op);
                            Callee {
                                purity: Some(0),
                                ..Callee::default()
                            }
                        }
                        None => Callee::default(),
                    },
                    Operand::Slot(Slot::Capture(_)) => Callee::default(),
                };
                let target = callee(target);
                if !target.pure_call(args, callee) {
                    return None;
                }
            }
            Code::Field { .. } => return None,
            Code::Parallel(..) | Code::Race(_) | Code::VClock { .. } => return None,
            Code::Pruning(l, slot, r) => {
                todo.push((r, known.len()));
                if let Some(c) = known_callee(r) {
                    known.push((*slot, c));
                }
                todo.push((l, known.len()));
            }
            Code::Sequential(l, _, r) | Code::Otherwise(l, r) => {
                todo.push((l, known.len()));
                todo.push((r, known.len()));
            }
            Code::Trim(b) => todo.push((b, known.len())),
            Code::If {
                then, otherwise, ..
            }
            | Code::Match {
                then, otherwise, ..
            } => {
                todo.push((then, known.len()));
                todo.push((otherwise, known.len()));
            }
            // Nested definitions (their purity found when they were
            // resolved) are called through their slots.
            Code::Defs { body, .. } => {
                known.extend(code.defined_callees());
                todo.push((body, known.len()));
            }
        }
    }
    Some(given)
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
