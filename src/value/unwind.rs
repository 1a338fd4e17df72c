//! Dropping values without recursion on their depth.
//!
//! A value can nest to any depth (`nest(300000, [])` wraps a list three
//! hundred thousand times), and the drop glue Rust generates would follow
//! that nesting on the thread's stack: one frame per level, an overflow
//! long before such a value is freed. So every node that owns values (a
//! list cell, a tuple, a record, a datatype value, a closure's captures,
//! an object's members, a library object's state: a `Ref`'s content, an
//! array's cells, a channel's items) keeps count in its `Drop`:
//!
//! - A node whose values are scalars, or containers shared with someone
//!   else (their drop only decrements a count), drops as it always did.
//!   That is the common case, and it costs a look at the values' tags and
//!   counts: no allocation, no thread-local access.
//! - A node holding the last reference to a container drops its values in
//!   place one level deeper ([`enter`]), as long as fewer than
//!   [`IN_PLACE`] such drops are nested on this thread (a counter kept per
//!   thread): small values (a list of tuples of lists) drop by recursion a
//!   few levels deep, as before.
//! - Deeper, the node moves those containers out and hands them to
//!   [`defer`]: the first one on a thread starts a *drain*, which drops
//!   handed-over values one at a time from a heap stack kept per thread,
//!   each again with [`IN_PLACE`] levels in place before its deeper parts
//!   are handed over in turn. So the Rust stack holds at most twice
//!   [`IN_PLACE`] nested drops, whatever the depth, and the per-thread
//!   stack is reused by every later drain (it is shrunk back when a drain
//!   made it large).
//!
//! Whether a value is the last reference to its container is read without
//! synchronising with other threads, so it is only a hint: taking one out
//! is always correct, and a node's own `Drop` counts again, so a wrong
//! guess costs at most one more level of recursion (two threads dropping
//! the last two references to a node at the same moment, say).

use super::Value;
use crate::value::env::Binding;
use std::cell::{Cell, RefCell};

thread_local! {
    /// Values handed over to the drain running on this thread.
    static PENDING: RefCell<Vec<Value>> = const { RefCell::new(Vec::new()) };
    /// Whether a drain is running on this thread.
    static DRAINING: Cell<bool> = const { Cell::new(false) };
    /// Drops of last references to containers running in place, nested,
    /// on this thread (counted from the drain's current value, if any).
    static NESTED: Cell<u32> = const { Cell::new(0) };
}

/// How many drops of containers may nest in place before deeper parts go
/// to the drain: a few kilobytes of stack.
const IN_PLACE: u32 = 16;

/// A drain's stack past this many values is given back when it ends.
const KEEP_CAPACITY: usize = 1024;

/// Whether dropping `v` (owned by a node being dropped) goes further than
/// a count decrement: it is the last reference to a node that may own
/// values.
#[inline(always)]
pub(crate) fn needs_unwinding(v: &Value) -> bool {
    use std::sync::Arc;
    match v {
        Value::List(l) => l.is_last_reference(),
        Value::Tuple(t) => t.is_last(),
        Value::Record(r) => Arc::strong_count(r) == 1,
        Value::Data(d) => Arc::strong_count(d) == 1,
        Value::Closure(c) => Arc::strong_count(&c.instance) == 1,
        Value::Object(o) => Arc::strong_count(&o.object) == 1,
        Value::Site(s) => Arc::strong_count(s) == 1,
        _ => false,
    }
}

/// A level of drops in place, left when dropped (also by a panic).
pub(crate) struct Level(u32);

impl Drop for Level {
    #[inline(always)]
    fn drop(&mut self) {
        NESTED.set(self.0);
    }
}

/// Enters one more level of drops in place: the caller drops its values
/// while it holds the level. `None` if [`IN_PLACE`] levels are nested
/// already: the caller hands its containers to the drain instead
/// ([`defer_all`], [`defer_binding`]).
#[inline]
pub(crate) fn enter() -> Option<Level> {
    let nested = NESTED.get();
    (nested < IN_PLACE).then(|| {
        NESTED.set(nested + 1);
        Level(nested)
    })
}

