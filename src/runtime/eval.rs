//! Executing tokens: one step of a token at a time, per core construct.
//!
//! [`Run::run_token`] takes the token's next action — evaluate a node or
//! publish a value — until the token halts, blocks, or spends its fuel.
//! Publishing pops the continuation stack: a `>x>` frame binds the value and
//! goes on, a pruning frame binds the future and kills the right side, an
//! otherwise frame records that the left side published, a trim frame kills
//! the trimmed group, and an empty stack is a publication of the program.

use super::closure::{Closure, Instance};
use super::code::{Code, DefCode, Operand, Slot};
use super::direct::{self, Args, DirectCall};
use super::engine::{Frame, Next, Run, Stack, TokenRef, Wait, FUEL_PER_TURN};
use super::env::{lookup, Binding, Env, Future, Read};
use super::matching::match_all;
use super::site::{BoxFuture, CallContext, CallHandle, Outcome, Site, SiteCx};
use crate::diagnostics::Span;
use crate::sites::layers::InstallLayer;
use crate::value::Value;
use smallvec::SmallVec;
use std::sync::Arc;

/// What became of a pruned expression tried in place.
enum Inline {
    /// It was evaluated: the binding for the left side.
    Bound(Binding),
    /// A functional call that ran for a time slice: the right side's
    /// token carries on with this call.
    Continue(Closure, Vec<Binding>),
    /// It needs a token of its own.
    No,
}

/// Operand values read strictly; most calls have few arguments, so they
/// stay on the stack.
pub(crate) type Values = SmallVec<[Value; 4]>;

/// Futures a token must wait for before it can go on.
pub(crate) type Pending = SmallVec<[Arc<Future>; 2]>;

/// Operands after reading: ready, waiting on futures, or halted.
pub(crate) enum Fetch {
    Ready(Values),
    Wait(Pending),
    Halted,
}

impl Run {
    pub(crate) fn run_token(&mut self, t: TokenRef) {
        for _ in 0..FUEL_PER_TURN {
            let Some(tok) = self.tokens.get_mut(t) else {
                return;
            };
            let cont = match std::mem::replace(&mut tok.next, Next::Idle) {
                Next::Eval(code) => self.eval(t, code),
                Next::Publish(v) => self.publish(t, v),
                Next::Idle => false,
            };
            if !cont {
                return;
            }
        }
        self.ready.push_back(t);
    }

    pub(crate) fn set_next(&mut self, t: TokenRef, next: Next) -> bool {
        match self.tokens.get_mut(t) {
            Some(tok) => {
                tok.next = next;
                true
            }
            None => false,
        }
    }

    pub(crate) fn binding(&self, t: TokenRef, op: &Operand) -> Option<Binding> {
        match op {
            Operand::Const(v) => Some(Binding::Value(v.clone())),
            Operand::Slot(s) => {
                let tok = self.tokens.get(t)?;
                lookup(*s, &tok.env, tok.ctx.as_ref())
            }
        }
    }

    /// An operand that is a machine integer already (for the operators'
    /// shortcut).
    fn int_operand(&self, t: TokenRef, op: &Operand) -> Option<i64> {
        match op {
            Operand::Const(Value::Int(i)) => Some(*i),
            Operand::Const(_) => None,
            Operand::Slot(s) => {
                let tok = self.tokens.get(t)?;
                let b = match s {
                    Slot::Local(i) => tok.env.get(*i)?,
                    Slot::Capture(i) => tok.ctx.as_ref()?.captured.get(*i as usize)?,
                    Slot::Sibling(_) => return None,
                };
                match b.read() {
                    Read::Ready(Value::Int(i)) => Some(*i),
                    _ => None,
                }
            }
        }
    }

