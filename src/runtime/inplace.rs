//! What a token evaluates in place, without starting a token: the right
//! side of a pruning or the left side of `>x>` when it answers at once.
//!
//! An *immediate expression* is built of constants, variables, `stop`,
//! conditionals, prunings, matches that need no site and calls of
//! immediate sites (`i % 2 = 0` is `=(y, 0) <y< %(i, 2)`); it publishes
//! at most one value and never waits. It runs in one pass as register
//! code ([`crate::value::flat`]; the run flattens each such expression
//! the first time it meets it, `super::shapes`), calls of closures whose
//! bodies are register code included, and is given up at the
//! first operand still pending, to be run with tokens from the start:
//! that is safe because immediate sites have no effect beyond their
//! result, and the errors met on the way are reported only if the whole
//! expression ran in place.
//! Member reads of ready values, the element reads of definitions whose
//! body is one `a(i)?`, and calls of closures whose body is an immediate
//! expression run in place too: such a body runs as the register code the
//! resolver made of it ([`crate::value::flat`]), and one of one or two
//! operators on ready integers (`lambda(x) = x % p /= 0`, as list
//! functions call them) is computed directly. A site may call such a
//! closure too (`filter`'s native work, [`Run::call_in_place`]). Other
//! calls of functional definitions run in the same token, under a light
//! frame (see [`super::light`]).

use super::act::ActRef;
use super::engine::Run;
use super::matching::match_value;
use super::operands::{fetch, field, int_call, int_result, read, Arg, Fetch, Values};
use super::token::Hot;
use crate::diagnostics::Span;
use crate::value::closure::Closure;
use crate::value::code::{Code, Operand, Pat, Slot};
use crate::value::env::{Binding, Read};
use crate::value::flat::{Flat, Op, Registers, Src, MAX_REGISTERS};
use crate::value::handles::TokenRef;
use crate::value::site::{if_condition_error, IntResult, Outcome, Site};
use crate::value::Value;
use smallvec::SmallVec;
use std::sync::Arc;

/// What became of a pruned expression tried in place. (Small, so that it
/// comes back in a register: the binding itself goes straight into its
/// slot.)
pub(crate) enum Inline {
    /// It was evaluated: the pruning's slot holds its binding.
    Bound,
    /// A call of a functional definition: this token runs it first, under
    /// a light frame (see [`super::light`]).
    Light,
    /// The same, where the right side (or, with its argument bound in
    /// place, the right side's left side) is this call node.
    LightCall(crate::value::code::CodePtr),
    /// Not bound: the pruning is a method called on what an immediate
    /// site's call publishes (`a(i)?`, [`super::call::member_of_shape`]),
    /// which may be made one call ([`Run::call_member_of`]).
    MemberOf,
    /// It needs a token of its own.
    No,
}

impl Run {
    /// `v.name` evaluated in place when `v` is a value other than an object
    /// (whose members may still be computing): a site's method, a record's
    /// field, a string's method. `None`: it needs the general path;
    /// `Some(None)`: it halted (an error is reported).
    pub(crate) fn try_inline_field(
        &mut self,
        h: &Hot,
        target: &Operand,
        name: &str,
        span: Span,
    ) -> Option<Option<Value>> {
        let member = match read(h, target) {
            Arg::Ready(Value::Object(_)) | Arg::Pending(_) | Arg::Sibling(_) => return None,
            Arg::Ready(v) => field(v, name, &self.members),
            Arg::Halted => return Some(None),
        };
        Some(match member {
            Ok(v) => Some(v),
            Err(message) => {
                self.report(message, Some(span));
                None
            }
        })
    }

