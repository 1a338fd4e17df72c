//! Channels: `Channel()` (unbounded FIFO), `BoundedChannel(n)` and
//! `SyncChannel()` (rendezvous), with the reference's methods.
//!
//! A channel may be open or closed. Getting from an empty open channel
//! blocks; from an empty closed one halts. Putting into a closed channel
//! halts. `close` halts every blocked getter at once and publishes when the
//! channel is empty; `closeD` publishes at once. An item is always handed
//! to the oldest getter that is still alive: getters killed while blocked
//! (by a `timeout`, say) are skipped, so no item is lost to them.

use super::collections::show_items;
use super::object::{
    checked, lock, lock_to_print, maker, method, Entry, Kind, Object, StateLock, Waiters,
};
use super::util::{arity, expected, func};
use crate::value::cycles::{Mark, Tracer, Trash};
use crate::value::print::Shown;
use crate::value::site::{CallHandle, Outcome, SiteCx, SiteError};
use crate::value::Value;
use std::collections::VecDeque;
use std::sync::Arc;

fn signal() -> Outcome {
    Outcome::Publish(Value::Signal)
}

/// Puts waiting with their items, oldest first; like [`Waiters`], puts
/// whose token was killed are skipped and dropped.
#[derive(Default)]
struct Putters(VecDeque<(CallHandle, Value)>);

impl Drop for Putters {
    /// Items may be deep values: released without recursion.
    fn drop(&mut self) {
        crate::value::unwind::release_all(self.0.iter_mut().map(|(_, v)| v));
    }
}

impl Putters {
    fn wait(&mut self, cx: &mut SiteCx<'_>, v: &Value) -> Outcome {
        if self.0.len() >= 16 && self.0.len().is_power_of_two() {
            self.0.retain(|(h, _)| h.is_live());
        }
        self.0.push_back((cx.defer(), v.clone()));
        Outcome::Pending
    }

    fn pop_live(&mut self) -> Option<(CallHandle, Value)> {
        while let Some((h, v)) = self.0.pop_front() {
            if h.is_live() {
                return Some((h, v));
            }
        }
        None
    }

    fn has_live(&self) -> bool {
        self.0.iter().any(|(h, _)| h.is_live())
    }

    fn trace(&self, tracer: &mut Tracer<'_>) {
        self.0.iter().for_each(|(_, v)| tracer.value(v));
    }
}

// ---------------------------------------------------------------- Channel

#[derive(Default)]
struct ChanInner {
    items: VecDeque<Value>,
    getters: Waiters,
    /// `close` calls waiting for the channel to drain.
    closers: Waiters,
    closed: bool,
}

impl Drop for ChanInner {
    fn drop(&mut self) {
        crate::value::unwind::release_all(self.items.iter_mut());
    }
}

impl ChanInner {
    /// After items were taken: release the closers once it is empty.
    fn drained(&mut self) {
        if self.items.is_empty() {
            self.closers.publish_all(&Value::Signal);
        }
    }

    fn close(&mut self) {
        self.closed = true;
        self.getters.halt_all();
    }
}

/// The state, and which run's cycle registry the channel is in
/// ([`crate::value::cycles`]).
#[derive(Default)]
pub struct Channel(StateLock<ChanInner>, Mark);

type R = Result<Outcome, SiteError>;

impl Channel {
    #[inline]
    fn get(this: &Arc<Self>, args: &[Value], cx: &mut SiteCx<'_>) -> R {
        arity::<0>("Channel.get", args)?;
        let mut c = lock(&this.0);
        // The item goes straight into the answer: joined with the waiting
        // path's answer in one `match`, it was copied through the stack.
        if let Some(v) = c.items.pop_front() {
            c.drained();
            return Ok(Outcome::Publish(v));
        }
        Ok(if c.closed {
            Outcome::Halt
        } else {
            c.getters.wait(cx)
        })
    }

    fn get_d(this: &Arc<Self>, args: &[Value]) -> R {
        arity::<0>("Channel.getD", args)?;
        let mut c = lock(&this.0);
        Ok(match c.items.pop_front() {
            Some(v) => {
                c.drained();
                Outcome::Publish(v)
            }
            None => Outcome::Halt,
        })
    }

