//! Library objects: values with methods (`c.get()`, `s.acquire()`), and the
//! queue of calls blocked on one of them.
//!
//! An object is an [`Object`] site wrapping an `Arc` of its state; its
//! methods are looked up by name in a static table and returned, bound to
//! the object, as [`Method`] sites. Blocking methods never block a thread:
//! they park a [`CallHandle`] in a [`Waiters`] queue and answer
//! `Outcome::Pending`; whoever unblocks them completes the handle.

use super::util::{call_member, site};
use crate::value::cycles::{Container, Tracer, Trash};
use crate::value::print::{shown_to_string, Shown};
use crate::value::site::{CallHandle, Outcome, Peek, Site, SiteCx, SiteError};
use crate::value::Value;
use std::collections::VecDeque;
use std::sync::Arc;

/// The body of a method: the receiver, the arguments, the call context.
pub type MethodFn<T> = fn(&Arc<T>, &[Value], &mut SiteCx<'_>) -> Outcome;

/// One row of a method table.
pub struct Entry<T: 'static> {
    pub name: &'static str,
    /// `Kind.name`, the name errors use.
    pub qualified: &'static str,
    pub f: MethodFn<T>,
}

/// `method!("Channel", "get", get)`: a table row for `Channel.get`.
/// `method!("Ref", "read" => Store::read)` calls `Store::read(this,
/// "Ref.read", args)` (the name for its errors), and with `, cx` after the
/// function passes the call's context too.
macro_rules! method {
    ($kind:literal, $name:literal => $f:path) => {
        $crate::sites::object::method!($kind, $name, |r, a, _| $f(r, concat!($kind, ".", $name), a))
    };
    ($kind:literal, $name:literal => $f:path, cx) => {
        $crate::sites::object::method!($kind, $name, |r, a, cx| $f(
            r,
            concat!($kind, ".", $name),
            a,
            cx
        ))
    };
    ($kind:literal, $name:literal, $f:expr) => {
        $crate::sites::object::Entry {
            name: $name,
            qualified: concat!($kind, ".", $name),
            f: $f,
        }
    };
}
pub(crate) use method;

/// The behaviour of one kind of library object.
pub trait Kind: Send + Sync + Sized + 'static {
    /// The kind's name, as errors and `has no member` messages show it.
    const NAME: &'static str;

    fn methods() -> &'static [Entry<Self>];

    /// How the object prints.
    fn display(&self) -> String {
        format!("<{}>", Self::NAME)
    }

    /// How the object prints if it holds values ([`Site::show`]); it then
    /// prints this way rather than as [`Kind::display`].
    fn show(_this: &Arc<Self>) -> Option<Shown> {
        None
    }

    /// Calling the object itself (`a(i)` on an array).
    fn call(_this: &Arc<Self>, _args: &[Value], _cx: &mut SiteCx<'_>) -> Outcome {
        Outcome::Error(SiteError::new(format!(
            "a {} cannot be called; use its methods",
            Self::NAME
        )))
    }

    /// Members beyond the method table (a dictionary's fields).
    fn other_member(_this: &Arc<Self>, _name: &str) -> Option<Value> {
        None
    }

    /// [`Site::peek`] of calling the object itself: reads only.
    fn peek(_this: &Arc<Self>, _args: &[Value]) -> Peek {
        Peek::Effect
    }

    /// [`Site::peek_member`]: the methods that only read.
    fn peek_member(_this: &Arc<Self>, _name: &str, _args: &[Value]) -> Peek {
        Peek::Effect
    }

    /// [`Site::peek_read`]: reading what calling the object gives.
    fn peek_read(_this: &Arc<Self>, _args: &[Value]) -> Option<Outcome> {
        None
    }

    /// [`Site::call_member_of`]: a method of what calling the object gives.
    fn call_member_of(
        _this: &Arc<Self>,
        _args: &[Value],
        _name: &str,
        _member_args: &[Value],
        _cx: &mut SiteCx<'_>,
    ) -> Option<Outcome> {
        None
    }

    /// For the cycle collector ([`crate::value::cycles`]): reports every
    /// value (and library object) the state holds, once per reference,
    /// under its lock. The default, for states that hold none, reports
    /// nothing.
    fn trace(&self, _tracer: &mut Tracer<'_>) {}

    /// For the cycle collector: moves the values the state holds into
    /// `trash` (it is garbage). Needed for states that can be written
    /// after they are made (and then join the run's cycle registry).
    fn clear(&self, _trash: &mut Trash) {}

    /// For the cycle collector's threshold: one, plus what the state
    /// holds when that may be large (an array's cells).
    fn weight(&self) -> usize {
        1
    }
}

