//! Flattening a definition's body into register code ([`Flat`]) where it
//! is an immediate expression, once, as the definition is resolved: the
//! right side of each pruning is computed into the pruning's slot, then
//! its left side; a conditional becomes a branch over its two arms.

use crate::value::code::{Code, Operand, Slot};
use crate::value::flat::{Flat, Op, Src, MAX_REGISTERS};
use crate::value::Value;

/// The ops of `body` (with `frame_size` slots), if it is an immediate
/// expression ([`Code::is_immediate`]).
pub(crate) fn flat_body(body: &Code, frame_size: u32) -> Option<Flat> {
    if !body.is_immediate() || frame_size as usize >= MAX_REGISTERS {
        return None;
    }
    let mut ops = Vec::new();
    // (Bounded by the depth `is_immediate` allows.)
    flatten(body, frame_size, frame_size, &mut ops)?;
    Some(Flat {
        ops: ops.into(),
        regs: frame_size + 1,
        result: frame_size,
    })
}

/// Appends the ops that compute `code` into register `dst`.
fn flatten(code: &Code, dst: u32, frame_size: u32, ops: &mut Vec<Op>) -> Option<()> {
    let src = |op: &Operand| match op {
        Operand::Const(v) => Some(Src::Const(v.clone())),
        Operand::Slot(Slot::Local(i)) if *i < frame_size => Some(Src::Reg(*i)),
        Operand::Slot(Slot::Capture(i)) => Some(Src::Capture(*i)),
        _ => None,
    };
    match code {
        Code::Stop => ops.push(Op::Halt { dst }),
        Code::Const(v) => ops.push(Op::Move {
            src: Src::Const(v.clone()),
            dst,
        }),
        Code::Var(slot) => ops.push(Op::Move {
            src: src(&Operand::Slot(*slot))?,
            dst,
        }),
        Code::Call {
            target: Operand::Const(site @ Value::Site(_)),
            args,
            span,
        } => ops.push(Op::Call {
            site: site.clone(),
            args: args.iter().map(src).collect::<Option<_>>()?,
            dst,
            span: *span,
        }),
        Code::Pruning(left, slot, right) if *slot < frame_size => {
            flatten(right, *slot, frame_size, ops)?;
            flatten(left, dst, frame_size, ops)?;
        }
        Code::If {
            cond,
            then,
            otherwise,
            span,
        } => {
            let cond = src(cond)?;
            let branch = ops.len();
            ops.push(Op::Jump(0));
            flatten(then, dst, frame_size, ops)?;
            let jump = ops.len();
            ops.push(Op::Jump(0));
            let otherwise_at = ops.len() as u32;
            flatten(otherwise, dst, frame_size, ops)?;
            let end = ops.len() as u32;
            ops[branch] = Op::Branch {
                cond,
                otherwise: otherwise_at,
                end,
                dst,
                span: *span,
            };
            ops[jump] = Op::Jump(end);
        }
        _ => return None,
    }
    Some(())
}
