//! Inlining small global definitions at their call sites: in a program,
//! `timeout(x, 200)` becomes the body of the prelude's `timeout` with `x`
//! and `200` in place of its parameters.
//!
//! A call of a closure costs an activation record, a return frame and the
//! call's own bookkeeping, and a wrapper such as `timeout` or `upto` does
//! little more than that. Only calls whose meaning a substitution of the
//! call's operands for the parameters keeps exactly are inlined:
//!
//! - the callee is a constant (a global: the prelude, a built-in, an
//!   earlier REPL declaration), so the call always reaches that body;
//! - it captures nothing and names no definition of its group (not even
//!   itself), so its body reads only its parameters and constants;
//! - its body binds and defines nothing (its record is its parameters),
//!   so no slot of the caller's record is needed for it;
//! - it is neither a `site` (whose body runs in its declaring scope) nor a
//!   class layer, and it is small (at most [`MAX_NODES`] nodes).
//!
//! The body then runs in the caller's token, as it would have run in the
//! callee's. A def call does not wait for its arguments, so an operand that
//! is a future stays a future in the body, as a parameter would be.

use crate::value::code::{Code, Operand, Slot, NO_SLOT};
use crate::value::Value;
use std::sync::Arc;

/// The largest body inlined, in nodes: wrappers and small combinations of
/// calls, not whole programs copied to every call site.
const MAX_NODES: u32 = 12;

/// A body inlined at a call site.
pub(super) struct Inlined {
    pub code: Arc<Code>,
    /// It has a pruning or `;`, which may start a token reading the
    /// caller's record as it is (see `Resolver::made_reader`).
    pub starts_readers: bool,
}

/// The body of `target` with `args` for its parameters, if the call may be
/// inlined (see the module's documentation).
pub(super) fn inline_call(target: &Operand, args: &[Operand]) -> Option<Inlined> {
    let Operand::Const(Value::Closure(closure)) = target else {
        return None;
    };
    let def = closure.def();
    let instance = &closure.instance;
    if def.site
        || def.lenient
        || def.arity != args.len()
        || def.frame_size as usize != def.arity
        || !instance.captured.is_empty()
        || instance.home.is_some()
    {
        return None;
    }
    let mut s = Substitution {
        args,
        budget: MAX_NODES,
        starts_readers: false,
    };
    let code = s.code(&def.body)?;
    Some(Inlined {
        code: Arc::new(code),
        starts_readers: s.starts_readers,
    })
}

struct Substitution<'a> {
    args: &'a [Operand],
    budget: u32,
    starts_readers: bool,
}

impl Substitution<'_> {
    /// The caller's operand for the callee's; `None` for anything but a
    /// parameter or a constant.
    fn operand(&self, op: &Operand) -> Option<Operand> {
        match op {
            Operand::Const(v) => Some(Operand::Const(v.clone())),
            Operand::Slot(Slot::Local(k)) => self.args.get(*k as usize).cloned(),
            Operand::Slot(Slot::Capture(_) | Slot::Sibling(_)) => None,
        }
    }

    fn arc(&mut self, code: &Code) -> Option<Arc<Code>> {
        self.code(code).map(Arc::new)
    }

    fn code(&mut self, code: &Code) -> Option<Code> {
        self.budget = self.budget.checked_sub(1)?;
        Some(match code {
            Code::Stop => Code::Stop,
            Code::Const(v) => Code::Const(v.clone()),
            Code::Var(s) => match self.operand(&Operand::Slot(*s))? {
                Operand::Slot(s) => Code::Var(s),
                Operand::Const(v) => Code::Const(v),
            },
            Code::Call { target, args, span } => {
                let target = self.operand(target)?;
                let args = args
                    .iter()
                    .map(|a| self.operand(a))
                    .collect::<Option<Box<[Operand]>>>()?;
                super::resolve::call_or_value(target, args, *span)
            }
            Code::Field {
                target, name, span, ..
            } => Code::Field {
                target: self.operand(target)?,
                name: name.clone(),
                span: *span,
                hint: Default::default(),
            },
            Code::Parallel(l, r) => Code::Parallel(self.arc(l)?, self.arc(r)?),
            Code::Sequential(l, NO_SLOT, r) => {
                Code::Sequential(self.arc(l)?, NO_SLOT, self.arc(r)?)
            }
            Code::Otherwise(l, r) => {
                self.starts_readers = true;
                Code::Otherwise(self.arc(l)?, self.arc(r)?)
            }
            Code::Trim(body) => super::race::trim(self.arc(body)?),
            Code::Race(race) => {
                // Counted as its trim.
                self.budget += 1;
                self.code(&race.trim)?
            }
            Code::If {
                cond,
                then,
                otherwise,
                span,
            } => match self.operand(cond)? {
                Operand::Const(Value::Bool(true)) => self.code(then)?,
                Operand::Const(Value::Bool(false)) => self.code(otherwise)?,
                cond => Code::If {
                    cond,
                    then: self.arc(then)?,
                    otherwise: self.arc(otherwise)?,
                    span: *span,
                },
            },
            // Each of these binds a slot of the callee's record (or runs in
            // a clock's scope): not inlined.
            Code::Sequential(..)
            | Code::Pruning(..)
            | Code::Defs { .. }
            | Code::Match { .. }
            | Code::VClock { .. } => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::value::code::{Code, Operand};
    use crate::value::Value;

    /// The resolved top level of `src`, compiled with the prelude.
    fn top(src: &str) -> std::sync::Arc<Code> {
        let engine = crate::engine::Engine::new();
        let compiled = engine.compile("test", src).expect("compiles");
        compiled.code.code.clone()
    }

    fn calls_a_closure(code: &Code) -> bool {
        matches!(
            code,
            Code::Call {
                target: Operand::Const(Value::Closure(_)),
                ..
            }
        )
    }

    #[test]
    fn a_wrapper_call_becomes_its_body() {
        // `timeout(x, t) = {| Some(x) | Rwait(t) >> None() |}`; with `x`
        // a constant, `Some(1)` folds, so this is a trim, not a race.
        let code = top("timeout(1, 2)");
        let Code::Trim(body) = &*code else {
            panic!("not inlined: {code:?}")
        };
        let Code::Parallel(_, right) = &**body else {
            panic!("unexpected body: {body:?}")
        };
        let Code::Sequential(wait, _, _) = &**right else {
            panic!("unexpected body: {right:?}")
        };
        // The parameter `t` is the call's constant.
        assert!(
            matches!(&**wait, Code::Call { args, .. } if matches!(&args[..], [Operand::Const(Value::Int(2))])),
            "{wait:?}"
        );
    }

    #[test]
    fn recursive_and_binding_bodies_are_called() {
        // `metronome` calls itself; `abs` binds its condition.
        assert!(calls_a_closure(&top("metronome(5)")));
        assert!(calls_a_closure(&top("abs(-1)")));
    }

    #[test]
    fn a_call_with_the_wrong_arity_stays_a_call() {
        // Its error is the call's, at run time.
        assert!(calls_a_closure(&top("timeout(1)")));
    }
}
