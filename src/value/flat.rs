//! Immediate code as straight-line register code.
//!
//! A definition whose body is an immediate expression
//! ([`Code::is_immediate`]: constants, variables, `stop`, prunings,
//! conditionals, matches and calls of immediate sites, as
//! `def peer(i, j) = val r = i / 9 ... r = rj || ...`) publishes at most
//! once, never waits and has no effect. A call of it with its arguments
//! ready is computed where it is made (`runtime::inplace`), by running
//! these ops over an array of registers:
//! the body's record slots (parameters first, each pruning's slot as it is
//! bound) and one for the result. The tree is flattened once, when the
//! definition is resolved (`value/flatten.rs`), so a call walks no tree,
//! makes no record and pushes no frame.
//!
//! An immediate expression inside a body runs as such code too, made the
//! first time the run meets it: its registers are the slots it binds, the
//! record around it is read in place ([`Src::Outer`]), and it may call a
//! closure whose body is register code ([`Op::CallFlat`]) and read an
//! element at once ([`Op::Read`]).
//!
//! [`Code::is_immediate`]: super::code::Code::is_immediate

use super::arith::{IntOp, IntResult};
use super::code::Pat;
use super::Value;
use crate::diagnostics::Span;

/// The most registers a body may use: its record's slots and the result
/// (the call keeps them on the Rust stack).
pub const MAX_REGISTERS: usize = 32;

/// The registers register code runs over: as many as any code may use,
/// so that an index taken modulo their number needs no bounds check
/// (`runtime::inplace`).
pub type Registers = [Option<Value>; MAX_REGISTERS];

/// Where an op reads a value.
pub enum Src {
    /// A register: a slot of the body's record.
    Reg(u32),
    Const(Value),
    /// A variable the closure captured.
    Capture(u32),
    /// A slot of the record around an expression flattened on its own
    /// (`flatten::flat_expr`), read where it is.
    Outer(u32),
}

/// One step. A register holds a value or is halted (the expression bound
/// to it published nothing); what reads a halted register halts.
pub enum Op {
    /// `dst` takes what `src` holds.
    Move { src: Src, dst: u32 },
    /// `dst` is halted (`stop`).
    Halt { dst: u32 },
    /// `dst` takes what the site (an immediate one) publishes; halted if
    /// an argument is, or if the site halts or fails.
    Call {
        site: Value,
        args: Box<[Src]>,
        dst: u32,
        span: Span,
    },
    /// [`Op::Call`] with two arguments (an operator: `i / 9`, `x /= 0`),
    /// held in the op.
    Binary {
        site: Value,
        a: Src,
        b: Src,
        dst: u32,
        span: Span,
        /// The site's shortcut on two machine integers, if it has one
        /// ([`super::site::Site::int_op`]).
        ints: Option<super::arith::IntOp>,
        /// Its shortcut on two booleans ([`super::site::Site::bool_op`]).
        bools: Option<super::arith::BoolOp>,
    },
    /// `dst` takes what a call of the closure `callee` publishes, where
    /// the closure's body is register code of its own (which calls no
    /// closure): only in an expression flattened on its own
    /// (`flatten::flat_expr`). Any other callee gives the whole
    /// expression up, to run the general way.
    CallFlat {
        callee: Src,
        args: Box<[Src]>,
        dst: u32,
    },
    /// `dst` takes what reading the reference `target(args)` gives now
    /// (`a(i)?` on an array: [`super::site::Site::peek_read`]), with no
    /// reference made: only in an expression flattened on its own. A
    /// target that cannot answer so, or a read that would wait, gives the
    /// expression up.
    Read {
        target: Src,
        args: Box<[Src]>,
        dst: u32,
        span: Span,
    },
    /// A conditional whose value goes to `dst`: on `true` the ops that
    /// follow (its `then`), on `false` those from `otherwise`; a halted
    /// condition halts `dst` and one that is not a boolean is an error,
    /// both going on at `end`.
    Branch {
        cond: Src,
        otherwise: u32,
        end: u32,
        dst: u32,
        span: Span,
    },
    /// A match whose value goes to `dst`: when the scrutinees match the
    /// patterns, their bindings go to the registers from `first` on and
    /// the ops that follow (its `then`) run; otherwise those from
    /// `otherwise`. A halted scrutinee under a pattern that needs its
    /// value halts `dst`, going on at `end`.
    Match {
        scrutinees: Box<[Src]>,
        patterns: Box<[Pat]>,
        first: u32,
        otherwise: u32,
        end: u32,
        dst: u32,
    },
    /// Goes on at the op given (the end of a `then`).
    Jump(u32),
}

/// The ops of an immediate body, and its registers.
pub struct Flat {
    pub ops: Box<[Op]>,
    /// Registers: the record's slots, then the result.
    pub regs: u32,
    /// The register the body's value ends in.
    pub result: u32,
    /// The body again, when it is one or two operators on integers.
    pub ints: Option<IntForm>,
}

/// A body that is one operator on integers, or one applied to another's
/// result (`lambda(x) = x % p /= 0`): the commonest bodies of the closures
/// list functions call. A call whose operands are machine integers is
/// computed from this alone, with no registers (`runtime::inplace`).
#[derive(Clone, Copy, Debug)]
pub struct IntForm {
    /// The operator computed first, whose result is [`IntArg::Inner`].
    pub inner: Option<(IntOp, IntArg, IntArg)>,
    pub outer: (IntOp, IntArg, IntArg),
}

/// An operand of an [`IntForm`].
#[derive(Clone, Copy, Debug)]
pub enum IntArg {
    /// The call's argument of that number.
    Param(u32),
    /// A variable the closure captured.
    Capture(u32),
    Const(i64),
    /// The inner operator's result.
    Inner,
}

impl IntForm {
    /// The body's value, with `arg` reading its operands: `None` where an
    /// operand is not a machine integer, the inner result is not an
    /// integer, or an operator leaves it to the general path (overflow, a
    /// zero divisor), which then gives the same value or error.
    #[inline]
    pub fn apply(&self, arg: impl Fn(IntArg) -> Option<i64>) -> Option<IntResult> {
        let inner = match self.inner {
            Some((op, a, b)) => match op.apply(arg(a)?, arg(b)?)? {
                IntResult::Int(v) => Some(v),
                IntResult::Bool(_) => return None,
            },
            None => None,
        };
        let read = |a: IntArg| match a {
            IntArg::Inner => inner,
            a => arg(a),
        };
        let (op, a, b) = self.outer;
        op.apply(read(a)?, read(b)?)
    }
}

impl std::fmt::Debug for Flat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Flat({} ops, {} registers)", self.ops.len(), self.regs)
    }
}