    /// Reads operands strictly: every future must be bound, and closures
    /// must have their captured futures resolved.
    pub(crate) fn fetch<'a>(
        &self,
        t: TokenRef,
        ops: impl IntoIterator<Item = &'a Operand>,
    ) -> Fetch {
        let Some(tok) = self.tokens.get(t) else {
            return Fetch::Halted;
        };
        let mut values = Values::new();
        let mut waits = Pending::new();
        for op in ops {
            // Read in place: no binding is cloned unless it is a value.
            let read = match op {
                Operand::Const(v) => Read::Ready(v),
                Operand::Slot(Slot::Local(i)) => match tok.env.get(*i) {
                    Some(b) => b.read(),
                    None => return Fetch::Halted,
                },
                Operand::Slot(Slot::Capture(i)) => {
                    match tok.ctx.as_ref().and_then(|c| c.captured.get(*i as usize)) {
                        Some(b) => b.read(),
                        None => return Fetch::Halted,
                    }
                }
                Operand::Slot(Slot::Sibling(i)) => match &tok.ctx {
                    Some(c) => {
                        let closure = Closure::new(c.clone(), *i);
                        waits.extend(closure.pending_captures());
                        values.push(Value::Closure(closure));
                        continue;
                    }
                    None => return Fetch::Halted,
                },
            };
            match read {
                Read::Ready(v) => {
                    if let Value::Closure(c) = v {
                        waits.extend(c.pending_captures());
                    }
                    values.push(v.clone());
                }
                Read::Pending(f) => waits.push(f.clone()),
                Read::Halted => return Fetch::Halted,
            }
        }
        if waits.is_empty() {
            Fetch::Ready(values)
        } else {
            Fetch::Wait(waits)
        }
    }

    /// [`Run::fetch`] for a token about to run `code`: when some operand
    /// is not ready the token waits for it (and runs `code` again once it
    /// is) or halts, and `None` is returned.
    pub(crate) fn fetch_or_park<'a>(
        &mut self,
        t: TokenRef,
        code: &Arc<Code>,
        ops: impl IntoIterator<Item = &'a Operand>,
    ) -> Option<Values> {
        match self.fetch(t, ops) {
            Fetch::Ready(values) => Some(values),
            Fetch::Wait(futures) => {
                self.block_on(t, code.clone(), &futures);
                None
            }
            Fetch::Halted => {
                self.halt(t);
                None
            }
        }
    }

    fn eval(&mut self, t: TokenRef, code: Arc<Code>) -> bool {
        match &*code {
            Code::Stop => {
                self.halt(t);
                false
            }
            Code::Const(v) => self.set_next(t, Next::Publish(v.clone())),
            Code::Var(slot) => {
                let op = Operand::Slot(*slot);
                match self.fetch_or_park(t, &code, [&op]) {
                    Some(mut vs) => self.set_next(t, Next::Publish(vs.swap_remove(0))),
                    None => false,
                }
            }
            Code::Parallel(left, right) => {
                if let Some(child) = self.fork(t, Next::Eval(right.clone())) {
                    self.ready.push_front(child);
                }
                self.set_next(t, Next::Eval(left.clone()))
            }
            Code::Sequential(left, right) => {
                // `v.m >t> t(args)`, how `v.m(args)` desugars, on a site:
                // the method is called without being built.
                if let (
                    Code::Field { target, name, .. },
                    Code::Call {
                        target: Operand::Slot(Slot::Local(0)),
                        args,
                        span,
                    },
                ) = (&**left, &**right)
                {
                    if let Some(cont) = self.try_call_member(t, target, name, args, *span) {
                        return cont;
                    }
                }
                // `v.m >x> ...` needs no frame when the member can be read
                // at once.
                if let Code::Field { target, name, span } = &**left {
                    match self.try_inline_field(t, target, name, *span) {
                        Some(Some(member)) => {
                            let Some(tok) = self.tokens.get_mut(t) else {
                                return false;
                            };
                            tok.env = tok.env.push_value(member);
                            tok.next = Next::Eval(right.clone());
                            return true;
                        }
                        Some(None) => {
                            self.halt(t);
                            return false;
                        }
                        None => {}
                    }
                }
                // `f >x> g` where f runs in place (`(if c then 1 else 2) >x>`):
                // no frame, g goes on at once.
                let may_be_immediate = matches!(
                    **left,
                    Code::If { .. } | Code::Pruning(..) | Code::Const(_) | Code::Var(_)
                ) || matches!(
                    **left,
                    Code::Call {
                        target: Operand::Const(_),
                        ..
                    }
                );
                if let Some(result) = may_be_immediate
                    .then(|| self.try_immediate(t, left))
                    .flatten()
                {
                    let Binding::Value(v) = result else {
                        self.halt(t);
                        return false;
                    };
                    let Some(tok) = self.tokens.get_mut(t) else {
                        return false;
                    };
                    tok.env = tok.env.push_value(v);
                    tok.next = Next::Eval(right.clone());
                    return true;
                }
                let Some(tok) = self.tokens.get_mut(t) else {
                    return false;
                };
                // `f >> stop` needs no bindings to run `stop`: the frame
                // does not keep them alive while `f` waits.
                let keeps_bindings = !matches!(**right, Code::Stop);
                tok.stack = tok.stack.push(Frame::Sequential {
                    code: right.clone(),
                    env: if keeps_bindings {
                        tok.env.clone()
                    } else {
                        Env::default()
                    },
                    ctx: tok.ctx.clone().filter(|_| keeps_bindings),
                });
                tok.next = Next::Eval(left.clone());
                true
            }
            Code::Pruning(left, right) => self.eval_pruning(t, left, right),
            Code::VClock { order, body, span } => match self.fetch_or_park(t, &code, [order]) {
                Some(vs) => match &vs[0] {
                    Value::Site(s) => self.enter_vclock(t, s.clone(), body.clone()),
                    other => {
                        let msg = format!(
                            "Vclock expects a time order site, but got {} {other}",
                            other.type_name()
                        );
                        self.report(msg, Some(*span));
                        self.halt(t);
                        false
                    }
                },
                None => false,
            },
            Code::If {
                cond,
                then,
                otherwise,
                span,
            } => match self.fetch_or_park(t, &code, [cond]) {
                Some(vs) => match vs[0] {
                    Value::Bool(true) => self.set_next(t, Next::Eval(then.clone())),
                    Value::Bool(false) => self.set_next(t, Next::Eval(otherwise.clone())),
                    ref other => {
                        self.report(if_condition_error(other), Some(*span));
                        self.halt(t);
                        false
                    }
                },
                None => false,
            },
            Code::Otherwise(left, right) => {
                let Some(c) = self.enter_otherwise(t, right.clone()) else {
                    return false;
                };
                let Some(tok) = self.tokens.get_mut(t) else {
                    return false;
                };
                tok.stack = tok.stack.push(Frame::Otherwise { counter: c });
                tok.next = Next::Eval(left.clone());
                true
            }
            Code::Trim(body) => {
                let Some(group) = self.tokens.get(t).map(|tok| tok.group) else {
                    return false;
                };
                let g = self.new_group(group);
                self.move_to_group(t, g);
                let Some(tok) = self.tokens.get_mut(t) else {
                    return false;
                };
                tok.stack = tok.stack.push(Frame::Trim { group: g });
                tok.next = Next::Eval(body.clone());
                true
            }
            Code::Defs { group, body } => {
                let Some(tok) = self.tokens.get(t) else {
                    return false;
                };
                let captured = group
                    .captures
                    .iter()
                    .map(|s| {
                        lookup(*s, &tok.env, tok.ctx.as_ref())
                            .unwrap_or(Binding::Value(Value::Signal))
                    })
                    .collect();
                let home = if group.defs.iter().any(|d| d.site) {
                    self.hold_for_site(t)
                } else {
                    None
                };
                let Some(tok) = self.tokens.get(t) else {
                    return false;
                };
                let instance = Arc::new(Instance {
                    group: group.clone(),
                    captured,
                    home,
                });
                let mut env = tok.env.clone();
                for i in 0..group.defs.len() {
                    env = env.push_value(Value::Closure(Closure::new(instance.clone(), i as u32)));
                }
                let Some(tok) = self.tokens.get_mut(t) else {
                    return false;
                };
                tok.env = env;
                tok.next = Next::Eval(body.clone());
                true
            }
            Code::Match {
                scrutinees,
                patterns,
                then,
                otherwise,
                span,
            } => self.eval_match(t, &code, scrutinees, patterns, then, otherwise, *span),
            Code::Call { target, args, span } => self.eval_call(t, &code, target, args, *span),
            Code::Field { target, name, span } => match self.fetch_or_park(t, &code, [target]) {
                Some(vs) => match &vs[0] {
                    Value::Object(o) => self.object_field(t, &code, o, name, *span),
                    v => match field(v, name) {
                        Ok(v) => self.set_next(t, Next::Publish(v)),
                        Err(msg) => {
                            self.report(msg, Some(*span));
                            self.halt(t);
                            false
                        }
                    },
                },
                None => false,
            },
        }
    }

    /// `v.name` evaluated in place when `v` is a value other than an object
    /// (whose members may still be computing): a site's method, a record's
    /// field, a string's method. `None`: it needs the general path;
    /// `Some(None)`: it halted (an error is reported).
    fn try_inline_field(
        &mut self,
        t: TokenRef,
        target: &Operand,
        name: &str,
        span: Span,
    ) -> Option<Option<Value>> {
        let member = match self.binding(t, target).as_ref().map(Binding::read) {
            Some(Read::Ready(Value::Object(_)) | Read::Pending(_)) | None => return None,
            Some(Read::Ready(v)) => field(v, name),
            Some(Read::Halted) => return Some(None),
        };
        Some(match member {
            Ok(v) => Some(v),
            Err(message) => {
                self.report(message, Some(span));
                None
            }
        })
    }

    /// `target.name(args)` (code `target.name >t> t(args)`) when the target
    /// is a site that answers the method directly ([`Site::call_member`]):
    /// `None` to take the general path. The arguments are operands of the
    /// call, under the method's binding.
    fn try_call_member(
        &mut self,
        t: TokenRef,
        target: &Operand,
        name: &str,
        args: &[Operand],
        span: Span,
    ) -> Option<bool> {
        let site = match self.binding(t, target)?.read() {
            Read::Ready(Value::Site(s)) => s.clone(),
            _ => return None,
        };
        // Without the method's binding each local is one nearer the top.
        let mut ops: SmallVec<[Operand; 4]> = SmallVec::new();
        for a in args {
            ops.push(match a {
                Operand::Slot(Slot::Local(0)) => return None,
                Operand::Slot(Slot::Local(i)) => Operand::Slot(Slot::Local(i - 1)),
                other => other.clone(),
            });
        }
        let values = match self.fetch(t, ops.iter()) {
            Fetch::Ready(values) => values,
            // Waiting or halting is done the general way, which reads the
            // member first (a missing one is an error before any wait).
            _ => return None,
        };
        let outcome = {
            let mut cx = CallCx {
                run: self,
                token: t,
            };
            site.call_member(name, &values, &mut SiteCx { inner: &mut cx })?
        };
        Some(self.finish_call(t, outcome, span))
    }

    /// `f <x< site(args)` where the site answers at once and the arguments
    /// are ready: the call runs in place and x is bound (or halted) before
    /// `f` starts, which is one of the interleavings the combinator allows.
    fn try_inline_pruning(&mut self, t: TokenRef, right: &Code) -> Inline {
        if let Some(member) = self.inline_member(t, right) {
            return Inline::Bound(member);
        }
        if let Code::Field { target, name, span } = right {
            return match self.try_inline_field(t, target, name, *span) {
                Some(v) => Inline::Bound(direct::bind(v)),
                None => Inline::No,
            };
        }
        if !matches!(right, Code::Call { .. }) {
            return match self.try_immediate(t, right) {
                Some(binding) => Inline::Bound(binding),
                None => Inline::No,
            };
        }
        let Code::Call { target, args, span } = right else {
            return Inline::No;
        };
        let site = match self.binding(t, target).as_ref().map(Binding::read) {
            Some(Read::Ready(Value::Site(s))) if s.is_immediate() => s.clone(),
            Some(Read::Ready(Value::Closure(c))) => {
                // A functional definition may run directly, in place.
                let c = c.clone();
                let def = c.def();
                if def.arity != args.len() || def.site || def.lenient {
                    return Inline::No;
                }
                let bindings: Args = args
                    .iter()
                    .map(|a| self.binding(t, a).unwrap_or(Binding::Value(Value::Signal)))
                    .collect();
                return match self.call_direct(t, &c, &bindings) {
                    DirectCall::Done(v) => Inline::Bound(direct::bind(v)),
                    DirectCall::Continue(next, args) => Inline::Continue(next, args),
                    DirectCall::NotDone => Inline::No,
                };
            }
            _ => return Inline::No,
        };
        match self.call_immediate(t, &site, args, *span) {
            Some(binding) => Inline::Bound(binding),
            None => Inline::No,
        }
    }

    /// Calls an immediate site in place: the result, or `None` when an
    /// operand is not ready. (One call site, on the path of every
    /// operator whose result is pruned: inlined.)
    #[inline(always)]
    fn call_immediate(
        &mut self,
        t: TokenRef,
        site: &Arc<dyn Site>,
        args: &[Operand],
        span: Span,
    ) -> Option<Binding> {
        if let [a, b] = args {
            if let (Some(x), Some(y)) = (self.int_operand(t, a), self.int_operand(t, b)) {
                if let Some(v) = site.call_ints(x, y) {
                    return Some(Binding::Value(v));
                }
            }
        }
        let Fetch::Ready(values) = self.fetch(t, args.iter()) else {
            return None;
        };
        Some(match self.call_values(t, site, &values) {
            Ok(result) => direct::bind(result),
            Err(message) => {
                self.report(message, Some(span));
                direct::halted()
            }
        })
    }

    /// Calls an immediate site with its operands' values: what it
    /// published (`None`: it halted), or its error message.
    fn call_values(
        &mut self,
        t: TokenRef,
        site: &Arc<dyn Site>,
        values: &[Value],
    ) -> Result<Option<Value>, String> {
        if let [Value::Int(a), Value::Int(b)] = values {
            if let Some(v) = site.call_ints(*a, *b) {
                return Ok(Some(v));
            }
        }
        let outcome = {
            let mut cx = CallCx {
                run: self,
                token: t,
            };
            let mut sc = SiteCx { inner: &mut cx };
            site.call(values, &mut sc)
        };
        match outcome {
            Outcome::Publish(v) => Ok(Some(v)),
            Outcome::Error(e) => Err(e.to_string()),
            Outcome::Halt | Outcome::Pending => Ok(None),
        }
    }

    /// Runs `code` in place if it is an *immediate expression*: one built
    /// of constants, variables, `stop`, conditionals, prunings and calls
    /// of immediate sites (`i % 2 = 0` is `=(y, 0) <y< %(i, 2)`), which
    /// publishes at most one value and never waits. Its value, halted, or
    /// `None` as soon as it meets anything else (an operand still pending,
    /// a call of another kind): then it must run with tokens, from the
    /// start. That is safe because immediate sites have no effect beyond
    /// their result; the errors met on the way are reported only if the
    /// whole expression ran in place.
    fn try_immediate(&mut self, t: TokenRef, code: &Code) -> Option<Binding> {
        if !immediate_shape(code, 0) {
            return None;
        }
        let tok = self.tokens.get(t)?;
        let mut scope = Scope {
            env: tok.env.clone(),
            ctx: tok.ctx.clone(),
            inner: Args::new(),
            errors: Vec::new(),
        };
        let result = self.immediate(t, code, &mut scope)?;
        for (message, span) in scope.errors {
            self.report(message, Some(span));
        }
        Some(result)
    }

    fn immediate(&mut self, t: TokenRef, code: &Code, scope: &mut Scope) -> Option<Binding> {
        match code {
            Code::Stop => Some(direct::halted()),
            Code::Const(v) => Some(Binding::Value(v.clone())),
            Code::Var(slot) => match scope.read(&Operand::Slot(*slot))? {
                Read::Ready(v) => ready_value(v).map(Binding::Value),
                Read::Halted => Some(direct::halted()),
                Read::Pending(_) => None,
            },
            Code::Pruning(left, right) => {
                let bound = self.immediate(t, right, scope)?;
                scope.inner.push(bound);
                let result = self.immediate(t, left, scope);
                scope.inner.pop();
                result
            }
            Code::If {
                cond,
                then,
                otherwise,
                span,
            } => {
                let branch = match scope.read(cond)? {
                    Read::Ready(Value::Bool(true)) => then,
                    Read::Ready(Value::Bool(false)) => otherwise,
                    Read::Ready(other) => {
                        let message = if_condition_error(other);
                        scope.errors.push((message, *span));
                        return Some(direct::halted());
                    }
                    Read::Halted => return Some(direct::halted()),
                    Read::Pending(_) => return None,
                };
                self.immediate(t, branch, scope)
            }
            Code::Call {
                target: Operand::Const(Value::Site(site)),
                args,
                span,
            } if site.is_immediate() => {
                let mut values = Values::new();
                for a in args.iter() {
                    match scope.read(a)? {
                        Read::Ready(v) => values.push(ready_value(v)?),
                        // As a token reading a halted variable halts.
                        Read::Halted => return Some(direct::halted()),
                        Read::Pending(_) => return None,
                    }
                }
                Some(match self.call_values(t, site, &values) {
                    Ok(result) => direct::bind(result),
                    Err(message) => {
                        scope.errors.push((message, *span));
                        direct::halted()
                    }
                })
            }
            _ => None,
        }
    }

    fn eval_pruning(&mut self, t: TokenRef, left: &Arc<Code>, right: &Arc<Code>) -> bool {
        let resume = match self.try_inline_pruning(t, right) {
            Inline::Bound(binding) => {
                let Some(tok) = self.tokens.get_mut(t) else {
                    return false;
                };
                tok.env = tok.env.push(binding);
                tok.next = Next::Eval(left.clone());
                return true;
            }
            Inline::Continue(closure, args) => Some((closure, args)),
            Inline::No => None,
        };
        if resume.is_none() && self.is_single_site_call(t, right) {
            return self.prune_site_call(t, left, right);
        }
        let Some(tok) = self.tokens.get(t) else {
            return false;
        };
        let (env, ctx, group, counter, clock) = (
            tok.env.clone(),
            tok.ctx.clone(),
            tok.group,
            tok.counter,
            tok.clock,
        );
        let future = Future::new();
        let g = self.new_group(group);
        let c = self.new_pruning_counter(counter, future.clone());
        let stack = Stack::default().push(Frame::Pruning {
            future: future.clone(),
            group: g,
        });
        let place = super::engine::Place {
            env: env.clone(),
            ctx,
            stack,
            group: g,
            counter: c,
            clock,
        };
        let right_token = self.spawn(Next::Eval(right.clone()), place);
        if let Some((closure, args)) = resume {
            // The right side is a call that already ran for a time slice.
            self.long_turn = true;
            self.enter_closure(right_token, &closure, args);
        }
        let Some(tok) = self.tokens.get_mut(t) else {
            return false;
        };
        tok.env = env.push(Binding::Future(future));
        tok.next = Next::Eval(left.clone());
        // The right side runs first, then the left (as the reference, which
        // runs a spawned future at once): in `val a = f(g())` the argument
        // is computed before `f` publishes and the right side is killed,
        // so an object `f` makes with a member bound to it keeps its value.
        self.ready.push_front(t);
        self.ready.push_front(right_token);
        false
    }

    /// Is `code` one call of a site (not a `site` definition)? A site
    /// publishes at most once, so nothing needs killing after it does.
    fn is_single_site_call(&self, t: TokenRef, code: &Code) -> bool {
        let Code::Call { target, .. } = code else {
            return false;
        };
        match self.binding(t, target).as_ref().map(Binding::read) {
            // Installing an object layer moves tokens between groups.
            Some(Read::Ready(Value::Site(s))) => !s.as_any().is::<InstallLayer>(),
            _ => false,
        }
    }

    /// `left <x< site(args)`: the call runs in a token of its own, as any
    /// right side does, but in this token's group and counter, under a
    /// [`Frame::Bind`] instead of a group, a counter and a pruning frame of
    /// its own. Its publication binds x and halts it; its halting (or
    /// being killed) without one halts x.
    fn prune_site_call(&mut self, t: TokenRef, left: &Arc<Code>, right: &Arc<Code>) -> bool {
        let Some(tok) = self.tokens.get_mut(t) else {
            return false;
        };
        let future = Future::new();
        let mut place = tok.place();
        place.stack = Stack::default().push(Frame::Bind {
            future: future.clone(),
        });
        tok.env = tok.env.push(Binding::Future(future));
        tok.next = Next::Eval(left.clone());
        let right_token = self.spawn(Next::Eval(right.clone()), place);
        // The call first, then the left side, as for any pruning.
        self.ready.push_front(t);
        self.ready.push_front(right_token);
        false
    }

    #[allow(clippy::too_many_arguments)]
    fn eval_match(
        &mut self,
        t: TokenRef,
        code: &Arc<Code>,
        scrutinees: &[Operand],
        patterns: &[super::code::Pat],
        then: &Arc<Code>,
        otherwise: &Arc<Code>,
        span: Span,
    ) -> bool {
        // Strict patterns need values; variables and wildcards bind leniently.
        let strict = scrutinees
            .iter()
            .zip(patterns)
            .filter(|(_, p)| p.is_strict())
            .map(|(s, _)| s);
        let Some(strict_values) = self.fetch_or_park(t, code, strict) else {
            return false;
        };
        let mut strict_values = strict_values.into_iter();
        let mut inputs = Vec::with_capacity(scrutinees.len());
        for (s, p) in scrutinees.iter().zip(patterns) {
            if p.is_strict() {
                inputs.push(Binding::Value(
                    strict_values.next().unwrap_or(Value::Signal),
                ));
            } else {
                inputs.push(self.binding(t, s).unwrap_or(Binding::Value(Value::Signal)));
            }
        }
        let Some(tok) = self.tokens.get(t) else {
            return false;
        };
        let mut bound = Vec::new();
        match match_all(patterns, inputs, &mut bound, &|op| match op {
            Operand::Const(v) => Some(v.clone()),
            Operand::Slot(s) => {
                lookup(*s, &tok.env, tok.ctx.as_ref()).and_then(|b| match b.read() {
                    Read::Ready(v) => Some(v.clone()),
                    _ => None,
                })
            }
        }) {
            Ok(true) => {
                let Some(tok) = self.tokens.get_mut(t) else {
                    return false;
                };
                let mut env: Env = tok.env.clone();
                for b in bound {
                    env = env.push(b);
                }
                tok.env = env;
                tok.next = Next::Eval(then.clone());
                true
            }
            Ok(false) => self.set_next(t, Next::Eval(otherwise.clone())),
            Err(msg) => {
                self.report(msg, Some(span));
                self.halt(t);
                false
            }
        }
    }

    fn eval_call(
        &mut self,
        t: TokenRef,
        code: &Arc<Code>,
        target: &Operand,
        args: &[Operand],
        span: Span,
    ) -> bool {
        // The callee must be known. (Its arguments are passed as they are
        // to a closure, but must be values for a site.)
        let callee = match self.binding(t, target).map(|b| match b.read() {
            Read::Ready(v) => Ok(v.clone()),
            Read::Pending(f) => Err(Some(f.clone())),
            Read::Halted => Err(None),
        }) {
            Some(Ok(v)) => v,
            Some(Err(Some(f))) => {
                self.block_on(t, code.clone(), &[f]);
                return false;
            }
            _ => {
                self.halt(t);
                return false;
            }
        };
        match callee {
            Value::Closure(c) => {
                // A closure is usable once its captured futures resolved
                // (except a class layer: object creation is lenient).
                let pending: Vec<Arc<Future>> = c.pending_captures();
                if !pending.is_empty() && !c.def().lenient {
                    self.block_on(t, code.clone(), &pending);
                    return false;
                }
                let def = c.def();
                if def.arity != args.len() {
                    self.report(arity_error(def, args.len()), Some(span));
                    self.halt(t);
                    return false;
                }
                if def.site {
                    return self.call_site_def(t, code, &c, args);
                }
                if def.lenient {
                    self.place_layer(t);
                }
                let bindings: Args = args
                    .iter()
                    .map(|a| self.binding(t, a).unwrap_or(Binding::Value(Value::Signal)))
                    .collect();
                match self.call_direct(t, &c, &bindings) {
                    DirectCall::Done(Some(v)) => self.set_next(t, Next::Publish(v)),
                    DirectCall::Done(None) => {
                        self.halt(t);
                        false
                    }
                    DirectCall::Continue(next, args) => {
                        // It ran for a time slice: the token's turn ends.
                        self.long_turn = true;
                        self.ready.push_back(t);
                        self.enter_closure(t, &next, args);
                        false
                    }
                    DirectCall::NotDone => self.enter_closure(t, &c, bindings),
                }
            }
            Value::Site(site) if site.as_any().is::<InstallLayer>() => {
                let install = site.as_any().downcast_ref::<InstallLayer>();
                install.is_some_and(|i| self.install_layer(t, i, args, span))
            }
            Value::Object(o) => self.call_object(t, code, &o, args, span),
            Value::Site(site) => match self.fetch_or_park(t, code, args) {
                Some(values) => self.call_site(t, &site, &values, span),
                None => false,
            },
            Value::Record(r) if r.get("apply").is_some() => {
                // A record with an `apply` member is callable through it.
                let apply = r.get("apply").cloned().unwrap_or(Value::Signal);
                let new_code = Arc::new(Code::Call {
                    target: Operand::Const(apply),
                    args: args.to_vec().into(),
                    span,
                });
                self.set_next(t, Next::Eval(new_code))
            }
            other => {
                self.report(
                    format!("{} is not callable: {}", other.type_name(), other),
                    Some(span),
                );
                self.halt(t);
                false
            }
        }
    }

    /// Token `t` runs the body of `c` with `args` bound (lenient: they may
    /// be futures).
    fn enter_closure(
        &mut self,
        t: TokenRef,
        c: &Closure,
        args: impl IntoIterator<Item = Binding>,
    ) -> bool {
        let mut env = Env::default();
        for b in args {
            env = env.push(b);
        }
        let Some(tok) = self.tokens.get_mut(t) else {
            return false;
        };
        tok.env = env;
        tok.ctx = Some(c.instance.clone());
        tok.next = Next::Eval(c.def().body.clone());
        true
    }

    /// Calls a `site` definition: once the arguments are values, its body
    /// starts in the declaring scope and `t` waits for its publications.
    fn call_site_def(
        &mut self,
        t: TokenRef,
        code: &Arc<Code>,
        c: &Closure,
        args: &[Operand],
    ) -> bool {
        let Some(values) = self.fetch_or_park(t, code, args) else {
            return false;
        };
        let Some((home_group, home_counter)) =
            c.instance.home.filter(|(g, _)| self.group_alive(*g))
        else {
            // The declaring scope was killed: the site is gone.
            self.halt(t);
            return false;
        };
        let mut env = Env::default();
        for v in values {
            env = env.push_value(v);
        }
        let handle = {
            let mut cx = CallCx {
                run: self,
                token: t,
            };
            cx.defer()
        };
        let epoch = self.tokens.get(t).map_or(0, |tok| tok.epoch);
        drop(handle);
        let counter = self.new_site_body_counter(home_counter, t, epoch);
        let place = super::engine::Place {
            env,
            ctx: Some(c.instance.clone()),
            stack: Stack::default().push(Frame::SiteReturn { caller: t, epoch }),
            group: home_group,
            counter,
            clock: None,
        };
        let body = self.spawn(Next::Eval(c.def().body.clone()), place);
        self.ready.push_front(body);
        false
    }

    /// Calls a site with evaluated arguments and acts on its outcome.
    pub(crate) fn call_site(
        &mut self,
        t: TokenRef,
        site: &Arc<dyn Site>,
        args: &[Value],
        span: Span,
    ) -> bool {
        let outcome = {
            let mut cx = CallCx {
                run: self,
                token: t,
            };
            let mut sc = SiteCx { inner: &mut cx };
            site.call(args, &mut sc)
        };
        self.finish_call(t, outcome, span)
    }

    /// Acts on the outcome of a site call token `t` just made at `span`.
    fn finish_call(&mut self, t: TokenRef, outcome: Outcome, span: Span) -> bool {
        if matches!(outcome, Outcome::Pending) {
            // The token resumes by publishing the answer, which reads only
            // its continuation: its bindings can go now. (A million tokens
            // waiting in `Rwait` would otherwise keep theirs.)
            if let Some(tok) = self.tokens.get_mut(t) {
                tok.env = Env::default();
                tok.ctx = None;
            }
            return false;
        }
        self.complete_call(t, outcome, Some(span))
    }

    /// Continues token `t` after a call ended with `outcome`: at once, in
    /// the call at `call` (its span, for errors), or later (`None`).
    pub(crate) fn complete_call(
        &mut self,
        t: TokenRef,
        outcome: Outcome,
        call: Option<Span>,
    ) -> bool {
        match outcome {
            Outcome::Publish(v) => {
                if self.set_next(t, Next::Publish(v)) && call.is_none() {
                    // Completed later: schedule the token.
                    self.ready.push_back(t);
                    return false;
                }
                call.is_some()
            }
            Outcome::Halt => {
                self.halt(t);
                false
            }
            Outcome::Error(e) => {
                // Site errors name the site themselves where it helps.
                self.report(e.to_string(), call);
                self.halt(t);
                false
            }
            Outcome::Pending => false,
        }
    }

    fn publish(&mut self, t: TokenRef, v: Value) -> bool {
        let Some(tok) = self.tokens.get_mut(t) else {
            return false;
        };
        let stack = tok.stack.clone();
        let Some((frame, rest)) = stack.top() else {
            self.publish_result(&v);
            self.halt(t);
            return false;
        };
        match frame {
            Frame::Sequential { code, env, ctx } => {
                tok.env = env.push_value(v);
                tok.ctx = ctx.clone();
                tok.stack = rest.clone();
                tok.next = Next::Eval(code.clone());
                true
            }
            Frame::Pruning { future, group } => {
                let (future, group) = (future.clone(), *group);
                self.resolve_future(&future, Some(v));
                self.kill_group(group);
                false
            }
            Frame::Bind { future } => {
                let future = future.clone();
                self.resolve_future(&future, Some(v));
                self.halt(t);
                false
            }
            Frame::Otherwise { counter } => {
                let counter = *counter;
                tok.stack = rest.clone();
                tok.next = Next::Publish(v);
                self.leave_otherwise(t, counter);
                true
            }
            Frame::SiteReturn { caller, epoch } => {
                // Each publication of a `site` body is a publication of the
                // call, for as long as the caller waits.
                let (caller, epoch) = (*caller, *epoch);
                if self.tokens.get(caller).is_some_and(|c| c.epoch == epoch) {
                    if let Some(copy) = self.fork(caller, Next::Publish(v)) {
                        self.ready.push_back(copy);
                    }
                }
                self.halt(t);
                false
            }
            Frame::ClockExit { clock, outer } => {
                let (clock, outer) = (*clock, *outer);
                tok.stack = rest.clone();
                tok.next = Next::Publish(v);
                self.exit_vclock(t, clock, outer);
                true
            }
            Frame::Trim { group } => {
                let group = *group;
                tok.stack = rest.clone();
                tok.next = Next::Publish(v);
                if let Some(parent) = self.group_parent(group) {
                    self.move_to_group(t, parent);
                }
                self.kill_group(group);
                true
            }
        }
    }
}