    #[inline]
    fn put(this: &Arc<Self>, args: &[Value], cx: &mut SiteCx<'_>) -> R {
        let [v] = arity::<1>("Channel.put", args)?;
        let mut c = lock(&this.0);
        if c.closed {
            return Ok(Outcome::Halt);
        }
        match c.getters.pop_live() {
            Some(h) => {
                drop(c);
                cx.publish(&h, v.copied())
            }
            None => {
                cx.track(this, &this.1, v);
                c.items.push_back(v.copied())
            }
        }
        Ok(signal())
    }

    fn get_all(this: &Arc<Self>, args: &[Value]) -> R {
        arity::<0>("Channel.getAll", args)?;
        let mut c = lock(&this.0);
        let items: Vec<Value> = c.items.drain(..).collect();
        c.drained();
        Ok(Outcome::Publish(Value::list(items)))
    }

    fn is_closed(this: &Arc<Self>, args: &[Value]) -> R {
        arity::<0>("Channel.isClosed", args)?;
        Ok(Outcome::Publish(Value::Bool(lock(&this.0).closed)))
    }

    fn close(this: &Arc<Self>, args: &[Value], cx: &mut SiteCx<'_>) -> R {
        arity::<0>("Channel.close", args)?;
        let mut c = lock(&this.0);
        c.close();
        Ok(if c.items.is_empty() {
            signal()
        } else {
            c.closers.wait(cx)
        })
    }

    fn close_d(this: &Arc<Self>, args: &[Value]) -> R {
        arity::<0>("Channel.closeD", args)?;
        lock(&this.0).close();
        Ok(signal())
    }
}

impl Kind for Channel {
    const NAME: &'static str = "Channel";
    fn methods() -> &'static [Entry<Self>] {
        const M: &[Entry<Channel>] = &[
            method!("Channel", "get", |c, a, cx| checked(Channel::get(c, a, cx))),
            method!("Channel", "getD", |c, a, _| checked(Channel::get_d(c, a))),
            method!("Channel", "put", |c, a, cx| checked(Channel::put(c, a, cx))),
            method!("Channel", "getAll", |c, a, _| checked(Channel::get_all(
                c, a
            ))),
            method!("Channel", "isClosed", |c, a, _| checked(
                Channel::is_closed(c, a)
            )),
            method!("Channel", "close", |c, a, cx| checked(Channel::close(
                c, a, cx
            ))),
            method!("Channel", "closeD", |c, a, _| checked(Channel::close_d(
                c, a
            ))),
        ];
        M
    }
    fn show(this: &Arc<Self>) -> Option<Shown> {
        Some(show_items(
            Arc::as_ptr(this) as usize,
            ["<Channel [", "<Channel ...>"],
            lock_to_print(&this.0).map(|c| c.items.iter().cloned().collect()),
        ))
    }
    fn trace(&self, tracer: &mut Tracer<'_>) {
        lock(&self.0).items.iter().for_each(|v| tracer.value(v));
    }
    fn clear(&self, trash: &mut Trash) {
        let items = std::mem::take(&mut lock(&self.0).items);
        trash.push(items);
    }
}

// ---------------------------------------------------------------- BoundedChannel

/// A bounded channel holds at most `bound` items; further puts wait with
/// their item in `putters` until a get opens a slot. A put whose token is
/// killed while it waits withdraws its item.
/// The rest (items, getters, closers) is a [`Channel`]'s, which it derefs
/// to.
struct BoundedInner {
    bound: usize,
    putters: Putters,
    chan: ChanInner,
}

impl std::ops::Deref for BoundedInner {
    type Target = ChanInner;
    fn deref(&self) -> &ChanInner {
        &self.chan
    }
}

impl std::ops::DerefMut for BoundedInner {
    fn deref_mut(&mut self) -> &mut ChanInner {
        &mut self.chan
    }
}

impl BoundedInner {
    fn is_empty(&self) -> bool {
        self.items.is_empty() && !self.putters.has_live()
    }

