//! Closures: a definition together with the bindings it captured.
//!
//! A `def` group (mutually recursive definitions declared together) becomes
//! one [`Instance`] holding the captured bindings; each definition's closure
//! is that instance plus an index. Siblings reach each other through the
//! instance, so recursion creates no reference cycle.

use super::arith::IntOp;
use super::code::{DefCode, DefGroup};
use super::env::{Binding, FutureRef, Read};
use super::flat::{IntArg, IntForm};
use crate::value::Value;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

pub struct Instance {
    pub group: Arc<DefGroup>,
    pub captured: Box<[Binding]>,
    /// For groups with `site` definitions: the group and counter of the
    /// declaring scope, where the sites' bodies run.
    pub home: Option<(super::handles::GroupRef, super::handles::CounterRef)>,
    /// Every captured future has resolved (they never become pending
    /// again): calls need not look at the captures any more.
    settled: AtomicBool,
}

impl Instance {
    /// Whether a call of one of its definitions is known not to wait for
    /// a capture (see [`Closure::has_pending_captures`]).
    #[inline(always)]
    pub(crate) fn settled(&self) -> bool {
        self.settled.load(Ordering::Relaxed)
    }

    pub fn new(
        group: Arc<DefGroup>,
        captured: Box<[Binding]>,
        home: Option<(super::handles::GroupRef, super::handles::CounterRef)>,
    ) -> Instance {
        Instance {
            group,
            captured,
            home,
            settled: AtomicBool::new(false),
        }
    }
}

impl Drop for Instance {
    /// Captures may be deep values (a closure capturing a closure
    /// capturing ...): dropped without recursing on their depth (see
    /// [`crate::value::unwind`]).
    fn drop(&mut self) {
        use crate::value::unwind;
        let needs = self.captured.iter().any(unwind::binding_needs_unwinding);
        unwind::drop_owned(&mut self.captured, needs, |captured| {
            unwind::defer_bindings(captured.iter_mut())
        });
    }
}

#[derive(Clone)]
pub struct Closure {
    pub instance: Arc<Instance>,
    pub index: u32,
}

impl Closure {
    pub fn new(instance: Arc<Instance>, index: u32) -> Closure {
        Closure { instance, index }
    }

    pub fn def(&self) -> &DefCode {
        &self.instance.group.defs[self.index as usize]
    }

    pub fn same(&self, other: &Closure) -> bool {
        Arc::ptr_eq(&self.instance, &other.instance) && self.index == other.index
    }

    pub fn describe(&self) -> String {
        format!("<closure {}>", self.def().name)
    }

    /// The value of a call of this closure with `arity` arguments, the
    /// `k`th an integer as `arg(k)` reads it, where the body is one
    /// operator on integers or one applied to another's result
    /// ([`IntForm`], `lambda(x) = x % p /= 0`): the commonest bodies of
    /// the closures list functions call, computed with no registers,
    /// record or frame. `None` for any other body, an operand that is not
    /// a ready machine integer, or an operation the general path must
    /// make (overflow, a zero divisor): the call is then made the usual
    /// way, which gives the same value or error. (Whether the call may run
    /// at once, its captures settled, is the caller's to know.)
    #[inline]
    pub fn int_call(&self, arity: usize, arg: impl Fn(usize) -> Option<i64>) -> Option<Value> {
        Some(Value::from(self.int_form(arity)?.apply(|a| match a {
            IntArg::Param(k) => arg(k as usize),
            IntArg::Const(i) => Some(i),
            _ => None,
        })?))
    }

    /// The body's [`IntForm`] for a call with `arity` arguments, with the
    /// variables it captured read in (as constants): for a caller that
    /// makes many calls (`filter`'s native loop). `None` where the body is
    /// no such form or a captured variable it reads is not a ready
    /// machine integer.
    #[inline]
    pub fn int_form(&self, arity: usize) -> Option<IntForm> {
        let def = self.def();
        if def.arity != arity {
            return None;
        }
        let form = *def.flat.as_ref()?.ints.as_ref()?;
        let arg = |a: IntArg| -> Option<IntArg> {
            Some(match a {
                IntArg::Param(k) if k as usize >= arity => return None,
                IntArg::Capture(k) => match self.instance.captured.get(k as usize)?.read() {
                    Read::Ready(Value::Int(i)) => IntArg::Const(*i),
                    _ => return None,
                },
                a => a,
            })
        };
        let op = |(op, a, b): (IntOp, IntArg, IntArg)| Some((op, arg(a)?, arg(b)?));
        Some(IntForm {
            inner: match form.inner {
                Some(inner) => Some(op(inner)?),
                None => None,
            },
            outer: op(form.outer)?,
        })
    }

    /// Whether any captured future is still pending ([`Self::pending_captures`]
    /// is not empty), without collecting them.
    #[inline]
    pub fn has_pending_captures(&self) -> bool {
        if self.instance.settled() {
            return false;
        }
        let quiet = self.instance.captured.iter().all(|b| match b {
            Binding::Future(f) => !f.is_pending(),
            Binding::Value(Value::Closure(c)) => c.instance.settled(),
            Binding::Value(_) => true,
        });
        if quiet {
            self.instance.settled.store(true, Ordering::Relaxed);
            return false;
        }
        // Captured closures not known to be settled need the full walk.
        !self.pending_captures().is_empty()
    }

    /// The captured futures this closure waits for before it is a value
    /// (published, passed to a site, called).
    ///
    /// A closure waits for every future it captures, as in the manual
    /// ("creation of a closure is strict in the closure's free
    /// variables"), and a captured closure counts with its own captures,
    /// so this holds through any chain of closures. Otherwise a closure
    /// could leave the pruning that computes what it refers to, and lose
    /// it when that pruning is killed.
    ///
    /// A class layer (called by `new`) is lenient, as objects are in the
    /// reference ("tying the knot": `val x = Cons(1, Cons(2, x))` in a
    /// class passes the member's own future along), but only with
    /// futures that nothing can kill before they are bound
    /// ([`FutureRef::anchored`]: objects' members, the top level): an
    /// object never depends on a computation that a pruning around its
    /// creation may kill.
    ///
    /// Once nothing captured is pending at all, the instance is marked
    /// settled and later calls skip the walk.
    pub fn pending_captures(&self) -> Vec<FutureRef> {
        let mut out = Vec::new();
        let mut skipped = false;
        // Instances met on the way that are not known to be settled
        // (rare), so nothing is allocated in the common case, each with
        // whether it is met as a layer. Captures are made before the
        // instance that takes them, so there is no cycle; the list only
        // keeps shared ones from being walked twice.
        let mut walked: Vec<(&Arc<Instance>, bool)> = Vec::new();
        let mut next = Some((&self.instance, self.def().lenient));
        let mut i = 0;
        while let Some((instance, lenient)) = next {
            for b in instance.captured.iter() {
                match b {
                    Binding::Future(f) if f.is_pending() => {
                        if lenient && f.is_anchored() {
                            skipped = true;
                        } else {
                            out.push(f.clone());
                        }
                    }
                    Binding::Value(Value::Closure(c)) if !c.instance.settled() => {
                        let lenient = c.def().lenient;
                        if !walked
                            .iter()
                            .any(|(w, l)| Arc::ptr_eq(w, &c.instance) && *l == lenient)
                        {
                            walked.push((&c.instance, lenient));
                        }
                    }
                    _ => {}
                }
            }
            next = walked.get(i).copied();
            i += 1;
        }
        if out.is_empty() && !skipped {
            self.instance.settled.store(true, Ordering::Relaxed);
        }
        out
    }
}
