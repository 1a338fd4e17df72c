//! Mutable storage and synchronisation: `Ref`, `Cell`, `Semaphore` and
//! `Counter` (the reference's `orc.lib.state` sites, same methods).
//!
//! Blocking methods (`read` on an empty ref or cell, `acquire`, `onZero`,
//! `snoop`) park the call in a [`Waiters`] queue; the write, release or
//! decrement that unblocks them completes it. Calls whose token was killed
//! (say by a `timeout`) are skipped, so they never swallow a release.

use super::object::{
    checked, lock, lock_to_print, method, Entry, Kind, Object, StateLock, Waiters,
};
use super::util::{arity, expected, func};
use crate::value::cycles::{Mark, Tracer, Trash};
use crate::value::print::{Part, Shown};
use crate::value::site::{Outcome, Peek, SiteCx, SiteError};
use crate::value::Value;
use std::sync::Arc;

// ---------------------------------------------------------------- Ref, Cell

#[derive(Default)]
struct Slot {
    value: Option<Value>,
    readers: Waiters,
}

/// A storage location; `ONCE` makes it a write-once `Cell`. The mark
/// says which run's cycle registry it is in ([`crate::value::cycles`]).
#[derive(Default)]
pub struct Store<const ONCE: bool>(StateLock<Slot>, Mark);

pub type RefState = Store<false>;
pub type CellState = Store<true>;

impl<const ONCE: bool> Store<ONCE> {
    fn read(this: &Arc<Self>, name: &str, args: &[Value], cx: &mut SiteCx<'_>) -> Outcome {
        checked(arity::<0>(name, args).map(|_| {
            let mut s = lock(&this.0);
            match &s.value {
                Some(v) => Outcome::Publish(v.copied()),
                None => s.readers.wait(cx),
            }
        }))
    }

    fn read_d(this: &Arc<Self>, name: &str, args: &[Value]) -> Outcome {
        checked(arity::<0>(name, args).map(|_| match &lock(&this.0).value {
            Some(v) => Outcome::Publish(v.copied()),
            None => Outcome::Halt,
        }))
    }

