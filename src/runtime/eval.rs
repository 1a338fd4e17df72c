//! Executing tokens: one step of a token at a time, per core construct.
//!
//! [`Run::run_token`] takes the token's hot part out of the table and
//! takes its next action — evaluate a node or publish a value — until the
//! token halts, blocks, or spends its fuel. Publishing pops the
//! continuation stack: a `>x>` frame binds the value and goes on, a return
//! frame restores the caller's activation, a pruning frame binds the future
//! and kills the right side, an otherwise frame records that the left side
//! published, a trim frame kills the trimmed group, and an empty stack is a
//! publication of the program. Calls are in [`super::call`]; what runs in
//! place, without tokens, in [`super::inplace`]; reading and writing the
//! token's operands in [`super::operands`].

use super::binder::{Binder, Wake};
use super::call::call_span;
use super::engine::{Run, FUEL_PER_TURN};
use super::inplace::Inline;
use super::matching::{match_all, Input};
use super::operands::{
    answer, binding, binding_ref, fetch, field, known_publication, read, write, write_answer, Arg,
    Fetch, Values,
};
use super::race::Step;
use super::token::{Frame, Hot, Next, Wait};
use crate::diagnostics::Span;
use crate::value::closure::{Closure, Instance};
use crate::value::code::{Code, CodePtr, Operand, NO_SLOT};
use crate::value::env::{Binding, FutureRef};
use crate::value::handles::{GroupRef, TokenRef, NO_TOKEN};
use crate::value::site::{if_condition_error, Outcome};
use crate::value::Value;
use smallvec::SmallVec;
use std::sync::Arc;

/// Frames a publication pops in one step.
const FRAMES_PER_STEP: u32 = 64;

impl Run {
    pub(crate) fn run_token(&mut self, t: TokenRef) {
        let mut fuel = FUEL_PER_TURN;
        if let Some(max) = self.options.max_steps {
            // The turn ends where the step limit is, which stops the run.
            let left = max.saturating_sub(self.steps);
            if left == 0 {
                self.limit_hit = Some(super::engine::RunOutcome::StepLimit);
                return;
            }
            fuel = fuel.min(u32::try_from(left).unwrap_or(u32::MAX));
        }
        let budget = fuel;
        let Some(tok) = self.tokens.get_mut(t) else {
            return;
        };
        let mut h = std::mem::replace(&mut tok.hot, Hot::empty());
        if let Some(trace) = self.trace.as_mut() {
            trace.turn(self.clock.read().0, t);
        }
        self.running = t;
        self.running_gone = false;
        self.lights = h.lights;
        self.eager_left = self.lights > 0 && self.extras_mut(t).eager_left;
        loop {
            let cont = match std::mem::replace(&mut h.next, Next::Idle) {
                Next::Eval(code) => self.eval(t, &mut h, code, &mut fuel),
                Next::Publish(v) => self.publish(t, &mut h, v),
                Next::Resume(code) => {
                    // Still waiting for its answer.
                    h.next = Next::Resume(code);
                    false
                }
                Next::Parked(span) => {
                    h.next = Next::Parked(span);
                    false
                }
                Next::Idle => false,
            };
            if self.unwinding && !self.running_gone {
                // It halted under a light frame, which catches it.
                self.unwinding = false;
                if self.unwind(t, &mut h) {
                    fuel -= 1;
                    if fuel == 0 {
                        self.ready.push_back(t);
                        break;
                    }
                    continue;
                }
            }
            self.unwinding = false;
            if self.running_gone {
                // Halted or killed: its hot part goes with it.
                self.lights = 0;
                self.running = NO_TOKEN;
                self.steps += u64::from(budget - fuel);
                return;
            }
            if !cont {
                break;
            }
            fuel -= 1;
            if fuel == 0 || self.cut_turn() {
                self.ready.push_back(t);
                break;
            }
        }
        if self.lights > 0 {
            self.after_light_turn(t, &mut h, fuel == 0);
        }
        h.lights = std::mem::take(&mut self.lights);
        self.running = NO_TOKEN;
        self.steps += u64::from(budget - fuel);
        if let Some(tok) = self.tokens.get_mut(t) {
            tok.hot.put_back(h);
        }
    }

