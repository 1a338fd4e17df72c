//! Free lists for the run's small blocks: activation records and
//! continuation frames, made and dropped at nearly every step, and alive
//! by the hundred thousand in programs with many waiting tokens; futures;
//! and list cells, made and dropped by the million in list code (where
//! the system allocator's own work, and its sweeps of its bins of small
//! freed blocks, had been a tenth to a third of the time).
//!
//! A run is charged for the blocks it holds ([`settle`]), as the global
//! allocator charges it for its own allocations, and not for the chunks:
//! a spare block an earlier run left is charged to the run that takes it.
//!
//! Blocks come in size classes of 8 bytes, up to 256. They are carved out
//! of chunks of 16 KiB taken from the global allocator, and a freed block
//! goes on its thread's list for the class, ready for the next allocation
//! (a block freed on another thread than the one that made it joins that
//! thread's list: every block of a class has the same layout). Chunks are
//! never given back: the memory a process once needed for these blocks
//! stays ready for later runs. When a thread ends, or keeps more free
//! blocks than it is likely to need, its blocks go to a shared list that
//! other threads draw from, so no block is lost.
//!
//! Lists are only ever moved whole, never walked: a list of tens of
//! thousands of blocks freed in no particular order is a chain of cache
//! misses (splitting one in half, once, took a sixth of the time of a
//! program ending 100,000 tokens).

use std::alloc::{self, Layout};
use std::cell::Cell;
use std::ptr::NonNull;
use std::sync::Mutex;

const GRANULE: usize = 8;
const CLASSES: usize = 32;
const CHUNK: usize = 16 * 1024;
/// Free blocks a thread keeps per class before it sets them aside (see
/// `Pools::spares`).
// (Small under Miri, so that its runs reach the set-aside path.)
const KEEP: u32 = if cfg!(miri) { 64 } else { 1 << 16 };

struct Link {
    next: *mut Link,
}

/// A list of free blocks of one class.
struct FreeList {
    head: Cell<*mut Link>,
    len: Cell<u32>,
}

impl FreeList {
    const fn empty() -> FreeList {
        FreeList {
            head: Cell::new(std::ptr::null_mut()),
            len: Cell::new(0),
        }
    }

    fn push(&self, block: *mut Link) {
        // SAFETY: a free block, large enough for a link.
        unsafe { (*block).next = self.head.get() };
        self.head.set(block);
        self.len.set(self.len.get() + 1);
    }

    /// Takes the whole list, without walking it (a thread ending with
    /// hundreds of thousands of free blocks would touch every one).
    fn take_all(&self) -> Chain {
        Chain {
            head: self.head.replace(std::ptr::null_mut()),
            len: self.len.replace(0),
        }
    }

    /// Makes the empty list the chain.
    fn adopt(&self, chain: Chain) {
        debug_assert!(self.head.get().is_null(), "adopting into a list in use");
        self.head.set(chain.head);
        self.len.set(chain.len);
    }
}

/// Free blocks linked one to the next from `head`, the last one's link
/// null. (Only ever adopted by an empty list, so no tail is kept.)
struct Chain {
    head: *mut Link,
    len: u32,
}

// SAFETY: a chain of free blocks belongs to nobody until a thread takes it.
unsafe impl Send for Chain {}

struct Pools {
    lists: [FreeList; CLASSES],
    /// Per class, a full list set aside when `lists` grew past [`KEEP`],
    /// taken back when it runs dry: a thread that frees many blocks and
    /// then makes as many (tokens ending, then others starting) keeps
    /// them without going to the shared lists.
    spares: [FreeList; CLASSES],
    /// Blocks this thread took from the pools minus blocks it gave back:
    /// see [`blocks_in_use`].
    in_use: Cell<isize>,
    /// Bytes of blocks taken on this thread, net of those freed, not yet
    /// charged to a run: see [`settle`].
    pending: Cell<isize>,
}

impl Drop for Pools {
    fn drop(&mut self) {
        // The thread ends: its free blocks go to the shared lists.
        for (class, list) in self.lists.iter().enumerate() {
            share(class, list.take_all());
            share(class, self.spares[class].take_all());
        }
    }
}

thread_local! {
    static POOLS: Pools = const {
        Pools {
            lists: [const { FreeList::empty() }; CLASSES],
            spares: [const { FreeList::empty() }; CLASSES],
            in_use: Cell::new(0),
            pending: Cell::new(0),
        }
    };
}

/// Chains of free blocks that threads gave up, per class.
static SHARED: Mutex<[Vec<Chain>; CLASSES]> = Mutex::new([const { Vec::new() }; CLASSES]);

fn share(class: usize, chain: Chain) {
    if chain.len > 0 {
        let mut shared = SHARED.lock().unwrap_or_else(|e| e.into_inner());
        shared[class].push(chain);
    }
}

