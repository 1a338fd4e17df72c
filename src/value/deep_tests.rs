//! Tests: values nested a million deep, built directly in Rust, are
//! dropped, printed, compared and converted on a thread with a small stack
//! (so any recursion on their depth would overflow it and abort).

use super::arith;
use super::object::{Layer, Object, ObjectRef};
use super::{Record, Value};
use crate::sites::collections::Array;
use crate::sites::state::new_ref;
use crate::value::closure::{Closure, Instance};
use crate::value::code::DefGroup;
use crate::value::env::{Binding, FutureRef};
use crate::ConversionError;
use std::sync::Arc;

const DEPTH: usize = 1_000_000;
/// For objects and library objects, whose building and printing take
/// several steps per level: deep enough that recursion would overflow the
/// stack many times over, and quick to test.
const OBJECT_DEPTH: usize = 200_000;

/// Runs `f` on a thread with a 256 KiB stack: a few thousand levels of
/// recursion would overflow it.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

/// `wrap` applied `depth` times around `inner`; level `i` (0 innermost)
/// gets `i`.
fn nest(depth: usize, inner: Value, wrap: Wrap) -> Value {
    (0..depth).fold(inner, wrap)
}

/// One level of a kind of value.
type Wrap = fn(Value, usize) -> Value;

fn list(v: Value, _: usize) -> Value {
    Value::list(vec![v])
}

fn tuple(v: Value, i: usize) -> Value {
    Value::tuple(vec![Value::from(i), v])
}

fn record(v: Value, _: usize) -> Value {
    Value::Record(Arc::new(Record {
        fields: vec![(Arc::from("inner"), v)],
    }))
}

fn some(v: Value, _: usize) -> Value {
    Value::from(Some(v))
}

fn reference(v: Value, _: usize) -> Value {
    new_ref(Some(v))
}

fn array(v: Value, _: usize) -> Value {
    Array::from_vec(vec![v])
}

/// A closure capturing a future bound to `v` (what a closure made inside
/// `f <x< g` holds). Its definition group is empty: it is never called.
fn closure(v: Value, _: usize) -> Value {
    let future = FutureRef::pending();
    future.resolve(Some(v));
    let group = Arc::new(DefGroup {
        captures: Box::new([]),
        defs: Box::new([]),
    });
    let instance = Instance::new(group, Box::new([Binding::Future(future)]), None);
    Value::Closure(Closure::new(Arc::new(instance), 0))
}

/// An object whose member `inner` is `v`.
fn object(v: Value, _: usize) -> Value {
    let o = Object::new(1);
    let layer = Layer::new(&o, vec![(Arc::from("inner"), Binding::Value(v))]);
    // The last layer: the object is complete.
    if let Some(complete) = o.install(0, layer).unwrap() {
        complete.resolve(Some(Value::Signal));
    }
    Value::Object(ObjectRef::this(o))
}

/// Every kind above in turn.
fn mixed(v: Value, i: usize) -> Value {
    const KINDS: [Wrap; 9] = [
        list, tuple, record, some, reference, array, closure, object, list,
    ];
    KINDS[i % KINDS.len()](v, i)
}

/// `open(i)` for each level outside in, the innermost text, `close(i)` for
/// each level inside out.
fn text(
    depth: usize,
    innermost: &str,
    open: impl Fn(usize) -> String,
    close: impl Fn(usize) -> String,
) -> String {
    let mut s = String::new();
    (0..depth).rev().for_each(|i| s.push_str(&open(i)));
    s.push_str(innermost);
    (0..depth).for_each(|i| s.push_str(&close(i)));
    s
}

#[test]
fn deep_values_of_every_kind_drop_without_recursion() {
    on_small_stack(|| {
        // Lists, tuples, records, datatype values, refs, arrays, closures
        // over futures, and all of these and objects in turn.
        let kinds: [Wrap; 8] = [list, tuple, record, some, reference, array, closure, mixed];
        for wrap in kinds {
            drop(nest(DEPTH, Value::Int(0), wrap));
        }
        drop(nest(OBJECT_DEPTH, Value::Int(0), object));
        // A long list of deep values, and a deep value shared: the second
        // reference frees it.
        let deep = nest(DEPTH, Value::Int(0), list);
        let long = Value::list((0..1000).map(|_| nest(1000, Value::Int(0), tuple)));
        let shared = Value::tuple(vec![deep.clone(), long]);
        drop(deep);
        drop(shared);
    });
}

