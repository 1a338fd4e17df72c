//! Variable bindings and futures.
//!
//! A binding (in a slot of an activation record, see `runtime::act`, or
//! captured by a closure) is either a value or a [`Future`]: the pending
//! result of the right side of a pruning combinator (`f <x< g`), which is
//! bound to `g`'s first publication or *halted* if `g` halts silently.

use crate::value::Value;
use smallvec::SmallVec;
use std::ptr::NonNull;
use std::sync::atomic::{fence, AtomicUsize, Ordering};
use std::sync::{LazyLock, Mutex, OnceLock};

#[derive(Clone)]
pub enum Binding {
    Value(Value),
    Future(FutureRef),
}

/// A binding for a value that halted (a pruned expression that did not
/// publish, a halted argument): one future, halted, shared by all.
pub(crate) fn halted() -> Binding {
    static HALTED: LazyLock<FutureRef> = LazyLock::new(|| {
        let f = FutureRef::pending();
        f.resolve(None);
        // It lives as long as the process, not in any run's accounts.
        crate::memory::pool::count_as_static(1);
        f
    });
    Binding::Future(HALTED.clone())
}

/// The binding of what an expression published (`None`: it halted).
pub(crate) fn bind(result: Option<Value>) -> Binding {
    match result {
        Some(v) => Binding::Value(v),
        None => halted(),
    }
}

/// What a token waiting on futures is woken with: its id and the epoch of
/// the wait, so a stale registration (the token moved on) is ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Waiter {
    pub token: super::handles::TokenRef,
    pub epoch: u32,
}

/// A single-assignment cell.
#[derive(Default)]
pub struct Future {
    /// `Some(v)` bound, `None` halted; unset while pending.
    state: OnceLock<Option<Value>>,
    /// Usually one reader waits (the left side of the pruning), so the
    /// list holds one inline (a second moves it to the heap). Room for two
    /// would make every future 8 bytes larger.
    waiters: Mutex<Waiters>,
}

/// Tokens waiting for a future.
pub type Waiters = SmallVec<[Waiter; 1]>;

