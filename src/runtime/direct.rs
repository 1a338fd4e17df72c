//! Direct evaluation of functional definitions.
//!
//! Many definitions are plain functions: their bodies only combine
//! immediate site calls (arithmetic, comparisons, constructors),
//! conditionals, patterns, pruning, sequencing, `;` and calls of other such
//! definitions. A call of one publishes at most once and never waits, yet
//! run token by token it costs a token, a group, a halting counter and a
//! future for every pruned argument. This module runs such a call as an
//! ordinary recursive evaluation instead: on the Rust stack (grown on
//! demand), with a vector of bindings as its environment.
//!
//! What the program observes is the same: the call's publication (or its
//! silence) and the same runtime errors in the same order. When the
//! evaluator meets something it cannot do — a site that may wait or has
//! effects, a closure that is not functional, a future that is still
//! pending — or goes past its depth limit or time budget, it gives up
//! without a trace (errors are held back until it finishes, and nothing
//! else it does has effects) and the token interpreter runs the call as
//! usual. A definition that needed something unsupported is not tried
//! again; one that overran is tried again less and less often. A long
//! loop does not overrun: at a tail call of the outermost definition its
//! whole state is one call, which it hands back to the token every time
//! slice, so timers, other tokens and the host get their turn.

use super::call::{arity_error, CallCx};
use super::closure::{Closure, Instance};
use super::code::{Code, DefCode, DefGroup, Operand, Pat, Slot, NO_SLOT};
use super::engine::{Run, TokenRef};
use super::env::{Binding, FutureRef, Read};
use super::eval::{binding, field, if_condition_error, int_call, Values};
use super::matching::{match_all, match_value, Input};
use super::site::{Outcome, Peek, Site, SiteCx};
use super::token::Hot;
use crate::diagnostics::Span;
use crate::value::Value;
use smallvec::SmallVec;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant};

/// After this long a direct evaluation hands its work back to the token
/// (at the next call in tail position of the outermost definition, where
/// its state is just a call) if anything else waits; after twice this
/// long, in any case, so that the run can yield to its host.
const SLICE: Duration = Duration::from_millis(10);

/// How long it may run, unable to hand back, while a timer is due or a
/// host call has completed: wake-ups are late by no more than this.
const LIMIT_WITH_DUE_WAKEUPS: Duration = Duration::from_millis(20);

/// How long it may run, unable to hand back, before it gives up.
const LIMIT: Duration = Duration::from_secs(5);

/// Calls between looks at the clock.
const CALLS_BETWEEN_CLOCK_CHECKS: u32 = 1024;

/// Nested (non-tail) calls allowed in one direct evaluation; deeper
/// recursion is left to the token interpreter, whose stacks live on the heap.
/// (Each level takes about 1 KB of Rust stack.)
const MAX_DEPTH: u32 = 50_000;

/// Nested calls between two looks at the room left on the Rust stack.
const LEVELS_BETWEEN_STACK_CHECKS: u32 = 4;

/// Bindings of a direct evaluation's stack whose memory is kept for the
/// next one.
const KEPT_STACK: usize = 1 << 14;

/// Stack kept free below each nested call, and the size of each new stack
/// segment when it runs out.
const RED_ZONE: usize = 64 * 1024;
const STACK_SEGMENT: usize = 2 * 1024 * 1024;

/// Whether a definition may be evaluated directly, and how that went.
#[derive(Debug, Default)]
pub struct DirectState {
    /// The body only uses constructs that publish at most once and never
    /// wait (decided by [`is_functional`] when the code is resolved).
    functional: bool,
    /// A direct evaluation met something unsupported in this body.
    given_up: AtomicBool,
    /// Direct attempts still to skip after overruns.
    skip: AtomicU32,
    /// Direct evaluations of this definition that overran.
    overruns: AtomicU32,
    /// The body is one read `a(i)?` (see [`reads_slot`]), as `Table`'s
    /// lookup is: decided once, for calls to read the element at once.
    element_read: bool,
}

impl DirectState {
    pub fn new(functional: bool, body: &Code) -> DirectState {
        let element_read = match body {
            Code::Pruning(left, slot, right) => {
                matches!(**right, Code::Call { .. }) && reads_slot(left, *slot)
            }
            _ => false,
        };
        DirectState {
            functional,
            element_read,
            ..DirectState::default()
        }
    }

    /// Whether the body is one read `a(i)?` of the element its call names.
    #[inline(always)]
    pub(crate) fn element_read(&self) -> bool {
        self.element_read
    }

    /// Whether a call might be evaluated directly (a quick look, before
    /// its arguments are gathered).
    #[inline(always)]
    pub(crate) fn may_try(&self) -> bool {
        self.functional && !self.given_up.load(Ordering::Relaxed)
    }

    /// May a call inside a direct evaluation go on directly?
    fn usable(&self) -> bool {
        self.functional && !self.given_up.load(Ordering::Relaxed)
    }

