//! What a token evaluates in place, without starting a token: the right
//! side of a pruning or the left side of `>x>` when it answers at once.
//!
//! An *immediate expression* is built of constants, variables, `stop`,
//! conditionals, prunings and calls of immediate sites (`i % 2 = 0` is
//! `=(y, 0) <y< %(i, 2)`); it publishes at most one value and never
//! waits. It is run in one pass, and given up at the first operand still
//! pending, to be run with tokens from the start: that is safe because
//! immediate sites have no effect beyond their result, and the errors met
//! on the way are reported only if the whole expression ran in place.
//! Member reads of ready values, the element reads of definitions whose
//! body is one `a(i)?`, and calls of closures whose body is an immediate
//! expression run in place too: such a body runs as the register code the
//! resolver made of it ([`crate::value::flat`]), and one of one or two
//! operators on ready integers (`lambda(x) = x % p /= 0`, as list
//! functions call them) is computed directly. A site may call such a
//! closure too (`filter`'s native work, [`Run::call_in_place`]). Other
//! calls of functional definitions run in the same token, under a light
//! frame (see [`super::light`]).

use super::engine::Run;
use super::operands::{fetch, field, int_call, int_result, read, Arg, Fetch, Values};
use super::token::Hot;
use crate::diagnostics::Span;
use crate::value::closure::Closure;
use crate::value::code::{Code, Operand, Slot};
use crate::value::env::{Binding, Read};
use crate::value::flat::{Flat, Op, Src, MAX_REGISTERS};
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
                if def.shape.functional
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
        let site = match read(h, target) {
            Arg::Ready(Value::Site(_)) if super::call::member_of_shape(left, slot, right) => {
                return Inline::MemberOf;
            }
            Arg::Ready(Value::Site(s)) if s.is_immediate() => s.clone(),
            Arg::Ready(Value::Closure(c)) => {
                let c = c.clone();
                return self.inline_call(t, h, c, right, args, slot);
            }
            Arg::Sibling(i) => match &h.ctx {
                Some(ctx) => {
                    let c = Closure::new(ctx.clone(), i);
                    return self.inline_call(t, h, c, right, args, slot);
                }
                None => return Inline::No,
            },
            _ => return Inline::No,
        };
        match self.call_immediate(t, h, &site, args, *span) {
            Some(binding) => bound(h, binding),
            None => Inline::No,
        }
    }

    /// A call of a definition on the right of a pruning: its element read
    /// at once, or run first by this token under a light frame when the
    /// definition is functional.
    fn inline_call(
        &mut self,
        t: TokenRef,
        h: &mut Hot,
        c: Closure,
        call: &Code,
        args: &[Operand],
        slot: u32,
    ) -> Inline {
        let def = c.def();
        if def.arity != args.len() || def.site || def.lenient {
            return Inline::No;
        }
        if let Some(element) = self.read_in_place(h, &c, args) {
            super::operands::write(h, slot, element);
            return Inline::Bound;
        }
        if let Some(v) = int_body(&c, args.len(), |k| ready_int(h, &args[k])) {
            super::operands::write(h, slot, Binding::Value(v));
            return Inline::Bound;
        }
        if let Some(flat) = &def.flat {
            if let Some(result) = self.call_flat(t, h, &c, flat, args) {
                super::operands::write(h, slot, result);
                return Inline::Bound;
            }
        }
        if !def.shape.functional {
            Inline::No
        } else if c.has_pending_captures() {
            // (The call waits: made real at once.)
            Inline::Light
        } else {
            Inline::LightCall(crate::value::code::CodePtr::new(call))
        }
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
        let mut regs: Registers = [const { None }; MAX_REGISTERS];
        for (reg, a) in regs.iter_mut().zip(args) {
            *reg = match read(h, a) {
                Arg::Ready(v) => Some(ready_value(v)?),
                Arg::Halted => None,
                Arg::Pending(_) | Arg::Sibling(_) => return None,
            };
        }
        Some(match self.run_flat(t, c, flat, &mut regs)? {
            Some(v) => Binding::Value(v),
            None => crate::value::env::halted(),
        })
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
        if let Some(v) = int_body(c, args.len(), int) {
            return Some(Some(v));
        }
        let mut regs: Registers = [const { None }; MAX_REGISTERS];
        for (reg, v) in regs.iter_mut().zip(args) {
            *reg = Some(ready_value(v)?);
        }
        self.run_flat(t, c, flat, &mut regs)
    }

    /// Runs the register code `flat` of the closure `c` over `regs` (its
    /// arguments in the first): the body's value, or `None` inside if it
    /// halted. The errors met are reported once it has run.
    fn run_flat(
        &mut self,
        t: TokenRef,
        c: &Closure,
        flat: &Flat,
        regs: &mut Registers,
    ) -> Option<Option<Value>> {
        let captured = &c.instance.captured;
        let mut errors: Vec<(String, Span)> = Vec::new();
        let mut pc = 0;
        while let Some(op) = flat.ops.get(pc) {
            pc += 1;
            match op {
                Op::Move { src, dst } => {
                    let v = flat_read(regs, captured, src)?.cloned();
                    regs[*dst as usize] = v;
                }
                Op::Halt { dst } => regs[*dst as usize] = None,
                Op::Call {
                    site: Value::Site(site),
                    args,
                    dst,
                    span,
                } => {
                    let result = if let [a, b] = &**args {
                        match (flat_read(regs, captured, a)?, flat_read(regs, captured, b)?) {
                            (Some(Value::Int(x)), Some(Value::Int(y))) => {
                                site.call_ints(*x, *y).map(|v| Some(Value::from(v)))
                            }
                            _ => None,
                        }
                    } else {
                        None
                    };
                    regs[*dst as usize] = match result {
                        Some(v) => v,
                        None => {
                            let mut values = Values::new();
                            let mut halted = false;
                            for a in args.iter() {
                                match flat_read(regs, captured, a)? {
                                    Some(v) => values.push(v.clone()),
                                    None => halted = true,
                                }
                            }
                            if halted {
                                None
                            } else {
                                match self.call_values(t, site, &values) {
                                    Ok(v) => v,
                                    Err(message) => {
                                        errors.push((message, *span));
                                        None
                                    }
                                }
                            }
                        }
                    };
                }
                Op::Branch {
                    cond,
                    otherwise,
                    end,
                    dst,
                    span,
                } => match flat_read(regs, captured, cond)? {
                    Some(Value::Bool(true)) => {}
                    Some(Value::Bool(false)) => pc = *otherwise as usize,
                    other => {
                        if let Some(v) = other {
                            errors.push((if_condition_error(v), *span));
                        }
                        regs[*dst as usize] = None;
                        pc = *end as usize;
                    }
                },
                Op::Jump(to) => pc = *to as usize,
                // (Flattening makes calls of sites only.)
                Op::Call { .. } => return None,
            }
        }
        for (message, span) in errors {
            self.report(message, Some(span));
        }
        Some(regs[flat.result as usize].take())
    }

    /// A call of a definition whose body is one read `a(i)?` (as the
    /// lookup `Table` makes: `lambda(i) = cells(i)?`), with its operands
    /// ready: the element, read at once where the site can
    /// ([`Site::peek_read`]), as direct evaluation would read it but
    /// without setting one up. `None` for any other body, an operand not
    /// ready, or a site that cannot answer so: the call goes the usual way.
    fn read_in_place(&mut self, h: &Hot, c: &Closure, args: &[Operand]) -> Option<Binding> {
        if !c.def().shape.element_read {
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
        let outcome = match site.peek_read(indices)? {
            crate::value::site::Peek::Now(Outcome::Pending) => return None,
            crate::value::site::Peek::Now(outcome) => outcome,
            _ => return None,
        };
        Some(match outcome {
            Outcome::Publish(v) => Binding::Value(v),
            Outcome::Error(e) => {
                self.report(e.to_string(), Some(*span));
                crate::value::env::halted()
            }
            Outcome::Halt | Outcome::Pending => crate::value::env::halted(),
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
        for (message, span) in errors {
            self.report(message, Some(span));
        }
        Some(result)
    }

    /// The value of an immediate expression that runs in place without
    /// errors and publishes (`None` otherwise, with nothing reported: it is
    /// then run the general way).
    pub(crate) fn immediate_value(&mut self, t: TokenRef, h: &Hot, code: &Code) -> Option<Value> {
        // The common cases first: one operator on machine integers, then
        // nested ones.
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
        match self.run_immediate(t, h, code)? {
            (Binding::Value(v), errors) if errors.is_empty() => Some(v),
            _ => None,
        }
    }

    /// Runs an immediate expression: its result and the errors it met.
    #[allow(clippy::type_complexity)]
    fn run_immediate(
        &mut self,
        t: TokenRef,
        h: &Hot,
        code: &Code,
    ) -> Option<(Binding, Vec<(String, Span)>)> {
        if !self.shapes.immediate(code) {
            return None;
        }
        let mut scope = Scope {
            h,
            inner: SmallVec::new(),
            errors: Vec::new(),
        };
        let result = self.immediate(t, code, &mut scope)?;
        Some((result, scope.errors))
    }

    fn immediate(&mut self, t: TokenRef, code: &Code, scope: &mut Scope) -> Option<Binding> {
        match code {
            Code::Stop => Some(crate::value::env::halted()),
            Code::Const(v) => Some(Binding::Value(v.clone())),
            Code::Var(slot) => match scope.read(&Operand::Slot(*slot))? {
                Read::Ready(v) => ready_value(v).map(Binding::Value),
                Read::Halted => Some(crate::value::env::halted()),
                Read::Pending(_) => None,
            },
            Code::Pruning(left, slot, right) => {
                let bound = self.immediate(t, right, scope)?;
                scope.inner.push((*slot, bound));
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
                        return Some(crate::value::env::halted());
                    }
                    Read::Halted => return Some(crate::value::env::halted()),
                    Read::Pending(_) => return None,
                };
                self.immediate(t, branch, scope)
            }
            Code::Call {
                target: Operand::Const(Value::Site(site)),
                args,
                span,
            } if site.is_immediate() => {
                if let [a, b] = &**args {
                    if let (Some(Read::Ready(Value::Int(x))), Some(Read::Ready(Value::Int(y)))) =
                        (scope.read(a), scope.read(b))
                    {
                        if let Some(v) = site.call_ints(*x, *y) {
                            return Some(Binding::Value(v.into()));
                        }
                    }
                }
                let mut values = Values::new();
                for a in args.iter() {
                    match scope.read(a)? {
                        Read::Ready(v) => values.push(ready_value(v)?),
                        // As a token reading a halted variable halts.
                        Read::Halted => return Some(crate::value::env::halted()),
                        Read::Pending(_) => return None,
                    }
                }
                Some(match self.call_values(t, site, &values) {
                    Ok(result) => crate::value::env::bind(result),
                    Err(message) => {
                        scope.errors.push((message, *span));
                        crate::value::env::halted()
                    }
                })
            }
            _ => None,
        }
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

/// The value of the body of `c` called with `arity` arguments (the `k`th
/// read as an integer by `arg(k)`), where that body is one operator on
/// machine integers or one applied to another's result (`lambda(x) = x % p /= 0`): the commonest
/// bodies of the closures that list functions call, computed in place,
/// with no light frame, record or publication. `None` for any other body
/// or operand (a larger body is not tried: it would be given up on only
/// after some of its work), which the call then runs the usual way.
fn int_body<F>(c: &Closure, arity: usize, arg: F) -> Option<Value>
where
    F: Fn(usize) -> Option<i64> + Copy,
{
    let def = c.def();
    if def.flat.is_none() || def.arity != arity {
        return None;
    }
    let int = |op: &Operand| match op {
        Operand::Slot(Slot::Local(k)) if (*k as usize) < arity => arg(*k as usize),
        Operand::Slot(Slot::Capture(k)) => match c.instance.captured.get(*k as usize)?.read() {
            Read::Ready(Value::Int(i)) => Some(*i),
            _ => None,
        },
        Operand::Const(Value::Int(i)) => Some(*i),
        _ => None,
    };
    let body = &*def.body;
    match body {
        Code::Call { .. } => int_call(body, int),
        Code::Pruning(left, _, right)
            if matches!((&**left, &**right), (Code::Call { .. }, Code::Call { .. })) =>
        {
            int_expression(body, int)
        }
        _ => None,
    }
}

/// The registers of a call run by [`Run::call_flat`]: a value, or halted.
type Registers = [Option<Value>; MAX_REGISTERS];

/// What `src` holds in a call run by [`Run::call_flat`] (`Some(None)`:
/// halted); `None` for a captured variable still pending (the closure's
/// captures were found settled before the call began, so never).
#[inline]
fn flat_read<'a>(
    regs: &'a Registers,
    captured: &'a [Binding],
    src: &'a Src,
) -> Option<Option<&'a Value>> {
    match src {
        Src::Reg(i) => Some(regs.get(*i as usize)?.as_ref()),
        Src::Const(v) => Some(Some(v)),
        Src::Capture(i) => match captured.get(*i as usize)?.read() {
            Read::Ready(v) => Some(Some(v)),
            Read::Halted => Some(None),
            Read::Pending(_) => None,
        },
    }
}

