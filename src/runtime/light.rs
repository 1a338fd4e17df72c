//! Light frames: combinators run by one token with no group, counter,
//! future or token of their own, made real only if they need to be.
//!
//! `f <x< g`, `f ; g` and `{| f |}` each need, in general, a group (to
//! kill), a counter (to see halting), a future and a second token. Yet
//! most of the time the part they watch runs to its end in one thread:
//! `n + sum(n - 1)` is `+(n, x) <x< sum(n - 1)`, and `sum(n - 1)` just
//! computes. So the token runs that part itself, first, under a *light*
//! frame on its own continuation stack ([`Frame::LightPruning`],
//! [`Frame::LightOtherwise`], [`Frame::LightTrim`]):
//!
//! - a publication that reaches a light pruning binds `x` and the token
//!   goes on with `f`; one that reaches a light `;` or `{| |}` passes
//!   through (nothing of the watched part is left to kill: it ran in this
//!   token alone);
//! - halting unwinds to the nearest light frame ([`Run::unwind`]): a
//!   pruning binds `x` halted and goes on with `f`, a `;` runs `g`, a
//!   `{| |}` halts too;
//! - as soon as the watched part would do what needs the real thing
//!   (fork, wait, start a token or a timer, enter a real combinator), the
//!   light frames are *materialized* ([`Run::materialize`]): each becomes
//!   the group, counter, future and token it stands for, exactly as if it
//!   had been made so from the start, and the token goes on. Running the
//!   right side of a pruning first is one of the interleavings the
//!   combinator allows (the eager path runs it first too).
//!
//! So deep recursion costs heap frames only, with no depth limit but
//! memory, and nothing is ever run twice.
//!
//! **Fairness.** The left side `f` of a light pruning starts only once
//! `g` is done. Where `f` would only wait for `x` anyway (`n + x`,
//! [`left_waits_first`]) that changes nothing; where it would do
//! something first (`timeout(x, 100)` starts a timer), a long `g` would
//! hold it up. So a token that keeps using up its fuel with such a frame
//! on its stack ([`FAIR_TURNS`] turns in a row) makes its light frames
//! real, up to the highest such frame, and `f` runs beside `g` from then
//! on.
//!
//! Invariants: no real frame (`Pruning`, `Otherwise`, `Trim`,
//! `SiteReturn`, `ClockExit`) is above a light frame; a token with light
//! frames never waits, and is never forked (both materialize first);
//! light `f <x< g` and `f ; g` count as sequential frames of the
//! activation they are in, so calls under them keep its record.

use super::act::ActRef;
use super::engine::Run;
use super::operands::{binding, known_publication, read, write, Arg};
use super::token::{Frame, Hot, Next, Wait};
use crate::value::closure::Instance;
use crate::value::code::{
    known_callee, local_bit, publication_needs, Callee, Code, CodePtr, Operand, Slot,
};
use crate::value::env::Binding;
use crate::value::handles::TokenRef;
use crate::value::Value;
use std::sync::Arc;

/// Turns in a row (of `FUEL_PER_TURN` steps each) a token may run with
/// a light pruning whose left side would not just wait, before that left
/// side gets a token of its own.
const FAIR_TURNS: u32 = 32;

/// A light pruning's left side only waits for its variable first.
pub(crate) const LEFT_WAITS: u8 = 0;
/// Not known yet: a look at more than the first node is needed.
pub(crate) const LEFT_UNKNOWN: u8 = 1;
/// It may do something first: fairness gives it a token of its own.
pub(crate) const LEFT_EAGER: u8 = 2;
/// Found to wait first by a walk of fairness, which looked at every frame
/// below it too (none of them is eager, or it would have been made real).
pub(crate) const LEFT_CHECKED: u8 = 3;

/// What an operand of the activation a frame is in is known to be as a
/// callee ([`Callee`]; nothing is known of a future not bound yet).
type Reader<'a> = &'a dyn Fn(&Operand) -> Callee;