    /// Should the token interpreter try this call directly now?
    fn should_try(&self) -> bool {
        if !self.usable() {
            return false;
        }
        if self.skip.load(Ordering::Relaxed) > 0 {
            self.skip.fetch_sub(1, Ordering::Relaxed);
            return false;
        }
        true
    }

    fn give_up(&self) {
        self.given_up.store(true, Ordering::Relaxed);
    }

    /// After an overrun the next 2, 4, 8, ... attempts go to the token
    /// interpreter, so work thrown away stays a small share of the total.
    fn overran(&self) {
        let n = self.overruns.fetch_add(1, Ordering::Relaxed) + 1;
        self.skip.store(1 << n.min(16), Ordering::Relaxed);
    }
}

/// Whether a definition body is functional: it can only publish at most
/// once and never waits, provided the sites it calls are immediate and
/// the closures it calls are functional too (checked as it runs). (Decided
/// at resolution, over a body as deep as the program: with a worklist.)
pub fn is_functional(code: &Code) -> bool {
    let mut todo = vec![code];
    while let Some(code) = todo.pop() {
        match code {
            Code::Stop | Code::Const(_) | Code::Var(_) | Code::Call { .. } | Code::Field { .. } => {
            }
            Code::Parallel(..) | Code::Race(_) | Code::VClock { .. } => return false,
            Code::Sequential(l, _, r)
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
                todo.push(r);
                todo.push(l);
            }
            Code::Trim(body) => todo.push(body),
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

/// Why a direct evaluation stopped without a result.
enum Abort {
    /// Something only the token interpreter can do.
    Unsupported,
    /// A future still pending: the call has to wait.
    Wait,
    /// Past the time budget or the depth limit.
    Overrun,
    /// Handing back: the call is now `instance.defs[index]` with the
    /// arguments on the stack, and the token carries on with it.
    Yield(Arc<Instance>, u32),
}

type Eval<T> = Result<T, Abort>;

/// Arguments of a call, bound leniently (a halted argument is passed on).
pub(crate) type Args = SmallVec<[Binding; 4]>;

/// The outcome of evaluating code in tail position.
enum Tail {
    Done(Option<Value>),
    /// A call in tail position, its arguments pushed on top of the stack:
    /// the caller's frame can be replaced. The callee is definition `u32`
    /// of the instance, or of the running one (`None`: recursion, which
    /// needs no count of the instance changed).
    Call(Option<Arc<Instance>>, u32),
}

/// A binding for a value that halted (a pruned expression that did not
/// publish, a halted argument).
pub(crate) fn halted() -> Binding {
    static HALTED: LazyLock<FutureRef> = LazyLock::new(|| {
        let f = FutureRef::pending();
        f.resolve(None);
        // It lives as long as the process, not in any run's accounts.
        super::pool::count_as_static(1);
        f
    });
    Binding::Future(HALTED.clone())
}

/// A placeholder for a slot not bound yet.
fn halted_binding() -> Binding {
    Binding::Value(Value::Signal)
}

pub(crate) fn bind(result: Option<Value>) -> Binding {
    match result {
        Some(v) => Binding::Value(v),
        None => halted(),
    }
}

struct Direct<'r> {
    run: &'r mut Run,
    token: TokenRef,
    /// The slots of every frame, one frame after the other: a body's
    /// `Local(s)` is `s` from the start of its frame.
    stack: Vec<Binding>,
    /// Runtime errors, reported only if the evaluation finishes.
    errors: Vec<(String, Span)>,
    calls: u32,
    started: Option<Instant>,
    depth: u32,
    /// An unsupported construct was charged to the definition it was in.
    charged: bool,
    /// Hand the work back at the next opportunity.
    yield_requested: bool,
    /// Scratch space for the bindings of a pattern match.
    bound: Vec<Binding>,
}

/// What became of a call tried directly.
pub(crate) enum DirectCall {
    /// It published this value, or halted silently (`None`).
    Done(Option<Value>),
    /// It ran for a while and is now this call with these arguments, for
    /// the token to carry on with.
    Continue(Closure, Vec<Binding>),
    /// It could not be run directly: run it with tokens.
    NotDone,
}

impl Run {
    /// Runs `closure(args)` directly if its definition is functional and
    /// every argument is resolved.
    pub(crate) fn call_direct(
        &mut self,
        t: TokenRef,
        closure: &Closure,
        args: &[Binding],
    ) -> DirectCall {
        if !may_start(closure) || args.iter().any(|b| matches!(b.read(), Read::Pending(_))) {
            return DirectCall::NotDone;
        }
        // The stack's memory is kept from one direct call to the next.
        let mut stack = std::mem::take(&mut self.direct_stack);
        stack.clear();
        stack.extend_from_slice(args);
        self.run_direct(t, closure, stack)
    }

    /// [`Run::call_direct`] with the arguments read from the operands of
    /// the running body (a call in place), put straight on the stack.
    pub(crate) fn call_direct_in_place(
        &mut self,
        t: TokenRef,
        h: &Hot,
        closure: &Closure,
        args: &[Operand],
    ) -> DirectCall {
        if !may_start(closure) {
            return DirectCall::NotDone;
        }
        let mut stack = std::mem::take(&mut self.direct_stack);
        stack.clear();
        for a in args {
            let b = binding(h, a);
            if matches!(b.read(), Read::Pending(_)) {
                stack.clear();
                self.direct_stack = stack;
                return DirectCall::NotDone;
            }
            stack.push(b);
        }
        self.run_direct(t, closure, stack)
    }

    /// Runs the call whose arguments are `stack`.
    fn run_direct(&mut self, t: TokenRef, closure: &Closure, stack: Vec<Binding>) -> DirectCall {
        let mut d = Direct {
            run: self,
            token: t,
            stack,
            errors: Vec::new(),
            calls: 0,
            started: None,
            depth: 0,
            charged: false,
            yield_requested: false,
            bound: Vec::new(),
        };
        let result = d.call_loop(&closure.instance, closure.index, 0);
        let errors = std::mem::take(&mut d.errors);
        let mut stack = std::mem::take(&mut d.stack);
        let outcome = match result {
            Ok(v) => DirectCall::Done(v),
            Err(Abort::Yield(instance, index)) => {
                return self.finish_direct(
                    DirectCall::Continue(Closure::new(instance, index), stack),
                    errors,
                );
            }
            Err(Abort::Unsupported) => DirectCall::NotDone,
            Err(Abort::Wait | Abort::Overrun) => {
                closure.def().direct.overran();
                DirectCall::NotDone
            }
        };
        stack.clear();
        if stack.capacity() <= KEPT_STACK {
            self.direct_stack = stack;
        }
        self.finish_direct(outcome, errors)
    }

    /// The outcome of a direct call: errors met on the way are reported if
    /// its work is kept.
    #[inline(always)]
    fn finish_direct(&mut self, outcome: DirectCall, errors: Vec<(String, Span)>) -> DirectCall {
        if matches!(outcome, DirectCall::NotDone) {
            return outcome;
        }
        self.direct_calls += 1;
        if !errors.is_empty() {
            self.report_direct_errors(errors);
        }
        outcome
    }

    /// The work is kept, so its errors happened.
    #[cold]
    fn report_direct_errors(&mut self, errors: Vec<(String, Span)>) {
        for (message, span) in errors {
            self.report(message, Some(span));
        }
    }
}

/// Whether a call of `closure` may be tried directly now (before its
/// arguments are looked at).
#[inline]
fn may_start(closure: &Closure) -> bool {
    closure.def().direct.should_try() && !closure.has_pending_captures()
}

/// A value read strictly: present (in place where it can be), or halted.
enum Got<'a> {
    Ref(&'a Value),
    Owned(Value),
    Halted,
}

impl Got<'_> {
    fn into_value(self) -> Option<Value> {
        match self {
            Got::Ref(v) => Some(v.clone()),
            Got::Owned(v) => Some(v),
            Got::Halted => None,
        }
    }
}