    /// `f <x< right` where `right` answers at once: evaluated in place, x
    /// is bound (or halted) before `f` starts, which is one of the
    /// interleavings the combinator allows.
    #[inline(always)]
    pub(crate) fn try_inline_pruning(
        &mut self,
        t: TokenRef,
        h: &mut Hot,
        left: &Code,
        right: &Code,
        slot: u32,
    ) -> Inline {
        // An operator on two integers (`i + 1`, `n <: 2`), the commonest
        // right side, first, inline: no clone of the site (two atomic
        // operations), none of the other shapes' tests, and none of the
        // saving of registers the general case's large body costs.
        if let Code::Call {
            target: Operand::Const(Value::Site(s)),
            args,
            ..
        } = right
        {
            if let [a, b] = &**args {
                if let (Arg::Ready(Value::Int(x)), Arg::Ready(Value::Int(y))) =
                    (read(h, a), read(h, b))
                {
                    if let Some(v) = s.call_ints(*x, *y) {
                        if let Some(act) = &mut h.act {
                            act.set_int(slot, v);
                        }
                        return Inline::Bound;
                    }
                }
            }
        }
        // A call of a sibling definition (recursion) whose argument is
        // such an operator (`fib(n - 1)`): the argument bound at once, and
        // the call made light when the definition is functional.
        if let Code::Pruning(call, inner, arg) = right {
            if let (
                Code::Call {
                    target: Operand::Slot(Slot::Sibling(i)),
                    args,
                    ..
                },
                Some(ctx),
            ) = (&**call, &h.ctx)
            {
                let def = &ctx.group.defs[*i as usize];
                // (A body of register code is run in place instead, below.)
                if def.shape.functional
                    && def.flat.is_none()
                    && !def.shape.element_read
                    && def.arity == args.len()
                    && !def.site
                    && !def.lenient
                    && ctx.settled()
                {
                    if let Some(v) = int_result(arg, |op| ready_int(h, op)) {
                        if let Some(act) = &mut h.act {
                            act.set_int(*inner, v);
                        }
                        return Inline::LightCall(crate::value::code::CodePtr::new(call));
                    }
                }
            }
        }
        self.inline_pruning(t, h, left, right, slot)
    }

    /// [`Run::try_inline_pruning`] for the other right sides.
    fn inline_pruning(
        &mut self,
        t: TokenRef,
        h: &mut Hot,
        left: &Code,
        right: &Code,
        slot: u32,
    ) -> Inline {
        let bound = |h: &mut Hot, b: Binding| {
            super::operands::write(h, slot, b);
            Inline::Bound
        };
        // `f <x< g(e)`: a call that runs in place, with its argument
        // computed in place first (`ring((i + 1) % n)`).
        if let Code::Pruning(call, inner, arg) = right {
            if let Code::Call { target, .. } = &**call {
                let in_place = match read(h, target) {
                    Arg::Ready(Value::Site(s)) => s.is_immediate(),
                    Arg::Ready(Value::Closure(_)) | Arg::Sibling(_) => true,
                    _ => false,
                };
                if in_place {
                    if let Some(v) = self.immediate_value(t, h, arg) {
                        super::operands::write(h, *inner, Binding::Value(v));
                        return self.try_inline_pruning(t, h, left, call, slot);
                    }
                }
            }
        }
        if let Some(member) = self.inline_member(h, right) {
            return bound(h, member);
        }
        let Code::Call { target, args, span } = right else {
            if let Code::Field {
                target, name, span, ..
            } = right
            {
                return match self.try_inline_field(h, target, name, *span) {
                    Some(Some(v)) => bound(h, Binding::Value(v)),
                    Some(None) => bound(h, crate::value::env::halted()),
                    None => Inline::No,
                };
            }
            return match self.try_immediate(t, h, right) {
                Some(binding) => bound(h, binding),
                None => Inline::No,
            };
        };
        let called = match read(h, target) {
            Arg::Ready(Value::Site(_)) if super::call::member_of_shape(left, slot, right) => {
                return Inline::MemberOf;
            }
            Arg::Ready(Value::Site(s)) if s.is_immediate() => Err(s.clone()),
            Arg::Ready(Value::Closure(c)) => {
                // An element read (`ring(i)`) written straight into the
                // slot: passed back through `inline_call`'s answer too, it
                // was copied once more, with loads that waited for the
                // stores of the copy before.
                if let Some(element) = self.read_in_place(h, c, args) {
                    super::operands::write_in_line(h, slot, element);
                    return Inline::Bound;
                }
                Ok(self.inline_call(t, h, c, right, args))
            }
            Arg::Sibling(i) => match &h.ctx {
                Some(ctx) => {
                    let c = Closure::new(ctx.clone(), i);
                    if let Some(element) = self.read_in_place(h, &c, args) {
                        super::operands::write_in_line(h, slot, element);
                        return Inline::Bound;
                    }
                    Ok(self.inline_call(t, h, &c, right, args))
                }
                None => return Inline::No,
            },
            _ => return Inline::No,
        };
        let site = match called {
            Ok(Ok(binding)) => return bound(h, binding),
            Ok(Err(inline)) => return inline,
            Err(site) => site,
        };
        match self.call_immediate(t, h, &site, args, *span) {
            Some(binding) => bound(h, binding),
            None => Inline::No,
        }
    }

