//! The running token's operands: reading them (ready, pending, halted),
//! strictly or leniently, and writing its activation's slots; what a
//! parked token does with the answer of its call or timer; the
//! values it publishes as they are known now; a value's fields (with
//! what the built-in sites add, handed down as data: [`Members`]).
//!
//! These read and write a token's hot part ([`super::token::Hot`]) alone,
//! not the run, so the evaluator's files (eval, call, light, inplace,
//! race), the group bookkeeping and object construction share them from
//! here, below the run ([`super::engine`]).

use super::token::{Hot, Next};
use crate::value::closure::Closure;
use crate::value::code::{Code, CodePtr, Operand, Slot, NO_SLOT};
use crate::value::env::{Binding, FutureRef, Read};
use crate::value::site::{IntResult, Members};
use crate::value::Value;
use smallvec::SmallVec;

/// Operand values read strictly; most calls have few arguments, so they
/// stay on the stack.
pub(crate) type Values = SmallVec<[Value; 4]>;

/// Futures a token must wait for before it can go on.
pub(crate) type Pending = SmallVec<[FutureRef; 2]>;

/// Operands after reading: ready, waiting on futures, or halted.
pub(crate) enum Fetch {
    Ready(Values),
    Wait(Pending),
    Halted,
}

/// An operand as a token reads it, in place.
pub(crate) enum Arg<'a> {
    Ready(&'a Value),
    /// Definition `i` of the running instance (its closure is made only
    /// where a value is needed).
    Sibling(u32),
    Pending(&'a FutureRef),
    Halted,
}

/// Reads an operand of the running body.
#[inline(always)]
pub(crate) fn read<'a>(h: &'a Hot, op: &'a Operand) -> Arg<'a> {
    let b = match op {
        Operand::Const(v) => return Arg::Ready(v),
        Operand::Slot(Slot::Local(i)) => h.act.as_ref().and_then(|a| a.get(*i)),
        Operand::Slot(Slot::Capture(i)) => h.ctx.as_ref().and_then(|c| c.captured.get(*i as usize)),
        Operand::Slot(Slot::Sibling(i)) => return Arg::Sibling(*i),
    };
    match b.map(Binding::read) {
        Some(Read::Ready(v)) => Arg::Ready(v),
        Some(Read::Pending(f)) => Arg::Pending(f),
        // A slot that is missing cannot be read by resolved code.
        Some(Read::Halted) | None => Arg::Halted,
    }
}

/// The value of `code` if it is a call of an operator on two operands that
/// `int` reads as machine integers, and the operator's integer shortcut
/// takes them (`Site::call_ints`: no overflow, no division by zero).
#[inline(always)]
pub(crate) fn int_call(code: &Code, int: impl FnMut(&Operand) -> Option<i64>) -> Option<Value> {
    int_result(code, int).map(Value::from)
}

/// [`int_call`]'s result before it is made a value (an intermediate
/// result of a nested expression need not be).
#[inline(always)]
pub(crate) fn int_result(
    code: &Code,
    mut int: impl FnMut(&Operand) -> Option<i64>,
) -> Option<IntResult> {
    match code {
        Code::Call {
            target: Operand::Const(Value::Site(site)),
            args,
            ..
        } => match &**args {
            [a, b] => site.call_ints(int(a)?, int(b)?),
            _ => None,
        },
        _ => None,
    }
}

/// An operand as a binding (lenient: futures stay futures).
#[inline]
pub(crate) fn binding(h: &Hot, op: &Operand) -> Binding {
    let b = match op {
        // (Small values copied in their parts: see `Value::copied`.)
        Operand::Const(v) => return Binding::Value(v.copied()),
        Operand::Slot(Slot::Local(i)) => h.act.as_ref().and_then(|a| a.get(*i)),
        Operand::Slot(Slot::Capture(i)) => h.ctx.as_ref().and_then(|c| c.captured.get(*i as usize)),
        Operand::Slot(Slot::Sibling(i)) => {
            return match &h.ctx {
                Some(c) => Binding::Value(Value::Closure(Closure::new(c.clone(), *i))),
                None => crate::value::env::halted(),
            }
        }
    };
    match b {
        Some(Binding::Value(v)) => Binding::Value(v.copied()),
        Some(b) => b.clone(),
        None => crate::value::env::halted(),
    }
}

/// The binding an operand reads, in place (`None` for a constant or a
/// sibling).
pub(crate) fn binding_ref<'a>(h: &'a Hot, op: &Operand) -> Option<&'a Binding> {
    match op {
        Operand::Slot(Slot::Local(i)) => h.act.as_ref()?.get(*i),
        Operand::Slot(Slot::Capture(i)) => h.ctx.as_ref()?.captured.get(*i as usize),
        _ => None,
    }
}

/// A parked token gets the answer `v` of its site call: it publishes it
/// to its continuation, or, parked at a sequential node
/// ([`Next::Resume`]), binds it and runs the node's right side.
#[inline(always)]
pub(crate) fn answer(h: &mut Hot, mut v: Value) {
    h.next = match std::mem::replace(&mut h.next, Next::Idle) {
        Next::Resume(code) => match code.get() {
            Code::Sequential(_, slot, right) => {
                if *slot != NO_SLOT {
                    write_answer(h, *slot, &mut v);
                }
                Next::Eval(CodePtr::new(right))
            }
            _ => Next::Publish(v),
        },
        _ => Next::Publish(v),
    };
}