    fn write(this: &Arc<Self>, name: &str, args: &[Value], cx: &mut SiteCx<'_>) -> Outcome
    where
        Self: Kind,
    {
        checked(arity::<1>(name, args).map(|[v]| {
            let mut s = lock(&this.0);
            if ONCE && s.value.is_some() {
                return Outcome::Halt;
            }
            let old = s.value.replace(v.copied());
            s.readers.publish_all(v);
            drop(s);
            drop(old);
            cx.track(this, &this.1, v);
            Outcome::Publish(Value::Signal)
        }))
    }

    /// The content, for the cycle collector.
    fn trace_slot(&self, tracer: &mut Tracer<'_>) {
        if let Some(v) = &lock(&self.0).value {
            tracer.value(v);
        }
    }

    /// Empties a garbage store.
    fn clear_slot(&self, trash: &mut Trash) {
        let old = lock(&self.0).value.take();
        trash.push(old);
    }

    /// `read` (and `readD`) without an effect: the value if there is one.
    fn peek(this: &Arc<Self>, name: &str, args: &[Value]) -> Peek {
        if !args.is_empty() {
            return Peek::Effect;
        }
        match (&lock(&this.0).value, name) {
            (Some(v), "read" | "readD") => Peek::Now(Outcome::Publish(v.copied())),
            (None, "read") => Peek::Wait,
            (None, "readD") => Peek::Now(Outcome::Halt),
            _ => Peek::Effect,
        }
    }

    /// `Ref(v)`, `Ref()`; `Ref(...)` inside itself. `forms` are the texts
    /// `Ref(`, `Ref()` and `Ref(...)`.
    fn shown(this: &Arc<Self>, [open, empty, inside]: [&'static str; 3]) -> Shown {
        let parts = match lock_to_print(&this.0) {
            Some(slot) => match &slot.value {
                Some(v) => vec![Part::Text(open), Part::Value(v.clone()), Part::Text(")")],
                None => vec![Part::Text(empty)],
            },
            None => vec![Part::Text(inside)],
        };
        Shown {
            key: Arc::as_ptr(this) as usize,
            inside,
            parts,
        }
    }
}

impl Drop for Slot {
    /// The content may be a deep value (a ref holding a ref holding ...):
    /// released without recursion.
    fn drop(&mut self) {
        if let Some(v) = &mut self.value {
            crate::value::unwind::release(v);
        }
    }
}

/// The [`Kind`] of a [`Store`] named `$name` (`Ref` or `Cell`): the same
/// methods, printed and named after it.
macro_rules! store_kind {
    ($ty:ty, $name:literal) => {
        impl Kind for $ty {
            const NAME: &'static str = $name;
            fn methods() -> &'static [Entry<Self>] {
                const M: &[Entry<$ty>] = &[
                    method!($name, "read" => Store::read, cx),
                    method!($name, "readD" => Store::read_d),
                    method!($name, "write" => Store::write, cx),
                ];
                M
            }
            fn show(this: &Arc<Self>) -> Option<Shown> {
                Some(Store::shown(
                    this,
                    [
                        concat!($name, "("),
                        concat!($name, "()"),
                        concat!($name, "(...)"),
                    ],
                ))
            }
            fn peek_member(this: &Arc<Self>, name: &str, args: &[Value]) -> Peek {
                Store::peek(this, name, args)
            }
            fn trace(&self, tracer: &mut Tracer<'_>) {
                self.trace_slot(tracer)
            }
            fn clear(&self, trash: &mut Trash) {
                self.clear_slot(trash)
            }
        }
    };
}

store_kind!(RefState, "Ref");
store_kind!(CellState, "Cell");

/// A new `Ref`, empty or holding `init`.
pub fn new_ref(init: Option<Value>) -> Value {
    Object::value(RefState::new(init))
}

impl RefState {
    pub fn new(init: Option<Value>) -> RefState {
        Store(
            StateLock::new(Slot {
                value: init,
                readers: Waiters::default(),
            }),
            Mark::default(),
        )
    }
}

// ---------------------------------------------------------------- Semaphore

#[derive(Default)]
struct SemInner {
    count: u64,
    acquirers: Waiters,
    snoopers: Waiters,
}

#[derive(Default)]
pub struct Semaphore(StateLock<SemInner>);

impl Semaphore {
    fn acquire(this: &Arc<Self>, args: &[Value], cx: &mut SiteCx<'_>) -> Outcome {
        checked(arity::<0>("Semaphore.acquire", args).map(|_| {
            let mut s = lock(&this.0);
            if s.count > 0 {
                s.count -= 1;
                return Outcome::Publish(Value::Signal);
            }
            let out = s.acquirers.wait(cx);
            // A call now blocks: that is what snoopers wait for.
            s.snoopers.publish_all(&Value::Signal);
            out
        }))
    }

    fn acquire_d(this: &Arc<Self>, args: &[Value]) -> Outcome {
        checked(arity::<0>("Semaphore.acquireD", args).map(|_| {
            let mut s = lock(&this.0);
            if s.count > 0 {
                s.count -= 1;
                Outcome::Publish(Value::Signal)
            } else {
                Outcome::Halt
            }
        }))
    }

    fn release(this: &Arc<Self>, args: &[Value], cx: &mut SiteCx<'_>) -> Outcome {
        checked(arity::<0>("Semaphore.release", args).map(|_| {
            let mut s = lock(&this.0);
            match s.acquirers.pop_live() {
                Some(h) => {
                    drop(s);
                    cx.publish(&h, Value::Signal)
                }
                None => s.count += 1,
            }
            Outcome::Publish(Value::Signal)
        }))
    }

    fn snoop(this: &Arc<Self>, args: &[Value], cx: &mut SiteCx<'_>) -> Outcome {
        checked(arity::<0>("Semaphore.snoop", args).map(|_| {
            let mut s = lock(&this.0);
            if s.acquirers.has_live() {
                Outcome::Publish(Value::Signal)
            } else {
                s.snoopers.wait(cx)
            }
        }))
    }

    fn snoop_d(this: &Arc<Self>, args: &[Value]) -> Outcome {
        checked(arity::<0>("Semaphore.snoopD", args).map(|_| {
            if lock(&this.0).acquirers.has_live() {
                Outcome::Publish(Value::Signal)
            } else {
                Outcome::Halt
            }
        }))
    }
}

impl Kind for Semaphore {
    const NAME: &'static str = "Semaphore";
    fn methods() -> &'static [Entry<Self>] {
        const M: &[Entry<Semaphore>] = &[
            method!("Semaphore", "acquire", Semaphore::acquire),
            method!("Semaphore", "acquireD", |s, a, _| Semaphore::acquire_d(
                s, a
            )),
            method!("Semaphore", "release", |s, a, cx| Semaphore::release(
                s, a, cx
            )),
            method!("Semaphore", "snoop", Semaphore::snoop),
            method!("Semaphore", "snoopD", |s, a, _| Semaphore::snoop_d(s, a)),
        ];
        M
    }
}

