//! Biased reference counting: a shared pointer ([`Biased`]) whose count
//! is kept without atomic operations by the run that made it, and with
//! them by every other thread.
//!
//! Values are `Send + Sync` (host threads may hold them), so their counts
//! must be safe to change from any thread. But nearly every clone and
//! drop of a list cell happens in the run that made it, on the thread
//! executing that run, and a locked read-modify-write there costs as much
//! as the rest of a list step (a fifth of a list-heavy program's time).
//! So, as in CPython's free-threaded build, each allocation is *owned*.
//! Its header is two words of 32 bits (a list cell is then 40 bytes, a
//! 48-byte block of the system allocator rather than a 64-byte one):
//!
//! - `owner`: the run that made it (an id; [`Owning`] marks the thread
//!   executing that run), 0 once it has none; and the flag `SIDE`;
//! - `count`: while it has an owner, the references the owner made or
//!   dropped, changed by the owner only, with plain loads and stores;
//!   without one, all references, changed atomically.
//!
//! References other threads make to an owned allocation, which is rare
//! (a host holding what a running program published), are counted in a
//! side table under a lock, and `SIDE` says the allocation may have some.
//! The total is `count` plus its side count. The owner frees the
//! allocation when `count` reaches zero with no side count; otherwise it
//! *merges*: the side count becomes `count`, and the owner gives the
//! allocation up. Another thread never lets a side count go below zero:
//! dropping a reference when it is zero (so the reference is one of the
//! owner's), it hands the reference to the owner's [inbox](Owner), which
//! the owner drains as its own drops at its next section and before it
//! ends. Once the owner has ended, that thread merges in its place.
//!
//! At most one thread at a time is marked as executing a run (a run is
//! executed by one thread at a time, and the mark is set and cleared by
//! that thread), so an owned `count` is only ever written by one thread.

use std::cell::Cell;
use std::collections::HashMap;
use std::marker::PhantomData;
use std::ptr::NonNull;
use std::sync::atomic::{fence, AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

/// `owner`: other threads may hold references counted in the side table.
const SIDE: u32 = 1 << 31;

/// A thread executing no run (never equal to an owner without `SIDE`).
const NO_RUN: u32 = u32::MAX;

thread_local! {
    /// The run executing on this thread, if any ([`Owning`]).
    /// (Const-initialised and without a destructor: reading it is a load.)
    static CURRENT: Cell<u32> = const { Cell::new(NO_RUN) };
}

#[inline(always)]
fn current() -> u32 {
    CURRENT.with(|c| c.get())
}

/// The counts and the value.
struct Inner<T> {
    owner: AtomicU32,
    count: AtomicU32,
    value: T,
}

/// The side counts: references threads other than the owner's made to
/// owned allocations, by address. (Only while the allocation is owned:
/// merging moves its side count into `count` and removes it.)
fn side_table() -> MutexGuard<'static, HashMap<usize, u32>> {
    static SIDE_COUNTS: OnceLock<Mutex<HashMap<usize, u32>>> = OnceLock::new();
    SIDE_COUNTS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

/// A shared pointer to an immutable `T`, counted as the module says.
pub struct Biased<T: Send + Sync + 'static> {
    ptr: NonNull<Inner<T>>,
    _owns: PhantomData<Inner<T>>,
}

// SAFETY: an owned `count` is written only by the thread executing the
// owner run (and by a merger once that run has ended, under the side
// table's lock); every other count change is atomic or under that lock.
// The value is shared as by `Arc`.
unsafe impl<T: Send + Sync + 'static> Send for Biased<T> {}
unsafe impl<T: Send + Sync + 'static> Sync for Biased<T> {}

/// Count overflow, as `Arc` treats it: there cannot be that many
/// references without a bug that leaks them.
#[cold]
fn overflow() -> ! {
    std::process::abort()
}

