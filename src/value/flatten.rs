//! Flattening an immediate expression ([`Code::is_immediate`]) into
//! register code ([`Flat`]): the right side of each pruning is computed
//! into the pruning's register, then its left side; a conditional becomes
//! a branch over its two arms, and a match a test that binds registers
//! before its `then`.
//!
//! Two layouts. A definition's body is flattened once, as it is resolved
//! ([`flat_body`]): its registers are its record's slots, parameters
//! first. Any other immediate expression (the right side of a pruning, an
//! argument, the left side of `>x>`) is flattened the first time the run
//! meets it ([`flat_expr`]): its registers are the slots it binds itself,
//! and the slots of the record around it are read where they are. Such an
//! expression may also call a closure whose body is register code
//! (`x /= 0 && peer(i, j)`), run on registers of its own (a body's code
//! calls no closure, so these calls nest one deep), and read an element
//! at once (`a(j)? <: pivot`).

use super::arith::IntOp;
use super::code::{Code, Operand, Pat, Slot, IMMEDIATE_DEPTH};
use super::flat::{Flat, IntArg, IntForm, Op, Src, MAX_REGISTERS};
use super::Value;

/// The ops of `body` (with `frame_size` slots), if it is an immediate
/// expression.
pub(crate) fn flat_body(body: &Code, frame_size: u32) -> Option<Flat> {
    if !body.is_immediate() || frame_size as usize >= MAX_REGISTERS {
        return None;
    }
    let mut layout = Layout {
        frame_size: Some(frame_size),
        inner: Vec::new(),
        next: frame_size + 1,
    };
    let mut flat = finish(body, frame_size, &mut layout)?;
    flat.ints = int_form(body);
    Some(flat)
}

/// `body` as an [`IntForm`], if it is one operator on integers or one
/// applied to another's result.
fn int_form(body: &Code) -> Option<IntForm> {
    fn op(code: &Code, inner: Option<u32>) -> Option<(IntOp, IntArg, IntArg)> {
        let Code::Call {
            target: Operand::Const(Value::Site(s)),
            args,
            ..
        } = code
        else {
            return None;
        };
        let arg = |a: &Operand| match a {
            Operand::Const(Value::Int(i)) => Some(IntArg::Const(*i)),
            Operand::Slot(Slot::Local(k)) if Some(*k) == inner => Some(IntArg::Inner),
            // (The body binds no other slot: any other is a parameter.)
            Operand::Slot(Slot::Local(k)) => Some(IntArg::Param(*k)),
            Operand::Slot(Slot::Capture(k)) => Some(IntArg::Capture(*k)),
            _ => None,
        };
        match &**args {
            [a, b] => Some((s.int_op()?, arg(a)?, arg(b)?)),
            _ => None,
        }
    }
    match body {
        Code::Call { .. } => Some(IntForm {
            inner: None,
            outer: op(body, None)?,
        }),
        Code::Pruning(left, slot, right) => Some(IntForm {
            inner: Some(op(right, None)?),
            outer: op(left, Some(*slot))?,
        }),
        _ => None,
    }
}

/// The ops of `code`, an expression inside a body, if it is immediate and
/// binds no more slots than there are registers.
pub(crate) fn flat_expr(code: &Code) -> Option<Flat> {
    let mut layout = Layout {
        frame_size: None,
        inner: Vec::new(),
        next: 1,
    };
    finish(code, 0, &mut layout)
}

fn finish(code: &Code, result: u32, layout: &mut Layout) -> Option<Flat> {
    let mut ops = Vec::new();
    flatten(code, result, layout, &mut ops, IMMEDIATE_DEPTH)?;
    Some(Flat {
        ops: ops.into(),
        regs: layout.next,
        result,
        ints: None,
    })
}

/// Where the slots an expression reads are.
struct Layout {
    /// A body's: every slot of its record is the register of that number.
    frame_size: Option<u32>,
    /// An expression's: the registers of the slots it binds, latest last
    /// (a slot may be bound again once its binder's scope has ended).
    inner: Vec<(u32, u32)>,
    /// The next register free.
    next: u32,
}

