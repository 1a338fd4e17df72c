//! Activation records: the slots of one running body.
//!
//! Every call of a definition (and the program's top level) gets a record
//! with one slot per binder of its body (see [`crate::value::code`]). Tokens that
//! fork share their record, and a record is copied only when one of two
//! tokens that could write the same slot writes (copy on write):
//!
//! * a **writer** reference may write any slot still to be bound on its
//!   path; two writers of one record (the two sides of `f | g`, which both
//!   go on to the same continuation) would clash, so a writer writes in
//!   place only while it is the record's only writer;
//! * a **reader** reference (the right side of a pruning, the right side
//!   of `;` waiting to start) only reads slots bound before it was made,
//!   which no writer ever writes again, so readers do not stop a writer
//!   from writing in place; a reader copies the record before its own
//!   first write, unless it is the record's only holder.
//!
//! A slot that a reader may read is never written again on a token's path
//! (each binder has its own slot while its scope lasts), so a reader never
//! sees a slot change under it. A slot is written twice only where nobody
//! can read its first value any more: a conditional's test variable, dead
//! once a branch is chosen (see `compile::resolve`), and a record that a
//! call in tail position refills for its callee (only when the caller's
//! token holds it alone, see [`ActRef::refill`]). And a slot is cleared
//! where nobody can read it any more: in a record its token holds alone,
//! kept under a call only for a pruning's left side that is one call
//! (`p : sieve(...)` keeps `p`, not the list it filtered; see
//! [`ActRef::clear_except`]).
//!
//! Records belong to one run and never reach a value (closures copy the
//! bindings they capture), so their counts need not be atomic.

use crate::value::env::Binding;
use crate::value::site::IntResult;
use crate::value::Value;
use std::cell::Cell;
use std::ptr::NonNull;

#[repr(C)]
struct Header {
    /// References of either kind.
    holders: Cell<u32>,
    /// Writer references.
    writers: Cell<u32>,
    len: u32,
}

/// Where the slots start: right after the header, aligned for a binding.
const SLOTS: usize =
    std::mem::size_of::<Header>().next_multiple_of(std::mem::align_of::<Binding>());

/// The bytes of a record of `len` slots.
fn size(len: u32) -> usize {
    SLOTS + len as usize * std::mem::size_of::<Binding>()
}

/// Writes `b` over the initialised binding at `p`. Most slots hold small
/// values that own nothing (integers, booleans, `signal`): those are
/// written over without a call to drop them, which the loops' slot writes
/// showed up as.
///
/// # Safety
/// `p` points to an initialised binding that nothing else borrows.
#[inline(always)]
unsafe fn overwrite(p: *mut Binding, b: Binding) {
    // SAFETY: by the caller's contract.
    unsafe {
        if owns_nothing(&*p) {
            p.write(b);
        } else {
            *p = b;
        }
    }
}

/// Writes an integer or a boolean over the initialised binding at `p`,
/// in its parts (see [`ActRef::set_int`]).
///
/// # Safety
/// As for [`overwrite`].
#[inline(always)]
unsafe fn write_small(p: *mut Binding, v: IntResult) {
    // SAFETY: by the caller's contract; the old binding is dropped
    // (unless it owns nothing) before the new one is written over it.
    unsafe {
        if !owns_nothing(&*p) {
            std::ptr::drop_in_place(p);
        }
        match v {
            IntResult::Int(n) => p.write(Binding::Value(Value::Int(n))),
            IntResult::Bool(b) => p.write(Binding::Value(Value::Bool(b))),
        }
    }
}

/// Whether dropping `b` would do nothing.
#[inline(always)]
fn owns_nothing(b: &Binding) -> bool {
    matches!(
        b,
        Binding::Value(Value::Int(_) | Value::Bool(_) | Value::Signal | Value::Null)
    )
}

/// A reference to an activation record: a pointer to its header, whose
/// lowest bit says whether the reference is a writer.
pub(crate) struct ActRef(NonNull<u8>);