impl<T: Kind> Container for T {
    fn trace(&self, tracer: &mut Tracer<'_>) {
        <T as Kind>::trace(self, tracer)
    }
    fn clear(&self, trash: &mut Trash) {
        <T as Kind>::clear(self, trash)
    }
    fn weight(&self) -> usize {
        <T as Kind>::weight(self)
    }
}

/// The index of method `name`'s row. (Looked up at every member read and
/// at a method call's first call: names of another length or first
/// letter are passed over without a string comparison.)
#[inline]
fn find_method<T>(table: &[Entry<T>], name: &str) -> Option<usize> {
    let (len, first) = (name.len(), name.as_bytes().first());
    table
        .iter()
        .position(|e| e.name.len() == len && e.name.as_bytes().first() == first && e.name == name)
}

/// The row a call's [`MemberHint`] names. The hint is the address of the
/// kind's table plus the row's index (see [`hint_for`]), trusted only
/// when it is within this table's first bytes: tables are arrays of
/// rows many bytes long, so the hint of another kind's table never lands
/// there, and a call that reaches objects of another kind finds the
/// method by name again. The call always has the same name, so the row
/// it found in this table is still the one for the name.
#[inline(always)]
fn hinted<T>(table: &'static [Entry<T>], hint: usize) -> Option<&'static Entry<T>> {
    table.get(hint.wrapping_sub(table.as_ptr() as usize))
}

/// The hint for row `index` of `table` (see [`hinted`]).
fn hint_for<T>(table: &'static [Entry<T>], index: usize) -> usize {
    table.as_ptr() as usize + index
}

/// A library object as a value.
pub struct Object<T: Kind>(pub Arc<T>);

impl<T: Kind> Object<T> {
    pub fn value(state: T) -> Value {
        Value::Site(Arc::new(Object(Arc::new(state))))
    }
}

site!(impl[T: Kind] Object<T> {
    fn name(&self) -> &str {
        T::NAME
    }
    fn display_name(&self) -> String {
        match T::show(&self.0) {
            Some(shown) => shown_to_string(shown),
            None => self.0.display(),
        }
    }
    fn show(&self) -> Option<Shown> {
        T::show(&self.0)
    }
    fn call(&self, args: &[Value], cx: &mut SiteCx<'_>) -> Outcome {
        T::call(&self.0, args, cx)
    }
    fn member_names(&self) -> Vec<&str> {
        T::methods().iter().map(|e| e.name).collect()
    }
    fn member(&self, name: &str) -> Option<Value> {
        let table = T::methods();
        match find_method(table, name).map(|i| &table[i]) {
            Some(e) => Some(Value::Site(Arc::new(Method {
                recv: self.0.clone(),
                name: e.qualified,
                f: e.f,
            }))),
            None => T::other_member(&self.0, name),
        }
    }
    call_member!(|self, name, hint, args, cx| {
        let table = T::methods();
        let e = match hinted(table, hint.get()) {
            Some(e) => e,
            None => {
                let index = find_method(table, name)?;
                hint.set(hint_for(table, index));
                &table[index]
            }
        };
        Some((e.f)(&self.0, args, cx))
    });
    fn peek(&self, args: &[Value]) -> Peek {
        T::peek(&self.0, args)
    }
    fn peek_member(&self, name: &str, args: &[Value]) -> Peek {
        T::peek_member(&self.0, name, args)
    }
    fn peek_read(&self, args: &[Value]) -> Option<Outcome> {
        T::peek_read(&self.0, args)
    }
    fn call_member_of(
        &self,
        args: &[Value],
        name: &str,
        member_args: &[Value],
        cx: &mut SiteCx<'_>,
    ) -> Option<Outcome> {
        T::call_member_of(&self.0, args, name, member_args, cx)
    }
    fn trace(&self, tracer: &mut Tracer<'_>) {
        tracer.container(&self.0);
    }
});

/// A method bound to its receiver.
pub struct Method<T: 'static> {
    recv: Arc<T>,
    name: &'static str,
    f: MethodFn<T>,
}