impl Direct<'_> {
    /// Counts a call against the budget.
    fn tick(&mut self) -> Eval<()> {
        self.calls += 1;
        if self.calls.is_multiple_of(CALLS_BETWEEN_CLOCK_CHECKS) {
            // The clock is first read after some work: most direct calls
            // are short and never read it. A long one first lets the
            // timers started before it count from now, so that
            // `wakeups_due` sees them (see `Run::start_timer`).
            let started = match self.started {
                Some(t) => t,
                None => {
                    self.run.place_started_timers();
                    *self.started.insert(Instant::now())
                }
            };
            let elapsed = started.elapsed();
            if elapsed > SLICE {
                let due = self.run.wakeups_due();
                if due || !self.run.ready.is_empty() || elapsed > 2 * SLICE {
                    self.yield_requested = true;
                }
                if (due && elapsed > LIMIT_WITH_DUE_WAKEUPS) || elapsed > LIMIT {
                    return Err(Abort::Overrun);
                }
            }
            if self.run.stop_requested() {
                // Killed or out of time: the scheduler stops the run as
                // soon as this call is handed back.
                return Err(Abort::Overrun);
            }
        }
        Ok(())
    }

    fn binding<'a>(&'a self, slot: Slot, ctx: &'a Arc<Instance>, base: usize) -> Eval<Binding> {
        match slot {
            Slot::Local(i) => self
                .stack
                .get(base + i as usize)
                .cloned()
                .ok_or(Abort::Unsupported),
            Slot::Capture(i) => ctx
                .captured
                .get(i as usize)
                .cloned()
                .ok_or(Abort::Unsupported),
            Slot::Sibling(i) => Ok(Binding::Value(Value::Closure(Closure::new(ctx.clone(), i)))),
        }
    }

    /// The binding of an operand in place, if it is one (`None` for
    /// constants and siblings). Never pending.
    fn binding_ref<'a>(
        &'a self,
        op: &Operand,
        ctx: &'a Arc<Instance>,
        base: usize,
    ) -> Eval<Option<&'a Binding>> {
        let b = match op {
            Operand::Slot(Slot::Local(i)) => self.stack.get(base + *i as usize),
            Operand::Slot(Slot::Capture(i)) => ctx.captured.get(*i as usize),
            _ => return Ok(None),
        };
        match b {
            Some(b) if matches!(b.read(), Read::Pending(_)) => Err(Abort::Wait),
            Some(b) => Ok(Some(b)),
            None => Err(Abort::Unsupported),
        }
    }

    /// An argument for a closure: bound leniently, but never pending.
    fn arg(&self, op: &Operand, ctx: &Arc<Instance>, base: usize) -> Eval<Binding> {
        let b = match op {
            Operand::Const(v) => return Ok(Binding::Value(v.clone())),
            Operand::Slot(s) => self.binding(*s, ctx, base)?,
        };
        match b.read() {
            Read::Pending(_) => Err(Abort::Wait),
            _ => Ok(b),
        }
    }

    /// An operand read strictly, as a site argument or a condition.
    fn value<'a>(&'a self, op: &'a Operand, ctx: &'a Arc<Instance>, base: usize) -> Eval<Got<'a>> {
        let binding = match op {
            Operand::Const(v) => return Ok(Got::Ref(v)),
            Operand::Slot(Slot::Local(i)) => self.stack.get(base + *i as usize),
            Operand::Slot(Slot::Capture(i)) => ctx.captured.get(*i as usize),
            // A sibling shares the captures of the running instance, and
            // every instance entered here has its captures resolved.
            Operand::Slot(Slot::Sibling(i)) => {
                return Ok(Got::Owned(Value::Closure(Closure::new(ctx.clone(), *i))))
            }
        };
        match binding.ok_or(Abort::Unsupported)?.read() {
            Read::Ready(Value::Closure(c)) if c.has_pending_captures() => Err(Abort::Wait),
            Read::Ready(v) => Ok(Got::Ref(v)),
            Read::Halted => Ok(Got::Halted),
            Read::Pending(_) => Err(Abort::Wait),
        }
    }

    /// An operand that is a machine integer, read without the general
    /// machinery (`None` for anything else, which takes the general path).
    #[inline]
    fn int(&self, op: &Operand, ctx: &Arc<Instance>, base: usize) -> Option<i64> {
        let binding = match op {
            Operand::Const(Value::Int(x)) => return Some(*x),
            Operand::Slot(Slot::Local(i)) => self.stack.get(base + *i as usize)?,
            Operand::Slot(Slot::Capture(i)) => ctx.captured.get(*i as usize)?,
            _ => return None,
        };
        match binding {
            Binding::Value(Value::Int(x)) => Some(*x),
            _ => None,
        }
    }

    /// The value of `code` if it is an integer operator applied to two
    /// machine integers without overflow (arguments of calls and conditions
    /// mostly are), computed without a nested evaluation.
    #[inline]
    fn int_operation(&self, code: &Code, ctx: &Arc<Instance>, base: usize) -> Option<Value> {
        int_call(code, |op| self.int(op, ctx, base))
    }

    /// Replaces the frame from `base` with the `arity` arguments on top of
    /// the stack (a call in tail position).
    fn replace_frame(&mut self, base: usize, arity: usize) {
        let start = self.stack.len() - arity;
        if start > base {
            for k in 0..arity {
                self.stack.swap(base + k, start + k);
            }
            self.stack.truncate(base + arity);
        }
    }

    /// Runs a call whose arguments are the top of the stack from `base`
    /// on, replacing the frame for each call in tail position.
    fn call_loop(&mut self, first: &Arc<Instance>, index: u32, base: usize) -> Eval<Option<Value>> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Abort::Overrun);
        }
        // The room left on the Rust stack is looked at every few levels
        // (a level takes about 1 KB, far less than the red zone).
        let result = if self.depth % LEVELS_BETWEEN_STACK_CHECKS == 1 {
            stacker::maybe_grow(RED_ZONE, STACK_SEGMENT, || {
                self.calls_from(first, index, base)
            })
        } else {
            self.calls_from(first, index, base)
        };
        self.depth -= 1;
        result
    }

    /// [`Direct::call_loop`]'s calls, one after the other.
    fn calls_from(
        &mut self,
        first: &Arc<Instance>,
        mut index: u32,
        base: usize,
    ) -> Eval<Option<Value>> {
        // The instance running, when it is not `first`.
        let mut other: Option<Arc<Instance>> = None;
        loop {
            let inst = other.as_ref().unwrap_or(first);
            let def: &DefCode = &inst.group.defs[index as usize];
            // The frame: the arguments, then the binders' slots, which
            // grow as they are written (into room reserved now).
            let frame_end = base + def.frame_size as usize;
            if self.stack.capacity() < frame_end {
                self.stack.reserve(frame_end - self.stack.len());
            }
            match self.eval_tail(&def.body, inst, base) {
                Ok(Tail::Done(v)) => break Ok(v),
                Ok(Tail::Call(next, next_index)) => {
                    let callee = next.as_ref().unwrap_or(inst);
                    let arity = callee.group.defs[next_index as usize].arity;
                    self.replace_frame(base, arity);
                    if self.yield_requested && self.depth == 1 {
                        // Nothing below this call: it is all the state.
                        let next = next.unwrap_or_else(|| inst.clone());
                        break Err(Abort::Yield(next, next_index));
                    }
                    if next.is_some() {
                        other = next;
                    }
                    index = next_index;
                }
                Err(Abort::Unsupported) => {
                    if !self.charged {
                        self.charged = true;
                        inst.group.defs[index as usize].direct.give_up();
                    }
                    break Err(Abort::Unsupported);
                }
                Err(e) => break Err(e),
            }
        }
    }

    /// Evaluates `code` to its publication, leaving the stack as it was.
    fn eval_value(&mut self, code: &Code, ctx: &Arc<Instance>, base: usize) -> Eval<Option<Value>> {
        let saved = self.stack.len();
        let result = match self.eval_tail(code, ctx, base)? {
            Tail::Done(v) => v,
            Tail::Call(inst, index) => {
                let callee = inst.as_ref().unwrap_or(ctx);
                let arity = callee.group.defs[index as usize].arity;
                self.replace_frame(saved, arity);
                self.call_loop(callee, index, saved)?
            }
        };
        self.stack.truncate(saved);
        Ok(result)
    }

    fn eval_tail(&mut self, code: &Code, ctx: &Arc<Instance>, base: usize) -> Eval<Tail> {
        // Tail positions continue the loop rather than recurse: fewer
        // Rust frames per nested Orc call.
        let mut code = code;
        loop {
            return match code {
                Code::Stop => Ok(Tail::Done(None)),
                Code::Const(v) => Ok(Tail::Done(Some(v.clone()))),
                Code::Var(slot) => Ok(Tail::Done(
                    self.value(&Operand::Slot(*slot), ctx, base)?.into_value(),
                )),
                Code::Pruning(left, slot, right) => {
                    // (Each outcome writes its own binding: converting one
                    // kind of option into another costs more than it looks.)
                    match self.int_operation(right, ctx, base) {
                        Some(v) => self.set(base, *slot, Binding::Value(v)),
                        None => {
                            if reads_slot(left, *slot) {
                                if let Some(result) = self.fused_read(right, ctx, base)? {
                                    return Ok(Tail::Done(result));
                                }
                            }
                            match self.eval_value(right, ctx, base)? {
                                Some(v) => self.set(base, *slot, Binding::Value(v)),
                                None => self.set(base, *slot, halted()),
                            }
                        }
                    }
                    code = left;
                    continue;
                }
                Code::Sequential(left, slot, right) => match self.eval_value(left, ctx, base)? {
                    Some(v) => {
                        self.set(base, *slot, Binding::Value(v));
                        code = right;
                        continue;
                    }
                    None => Ok(Tail::Done(None)),
                },
                Code::Otherwise(left, right) => match self.eval_value(left, ctx, base)? {
                    Some(v) => Ok(Tail::Done(Some(v))),
                    None => {
                        code = right;
                        continue;
                    }
                },
                Code::Trim(body) => {
                    code = body;
                    continue;
                }
                Code::If {
                    cond,
                    then,
                    otherwise,
                    span,
                } => {
                    let branch = match self.value(cond, ctx, base)? {
                        Got::Halted => return Ok(Tail::Done(None)),
                        Got::Ref(Value::Bool(b)) => Ok(*b),
                        Got::Ref(other) => Err(if_condition_error(other)),
                        Got::Owned(other) => Err(if_condition_error(&other)),
                    };
                    match branch {
                        Ok(true) => {
                            code = then;
                            continue;
                        }
                        Ok(false) => {
                            code = otherwise;
                            continue;
                        }
                        Err(message) => {
                            self.errors.push((message, *span));
                            Ok(Tail::Done(None))
                        }
                    }
                }
                Code::Field {
                    target, name, span, ..
                } => {
                    let member = match self.value(target, ctx, base)?.into_value() {
                        None => return Ok(Tail::Done(None)),
                        Some(Value::Object(_)) => return Err(Abort::Unsupported),
                        Some(v) => field(&v, name),
                    };
                    match member {
                        Ok(member) => Ok(Tail::Done(Some(member))),
                        Err(message) => {
                            self.errors.push((message, *span));
                            Ok(Tail::Done(None))
                        }
                    }
                }
                Code::Defs {
                    group,
                    first_slot,
                    body,
                } => {
                    self.set_closures(group, ctx, base, *first_slot)?;
                    code = body;
                    continue;
                }
                Code::Match {
                    scrutinees,
                    patterns,
                    first_slot,
                    then,
                    otherwise,
                    span,
                } => match self.match_patterns(scrutinees, patterns, ctx, base, *first_slot)? {
                    Matched::Yes => {
                        code = then;
                        continue;
                    }
                    Matched::No => {
                        code = otherwise;
                        continue;
                    }
                    Matched::Halted => Ok(Tail::Done(None)),
                    Matched::Error(message) => {
                        self.errors.push((message, *span));
                        Ok(Tail::Done(None))
                    }
                },
                Code::Call { target, args, span } => {
                    self.tick()?;
                    let read;
                    let callee = match target {
                        // Recursion: the running instance is the callee's.
                        Operand::Slot(Slot::Sibling(i)) => {
                            return self.push_call(None, *i, args, ctx, base, *span)
                        }
                        // Constants (the operators) are used in place.
                        Operand::Const(v) => v,
                        _ => match self.value(target, ctx, base)? {
                            Got::Halted => return Ok(Tail::Done(None)),
                            Got::Ref(Value::Closure(c)) => {
                                let (instance, index) = (c.instance.clone(), c.index);
                                return self.push_call(
                                    Some(instance),
                                    index,
                                    args,
                                    ctx,
                                    base,
                                    *span,
                                );
                            }
                            got => {
                                read = got.into_value();
                                match &read {
                                    Some(v) => v,
                                    None => return Ok(Tail::Done(None)),
                                }
                            }
                        },
                    };
                    match callee {
                        Value::Closure(c) => {
                            let instance = Some(c.instance.clone());
                            self.push_call(instance, c.index, args, ctx, base, *span)
                        }
                        // (Immediate sites include no layer installer.)
                        Value::Site(site) if site.is_immediate() => {
                            if let [a, b] = &**args {
                                if let (Some(x), Some(y)) =
                                    (self.int(a, ctx, base), self.int(b, ctx, base))
                                {
                                    if let Some(v) = site.call_ints(x, y) {
                                        return Ok(Tail::Done(Some(v.into())));
                                    }
                                }
                            }
                            self.call_immediate(site, args, ctx, base, *span)
                        }
                        // Other sites only where the call just reads.
                        Value::Site(site) => self.call_immediate(site, args, ctx, base, *span),
                        _ => Err(Abort::Unsupported),
                    }
                }
                Code::Parallel(..) | Code::Race(_) | Code::VClock { .. } => Err(Abort::Unsupported),
            };
        }
    }

    /// A call of `instance.defs[index]`: its arguments are pushed, for the
    /// caller to run it (replacing its own frame when in tail position).
    fn push_call(
        &mut self,
        instance: Option<Arc<Instance>>,
        index: u32,
        args: &[Operand],
        ctx: &Arc<Instance>,
        base: usize,
        span: Span,
    ) -> Eval<Tail> {
        let def = &instance.as_ref().unwrap_or(ctx).group.defs[index as usize];
        if def.arity != args.len() {
            self.errors.push((arity_error(def, args.len()), span));
            return Ok(Tail::Done(None));
        }
        if !def.direct.usable() {
            return Err(Abort::Unsupported);
        }
        // Pushed above the caller's frame, which they are read from.
        for a in args.iter() {
            let b = match a {
                Operand::Slot(Slot::Local(i)) => match self.stack.get(base + *i as usize) {
                    Some(Binding::Value(v)) => Binding::Value(v.clone()),
                    Some(b @ Binding::Future(f)) if !f.is_pending() => b.clone(),
                    Some(_) => return Err(Abort::Wait),
                    None => return Err(Abort::Unsupported),
                },
                a => self.arg(a, ctx, base)?,
            };
            self.stack.push(b);
        }
        Ok(Tail::Call(instance, index))
    }

    // The rarer constructs live in functions of their own, which keeps
    // `eval_tail`'s frame (one or more per nested call) small.

    /// `def`s inside a functional body: their closures go in their slots.
    #[inline(never)]
    fn set_closures(
        &mut self,
        group: &Arc<DefGroup>,
        ctx: &Arc<Instance>,
        base: usize,
        first_slot: u32,
    ) -> Eval<()> {
        let captured = group
            .captures
            .iter()
            .map(|s| self.binding(*s, ctx, base))
            .collect::<Eval<Box<[Binding]>>>()?;
        let instance = Arc::new(Instance::new(group.clone(), captured, None));
        for i in 0..group.defs.len() as u32 {
            let closure = Closure::new(instance.clone(), i);
            self.set(
                base,
                first_slot + i,
                Binding::Value(Value::Closure(closure)),
            );
        }
        Ok(())
    }

    /// Writes slot `slot` of the frame at `base` (the top frame, whose
    /// slots are made as they are first written).
    #[inline(always)]
    fn set(&mut self, base: usize, slot: u32, b: Binding) {
        if slot == NO_SLOT {
            return;
        }
        let i = base + slot as usize;
        let len = self.stack.len();
        if i < len {
            self.stack[i] = b;
        } else if i < self.stack.capacity() {
            // The frame's room is reserved when the call starts
            // (`call_loop`), so the binding goes straight into place, with
            // no reallocation that would hold it up.
            let end = self.stack.as_mut_ptr();
            // SAFETY: `len <= k <= i < capacity`: the writes stay within the
            // allocation, and the length covers them only once they are
            // all initialised.
            unsafe {
                for k in len..i {
                    end.add(k).write(halted_binding());
                }
                end.add(i).write(b);
                self.stack.set_len(i + 1);
            }
        } else {
            self.stack.resize_with(i, halted_binding);
            self.stack.push(b);
        }
    }

    /// Matches the scrutinees; on success their bindings go in the slots
    /// from `first_slot` on.
    #[inline(never)]
    fn match_patterns(
        &mut self,
        scrutinees: &[Operand],
        patterns: &[Pat],
        ctx: &Arc<Instance>,
        base: usize,
        first_slot: u32,
    ) -> Eval<Matched> {
        // The bindings go through a vector kept for reuse.
        let mut bound = std::mem::take(&mut self.bound);
        if patterns.iter().all(is_plain) {
            let matched = self.match_plain(scrutinees, patterns, ctx, base, &mut bound);
            let matched = match matched {
                Ok(m) => m,
                Err(e) => {
                    bound.clear();
                    self.bound = bound;
                    return Err(e);
                }
            };
            if matches!(matched, Matched::Yes) {
                for (k, b) in bound.drain(..).enumerate() {
                    self.set(base, first_slot + k as u32, b);
                }
            } else {
                bound.clear();
            }
            self.bound = bound;
            return Ok(matched);
        }
        let mut inputs: SmallVec<[Input<'_>; 4]> = SmallVec::new();
        for (s, p) in scrutinees.iter().zip(patterns.iter()) {
            inputs.push(if p.is_strict() {
                match self.value(s, ctx, base)? {
                    Got::Ref(v) => Input::Value(v),
                    Got::Owned(v) => Input::Owned(v),
                    Got::Halted => return Ok(Matched::Halted),
                }
            } else {
                match self.binding_ref(s, ctx, base)? {
                    Some(b) => Input::Binding(b),
                    None => Input::Owned(match self.arg(s, ctx, base)? {
                        Binding::Value(v) => v,
                        Binding::Future(_) => return Err(Abort::Unsupported),
                    }),
                }
            });
        }
        let matched = match_all(patterns, &inputs, &mut bound, &|op| {
            self.value(op, ctx, base).ok().and_then(Got::into_value)
        });
        drop(inputs);
        if matches!(matched, Ok(true)) {
            for (k, b) in bound.drain(..).enumerate() {
                self.set(base, first_slot + k as u32, b);
            }
        } else {
            bound.clear();
        }
        self.bound = bound;
        Ok(match matched {
            Ok(true) => Matched::Yes,
            Ok(false) => Matched::No,
            Err(message) => Matched::Error(message),
        })
    }

    /// [`Direct::match_patterns`] for patterns that are all plain (see
    /// [`is_plain`]), as most clauses' are: each scrutinee read in place
    /// and matched at once, with what `match_all` would give. (Every
    /// scrutinee is read, in order, even after a mismatch, as there: a
    /// halted one halts the match whatever the others do.)
    fn match_plain(
        &self,
        scrutinees: &[Operand],
        patterns: &[Pat],
        ctx: &Arc<Instance>,
        base: usize,
        bound: &mut Vec<Binding>,
    ) -> Eval<Matched> {
        let mut matched = true;
        for (s, p) in scrutinees.iter().zip(patterns.iter()) {
            if !p.is_strict() {
                // Read (a pending future would make it wait) even when
                // nothing is bound.
                let b = self.binding_ref(s, ctx, base)?;
                if matched && matches!(p, Pat::Bind) {
                    bound.push(match b {
                        Some(b) => b.clone(),
                        None => match self.arg(s, ctx, base)? {
                            Binding::Future(_) => return Err(Abort::Unsupported),
                            b => b,
                        },
                    });
                }
                continue;
            }
            let v = match self.value(s, ctx, base)? {
                Got::Ref(v) => v,
                Got::Owned(ref v) => {
                    // (A sibling's closure: never a list or a constant's
                    // match; matched as the general path would.)
                    if matched {
                        matched = match_plain_value(p, v, bound);
                    }
                    continue;
                }
                Got::Halted => return Ok(Matched::Halted),
            };
            if matched {
                matched = match_plain_value(p, v, bound);
            }
        }
        Ok(if matched { Matched::Yes } else { Matched::No })
    }

    /// `?(x) <x< r(args)` (see [`reads_slot`]), as `a(i)?` desugars:
    /// read in one step where the site `r` can ([`Site::peek_read`]),
    /// without making the reference. `None` when `r` is not such a site,
    /// and the pruning is evaluated as usual.
    #[inline(never)]
    fn fused_read(
        &mut self,
        right: &Code,
        ctx: &Arc<Instance>,
        base: usize,
    ) -> Eval<Option<Option<Value>>> {
        let Code::Call { target, args, span } = right else {
            return Ok(None);
        };
        let read = {
            // The site and a lone index are read in place, not cloned.
            let site = match self.value(target, ctx, base)? {
                Got::Ref(Value::Site(site)) => site,
                _ => return Ok(None),
            };
            match &**args {
                [a] => match self.value(a, ctx, base)? {
                    Got::Ref(v) => site.peek_read(std::slice::from_ref(v)),
                    Got::Owned(v) => site.peek_read(&[v]),
                    Got::Halted => return Ok(Some(None)),
                },
                _ => {
                    let mut values = Values::new();
                    for a in args.iter() {
                        match self.value(a, ctx, base)? {
                            Got::Ref(v) => values.push(v.clone()),
                            Got::Owned(v) => values.push(v),
                            Got::Halted => return Ok(Some(None)),
                        }
                    }
                    site.peek_read(&values)
                }
            }
        };
        match read {
            None => Ok(None),
            Some(Peek::Now(Outcome::Publish(v))) => Ok(Some(Some(v))),
            Some(Peek::Now(Outcome::Error(e))) => {
                self.errors.push((e.to_string(), *span));
                Ok(Some(None))
            }
            Some(Peek::Now(Outcome::Halt)) => Ok(Some(None)),
            Some(Peek::Now(Outcome::Pending)) | Some(Peek::Effect) => Err(Abort::Unsupported),
            Some(Peek::Wait) => Err(Abort::Wait),
        }
    }

    /// Calls an immediate site with the operands' values, or a site that
    /// can answer by reading only ([`Site::peek`]).
    #[inline(never)]
    fn call_immediate(
        &mut self,
        site: &Arc<dyn Site>,
        args: &[Operand],
        ctx: &Arc<Instance>,
        base: usize,
        span: Span,
    ) -> Eval<Tail> {
        let mut values = Values::new();
        for a in args.iter() {
            match self.value(a, ctx, base)? {
                Got::Ref(v) => values.push(v.clone()),
                Got::Owned(v) => values.push(v),
                Got::Halted => return Ok(Tail::Done(None)),
            }
        }
        let outcome = if site.is_immediate() {
            let mut cx = CallCx {
                run: self.run,
                token: self.token,
            };
            site.call(&values, &mut SiteCx { inner: &mut cx })
        } else {
            match site.peek(&values) {
                Peek::Now(outcome) => outcome,
                Peek::Wait => return Err(Abort::Wait),
                Peek::Effect => return Err(Abort::Unsupported),
            }
        };
        match outcome {
            Outcome::Publish(v) => Ok(Tail::Done(Some(v))),
            Outcome::Halt => Ok(Tail::Done(None)),
            Outcome::Error(e) => {
                self.errors.push((e.to_string(), span));
                Ok(Tail::Done(None))
            }
            Outcome::Pending => Err(Abort::Unsupported),
        }
    }
}

