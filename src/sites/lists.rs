//! The work of the prelude's list functions that runs natively: `append`'s
//! (`Append`), `member`'s (`Member`), and `filter`'s by a predicate that
//! can be called in place (`FilterInPlace`). Each function still matches
//! `[]` and a cons in Orc first, so that it waits for its arguments as its
//! clauses would.
//!
//! Written in Orc, each element of such a function costs a call of a
//! definition (a frame, a clause match, a publication); a functional
//! quicksort spends nearly all its time so. Here the spine is walked in a
//! loop, and a predicate whose body is an immediate expression (`lambda(x)
//! = x <: p`, which publishes at most once, never waits and has no
//! effect) is run on each element where the site runs
//! ([`SiteCx::call_in_place`]). The results are those of the Orc
//! definitions: a predicate of any other kind makes `FilterInPlace`
//! say so, and `filter` (in `stdlib/list.orc`) then runs its Orc
//! clauses. The loops ask every few thousand elements whether the run
//! must stop ([`SiteCx::stopping`]).

use super::util::{arity, expected, site};
use crate::value::flat::IntArg;
use crate::value::site::{if_condition_error, Outcome, SiteCx, SiteError};
use crate::value::Value;
use crate::value::{List, ListBuilder};

/// Elements worked through between two looks at the run's limits.
const LOOK_EVERY: usize = 4096;

/// `Append(xs, ys)`, the body of the prelude's `append`: the elements of
/// `xs`, then those of `ys`. The cells of `ys` are shared, those of `xs`
/// copied, as the clauses `append([], ys) = ys` and `append(x:xs, ys) = x
/// : append(xs, ys)` would copy them; and as they would, it halts silently
/// when `xs` is not a list, publishes `ys` whatever it is when `xs` is
/// empty, and is the error of `:` when `ys` is not a list.
pub struct Append;
site!(impl Append as "Append": immediate, pure {
    fn call(&self, args: &[Value], cx: &mut SiteCx<'_>) -> Outcome {
        binary("Append", args, |xs, ys| append(xs, ys, cx))
    }
});

fn append(xs: &Value, ys: &Value, cx: &mut SiteCx<'_>) -> Outcome {
    let Value::List(xs) = xs else {
        return Outcome::Halt;
    };
    if xs.is_empty() {
        return Outcome::Publish(ys.clone());
    }
    let Value::List(ys) = ys else {
        return Outcome::Error(expected(":", "a list as its second argument", ys));
    };
    // (The memory it takes is allocated here: the run may have to stop
    // before it is built.)
    let mut front = ListBuilder::new();
    let mut rest = xs;
    let mut seen = 0usize;
    while let Some((x, tail)) = rest.head_tail() {
        if seen % LOOK_EVERY == LOOK_EVERY - 1 && cx.stopping() {
            return Outcome::Halt;
        }
        front.push(x.copied());
        seen += 1;
        rest = tail;
    }
    Outcome::Publish(Value::List(front.finish(ys.clone())))
}

/// `Member(item, xs)`, the body of the prelude's `member`: whether some
/// element of `xs` equals `item` (as `=` compares), looked for from the
/// front as the clauses look; it halts silently when `xs` is not a list.
pub struct Member;
site!(impl Member as "Member": immediate, pure {
    fn call(&self, args: &[Value], cx: &mut SiteCx<'_>) -> Outcome {
        binary("Member", args, |item, xs| member(item, xs, cx))
    }
});

fn member(item: &Value, xs: &Value, cx: &mut SiteCx<'_>) -> Outcome {
    let Value::List(xs) = xs else {
        return Outcome::Halt;
    };
    let mut rest = xs;
    let mut seen = 0usize;
    while let Some((x, tail)) = rest.head_tail() {
        if seen % LOOK_EVERY == LOOK_EVERY - 1 && cx.stopping() {
            return Outcome::Halt;
        }
        if item.equals(x) {
            return Outcome::Publish(Value::Bool(true));
        }
        seen += 1;
        rest = tail;
    }
    Outcome::Publish(Value::Bool(false))
}