/// The state of a binding as seen by a reader.
pub enum Read<'a> {
    Ready(&'a Value),
    Pending(&'a FutureRef),
    Halted,
}

/// A counted reference to a [`Future`]. Futures are made at every pruning
/// that needs a token, so they come from the run's block pools
/// ([`super::pool`]) rather than the global allocator; the count is
/// atomic, as for an `Arc`, since closures that capture a future are
/// values, which may cross threads.
pub struct FutureRef(NonNull<Counted>);

struct Counted {
    /// References, plus [`ANCHORED`] for an anchored future (a bit of the
    /// count rather than a field of its own, which would make every
    /// future 8 bytes larger).
    count: AtomicUsize,
    future: Future,
}

/// The bit of [`Counted::count`] that marks a future made by
/// [`FutureRef::anchored`]; the references are counted below it.
const ANCHORED: usize = 1 << (usize::BITS - 1);

// SAFETY: as for an `Arc<Future>`: the future is `Sync` (its state is a
// `OnceLock` and a `Mutex`) and the count is atomic.
unsafe impl Send for FutureRef {}
unsafe impl Sync for FutureRef {}

const COUNTED: usize = std::mem::size_of::<Counted>();

impl FutureRef {
    /// A new pending future.
    pub fn pending() -> FutureRef {
        Self::make(false)
    }

    /// A new pending future whose computation nothing can kill before it
    /// publishes, but the end of the run: a pruning made in the run's
    /// root group, where the program's top level and every computation of
    /// an object's members run. An object may hold such a future while it
    /// is pending (see [`super::closure::Closure::pending_captures`]).
    pub fn anchored() -> FutureRef {
        Self::make(true)
    }

    fn make(anchored: bool) -> FutureRef {
        let block = crate::memory::pool::alloc(COUNTED).cast::<Counted>();
        // SAFETY: a fresh block of the pool, large enough and aligned
        // (8 bytes, as a `Counted` needs).
        unsafe {
            block.as_ptr().write(Counted {
                count: AtomicUsize::new(1 | if anchored { ANCHORED } else { 0 }),
                future: Future::default(),
            })
        };
        FutureRef(block)
    }

    /// Whether it was made by [`FutureRef::anchored`].
    pub fn is_anchored(&self) -> bool {
        // SAFETY: the block lives while any reference does.
        unsafe { self.0.as_ref().count.load(Ordering::Relaxed) & ANCHORED != 0 }
    }

    /// The value bound to the future, when this is its only reference
    /// (so that dropping a deep value a future holds can hand it to
    /// [`crate::value::unwind`] instead of recursing).
    pub(crate) fn value_mut_if_last(&mut self) -> Option<&mut Value> {
        // SAFETY: the block lives while any reference does. A count of one
        // is this reference, which is borrowed mutably: nothing else can
        // reach the future (Acquire: every other reference's use of it
        // happened before its release).
        unsafe {
            let counted = &mut *self.0.as_ptr();
            if counted.count.load(Ordering::Acquire) & !ANCHORED != 1 {
                return None;
            }
            counted.future.state.get_mut()?.as_mut()
        }
    }

    /// How many references there are to the future (for the cycle
    /// collector, [`crate::value::cycles`]).
    pub(crate) fn strong_count(&self) -> usize {
        // SAFETY: the block lives while any reference does.
        unsafe { self.0.as_ref().count.load(Ordering::Acquire) & !ANCHORED }
    }

    /// The future's address: its identity.
    pub(crate) fn address(&self) -> usize {
        self.0.as_ptr() as usize
    }

    /// Whether two references are to the same future.
    pub fn ptr_eq(a: &FutureRef, b: &FutureRef) -> bool {
        a.0 == b.0
    }
}

impl std::ops::Deref for FutureRef {
    type Target = Future;
    fn deref(&self) -> &Future {
        // SAFETY: the block lives while any reference does.
        unsafe { &self.0.as_ref().future }
    }
}

impl Clone for FutureRef {
    fn clone(&self) -> FutureRef {
        // SAFETY: as above. (Relaxed, as `Arc::clone`: a new reference is
        // made from an existing one.)
        unsafe { self.0.as_ref().count.fetch_add(1, Ordering::Relaxed) };
        FutureRef(self.0)
    }
}

impl Drop for FutureRef {
    fn drop(&mut self) {
        // SAFETY: as above; the last reference frees the block, after
        // every other reference's use (Release/Acquire, as `Arc`).
        unsafe {
            if self.0.as_ref().count.fetch_sub(1, Ordering::Release) & !ANCHORED != 1 {
                return;
            }
            fence(Ordering::Acquire);
            std::ptr::drop_in_place(self.0.as_ptr());
            crate::memory::pool::free(self.0.cast(), COUNTED);
        }
    }
}

impl Future {
    pub fn get(&self) -> Option<&Option<Value>> {
        self.state.get()
    }

    pub fn is_pending(&self) -> bool {
        self.state.get().is_none()
    }

    pub fn add_waiter(&self, w: Waiter) {
        self.waiters
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(w);
    }

    /// Resolves the cell (bound with `Some`, halted with `None`) and returns
    /// the waiters to wake; empty if it was already resolved.
    pub fn resolve(&self, v: Option<Value>) -> Waiters {
        if self.state.set(v).is_err() {
            return Waiters::new();
        }
        std::mem::take(&mut *self.waiters.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl Binding {
    pub fn read(&self) -> Read<'_> {
        match self {
            Binding::Value(v) => Read::Ready(v),
            Binding::Future(f) => match f.get() {
                Some(Some(v)) => Read::Ready(v),
                Some(None) => Read::Halted,
                None => Read::Pending(f),
            },
        }
    }
}