fn class_size(class: usize) -> usize {
    (class + 1) * GRANULE
}

/// The class of a block of `size` bytes, if it is small enough to pool.
#[inline(always)]
fn class_of(size: usize) -> Option<usize> {
    let class = size.div_ceil(GRANULE).max(1) - 1;
    (class < CLASSES).then_some(class)
}

/// Blocks for `list`: its spare list, a shared list, or a new chunk.
#[cold]
fn refill(class: usize, list: &FreeList, spare: &FreeList) {
    if !spare.head.get().is_null() {
        list.adopt(spare.take_all());
        return;
    }
    let chain = SHARED.lock().unwrap_or_else(|e| e.into_inner())[class].pop();
    if let Some(chain) = chain {
        // `list` is empty: that is why it needs refilling.
        list.adopt(chain);
        return;
    }
    let layout = Layout::from_size_align(CHUNK, GRANULE).expect("chunk layout");
    // (The blocks are charged as they are taken, not the chunk.)
    // SAFETY: the layout has a non-zero size.
    let chunk = super::uncharged(|| unsafe { alloc::alloc(layout) });
    let Some(chunk) = NonNull::new(chunk) else {
        alloc::handle_alloc_error(layout)
    };
    let size = class_size(class);
    for k in (0..CHUNK / size).rev() {
        // SAFETY: within the chunk, and aligned (sizes are multiples of 8).
        list.push(unsafe { chunk.as_ptr().add(k * size) } as *mut Link);
    }
}

/// `list` grew past [`KEEP`]: it becomes the spare list, and the spare
/// list it replaces, if any, goes to the shared lists.
#[cold]
fn set_aside(class: usize, list: &FreeList, spare: &FreeList) {
    share(class, spare.take_all());
    spare.adopt(list.take_all());
}

/// A block of at least `size` bytes, aligned to 8 bytes.
#[inline]
pub(crate) fn alloc(size: usize) -> NonNull<u8> {
    if let Some(class) = class_of(size) {
        let block = POOLS.try_with(|p| {
            let list = &p.lists[class];
            p.in_use.set(p.in_use.get() + 1);
            let pending = p.pending.get() + class_size(class) as isize;
            p.pending.set(pending);
            if pending >= BATCH {
                settle_pending(p);
            }
            if list.head.get().is_null() {
                refill(class, list, &p.spares[class]);
            }
            let head = list.head.get();
            // SAFETY: a free block of this class (refill gave at least one).
            list.head.set(unsafe { (*head).next });
            list.len.set(list.len.get() - 1);
            head as *mut u8
        });
        if let Ok(block) = block {
            if let Some(block) = NonNull::new(block) {
                return block;
            }
        }
    }
    big_alloc(size)
}

/// Bytes of blocks a thread gathers before it charges them (see
/// [`settle`]).
const BATCH: isize = 1 << 16;

/// Charges the run executing on this thread for the blocks taken and
/// freed on it since it last did.
///
/// A run is charged for the pools' blocks it holds, as for the system
/// allocator's, and not for the chunks they are carved from (taken
/// uncharged), so a spare block that an earlier run freed is charged to
/// the run that takes it. A thread gathers the bytes and charges them
/// once they come to [`BATCH`] either way, and whenever its run changes
/// (`super::Charging` settles): an account is off by less than that, and
/// a block costs an addition rather than an account's update.
pub(crate) fn settle() {
    let _ = POOLS.try_with(settle_pending);
}

#[cold]
fn settle_pending(p: &Pools) {
    let pending = p.pending.replace(0);
    if pending != 0 {
        super::charge(pending);
    }
}

/// Pooled blocks (records, frames, futures) taken on this thread and not
/// yet freed, less those it freed for other threads. A run confined to
/// one thread leaves this where it found it once the run, its program and
/// its engine are dropped; the leak checks of the tests and the fuzzer
/// compare it before and after.
pub fn blocks_in_use() -> isize {
    POOLS.try_with(|p| p.in_use.get()).unwrap_or(0)
}

/// Takes `n` blocks this thread allocated for the whole process (shared
/// constants) out of [`blocks_in_use`].
pub(crate) fn count_as_static(n: isize) {
    let _ = POOLS.try_with(|p| p.in_use.set(p.in_use.get() - n));
}

/// A block outside the pools (too large, or the thread is ending).
#[cold]
fn big_alloc(size: usize) -> NonNull<u8> {
    let layout = big_layout(size);
    // SAFETY: the layout has a non-zero size.
    match NonNull::new(unsafe { alloc::alloc(layout) }) {
        Some(block) => block,
        None => alloc::handle_alloc_error(layout),
    }
}