    /// A call of a definition on the right of a pruning: its element read
    /// at once, or its value computed in place (`Ok`, for the pruning's
    /// slot), or else run first by this token under a light frame when
    /// the definition is functional. (The closure and the token's state
    /// are borrowed, the slot written by the caller once they are no
    /// longer: a clone of the closure, two atomic operations, had been a
    /// fifth of the call.)
    fn inline_call(
        &mut self,
        t: TokenRef,
        h: &Hot,
        c: &Closure,
        call: &Code,
        args: &[Operand],
    ) -> Result<Binding, Inline> {
        let def = c.def();
        if def.arity != args.len() || def.site || def.lenient {
            return Err(Inline::No);
        }
        if let Some(v) = c.int_call(args.len(), |k| ready_int(h, &args[k])) {
            return Ok(Binding::Value(v));
        }
        if let Some(flat) = &def.flat {
            if let Some(result) = self.call_flat(t, h, c, flat, args) {
                return Ok(result);
            }
        }
        Err(if !def.shape.functional {
            Inline::No
        } else if c.has_pending_captures() {
            // (The call waits: made real at once.)
            Inline::Light
        } else {
            Inline::LightCall(crate::value::code::CodePtr::new(call))
        })
    }

    /// A call of the closure `c`, whose body is immediate (`flat`), with
    /// `args` (operands of the running body), computed in place: its
    /// value or halted. `None` (before anything is done) where an argument
    /// or a captured variable is still pending, or a closure whose own
    /// captures are: the call is then made the usual way.
    fn call_flat(
        &mut self,
        t: TokenRef,
        h: &Hot,
        c: &Closure,
        flat: &Flat,
        args: &[Operand],
    ) -> Option<Binding> {
        if c.has_pending_captures() {
            return None;
        }
        let fill = |regs: &mut [Option<Value>]| {
            for (reg, a) in regs.iter_mut().zip(args) {
                *reg = match read(h, a) {
                    Arg::Ready(v) => Some(ready_value(v)?),
                    Arg::Halted => None,
                    Arg::Pending(_) | Arg::Sibling(_) => return None,
                };
            }
            Some(())
        };
        Some(
            match self.run_flat_reporting(t, FlatEnv::of(c), flat, fill)? {
                Some(v) => Binding::Value(v),
                None => crate::value::env::halted(),
            },
        )
    }

    /// A call of the closure `f` with `args`, made by a site
    /// ([`crate::value::site::SiteCx::call_in_place`]): computed in place
    /// as [`Run::call_flat`] computes it, when `f` is a closure whose body
    /// is immediate, whose captures are settled, and no argument is a
    /// closure still waiting for its own: `Some` of its value, or of
    /// `None` if it halted (an error is reported). `None`, with nothing
    /// done, for any other callee.
    pub(crate) fn call_in_place(
        &mut self,
        t: TokenRef,
        f: &Value,
        args: &[Value],
    ) -> Option<Option<Value>> {
        let Value::Closure(c) = f else {
            return None;
        };
        let def = c.def();
        if def.arity != args.len() || def.site || def.lenient || c.has_pending_captures() {
            return None;
        }
        let flat = def.flat.as_ref()?;
        let int = |k: usize| match args.get(k) {
            Some(Value::Int(i)) => Some(*i),
            _ => None,
        };
        if let Some(v) = c.int_call(args.len(), int) {
            return Some(Some(v));
        }
        let fill = |regs: &mut [Option<Value>]| {
            for (reg, v) in regs.iter_mut().zip(args) {
                *reg = Some(ready_value(v)?);
            }
            Some(())
        };
        self.run_flat_reporting(t, FlatEnv::of(c), flat, fill)
    }

    /// Runs the register code `flat` over registers whose first ones
    /// `fill` sets (a closure's arguments), reading captured variables and
    /// the record around it from `env`: the value, or `None` inside if it
    /// halted, and the errors met (reported by the caller, once it has
    /// run). `None` where `fill` gives up, or the code meets a variable
    /// still pending. (The registers are the run's, lent for the call and
    /// given back empty: one set for an expression, one more for a closure
    /// it calls.)
    fn run_flat(
        &mut self,
        t: TokenRef,
        env: FlatEnv<'_>,
        flat: &Flat,
        fill: impl FnOnce(&mut [Option<Value>]) -> Option<()>,
    ) -> Option<(Option<Value>, Errors)> {
        // (A spare set is all empty.)
        let mut regs = self
            .flat_registers
            .pop()
            .unwrap_or_else(|| Box::new(std::array::from_fn(|_| None)));
        let n = (flat.regs as usize).min(MAX_REGISTERS);
        let result = fill(&mut regs[..n]).and_then(|()| self.exec_flat(t, env, flat, &mut regs));
        for r in regs[..n].iter_mut() {
            match r {
                None => {}
                // (Nothing to drop: no call of the general drop.)
                Some(Value::Int(_) | Value::Bool(_)) => std::mem::forget(r.take()),
                Some(_) => *r = None,
            }
        }
        self.flat_registers.push(regs);
        result
    }