/// Whether the left side `left` of a pruning binding `slot` takes the
/// variable at once: a site call, a field read, a condition or a call of
/// it, the variable itself, or a call of a constant closure that waits
/// for that argument first (a look at the first node only, made as the
/// frame is pushed).
#[inline]
fn left_takes_first(left: &Code, slot: u32) -> bool {
    let is_x = |op: &Operand| matches!(op, Operand::Slot(Slot::Local(s)) if *s == slot);
    match left {
        Code::Var(Slot::Local(s)) => *s == slot,
        Code::Call { target, args, .. } => {
            is_x(target)
                || match target {
                    // A site waits for all its arguments.
                    Operand::Const(Value::Site(_)) => args.iter().any(is_x),
                    Operand::Const(v) => Callee::of(v).waits_for(args, slot),
                    _ => false,
                }
        }
        Code::Field { target, .. } => is_x(target),
        Code::If { cond, .. } => is_x(cond),
        _ => false,
    }
}

/// Whether the left side `left` of a pruning binding `slot` does nothing
/// observable before it waits for that slot: it takes the variable at
/// once ([`left_takes_first`]), calls what waits for it first, or first
/// computes in place what has no effect (an immediate site, a call of a
/// pure definition: [`DefShape::pure`]) and then does. Running the
/// pruning's right side first is then unobservable. A look at the first
/// few nodes, reading the callees of calls with `read`.
///
/// [`DefShape::pure`]: crate::value::code::DefShape::pure
fn left_waits_first(read: Reader<'_>, left: &Code, slot: u32) -> bool {
    waits_first(read, left, slot, None, 8) || publishes_after(read, left, slot)
}

/// Whether `left` has no effect and publishes only once `slot` is bound:
/// then running it late is unobservable too. (Calls in `left` are looked
/// at by their constant targets only: a local slot of `left` may hold a
/// stale value of an earlier binder.)
fn publishes_after(read: Reader<'_>, left: &Code, slot: u32) -> bool {
    let constant = |op: &Operand| match op {
        Operand::Const(_) | Operand::Slot(Slot::Sibling(_)) => read(op),
        _ => Callee::default(),
    };
    slot < 32 && no_effect(read, left, 8) && publication_needs(left, &constant) & (1 << slot) != 0
}

fn waits_first(read: Reader<'_>, code: &Code, slot: u32, ready: Option<u32>, depth: u32) -> bool {
    if depth == 0 {
        return false;
    }
    if left_takes_first(code, slot) {
        return true;
    }
    match code {
        Code::Call { target, args, .. } => read(target).waits_for(args, slot),
        Code::If {
            cond: Operand::Slot(Slot::Local(c)),
            then,
            otherwise,
            ..
        } if Some(*c) == ready => {
            waits_first(read, then, slot, None, depth - 1)
                && waits_first(read, otherwise, slot, None, depth - 1)
        }
        Code::Sequential(first, ..) => waits_first(read, first, slot, ready, depth - 1),
        Code::Pruning(l, s, r) => {
            no_effect(read, r, depth - 1)
                && with_known(read, *s, known_callee(r), &|read| {
                    waits_first(read, l, slot, Some(*s), depth - 1)
                })
        }
        _ => false,
    }
}