    /// [`fetch`] for a token about to run `code`: when some operand is not
    /// ready the token waits for it (and runs `code` again once it is) or
    /// halts, and `None` is returned.
    pub(crate) fn fetch_or_park<'a>(
        &mut self,
        t: TokenRef,
        h: &mut Hot,
        code: CodePtr,
        ops: impl IntoIterator<Item = &'a Operand>,
    ) -> Option<Values> {
        match fetch(h, ops) {
            Fetch::Ready(values) => Some(values),
            Fetch::Wait(futures) => {
                self.block_on(t, h, code, &futures);
                None
            }
            Fetch::Halted => {
                self.halt(t);
                None
            }
        }
    }

    /// One value read strictly (a condition, a callee, a field's target):
    /// `None` when the token waits for it or halted.
    fn fetch_one(
        &mut self,
        t: TokenRef,
        h: &mut Hot,
        code: CodePtr,
        op: &Operand,
    ) -> Option<Value> {
        match read(h, op) {
            Arg::Ready(Value::Closure(_)) | Arg::Sibling(_) => {
                let mut vs = self.fetch_or_park(t, h, code, [op])?;
                vs.pop()
            }
            Arg::Ready(v) => Some(v.clone()),
            Arg::Pending(f) => {
                let f = f.clone();
                self.block_on(t, h, code, &[f]);
                None
            }
            Arg::Halted => {
                self.halt(t);
                None
            }
        }
    }

    fn eval(&mut self, t: TokenRef, h: &mut Hot, mut code: CodePtr, fuel: &mut u32) -> bool {
        // The token goes on here from node to node rather than through the
        // turn's loop in `run_token`. Going down the code (a fork's left
        // side, a branch, a match's arm, a pruning bound in place, a body
        // after its definitions) is bounded by the code's depth and free;
        // going on after a call or a publication (into a callee's body, or
        // to the continuation a publication pops to) takes a step of the
        // turn's fuel, as a step of that loop would.
        //
        // `go_on!(cont)`: evaluates the node the token goes on to, if the
        // step `cont` lets it (see `go_on`), else ends with `cont`.
        macro_rules! go_on {
            ($cont:expr) => {
                match self.go_on($cont, h, fuel) {
                    Ok(next) => {
                        code = next;
                        continue;
                    }
                    Err(cont) => cont,
                }
            };
        }
        loop {
            return match code.get() {
                Code::Stop => {
                    self.halt(t);
                    false
                }
                Code::Const(v) => {
                    let cont = self.publish(t, h, v.clone());
                    go_on!(cont)
                }
                Code::Var(slot) => {
                    let Some(v) = self.fetch_one(t, h, code, &Operand::Slot(*slot)) else {
                        return false;
                    };
                    let cont = self.publish(t, h, v);
                    go_on!(cont)
                }
                Code::Parallel(left, right) => {
                    self.materialize(t, h);
                    let Some(place) = self.place_of(t) else {
                        return false;
                    };
                    if let Some(v) = known_publication(h, CodePtr::new(left)) {
                        // `v | g`, and nothing of the running body reads
                        // its record or closure once `v` is published
                        // (the loop `i | from(i + 1)`): `g`'s token takes
                        // them as they are, no second writer to count,
                        // and this one publishes `v`.
                        let v = v.copied();
                        let hot = h.hand_over(Next::Eval(CodePtr::new(right)));
                        let child = self.spawn(hot, place);
                        self.ready.push_front(child);
                        let cont = self.publish(t, h, v);
                        go_on!(cont)
                    } else {
                        let child = self.spawn(h.fork(Next::Eval(CodePtr::new(right))), place);
                        self.ready.push_front(child);
                        code = CodePtr::new(left);
                        continue;
                    }
                }
                Code::Sequential(left, slot, right) => {
                    // Its left side, or what follows once the left ran in
                    // place or answered at once.
                    let cont = self.eval_sequential(t, h, code, left, *slot, right);
                    go_on!(cont)
                }
                Code::Pruning(left, slot, right) => {
                    match self.try_inline_pruning(t, h, left, right, *slot) {
                        Inline::Bound => {
                            code = CodePtr::new(left);
                            continue;
                        }
                        inline => {
                            let cont = self.eval_pruning(t, h, code, inline);
                            go_on!(cont)
                        }
                    }
                }
                Code::VClock { order, body, span } => match self.fetch_one(t, h, code, order) {
                    Some(Value::Site(s)) => {
                        self.materialize(t, h);
                        self.enter_vclock(t, h, s, CodePtr::new(body))
                    }
                    Some(other) => {
                        let msg = format!(
                            "Vclock expects a time order site, but got {} {other}",
                            other.type_name()
                        );
                        self.report(msg, Some(*span));
                        self.halt(t);
                        false
                    }
                    None => false,
                },
                Code::If {
                    cond,
                    then,
                    otherwise,
                    span,
                } => {
                    let branch = match read(h, cond) {
                        Arg::Ready(Value::Bool(true)) => then,
                        Arg::Ready(Value::Bool(false)) => otherwise,
                        _ => {
                            // Waiting, halted, or not a boolean.
                            if let Some(other) = self.fetch_one(t, h, code, cond) {
                                self.report(if_condition_error(&other), Some(*span));
                                self.halt(t);
                            }
                            return false;
                        }
                    };
                    code = CodePtr::new(branch);
                    continue;
                }
                Code::Otherwise(left, right) => {
                    if !self.reuse_otherwise(t, h, CodePtr::new(right)) {
                        // Run by this token, under a light frame.
                        self.enter_light_otherwise(h, code);
                    }
                    code = CodePtr::new(left);
                    continue;
                }
                Code::Race(race) => match self.eval_race(t, h, code, race) {
                    Step::Go(next) => {
                        code = next;
                        continue;
                    }
                    Step::Publish(v) => {
                        let cont = self.publish(t, h, v);
                        go_on!(cont)
                    }
                    Step::Parked => false,
                },
                Code::Trim(body) => {
                    h.stack.push(Frame::LightTrim);
                    self.lights += 1;
                    code = CodePtr::new(body);
                    continue;
                }
                Code::Defs {
                    group,
                    first_slot,
                    body,
                } => {
                    let captured = group
                        .captures
                        .iter()
                        .map(|s| binding(h, &Operand::Slot(*s)))
                        .collect();
                    let home = if group.defs.iter().any(|d| d.site) {
                        self.materialize(t, h);
                        self.hold_for_site(t)
                    } else {
                        None
                    };
                    let instance = Arc::new(Instance::new(group.clone(), captured, home));
                    for i in 0..group.defs.len() as u32 {
                        let closure = Closure::new(instance.clone(), i);
                        write(h, first_slot + i, Binding::Value(Value::Closure(closure)));
                    }
                    code = CodePtr::new(body);
                    continue;
                }
                Code::Match {
                    scrutinees,
                    patterns,
                    first_slot,
                    then,
                    otherwise,
                    span,
                } => {
                    // Matched at once, the token goes down the arm as it
                    // goes down a conditional's: free, in this loop.
                    if let Some(matched) = self.match_in_place(h, scrutinees, patterns, *first_slot)
                    {
                        code = CodePtr::new(if matched { then } else { otherwise });
                        continue;
                    }
                    self.eval_match(
                        t,
                        h,
                        code,
                        scrutinees,
                        patterns,
                        *first_slot,
                        (then, otherwise),
                        *span,
                    )
                }
                Code::Call { target, args, span } => {
                    let cont = self.eval_call(t, h, code, target, args, *span);
                    go_on!(cont)
                }
                Code::Field {
                    target, name, span, ..
                } => match self.fetch_one(t, h, code, target) {
                    Some(Value::Object(o)) => self.object_field(t, h, code, &o, name, *span),
                    Some(v) => match field(&v, name, &self.members) {
                        Ok(v) => self.publish(t, h, v),
                        Err(msg) => {
                            self.report(msg, Some(*span));
                            self.halt(t);
                            false
                        }
                    },
                    None => false,
                },
            };
        }
    }

    /// After a node whose token went on (`cont`) into code (a callee's
    /// body, or what a publication popped to): `Ok` with that code, to run
    /// at once for a step of `fuel`, while more than one is left; else
    /// `Err(cont)`, for the turn's loop.
    #[inline(always)]
    fn go_on(&self, cont: bool, h: &mut Hot, fuel: &mut u32) -> Result<CodePtr, bool> {
        match h.next {
            Next::Eval(next) if cont && !self.running_gone && !self.cut_turn() && *fuel > 1 => {
                *fuel -= 1;
                h.next = Next::Idle;
                Ok(next)
            }
            _ => Err(cont),
        }
    }

    fn eval_sequential(
        &mut self,
        t: TokenRef,
        h: &mut Hot,
        code: CodePtr,
        left: &Code,
        slot: u32,
        right: &Arc<Code>,
    ) -> bool {
        // `(f <x< g) >y> ...` where g runs in place (`ring(i).get() >k>`
        // desugars so): x is bound now, as the pruning binds it when the
        // left side starts, and f is tried as this node's left side,
        // answering at once with no frame. Otherwise the frame goes first
        // and the pruning runs as the left side would run it.
        let left = match left {
            Code::Pruning(..) => match self.bind_prunings(t, h, code, left, right) {
                Ok(left) => left,
                Err(cont) => return cont,
            },
            _ => left,
        };
        match left {
            Code::Field { .. } if matches!(**right, Code::Call { .. }) => {
                // `v.m >t> t(args)`, how `v.m(args)` desugars, on a site:
                // the method is called without being built.
                if let Some(outcome) = self.call_now(t, h, code.get()) {
                    return self.finish_call(t, h, outcome, call_span(code.get()));
                }
            }
            Code::Call { .. } | Code::Sequential(..) | Code::Pruning(..) => {
                // `site(args) >x> g` where the site answers at once: no
                // frame. (One that answers later gets its frame then.)
                // The outcome is matched where the site wrote it: moved
                // whole into a variable first, it was copied with loads
                // wider than the site's stores, which wait for them.
                let mut outcome = self.call_now(t, h, left);
                match &mut outcome {
                    Some(Outcome::Publish(v)) => {
                        if slot != NO_SLOT {
                            write_answer(h, slot, v);
                        }
                        h.next = Next::Eval(CodePtr::new(right));
                        return true;
                    }
                    Some(Outcome::Pending) => {
                        // The answer goes on at this node: no frame.
                        // (The body's instance stays, for the pointer
                        // into it; its record too, unless only `stop`
                        // follows.)
                        h.next = Next::Resume(code);
                        if let Some(trace) = self.trace.as_mut() {
                            if let Some(span) = left.span() {
                                trace.wait(self.clock.read().0, t, span);
                            }
                        }
                        if h.seqs == 0 && matches!(**right, Code::Stop) {
                            h.act = None;
                        }
                        return false;
                    }
                    Some(other) => {
                        let other = std::mem::replace(other, Outcome::Halt);
                        return self.finish_call(t, h, other, call_span(left));
                    }
                    None => {}
                }
            }
            _ => {}
        }
        // `v.m >x> ...` needs no frame when the member can be read at once.
        if let Code::Field {
            target, name, span, ..
        } = left
        {
            match self.try_inline_field(h, target, name, *span) {
                Some(Some(member)) => {
                    write(h, slot, Binding::Value(member));
                    h.next = Next::Eval(CodePtr::new(right));
                    return true;
                }
                Some(None) => {
                    self.halt(t);
                    return false;
                }
                None => {}
            }
        }
        // `f >x> g` where f runs in place (`(if c then 1 else 2) >x>`): no
        // frame, g goes on at once.
        let may_be_immediate = matches!(
            left,
            Code::If { .. } | Code::Pruning(..) | Code::Const(_) | Code::Var(_)
        ) || matches!(
            left,
            Code::Call {
                target: Operand::Const(_),
                ..
            }
        );
        if let Some(result) = may_be_immediate
            .then(|| self.try_immediate(t, h, left))
            .flatten()
        {
            let Binding::Value(v) = result else {
                self.halt(t);
                return false;
            };
            if slot != NO_SLOT {
                write(h, slot, Binding::Value(v));
            }
            h.next = Next::Eval(CodePtr::new(right));
            return true;
        }
        self.push_sequential(h, code, right);
        h.next = Next::Eval(CodePtr::new(left));
        true
    }

    /// The left side `f <x< g` of the sequential node `code`, with its
    /// prunings bound in place while their right sides run in place: `Ok`
    /// with what is left of it (`f`), or `Err` with the pruning that needs
    /// a token of its own started under the node's frame (see
    /// [`Run::eval_sequential`]).
    fn bind_prunings<'a>(
        &mut self,
        t: TokenRef,
        h: &mut Hot,
        code: CodePtr,
        mut left: &'a Code,
        right: &Code,
    ) -> Result<&'a Code, bool> {
        while let Code::Pruning(inner, x, g) = left {
            match self.try_inline_pruning(t, h, inner, g, *x) {
                Inline::Bound => left = inner,
                // (`a(i)? >y> ...`: `call_now` makes it one call.)
                Inline::MemberOf => break,
                inline => {
                    self.push_sequential(h, code, right);
                    return Err(self.eval_pruning(t, h, CodePtr::new(left), inline));
                }
            }
        }
        Ok(left)
    }

    /// The frame of `f >x> right` (the node `code`), for `f` to publish to.
    fn push_sequential(&mut self, h: &mut Hot, code: CodePtr, right: &Code) {
        if matches!(right, Code::Stop) {
            // `f >> stop` needs no bindings to run `stop`.
            h.stack.push(Frame::Discard);
        } else {
            h.stack.push(Frame::Sequential(code));
            h.seqs += 1;
        }
    }

    /// `left <x< right` (the node `node`), after [`Run::try_inline_pruning`]
    /// said how its right side can run.
    fn eval_pruning(&mut self, t: TokenRef, h: &mut Hot, node: CodePtr, inline: Inline) -> bool {
        let Code::Pruning(left, slot, right) = node.get() else {
            self.halt(t);
            return false;
        };
        let slot = *slot;
        match inline {
            Inline::Bound => {
                h.next = Next::Eval(CodePtr::new(left));
                return true;
            }
            Inline::Light => {
                // Run by this token first, under a light frame.
                self.enter_light_pruning(h, node);
                return true;
            }
            Inline::LightCall(call) => {
                self.enter_light_call(h, node, call);
                return true;
            }
            Inline::MemberOf => {
                if let Some(outcome) = self.call_member_of(t, h, left, right) {
                    return self.finish_call(t, h, outcome, call_span(left));
                }
            }
            Inline::No => {}
        }
        if let Some(outcome) = self.call_now(t, h, right) {
            return self.pruned_call(t, h, left, slot, outcome, call_span(right));
        }
        if !matches!(
            **right,
            Code::Parallel(..) | Code::Race(_) | Code::VClock { .. }
        ) {
            // Whatever does not fork at once runs first in this token,
            // under a light frame made real if it forks or waits.
            self.enter_light_pruning(h, node);
            return true;
        }
        self.materialize(t, h);
        let Some(place) = self.place_of(t) else {
            return false;
        };
        let future = self.future_in(place.group);
        // Bound before the right side shares the activation, which reads
        // only what was bound before the pruning.
        write(h, slot, Binding::Future(future.clone()));
        let right_token = if self.is_single_site_call(h, right) {
            // One site call publishes at most once, so nothing needs
            // killing after it does: it runs in this token's group and
            // counter, binding the future (or halting it) as it ends.
            let hot = h.reader(Next::Eval(CodePtr::new(right)), Default::default(), 0);
            let r = self.spawn(hot, place);
            if self.tokens.get(r).is_some() {
                self.extras_mut(r).binds = Some(future);
            }
            r
        } else {
            let g = self.new_group(place.group);
            let c = self.new_pruning_counter(place.counter, future.clone());
            let mut stack = super::token::Stack::default();
            stack.push(Frame::Pruning { future, group: g });
            let hot = h.reader(Next::Eval(CodePtr::new(right)), stack, 0);
            let place = super::token::Place {
                group: g,
                counter: c,
                clock: place.clock,
            };
            self.spawn(hot, place)
        };
        h.next = Next::Eval(CodePtr::new(left));
        // The right side runs first, then the left (as the reference, which
        // runs a spawned future at once): in `val a = f(g())` the argument
        // is computed before `f` publishes and the right side is killed,
        // so an object `f` makes with a member bound to it keeps its value.
        self.ready.push_front(t);
        self.ready.push_front(right_token);
        false
    }

    /// `left <x< site(args)` where the call was just made (the right side
    /// runs first, as with a token of its own): x is bound at once if the
    /// site answered; if it answers later, this token goes on waiting for
    /// the answer, as the right side's token would (its publication binds
    /// x, its halting halts x), and a new token takes over the left side.
    fn pruned_call(
        &mut self,
        t: TokenRef,
        h: &mut Hot,
        left: &Arc<Code>,
        slot: u32,
        outcome: Outcome,
        span: Span,
    ) -> bool {
        let x = match outcome {
            Outcome::Publish(v) => Binding::Value(v),
            Outcome::Halt => crate::value::env::halted(),
            Outcome::Error(e) => {
                self.report(e.to_string(), Some(span));
                crate::value::env::halted()
            }
            Outcome::Pending => {
                // The call waits: what stands for it must be real.
                self.materialize(t, h);
                let Some(place) = self.place_of(t) else {
                    return false;
                };
                let future = self.future_in(place.group);
                write(h, slot, Binding::Future(future.clone()));
                if self.bind_by_timer(t, &future) {
                    // The timer answers for the call: this token goes on.
                    h.next = Next::Eval(CodePtr::new(left));
                    return true;
                }
                let mut rest = std::mem::replace(h, Hot::empty());
                rest.next = Next::Eval(CodePtr::new(left));
                let left_token = self.spawn(rest, place);
                if self.tokens.get(t).is_some() {
                    self.extras_mut(t).binds = Some(future);
                }
                self.ready.push_front(left_token);
                return false;
            }
        };
        write(h, slot, x);
        h.next = Next::Eval(CodePtr::new(left));
        true
    }

    /// The future of a pruning whose right side runs in `group`, or in a
    /// child of it: anchored when that is the root group.
    pub(crate) fn future_in(&self, group: GroupRef) -> FutureRef {
        if group == self.root_group {
            FutureRef::anchored()
        } else {
            FutureRef::pending()
        }
    }

    /// If token `t`'s pending call waits only for a timer, and nothing but
    /// the end of the run can kill it (see [`super::binder`]), hands the
    /// answer to a binder of `future` that the timer fires, so that the
    /// token is free to go on. Returns whether it did.
    fn bind_by_timer(&mut self, t: TokenRef, future: &FutureRef) -> bool {
        let Some(tok) = self.tokens.get(t) else {
            return false;
        };
        let Wait::Timer(key) = tok.wait else {
            return false;
        };
        if self.clock_of(t).is_some() {
            return false;
        }
        let (group, counter) = (tok.group, tok.counter);
        let Some(wake) = self.wheel.get_mut(key) else {
            return false;
        };
        let b = self.binders.insert(Binder {
            future: future.clone(),
            counter,
            group,
        });
        *wake = Wake::binder(b);
        self.set_wait(t, Wait::None);
        let counter = self.counter_key(counter);
        if let Some(c) = self.counters.get_mut(counter) {
            // The binder counts as the call's member, the token as itself.
            c.count += 1;
        }
        if group != self.root_group.index {
            // Listed for killing, and pinning the group until it ends.
            self.group_binders.entry(group).or_default().push((b, key));
            let group = self.group_key(group);
            if let Some(g) = self.groups.get_mut(group) {
                g.pins += 1;
            }
        }
        true
    }

    #[allow(clippy::too_many_arguments)]
    fn eval_match(
        &mut self,
        t: TokenRef,
        h: &mut Hot,
        code: CodePtr,
        scrutinees: &[Operand],
        patterns: &[crate::value::code::Pat],
        first_slot: u32,
        (then, otherwise): (&Arc<Code>, &Arc<Code>),
        span: Span,
    ) -> bool {
        // (Patterns matched at once were, by `eval`.) Strict patterns need
        // values; variables and wildcards bind leniently.
        let strict = scrutinees
            .iter()
            .zip(patterns)
            .filter(|(_, p)| p.is_strict())
            .map(|(s, _)| s);
        let Some(strict_values) = self.fetch_or_park(t, h, code, strict) else {
            return false;
        };
        let mut strict_values = strict_values.into_iter();
        let mut inputs: SmallVec<[Input<'_>; 4]> = SmallVec::new();
        for (s, p) in scrutinees.iter().zip(patterns) {
            inputs.push(if p.is_strict() {
                Input::Owned(strict_values.next().unwrap_or(Value::Signal))
            } else {
                match binding_ref(h, s) {
                    Some(b) => Input::Binding(b),
                    None => match binding(h, s) {
                        Binding::Value(v) => Input::Owned(v),
                        // (Only slots hold futures.)
                        Binding::Future(_) => Input::Owned(Value::Signal),
                    },
                }
            });
        }
        let mut bound = Vec::new();
        let matched = match_all(patterns, &inputs, &mut bound, &|op| match read(h, op) {
            Arg::Ready(v) => Some(v.clone()),
            _ => None,
        });
        drop(inputs);
        match matched {
            Ok(true) => {
                for (k, b) in bound.into_iter().enumerate() {
                    write(h, first_slot + k as u32, b);
                }
                h.next = Next::Eval(CodePtr::new(then));
                true
            }
            Ok(false) => {
                h.next = Next::Eval(CodePtr::new(otherwise));
                true
            }
            Err(msg) => {
                self.report(msg, Some(span));
                self.halt(t);
                false
            }
        }
    }

    /// [`Run::eval_match`] where every strict scrutinee is a value at hand
    /// and the patterns need no site (`unapply`, constructors): matched
    /// against the values in place, with no copy of them, and the
    /// bindings written at once. `Some(matched)`, or `None` for the
    /// general path (nothing is written then).
    fn match_in_place(
        &mut self,
        h: &mut Hot,
        scrutinees: &[Operand],
        patterns: &[crate::value::code::Pat],
        first_slot: u32,
    ) -> Option<bool> {
        use crate::value::code::Pat;
        if let Some(matched) = match_simply(h, scrutinees, patterns, first_slot) {
            return Some(matched);
        }
        let mut bound = std::mem::take(&mut self.match_scratch);
        bound.clear();
        let mut matched = true;
        let mut ok = true;
        for (s, p) in scrutinees.iter().zip(patterns) {
            match p {
                Pat::Wildcard => continue,
                Pat::Bind => {
                    if matched {
                        bound.push(binding(h, s));
                    }
                    continue;
                }
                Pat::Call(..) | Pat::Record(_) => {
                    ok = false;
                    break;
                }
                _ => {}
            }
            let Arg::Ready(v) = read(h, s) else {
                ok = false;
                break;
            };
            if matches!(v, Value::Closure(_)) {
                // (Its captures would have to be resolved first.)
                ok = false;
                break;
            }
            if matched {
                match super::matching::match_value(p, v, &mut bound, &|_| None) {
                    Ok(m) => matched = m,
                    Err(_) => {
                        ok = false;
                        break;
                    }
                }
            }
        }
        let result = if ok {
            if matched {
                for (k, b) in bound.iter_mut().enumerate() {
                    // (Read out in their parts where they are small: the
                    // matching has just written them, and a wide load
                    // would wait for its stores.)
                    match b {
                        Binding::Value(v) => {
                            super::operands::write_answer(h, first_slot + k as u32, v)
                        }
                        b => write(
                            h,
                            first_slot + k as u32,
                            std::mem::replace(b, Binding::Value(Value::Signal)),
                        ),
                    }
                }
            }
            Some(matched)
        } else {
            None
        };
        bound.clear();
        self.match_scratch = bound;
        result
    }

    /// Token `t` publishes `v`: the frames of its continuation take it.
    pub(crate) fn publish(&mut self, t: TokenRef, h: &mut Hot, v: Value) -> bool {
        for _ in 0..FRAMES_PER_STEP {
            if h.stack.is_empty() {
                let binds = self.take_binds(t);
                match binds {
                    // The right side of a pruning that is one site call.
                    Some(future) => self.resolve_future(&future, Some(v)),
                    None => self.publish_result(&v),
                }
                self.halt(t);
                return false;
            }
            match h.stack.pop_top() {
                Frame::Sequential(code) => {
                    h.seqs -= 1;
                    let Code::Sequential(_, slot, right) = code.get() else {
                        self.halt(t);
                        return false;
                    };
                    if *slot != NO_SLOT {
                        write(h, *slot, Binding::Value(v));
                    }
                    h.next = Next::Eval(CodePtr::new(right));
                    return true;
                }
                Frame::Discard => {
                    self.halt(t);
                    return false;
                }
                Frame::Return { act, ctx, seqs } => {
                    h.act = act;
                    h.ctx = ctx;
                    h.seqs = seqs;
                }
                Frame::Pruning { future, group } => {
                    self.resolve_future(&future, Some(v));
                    self.kill_group(group);
                    return false;
                }
                Frame::Otherwise { counter } => self.leave_otherwise(t, counter),
                Frame::SiteReturn {
                    caller,
                    epoch,
                    once,
                } => {
                    // Each publication of a `site` body is a publication of
                    // the call, for as long as the caller waits; of a
                    // method's body, the first only.
                    if once {
                        self.answer_caller(caller, epoch, v);
                    } else {
                        self.fork_caller(caller, epoch, v);
                    }
                    self.halt(t);
                    return false;
                }
                Frame::ClockExit { clock, outer } => self.exit_vclock(t, clock, outer),
                Frame::Trim { group } => {
                    if let Some(parent) = self.group_parent(group) {
                        self.move_to_group(t, parent);
                    }
                    self.kill_group(group);
                }
                frame @ (Frame::LightPruning(..) | Frame::LightCall { .. }) => {
                    self.leave_light_pruning(h, frame, Binding::Value(v));
                    return true;
                }
                Frame::LightOtherwise(_) => {
                    h.seqs -= 1;
                    self.lights -= 1;
                }
                Frame::LightDefault(_) => self.lights -= 1,
                Frame::LightTrim => self.lights -= 1,
            }
            if self.running_gone {
                return false;
            }
        }
        // A long run of frames (deep non-tail recursion returning): the
        // rest in later steps, so that the token's fuel still counts.
        h.next = Next::Publish(v);
        true
    }

    /// The waiting caller of a method (a `site` that publishes once) goes
    /// on with `v`, and stops waiting: later publications of the body, and
    /// its halting, no longer concern it.
    fn answer_caller(&mut self, caller: TokenRef, epoch: u32, v: Value) {
        let Some(tok) = self.tokens.get_mut(caller) else {
            return;
        };
        if tok.epoch != epoch {
            return;
        }
        tok.epoch = super::binder::next_epoch(tok.epoch);
        answer(&mut tok.hot, v);
        self.ready.push_back(caller);
    }

    /// A copy of the waiting caller of a `site` definition publishes `v`.
    fn fork_caller(&mut self, caller: TokenRef, epoch: u32, v: Value) {
        let Some(tok) = self.tokens.get(caller) else {
            return;
        };
        if tok.epoch != epoch {
            return;
        }
        let hot = tok.hot.fork(Next::Publish(v));
        let Some(place) = self.place_of(caller) else {
            return;
        };
        let copy = self.spawn(hot, place);
        self.ready.push_back(copy);
    }
}