/// An operand of the running body that is a ready machine integer.
#[inline(always)]
fn ready_int(h: &Hot, op: &Operand) -> Option<i64> {
    match read(h, op) {
        Arg::Ready(Value::Int(x)) => Some(*x),
        _ => None,
    }
}

/// What an immediate expression reads: the token's bindings, and the
/// expression's own (its prunings' values, by slot, innermost last: they
/// are not written to the activation, which the expression may yet give
/// up on).
struct Scope<'h> {
    h: &'h Hot,
    inner: SmallVec<[(u32, Binding); 4]>,
    /// Errors met, reported once the expression has run in place.
    errors: Vec<(String, Span)>,
}

impl Scope<'_> {
    /// An operand; `None` if it is not a plain binding (a sibling
    /// definition) or is missing.
    fn read<'a>(&'a self, op: &'a Operand) -> Option<Read<'a>> {
        let binding = match op {
            Operand::Const(v) => return Some(Read::Ready(v)),
            Operand::Slot(Slot::Local(i)) => match self.inner.iter().rev().find(|(s, _)| s == i) {
                Some((_, b)) => b,
                None => self.h.act.as_ref()?.get(*i)?,
            },
            Operand::Slot(Slot::Capture(i)) => self.h.ctx.as_ref()?.captured.get(*i as usize)?,
            Operand::Slot(Slot::Sibling(_)) => return None,
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