/// The timer of the race token `h` was parked at fired first: it
/// publishes the timer side's constant.
pub(crate) fn timer_won(h: &mut Hot) {
    if let Next::Eval(code) = h.next {
        if let Code::Race(race) = code.get() {
            h.next = Next::Publish(race.after.clone());
        }
    }
}

/// Writes a slot of the running activation. (Not forced inline: the
/// copy on write it may do is large, and the workloads executed 1–2%
/// fewer instructions with it called than inlined everywhere.)
pub(crate) fn write(h: &mut Hot, slot: u32, b: Binding) {
    write_in_line(h, slot, b)
}

/// [`write`] in line, for a binding just made: passed to `write`, it is
/// copied once more first.
#[inline(always)]
pub(crate) fn write_in_line(h: &mut Hot, slot: u32, b: Binding) {
    if let Some(act) = &mut h.act {
        act.set(slot, b);
    }
}

/// [`write`] of a value a site just answered, taken from where the site
/// wrote it. An integer or a boolean is read out in its parts and
/// written so into the slot (see [`super::act::ActRef::set_int`]):
/// copied whole, with loads wider than the stores that wrote it, it
/// waited for those stores to land.
#[inline(always)]
pub(crate) fn write_answer(h: &mut Hot, slot: u32, v: &mut Value) {
    let small = match v {
        Value::Int(n) => IntResult::Int(*n),
        Value::Bool(b) => IntResult::Bool(*b),
        other => {
            let v = std::mem::replace(other, Value::Signal);
            return write(h, slot, Binding::Value(v));
        }
    };
    if let Some(act) = &mut h.act {
        act.set_int(slot, small);
    }
}

/// The values of `ops` read strictly, as [`fetch`] reads them, in place
/// where that needs no vector: no operand, or one ready value that is not
/// a closure (whose captures `fetch` would check), is lent from the
/// record. `None` when some operand is not ready.
#[inline(always)]
pub(crate) fn lend_values<'a>(
    h: &'a Hot,
    ops: &'a [Operand],
    spill: &'a mut Option<Values>,
) -> Option<&'a [Value]> {
    match ops {
        [] => return Some(&[]),
        [op] => {
            if let Arg::Ready(v) = read(h, op) {
                if !matches!(v, Value::Closure(_)) {
                    return Some(std::slice::from_ref(v));
                }
            }
        }
        _ => {}
    }
    let Fetch::Ready(values) = fetch(h, ops.iter()) else {
        return None;
    };
    Some(spill.insert(values))
}

/// Reads operands strictly: every future must be bound, and closures
/// must have their captured futures resolved.
pub(crate) fn fetch<'a>(h: &Hot, ops: impl IntoIterator<Item = &'a Operand>) -> Fetch {
    let mut values = Values::new();
    let mut waits = Pending::new();
    for op in ops {
        match read(h, op) {
            Arg::Ready(v) => {
                if let Value::Closure(c) = v {
                    if c.has_pending_captures() {
                        waits.extend(c.pending_captures());
                    }
                }
                values.push(v.clone());
            }
            Arg::Sibling(i) => match &h.ctx {
                Some(c) => {
                    let closure = Closure::new(c.clone(), i);
                    if closure.has_pending_captures() {
                        waits.extend(closure.pending_captures());
                    }
                    values.push(Value::Closure(closure));
                }
                None => return Fetch::Halted,
            },
            Arg::Pending(f) => waits.push(f.clone()),
            Arg::Halted => return Fetch::Halted,
        }
    }
    if waits.is_empty() {
        Fetch::Ready(values)
    } else {
        Fetch::Wait(waits)
    }
}

/// The value `code` publishes, when it is one known now and no frame of
/// the running body is left to read the activation after it does.
#[inline(always)]
pub(crate) fn known_publication(h: &Hot, code: CodePtr) -> Option<&Value> {
    if h.seqs != 0 {
        return None;
    }
    match code.get() {
        Code::Const(v) => Some(v),
        Code::Var(slot) => match binding_ref(h, &Operand::Slot(*slot))?.read() {
            Read::Ready(v) if !matches!(v, Value::Closure(_)) => Some(v),
            _ => None,
        },
        _ => None,
    }
}

/// `value.name` (`members`: the program's, see [`Members`]).
pub(crate) fn field(v: &Value, name: &str, members: &Members) -> Result<Value, String> {
    match v {
        Value::Record(r) => r
            .get(name)
            .cloned()
            .ok_or_else(|| format!("the record {v} has no field `{name}`")),
        Value::Site(s) => match s.member(name) {
            Some(m) => Ok(m),
            // A constructor takes values apart through `unapply`.
            None if name == "unapply" && s.unapply(&Value::Signal).is_ok() => {
                Ok((members.unapply)(s.clone()))
            }
            None => Err(format!("{} has no member `{name}`", s.name())),
        },
        // String methods: `"abc".length()`.
        Value::Str(s) => {
            (members.of_string)(s, name).ok_or_else(|| format!("String has no member `{name}`"))
        }
        other => Err(format!(
            "cannot access `.{name}` on {} {other}",
            other.type_name()
        )),
    }
}