site!(impl[T: Kind] Method<T> {
    fn name(&self) -> &str {
        self.name
    }
    fn call(&self, args: &[Value], cx: &mut SiteCx<'_>) -> Outcome {
        (self.f)(&self.recv, args, cx)
    }
    fn site_eq(&self, other: &dyn Site) -> bool {
        // `c.get = c.get`: the same method of the same object.
        other
            .as_any()
            .downcast_ref::<Method<T>>()
            .is_some_and(|o| Arc::ptr_eq(&o.recv, &self.recv) && o.name == self.name)
    }
    fn trace(&self, tracer: &mut Tracer<'_>) {
        tracer.container(&self.recv);
    }
});

// The lock of an object's state lives with the values that hold it.
pub use crate::value::lock::{lock, lock_to_print, StateLock};

/// Calls blocked on an object, oldest first. Calls whose token was killed
/// stay in the queue until they reach its front (or a compaction), and are
/// skipped there: nothing is ever handed to a dead caller.
#[derive(Default)]
pub struct Waiters(VecDeque<CallHandle>);

impl Waiters {
    /// Parks the current call; the caller returns the `Pending` this gives.
    /// (Inlined: called out of line from `Channel.get`, it had the get's
    /// other path copy its answer through the stack in pieces, then load
    /// it whole, which waited on the stores: +5% channel time.)
    #[inline(always)]
    pub fn wait(&mut self, cx: &mut SiteCx<'_>) -> Outcome {
        // Drop dead entries now and then, so that a queue repeatedly timed
        // out of (`timeout(c.get(), t)` in a loop) does not grow forever.
        if self.0.len() >= 16 && self.0.len().is_power_of_two() {
            self.0.retain(CallHandle::is_live);
        }
        self.0.push_back(cx.defer());
        Outcome::Pending
    }

    /// The oldest call still waiting, removed from the queue.
    pub fn pop_live(&mut self) -> Option<CallHandle> {
        while let Some(h) = self.0.pop_front() {
            if h.is_live() {
                return Some(h);
            }
        }
        None
    }

    pub fn has_live(&self) -> bool {
        self.0.iter().any(CallHandle::is_live)
    }

    /// Every call still waiting, in order, emptying the queue.
    pub fn take_all(&mut self) -> Vec<CallHandle> {
        self.0.drain(..).filter(CallHandle::is_live).collect()
    }

    pub fn publish_all(&mut self, v: &Value) {
        for h in self.take_all() {
            h.publish(v.clone());
        }
    }

    pub fn halt_all(&mut self) {
        for h in self.take_all() {
            h.halt();
        }
    }
}

/// Runs a method body that checks its arguments with `?`.
/// `(T::NAME, a site making a new, empty T)`: how `Channel()`, `Cell()`
/// and `Dictionary()` are bound.
pub fn maker<T: Kind + Default>() -> (&'static str, Value) {
    let site = super::util::Func {
        name: T::NAME,
        f: |args| {
            super::util::arity::<0>(T::NAME, args)?;
            Ok(Object::value(T::default()))
        },
    };
    (T::NAME, super::site_value(site))
}

pub fn checked(r: Result<Outcome, SiteError>) -> Outcome {
    r.unwrap_or_else(Outcome::Error)
}