    /// [`Run::run_flat`] over registers set.
    fn exec_flat(
        &mut self,
        t: TokenRef,
        env: FlatEnv<'_>,
        flat: &Flat,
        regs: &mut Registers,
    ) -> Option<(Option<Value>, Errors)> {
        let mut errors = Errors::new();
        let mut pc = 0;
        while let Some(op) = flat.ops.get(pc) {
            pc += 1;
            match op {
                Op::Move { src, dst } => {
                    let v = flat_read(regs, env, src)?.cloned();
                    regs[reg(*dst)] = v;
                }
                Op::Halt { dst } => regs[reg(*dst)] = None,
                Op::Binary {
                    site: Value::Site(site),
                    a,
                    b,
                    dst,
                    span,
                    ints,
                    bools,
                } => {
                    // Operators on machine integers and on booleans (the
                    // commonest ops) first, their results written straight
                    // into the register.
                    // (Each result is written into its register where it is
                    // made: joined in one `match` first, it went through the
                    // stack in pieces and was read back whole, a
                    // store-forwarding stall.)
                    let (a, b) = (flat_read(regs, env, a)?, flat_read(regs, env, b)?);
                    match (a, b) {
                        (Some(Value::Int(x)), Some(Value::Int(y))) => {
                            match ints.and_then(|op| op.apply(*x, *y)) {
                                Some(IntResult::Int(r)) => {
                                    regs[reg(*dst)] = Some(Value::Int(r));
                                    continue;
                                }
                                Some(IntResult::Bool(r)) => {
                                    regs[reg(*dst)] = Some(Value::Bool(r));
                                    continue;
                                }
                                None => {}
                            }
                        }
                        (Some(Value::Bool(x)), Some(Value::Bool(y))) => {
                            if let Some(r) = bools.map(|op| op.apply(*x, *y)) {
                                regs[reg(*dst)] = Some(Value::Bool(r));
                                continue;
                            }
                        }
                        _ => {}
                    }
                    let v = self.flat_call(t, site, &[a, b], *span, &mut errors);
                    regs[reg(*dst)] = v;
                }
                Op::Call {
                    site: Value::Site(site),
                    args,
                    dst,
                    span,
                } => {
                    let values = args
                        .iter()
                        .map(|a| flat_read(regs, env, a))
                        .collect::<Option<SmallVec<[_; 4]>>>()?;
                    let v = self.flat_call(t, site, &values, *span, &mut errors);
                    drop(values);
                    regs[reg(*dst)] = v;
                }
                Op::Branch {
                    cond,
                    otherwise,
                    end,
                    dst,
                    span,
                } => match flat_read(regs, env, cond)? {
                    Some(Value::Bool(true)) => {}
                    Some(Value::Bool(false)) => pc = *otherwise as usize,
                    other => {
                        if let Some(v) = other {
                            errors.push((if_condition_error(v), *span));
                        }
                        regs[reg(*dst)] = None;
                        pc = *end as usize;
                    }
                },
                Op::Match {
                    scrutinees,
                    patterns,
                    first,
                    otherwise,
                    end,
                    dst,
                } => {
                    let inputs = scrutinees.iter().map(|s| flat_read(regs, env, s));
                    let inputs: SmallVec<[Option<&Value>; 4]> = inputs.collect::<Option<_>>()?;
                    let each = inputs.iter().zip(patterns.iter());
                    if each.clone().any(|(v, p)| v.is_none() && p.is_strict()) {
                        // As a token halts waiting for a halted scrutinee.
                        drop(inputs);
                        regs[reg(*dst)] = None;
                        pc = *end as usize;
                        continue;
                    }
                    let mut bound: SmallVec<[Option<Value>; 8]> = SmallVec::new();
                    let mut taken = std::mem::take(&mut self.match_scratch);
                    let mut matched = true;
                    for (v, p) in each {
                        let Some(v) = v else {
                            // (A variable or wildcard: it binds the halt.)
                            if let Pat::Bind = p {
                                bound.push(None);
                            }
                            continue;
                        };
                        // Variables, and tuples of variables (`(x, y)`), the
                        // commonest patterns, bound without the general
                        // matching's list of bindings.
                        match (p, v) {
                            (Pat::Wildcard, _) => continue,
                            (Pat::Bind, v) => {
                                bound.push(Some(ready_value(v)?));
                                continue;
                            }
                            (Pat::Tuple(ps), Value::Tuple(items))
                                if ps.iter().all(|p| matches!(p, Pat::Bind | Pat::Wildcard)) =>
                            {
                                if ps.len() != items.len() {
                                    matched = false;
                                    break;
                                }
                                for (p, item) in ps.iter().zip(items.iter()) {
                                    if let Pat::Bind = p {
                                        bound.push(Some(ready_value(item)?));
                                    }
                                }
                                continue;
                            }
                            _ => {}
                        }
                        taken.clear();
                        if !match_value(p, v, &mut taken, &|_| None).ok()? {
                            matched = false;
                            break;
                        }
                        for b in taken.drain(..) {
                            bound.push(Some(ready_binding(b)?));
                        }
                    }
                    self.match_scratch = taken;
                    drop(inputs);
                    if matched {
                        for (k, v) in bound.into_iter().enumerate() {
                            regs[reg(*first + k as u32)] = v;
                        }
                    } else {
                        pc = *otherwise as usize;
                    }
                }
                Op::CallFlat { callee, args, dst } => {
                    let Some(Value::Closure(c)) = flat_read(regs, env, callee)? else {
                        return None;
                    };
                    let def = c.def();
                    if def.arity != args.len()
                        || def.site
                        || def.lenient
                        || c.has_pending_captures()
                    {
                        return None;
                    }
                    let body = def.flat.as_ref()?;
                    let fill = |callee_regs: &mut [Option<Value>]| {
                        for (reg, a) in callee_regs.iter_mut().zip(args.iter()) {
                            *reg = flat_read(regs, env, a)?.cloned();
                        }
                        Some(())
                    };
                    let (v, callee_errors) = self.run_flat(t, FlatEnv::of(c), body, fill)?;
                    errors.extend(callee_errors);
                    regs[reg(*dst)] = v;
                }
                Op::Read {
                    target,
                    args,
                    dst,
                    span,
                } => {
                    regs[reg(*dst)] = read_now(regs, env, target, args, *span, &mut errors)?;
                }
                Op::Jump(to) => pc = *to as usize,
                // (Flattening makes calls of sites only.)
                Op::Call { .. } | Op::Binary { .. } => return None,
            }
        }
        Some((regs[reg(flat.result)].take(), errors))
    }

