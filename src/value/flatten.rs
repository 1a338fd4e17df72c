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
//! and the slots of the record around it are read where they are.

use super::code::{Code, Operand, Slot};
use super::flat::{Flat, Op, Src, MAX_REGISTERS};
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
    finish(body, frame_size, &mut layout)
}

/// The ops of `code`, an expression inside a body, if it is immediate and
/// binds no more slots than there are registers.
pub(crate) fn flat_expr(code: &Code) -> Option<Flat> {
    if !code.is_immediate() {
        return None;
    }
    let mut layout = Layout {
        frame_size: None,
        inner: Vec::new(),
        next: 1,
    };
    finish(code, 0, &mut layout)
}

fn finish(code: &Code, result: u32, layout: &mut Layout) -> Option<Flat> {
    let mut ops = Vec::new();
    // (Bounded by the depth `is_immediate` allows.)
    flatten(code, result, layout, &mut ops)?;
    Some(Flat {
        ops: ops.into(),
        regs: layout.next,
        result,
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

/// Appends the ops that compute `code` into register `dst`.
fn flatten(code: &Code, dst: u32, layout: &mut Layout, ops: &mut Vec<Op>) -> Option<()> {
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
            target: Operand::Const(site @ Value::Site(_)),
            args,
            span,
        } => ops.push(Op::Call {
            site: site.clone(),
            args: args.iter().map(|a| layout.src(a)).collect::<Option<_>>()?,
            dst,
            span: *span,
        }),
        Code::Pruning(left, slot, right) => {
            // The right side does not see the slot it is computed into.
            let reg = layout.alloc(*slot)?;
            flatten(right, reg, layout, ops)?;
            let depth = layout.inner.len();
            layout.show(*slot, reg);
            flatten(left, dst, layout, ops)?;
            layout.inner.truncate(depth);
        }
        Code::If {
            cond,
            then,
            otherwise,
            span,
        } => {
            let cond = layout.src(cond)?;
            let (at, otherwise, end) = arms(then, otherwise, dst, layout, ops, |_| Some(()))?;
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
            let (at, otherwise, end) = arms(then, otherwise, dst, layout, ops, bind)?;
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
    bind: impl FnOnce(&mut Layout) -> Option<()>,
) -> Option<(usize, u32, u32)> {
    let at = ops.len();
    ops.push(Op::Jump(0));
    let depth = layout.inner.len();
    bind(layout)?;
    flatten(then, dst, layout, ops)?;
    layout.inner.truncate(depth);
    let jump = ops.len();
    ops.push(Op::Jump(0));
    let otherwise_at = ops.len() as u32;
    flatten(otherwise, dst, layout, ops)?;
    let end = ops.len() as u32;
    ops[jump] = Op::Jump(end);
    Some((at, otherwise_at, end))
}