    /// Takes the next item, moving a waiting put's item into the freed slot.
    fn take(&mut self) -> Option<Value> {
        let v = match self.items.pop_front() {
            Some(v) => {
                if let Some((h, w)) = self.putters.pop_live() {
                    self.items.push_back(w);
                    h.publish(Value::Signal);
                }
                v
            }
            // No slots (a bound of 0): take straight from a waiting put.
            None => {
                let (h, w) = self.putters.pop_live()?;
                h.publish(Value::Signal);
                w
            }
        };
        if self.is_empty() {
            self.closers.publish_all(&Value::Signal);
        }
        Some(v)
    }
}

pub struct BoundedChannel(StateLock<BoundedInner>, Mark);

impl BoundedChannel {
    fn get(this: &Arc<Self>, args: &[Value], cx: &mut SiteCx<'_>) -> R {
        arity::<0>("BoundedChannel.get", args)?;
        let mut c = lock(&this.0);
        Ok(match c.take() {
            Some(v) => Outcome::Publish(v),
            None if c.closed => Outcome::Halt,
            None => c.getters.wait(cx),
        })
    }

    fn get_d(this: &Arc<Self>, args: &[Value]) -> R {
        arity::<0>("BoundedChannel.getD", args)?;
        Ok(match lock(&this.0).take() {
            Some(v) => Outcome::Publish(v),
            None => Outcome::Halt,
        })
    }

    /// `put` (`wait`: a full channel keeps the put waiting) or `putD`.
    fn put(this: &Arc<Self>, name: &str, args: &[Value], cx: &mut SiteCx<'_>, wait: bool) -> R {
        let [v] = arity::<1>(name, args)?;
        let mut c = lock(&this.0);
        if c.closed {
            return Ok(Outcome::Halt);
        }
        if let Some(h) = c.getters.pop_live() {
            h.publish(v.copied());
            return Ok(signal());
        }
        let outcome = if c.items.len() < c.bound {
            c.items.push_back(v.copied());
            signal()
        } else if wait {
            c.putters.wait(cx, v)
        } else {
            return Ok(Outcome::Halt);
        };
        drop(c);
        cx.track(this, &this.1, v);
        Ok(outcome)
    }

    fn get_all(this: &Arc<Self>, args: &[Value]) -> R {
        arity::<0>("BoundedChannel.getAll", args)?;
        let mut c = lock(&this.0);
        let mut items: Vec<Value> = c.items.drain(..).collect();
        while let Some((h, v)) = c.putters.pop_live() {
            items.push(v);
            h.publish(Value::Signal);
        }
        c.closers.publish_all(&Value::Signal);
        Ok(Outcome::Publish(Value::list(items)))
    }

    fn close(this: &Arc<Self>, args: &[Value], cx: Option<&mut SiteCx<'_>>) -> R {
        let name = if cx.is_some() {
            "BoundedChannel.close"
        } else {
            "BoundedChannel.closeD"
        };
        arity::<0>(name, args)?;
        let mut c = lock(&this.0);
        c.close();
        Ok(match cx {
            Some(cx) if !c.is_empty() => c.closers.wait(cx),
            _ => signal(),
        })
    }

    fn query(this: &Arc<Self>, name: &str, args: &[Value]) -> R {
        arity::<0>(name, args)?;
        let c = lock(&this.0);
        let n = match name {
            "BoundedChannel.getOpen" => c.bound.saturating_sub(c.items.len()),
            "BoundedChannel.getBound" => c.bound,
            _ => return Ok(Outcome::Publish(Value::Bool(c.closed))),
        };
        Ok(Outcome::Publish(Value::Int(n as i64)))
    }
}

