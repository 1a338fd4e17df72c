//! Running a recursive pass over a tree without recursing on the Rust stack.
//!
//! Programs nest without limit (a generated sum of 100,000 terms, a file of
//! 300,000 `val`s, each scoping over the rest), so the compiler's passes
//! over expressions and core terms (desugaring, class member rewriting,
//! resolution) are written in continuation-passing style and driven by
//! [`run`]:
//!
//! - where the pass would recurse into a subtree, it returns
//!   [`Step::Then`] with the subtree and a *continuation*, a boxed closure
//!   saying what to do with the subtree's result;
//! - a helper that takes a continuation of its own (a result that is not
//!   the pass's output type, or several subtrees in a loop) hands its
//!   result over with [`Step::Jump`] rather than calling the continuation
//!   itself, so that no chain of helpers grows the Rust stack either;
//! - [`Step::Done`] is a result for the innermost pending continuation.
//!
//! [`run`] keeps the pending continuations on a heap-allocated stack and
//! calls one thing at a time, so the Rust stack stays a few frames deep
//! whatever the input; the continuations run in the order the recursive
//! code would have run, so side effects (fresh names, diagnostics) come
//! out in the same order.

/// What a pass does next.
pub(crate) enum Step<'k, S, I, O> {
    /// Visit `I`, then give its result to the continuation.
    Then(I, Cont<'k, S, I, O>),
    /// Run this (a helper handing its result to its own continuation).
    Jump(Go<'k, S, I, O>),
    /// A result for the innermost pending continuation (or of the pass).
    Done(O),
}

/// What to do with a visit's result.
pub(crate) type Cont<'k, S, I, O> = Box<dyn FnOnce(&mut S, O) -> Step<'k, S, I, O> + 'k>;

/// What to do next, from the state alone.
pub(crate) type Go<'k, S, I, O> = Box<dyn FnOnce(&mut S) -> Step<'k, S, I, O> + 'k>;

/// Runs a pass from `start` to its result, visiting inputs with `visit`.
pub(crate) fn run<'k, S, I, O>(
    state: &mut S,
    start: Step<'k, S, I, O>,
    visit: impl Fn(&mut S, I) -> Step<'k, S, I, O>,
) -> O {
    let mut pending: Vec<Cont<'k, S, I, O>> = Vec::new();
    let mut step = start;
    loop {
        step = match step {
            Step::Then(input, k) => {
                pending.push(k);
                visit(state, input)
            }
            Step::Jump(go) => go(state),
            Step::Done(out) => match pending.pop() {
                Some(k) => k(state, out),
                None => return out,
            },
        };
    }
}

#[cfg(test)]
mod tests {
    use super::{run, Step};

    /// A linked list a million long, summed "recursively".
    enum List {
        Nil,
        Cons(u64, Box<List>),
    }

    fn visit<'a>(_: &mut (), l: &'a List) -> Step<'a, (), &'a List, u64> {
        match l {
            List::Nil => Step::Done(0),
            List::Cons(x, rest) => {
                let x = *x;
                Step::Then(&**rest, Box::new(move |_, sum| Step::Done(sum + x)))
            }
        }
    }

    #[test]
    fn deep_recursion_runs_on_the_heap() {
        let n = 1_000_000u64;
        let mut list = List::Nil;
        for i in 1..=n {
            list = List::Cons(i, Box::new(list));
        }
        let sum = run(&mut (), visit(&mut (), &list), visit);
        assert_eq!(sum, n * (n + 1) / 2);
        // Taken apart by hand: the derived drop would recurse.
        while let List::Cons(_, rest) = list {
            list = *rest;
        }
    }
}
