//! Calls: of closures (lenient: the arguments are passed as they are), of
//! sites (strict: every argument must be a value first), of `site`
//! definitions, objects and records with an `apply` member; and what a
//! site sees of the run while it answers ([`CallCx`]).

use super::act::ActRef;
use super::binder::Wake;
use super::engine::Run;
use super::objects::InstallLayer;
use super::operands::{binding, lend_values, read, Arg};
use super::token::{Frame, Hot, Next, Place, Stack, Wait};
use crate::diagnostics::Span;
use crate::value::closure::{Closure, Instance};
use crate::value::code::{Code, CodePtr, DefCode, Operand, Slot};
use crate::value::env::Binding;
use crate::value::handles::TokenRef;
use crate::value::site::{BoxFuture, CallContext, CallHandle, Outcome, Site, SiteCx};
use crate::value::Value;
use std::sync::Arc;

/// The activation and closure a call left (dropped by the caller once it
/// is done with the node it ran: they may own it).
pub(crate) type Left = (Option<ActRef>, Option<Arc<Instance>>);

impl Run {
    pub(crate) fn eval_call(
        &mut self,
        t: TokenRef,
        h: &mut Hot,
        code: CodePtr,
        target: &Operand,
        args: &[Operand],
        span: Span,
    ) -> bool {
        // The callee must be known. (Its arguments are passed as they are
        // to a closure, but must be values for a site.)
        if let Operand::Slot(Slot::Sibling(i)) = target {
            if self.tail_call_sibling(h, *i, args) {
                return true;
            }
        }
        let callee = match read(h, target) {
            Arg::Ready(Value::Site(site)) if !site.as_any().is::<InstallLayer>() => {
                // The common case (operators, library sites): no clone of
                // the site.
                if let [a, b] = args {
                    if let (Arg::Ready(Value::Int(x)), Arg::Ready(Value::Int(y))) =
                        (read(h, a), read(h, b))
                    {
                        if let Some(v) = site.call_ints(*x, *y) {
                            return self.publish(t, h, v.into());
                        }
                    }
                }
                let site = site.clone();
                return match self.fetch_or_park(t, h, code, args) {
                    Some(values) => self.call_site(t, h, &site, &values, span),
                    None => false,
                };
            }
            Arg::Ready(v) => v.clone(),
            Arg::Sibling(i) => match &h.ctx {
                Some(c) => Value::Closure(Closure::new(c.clone(), i)),
                None => {
                    self.halt(t);
                    return false;
                }
            },
            Arg::Pending(f) => {
                let f = f.clone();
                self.block_on(t, h, code, &[f]);
                return false;
            }
            Arg::Halted => {
                self.halt(t);
                return false;
            }
        };
        self.call_value(t, h, code, callee, args, span)
    }