// SAFETY: every reference to a record is owned by the run that made it
// (tokens, their frames, halting counters), and a run is used by one
// thread at a time (`&mut Run`); records never reach values, which may
// cross threads.
unsafe impl Send for ActRef {}

const WRITER: usize = 1;

impl ActRef {
    /// A new record of `len` slots (a writer reference, the only one).
    pub(crate) fn new(len: u32) -> ActRef {
        let fresh = ActRef::alloc(len);
        for i in 0..len {
            // SAFETY: the slots are allocated and not initialised yet.
            unsafe { fresh.slot_ptr(i).write(Binding::Value(Value::Signal)) };
        }
        fresh
    }

    /// A new record of `len` slots whose first slots are `args`.
    #[inline]
    pub(crate) fn with_args(len: u32, args: impl IntoIterator<Item = Binding>) -> ActRef {
        let fresh = ActRef::alloc(len);
        let mut i = 0;
        for b in args {
            if i == len {
                break;
            }
            // SAFETY: slot `i < len` is allocated and not initialised yet.
            unsafe { fresh.slot_ptr(i).write(b) };
            i += 1;
        }
        for i in i..len {
            // SAFETY: as above.
            unsafe { fresh.slot_ptr(i).write(Binding::Value(Value::Signal)) };
        }
        fresh
    }

    fn alloc(len: u32) -> ActRef {
        let block = crate::memory::pool::alloc(size(len));
        // SAFETY: a fresh block, large enough and aligned for a header.
        unsafe {
            (block.as_ptr() as *mut Header).write(Header {
                holders: Cell::new(1),
                writers: Cell::new(1),
                len,
            })
        };
        ActRef::tagged(block, true)
    }

    fn tagged(block: NonNull<u8>, writer: bool) -> ActRef {
        let tag = if writer { WRITER } else { 0 };
        ActRef(block.map_addr(|a| a | tag))
    }

    #[inline(always)]
    fn block(&self) -> NonNull<u8> {
        // Blocks are 8-byte aligned: the tag is the lowest bit.
        self.0.map_addr(|a| {
            // SAFETY: clearing the tag leaves the block's (non-zero) address.
            unsafe { std::num::NonZeroUsize::new_unchecked(a.get() & !WRITER) }
        })
    }

    #[inline(always)]
    fn writer(&self) -> bool {
        self.0.addr().get() & WRITER != 0
    }

    #[inline(always)]
    fn header(&self) -> &Header {
        // SAFETY: the header lives while any reference does.
        unsafe { self.block().cast::<Header>().as_ref() }
    }

    #[inline(always)]
    fn slot_ptr(&self, i: u32) -> *mut Binding {
        // SAFETY: `i < len` is checked by the callers; the slots follow
        // the header.
        unsafe {
            self.block()
                .as_ptr()
                .add(SLOTS)
                .cast::<Binding>()
                .add(i as usize)
        }
    }

    /// The binding in slot `i` (`None` past the end).
    #[inline(always)]
    pub(crate) fn get(&self, i: u32) -> Option<&Binding> {
        if i < self.header().len {
            // SAFETY: in bounds and initialised; nothing writes the slot
            // while this borrow of `self` lasts (writes take `&mut` of the
            // only writer, and never touch slots that others read).
            Some(unsafe { &*self.slot_ptr(i) })
        } else {
            None
        }
    }

    /// A writer reference for another token that goes on from here (the
    /// other side of `f | g`).
    pub(crate) fn share_writer(&self) -> ActRef {
        let h = self.header();
        h.holders.set(h.holders.get() + 1);
        if self.writer() {
            h.writers.set(h.writers.get() + 1);
        }
        ActRef(self.0)
    }

    /// A reader reference: for code that reads only slots bound already.
    pub(crate) fn share_reader(&self) -> ActRef {
        let h = self.header();
        h.holders.set(h.holders.get() + 1);
        ActRef::tagged(self.block(), false)
    }

