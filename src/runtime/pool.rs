//! Free lists for the run's small, short-lived blocks: activation records
//! and continuation frames, allocated and freed at nearly every step.
//!
//! Blocks are grouped in size classes of 8 bytes, up to 256; each thread
//! keeps a bounded list of free blocks per class (a block freed on another
//! thread than the one that allocated it joins that thread's list, which
//! is fine: every block of a class has the same layout). Larger blocks,
//! and blocks beyond the bound, go to the global allocator.

use std::alloc::{self, Layout};
use std::cell::Cell;
use std::ptr::NonNull;

const GRANULE: usize = 8;
const CLASSES: usize = 32;
/// Free blocks kept per class and thread.
const KEEP: u32 = 2048;

struct Link {
    next: *mut Link,
}

struct FreeList {
    head: Cell<*mut Link>,
    len: Cell<u32>,
}

struct Pools([FreeList; CLASSES]);

impl Drop for Pools {
    fn drop(&mut self) {
        for (class, list) in self.0.iter().enumerate() {
            let mut p = list.head.get();
            while !p.is_null() {
                // SAFETY: every listed block is a free block of this class.
                unsafe {
                    let next = (*p).next;
                    alloc::dealloc(p as *mut u8, class_layout(class));
                    p = next;
                }
            }
        }
    }
}

thread_local! {
    static POOLS: Pools = const {
        Pools([const {
            FreeList {
                head: Cell::new(std::ptr::null_mut()),
                len: Cell::new(0),
            }
        }; CLASSES])
    };
}

fn class_layout(class: usize) -> Layout {
    // SAFETY: a multiple of 8, non-zero, with a power-of-two alignment.
    unsafe { Layout::from_size_align_unchecked((class + 1) * GRANULE, GRANULE) }
}

/// The class of a block of `size` bytes, if it is small enough to pool.
#[inline(always)]
fn class_of(size: usize) -> Option<usize> {
    let class = size.div_ceil(GRANULE).max(1) - 1;
    (class < CLASSES).then_some(class)
}

/// The layout of a block for `size` bytes (aligned to 8).
#[inline(always)]
fn layout_of(size: usize) -> Layout {
    match class_of(size) {
        Some(class) => class_layout(class),
        None => Layout::from_size_align(size, GRANULE).expect("block size"),
    }
}

/// A block of at least `size` bytes, aligned to 8 bytes.
#[inline]
pub(crate) fn alloc(size: usize) -> NonNull<u8> {
    if let Some(class) = class_of(size) {
        let reused = POOLS
            .try_with(|p| {
                let list = &p.0[class];
                let head = list.head.get();
                if head.is_null() {
                    return None;
                }
                // SAFETY: a free block of this class, whose first word
                // links to the next.
                list.head.set(unsafe { (*head).next });
                list.len.set(list.len.get() - 1);
                NonNull::new(head as *mut u8)
            })
            .ok()
            .flatten();
        if let Some(block) = reused {
            return block;
        }
    }
    let layout = layout_of(size);
    // SAFETY: the layout has a non-zero size.
    match NonNull::new(unsafe { alloc::alloc(layout) }) {
        Some(block) => block,
        None => alloc::handle_alloc_error(layout),
    }
}

/// Frees a block from [`alloc`] for the same `size`.
///
/// # Safety
/// `block` came from [`alloc`] with this `size` and is not used again.
#[inline]
pub(crate) unsafe fn free(block: NonNull<u8>, size: usize) {
    if let Some(class) = class_of(size) {
        let kept = POOLS
            .try_with(|p| {
                let list = &p.0[class];
                if list.len.get() >= KEEP {
                    return false;
                }
                let link = block.as_ptr() as *mut Link;
                // SAFETY: the block is free and large enough for a link.
                unsafe { (*link).next = list.head.get() };
                list.head.set(link);
                list.len.set(list.len.get() + 1);
                true
            })
            .unwrap_or(false);
        if kept {
            return;
        }
    }
    // SAFETY: allocated by `alloc` with this layout.
    unsafe { alloc::dealloc(block.as_ptr(), layout_of(size)) };
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
}