    /// A call of an immediate site from register code, with its
    /// arguments (`None`: halted, and so is the call): what it publishes,
    /// or `None` with its error added to `errors`.
    fn flat_call(
        &mut self,
        t: TokenRef,
        site: &Arc<dyn Site>,
        args: &[Option<&Value>],
        span: Span,
        errors: &mut Errors,
    ) -> Option<Value> {
        let values = args
            .iter()
            .map(|a| a.cloned())
            .collect::<Option<Values>>()?;
        match self.call_values(t, site, &values) {
            Ok(v) => v,
            Err(message) => {
                errors.push((message, span));
                None
            }
        }
    }

    /// [`Run::run_flat`], with the errors reported.
    fn run_flat_reporting(
        &mut self,
        t: TokenRef,
        env: FlatEnv<'_>,
        flat: &Flat,
        fill: impl FnOnce(&mut [Option<Value>]) -> Option<()>,
    ) -> Option<Option<Value>> {
        let (result, errors) = self.run_flat(t, env, flat, fill)?;
        self.report_all(errors);
        Some(result)
    }

    fn report_all(&mut self, errors: Errors) {
        for (message, span) in errors {
            self.report(message, Some(span));
        }
    }

    /// A call of a definition whose body is one read `a(i)?` (as the
    /// lookup `Table` makes: `lambda(i) = cells(i)?`), with its operands
    /// ready: the element, read at once where the site can
    /// ([`Site::peek_read`]), as direct evaluation would read it but
    /// without setting one up. `None` for any other body, an operand not
    /// ready, or a site that cannot answer so: the call goes the usual way.
    #[inline(always)]
    fn read_in_place(&mut self, h: &Hot, c: &Closure, args: &[Operand]) -> Option<Binding> {
        let def = c.def();
        if !def.shape.element_read || def.arity != args.len() || def.site || def.lenient {
            return None;
        }
        let Code::Pruning(_, _, right) = &*c.def().body else {
            return None;
        };
        let Code::Call {
            target,
            args: indices,
            span,
        } = &**right
        else {
            return None;
        };
        // (The operands are lent, not cloned: the array is reference
        // counted with atomics.)
        let value = |op| lent_operand(h, c, args, op);
        let Value::Site(site) = value(target)? else {
            return None;
        };
        // (One index, the usual case, without building a vector.)
        let many: Values;
        let indices: &[Value] = match &**indices {
            [i] => std::slice::from_ref(value(i)?),
            _ => {
                many = indices
                    .iter()
                    .map(|i| value(i).cloned())
                    .collect::<Option<_>>()?;
                &many
            }
        };
        Some(match site.peek_read(indices)? {
            Outcome::Publish(v) => Binding::Value(v),
            Outcome::Pending => return None,
            Outcome::Error(e) => {
                self.report(e.to_string(), Some(*span));
                crate::value::env::halted()
            }
            Outcome::Halt => crate::value::env::halted(),
        })
    }

