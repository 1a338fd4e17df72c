//! Memory accounting: how much a run has allocated, counted by a global
//! allocator that charges each allocation to the run executing on the
//! calling thread.
//!
//! Values, tokens, frames, futures, channel buffers, arrays, strings and
//! big numbers are all heap allocations, so one allocator hook counts them
//! all, exactly, with no bookkeeping at the places that allocate (Lua does
//! the same with its allocator function). A host installs
//! [`MemoryAccounting`] as its `#[global_allocator]` (the `orc` binary
//! does); it wraps the system allocator and adds two loads and two stores
//! to an allocation.
//!
//! While a run executes (a section of its scheduler, between two awaits),
//! the thread's *current account* points at the run's `Account`; every
//! allocation and free made on that thread meanwhile is charged to it,
//! rounded up as the system allocator rounds (16-byte chunks with a word of
//! header). Memory a run allocates and something else frees later (a
//! publication the host keeps) stays charged to the run, and memory freed
//! in a run that something else allocated is credited to it: the count is
//! of what the run holds, not of the process. Async host calls run outside
//! the run's sections and are not charged.
//!
//! The allocator cannot refuse an allocation (Rust aborts when one
//! fails), so it raises the account's *attention* flag instead, when the
//! run is over its limit or has allocated a good deal since the scheduler
//! last looked; the run looks before its next site call, error report
//! or publication, and at the end of the token's turn, and stops
//! (`Run::look` in [`crate::runtime::engine`]). Built-ins that allocate in
//! proportion to an argument (`Array(n)`) ask `would_exceed` first, so
//! one call cannot leap far past the limit.
//!
//! The runtime's small blocks (records, frames, futures, list cells) come
//! from per-thread pools (`pool`) carved out of chunks taken uncharged;
//! each block is charged to the run that takes it, so the count is the
//! same as if the blocks came from the system allocator.
//!
//! It is the crate's lowest layer: it uses nothing of the crate, values ask
//! it (`would_exceed`) and the runtime keeps the accounts (it re-exports
//! this module as `runtime::memory`).

pub(crate) mod pool;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};
use std::sync::{Arc, OnceLock};

/// The global allocator that makes memory limits work: install it with
/// `#[global_allocator] static A: orc::MemoryAccounting = orc::MemoryAccounting;`
/// in the host's binary. Without it, a run given a memory limit refuses to
/// start (see [`crate::RunOptions::memory_limit`]).
pub struct MemoryAccounting;

/// Bytes allocated since the scheduler last looked (counting every
/// allocation, not net of frees) after which the allocator asks it to look
/// again: time limits and kills are then checked between allocation-heavy
/// built-ins too, however few steps they take.
const LOOK_EVERY: isize = 1 << 20;

/// What one run holds, as charged by [`MemoryAccounting`].
///
/// Only the thread running one of the run's sections writes it (at most
/// one at a time), so the counters use plain relaxed loads and stores.
#[derive(Debug)]
pub(crate) struct Account {
    used: AtomicIsize,
    peak: AtomicIsize,
    limit: isize,
    /// Bytes allocated (not net of frees) since the scheduler last looked.
    since: AtomicIsize,
    attention: AtomicBool,
    /// A built-in was refused an allocation that would pass the limit.
    refused: AtomicBool,
}

impl Account {
    pub(crate) fn new(limit: Option<u64>) -> Arc<Account> {
        let limit = limit.map_or(isize::MAX, |l| isize::try_from(l).unwrap_or(isize::MAX));
        Arc::new(Account {
            used: AtomicIsize::new(0),
            peak: AtomicIsize::new(0),
            limit,
            since: AtomicIsize::new(0),
            attention: AtomicBool::new(false),
            refused: AtomicBool::new(false),
        })
    }

    /// Bytes the run holds now.
    pub(crate) fn used(&self) -> u64 {
        self.used.load(Ordering::Relaxed).max(0) as u64
    }

    /// The most the run has held at once, as seen when the scheduler
    /// looked (to within [`LOOK_EVERY`] bytes).
    pub(crate) fn peak(&self) -> u64 {
        let used = self.used.load(Ordering::Relaxed);
        self.peak.load(Ordering::Relaxed).max(used).max(0) as u64
    }

    /// Whether the run holds more than its limit, or was refused an
    /// allocation that would have taken it past.
    pub(crate) fn over_limit(&self) -> bool {
        self.used.load(Ordering::Relaxed) > self.limit || self.refused.load(Ordering::Relaxed)
    }

    /// Whether the allocator asked the scheduler to look at the limits.
    #[inline(always)]
    pub(crate) fn attention(&self) -> bool {
        self.attention.load(Ordering::Relaxed)
    }