/// `value.name`
pub(crate) fn field(v: &Value, name: &str) -> Result<Value, String> {
    match v {
        Value::Record(r) => r
            .get(name)
            .cloned()
            .ok_or_else(|| format!("the record {v} has no field `{name}`")),
        Value::Site(s) => s
            .member(name)
            .ok_or_else(|| format!("{} has no member `{name}`", s.name())),
        // String methods: `"abc".length()`.
        Value::Str(s) => crate::sites::text::string_member(s, name)
            .ok_or_else(|| format!("String has no member `{name}`")),
        other => Err(format!(
            "cannot access `.{name}` on {} {other}",
            other.type_name()
        )),
    }
}

/// The error for a closure called with the wrong number of arguments.
pub(crate) fn arity_error(def: &DefCode, given: usize) -> String {
    format!(
        "{} expects {} argument{}, but was called with {}",
        def.name,
        def.arity,
        if def.arity == 1 { "" } else { "s" },
        given
    )
}

/// The error for `if` on something that is not a boolean.
pub(crate) fn if_condition_error(got: &Value) -> String {
    format!(
        "if expects a boolean condition, but got {} {got}",
        got.type_name()
    )
}

/// What a site sees of the run during one call.
pub(crate) struct CallCx<'a> {
    pub(crate) run: &'a mut Run,
    pub(crate) token: TokenRef,
}

