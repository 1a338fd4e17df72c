//! Structural equality of values (`=`), at any depth, without recursion.
//!
//! Two values are compared node by node, depth first; what is left of a
//! container whose elements are still to compare (the rest of a tuple,
//! of a list, of a record's fields) waits on a heap stack, so the stack
//! holds one entry per level of nesting and the Rust stack none. Equal
//! elements that are scalars are compared in place, without touching the
//! stack: comparing flat values allocates nothing.
//!
//! Ordering (`<:`, `<=`, ...) is defined on numbers, strings and booleans
//! only ([`super::arith::compare`]), as in the reference, so it never looks
//! inside a value; and values are not hashed.

use super::{arith, List, Record, Value};
use smallvec::SmallVec;
use std::cmp::Ordering;
use std::sync::Arc;

/// What is left of two containers being compared.
enum Rest<'a> {
    /// The remaining elements of two tuples or datatype values, pairwise.
    Items(&'a [Value], &'a [Value]),
    /// The remaining cells of two lists.
    Lists(&'a List, &'a List),
    /// The remaining fields of the left record, each looked up in the
    /// right one.
    Fields(&'a [(Arc<str>, Value)], &'a Record),
}

type Work<'a> = SmallVec<[Rest<'a>; 8]>;

/// Whether comparing `v` means looking at its elements: a tuple, a
/// record, a datatype value, a list with cells.
#[inline(always)]
fn is_structured(v: &Value) -> bool {
    match v {
        Value::List(l) => !l.is_empty(),
        Value::Tuple(_) | Value::Record(_) | Value::Data(_) => true,
        _ => false,
    }
}

/// `a = b`, structurally.
pub(super) fn equal(a: &Value, b: &Value) -> bool {
    if !is_structured(a) {
        return scalar_equal(a, b);
    }
    let mut work = Work::new();
    if !open(a, b, &mut work) {
        return false;
    }
    while let Some(rest) = work.pop() {
        if !resume(rest, &mut work) {
            return false;
        }
    }
    true
}

/// Structural equality of two lists.
pub(super) fn lists_equal(a: &List, b: &List) -> bool {
    let mut work = Work::new();
    work.push(Rest::Lists(a, b));
    while let Some(rest) = work.pop() {
        if !resume(rest, &mut work) {
            return false;
        }
    }
    true
}

/// Compares `a` and `b` at the top: `false` if they differ there; if they
/// are containers of the same shape, their elements are left on `work`.
fn open<'a>(a: &'a Value, b: &'a Value, work: &mut Work<'a>) -> bool {
    match (a, b) {
        (Value::Tuple(x), Value::Tuple(y)) => {
            if x.len() != y.len() {
                return false;
            }
            work.push(Rest::Items(x, y));
            true
        }
        (Value::List(x), Value::List(y)) => {
            work.push(Rest::Lists(x, y));
            true
        }
        (Value::Record(x), Value::Record(y)) => {
            if x.fields.len() != y.fields.len() {
                return false;
            }
            work.push(Rest::Fields(&x.fields, y));
            true
        }
        (Value::Data(x), Value::Data(y)) => {
            if !Arc::ptr_eq(&x.constructor, &y.constructor) {
                return false;
            }
            // Values of one constructor have its arity of fields; pairs
            // beyond the shorter (never, in fact) are not compared.
            let n = x.fields.len().min(y.fields.len());
            work.push(Rest::Items(&x.fields[..n], &y.fields[..n]));
            true
        }
        _ => scalar_equal(a, b),
    }
}

/// Goes on comparing what `rest` left: scalars in place, until a pair of
/// containers, which is opened on top of what is left after it.
fn resume<'a>(rest: Rest<'a>, work: &mut Work<'a>) -> bool {
    match rest {
        Rest::Items(xs, ys) => {
            for (i, (x, y)) in xs.iter().zip(ys).enumerate() {
                if is_structured(x) {
                    if i + 1 < xs.len() {
                        work.push(Rest::Items(&xs[i + 1..], &ys[i + 1..]));
                    }
                    return open(x, y, work);
                }
                if !scalar_equal(x, y) {
                    return false;
                }
            }
            true
        }
        Rest::Lists(mut a, mut b) => loop {
            // Shared cells (a common tail) are equal.
            if a.same_cells(b) {
                return true;
            }
            match (a.head_tail(), b.head_tail()) {
                (Some((x, xs)), Some((y, ys))) => {
                    if is_structured(x) {
                        work.push(Rest::Lists(xs, ys));
                        return open(x, y, work);
                    }
                    if !scalar_equal(x, y) {
                        return false;
                    }
                    a = xs;
                    b = ys;
                }
                _ => return false,
            }
        },
        Rest::Fields(fields, other) => {
            for (i, (name, x)) in fields.iter().enumerate() {
                let Some(y) = other.get(name) else {
                    return false;
                };
                if is_structured(x) {
                    if i + 1 < fields.len() {
                        work.push(Rest::Fields(&fields[i + 1..], other));
                    }
                    return open(x, y, work);
                }
                if !scalar_equal(x, y) {
                    return false;
                }
            }
            true
        }
    }
}

/// Equality where `a` needs no looking into ([`is_structured`] is false):
/// numbers across their kinds, strings, booleans, constants, the empty
/// list, and identity for closures, sites and objects.
fn scalar_equal(a: &Value, b: &Value) -> bool {
    use Value::*;
    match (a, b) {
        (Signal, Signal) | (Null, Null) => true,
        (Bool(x), Bool(y)) => x == y,
        (Int(x), Int(y)) => x == y,
        (Int(_) | BigInt(_), Int(_) | BigInt(_)) => a.as_bigint() == b.as_bigint(),
        (Decimal(x), Decimal(y)) => x == y,
        (Decimal(d), Int(_) | BigInt(_)) | (Int(_) | BigInt(_), Decimal(d)) => {
            let n = if let Decimal(_) = a { b } else { a };
            n.as_bigint()
                .map(|i| **d == super::Decimal::new(i, 0))
                .unwrap_or(false)
        }
        (Float(_), _) | (_, Float(_)) => arith::compare("=", a, b) == Ok(Ordering::Equal),
        (Str(x), Str(y)) => x == y,
        (Closure(x), Closure(y)) => x.same(y),
        (Site(x), Site(y)) => Arc::ptr_eq(x, y) || x.site_eq(&**y),
        (Object(x), Object(y)) => x.same(y),
        // `a` is not structured: the empty list, against a list.
        (List(x), List(y)) => x.is_empty() && y.is_empty(),
        _ => false,
    }
}