impl Layout {
    fn src(&self, op: &Operand) -> Option<Src> {
        Some(match op {
            Operand::Const(v) => Src::Const(v.clone()),
            Operand::Slot(Slot::Capture(i)) => Src::Capture(*i),
            Operand::Slot(Slot::Local(i)) => match self.frame_size {
                Some(size) if *i < size => Src::Reg(*i),
                Some(_) => return None,
                None => match self.inner.iter().rev().find(|(s, _)| s == i) {
                    Some((_, reg)) => Src::Reg(*reg),
                    None => Src::Outer(*i),
                },
            },
            Operand::Slot(Slot::Sibling(_)) => return None,
        })
    }

    /// A register for slot `slot`, not yet seen by the reads that follow
    /// (see [`Layout::show`]).
    fn alloc(&mut self, slot: u32) -> Option<u32> {
        match self.frame_size {
            Some(size) => (slot < size).then_some(slot),
            None => {
                let reg = self.next;
                if reg as usize >= MAX_REGISTERS {
                    return None;
                }
                self.next += 1;
                Some(reg)
            }
        }
    }

    /// From now on (until [`Layout::inner`] is cut back), slot `slot` is
    /// read from register `reg`.
    fn show(&mut self, slot: u32, reg: u32) {
        if self.frame_size.is_none() {
            self.inner.push((slot, reg));
        }
    }
}

/// Appends the ops that compute `code` into register `dst`, if it is
/// immediate at most `depth` deep (the flattening recurses).
fn flatten(
    code: &Code,
    dst: u32,
    layout: &mut Layout,
    ops: &mut Vec<Op>,
    depth: u32,
) -> Option<()> {
    let depth = depth.checked_sub(1)?;
    match code {
        Code::Stop => ops.push(Op::Halt { dst }),
        Code::Const(v) => ops.push(Op::Move {
            src: Src::Const(v.clone()),
            dst,
        }),
        Code::Var(slot) => ops.push(Op::Move {
            src: layout.src(&Operand::Slot(*slot))?,
            dst,
        }),
        Code::Call {
            target: Operand::Const(site @ Value::Site(s)),
            args,
            span,
        } if s.is_immediate() && args.len() == 2 => ops.push(Op::Binary {
            site: site.clone(),
            a: layout.src(&args[0])?,
            b: layout.src(&args[1])?,
            dst,
            span: *span,
            ints: s.int_op(),
            bools: s.bool_op(),
        }),
        Code::Call {
            target: Operand::Const(site @ Value::Site(s)),
            args,
            span,
        } if s.is_immediate() => ops.push(Op::Call {
            site: site.clone(),
            args: args.iter().map(|a| layout.src(a)).collect::<Option<_>>()?,
            dst,
            span: *span,
        }),
        // A closure whose body may be register code, in an expression
        // (a body's register code calls no closure, so these calls nest
        // one deep).
        Code::Call { target, args, .. } if layout.frame_size.is_none() => {
            // (A constant callee is looked at now: any other than such a
            // closure, a site with effects say, is never run in place.)
            match target {
                Operand::Const(Value::Closure(c)) => {
                    let def = c.def();
                    if def.flat.is_none() || def.arity != args.len() || def.site || def.lenient {
                        return None;
                    }
                }
                Operand::Const(_) => return None,
                Operand::Slot(_) => {}
            }
            ops.push(Op::CallFlat {
                callee: layout.src(target)?,
                args: args.iter().map(|a| layout.src(a)).collect::<Option<_>>()?,
                dst,
            })
        }
        // `a(i)?`: the element read at once, in an expression.
        Code::Pruning(left, slot, right)
            if layout.frame_size.is_none() && is_read_of(left, *slot) =>
        {
            let Code::Call { target, args, span } = &**right else {
                return None;
            };
            ops.push(Op::Read {
                target: layout.src(target)?,
                args: args.iter().map(|a| layout.src(a)).collect::<Option<_>>()?,
                dst,
                span: *span,
            });
        }
        Code::Pruning(left, slot, right) => {
            // The right side does not see the slot it is computed into.
            let reg = layout.alloc(*slot)?;
            flatten(right, reg, layout, ops, depth)?;
            let scope = layout.inner.len();
            layout.show(*slot, reg);
            flatten(left, dst, layout, ops, depth)?;
            layout.inner.truncate(scope);
        }
        Code::If {
            cond,
            then,
            otherwise,
            span,
        } => {
            let cond = layout.src(cond)?;
            let (at, otherwise, end) =
                arms(then, otherwise, dst, layout, ops, depth, |_| Some(()))?;
            ops[at] = Op::Branch {
                cond,
                otherwise,
                end,
                dst,
                span: *span,
            };
        }
        Code::Match {
            scrutinees,
            patterns,
            first_slot,
            then,
            otherwise,
            ..
        } => {
            if !patterns.iter().all(Pat::needs_no_site) {
                return None;
            }
            let scrutinees = scrutinees
                .iter()
                .map(|s| layout.src(s))
                .collect::<Option<_>>()?;
            let binds = patterns.iter().map(|p| p.binds()).sum::<usize>() as u32;
            let mut first = 0;
            let bind = |layout: &mut Layout| {
                for k in 0..binds {
                    let reg = layout.alloc(first_slot + k)?;
                    layout.show(first_slot + k, reg);
                    if k == 0 {
                        first = reg;
                    }
                }
                Some(())
            };
            let (at, otherwise, end) = arms(then, otherwise, dst, layout, ops, depth, bind)?;
            ops[at] = Op::Match {
                scrutinees,
                patterns: patterns.clone(),
                first,
                otherwise,
                end,
                dst,
            };
        }
        _ => return None,
    }
    Some(())
}