impl<T: Send + Sync + 'static> Biased<T> {
    #[inline(always)]
    pub fn new(value: T) -> Biased<T> {
        let run = current();
        let owner = if run == NO_RUN { 0 } else { run };
        Biased {
            ptr: allocate(Inner {
                owner: AtomicU32::new(owner),
                count: AtomicU32::new(1),
                value,
            }),
            _owns: PhantomData,
        }
    }

    #[inline(always)]
    fn inner(&self) -> &Inner<T> {
        // SAFETY: the allocation lives while a reference counts it.
        unsafe { self.ptr.as_ref() }
    }

    /// The number of references (exact on the owner's thread, or when
    /// nobody else changes it).
    pub fn count(&self) -> usize {
        let inner = self.inner();
        let count = inner.count.load(Ordering::Relaxed) as usize;
        if inner.owner.load(Ordering::Acquire) & SIDE == 0 {
            return count;
        }
        let side = side_table().get(&self.address()).copied().unwrap_or(0);
        count + side as usize
    }

    /// Whether dropping this reference frees the allocation (as far as
    /// this thread can tell: a hint, as the count).
    /// (Side counts included: a deep list a host drops after its run
    /// ended frees a cell at each level, and a wrong "no" there would
    /// drop the next level by recursion.)
    #[inline(always)]
    pub fn is_unique(&self) -> bool {
        self.count() == 1
    }

    /// A pointer to the value, for whoever made this reference and has
    /// not shared it yet, to finish the value in place (a list built
    /// front to back sets each cell's tail once the next cell exists).
    /// Writing through it is sound only while this is the allocation's
    /// only reference and nothing borrows the value.
    pub(crate) fn value_ptr(&self) -> *mut T {
        // SAFETY: within the live allocation; no reference is made. (The
        // pointer came from the allocation, so it may write.)
        unsafe { &raw mut (*self.ptr.as_ptr()).value }
    }

    /// The allocation's address (the same for every reference to it).
    pub fn address(&self) -> usize {
        self.ptr.as_ptr() as usize
    }

    pub fn ptr_eq(a: &Biased<T>, b: &Biased<T>) -> bool {
        a.ptr == b.ptr
    }

    /// The value, if this was its last reference; otherwise the reference
    /// is dropped and `None` returned.
    #[inline]
    pub fn into_inner(this: Biased<T>) -> Option<T> {
        let ptr = this.ptr;
        std::mem::forget(this);
        // SAFETY: `release` said this was the last reference; the
        // allocation came from `Box::new`.
        unsafe { release(ptr).then(|| deallocate(ptr).value) }
    }
}

/// A block of the run's pools (`super::pool`: a list cell is 40 bytes,
/// with no header of the system allocator's and no trip through it)
/// holding `inner`.
#[inline(always)]
fn allocate<T>(inner: Inner<T>) -> NonNull<Inner<T>> {
    const { assert!(std::mem::align_of::<Inner<T>>() <= 8) };
    let block = crate::memory::pool::alloc(std::mem::size_of::<Inner<T>>()).cast::<Inner<T>>();
    // SAFETY: a block of the size and alignment of `Inner<T>`.
    unsafe { block.as_ptr().write(inner) };
    block
}

/// What [`allocate`] put in `ptr`, whose block is freed.
///
/// # Safety
/// `ptr` came from [`allocate`], and this was its last reference.
#[inline(always)]
unsafe fn deallocate<T>(ptr: NonNull<Inner<T>>) -> Inner<T> {
    // SAFETY: as the caller says: the value is moved out once.
    unsafe {
        let inner = ptr.as_ptr().read();
        crate::memory::pool::free(ptr.cast(), std::mem::size_of::<Inner<T>>());
        inner
    }
}

/// Drops one reference to `ptr`: `true` if it was the last one (the
/// caller frees the allocation).
///
/// # Safety
/// `ptr` is a live allocation and the caller gives up one reference.
#[inline(always)]
unsafe fn release<T: Send + Sync + 'static>(ptr: NonNull<Inner<T>>) -> bool {
    let inner = unsafe { ptr.as_ref() };
    // (Acquire: once it reads 0, the count the owner or a merger stored
    // before giving the allocation up is the one counted down. A plain
    // load on x86.)
    let owner = inner.owner.load(Ordering::Acquire);
    if owner == current() {
        // The owner, with no side count: plain.
        let left = inner.count.load(Ordering::Relaxed) - 1;
        inner.count.store(left, Ordering::Relaxed);
        return left == 0;
    }
    if owner == 0 {
        // No owner: as `Arc`.
        if inner.count.fetch_sub(1, Ordering::Release) != 1 {
            return false;
        }
        fence(Ordering::Acquire);
        return true;
    }
    unsafe { release_slow(ptr) }
}