impl CallCx<'_> {
    fn begin_wait(&mut self) -> u32 {
        match self.run.tokens.get_mut(self.token) {
            Some(tok) => {
                tok.epoch = tok.epoch.wrapping_add(1);
                tok.epoch
            }
            None => 0,
        }
    }
}

impl CallContext for CallCx<'_> {
    fn now_ms(&self) -> u64 {
        self.run.clock.now_ms()
    }

    fn sleep(&mut self, ms: u64) -> Outcome {
        let epoch = self.begin_wait();
        let deadline = self.run.clock.deadline_after(ms);
        let key = self.run.wheel.insert(deadline, (self.token, epoch));
        self.run.set_wait(self.token, Wait::Timer(key));
        Outcome::Pending
    }

    fn defer(&mut self) -> CallHandle {
        let epoch = self.begin_wait();
        let h = CallHandle::new(self.token, epoch, self.run.completions.clone());
        self.run.set_wait(self.token, Wait::Handle(h.clone()));
        h
    }

    fn spawn(&mut self, fut: BoxFuture) -> Outcome {
        let Ok(handle) = tokio::runtime::Handle::try_current() else {
            return Outcome::Error(super::site::SiteError::new(
                "asynchronous sites need a tokio runtime",
            ));
        };
        let epoch = self.begin_wait();
        let completions = self.run.completions.clone();
        let token = self.token;
        let task = handle.spawn(async move {
            let outcome = fut.await;
            completions.push(token, epoch, outcome);
        });
        self.run.external_pending += 1;
        self.run
            .set_wait(self.token, Wait::Task(task.abort_handle()));
        Outcome::Pending
    }

    fn print(&mut self, text: &str) {
        self.run.events.print(text);
    }

    fn vawait(&mut self, time: Value) -> Outcome {
        let token = self.token;
        self.run.vawait(token, time)
    }

    fn vtime(&mut self) -> Option<Value> {
        let token = self.token;
        self.run.vtime(token)
    }
}