    /// Calls an immediate site in place: the result, or `None` when an
    /// operand is not ready. (The caller has tried the integer shortcut.)
    fn call_immediate(
        &mut self,
        t: TokenRef,
        h: &Hot,
        site: &Arc<dyn Site>,
        args: &[Operand],
        span: Span,
    ) -> Option<Binding> {
        let Fetch::Ready(values) = fetch(h, args.iter()) else {
            return None;
        };
        Some(match self.call_values(t, site, &values) {
            Ok(result) => crate::value::env::bind(result),
            Err(message) => {
                self.report(message, Some(span));
                crate::value::env::halted()
            }
        })
    }

    /// Calls an immediate site with its operands' values: what it
    /// published (`None`: it halted), or its error message.
    pub(crate) fn call_values(
        &mut self,
        t: TokenRef,
        site: &Arc<dyn Site>,
        values: &[Value],
    ) -> Result<Option<Value>, String> {
        if let [Value::Int(a), Value::Int(b)] = values {
            if let Some(v) = site.call_ints(*a, *b) {
                return Ok(Some(v.into()));
            }
        }
        match self.invoke(t, site, values) {
            Outcome::Publish(v) => Ok(Some(v)),
            Outcome::Error(e) => Err(e.to_string()),
            Outcome::Halt | Outcome::Pending => Ok(None),
        }
    }

    /// Runs `code` in place if it is an immediate expression (see the
    /// module doc): its value, halted, or `None` as soon as it meets
    /// anything else (an operand still pending, a call of another kind).
    pub(crate) fn try_immediate(&mut self, t: TokenRef, h: &Hot, code: &Code) -> Option<Binding> {
        if let Code::Pruning(left, slot, test) = code {
            if let Code::If { .. } = &**left {
                if let Some(v) = int_if(h, left, *slot, test) {
                    return Some(Binding::Value(v));
                }
            }
        }
        let (result, errors) = self.run_immediate(t, h, code)?;
        self.report_all(errors);
        Some(crate::value::env::bind(result))
    }

    /// The value of an immediate expression that runs in place without
    /// errors and publishes (`None` otherwise, with nothing reported: it is
    /// then run the general way).
    pub(crate) fn immediate_value(&mut self, t: TokenRef, h: &Hot, code: &Code) -> Option<Value> {
        // The common cases first: one operator on machine integers, then
        // nested ones (each begins with an operator: looked at first, so
        // that any other expression, `a(j)?`, skips them at once).
        if begins_with_operator(code) {
            if let Some(v) = int_call(code, |op| ready_int(h, op)) {
                return Some(v);
            }
            if let Some(v) = int_expression(code, |op| ready_int(h, op)) {
                return Some(v);
            }
            if let Code::Pruning(left, slot, test) = code {
                if let Some(v) = int_if(h, left, *slot, test) {
                    return Some(v);
                }
            }
        }
        match self.run_immediate(t, h, code)? {
            (Some(v), errors) if errors.is_empty() => Some(v),
            _ => None,
        }
    }

    /// Runs an immediate expression of the running body as the register
    /// code the run made of it: its value (`None`: halted) and the errors
    /// it met.
    fn run_immediate(
        &mut self,
        t: TokenRef,
        h: &Hot,
        code: &Code,
    ) -> Option<(Option<Value>, Errors)> {
        // (Lent for the run's life: used only during this call.)
        let flat = self.shapes.flat(code)?;
        let env = FlatEnv {
            captured: h.ctx.as_ref().map_or(&[], |c| &c.captured[..]),
            record: h.act.as_ref(),
        };
        // One element read alone (`a(j)?`, the argument of `a(j)? <:
        // pivot`): made at once, with no registers lent and no loop.
        if let [Op::Read {
            target,
            args,
            dst,
            span,
        }] = &*flat.ops
        {
            if *dst == flat.result {
                static NONE: Registers = [const { None }; MAX_REGISTERS];
                let mut errors = Errors::new();
                let v = read_now(&NONE, env, target, args, *span, &mut errors)?;
                return Some((v, errors));
            }
        }
        self.run_flat(t, env, flat, |_| Some(()))
    }
}