/// [`release`] by the owner of an allocation that may have a side count,
/// or by another thread.
///
/// # Safety
/// As [`release`].
#[inline(never)]
unsafe fn release_slow<T: Send + Sync + 'static>(ptr: NonNull<Inner<T>>) -> bool {
    let inner = unsafe { ptr.as_ref() };
    let address = ptr.as_ptr() as usize;
    loop {
        let mut table = side_table();
        let owner = inner.owner.load(Ordering::Acquire);
        if owner == 0 {
            // Merged meanwhile.
            drop(table);
            if inner.count.fetch_sub(1, Ordering::Release) != 1 {
                return false;
            }
            fence(Ordering::Acquire);
            return true;
        }
        if owner & !SIDE == current() {
            // The owner (its plain count, written by it alone).
            let left = inner.count.load(Ordering::Relaxed) - 1;
            inner.count.store(left, Ordering::Relaxed);
            if left > 0 {
                return false;
            }
            // Its last local reference: free, or merge the side count in.
            let side = table.remove(&address).unwrap_or(0);
            if side == 0 {
                return true;
            }
            inner.count.store(side, Ordering::Relaxed);
            inner.owner.store(0, Ordering::Release);
            return false;
        }
        // Another thread.
        if let Some(side) = table.get_mut(&address).filter(|side| **side > 0) {
            *side -= 1;
            return false;
        }
        // No side count: the reference is one of the owner's. Hand it
        // over, or merge for an owner that ended.
        drop(table);
        let erased = Deferred {
            ptr: ptr.cast(),
            release: release_deferred::<T>,
        };
        if hand_over(owner & !SIDE, erased) {
            return false;
        }
        let mut table = side_table();
        if inner.owner.load(Ordering::Acquire) != owner {
            // Merged by another thread meanwhile (the only change an
            // ended owner's allocation can see): count again.
            continue;
        }
        // The owner ended: its last write to `count` came before its end,
        // which `hand_over` saw under the inbox's lock.
        let side = table.remove(&address).unwrap_or(0);
        let total = inner.count.load(Ordering::Relaxed) + side;
        inner.count.store(total, Ordering::Relaxed);
        inner.owner.store(0, Ordering::Release);
        drop(table);
        // Now as without an owner.
        if inner.count.fetch_sub(1, Ordering::Release) != 1 {
            return false;
        }
        fence(Ordering::Acquire);
        return true;
    }
}

/// Drops a reference handed over to the owner, on the owner's thread.
///
/// # Safety
/// `ptr` is a `Biased<T>` allocation and the reference is given up.
unsafe fn release_deferred<T: Send + Sync + 'static>(ptr: NonNull<()>) {
    let ptr = ptr.cast::<Inner<T>>();
    // SAFETY: as `Biased::into_inner`.
    unsafe {
        if release(ptr) {
            drop(deallocate(ptr));
        }
    }
}

/// [`Clone::clone`] by another thread than an owner's: counted in the
/// side table (or atomically, once merged).
#[inline(never)]
fn clone_slow<T>(inner: &Inner<T>, address: usize) {
    let mut table = side_table();
    let owner = inner.owner.load(Ordering::Acquire);
    if owner == 0 {
        drop(table);
        if inner.count.fetch_add(1, Ordering::Relaxed) == u32::MAX {
            overflow();
        }
        return;
    }
    if owner & !SIDE == current() {
        // The owner, whose flag was set.
        let n = inner.count.load(Ordering::Relaxed);
        if n == u32::MAX {
            overflow();
        }
        inner.count.store(n + 1, Ordering::Relaxed);
        return;
    }
    inner.owner.fetch_or(SIDE, Ordering::AcqRel);
    let side = table.entry(address).or_insert(0);
    *side = side.checked_add(1).unwrap_or_else(|| overflow());
}

impl<T: Send + Sync + 'static> Clone for Biased<T> {
    #[inline(always)]
    fn clone(&self) -> Biased<T> {
        let inner = self.inner();
        let owner = inner.owner.load(Ordering::Acquire);
        if owner & !SIDE == current() {
            let n = inner.count.load(Ordering::Relaxed);
            if n == u32::MAX {
                overflow();
            }
            inner.count.store(n + 1, Ordering::Relaxed);
        } else if owner == 0 {
            if inner.count.fetch_add(1, Ordering::Relaxed) == u32::MAX {
                overflow();
            }
        } else {
            clone_slow(inner, self.address());
        }
        Biased {
            ptr: self.ptr,
            _owns: PhantomData,
        }
    }
}

impl<T: Send + Sync + 'static> Drop for Biased<T> {
    #[inline(always)]
    fn drop(&mut self) {
        // SAFETY: this reference is given up; the allocation came from
        // `Box::new`.
        unsafe {
            if release(self.ptr) {
                drop(deallocate(self.ptr));
            }
        }
    }
}