    /// Whether a write can go in place.
    #[inline(always)]
    fn exclusive(&mut self) -> bool {
        let h = self.header();
        if self.writer() {
            h.writers.get() == 1
        } else if h.holders.get() == 1 {
            // The only holder: nobody else reads it.
            h.writers.set(1);
            // (Retagged in place: the reference itself stays.)
            self.0 = self.0.map_addr(|a| a | WRITER);
            true
        } else {
            false
        }
    }

    /// Writes slot `i` (ignored past the end), copying the record first if
    /// another token could write the same slot.
    #[inline]
    pub(crate) fn set(&mut self, i: u32, b: Binding) {
        if let Some(p) = self.slot_to_write(i) {
            // SAFETY: see `slot_to_write`.
            unsafe { overwrite(p, b) };
        }
    }

    /// Slot `i`, ready to be written (`None` past the end): the record is
    /// copied first if another token could write the same slot. The
    /// slot is in bounds, this reference is the record's only writer, and
    /// no reader reads slot `i` (see the module doc).
    #[inline(always)]
    fn slot_to_write(&mut self, i: u32) -> Option<*mut Binding> {
        if i >= self.header().len {
            return None;
        }
        if !self.exclusive() {
            self.copy_for_write();
        }
        Some(self.slot_ptr(i))
    }

    /// [`ActRef::set`] of an integer operator's result, written straight
    /// into the slot: built first as a binding and then copied, its tag
    /// and payload, stored separately, were read back as one wide load,
    /// which waits for both stores (the costliest instruction of the
    /// loops' profile).
    #[inline(always)]
    pub(crate) fn set_int(&mut self, i: u32, v: IntResult) {
        if let Some(p) = self.slot_to_write(i) {
            // SAFETY: see `slot_to_write`.
            unsafe { write_small(p, v) };
        }
    }

    /// Whether the record can be reused for a body of `len` slots (a call
    /// in tail position, whose caller's record is left): it has that
    /// length and nobody else holds it.
    #[inline(always)]
    pub(crate) fn reusable_for(&self, len: u32) -> bool {
        let h = self.header();
        h.len == len && h.holders.get() == 1
    }

    /// Drops what the slots outside `keep` (bit `i`: slot `i`) hold, in a
    /// record this reference holds alone, of at most 32 slots (else it
    /// does nothing): no one reads those slots again (see
    /// `light::keep_for_left`). A slot that owns nothing is left as it is.
    #[inline(always)]
    pub(crate) fn clear_except(&mut self, keep: u32) {
        let h = self.header();
        if h.holders.get() != 1 || h.len > 32 {
            return;
        }
        let all = if h.len == 32 {
            u32::MAX
        } else {
            (1u32 << h.len) - 1
        };
        let mut clear = all & !keep;
        while clear != 0 {
            let i = clear.trailing_zeros();
            clear &= clear - 1;
            let p = self.slot_ptr(i);
            // SAFETY: in bounds and initialised; the only reference.
            unsafe {
                if !owns_nothing(&*p) {
                    *p = Binding::Value(Value::Signal);
                }
            }
        }
    }

    /// The binding in slot `i`, moved out (`signal` is left in its
    /// place), in a record this reference holds alone (see
    /// [`ActRef::reusable_for`]), which is refilled before anyone reads
    /// the slot again. A missing slot reads as halted, as for
    /// [`ActRef::get`]'s readers.
    #[inline(always)]
    pub(crate) fn take(&mut self, i: u32) -> Binding {
        debug_assert_eq!(self.header().holders.get(), 1);
        if i >= self.header().len {
            return crate::value::env::halted();
        }
        // SAFETY: in bounds and initialised; the only reference.
        unsafe { std::ptr::replace(self.slot_ptr(i), Binding::Value(Value::Signal)) }
    }