#[test]
fn deep_values_print_in_full_without_recursion() {
    on_small_stack(|| {
        let v = nest(DEPTH, Value::Int(0), list);
        assert!(v.to_string() == text(DEPTH, "0", |_| "[".into(), |_| "]".into()));

        let v = nest(DEPTH, Value::Int(0), tuple);
        let expected = text(DEPTH, "0", |i| format!("({i}, "), |_| ")".into());
        assert!(v.to_string() == expected);

        let v = nest(DEPTH, Value::Int(0), record);
        let expected = text(DEPTH, "0", |_| "{. inner = ".into(), |_| " .}".into());
        assert!(v.to_string() == expected);

        let v = nest(DEPTH, Value::Int(0), some);
        assert!(v.to_string() == text(DEPTH, "0", |_| "Some(".into(), |_| ")".into()));

        let n = OBJECT_DEPTH;
        let v = nest(n, Value::Int(0), reference);
        assert!(v.to_string() == text(n, "0", |_| "Ref(".into(), |_| ")".into()));

        let v = nest(n, Value::Int(0), array);
        let expected = text(n, "0", |_| "<Array [".into(), |_| "]>".into());
        assert!(v.to_string() == expected);

        let v = nest(n, Value::Int(0), object);
        let expected = text(n, "0", |_| "{ inner = ".into(), |_| " }".into());
        assert!(v.to_string() == expected);

        // `Println` and string concatenation print the same way.
        let v = nest(DEPTH, Value::str("a"), list);
        assert_eq!(v.to_plain_string().len(), 2 * DEPTH + 3);
        let joined = arith::add(&Value::str(">"), &v).unwrap();
        assert_eq!(joined.as_str().map(str::len), Some(2 * DEPTH + 4));
    });
}

#[test]
fn deep_values_compare_without_recursion() {
    on_small_stack(|| {
        for wrap in [list, tuple, record, some] {
            let a = nest(DEPTH, Value::Int(0), wrap);
            let b = nest(DEPTH, Value::Int(0), wrap);
            assert!(a.equals(&b) && b.equals(&a) && a == b);
        }
        // A difference at the bottom, or in depth.
        let a = nest(DEPTH, Value::Int(0), list);
        let c = nest(DEPTH, Value::Int(1), list);
        assert!(!a.equals(&c) && !c.equals(&a));
        let Value::List(l) = &a else { unreachable!() };
        let d = l.head_tail().unwrap().0;
        assert!(!a.equals(d) && !d.equals(&a));
        let e = nest(DEPTH, Value::Int(0), record);
        let f = nest(DEPTH, Value::Int(1), record);
        assert!(!e.equals(&f) && !f.equals(&e));
        // Records compare by field name; lists compare element by element
        // past a deep first element.
        let p = Value::list(vec![e.clone(), Value::Int(1)]);
        let q = Value::list(vec![e.clone(), Value::Int(2)]);
        assert!(!p.equals(&q) && p.equals(&p.clone()));
        // Ordering is defined on numbers, strings and booleans only: deep
        // values are an error, whose message shows their beginning.
        let err = arith::compare("<:", &a, &c).unwrap_err();
        assert!(err.starts_with("cannot apply <: to List [[[[") && err.len() < 1000);
    });
}

#[test]
fn deep_values_convert_to_and_from_host_values() {
    on_small_stack(|| {
        let deep = nest(DEPTH, Value::Int(0), list);
        // A conversion looks as deep as its Rust type: one level here.
        let items = Vec::<Value>::try_from(&deep).unwrap();
        assert_eq!(items.len(), 1);
        assert!(Value::from(items).equals(&deep));
        // An error shows the start of the culprit.
        let err: ConversionError = i64::try_from(&deep).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "expected an integer in the range of i64, but got List {}...",
                "[".repeat(57)
            )
        );
        let err = Vec::<i64>::try_from(&deep).unwrap_err();
        assert!(err
            .to_string()
            .starts_with("in element 0 of the list: expected"));
        // Options, records and tuples around deep values.
        let option = nest(DEPTH, Value::Int(0), some);
        let inner = option.clone().into_option().unwrap().unwrap();
        assert!(Value::from(Some(inner)).equals(&option));
        let pair = Value::from((deep.clone(), option.clone()));
        let (a, b): (Value, Value) = pair.try_into().unwrap();
        assert!(a.equals(&deep) && b.equals(&option));
        let map = std::collections::BTreeMap::from([("k".to_string(), deep.clone())]);
        let back = std::collections::BTreeMap::<String, Value>::try_from(Value::from(map)).unwrap();
        assert!(back["k"].equals(&deep));
    });
}