impl<T: Send + Sync + 'static> std::ops::Deref for Biased<T> {
    type Target = T;
    #[inline(always)]
    fn deref(&self) -> &T {
        &self.inner().value
    }
}

// ------------------------------------------------------------- owners

/// A reference handed to its owner, with how to drop it there.
struct Deferred {
    ptr: NonNull<()>,
    release: unsafe fn(NonNull<()>),
}

// SAFETY: the pointee is `Send + Sync` (`Biased<T>` requires it); the
// reference is only dropped, by the owner.
unsafe impl Send for Deferred {}

/// What the owner has been handed, and whether it ended.
#[derive(Default)]
struct Inbox {
    handed: Vec<Deferred>,
    ended: bool,
}

struct OwnerState {
    id: u32,
    inbox: Mutex<Inbox>,
    /// Whether `inbox.handed` may be non-empty (read without the lock).
    pending: AtomicBool,
}

/// The owner runs, by id, for the rare thread that must hand a reference
/// over.
fn owners() -> &'static Mutex<HashMap<u32, Arc<OwnerState>>> {
    static OWNERS: OnceLock<Mutex<HashMap<u32, Arc<OwnerState>>>> = OnceLock::new();
    OWNERS.get_or_init(Default::default)
}

/// Hands `r` to run `owner`: `false` if that run has ended (or never
/// owned anything).
fn hand_over(owner: u32, r: Deferred) -> bool {
    let state = owners()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&owner)
        .cloned();
    let Some(state) = state else {
        return false;
    };
    let mut inbox = state.inbox.lock().unwrap_or_else(|e| e.into_inner());
    if inbox.ended {
        return false;
    }
    inbox.handed.push(r);
    state.pending.store(true, Ordering::Release);
    true
}

/// A run's ownership of what it allocates: its id, and its inbox, drained
/// by [`Owner::drain`] and when the owner is dropped (after which other
/// threads merge its allocations in its place).
pub struct Owner(Option<Arc<OwnerState>>);

impl Owner {
    pub fn new() -> Owner {
        static NEXT: AtomicU32 = AtomicU32::new(1);
        // Ids are never reused: once they run out (after 2 billion runs;
        // the top bit is `SIDE`), runs own nothing and count atomically.
        let id = NEXT
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| {
                (n < SIDE - 1).then_some(n + 1)
            })
            .ok();
        Owner(id.map(|id| {
            let state = Arc::new(OwnerState {
                id,
                inbox: Mutex::default(),
                pending: AtomicBool::new(false),
            });
            owners()
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(id, state.clone());
            state
        }))
    }

    /// Marks this thread as executing the run until the guard is dropped
    /// (then the previous mark is back: runs nest when a host site runs
    /// one). The caller executes the run exclusively while it holds the
    /// guard.
    pub fn enter(&mut self) -> Owning {
        let id = self.0.as_ref().map_or(NO_RUN, |s| s.id);
        Owning {
            previous: CURRENT.with(|c| c.replace(id)),
        }
    }

    /// Drops the references other threads handed over (on the thread
    /// marked as executing this run).
    pub fn drain(&mut self) {
        let Some(state) = &self.0 else {
            return;
        };
        if !state.pending.load(Ordering::Acquire) {
            return;
        }
        debug_assert_eq!(current(), state.id);
        loop {
            let handed = {
                let mut inbox = state.inbox.lock().unwrap_or_else(|e| e.into_inner());
                state.pending.store(false, Ordering::Relaxed);
                std::mem::take(&mut inbox.handed)
            };
            if handed.is_empty() {
                return;
            }
            for r in handed {
                // SAFETY: each was handed over with its reference.
                unsafe { (r.release)(r.ptr) };
            }
        }
    }
}

impl Default for Owner {
    fn default() -> Owner {
        Owner::new()
    }
}

impl Drop for Owner {
    /// The run ended: what it was handed is dropped, and from now on
    /// other threads merge its allocations themselves.
    fn drop(&mut self) {
        let Some(state) = self.0.take() else {
            return;
        };
        let owning = Owning {
            previous: CURRENT.with(|c| c.replace(state.id)),
        };
        loop {
            let handed = {
                let mut inbox = state.inbox.lock().unwrap_or_else(|e| e.into_inner());
                if inbox.handed.is_empty() {
                    inbox.ended = true;
                    break;
                }
                std::mem::take(&mut inbox.handed)
            };
            for r in handed {
                // SAFETY: as in `drain`.
                unsafe { (r.release)(r.ptr) };
            }
        }
        drop(owning);
        owners()
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&state.id);
    }
}