/// `FilterInPlace(p, xs)`: `(true, ys)`, where `ys` is the list of the
/// elements `x` of `xs` for which `p(x)` is true, when `p` can be called
/// in place on every element; `(false, [])`, with nothing done, when it
/// cannot (or `xs` is not a list). It halts where `filter` halts: when `p`
/// halts on some element (after `p` has run on all of them, reporting
/// their errors, as `filter` runs it on all in parallel), or answers
/// something other than a boolean (the error of `if`, once, for the first
/// such answer). (A pair and a conditional, rather than an option matched
/// or a value compared, so that `filter` needs no more built-ins than its
/// clauses do: a sandbox that withholds `=` or `Some` keeps it.)
pub struct FilterInPlace;
site!(impl FilterInPlace as "FilterInPlace" {
    fn pure_given(&self) -> Option<u32> {
        // Its effects are those of the predicate's calls.
        Some(1)
    }
    fn call(&self, args: &[Value], cx: &mut SiteCx<'_>) -> Outcome {
        binary("FilterInPlace", args, |p, xs| filter(p, xs, cx))
    }
});

fn filter(p: &Value, xs: &Value, cx: &mut SiteCx<'_>) -> Outcome {
    let Value::List(xs) = xs else {
        // (The clauses then halt, as none matches.)
        return not_here();
    };
    // A predicate of one or two operators on integers (`lambda(x) = x <:
    // p`), applied to an integer element at once, with no call made:
    // `cx.call_in_place` would find the same, at every element.
    let ints = match p {
        Value::Closure(c) if !c.has_pending_captures() => c.int_form(1),
        _ => None,
    };
    // An element that is a closure still waiting for its captured
    // variables would make a call give up midway, after the calls before
    // it reported their errors: looked for before the first call (not
    // before the integer form's answers, which report none and are
    // dropped with the rest if the list has such an element).
    let mut looked = false;
    let mut kept = ListBuilder::new();
    let mut halted = false;
    let mut not_boolean = None;
    let mut rest = xs;
    let mut seen = 0usize;
    while let Some((x, tail)) = rest.head_tail() {
        if seen % LOOK_EVERY == LOOK_EVERY - 1 && cx.stopping() {
            return Outcome::Halt;
        }
        let answer = match (&ints, x) {
            (Some(form), Value::Int(n)) => form
                .apply(|a| match a {
                    IntArg::Param(_) => Some(*n),
                    IntArg::Const(c) => Some(c),
                    _ => None,
                })
                .map(|r| Some(Value::from(r))),
            _ => None,
        };
        let answer = match answer {
            Some(answer) => Some(answer),
            None => {
                if !looked {
                    if waiting_closure(xs) {
                        return not_here();
                    }
                    looked = true;
                }
                cx.call_in_place(p, std::slice::from_ref(x))
            }
        };
        match answer {
            // (Only ever for the first: `p` is the same each time, and
            // no element waits.)
            None => return not_here(),
            Some(Some(Value::Bool(true))) => kept.push(x.copied()),
            Some(Some(Value::Bool(false))) => {}
            Some(Some(other)) => {
                not_boolean.get_or_insert(other);
            }
            Some(None) => halted = true,
        }
        seen += 1;
        rest = tail;
    }
    if let Some(v) = not_boolean {
        return Outcome::Error(SiteError::new(if_condition_error(&v)));
    }
    if halted {
        return Outcome::Halt;
    }
    let list = kept.finish(List::nil());
    Outcome::Publish(Value::tuple(vec![Value::Bool(true), Value::List(list)]))
}

/// What `FilterInPlace` answers for a predicate it cannot call in place.
fn not_here() -> Outcome {
    Outcome::Publish(Value::tuple(vec![
        Value::Bool(false),
        Value::List(List::nil()),
    ]))
}

/// A site of two arguments: `f` of them, or the error of calling it with
/// another number.
fn binary(name: &str, args: &[Value], f: impl FnOnce(&Value, &Value) -> Outcome) -> Outcome {
    match arity::<2>(name, args) {
        Ok([a, b]) => f(a, b),
        Err(e) => Outcome::Error(e),
    }
}

/// Whether some element of `xs` is a closure whose captured variables are
/// still pending (reading it waits for them).
fn waiting_closure(xs: &List) -> bool {
    let mut rest = xs;
    while let Some((x, tail)) = rest.head_tail() {
        if matches!(x, Value::Closure(c) if c.has_pending_captures()) {
            return true;
        }
        rest = tail;
    }
    false
}

pub fn sites() -> Vec<(&'static str, Value)> {
    vec![
        ("Append", super::site_value(Append)),
        ("FilterInPlace", super::site_value(FilterInPlace)),
        ("Member", super::site_value(Member)),
    ]
}