/// Drops one value owned by a node being dropped: in place one level
/// deeper, or, if that nests too deeply, by the drain (it is moved out,
/// leaving `signal`).
#[inline(always)]
pub(crate) fn release(v: &mut Value) {
    if needs_unwinding(v) {
        release_container(v);
    }
}

#[inline(never)]
fn release_container(v: &mut Value) {
    let v = std::mem::replace(v, Value::Signal);
    match enter() {
        Some(_level) => drop(v),
        None => defer(v),
    }
}

/// [`release`] for each of a node's values.
#[inline]
pub(crate) fn release_all<'a>(values: impl IntoIterator<Item = &'a mut Value>) {
    for v in values {
        release(v);
    }
}

/// [`release`] for a binding: a value, or a future's value when this is
/// the future's last reference.
#[inline]
pub(crate) fn release_binding(b: &mut Binding) {
    if let Some(v) = binding_value(b) {
        release(v);
    }
}

/// Hands each value that is the last reference to a container to the
/// drain (past [`IN_PLACE`] levels, instead of dropping them in place).
pub(crate) fn defer_all<'a>(values: impl IntoIterator<Item = &'a mut Value>) {
    for v in values {
        if needs_unwinding(v) {
            defer(std::mem::replace(v, Value::Signal));
        }
    }
}

/// How a node being dropped drops what it owns (`owned`, a field it
/// empties): when `needs` (one of its values is the last reference to a
/// container), in place one level deeper, or, nested too deeply, by
/// handing them to the drain with `defer`.
#[inline]
pub(crate) fn drop_owned<C: Default>(owned: &mut C, needs: bool, defer: impl FnOnce(&mut C)) {
    if needs {
        match enter() {
            Some(_level) => drop(std::mem::take(owned)),
            None => defer(owned),
        }
    }
}

/// [`defer_all`] for bindings.
pub(crate) fn defer_bindings<'a>(bindings: impl IntoIterator<Item = &'a mut Binding>) {
    defer_all(bindings.into_iter().filter_map(binding_value));
}

/// Whether dropping the binding frees a container.
#[inline]
pub(crate) fn binding_needs_unwinding(b: &Binding) -> bool {
    match b {
        Binding::Value(v) => needs_unwinding(v),
        // The future's own count is looked at once it is taken apart.
        Binding::Future(f) => matches!(f.get(), Some(Some(v)) if needs_unwinding(v)),
    }
}

/// The value a binding holds alone: its value, or the value of a future
/// it is the last reference to.
#[inline]
fn binding_value(b: &mut Binding) -> Option<&mut Value> {
    match b {
        Binding::Value(v) => Some(v),
        Binding::Future(f) => f.value_mut_if_last(),
    }
}

/// Drops `v` without recursing on its depth: hands it to the drain
/// running on this thread, or runs one.
#[inline(never)]
pub(crate) fn defer(v: Value) {
    if DRAINING.get() {
        // The running drain drops it. (Were the stack gone, the thread
        // being torn down, the value would drop here, as it used to.)
        let _ = PENDING.try_with(move |p| p.borrow_mut().push(v));
        return;
    }
    /// Ends the drain, also if a drop panics.
    struct Done(u32);
    impl Drop for Done {
        fn drop(&mut self) {
            DRAINING.set(false);
            NESTED.set(self.0);
        }
    }
    let _done = Done(NESTED.get());
    DRAINING.set(true);
    let mut next = Some(v);
    while let Some(v) = next {
        // Its deep parts come back through `defer`, onto the stack.
        NESTED.set(0);
        drop(v);
        next = PENDING.try_with(|p| p.borrow_mut().pop()).ok().flatten();
    }
    let _ = PENDING.try_with(|p| {
        let mut p = p.borrow_mut();
        if p.capacity() > KEEP_CAPACITY {
            p.shrink_to(KEEP_CAPACITY);
        }
    });
}