    /// Reuses the record (see [`ActRef::reusable_for`]) for a new body:
    /// its first slots are `args`, the others are cleared, as in a new
    /// record.
    #[inline(always)]
    pub(crate) fn refill<const N: usize>(&mut self, args: [Binding; N]) {
        debug_assert_eq!(self.header().holders.get(), 1);
        self.header().writers.set(1);
        self.0 = self.0.map_addr(|a| a | WRITER);
        let len = self.header().len;
        // The arguments are moved out one by one (no array iterator,
        // whose drop of what is left showed up in the loops' profile).
        let args = std::mem::ManuallyDrop::new(args);
        let given = (N as u32).min(len);
        for i in 0..given {
            // SAFETY: in bounds; the only reference to the record. Each
            // argument is read out of `args` once, and `args` is not
            // dropped.
            unsafe { overwrite(self.slot_ptr(i), std::ptr::read(&args[i as usize])) };
        }
        for extra in &args[given as usize..] {
            // An argument past the record's end (never read).
            // SAFETY: read once, as above.
            drop(unsafe { std::ptr::read(extra) });
        }
        for i in given..len {
            // SAFETY: in bounds, as above.
            unsafe { overwrite(self.slot_ptr(i), Binding::Value(Value::Signal)) };
        }
    }

    /// [`ActRef::refill`] with one argument, the binding now in slot
    /// `from` of this record (`loop(i + 1)`, whose argument was just
    /// computed into a slot). An integer or a boolean is copied in its
    /// parts, as it was written: copied whole, with wider loads, it
    /// waited for the stores that had just written it.
    #[inline(always)]
    pub(crate) fn refill_from_slot(&mut self, from: u32) {
        let len = self.header().len;
        if from >= len {
            // A missing slot reads as halted (see `take`).
            return self.refill([crate::value::env::halted()]);
        }
        debug_assert_eq!(self.header().holders.get(), 1);
        self.header().writers.set(1);
        self.0 = self.0.map_addr(|a| a | WRITER);
        if from != 0 {
            let (src, dst) = (self.slot_ptr(from), self.slot_ptr(0));
            // SAFETY: both in bounds (`len > from > 0`) and distinct; the
            // only reference to the record. `src` is cleared below.
            unsafe {
                match &*src {
                    Binding::Value(Value::Int(n)) => write_small(dst, IntResult::Int(*n)),
                    Binding::Value(Value::Bool(b)) => write_small(dst, IntResult::Bool(*b)),
                    _ => overwrite(dst, std::ptr::replace(src, Binding::Value(Value::Signal))),
                }
            }
        }
        for i in 1..len {
            // SAFETY: in bounds, as above.
            unsafe { overwrite(self.slot_ptr(i), Binding::Value(Value::Signal)) };
        }
    }

    /// This reference made the only holder of a copy of the record.
    #[cold]
    #[inline(never)]
    fn copy_for_write(&mut self) {
        *self = self.copy();
    }

    /// A copy of the record of which this token is the only holder.
    #[cold]
    fn copy(&self) -> ActRef {
        let len = self.header().len;
        let fresh = ActRef::alloc(len);
        for i in 0..len {
            // SAFETY: `i < len` in both; the new slot is uninitialised. A
            // binding that owns nothing is its bytes: copied as they are,
            // without the clone's matching.
            unsafe {
                let (from, to) = (self.slot_ptr(i), fresh.slot_ptr(i));
                if owns_nothing(&*from) {
                    to.copy_from_nonoverlapping(from, 1);
                } else {
                    to.write((*from).clone());
                }
            }
        }
        fresh
    }
}