/// The value of `if test then a else b` (`If <c< test`) where the test is
/// an integer comparison as [`int_expression`] computes it (`i % 2 = 0`)
/// and the branch taken is a constant or one integer operator: the
/// commonest conditional in a loop's body, without the general machinery
/// of immediate expressions. `None` for any other shape or operand, as
/// for [`int_expression`].
#[inline(never)]
fn int_if(h: &Hot, left: &Code, slot: u32, test: &Code) -> Option<Value> {
    let Code::If {
        cond: Operand::Slot(Slot::Local(c)),
        then,
        otherwise,
        ..
    } = left
    else {
        return None;
    };
    // Both branches looked at before the test is computed: a conditional
    // whose other branch does more (`if k = 0 then "done" else ..`) is not
    // worth the test's work twice.
    let simple = |b: &Code| {
        matches!(
            b,
            Code::Const(_)
                | Code::Call {
                    target: Operand::Const(Value::Site(_)),
                    ..
                }
        )
    };
    if *c != slot || !simple(then) || !simple(otherwise) {
        return None;
    }
    let outcome = match test {
        Code::Call { .. } => int_call(test, |op| ready_int(h, op))?,
        _ => int_expression(test, |op| ready_int(h, op))?,
    };
    let branch = match outcome {
        Value::Bool(true) => then,
        Value::Bool(false) => otherwise,
        _ => return None,
    };
    match &**branch {
        Code::Const(v) => Some(v.clone()),
        // The test's value is only in the slot the branch does not read
        // (a branch that read it would not be one operator on ready
        // integers: `ready_int` reads the token's slots).
        Code::Call { .. } => int_call(branch, |op| match op {
            Operand::Slot(Slot::Local(i)) if *i == slot => None,
            op => ready_int(h, op),
        }),
        _ => None,
    }
}

/// Whether the first thing `code` computes (the innermost right side of
/// its prunings) is a call of a site with two operands, as in every
/// expression the integer shortcuts take.
fn begins_with_operator(code: &Code) -> bool {
    let mut code = code;
    while let Code::Pruning(_, _, right) = code {
        code = right;
    }
    matches!(code, Code::Call { target: Operand::Const(Value::Site(_)), args, .. } if args.len() == 2)
}

/// An operand of the body of `c` called with `args`: a parameter (the
/// call's operand), a capture or a constant, if it is a value now.
fn lent_operand<'a>(
    h: &'a Hot,
    c: &'a Closure,
    args: &'a [Operand],
    op: &'a Operand,
) -> Option<&'a Value> {
    let b = match op {
        Operand::Const(v) => return Some(v),
        Operand::Slot(Slot::Local(k)) => {
            return match read(h, args.get(*k as usize)?) {
                Arg::Ready(v) => Some(v),
                _ => None,
            };
        }
        Operand::Slot(Slot::Capture(k)) => c.instance.captured.get(*k as usize)?,
        Operand::Slot(Slot::Sibling(_)) => return None,
    };
    match b.read() {
        Read::Ready(v) => Some(v),
        _ => None,
    }
}

/// Integer operators nested at most this deep are computed by
/// [`int_expression`].
const INT_NESTING: usize = 4;

/// The value of an expression made only of operators on machine integers,
/// nested by prunings (`(i + 1) % n` is `%(t, n) <t< +(i, 1)`), computed
/// without the general machinery of immediate expressions (no look at the
/// whole shape first, no scope, no error list). `None` for any other
/// shape, an operand that is not a ready machine integer, and an
/// operation the integer shortcut does not take (overflow, division by
/// zero): the general way then gives the same value or error.
fn int_expression<F>(code: &Code, int: F) -> Option<Value>
where
    F: Fn(&Operand) -> Option<i64> + Copy,
{
    let Code::Pruning(left, slot, right) = code else {
        // A single operator: `int_call`.
        return None;
    };
    if let (Code::Call { .. }, Code::Call { .. }) = (&**left, &**right) {
        // One operator applied to another's result, the commonest nesting
        // (`(i + 1) % n`): with no list of inner results.
        let IntResult::Int(v) = int_result(right, int)? else {
            return None;
        };
        return int_call(left, |op| match op {
            Operand::Slot(Slot::Local(i)) if i == slot => Some(v),
            op => int(op),
        });
    }
    let mut inner: SmallVec<[(u32, i64); INT_NESTING]> = SmallVec::new();
    int_tree(code, int, &mut inner, 2 * INT_NESTING)
}

/// [`int_expression`] of a tree of at most `depth` levels (prunings nest
/// down their right sides too, as deep as the program).
fn int_tree<F>(
    code: &Code,
    int: F,
    inner: &mut SmallVec<[(u32, i64); INT_NESTING]>,
    depth: usize,
) -> Option<Value>
where
    F: Fn(&Operand) -> Option<i64> + Copy,
{
    match code {
        Code::Call { .. } => int_call(code, |op| int_operand(int, op, inner)),
        Code::Pruning(left, slot, right) if inner.len() < INT_NESTING && depth > 0 => {
            let Value::Int(v) = int_tree(right, int, inner, depth - 1)? else {
                return None;
            };
            inner.push((*slot, v));
            let result = int_tree(left, int, inner, depth - 1);
            inner.pop();
            result
        }
        _ => None,
    }
}