    /// The scheduler has looked: the next look is due after another
    /// [`LOOK_EVERY`] bytes allocated (or past the limit).
    pub(crate) fn looked(&self) {
        self.peak
            .fetch_max(self.used.load(Ordering::Relaxed), Ordering::Relaxed);
        self.since.store(0, Ordering::Relaxed);
        self.attention.store(false, Ordering::Relaxed);
    }

    #[inline(always)]
    fn charge(&self, bytes: isize) {
        let used = self.used.load(Ordering::Relaxed) + bytes;
        self.used.store(used, Ordering::Relaxed);
        if bytes > 0 {
            let since = self.since.load(Ordering::Relaxed) + bytes;
            self.since.store(since, Ordering::Relaxed);
            if since >= LOOK_EVERY || used > self.limit {
                self.attention.store(true, Ordering::Relaxed);
            }
        }
    }
}

thread_local! {
    /// The account charged for this thread's allocations, if a run is
    /// executing on it. (Const-initialised and without a destructor, so
    /// reading it never allocates, even while the thread exits.)
    static CURRENT: Cell<*const Account> = const { Cell::new(std::ptr::null()) };
}

/// Charges this thread's allocations to `account` until dropped, then to
/// whatever was charged before (sections nest when a host site runs
/// another program). Not `Send`: it cannot be held across an await.
pub(crate) struct Charging {
    previous: *const Account,
    _account: Arc<Account>,
}

impl Charging {
    pub(crate) fn new(account: &Arc<Account>) -> Charging {
        let account = Arc::clone(account);
        pool::settle();
        let previous = CURRENT.with(|c| c.replace(Arc::as_ptr(&account)));
        Charging {
            previous,
            _account: account,
        }
    }
}

impl Drop for Charging {
    fn drop(&mut self) {
        pool::settle();
        CURRENT.with(|c| c.set(self.previous));
    }
}

/// The size the system allocator really gives for `size` bytes: a word of
/// header, rounded up to 16 bytes, at least 32.
#[inline(always)]
fn footprint(size: usize) -> isize {
    ((size + 8 + 15) & !15).max(32) as isize
}

/// Charges `bytes` (negative: credits them) to this thread's current
/// account, if any: for the global allocator and for the pools' blocks
/// (`pool`, whose chunks are taken [`uncharged`]).
#[inline(always)]
fn charge(bytes: isize) {
    CURRENT.with(|c| {
        let account = c.get();
        if !account.is_null() {
            // SAFETY: `Charging` keeps the account alive while it is
            // current on this thread.
            unsafe { &*account }.charge(bytes);
        }
    });
}

/// `f`, with this thread's allocations charged to no run meanwhile.
pub(crate) fn uncharged<R>(f: impl FnOnce() -> R) -> R {
    pool::settle();
    let previous = CURRENT.with(|c| c.replace(std::ptr::null()));
    let result = f();
    CURRENT.with(|c| c.set(previous));
    result
}

// SAFETY: every method forwards to the system allocator unchanged; the
// accounting only reads and writes the thread's current account.
unsafe impl GlobalAlloc for MemoryAccounting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            charge(footprint(layout.size()));
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            charge(footprint(layout.size()));
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        charge(-footprint(layout.size()));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            charge(footprint(new_size) - footprint(layout.size()));
        }
        p
    }
}

/// Whether [`MemoryAccounting`] is this process's global allocator: found
/// out once, by allocating under a scratch account.
pub(crate) fn installed() -> bool {
    static INSTALLED: OnceLock<bool> = OnceLock::new();
    *INSTALLED.get_or_init(|| {
        let probe = Account::new(None);
        let _charging = Charging::new(&probe);
        let scratch = std::hint::black_box(Box::new([0u8; 64]));
        let seen = probe.used() > 0;
        drop(scratch);
        seen
    })
}

/// Whether allocating `bytes` more would take the run executing on this
/// thread past its memory limit. Built-ins ask before an allocation sized
/// by their arguments; if so they halt, and the scheduler (whose
/// attention this raises) stops the run with its memory-limit outcome.
pub(crate) fn would_exceed(bytes: usize) -> bool {
    CURRENT.with(|c| {
        let account = c.get();
        if account.is_null() {
            return false;
        }
        // SAFETY: as in `charge`.
        let account = unsafe { &*account };
        let bytes = isize::try_from(bytes).unwrap_or(isize::MAX);
        let over = account.used.load(Ordering::Relaxed).saturating_add(bytes) > account.limit;
        if over {
            // The scheduler looks at once and reports the limit.
            account.refused.store(true, Ordering::Relaxed);
            account.attention.store(true, Ordering::Relaxed);
        }
        over
    })
}