// ---------------------------------------------------------------- Counter

#[derive(Default)]
struct CounterInner {
    count: i64,
    on_zero: Waiters,
}

#[derive(Default)]
pub struct Counter(StateLock<CounterInner>);

impl Counter {
    fn inc(this: &Arc<Self>, args: &[Value]) -> Result<Outcome, SiteError> {
        arity::<0>("Counter.inc", args)?;
        let mut c = lock(&this.0);
        c.count = c
            .count
            .checked_add(1)
            .ok_or_else(|| SiteError::new("Counter.inc: the counter overflowed"))?;
        Ok(Outcome::Publish(Value::Signal))
    }

    fn dec(this: &Arc<Self>, args: &[Value]) -> Result<Outcome, SiteError> {
        arity::<0>("Counter.dec", args)?;
        let mut c = lock(&this.0);
        if c.count <= 0 {
            return Ok(Outcome::Halt);
        }
        c.count -= 1;
        if c.count == 0 {
            c.on_zero.publish_all(&Value::Signal);
        }
        Ok(Outcome::Publish(Value::Signal))
    }

    fn on_zero(
        this: &Arc<Self>,
        args: &[Value],
        cx: &mut SiteCx<'_>,
    ) -> Result<Outcome, SiteError> {
        arity::<0>("Counter.onZero", args)?;
        let mut c = lock(&this.0);
        Ok(if c.count == 0 {
            Outcome::Publish(Value::Signal)
        } else {
            c.on_zero.wait(cx)
        })
    }

    fn value(this: &Arc<Self>, args: &[Value]) -> Result<Outcome, SiteError> {
        arity::<0>("Counter.value", args)?;
        Ok(Outcome::Publish(Value::Int(lock(&this.0).count)))
    }
}

impl Kind for Counter {
    const NAME: &'static str = "Counter";
    fn methods() -> &'static [Entry<Self>] {
        const M: &[Entry<Counter>] = &[
            method!("Counter", "inc", |c, a, _| checked(Counter::inc(c, a))),
            method!("Counter", "dec", |c, a, _| checked(Counter::dec(c, a))),
            method!("Counter", "onZero", |c, a, cx| checked(Counter::on_zero(
                c, a, cx
            ))),
            method!("Counter", "value", |c, a, _| checked(Counter::value(c, a))),
        ];
        M
    }
}

// ---------------------------------------------------------------- constructors

fn make_ref(args: &[Value]) -> Result<Value, SiteError> {
    match args {
        [] => Ok(new_ref(None)),
        [v] => Ok(new_ref(Some(v.clone()))),
        _ => Err(SiteError::new(format!(
            "Ref expects 0 or 1 arguments, but was called with {}",
            args.len()
        ))),
    }
}

fn make_cell(args: &[Value]) -> Result<Value, SiteError> {
    arity::<0>("Cell", args)?;
    Ok(Object::value(CellState::default()))
}

fn make_semaphore(args: &[Value]) -> Result<Value, SiteError> {
    let [n] = arity::<1>("Semaphore", args)?;
    match n {
        Value::Int(n) if *n >= 0 => Ok(Object::value(Semaphore(StateLock::new(SemInner {
            count: *n as u64,
            ..SemInner::default()
        })))),
        Value::Int(_) => Err(SiteError::new("Semaphore requires a non-negative argument")),
        other => Err(expected("Semaphore", "a non-negative integer", other)),
    }
}

fn make_counter(args: &[Value]) -> Result<Value, SiteError> {
    let count = match args {
        [] => 0,
        [Value::Int(n)] => *n,
        [other] => return Err(expected("Counter", "an integer", other)),
        _ => {
            return Err(SiteError::new(format!(
                "Counter expects 0 or 1 arguments, but was called with {}",
                args.len()
            )))
        }
    };
    Ok(Object::value(Counter(StateLock::new(CounterInner {
        count,
        on_zero: Waiters::default(),
    }))))
}

pub fn sites() -> Vec<(&'static str, Value)> {
    vec![
        func("Ref", make_ref),
        func("Cell", make_cell),
        func("Semaphore", make_semaphore),
        func("Counter", make_counter),
    ]
}