/// An operand of [`int_tree`] that is a machine integer: one of the
/// expression's own prunings (innermost last), or as `int` reads it.
fn int_operand(
    int: impl Fn(&Operand) -> Option<i64>,
    op: &Operand,
    inner: &[(u32, i64)],
) -> Option<i64> {
    if let Operand::Slot(Slot::Local(i)) = op {
        if let Some((_, v)) = inner.iter().rev().find(|(s, _)| s == i) {
            return Some(*v);
        }
    }
    int(op)
}

/// The errors an expression run in place met, with where.
type Errors = Vec<(String, Span)>;

/// What register code reads besides its registers: the captured
/// variables of the closure it runs in, and the record around it (for an
/// expression flattened on its own).
#[derive(Clone, Copy)]
struct FlatEnv<'a> {
    captured: &'a [Binding],
    record: Option<&'a ActRef>,
}

impl<'a> FlatEnv<'a> {
    /// A call of the body of `c`.
    fn of(c: &'a Closure) -> FlatEnv<'a> {
        FlatEnv {
            captured: &c.instance.captured,
            record: None,
        }
    }
}

/// What [`Op::Read`] (`a(i)?` at once) gives: the element, or `None` if
/// the read halted (its error added to `errors`). The outer `None` where
/// it cannot answer now (an operand still pending, a read that would
/// wait): the code is then given up.
#[inline(always)]
fn read_now(
    regs: &Registers,
    env: FlatEnv<'_>,
    target: &Src,
    args: &[Src],
    span: Span,
    errors: &mut Errors,
) -> Option<Option<Value>> {
    let Some(Value::Site(site)) = flat_read(regs, env, target)? else {
        return None;
    };
    // (One index, the usual case, lent where it is: no vector made, no
    // clone.)
    let outcome = match args {
        [i] => match flat_read(regs, env, i)? {
            None => None,
            Some(i) => Some(site.peek_read(std::slice::from_ref(i))?),
        },
        _ => match flat_values(regs, env, args)? {
            None => None,
            Some(values) => Some(site.peek_read(&values)?),
        },
    };
    Some(match outcome {
        None | Some(Outcome::Halt) => None,
        Some(Outcome::Publish(v)) => Some(v),
        Some(Outcome::Error(e)) => {
            errors.push((e.to_string(), span));
            None
        }
        Some(Outcome::Pending) => return None,
    })
}

/// Register `i`'s index. (Flattening gives out fewer than
/// [`MAX_REGISTERS`]; the modulo, a mask, stands in for a bounds check.)
#[inline(always)]
fn reg(i: u32) -> usize {
    i as usize % MAX_REGISTERS
}

/// What `src` holds in register code (`Some(None)`: halted); `None` for a
/// variable still pending, or a closure whose captures are: the code is
/// then given up, to run the general way.
#[inline(always)]
fn flat_read<'a>(regs: &'a Registers, env: FlatEnv<'a>, src: &'a Src) -> Option<Option<&'a Value>> {
    let b = match src {
        Src::Reg(i) => return Some(regs[reg(*i)].as_ref()),
        Src::Const(v) => return Some(Some(v)),
        Src::Capture(i) => env.captured.get(*i as usize)?,
        Src::Outer(i) => env.record?.get(*i)?,
    };
    match b.read() {
        Read::Ready(Value::Closure(c)) if c.has_pending_captures() => None,
        Read::Ready(v) => Some(Some(v)),
        Read::Halted => Some(None),
        Read::Pending(_) => None,
    }
}

/// The values of `args` in register code (`Some(None)`: one is halted, as
/// a call with it halts); `None` where [`flat_read`] gives up.
#[inline(always)]
fn flat_values(regs: &Registers, env: FlatEnv<'_>, args: &[Src]) -> Option<Option<Values>> {
    let mut values = Values::new();
    let mut halted = false;
    for a in args {
        match flat_read(regs, env, a)? {
            Some(v) => values.push(v.clone()),
            None => halted = true,
        }
    }
    Some((!halted).then_some(values))
}

/// An operand of the running body that is a ready machine integer.
#[inline(always)]
fn ready_int(h: &Hot, op: &Operand) -> Option<i64> {
    match read(h, op) {
        Arg::Ready(Value::Int(x)) => Some(*x),
        _ => None,
    }
}

/// The value a match bound, if an immediate expression may use it now
/// (see [`ready_value`]).
fn ready_binding(b: Binding) -> Option<Value> {
    match b {
        Binding::Value(Value::Closure(c)) if c.has_pending_captures() => None,
        Binding::Value(v) => Some(v),
        Binding::Future(_) => None,
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