/// Whether `code` is built only of what an immediate expression may hold,
/// not too deeply (the evaluation in place recurses): a look at the code
/// alone, before any operand is read.
fn immediate_shape(code: &Code, depth: u32) -> bool {
    const MAX_DEPTH: u32 = 32;
    if depth > MAX_DEPTH {
        return false;
    }
    match code {
        Code::Stop | Code::Const(_) | Code::Var(_) => true,
        Code::Pruning(left, right) => {
            immediate_shape(left, depth + 1) && immediate_shape(right, depth + 1)
        }
        Code::If {
            then, otherwise, ..
        } => immediate_shape(then, depth + 1) && immediate_shape(otherwise, depth + 1),
        Code::Call {
            target: Operand::Const(Value::Site(site)),
            ..
        } => site.is_immediate(),
        _ => false,
    }
}

/// What an immediate expression reads: the token's bindings, and the
/// expression's own (its prunings' values, innermost last).
struct Scope {
    env: Env,
    ctx: Option<Arc<Instance>>,
    inner: Args,
    /// Errors met, reported once the expression has run in place.
    errors: Vec<(String, Span)>,
}

impl Scope {
    /// An operand; `None` if it is not a plain binding (a sibling
    /// definition) or is missing.
    fn read<'a>(&'a self, op: &'a Operand) -> Option<Read<'a>> {
        let slot = match op {
            Operand::Const(v) => return Some(Read::Ready(v)),
            Operand::Slot(s) => *s,
        };
        let binding = match slot {
            Slot::Local(i) => match self.inner.len().checked_sub(1 + i as usize) {
                Some(k) => &self.inner[k],
                None => self.env.get(i - self.inner.len() as u32)?,
            },
            Slot::Capture(i) => self.ctx.as_ref()?.captured.get(i as usize)?,
            Slot::Sibling(_) => return None,
        };
        Some(binding.read())
    }
}

/// A value an immediate expression may use now: a closure only once its
/// captured variables are resolved, as when a token reads it.
fn ready_value(v: &Value) -> Option<Value> {
    match v {
        Value::Closure(c) if c.has_pending_captures() => None,
        v => Some(v.clone()),
    }
}