/// Whether `left` is `?(x)`, the built-in read of the pruned variable `x`
/// in `slot` (the left side of `a(i)?`). A look at the shape first: most
/// prunings' left sides are not a call of one argument.
#[inline(always)]
pub(crate) fn reads_slot(left: &Code, slot: u32) -> bool {
    match left {
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

/// A pattern [`Direct::match_plain`] takes: a variable, a wildcard, a
/// constant, `[]`, or `h : t` of variables and wildcards.
fn is_plain(p: &Pat) -> bool {
    let simple = |p: &Pat| matches!(p, Pat::Wildcard | Pat::Bind);
    match p {
        Pat::Wildcard | Pat::Bind | Pat::Const(_) => true,
        Pat::List(ps) => ps.is_empty(),
        Pat::Cons(h, t) => simple(h) && simple(t),
        _ => false,
    }
}

/// Matches a strict plain pattern against `v`, pushing what it binds (a
/// plain pattern names no constructor, so nothing is resolved).
fn match_plain_value(p: &Pat, v: &Value, bound: &mut Vec<Binding>) -> bool {
    matches!(match_value(p, v, bound, &|_| None), Ok(true))
}

/// How a match went.
enum Matched {
    Yes,
    No,
    /// A strict scrutinee halted.
    Halted,
    Error(String),
}