    /// Calls `callee` with the operands `args` of the node `code`.
    pub(crate) fn call_value(
        &mut self,
        t: TokenRef,
        h: &mut Hot,
        code: CodePtr,
        callee: Value,
        args: &[Operand],
        span: Span,
    ) -> bool {
        match callee {
            Value::Closure(c) => self.call_closure(t, h, code, c, args, span),
            Value::Site(site) if site.as_any().is::<InstallLayer>() => {
                let install = site.as_any().downcast_ref::<InstallLayer>();
                install.is_some_and(|i| self.install_layer(t, h, i, args, span))
            }
            Value::Object(o) => self.call_object(t, h, code, &o, args, span),
            Value::Site(site) => match self.fetch_or_park(t, h, code, args) {
                Some(values) => self.call_site(t, h, &site, &values, span),
                None => false,
            },
            Value::Tuple(items) => match self.fetch_or_park(t, h, code, args) {
                // `t(i)`: the tuple's element `i`, counting from 0.
                Some(values) => {
                    let outcome = match crate::value::site::index_arg("Tuple", &values, items.len())
                    {
                        Ok(i) => Outcome::Publish(items[i].clone()),
                        Err(e) => Outcome::Error(e),
                    };
                    self.finish_call(t, h, outcome, span)
                }
                None => false,
            },
            Value::Record(r) if r.get("apply").is_some() => {
                // A record with an `apply` member is callable through it.
                let apply = r.get("apply").cloned().unwrap_or(Value::Signal);
                self.call_value(t, h, code, apply, args, span)
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

    fn call_closure(
        &mut self,
        t: TokenRef,
        h: &mut Hot,
        code: CodePtr,
        c: Closure,
        args: &[Operand],
        span: Span,
    ) -> bool {
        // A closure is usable once its captured futures resolved (except a
        // class layer, which `new` waited for as its argument).
        let def = c.def();
        if !def.lenient && c.has_pending_captures() {
            let pending = c.pending_captures();
            self.block_on(t, h, code, &pending);
            return false;
        }
        if def.arity != args.len() {
            self.report(arity_error(def, args.len()), Some(span));
            self.halt(t);
            return false;
        }
        if def.site {
            return self.call_site_def(t, h, code, &c, args);
        }
        if def.lenient {
            self.detach_layer(t, h);
        }
        let body = CodePtr::new(&def.body);
        // (The callee's instance moves into the token: a clone and a drop,
        // two atomic operations, saved.)
        if refill_for(h, body, def.frame_size, args) {
            let _left = Self::switch_closure(h, c.instance);
            return true;
        }
        let act = ActRef::with_args(def.frame_size, args.iter().map(|a| binding(h, a)));
        let _left = Self::enter(h, body, c.instance, act);
        true
    }

    /// A call of definition `i` of the running instance (a loop calling
    /// itself, or a sibling) that refills the record in place, as
    /// [`Run::call_closure`] would, without making the closure: `false`
    /// (nothing done) where that call would do anything else.
    #[inline]
    fn tail_call_sibling(&self, h: &mut Hot, i: u32, args: &[Operand]) -> bool {
        let Some(ctx) = &h.ctx else {
            return false;
        };
        let def = &ctx.group.defs[i as usize];
        if !ctx.settled() || def.lenient || def.site || def.arity != args.len() {
            return false;
        }
        // (The body stays owned by the running instance, which stays.)
        let (body, frame_size) = (CodePtr::new(&def.body), def.frame_size);
        refill_for(h, body, frame_size, args)
    }

    /// The token running `h` goes on in the body of `c` with `args` bound
    /// (lenient: they may be futures), in a new activation. Under
    /// sequential frames of the caller's body, a return frame keeps the
    /// caller's activation for them; otherwise (a call in tail position)
    /// it is left, and returned.
    pub(crate) fn enter_closure(
        h: &mut Hot,
        c: &Closure,
        args: impl IntoIterator<Item = Binding>,
    ) -> Left {
        let act = ActRef::with_args(c.def().frame_size, args);
        Self::enter(h, CodePtr::new(&c.def().body), c.instance.clone(), act)
    }

    /// The running closure becomes `instance` (left as it is when it is
    /// the same: a definition calling itself or a sibling); the old one is
    /// returned, for the caller to drop once done with its node.
    fn switch_closure(h: &mut Hot, instance: Arc<Instance>) -> Option<Arc<Instance>> {
        match &h.ctx {
            Some(ctx) if Arc::ptr_eq(ctx, &instance) => None,
            _ => {
                super::light::keep_caller_closure(h);
                h.ctx.replace(instance)
            }
        }
    }

    /// [`Run::enter_closure`] with the callee's activation made: the token
    /// goes on at `body`, a definition of `instance`.
    fn enter(h: &mut Hot, body: CodePtr, instance: Arc<Instance>, act: ActRef) -> Left {
        let old_act = h.act.replace(act);
        h.next = Next::Eval(body);
        if h.seqs == 0 {
            return (old_act, Self::switch_closure(h, instance));
        }
        let mut old_act = old_act;
        if h.seqs == 1 && h.ctx.is_some() {
            // The one frame of the caller's body left: a light pruning
            // whose left side may need only a few of its slots.
            if let (Some((Frame::LightPruning(node, _), _)), Some(act)) =
                (h.stack.top(), &mut old_act)
            {
                super::light::keep_for_left(act, node.get());
            }
        }
        let old_ctx = h.ctx.replace(instance);
        {
            h.stack.push(Frame::Return {
                act: old_act,
                ctx: old_ctx,
                seqs: h.seqs,
            });
            h.seqs = 0;
            (None, None)
        }
    }

    /// Calls a `site` definition: once the arguments are values, its body
    /// starts in the declaring scope and `t` waits for its publications.
    fn call_site_def(
        &mut self,
        t: TokenRef,
        h: &mut Hot,
        code: CodePtr,
        c: &Closure,
        args: &[Operand],
    ) -> bool {
        let Some(values) = self.fetch_or_park(t, h, code, args) else {
            return false;
        };
        let Some((home_group, home_counter)) =
            c.instance.home.filter(|(g, _)| self.group_alive(*g))
        else {
            // The declaring scope was killed: the site is gone. Most often
            // a `val` (or an argument) took the site as its value, which
            // killed the expression that declared it: say so rather than
            // lose the call silently.
            let msg = format!(
                "the site `{}` can no longer be called: the expression that declared it \
                 was killed (by a `val`, a pruning or `{{| |}}` that took its value); \
                 declare the site where it stays alive, or use a class",
                c.def().name
            );
            self.report(msg, Some(call_span(code.get())));
            self.halt(t);
            return false;
        };
        let mut body = Hot::empty();
        drop(Self::enter_closure(
            &mut body,
            c,
            values.into_iter().map(Binding::Value),
        ));
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
        body.stack = Stack::default();
        body.stack.push(Frame::SiteReturn {
            caller: t,
            epoch,
            once: c.def().once,
        });
        let place = Place {
            group: home_group,
            counter,
            clock: None,
        };
        let body = self.spawn(body, place);
        self.ready.push_front(body);
        false
    }

    /// Calls a site with evaluated arguments: every call of a site goes
    /// through here. A run that has hit a limit calls nothing more (the
    /// token halts until the scheduler kills the rest); after a call that
    /// allocated a lot, the next call looks at the limits first (as do
    /// the error it may report, the program's next publication and the
    /// end of the turn), so that a loop of big built-ins stops within one
    /// of them.
    #[inline]
    pub(crate) fn invoke(&mut self, t: TokenRef, site: &Arc<dyn Site>, args: &[Value]) -> Outcome {
        self.guarded(t, Outcome::Halt, |cx| site.call(args, cx))
    }

    /// Makes a site call `call` as [`Run::invoke`] says; `halted` is its
    /// result when the run has hit a limit.
    #[inline(always)]
    fn guarded<R>(&mut self, t: TokenRef, halted: R, call: impl FnOnce(&mut SiteCx<'_>) -> R) -> R {
        // The limits are looked at before the call, for what the calls
        // before it allocated, and the call is the last thing done: its
        // outcome goes straight where the caller wants it. (Looked at
        // after it, the outcome was copied from where the site had just
        // written it, a store-forwarding stall that cost a channel
        // message a tenth of its time.) An error, as a refused
        // allocation gives, and a publication of the program look at
        // once too ([`Run::report`], [`Run::publish_result`]).
        if self.account.attention() {
            self.look_now();
        }
        if self.limit_hit.is_some() {
            return halted;
        }
        let mut cx = CallCx {
            run: self,
            token: t,
        };
        call(&mut SiteCx { inner: &mut cx })
    }

    /// Calls a site with evaluated arguments and acts on its outcome.
    pub(crate) fn call_site(
        &mut self,
        t: TokenRef,
        h: &mut Hot,
        site: &Arc<dyn Site>,
        args: &[Value],
        span: Span,
    ) -> bool {
        let outcome = self.invoke(t, site, args);
        self.finish_call(t, h, outcome, span)
    }

    /// Acts on the outcome of a site call token `t` just made at `span`.
    pub(crate) fn finish_call(
        &mut self,
        t: TokenRef,
        h: &mut Hot,
        outcome: Outcome,
        span: Span,
    ) -> bool {
        match outcome {
            Outcome::Publish(v) => self.publish(t, h, v),
            Outcome::Halt => {
                self.halt(t);
                false
            }
            Outcome::Error(e) => {
                // Site errors name the site themselves where it helps.
                self.report(e.to_string(), Some(span));
                self.halt(t);
                false
            }
            Outcome::Pending => {
                if matches!(h.next, Next::Idle) {
                    h.next = Next::Parked(span);
                }
                if let Some(trace) = self.trace.as_mut() {
                    trace.wait(self.clock.read().0, t, span);
                }
                if h.seqs == 0 {
                    // The token resumes by publishing the answer, and no
                    // frame of this body is left to read the activation:
                    // it can go now. (A million tokens waiting in
                    // `Rwait(..) >> stop` would otherwise keep theirs.)
                    // The token's turn ends here, so nothing still points
                    // into the body.
                    h.act = None;
                    super::light::keep_caller_closure(h);
                    h.ctx = None;
                }
                false
            }
        }
    }

    /// Continues parked token `t` after its call ended with `outcome`.
    pub(crate) fn complete_call(&mut self, t: TokenRef, outcome: Outcome) {
        match outcome {
            Outcome::Publish(v) => {
                if let Some(tok) = self.tokens.get_mut(t) {
                    super::operands::answer(&mut tok.hot, v);
                    self.ready.push_back(t);
                }
            }
            Outcome::Halt => self.halt(t),
            Outcome::Error(e) => {
                self.report(e.to_string(), None);
                self.halt(t);
            }
            Outcome::Pending => {}
        }
    }

    /// Is `code` one call of a site (not a `site` definition)? A site
    /// publishes at most once, so nothing needs killing after it does.
    pub(crate) fn is_single_site_call(&self, h: &Hot, code: &Code) -> bool {
        let Code::Call { target, .. } = code else {
            return false;
        };
        match read(h, target) {
            // Installing an object layer moves tokens between groups.
            Arg::Ready(Value::Site(s)) => !s.as_any().is::<InstallLayer>(),
            _ => false,
        }
    }

    /// Makes the call `code` at once if it is a call of a site, or of a
    /// site's method (`v.m(args)`, code `v.m >m> m(args)`, answered by
    /// [`Site::call_member`] without building the method), whose
    /// arguments are ready: its outcome ([`call_span`] gives the call's
    /// span, for an error). `None` when it is not such a call or must
    /// wait: it runs the general way (which, for a method, reads the
    /// member first, so that a missing one is an error before any wait).
    ///
    /// The outcome is handed on as the site wrote it, not repacked (with
    /// the span, say): copying a value just written, whose parts were
    /// stored separately, with wider loads waits for those stores, and
    /// that wait was a tenth of a channel message's time.
    pub(crate) fn call_now(&mut self, t: TokenRef, h: &mut Hot, code: &Code) -> Option<Outcome> {
        match code {
            // `site(e)` with `e` computed in place first (`Rwait(i % 500)`).
            Code::Pruning(call, slot, arg) => {
                if member_of_shape(call, *slot, arg) {
                    if let Some(outcome) = self.call_member_of(t, h, call, arg) {
                        return Some(outcome);
                    }
                }
                if !site_call_shape(h, call) {
                    return None;
                }
                let x = self.immediate_value(t, h, arg)?;
                super::operands::write(h, *slot, Binding::Value(x));
                self.call_now(t, h, call)
            }
            Code::Call { target, args, .. } => {
                let Arg::Ready(Value::Site(site)) = read(h, target) else {
                    return None;
                };
                if site.as_any().is::<InstallLayer>() {
                    return None;
                }
                if let [a, b] = &**args {
                    if let (Arg::Ready(Value::Int(x)), Arg::Ready(Value::Int(y))) =
                        (read(h, a), read(h, b))
                    {
                        if let Some(v) = site.call_ints(*x, *y) {
                            return Some(Outcome::Publish(v.into()));
                        }
                    }
                }
                // (The site and the operands are lent from the record and
                // the closure, which the call cannot touch: no clones.)
                let mut spill = None;
                let values = lend_values(h, args, &mut spill)?;
                Some(self.invoke(t, site, values))
            }
            Code::Sequential(field, method, call) => {
                let (
                    Code::Field {
                        target, name, hint, ..
                    },
                    Code::Call {
                        target: Operand::Slot(Slot::Local(callee)),
                        args,
                        ..
                    },
                ) = (&**field, &**call)
                else {
                    return None;
                };
                if callee != method
                    || args
                        .iter()
                        .any(|a| matches!(a, Operand::Slot(Slot::Local(s)) if s == method))
                {
                    return None;
                }
                let Arg::Ready(Value::Site(site)) = read(h, target) else {
                    return None;
                };
                let mut spill = None;
                let values = lend_values(h, args, &mut spill)?;
                self.guarded(t, Some(Outcome::Halt), |cx| {
                    site.call_member(name, hint, values, cx)
                })
            }
            _ => None,
        }
    }
}

impl Run {
    /// `r.name(args) <r< site(site_args)` (the `call` and `arg` of a
    /// pruning of [`member_of_shape`]: `a(i)?`, `a(i) := v`) as one call
    /// of the site, [`Site::call_member_of`], when every operand is ready
    /// and the site fuses the two: its outcome. `None` otherwise, with
    /// nothing done.
    pub(crate) fn call_member_of(
        &mut self,
        t: TokenRef,
        h: &Hot,
        call: &Code,
        arg: &Code,
    ) -> Option<Outcome> {
        let (
            Code::Sequential(field, _, method_call),
            Code::Call {
                target,
                args: site_args,
                ..
            },
        ) = (call, arg)
        else {
            return None;
        };
        let (Code::Field { name, .. }, Code::Call { args, .. }) = (&**field, &**method_call) else {
            return None;
        };
        let Arg::Ready(Value::Site(site)) = read(h, target) else {
            return None;
        };
        let (mut spill, mut member_spill) = (None, None);
        let site_args = lend_values(h, site_args, &mut spill)?;
        let args = lend_values(h, args, &mut member_spill)?;
        self.guarded(t, Some(Outcome::Halt), |cx| {
            site.call_member_of(site_args, name, args, cx)
        })
    }
}

/// Whether `call <slot< arg` is a method called on what a call publishes,
/// `r.name(args) <r< f(site_args)`, with `args` not reading `r` or the
/// method: how `a(i)?` and `a(i) := v` desugar. Only the shape is looked
/// at, not the operands.
pub(crate) fn member_of_shape(call: &Code, slot: u32, arg: &Code) -> bool {
    let (Code::Sequential(field, method, method_call), Code::Call { .. }) = (call, arg) else {
        return false;
    };
    match (&**field, &**method_call) {
        (
            Code::Field {
                target: Operand::Slot(Slot::Local(r)),
                ..
            },
            Code::Call {
                target: Operand::Slot(Slot::Local(m)),
                args,
                ..
            },
        ) => {
            *r == slot
                && m == method
                && !args.iter().any(
                    |a| matches!(a, Operand::Slot(Slot::Local(s)) if *s == slot || s == method),
                )
        }
        _ => false,
    }
}

/// The span of the call that [`Run::call_now`] makes for `code`.
pub(crate) fn call_span(code: &Code) -> Span {
    match code {
        Code::Call { span, .. } | Code::Field { span, .. } => *span,
        Code::Pruning(call, ..) | Code::Sequential(_, _, call) => call_span(call),
        // (Not a call `call_now` makes.)
        _ => Span::default(),
    }
}

/// A call in tail position (a loop) whose caller's record nobody else
/// holds: the callee's record, of `frame_size` slots, goes in its place
/// (the arguments read before any slot is written) and the token goes
/// on at `body`. `false`, with nothing done, for any other call.
#[inline(always)]
fn refill_for(h: &mut Hot, body: CodePtr, frame_size: u32, args: &[Operand]) -> bool {
    if h.seqs != 0 || !h.act.as_ref().is_some_and(|a| a.reusable_for(frame_size)) {
        return false;
    }
    // An argument in a slot of the record is moved out of it (every slot
    // is written again), unless another argument reads the same slot.
    let slot = |op: &Operand| match op {
        Operand::Slot(Slot::Local(i)) => Some(*i),
        _ => None,
    };
    let refilled = match args {
        [Operand::Slot(Slot::Local(i))] => match &mut h.act {
            Some(act) => {
                act.refill_from_slot(*i);
                true
            }
            None => false,
        },
        [a] => {
            let a = moved(h, a);
            refill(h, [a])
        }
        [a, b] if slot(a).is_none() || slot(a) != slot(b) => {
            let (a, b) = (moved(h, a), moved(h, b));
            refill(h, [a, b])
        }
        [a, b] => refill(h, [binding(h, a), binding(h, b)]),
        [a, b, c] => refill(h, [binding(h, a), binding(h, b), binding(h, c)]),
        _ => false,
    };
    if refilled {
        h.next = Next::Eval(body);
    }
    refilled
}

/// An operand as a binding, as [`binding`] reads it, but moved out of its
/// slot when it is one of the running record's, which must be held by
/// this token alone and be written again before it is read.
#[inline(always)]
fn moved(h: &mut Hot, op: &Operand) -> Binding {
    match (op, &mut h.act) {
        (Operand::Slot(Slot::Local(i)), Some(act)) => act.take(*i),
        _ => binding(h, op),
    }
}

/// The running record refilled with `args` (see [`ActRef::refill`]).
#[inline(always)]
fn refill<const N: usize>(h: &mut Hot, args: [Binding; N]) -> bool {
    match &mut h.act {
        Some(act) => {
            act.refill(args);
            true
        }
        None => false,
    }
}

/// Whether `code` is a call that [`Run::call_now`] makes when its
/// arguments are ready: of a site, or of a method of a site.
fn site_call_shape(h: &Hot, code: &Code) -> bool {
    let target = match code {
        Code::Call { target, .. } => target,
        Code::Sequential(field, _, call) => match (&**field, &**call) {
            (Code::Field { target, .. }, Code::Call { .. }) => target,
            _ => return false,
        },
        _ => return false,
    };
    matches!(read(h, target), Arg::Ready(Value::Site(_)))
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

/// What a site sees of the run during one call.
pub(crate) struct CallCx<'a> {
    pub(crate) run: &'a mut Run,
    pub(crate) token: TokenRef,
}

impl CallCx<'_> {
    /// The calling token now waits on `wait` (a site's timer or handle).
    #[inline(always)]
    fn record_wait(&mut self, wait: Wait) {
        let in_clock = self.run.clock_of(self.token).is_some();
        match self.run.tokens.get_mut(self.token) {
            // Out of any clock's scope nothing counts the token as it
            // waits: the wait is just recorded (the running token waited
            // on nothing).
            Some(tok) if !in_clock => tok.wait = wait,
            _ => drop(self.run.set_wait(self.token, wait)),
        }
    }

    fn begin_wait(&mut self) -> u32 {
        match self.run.tokens.get_mut(self.token) {
            Some(tok) => {
                tok.epoch = super::binder::next_epoch(tok.epoch);
                tok.epoch
            }
            None => 0,
        }
    }
}

/// A site's task with its allocations charged to its run, so that what it
/// reads (an HTTP body, a command's output) counts against the run's
/// memory limit. Past the limit the call fails at once: the run then
/// stops with [`RunOutcome::MemoryLimit`](super::RunOutcome::MemoryLimit).
struct Charged {
    account: Arc<super::memory::Account>,
    fut: BoxFuture,
}

impl std::future::Future for Charged {
    type Output = Outcome;
    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Outcome> {
        let polled = {
            let _charging = super::memory::Charging::new(&self.account);
            self.fut.as_mut().poll(cx)
        };
        if polled.is_pending() && self.account.over_limit() {
            return std::task::Poll::Ready(Outcome::Error(crate::value::site::SiteError::new(
                "the run's memory limit was reached",
            )));
        }
        polled
    }
}

impl CallContext for CallCx<'_> {
    fn now_ms(&self) -> u64 {
        self.run.clock.now_ms()
    }

    fn cycles(&mut self) -> Option<&mut crate::value::cycles::Registry> {
        Some(&mut self.run.cycles)
    }

    fn run_local(&mut self) -> Option<&mut crate::value::site::RunLocal> {
        Some(&mut self.run.locals)
    }

    fn call_in_place(&mut self, f: &Value, args: &[Value]) -> Option<Option<Value>> {
        self.run.call_in_place(self.token, f, args)
    }

    fn stopping(&mut self) -> bool {
        self.run.look();
        self.run.limit_hit.is_some()
    }

    fn sleep(&mut self, ms: u64) -> Outcome {
        let epoch = self.begin_wait();
        let key = self.run.start_timer(ms, Wake::token(self.token, epoch));
        self.record_wait(Wait::Timer(key));
        Outcome::Pending
    }

    fn defer(&mut self) -> CallHandle {
        let epoch = self.begin_wait();
        let spare = self.run.spare_handles.pop();
        let h = match spare.map(|h| h.renew(self.token, epoch)) {
            Some(Ok(h)) => h,
            _ => CallHandle::new(self.token, epoch, self.run.completions.clone()),
        };
        self.record_wait(Wait::Handle(h.clone()));
        h
    }

    fn spawn(&mut self, fut: BoxFuture) -> Outcome {
        let Ok(handle) = tokio::runtime::Handle::try_current() else {
            return Outcome::Error(crate::value::site::SiteError::new(
                "asynchronous sites need a tokio runtime",
            ));
        };
        let epoch = self.begin_wait();
        let completions = self.run.completions.clone();
        let token = self.token;
        let fut = Charged {
            account: self.run.account.clone(),
            fut,
        };
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
        self.run.print(text);
    }

    fn vawait(&mut self, time: Value) -> Outcome {
        let token = self.token;
        self.run.vawait(token, time)
    }

    fn vtime(&mut self) -> Option<Value> {
        let token = self.token;
        self.run.vtime(token)
    }

    fn complete(&mut self, h: &CallHandle, outcome: Outcome) {
        if !h.belongs_to(&self.run.completions) || h.token() == self.token {
            // Another run's call, or this very call (a site completing
            // the handle it just made): through the queue, once the
            // caller has parked.
            return h.complete(outcome);
        }
        // One of this run's calls: its token is ready now rather than
        // when the run next drains the queue (once nothing else is ready,
        // or after some turns); both are interleavings the program allows.
        if let Some((t, epoch)) = h.claim_local() {
            self.run.deliver(t, epoch, outcome);
        }
    }
}