/// The mark of [`Owner::enter`].
pub struct Owning {
    previous: u32,
}

impl Drop for Owning {
    fn drop(&mut self) {
        CURRENT.with(|c| c.set(self.previous));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    /// Counts its drops.
    struct Counted(Arc<AtomicUsize>);
    impl Drop for Counted {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn counted() -> (Arc<AtomicUsize>, Counted) {
        let n = Arc::new(AtomicUsize::new(0));
        (n.clone(), Counted(n))
    }

    #[test]
    fn the_header_is_two_words_of_32_bits() {
        // A list cell (a 24-byte value and an 8-byte tail) is then 40
        // bytes, which the system allocator serves from a 48-byte block.
        assert_eq!(std::mem::size_of::<Inner<[u64; 4]>>(), 40);
    }

    #[test]
    fn the_owner_counts_and_frees_alone() {
        let mut owner = Owner::new();
        let _in = owner.enter();
        let (drops, c) = counted();
        let a = Biased::new(c);
        let b = a.clone();
        assert_eq!(a.count(), 2);
        assert!(!b.is_unique());
        drop(a);
        assert!(b.is_unique());
        assert!(Biased::into_inner(b).is_some());
        assert_eq!(drops.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn made_outside_a_run_it_is_counted_atomically() {
        let (drops, c) = counted();
        let a = Biased::new(c);
        let b = a.clone();
        std::thread::spawn(move || drop(b)).join().unwrap();
        assert!(a.is_unique());
        drop(a);
        assert_eq!(drops.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn a_reference_dropped_by_another_thread_is_handed_to_the_owner() {
        let mut owner = Owner::new();
        let (drops, c) = counted();
        let a = {
            let _in = owner.enter();
            Biased::new(c)
        };
        let b = {
            let _in = owner.enter();
            a.clone()
        };
        // The other thread drops one of the owner's references: there is
        // no side count, so it goes to the inbox.
        std::thread::spawn(move || drop(b)).join().unwrap();
        assert_eq!(a.count(), 2, "handed over, not yet dropped");
        {
            let _in = owner.enter();
            owner.drain();
            assert_eq!(a.count(), 1);
            drop(a);
        }
        assert_eq!(drops.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn the_owner_merges_when_shared_references_outlive_its_own() {
        let mut owner = Owner::new();
        let (drops, c) = counted();
        let a = {
            let _in = owner.enter();
            Biased::new(c)
        };
        // Another thread clones (a side count) and keeps its clone.
        let (tx, rx) = std::sync::mpsc::channel();
        let (back_tx, back_rx) = std::sync::mpsc::channel::<()>();
        let a2 = a.clone(); // not owning here: counted on the side
        let t = std::thread::spawn(move || {
            let mine = a2.clone();
            drop(a2);
            tx.send(()).unwrap();
            back_rx.recv().unwrap();
            drop(mine);
        });
        rx.recv().unwrap();
        {
            let _in = owner.enter();
            drop(a); // count 0, side 1: merged
        }
        assert_eq!(drops.load(Ordering::SeqCst), 0);
        back_tx.send(()).unwrap();
        t.join().unwrap();
        assert_eq!(drops.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn after_the_owner_ends_other_threads_merge_in_its_place() {
        let mut owner = Owner::new();
        let (drops, c) = counted();
        let (a, b) = {
            let _in = owner.enter();
            let a = Biased::new(c);
            let b = a.clone();
            (a, b)
        };
        drop(owner);
        drop(a);
        assert_eq!(drops.load(Ordering::SeqCst), 0);
        assert!(b.is_unique());
        std::thread::spawn(move || drop(b)).join().unwrap();
        assert_eq!(drops.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn many_threads_cloning_and_dropping_free_exactly_once() {
        let mut owner = Owner::new();
        let (drops, c) = counted();
        let a = {
            let _in = owner.enter();
            Biased::new(c)
        };
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let mine = {
                    let _in = owner.enter();
                    a.clone()
                };
                std::thread::spawn(move || {
                    for _ in 0..1000 {
                        let x = mine.clone();
                        drop(x);
                    }
                    drop(mine);
                })
            })
            .collect();
        for _ in 0..1000 {
            let _in = owner.enter();
            let x = a.clone();
            owner.drain();
            drop(x);
        }
        for t in threads {
            t.join().unwrap();
        }
        {
            let _in = owner.enter();
            owner.drain();
            drop(a);
        }
        drop(owner);
        assert_eq!(drops.load(Ordering::SeqCst), 1);
    }
}