/// Runs `f` with `read` telling that the local `slot`, bound by the code
/// `f` looks at, holds `callee` (if not known, nothing is known of it:
/// the record may still hold an earlier binder's value there).
fn with_known(
    read: Reader<'_>,
    slot: u32,
    callee: Option<Callee>,
    f: &dyn Fn(Reader<'_>) -> bool,
) -> bool {
    let callee = callee.unwrap_or_default();
    f(&|op: &Operand| match op {
        Operand::Slot(Slot::Local(k)) if *k == slot => callee,
        _ => read(op),
    })
}

/// Whether running `code` can have no effect: constants, variables, and
/// calls of immediate sites or of pure definitions (given pure callees
/// where they call their arguments), with such arguments. Local
/// definitions, and variables known to hold them, are taken as they were
/// resolved.
fn no_effect(read: Reader<'_>, code: &Code, depth: u32) -> bool {
    if depth == 0 {
        return false;
    }
    match code {
        Code::Const(_) | Code::Var(_) | Code::Stop => true,
        Code::Call { target, args, .. } => read(target).pure_call(args, read),
        Code::Pruning(l, s, r) => {
            no_effect(read, r, depth - 1)
                && with_known(read, *s, known_callee(r), &|read| {
                    no_effect(read, l, depth - 1)
                })
        }
        Code::Defs {
            group,
            first_slot,
            body,
        } => {
            let local = |op: &Operand| match op {
                Operand::Slot(Slot::Local(k)) if k >= first_slot => {
                    match group.defs.get((k - first_slot) as usize) {
                        Some(d) => d.shape.callee(),
                        None => read(op),
                    }
                }
                _ => read(op),
            };
            no_effect(&local, body, depth - 1)
        }
        _ => false,
    }
}

/// An operand of the activation `act` of a closure `ctx`, as a callee
/// (nothing is known of a future not bound yet).
fn operand(act: Option<&ActRef>, ctx: Option<&Arc<Instance>>, op: &Operand) -> Callee {
    let b = match op {
        Operand::Const(v) => return Callee::of(v),
        Operand::Slot(Slot::Local(i)) => act.and_then(|a| a.get(*i)),
        Operand::Slot(Slot::Capture(i)) => ctx.and_then(|c| c.captured.get(*i as usize)),
        Operand::Slot(Slot::Sibling(i)) => {
            let def = ctx.and_then(|c| c.group.defs.get(*i as usize));
            return def.map(|d| d.shape.callee()).unwrap_or_default();
        }
    };
    match b {
        Some(Binding::Value(v)) => Callee::of(v),
        _ => Callee::default(),
    }
}

/// The caller's record `act`, kept for the left side of the pruning
/// `node` and nothing else (the right side's last call was just made, and
/// no other frame of its body is left), loses what that left side does
/// not read, when it is one call: in `p : sieve(filter(f, xs))` the
/// levels of the recursion keep `p`, not the lists they filtered. The
/// pruning's own slot goes too: it is written before the left side runs.
/// Only in a definition's record (the program's top level keeps its
/// bindings), and only where the token holds the record alone
/// ([`ActRef::clear_except`]).
#[inline]
pub(crate) fn keep_for_left(act: &mut ActRef, node: &Code) {
    if let Code::Pruning(left, slot, _) = node {
        if let Code::Call { target, args, .. } = &**left {
            let keep = args.iter().fold(local_bit(target), |m, a| m | local_bit(a));
            act.clear_except(keep & !local_bit(&Operand::Slot(Slot::Local(*slot))));
        }
    }
}

impl Run {
    /// Starts `f <x< g` (the node `node`) light: `g` runs first, in this
    /// token.
    #[inline]
    pub(crate) fn enter_light_pruning(&mut self, h: &mut Hot, node: CodePtr) {
        let Code::Pruning(left, slot, right) = node.get() else {
            return;
        };
        // (A right side that publishes a value at once holds nothing up.)
        let left = if left_takes_first(left, *slot) || known_callee(right).is_some() {
            LEFT_WAITS
        } else {
            // Looked at more closely if fairness ever needs to know.
            self.eager_left = true;
            LEFT_UNKNOWN
        };
        h.stack.push(Frame::LightPruning(node, left));
        h.seqs += 1;
        self.lights += 1;
        h.next = Next::Eval(CodePtr::new(right));
    }

    /// Starts `f <x< c(args)` (the node `node`, whose right side, or its
    /// right side's left side, is the call node `call`) light, calling
    /// the closure `c` at once: one frame is both the light pruning and
    /// the call's return frame. (The callee is functional, its captures
    /// resolved, its arguments in the call's operands.)
    pub(crate) fn enter_light_call(&mut self, h: &mut Hot, node: CodePtr, call: CodePtr) {
        let (Code::Pruning(left, slot, _), Code::Call { target, args, .. }) =
            (node.get(), call.get())
        else {
            return;
        };
        // A sibling (recursion) runs in the running instance, which stays.
        let (callee, index) = match read(h, target) {
            Arg::Ready(Value::Closure(c)) => (Some(c.instance.clone()), c.index),
            Arg::Sibling(i) => (None, i),
            _ => return,
        };
        let Some(instance) = callee.as_ref().or(h.ctx.as_ref()) else {
            return;
        };
        let def = &instance.group.defs[index as usize];
        let (frame_size, body) = (def.frame_size, CodePtr::new(&def.body));
        let act = ActRef::with_args(frame_size, args.iter().map(|a| binding(h, a)));
        let left = if left_takes_first(left, *slot) {
            LEFT_WAITS
        } else {
            self.eager_left = true;
            LEFT_UNKNOWN
        };
        let sibling = callee.is_none();
        let ctx = match callee {
            Some(instance) => h.ctx.replace(instance),
            None => None,
        };
        let frame = Frame::LightCall {
            node,
            act: h.act.replace(act),
            ctx,
            seqs: std::mem::replace(&mut h.seqs, 0),
            left,
            sibling,
        };
        h.stack.push(frame);
        self.lights += 1;
        h.next = Next::Eval(body);
    }

    /// The end of a turn of token `t` with light frames: if it waits, they
    /// become real; if it used up its fuel, fairness may make some real.
    pub(crate) fn after_light_turn(&mut self, t: TokenRef, h: &mut Hot, out_of_fuel: bool) {
        let waits = self
            .tokens
            .get(t)
            .is_some_and(|tok| !matches!(tok.wait, Wait::None));
        if waits {
            self.materialize(t, h);
        } else if out_of_fuel && self.eager_left {
            let turns = {
                let e = self.extras_mut(t);
                e.light_turns += 1;
                e.light_turns
            };
            if turns >= FAIR_TURNS {
                self.materialize_for_fairness(t, h);
                self.extras_mut(t).light_turns = 0;
            }
        }
        if self.tokens.get(t).is_some() {
            let eager_left = self.lights > 0 && self.eager_left;
            let e = self.extras_mut(t);
            e.eager_left = eager_left;
            if !eager_left {
                e.light_turns = 0;
            }
        }
        self.eager_left = false;
    }

    /// Makes real the light frames from the bottom of token `t`'s stack
    /// up to the highest light pruning whose left side would not just
    /// wait ([`left_waits_first`]); those above stay light.
    fn materialize_for_fairness(&mut self, t: TokenRef, h: &mut Hot) {
        // Going down from the top, the activation each frame is in, to
        // read the callees its left side calls; a frame found to wait
        // first keeps the answer, and below it all were looked at before.
        let (mut act, mut ctx): (Option<*const ActRef>, Option<*const Arc<Instance>>) = (
            h.act.as_ref().map(|a| a as *const ActRef),
            h.ctx.as_ref().map(|c| c as *const Arc<Instance>),
        );
        let lights = self.lights;
        let (mut above, mut found) = (0, None);
        h.stack.walk_exclusive(|frame| {
            let (node, left) = match frame {
                Frame::Return { act: a, ctx: c, .. } => {
                    act = a.as_ref().map(|a| a as *const ActRef);
                    ctx = c.as_ref().map(|c| c as *const Arc<Instance>);
                    return true;
                }
                Frame::LightCall {
                    node,
                    act: a,
                    ctx: c,
                    left,
                    sibling,
                    ..
                } => {
                    // Its left side is in the caller's activation, as is
                    // everything below it.
                    act = a.as_ref().map(|a| a as *const ActRef);
                    if !*sibling {
                        ctx = c.as_ref().map(|c| c as *const Arc<Instance>);
                    }
                    (node, left)
                }
                Frame::LightPruning(node, left) => (node, left),
                Frame::LightOtherwise(_) | Frame::LightDefault(_) | Frame::LightTrim => {
                    above += 1;
                    return above < lights;
                }
                _ => return true,
            };
            if *left == LEFT_CHECKED {
                return false;
            }
            if *left == LEFT_UNKNOWN {
                if let Code::Pruning(l, slot, _) = node.get() {
                    // SAFETY: the record and closure are held by `h` or by
                    // a frame above this one, which the walk does not
                    // change.
                    let (a, c) = unsafe { (act.map(|p| &*p), ctx.map(|p| &*p)) };
                    let read = |op: &Operand| operand(a, c, op);
                    *left = if left_waits_first(&read, l, *slot) {
                        LEFT_CHECKED
                    } else {
                        LEFT_EAGER
                    };
                }
            }
            if *left == LEFT_EAGER {
                found = Some(above);
                return false;
            }
            above += 1;
            above < lights
        });
        if let Some(keep) = found {
            // The left sides made real wait their turn behind this token,
            // which goes on with the right side: it is often about to
            // publish, and a left side run first would find its variable
            // unbound and make every later frame real too.
            self.make_real(t, h, keep, false);
        }
        // Those left light all wait first.
        self.eager_left = false;
    }

    /// Starts `f ; g` (the node `node`) light: `f` runs under the frame
    /// (the caller goes on with `f`). Where `g` publishes a value known
    /// now, the frame keeps just that value; and if the frame on top is
    /// such a frame too (this `f ; v` is all that is left of its left
    /// side), `v` takes its place, since its own right side can no longer
    /// run: `def loop(s) = step(s) >x> loop(x) ; s` stays in constant
    /// memory.
    #[inline]
    pub(crate) fn enter_light_otherwise(&mut self, h: &mut Hot, node: CodePtr) {
        let Code::Otherwise(_, right) = node.get() else {
            return;
        };
        if let Some(v) = known_publication(h, CodePtr::new(right)) {
            let v = v.copied();
            if let Some((Frame::LightDefault(_), _)) = h.stack.top() {
                if let Some(Frame::LightDefault(old)) = h.stack.top_mut() {
                    *old = v;
                    return;
                }
            }
            h.stack.push(Frame::LightDefault(v));
            self.lights += 1;
            return;
        }
        h.stack.push(Frame::LightOtherwise(node));
        h.seqs += 1;
        self.lights += 1;
    }

    /// A light pruning or light call `frame`, just popped, takes `x` (the
    /// right side's publication, or halted): the activation of the
    /// pruning is back, and the token goes on with its left side.
    pub(crate) fn leave_light_pruning(&mut self, h: &mut Hot, frame: Frame, x: Binding) {
        let node = match frame {
            Frame::LightPruning(node, _) => {
                h.seqs -= 1;
                node
            }
            Frame::LightCall {
                node,
                act,
                ctx,
                seqs,
                sibling,
                ..
            } => {
                h.act = act;
                if !sibling {
                    h.ctx = ctx;
                }
                h.seqs = seqs;
                node
            }
            _ => return,
        };
        self.lights -= 1;
        if let Code::Pruning(left, slot, _) = node.get() {
            write(h, *slot, x);
            h.next = Next::Eval(CodePtr::new(left));
        }
    }

    /// The running token `t` halted with light frames on its stack: its
    /// continuation is unwound to the nearest one that catches the halt.
    /// Returns whether the token goes on (else it halted for good).
    pub(crate) fn unwind(&mut self, t: TokenRef, h: &mut Hot) -> bool {
        while self.lights > 0 {
            let Some(frame) = h.stack.pop() else {
                break;
            };
            match frame {
                Frame::Sequential(_) => h.seqs -= 1,
                Frame::Discard => {}
                Frame::Return { act, ctx, seqs } => {
                    h.act = act;
                    h.ctx = ctx;
                    h.seqs = seqs;
                }
                frame @ (Frame::LightPruning(..) | Frame::LightCall { .. }) => {
                    self.leave_light_pruning(h, frame, crate::value::env::halted());
                    return true;
                }
                Frame::LightOtherwise(node) => {
                    h.seqs -= 1;
                    self.lights -= 1;
                    let Code::Otherwise(_, right) = node.get() else {
                        break;
                    };
                    h.next = Next::Eval(CodePtr::new(right));
                    return true;
                }
                Frame::LightDefault(v) => {
                    self.lights -= 1;
                    h.next = Next::Publish(v);
                    return true;
                }
                Frame::LightTrim => self.lights -= 1,
                // (None above a light frame.)
                Frame::Pruning { .. }
                | Frame::Otherwise { .. }
                | Frame::Trim { .. }
                | Frame::SiteReturn { .. }
                | Frame::ClockExit { .. } => break,
            }
        }
        self.lights = 0;
        self.remove_token(t);
        false
    }

    /// Makes the light frames of the running token `t` real: each becomes
    /// the group, counter, future and token it stands for, as the eager
    /// path would have made them when the frame was pushed. Done before
    /// the token forks, waits or does anything else that a light frame
    /// cannot stand for; each left side runs next.
    /// Afterwards the token is in the innermost group and counter made.
    /// (Those made real are the lowest ones: a light frame below a real
    /// one could not kill what the real one started.)
    pub(crate) fn materialize(&mut self, t: TokenRef, h: &mut Hot) {
        self.make_real(t, h, 0, true);
    }

    /// [`Run::materialize`], but the `keep` highest light frames stay
    /// light; the left sides made real run next (`first`) or after the
    /// tokens ready now.
    fn make_real(&mut self, t: TokenRef, h: &mut Hot, keep: u32, first: bool) {
        if self.lights <= keep {
            return;
        }
        let Some(start) = self.place_of(t) else {
            return;
        };
        let mut place = start;
        // The frames down to the lowest light one, top first.
        let mut frames: Vec<Frame> = Vec::new();
        let mut seen = 0;
        while seen < self.lights {
            let Some(frame) = h.stack.pop() else {
                break;
            };
            if frame.is_light() {
                seen += 1;
            }
            frames.push(frame);
        }
        let mut convert = seen.saturating_sub(keep);
        // The activation each light frame is in (its record, closure and
        // the sequential frames below it), found going down: a return
        // frame holds its caller's.
        let mut context: Vec<Option<Activation>> = Vec::with_capacity(frames.len());
        let (mut act, mut ctx, mut seqs) = (h.act.as_ref(), h.ctx.as_ref(), h.seqs);
        for frame in &frames {
            match frame {
                Frame::Return {
                    act: a,
                    ctx: c,
                    seqs: s,
                } => {
                    context.push(None);
                    (act, ctx, seqs) = (a.as_ref(), c.as_ref(), *s);
                }
                Frame::Sequential(_) => {
                    seqs -= 1;
                    context.push(None);
                }
                Frame::LightPruning(..) | Frame::LightOtherwise(_) => {
                    seqs -= 1;
                    context.push(Some(Activation {
                        act: act.map(|a| a.share_writer()),
                        ctx: ctx.cloned(),
                        seqs,
                    }));
                }
                Frame::LightCall {
                    act: a,
                    ctx: c,
                    seqs: s,
                    sibling,
                    ..
                } => {
                    // The caller's activation, for the left side and
                    // everything below (its closure the callee's own,
                    // for a sibling).
                    act = a.as_ref();
                    seqs = *s;
                    if !*sibling {
                        ctx = c.as_ref();
                    }
                    context.push(Some(Activation {
                        act: act.map(|a| a.share_writer()),
                        ctx: ctx.cloned(),
                        seqs,
                    }));
                }
                _ => context.push(None),
            }
        }
        // Rebuilt from the bottom up: each light frame made real starts
        // what it stands for in the place the token is in at that depth,
        // and moves the token one level in.
        let mut stack = std::mem::take(&mut h.stack);
        for (frame, activation) in frames.into_iter().zip(context).rev() {
            if frame.is_light() {
                if convert == 0 {
                    // One of the `keep` highest: it stays light.
                    stack.push(frame);
                    continue;
                }
                convert -= 1;
            }
            match frame {
                Frame::LightPruning(node, _) | Frame::LightCall { node, .. } => {
                    let (Code::Pruning(left, slot, _), Some(a)) = (node.get(), activation) else {
                        continue;
                    };
                    // The left side, in a token of its own, with the
                    // future in its slot; this token goes on as the
                    // right side, in a new group and pruning counter.
                    let future = self.future_in(place.group);
                    let mut left_hot = Hot {
                        next: Next::Eval(CodePtr::new(left)),
                        act: a.act,
                        ctx: a.ctx,
                        stack: std::mem::take(&mut stack),
                        seqs: a.seqs,
                        lights: 0,
                    };
                    write(&mut left_hot, *slot, Binding::Future(future.clone()));
                    let left_token = self.spawn(left_hot, place);
                    if first {
                        self.ready.push_front(left_token);
                    } else {
                        self.ready.push_back(left_token);
                    }
                    let group = self.new_group(place.group);
                    let counter = self.new_pruning_counter(place.counter, future.clone());
                    stack.push(Frame::Pruning { future, group });
                    place.group = group;
                    place.counter = counter;
                }
                Frame::LightOtherwise(node) => {
                    let (Code::Otherwise(_, right), Some(a)) = (node.get(), activation) else {
                        continue;
                    };
                    let start = Hot {
                        next: Next::Eval(CodePtr::new(right)),
                        act: a.act.map(|w| w.share_reader()),
                        ctx: a.ctx,
                        stack: stack.clone(),
                        seqs: a.seqs,
                        lights: 0,
                    };
                    let counter = self.new_otherwise_counter(place, start);
                    stack.push(Frame::Otherwise { counter });
                    place.counter = counter;
                }
                Frame::LightDefault(v) => {
                    let start = Hot {
                        next: Next::Publish(v),
                        stack: stack.clone(),
                        ..Hot::empty()
                    };
                    let counter = self.new_otherwise_counter(place, start);
                    stack.push(Frame::Otherwise { counter });
                    place.counter = counter;
                }
                Frame::LightTrim => {
                    let group = self.new_group(place.group);
                    stack.push(Frame::Trim { group });
                    place.group = group;
                }
                other => stack.push(other),
            }
        }
        h.stack = stack;
        self.lights = keep;
        if place.group != start.group {
            self.move_to_group(t, place.group);
        }
        if place.counter != start.counter {
            self.move_to_counter(t, place.counter);
        }
    }
}

/// The running closure of `h` is about to change or go while no
/// sequential frame of its body is left: if the frame below is a light
/// call of a sibling, which shares that closure rather than holding its
/// caller's, it takes a reference of its own now. Frames that need no
/// activation (a light `; v`, a light `{| |}`, `>> stop`) may lie
/// between: in `f(k) <x< ...` with `def f(n) = g(n) ; n`, `f`'s tail call
/// of `g` leaves only the `; n` above the call of `f`.
#[inline]
pub(crate) fn keep_caller_closure(h: &mut Hot) {
    let running = &h.ctx;
    // (Light frames are never shared: a token with them is never forked.)
    h.stack.walk_exclusive(|frame| match frame {
        Frame::LightDefault(_) | Frame::LightTrim | Frame::Discard => true,
        Frame::LightCall {
            ctx,
            sibling: sibling @ true,
            ..
        } => {
            *ctx = running.clone();
            *sibling = false;
            false
        }
        _ => false,
    });
}

/// The activation a light frame is in, for what it starts when made real.
struct Activation {
    act: Option<ActRef>,
    ctx: Option<Arc<Instance>>,
    seqs: u32,
}