impl Drop for ActRef {
    fn drop(&mut self) {
        let h = self.header();
        if self.writer() {
            h.writers.set(h.writers.get() - 1);
        }
        let holders = h.holders.get() - 1;
        h.holders.set(holders);
        if holders > 0 {
            return;
        }
        let len = h.len;
        for i in 0..len {
            // SAFETY: initialised, and this was the last reference. Most
            // slots hold small values that own nothing: no call for them.
            unsafe {
                let p = self.slot_ptr(i);
                if !owns_nothing(&*p) {
                    std::ptr::drop_in_place(p);
                }
            }
        }
        // SAFETY: allocated by `alloc` for this length.
        unsafe { crate::memory::pool::free(self.block(), size(len)) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn int(b: Option<&Binding>) -> Option<i64> {
        match b {
            Some(Binding::Value(Value::Int(i))) => Some(*i),
            _ => None,
        }
    }

    #[test]
    fn writers_copy_readers_do_not_stop_writes_in_place() {
        let mut a = ActRef::new(3);
        a.set(0, Binding::Value(Value::Int(1)));
        let reader = a.share_reader();
        // A reader does not make the writer copy.
        a.set(1, Binding::Value(Value::Int(2)));
        assert_eq!(int(reader.get(1)), Some(2));
        // A second writer does.
        let mut b = a.share_writer();
        b.set(2, Binding::Value(Value::Int(3)));
        a.set(2, Binding::Value(Value::Int(4)));
        assert_eq!(int(b.get(2)), Some(3));
        assert_eq!(int(a.get(2)), Some(4));
        assert_eq!(int(b.get(0)), Some(1));
        // A reader copies before writing, unless it is the only holder.
        let mut r = reader;
        r.set(2, Binding::Value(Value::Int(5)));
        assert_eq!(int(a.get(2)), Some(4));
        assert_eq!(int(r.get(2)), Some(5));
        drop((a, b));
        let mut only = r.share_reader();
        drop(r);
        only.set(1, Binding::Value(Value::Int(6)));
        assert_eq!(int(only.get(1)), Some(6));
        assert!(only.get(3).is_none());
        only.set(7, Binding::Value(Value::Int(0)));
        assert_eq!(only.header().len, 3);
    }

    #[test]
    fn refill_moves_arguments_in_and_drops_each_old_value_once() {
        let text: Arc<str> = Arc::from("held");
        let held = || Binding::Value(Value::Str(text.clone()));
        let mut a = ActRef::with_args(3, [held(), held(), held()]);
        assert_eq!(Arc::strong_count(&text), 4);
        // Two arguments for three slots: the third is cleared.
        a.refill([Binding::Value(Value::Int(1)), held()]);
        assert_eq!(Arc::strong_count(&text), 2);
        assert_eq!(int(a.get(0)), Some(1));
        assert!(matches!(a.get(1), Some(Binding::Value(Value::Str(_)))));
        assert!(matches!(a.get(2), Some(Binding::Value(Value::Signal))));
        // More arguments than slots: the extra ones are dropped.
        let mut small = ActRef::new(1);
        small.refill([held(), held(), held()]);
        assert_eq!(Arc::strong_count(&text), 3);
        drop((a, small));
        assert_eq!(Arc::strong_count(&text), 1);
    }

    #[test]
    fn refill_from_slot_moves_that_binding_first_and_clears_the_rest() {
        let text: Arc<str> = Arc::from("moved");
        let mut a = ActRef::with_args(
            4,
            [
                Binding::Value(Value::Int(1)),
                Binding::Value(Value::Str(text.clone())),
                Binding::Value(Value::Int(7)),
            ],
        );
        a.refill_from_slot(2);
        assert_eq!(int(a.get(0)), Some(7));
        // The string in slot 1 is dropped with the rest.
        assert_eq!(Arc::strong_count(&text), 1);
        for i in 1..4 {
            assert!(matches!(a.get(i), Some(Binding::Value(Value::Signal))));
        }
        a.set(3, Binding::Value(Value::Str(text.clone())));
        a.refill_from_slot(3);
        assert!(matches!(a.get(0), Some(Binding::Value(Value::Str(s))) if &**s == "moved"));
        assert_eq!(Arc::strong_count(&text), 2);
        a.set(1, Binding::Value(Value::Bool(true)));
        a.refill_from_slot(1);
        assert!(matches!(a.get(0), Some(Binding::Value(Value::Bool(true)))));
        assert_eq!(Arc::strong_count(&text), 1);
        // Slot 0 is the argument already; past the end reads as halted.
        a.set(0, Binding::Value(Value::Int(3)));
        a.refill_from_slot(0);
        assert_eq!(int(a.get(0)), Some(3));
        a.refill_from_slot(9);
        assert!(int(a.get(0)).is_none());
    }
}