/// The two arms of a test (a conditional or a match) into `dst`: a place
/// for the test's op, then `then` (in the scope of what `bind` binds), a
/// jump past `otherwise`, and `otherwise`. Returns where the test goes,
/// where `otherwise` starts and the end.
fn arms(
    then: &Code,
    otherwise: &Code,
    dst: u32,
    layout: &mut Layout,
    ops: &mut Vec<Op>,
    depth: u32,
    bind: impl FnOnce(&mut Layout) -> Option<()>,
) -> Option<(usize, u32, u32)> {
    let at = ops.len();
    ops.push(Op::Jump(0));
    let scope = layout.inner.len();
    bind(layout)?;
    flatten(then, dst, layout, ops, depth)?;
    layout.inner.truncate(scope);
    let jump = ops.len();
    ops.push(Op::Jump(0));
    let otherwise_at = ops.len() as u32;
    flatten(otherwise, dst, layout, ops, depth)?;
    let end = ops.len() as u32;
    ops[jump] = Op::Jump(end);
    Some((at, otherwise_at, end))
}

/// Whether `left` reads the reference in slot `slot` (the reading half of
/// `a(i)?`): `?` of it, or its `read` method called with nothing
/// (`r.read >m> m()`, as `?` desugars).
fn is_read_of(left: &Code, slot: u32) -> bool {
    let of_slot = |op: &Operand| matches!(op, Operand::Slot(Slot::Local(r)) if *r == slot);
    match left {
        Code::Call {
            target: Operand::Const(Value::Site(s)),
            args,
            ..
        } => s.is_deref() && matches!(&**args, [r] if of_slot(r)),
        Code::Sequential(field, m, call) => {
            matches!(&**field, Code::Field { target, name, .. } if of_slot(target) && &**name == "read")
                && matches!(&**call, Code::Call { target: Operand::Slot(Slot::Local(t)), args, .. }
                    if t == m && args.is_empty())
        }
        _ => false,
    }
}
