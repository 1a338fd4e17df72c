//! Dropping values without recursion.
//!
//! A value can nest to any depth (`nest(300000, [])` wraps a list three
//! hundred thousand times), and the drop glue Rust generates would follow
//! that nesting on the thread's stack: one frame per level, an overflow
//! long before such a value is freed. So every node that owns values (a
//! list cell, a tuple, a record, a datatype value, a closure's captures,
//! an object's members, a library object's state: a `Ref`'s content, an
//! array's cells, a channel's items) releases them in its `Drop` with
//! [`release`], [`release_all`] or [`release_binding`]:
//!
//! - A child whose drop stops at once is left to the drop glue: a scalar,
//!   a value shared with someone else (the drop only decrements a count),
//!   or a node owned here alone whose children are all scalars. That is
//!   the common case, and it costs a check of the child's tag (and, for a
//!   container, of its count), nothing else: no allocation, no
//!   thread-local access.
//! - Any other child is moved out of its node and handed to [`defer`]:
//!   the first such child on a thread starts a *drain*, which drops
//!   handed-over values one at a time from a heap stack kept per thread;
//!   the nodes it drops hand their own deep children to that stack instead
//!   of dropping them. So the Rust stack holds at most a few drops at
//!   once, whatever the depth, and the per-thread stack is reused by every
//!   later drain (it is shrunk back when a drain made it large).
//!
//! Whether a child needs the drain is only a hint ([`needs_unwinding`]):
//! taking one out is always correct, and a node's own `Drop` releases its
//! children again, so a wrong guess costs at most one more level of
//! recursion (two threads dropping the last two references to a node at
//! the same moment, say).

use super::Value;
use crate::runtime::env::Binding;
use std::cell::{Cell, RefCell};

thread_local! {
    /// Values handed over to the drain running on this thread.
    static PENDING: RefCell<Vec<Value>> = const { RefCell::new(Vec::new()) };
    /// Whether a drain is running on this thread.
    static DRAINING: Cell<bool> = const { Cell::new(false) };
}

/// A drain's stack past this many values is given back when it ends.
const KEEP_CAPACITY: usize = 1024;

/// Whether `v` may own further nodes: a container of any kind (the empty
/// list is a constant with nothing in it).
#[inline(always)]
pub(crate) fn is_container(v: &Value) -> bool {
    match v {
        Value::List(l) => !l.is_empty(),
        Value::Tuple(_)
        | Value::Record(_)
        | Value::Data(_)
        | Value::Closure(_)
        | Value::Site(_)
        | Value::Object(_) => true,
        _ => false,
    }
}

/// Whether dropping `v` (owned by a node being dropped) could go deeper
/// than its own children: it is the last reference to a node that holds
/// containers. Objects and sites (whose contents are not looked at here)
/// count when they are the last reference.
#[inline]
pub(crate) fn needs_unwinding(v: &Value) -> bool {
    use std::sync::Arc;
    match v {
        Value::List(l) => l.needs_unwinding(),
        Value::Tuple(t) => t.is_last() && t.iter().any(is_container),
        Value::Record(r) => {
            Arc::strong_count(r) == 1 && r.fields.iter().any(|(_, v)| is_container(v))
        }
        Value::Data(d) => Arc::strong_count(d) == 1 && d.fields.iter().any(is_container),
        Value::Closure(c) => {
            Arc::strong_count(&c.instance) == 1
                && c.instance.captured.iter().any(|b| match b {
                    Binding::Value(v) => is_container(v),
                    Binding::Future(f) => matches!(f.get(), Some(Some(v)) if is_container(v)),
                })
        }
        Value::Object(o) => Arc::strong_count(&o.object) == 1,
        Value::Site(s) => Arc::strong_count(s) == 1,
        _ => false,
    }
}

/// Releases one value owned by a node being dropped: if dropping it in
/// place could recurse, it is moved out (leaving `signal`) and dropped by
/// the drain.
#[inline]
pub(crate) fn release(v: &mut Value) {
    if needs_unwinding(v) {
        defer(std::mem::replace(v, Value::Signal));
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
    match b {
        Binding::Value(v) => release(v),
        Binding::Future(f) => {
            if let Some(v) = f.value_mut_if_last() {
                release(v);
            }
        }
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
    struct Done;
    impl Drop for Done {
        fn drop(&mut self) {
            DRAINING.set(false);
        }
    }
    DRAINING.set(true);
    let _done = Done;
    let mut next = Some(v);
    while let Some(v) = next {
        // Its deep children come back through `defer`, onto the stack.
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