fn big_layout(size: usize) -> Layout {
    Layout::from_size_align(size.max(1), GRANULE).expect("block size")
}

/// Frees a block from [`alloc`] for the same `size`.
///
/// # Safety
/// `block` came from [`alloc`] with this `size` and is not used again.
#[inline]
pub(crate) unsafe fn free(block: NonNull<u8>, size: usize) {
    match class_of(size) {
        Some(class) => {
            let link = block.as_ptr() as *mut Link;
            let kept = POOLS.try_with(|p| {
                let list = &p.lists[class];
                p.in_use.set(p.in_use.get() - 1);
                let pending = p.pending.get() - class_size(class) as isize;
                p.pending.set(pending);
                if pending <= -BATCH {
                    settle_pending(p);
                }
                list.push(link);
                if list.len.get() > KEEP {
                    set_aside(class, list, &p.spares[class]);
                }
            });
            if kept.is_err() {
                // The thread is ending: the block goes to the shared list.
                // SAFETY: the block is free and large enough for a link.
                unsafe { (*link).next = std::ptr::null_mut() };
                share(class, Chain { head: link, len: 1 });
            }
        }
        // SAFETY: allocated by `big_alloc` with this layout.
        None => unsafe { alloc::dealloc(block.as_ptr(), big_layout(size)) },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_reused_within_a_class_and_large_ones_are_not_pooled() {
        let a = alloc(40);
        unsafe { free(a, 40) };
        // 33..=40 bytes share a class: the block comes back.
        let b = alloc(36);
        assert_eq!(a, b);
        unsafe { free(b, 36) };
        let big = alloc(4096);
        unsafe { big.as_ptr().write_bytes(7, 4096) };
        unsafe { free(big, 4096) };
    }

    #[test]
    fn a_thread_s_blocks_outlive_it() {
        // Blocks made on one thread and freed there go to the shared lists
        // when it ends, and another thread can take them.
        let blocks: Vec<usize> = std::thread::spawn(|| {
            let v: Vec<NonNull<u8>> = (0..1000).map(|_| alloc(200)).collect();
            let addrs = v.iter().map(|b| b.as_ptr() as usize).collect();
            for b in v {
                unsafe { free(b, 200) };
            }
            addrs
        })
        .join()
        .unwrap();
        let again = std::thread::spawn(move || {
            let b = alloc(200);
            let reused = blocks.contains(&(b.as_ptr() as usize));
            unsafe { free(b, 200) };
            reused
        })
        .join()
        .unwrap();
        assert!(again, "a new thread did not reuse a shared block");
    }

    #[test]
    fn a_run_is_charged_for_the_blocks_it_holds_not_for_spare_ones() {
        std::thread::spawn(|| {
            let size = 40;
            let n = if cfg!(miri) { 2_000 } else { 20_000 };
            let blocks = |n| (0..n).map(|_| alloc(size)).collect::<Vec<_>>();
            let free_all = |v: Vec<NonNull<u8>>| {
                for b in v {
                    unsafe { free(b, size) };
                }
            };
            let held = (n * size) as u64;
            let first = super::super::Account::new(None);
            {
                let _charging = super::super::Charging::new(&first);
                let v = blocks(n);
                settle();
                // (The vector's room is charged too, where the global
                // allocator is the accounting one: at most a word each.)
                let charged = first.used();
                assert!(
                    charged >= held && charged <= held + (n * 8) as u64 + 64,
                    "{charged} charged for {held} bytes of blocks"
                );
                free_all(v);
            }
            assert_eq!(first.used(), 0, "freed blocks stay charged");
            // A second run takes the blocks the first left: charged.
            let second = super::super::Account::new(None);
            {
                let _charging = super::super::Charging::new(&second);
                let v = blocks(n);
                settle();
                assert!(second.used() >= held, "{} charged", second.used());
                free_all(v);
            }
            assert_eq!(second.used(), 0);
        })
        .join()
        .unwrap();
    }

    #[test]
    fn blocks_set_aside_past_the_limit_come_back_once_each() {
        std::thread::spawn(|| {
            let before = blocks_in_use();
            let n = KEEP as usize * 2 + 100;
            for round in 0..3 {
                // Past the limit twice: a list set aside, then shared.
                let blocks: Vec<NonNull<u8>> = (0..n).map(|_| alloc(24)).collect();
                let mut addrs: Vec<usize> = blocks.iter().map(|b| b.as_ptr() as usize).collect();
                addrs.sort_unstable();
                addrs.dedup();
                assert_eq!(addrs.len(), n, "a block handed out twice in round {round}");
                for b in blocks {
                    unsafe { free(b, 24) };
                }
            }
            assert_eq!(blocks_in_use(), before);
        })
        .join()
        .unwrap();
    }
}