impl Kind for BoundedChannel {
    const NAME: &'static str = "BoundedChannel";
    fn methods() -> &'static [Entry<Self>] {
        use BoundedChannel as B;
        const M: &[Entry<BoundedChannel>] = &[
            method!("BoundedChannel", "get", |c, a, cx| checked(B::get(
                c, a, cx
            ))),
            method!("BoundedChannel", "getD", |c, a, _| checked(B::get_d(c, a))),
            method!("BoundedChannel", "put", |c, a, cx| {
                checked(B::put(c, "BoundedChannel.put", a, cx, true))
            }),
            method!("BoundedChannel", "putD", |c, a, cx| {
                checked(B::put(c, "BoundedChannel.putD", a, cx, false))
            }),
            method!("BoundedChannel", "getAll", |c, a, _| checked(B::get_all(
                c, a
            ))),
            method!("BoundedChannel", "getOpen", |c, a, _| {
                checked(B::query(c, "BoundedChannel.getOpen", a))
            }),
            method!("BoundedChannel", "getBound", |c, a, _| {
                checked(B::query(c, "BoundedChannel.getBound", a))
            }),
            method!("BoundedChannel", "isClosed", |c, a, _| {
                checked(B::query(c, "BoundedChannel.isClosed", a))
            }),
            method!("BoundedChannel", "close", |c, a, cx| checked(B::close(
                c,
                a,
                Some(cx)
            ))),
            method!("BoundedChannel", "closeD", |c, a, _| checked(B::close(
                c, a, None
            ))),
        ];
        M
    }
    fn trace(&self, tracer: &mut Tracer<'_>) {
        let c = lock(&self.0);
        c.items.iter().for_each(|v| tracer.value(v));
        c.putters.trace(tracer);
    }
    fn clear(&self, trash: &mut Trash) {
        let mut c = lock(&self.0);
        let taken = (std::mem::take(&mut c.items), std::mem::take(&mut c.putters));
        drop(c);
        trash.push(taken);
    }
}

// ---------------------------------------------------------------- SyncChannel

/// A rendezvous: `put` waits for a `get` and `get` for a `put`.
#[derive(Default)]
struct SyncInner {
    putters: Putters,
    getters: Waiters,
}

#[derive(Default)]
pub struct SyncChannel(StateLock<SyncInner>, Mark);

impl SyncChannel {
    fn get(this: &Arc<Self>, args: &[Value], cx: &mut SiteCx<'_>) -> R {
        arity::<0>("SyncChannel.get", args)?;
        let mut c = lock(&this.0);
        Ok(match c.putters.pop_live() {
            Some((h, v)) => {
                drop(c);
                cx.publish(&h, Value::Signal);
                Outcome::Publish(v)
            }
            None => c.getters.wait(cx),
        })
    }

    fn put(this: &Arc<Self>, args: &[Value], cx: &mut SiteCx<'_>) -> R {
        let [v] = arity::<1>("SyncChannel.put", args)?;
        let mut c = lock(&this.0);
        if let Some(h) = c.getters.pop_live() {
            drop(c);
            cx.publish(&h, v.copied());
            return Ok(signal());
        }
        let outcome = c.putters.wait(cx, v);
        drop(c);
        cx.track(this, &this.1, v);
        Ok(outcome)
    }
}

impl Kind for SyncChannel {
    const NAME: &'static str = "SyncChannel";
    fn methods() -> &'static [Entry<Self>] {
        const M: &[Entry<SyncChannel>] = &[
            method!("SyncChannel", "get", |c, a, cx| checked(SyncChannel::get(
                c, a, cx
            ))),
            method!("SyncChannel", "put", |c, a, cx| checked(SyncChannel::put(
                c, a, cx
            ))),
        ];
        M
    }
    fn trace(&self, tracer: &mut Tracer<'_>) {
        lock(&self.0).putters.trace(tracer);
    }
    fn clear(&self, trash: &mut Trash) {
        let putters = std::mem::take(&mut lock(&self.0).putters);
        trash.push(putters);
    }
}

// ---------------------------------------------------------------- constructors

fn make_bounded(args: &[Value]) -> Result<Value, SiteError> {
    let [n] = arity::<1>("BoundedChannel", args)?;
    let bound = match n {
        Value::Int(n) if *n >= 0 => usize::try_from(*n).unwrap_or(usize::MAX),
        other => return Err(expected("BoundedChannel", "a non-negative integer", other)),
    };
    Ok(Object::value(BoundedChannel(
        StateLock::new(BoundedInner {
            bound,
            putters: Putters::default(),
            chan: ChanInner::default(),
        }),
        Mark::default(),
    )))
}

pub fn sites() -> Vec<(&'static str, Value)> {
    vec![
        maker::<Channel>(),
        func("BoundedChannel", make_bounded),
        maker::<SyncChannel>(),
    ]
}