/// [`Run::match_in_place`] where every pattern is a wildcard or one of
/// the simplest ([`super::matching::simple_test`]: `[]`, `x:xs`, an
/// integer), as clauses over lists and numbers are: each tested against
/// its value where it is, and a cons's parts written straight into their
/// slots, with no list of bindings. `None` (nothing written) for any other
/// pattern, or a value not at hand.
#[inline(always)]
fn match_simply(
    h: &mut Hot,
    scrutinees: &[Operand],
    patterns: &[crate::value::code::Pat],
    first_slot: u32,
) -> Option<bool> {
    use crate::value::code::Pat;
    let mut matched = true;
    for (s, p) in scrutinees.iter().zip(patterns) {
        if let Pat::Wildcard = p {
            continue;
        }
        // (Every scrutinee a strict pattern tests is looked at, matched or
        // not: one still pending makes the match wait, as it does.)
        let Arg::Ready(v) = read(h, s) else {
            return None;
        };
        matched &= super::matching::simple_test(p, v)?;
    }
    if !matched {
        return Some(false);
    }
    let mut slot = first_slot;
    for (s, p) in scrutinees.iter().zip(patterns) {
        let Pat::Cons(hp, tp) = p else {
            continue;
        };
        let Arg::Ready(Value::List(list)) = read(h, s) else {
            return None;
        };
        let (head, tail) = list.head_tail()?;
        let (head, tail) = (head.copied(), tail.clone());
        if let Pat::Bind = **hp {
            write(h, slot, Binding::Value(head));
            slot += 1;
        }
        if let Pat::Bind = **tp {
            write(h, slot, Binding::Value(Value::List(tail)));
            slot += 1;
        }
    }
    Some(true)
}
