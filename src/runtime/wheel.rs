//! A hierarchical timing wheel: the runtime's store of pending timers.
//!
//! [`TimerWheel`] owns every pending timer of one scheduler: the value to
//! deliver and its deadline in whole *ticks* on the scheduler's clock
//! (real or simulated; the runtime's ticks are microseconds, see
//! [`super::clock`]). It offers O(1) [`insert`](TimerWheel::insert) and
//! O(1) [`cancel`](TimerWheel::cancel), fires due timers in deadline order
//! (insertion order among equal deadlines) from
//! [`advance`](TimerWheel::advance), and tells the scheduler when the next
//! timer may be due ([`next_deadline`](TimerWheel::next_deadline)) so it can
//! park the thread or jump a simulated clock.
//!
//! # Layout
//!
//! Time is split into base-64 digits. There are [`LEVELS`] = 6 levels of
//! 64 slots; a slot at level `L` spans `64^L` ticks, so level 0 has 1-tick
//! slots and the whole wheel spans `64^6` ticks (about 19 hours in
//! microseconds), called an *epoch*.
//!
//! A pending entry with deadline `d` lives, relative to the current time
//! `now`, at the level of the most significant base-64 digit in which `d`
//! and `now` differ, in the slot named by `d`'s digit at that level. So a
//! level-`L` entry agrees with `now` in every digit above `L` and is later
//! than `now` in digit `L`. Two consequences the rest of the code leans on:
//!
//! - every entry at level `L` is later than every entry at level `L - 1`, so
//!   the earliest entry is in the lowest non-empty level, in the lowest
//!   occupied slot (slots never wrap around: occupied slots are always ahead
//!   of `now`'s digit);
//! - where an entry lives is a function of `(d, now)` alone, so entries with
//!   equal deadlines always share one list, which keeps them in FIFO order.
//!
//! Deadlines in a later epoch than `now` (digits above level 5 differ) go to
//! a single *overflow* list, and deadlines at or before `now` (inserted
//! since the last advance) to an *overdue* list fired first at the next
//! advance.
//!
//! A timer may also be inserted with only a delay
//! ([`insert_deferred`](TimerWheel::insert_deferred)): it waits on a
//! *deferred* list, neither placed nor fired, until
//! [`place_deferred`](TimerWheel::place_deferred) gives the base time its
//! delay counts from. A real-time scheduler uses this to start a batch of
//! timers from one clock reading taken after all of them were asked for,
//! instead of reading the clock once per timer: the base is never earlier
//! than the request, so such a timer never fires early.
//!
//! # Entries and lists
//!
//! Entries live in a slab (`Vec`) and are addressed by `u32` index; each slot
//! is an intrusive doubly linked list threaded through the slab, with head
//! and tail stored per slot, so insert (append at the tail) and cancel
//! (unlink) touch O(1) entries. Freed entries form a free list through the
//! same `next` field. A [`TimerKey`] carries the index plus a generation
//! number that is bumped whenever the entry is freed, so stale keys (fired,
//! cancelled, or reused slots) are recognised. A pending entry costs
//! `size_of::<Entry<T>>()` bytes of slab — 32 bytes in the runtime —
//! plus the `Vec`'s growth slack; the wheel itself adds a fixed ~6 KiB.
//!
//! Each level keeps a `u64` occupancy bitmap (bit `s` set iff slot `s` is
//! non-empty), so the next non-empty slot is one `trailing_zeros` away and
//! empty stretches of time cost nothing to skip.
//!
//! # Advancing and cascading
//!
//! [`advance`](TimerWheel::advance) repeatedly finds the next *event*, the
//! lowest occupied slot of the lowest non-empty level, and, while that
//! event's start time is not after the target, moves `now` to it:
//!
//! - a level-0 slot holds exactly one deadline, so its entries are fired
//!   (popped from the head, i.e. in insertion order);
//! - a higher slot spans a range of times; when `now` reaches the start of
//!   that range the slot's entries no longer satisfy the placement rule, so
//!   they are *cascaded*: re-placed relative to the new `now`, which puts
//!   each on a strictly lower level. Walking the list in order and appending
//!   keeps FIFO order among equal deadlines;
//! - the overflow list is re-examined when `now` reaches the start of the
//!   epoch holding its earliest deadline; entries of that epoch move into
//!   the wheel and the rest stay.
//!
//! Each entry thus moves at most once per level between insert and fire, and
//! time between events is skipped in O(1), so a jump from 0 to 10^12 ticks costs
//! in proportion to the entries involved, not the milliseconds.
//!
//! # `next_deadline`
//!
//! A level-0 slot gives its deadline exactly. A higher slot (and the
//! overflow list) spans a range, so each keeps a *hint*: the minimum
//! deadline appended to it since it was last empty. The hint is exact until
//! the entry holding it is cancelled; then, to keep cancel O(1), it is
//! recomputed only if the slot has at most [`RESCAN_LIMIT`] entries, and
//! otherwise left as a (still valid) lower bound. So `next_deadline` is
//! exact except after cancelling the earliest timer of a crowded coarse
//! slot, where it returns an earlier time; advancing to that time makes
//! progress (it cascades the slot) and the following answer is exact.

use std::fmt;

/// Bits of time resolved by one level.
const SLOT_BITS: u32 = 6;
/// Slots per level.
const SLOTS: usize = 1 << SLOT_BITS;
const SLOT_MASK: u64 = SLOTS as u64 - 1;
/// Number of levels; `LEVELS * SLOT_BITS` = 36 bits of ticks (19 hours of µs).
pub const LEVELS: usize = 6;
/// Bits of time covered by the whole wheel (one epoch).
const EPOCH_BITS: u32 = SLOT_BITS * LEVELS as u32;
const EPOCH_MASK: u64 = (1 << EPOCH_BITS) - 1;

/// Lists `0..WHEEL_LISTS` are the slots (`level * SLOTS + slot`); then come
/// the overflow, overdue and deferred lists. (An entry on the deferred
/// list keeps its delay in its `deadline` field until it is placed.)
const WHEEL_LISTS: usize = SLOTS * LEVELS;
const OVERFLOW: u16 = WHEEL_LISTS as u16;
const OVERDUE: u16 = OVERFLOW + 1;
const DEFERRED: u16 = OVERDUE + 1;
const NUM_LISTS: usize = WHEEL_LISTS + 3;

/// Null link. Also why the slab is limited to `u32::MAX` entries.
const NIL: u32 = u32::MAX;

/// When the entry holding a coarse slot's minimum is cancelled, the new
/// minimum is recomputed if the slot has at most this many entries (bounded
/// work, so cancel stays O(1)); otherwise the hint becomes a lower bound.
pub const RESCAN_LIMIT: usize = 8;

/// Handle to a pending timer, returned by [`TimerWheel::insert`].
///
/// Copy and cheap (8 bytes). A key whose timer has fired or been cancelled
/// is *stale*: [`TimerWheel::cancel`] returns `None` for it, even after its
/// slab slot has been reused, because the slot's generation has moved on.
/// (Generations are 16-bit and wrap, so a key kept across 65,536 reuses
/// of one slot could alias; the runtime never keeps a key once its timer
/// has fired or been cancelled.) A key is only meaningful to the wheel
/// that issued it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TimerKey {
    index: u32,
    generation: u16,
}

/// One slab slot: a pending timer, or a link in the free list.
///
/// 32 bytes for the runtime's `T` (a token and an epoch, 12 bytes with a
/// niche for `None`): the deadline 8, the value 12 and the four small
/// fields 12; 40 for a `u64` (whose `Option` takes 16). Indices are `u32`
/// rather than `usize` to keep it there.
struct Entry<T> {
    deadline: u64,
    /// `None` iff the slot is free.
    value: Option<T>,
    prev: u32,
    /// Next entry in the same list, or the next free slot.
    next: u32,
    /// Bumped each time the slot is freed; see [`TimerKey`]. (16 bits,
    /// so that with `list` it fits where one `u32` would: an entry of the
    /// runtime's wheel, whose `T` is 12 bytes, takes 32 bytes, not 40.)
    generation: u16,
    /// The list this entry is linked into (only meaningful while pending).
    list: u16,
}

#[derive(Clone, Copy)]
struct List {
    head: u32,
    tail: u32,
}

const EMPTY_LIST: List = List {
    head: NIL,
    tail: NIL,
};

/// What [`TimerWheel::advance`] does when time reaches an event.
enum Event {
    /// Fire a level-0 slot (list index `< SLOTS`).
    Fire(u16),
    /// Re-place a coarse slot's or the overflow list's entries.
    Cascade(u16),
}

/// A hierarchical timing wheel of pending timers carrying values of type `T`.
/// See the [module documentation](self) for how it works.
///
/// ```
/// use orc::runtime::wheel::TimerWheel;
///
/// let mut wheel = TimerWheel::new();
/// let a = wheel.insert(30, "a");
/// wheel.insert(10, "b");
/// wheel.insert(10, "c"); // same deadline: fires after "b"
/// assert_eq!(wheel.cancel(a), Some("a"));
///
/// // A simulated clock jumps from deadline to deadline.
/// let mut fired = Vec::new();
/// while let Some(t) = wheel.next_deadline() {
///     wheel.advance(t, |_key, value| fired.push((t, value)));
/// }
/// assert_eq!(fired, [(10, "b"), (10, "c")]);
/// assert_eq!(wheel.now(), 10);
/// ```
pub struct TimerWheel<T> {
    entries: Vec<Entry<T>>,
    /// Head of the free list through `Entry::next`.
    free_head: u32,
    len: usize,
    now: u64,
    lists: Box<[List; NUM_LISTS]>,
    /// Per level, bit `s` set iff slot `s` is non-empty.
    occupied: [u64; LEVELS],
    /// Per coarse slot and for the overflow list: lower bound on (usually
    /// exactly) the minimum pending deadline in it; `u64::MAX` when empty.
    /// Indexed by list; level-0 entries are unused (those slots are exact).
    hints: Box<[u64; WHEEL_LISTS + 1]>,
    /// Reused buffer for sorting the overdue list.
    scratch: Vec<u32>,
}

impl<T> Default for TimerWheel<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> fmt::Debug for TimerWheel<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TimerWheel")
            .field("now", &self.now)
            .field("len", &self.len)
            .field("next_deadline", &self.next_deadline())
            .finish_non_exhaustive()
    }
}

impl<T> TimerWheel<T> {
    /// An empty wheel whose clock reads 0.
    pub fn new() -> Self {
        Self::with_capacity(0)
    }

    /// An empty wheel with room for `n` pending timers before the slab
    /// reallocates.
    pub fn with_capacity(n: usize) -> Self {
        TimerWheel {
            entries: Vec::with_capacity(n),
            free_head: NIL,
            len: 0,
            now: 0,
            lists: Box::new([EMPTY_LIST; NUM_LISTS]),
            occupied: [0; LEVELS],
            hints: Box::new([u64::MAX; WHEEL_LISTS + 1]),
            scratch: Vec::new(),
        }
    }

    /// The current time in ticks: the last time [`advance`](Self::advance)d to.
    pub fn now(&self) -> u64 {
        self.now
    }

    /// Number of pending timers.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no timer is pending.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Slab slots allocated (pending plus free); for memory accounting.
    pub fn capacity(&self) -> usize {
        self.entries.capacity()
    }

    /// Drops every pending timer without firing it, keeping the slab's
    /// allocation for reuse. The clock keeps its time, and every key issued
    /// before becomes stale. O(capacity).
    pub fn clear(&mut self) {
        self.free_head = NIL;
        // Backwards, so the rebuilt free list hands out slots in ascending
        // order (sequential writes when refilling).
        for (index, entry) in self.entries.iter_mut().enumerate().rev() {
            if entry.value.take().is_some() {
                entry.generation = entry.generation.wrapping_add(1);
            }
            entry.next = self.free_head;
            self.free_head = index as u32;
        }
        self.len = 0;
        *self.lists = [EMPTY_LIST; NUM_LISTS];
        self.occupied = [0; LEVELS];
        *self.hints = [u64::MAX; WHEEL_LISTS + 1];
    }

    /// Adds a timer that fires `value` at `deadline`. A deadline at or
    /// before [`now`](Self::now) is due: it fires at the next `advance`
    /// (even `advance(now())`), before any later deadline. O(1).
    ///
    /// # Panics
    ///
    /// If `u32::MAX - 1` timers are already pending.
    pub fn insert(&mut self, deadline: u64, value: T) -> TimerKey {
        let index = self.alloc(deadline, value);
        self.place(index, deadline);
        self.len += 1;
        self.key_of(index)
    }

    /// Adds a timer that fires `value` `delay` after the base time that
    /// the next [`place_deferred`](Self::place_deferred) gives. Until then
    /// it is pending (counted by [`len`](Self::len), cancellable) but not
    /// placed: [`advance`](Self::advance) does not fire it and
    /// [`next_deadline`](Self::next_deadline) does not see it. Timers placed
    /// by one call keep their insertion order among equal deadlines. O(1).
    ///
    /// # Panics
    ///
    /// As [`insert`](Self::insert).
    pub fn insert_deferred(&mut self, delay: u64, value: T) -> TimerKey {
        let index = self.alloc(delay, value);
        self.link(index, DEFERRED);
        self.len += 1;
        self.key_of(index)
    }

    /// Whether a timer inserted with
    /// [`insert_deferred`](Self::insert_deferred) waits to be placed.
    pub fn has_deferred(&self) -> bool {
        self.lists[DEFERRED as usize].head != NIL
    }

    /// Places every deferred timer at `base` plus its delay, as if
    /// [`insert`](Self::insert)ed now with that deadline, in the order they
    /// were inserted. O(deferred timers).
    pub fn place_deferred(&mut self, base: u64) {
        self.place_deferred_on(base, |_| 1);
    }

    /// [`place_deferred`](Self::place_deferred), each deadline rounded up
    /// to a multiple of `grid(delay)` ticks: timers of similar delays
    /// started at slightly different times then share deadlines, and fire
    /// together. (Rounding up: never early.)
    pub fn place_deferred_on(&mut self, base: u64, grid: impl Fn(u64) -> u64) {
        let mut index = self.detach(DEFERRED);
        while index != NIL {
            let entry = &mut self.entries[index as usize];
            let next = entry.next;
            let step = grid(entry.deadline).max(1);
            let deadline = base
                .saturating_add(entry.deadline)
                .div_ceil(step)
                .saturating_mul(step);
            entry.deadline = deadline;
            self.place(index, deadline);
            index = next;
        }
    }

    /// Links an allocated entry with deadline `deadline` into its list.
    fn place(&mut self, index: u32, deadline: u64) {
        let list = if deadline <= self.now {
            OVERDUE
        } else {
            self.list_for(deadline)
        };
        self.link(index, list);
    }

    /// Removes a pending timer and returns its value; `None` if the key is
    /// stale (the timer already fired or was cancelled). O(1).
    pub fn cancel(&mut self, key: TimerKey) -> Option<T> {
        let entry = self.entries.get(key.index as usize)?;
        if entry.generation != key.generation || entry.value.is_none() {
            return None;
        }
        self.unlink(key.index);
        self.refresh_hint_after_cancel(key.index);
        Some(self.release(key.index))
    }

    /// The value of a pending timer, to change what it will fire; `None`
    /// if the key is stale. O(1).
    pub fn get_mut(&mut self, key: TimerKey) -> Option<&mut T> {
        let entry = self.entries.get_mut(key.index as usize)?;
        if entry.generation != key.generation {
            return None;
        }
        entry.value.as_mut()
    }

    /// When the scheduler should next call [`advance`](Self::advance):
    /// `None` if nothing is pending (deferred timers, not yet placed, do not
    /// count), otherwise a time `d >= now()`.
    ///
    /// - If a timer is overdue (inserted with a deadline at or before
    ///   `now()`), returns `now()`.
    /// - Otherwise returns a time `> now()` that is never later than the
    ///   earliest pending deadline, and is *exactly* that deadline unless
    ///   the earliest timer of a coarse slot (level 1 and up) or of the
    ///   overflow list was cancelled while more than [`RESCAN_LIMIT`] others
    ///   remained there; then it is a lower bound until `advance` reaches
    ///   that slot (see the module docs).
    ///
    /// Either way `while let Some(d) = w.next_deadline() { w.advance(d, f) }`
    /// fires every timer exactly at its deadline, in order, and terminates:
    /// each such advance either fires something or moves `now` forward and
    /// narrows the bound. Cost: O(`LEVELS`).
    pub fn next_deadline(&self) -> Option<u64> {
        if self.lists[OVERDUE as usize].head != NIL {
            return Some(self.now);
        }
        for level in 0..LEVELS {
            let bits = self.occupied[level];
            if bits != 0 {
                let slot = bits.trailing_zeros() as usize;
                let start = self.slot_start(level, slot);
                if level == 0 {
                    return Some(start);
                }
                // The hint is within the slot's range; `max` is belt and braces.
                return Some(self.hints[level * SLOTS + slot].max(start));
            }
        }
        if self.lists[OVERFLOW as usize].head != NIL {
            return Some(self.hints[OVERFLOW as usize]);
        }
        None
    }

    /// Advances the clock to `now_t` and fires every timer with a deadline
    /// at or before it, calling `fire(key, value)` for each in deadline
    /// order, insertion order among equal deadlines. Overdue timers (see
    /// [`insert`](Self::insert)) come first, ordered by their deadlines.
    ///
    /// `now_t` earlier than [`now`](Self::now) is treated as `now()`: the
    /// clock never runs backwards, but overdue timers still fire.
    ///
    /// `fire` cannot touch the wheel (it is borrowed); collect follow-up
    /// work and apply it afterwards. If `fire` panics, the timer being fired
    /// is gone and every other timer is still pending; the wheel stays
    /// consistent, with `now()` somewhere between its old value and `now_t`.
    ///
    /// Cost: O(timers fired + cascade moves + overdue·log overdue), with at
    /// most `LEVELS` cascade moves per timer over its life; empty time is
    /// skipped through the occupancy bitmaps.
    pub fn advance(&mut self, now_t: u64, mut fire: impl FnMut(TimerKey, T)) {
        let target = now_t.max(self.now);
        if self.lists[OVERDUE as usize].head != NIL {
            self.fire_overdue(&mut fire);
        }
        while let Some((time, event)) = self.next_event() {
            if time > target {
                break;
            }
            debug_assert!(time >= self.now, "events are never in the past");
            self.now = time;
            match event {
                Event::Fire(list) => self.fire_list(list, &mut fire),
                Event::Cascade(list) => self.cascade(list),
            }
        }
        self.now = target;
    }

    // ----- placement -----

    /// The list for a deadline `d >= now` (`d == now` happens only while
    /// cascading, and lands in the level-0 slot that fires right away).
    fn list_for(&self, d: u64) -> u16 {
        debug_assert!(d >= self.now);
        // OR-ing in the slot mask makes equal digits at level 0 count as
        // level 0 rather than "no differing digit".
        let masked = (d ^ self.now) | SLOT_MASK;
        let level = (63 - masked.leading_zeros()) / SLOT_BITS;
        if level as usize >= LEVELS {
            OVERFLOW
        } else {
            let slot = (d >> (level * SLOT_BITS)) & SLOT_MASK;
            (level as usize * SLOTS + slot as usize) as u16
        }
    }

    /// Start time of `slot` at `level` in the block of time containing `now`.
    fn slot_start(&self, level: usize, slot: usize) -> u64 {
        let shift = level as u32 * SLOT_BITS;
        let block_mask = (1u64 << (shift + SLOT_BITS)) - 1;
        (self.now & !block_mask) | ((slot as u64) << shift)
    }

    /// The next thing `advance` must do, and the time at which to do it.
    fn next_event(&self) -> Option<(u64, Event)> {
        for level in 0..LEVELS {
            let bits = self.occupied[level];
            if bits != 0 {
                let slot = bits.trailing_zeros() as usize;
                let time = self.slot_start(level, slot);
                let list = (level * SLOTS + slot) as u16;
                let event = if level == 0 {
                    Event::Fire(list)
                } else {
                    Event::Cascade(list)
                };
                return Some((time, event));
            }
        }
        if self.lists[OVERFLOW as usize].head != NIL {
            // Jump straight to the epoch of the earliest overflow deadline
            // (the hint is a lower bound, so this is never too late). The
            // hint's epoch is always later than `now`'s: reaching it
            // triggers this very event, which recomputes the hint.
            let epoch_start = self.hints[OVERFLOW as usize] & !EPOCH_MASK;
            debug_assert!(epoch_start > self.now);
            return Some((epoch_start, Event::Cascade(OVERFLOW)));
        }
        None
    }

    // ----- advancing -----

    /// Fires a level-0 slot: every entry in it has deadline `now`.
    fn fire_list(&mut self, list: u16, fire: &mut impl FnMut(TimerKey, T)) {
        // Pop one entry at a time, so that a panicking `fire` leaves the
        // rest properly linked.
        loop {
            let index = self.lists[list as usize].head;
            if index == NIL {
                break;
            }
            debug_assert_eq!(self.entries[index as usize].deadline, self.now);
            self.unlink(index);
            let key = self.key_of(index);
            let value = self.release(index);
            fire(key, value);
        }
    }

    /// Fires the overdue list in (deadline, insertion) order.
    fn fire_overdue(&mut self, fire: &mut impl FnMut(TimerKey, T)) {
        let mut order = std::mem::take(&mut self.scratch);
        order.clear();
        let mut index = self.lists[OVERDUE as usize].head;
        while index != NIL {
            order.push(index);
            index = self.entries[index as usize].next;
        }
        // Stable sort: equal deadlines keep list (= insertion) order.
        order.sort_by_key(|&i| self.entries[i as usize].deadline);
        for &index in &order {
            self.unlink(index);
            let key = self.key_of(index);
            let value = self.release(index);
            fire(key, value);
        }
        self.scratch = order;
    }

    /// Re-places every entry of `list` relative to the current `now`. For a
    /// coarse slot, `now` is the slot's start, so each entry moves to a
    /// lower level; for the overflow list, entries of `now`'s epoch move
    /// into the wheel and the rest are re-appended (recomputing the hint).
    fn cascade(&mut self, list: u16) {
        let mut index = self.detach(list);
        while index != NIL {
            let next = self.entries[index as usize].next;
            let target = self.list_for(self.entries[index as usize].deadline);
            debug_assert!(target != list || list == OVERFLOW);
            self.link(index, target);
            index = next;
        }
    }

    // ----- lists -----

    /// Appends entry `index` to `list`, keeping occupancy and hints current.
    fn link(&mut self, index: u32, list: u16) {
        let tail = self.lists[list as usize].tail;
        let entry = &mut self.entries[index as usize];
        entry.prev = tail;
        entry.next = NIL;
        entry.list = list;
        let deadline = entry.deadline;
        if tail == NIL {
            self.lists[list as usize].head = index;
        } else {
            self.entries[tail as usize].next = index;
        }
        self.lists[list as usize].tail = index;
        let l = list as usize;
        if l < WHEEL_LISTS {
            self.occupied[l / SLOTS] |= 1 << (l % SLOTS);
        }
        if (SLOTS..=WHEEL_LISTS).contains(&l) {
            let hint = &mut self.hints[l];
            *hint = (*hint).min(deadline);
        }
    }

    /// Unlinks entry `index` from its list. Does not free it.
    fn unlink(&mut self, index: u32) {
        let entry = &self.entries[index as usize];
        let (prev, next, list) = (entry.prev, entry.next, entry.list as usize);
        if prev == NIL {
            self.lists[list].head = next;
        } else {
            self.entries[prev as usize].next = next;
        }
        if next == NIL {
            self.lists[list].tail = prev;
        } else {
            self.entries[next as usize].prev = prev;
        }
        if self.lists[list].head == NIL {
            self.mark_empty(list);
        }
    }

    /// Empties `list` in O(1), returning its old head. The entries keep
    /// their links to each other, so the caller can walk them.
    fn detach(&mut self, list: u16) -> u32 {
        let l = list as usize;
        let head = self.lists[l].head;
        self.lists[l] = EMPTY_LIST;
        self.mark_empty(l);
        head
    }

    fn mark_empty(&mut self, list: usize) {
        if list < WHEEL_LISTS {
            self.occupied[list / SLOTS] &= !(1 << (list % SLOTS));
        }
        if list <= WHEEL_LISTS {
            self.hints[list] = u64::MAX;
        }
    }

    /// Called after unlinking (but before freeing) a cancelled entry: if it
    /// held its coarse list's hint, recompute the hint when that takes at
    /// most `RESCAN_LIMIT` steps; otherwise the hint stays a lower bound.
    fn refresh_hint_after_cancel(&mut self, index: u32) {
        let entry = &self.entries[index as usize];
        let l = entry.list as usize;
        if !(SLOTS..=WHEEL_LISTS).contains(&l) || entry.deadline != self.hints[l] {
            return;
        }
        let mut min = u64::MAX;
        let mut cursor = self.lists[l].head;
        for _ in 0..RESCAN_LIMIT {
            if cursor == NIL {
                break;
            }
            let e = &self.entries[cursor as usize];
            min = min.min(e.deadline);
            cursor = e.next;
        }
        if cursor == NIL {
            // Walked the whole list (an emptied list already reads MAX).
            self.hints[l] = min;
        }
    }

    // ----- slab -----

    fn alloc(&mut self, deadline: u64, value: T) -> u32 {
        if self.free_head != NIL {
            let index = self.free_head;
            let entry = &mut self.entries[index as usize];
            self.free_head = entry.next;
            entry.deadline = deadline;
            entry.value = Some(value);
            index
        } else {
            let index = self.entries.len();
            assert!(index < NIL as usize, "TimerWheel: too many pending timers");
            self.entries.push(Entry {
                deadline,
                value: Some(value),
                prev: NIL,
                next: NIL,
                generation: 0,
                list: 0,
            });
            index as u32
        }
    }

    fn key_of(&self, index: u32) -> TimerKey {
        TimerKey {
            index,
            generation: self.entries[index as usize].generation,
        }
    }

    /// Frees an unlinked entry, returning its value and staling its keys.
    fn release(&mut self, index: u32) -> T {
        let entry = &mut self.entries[index as usize];
        let value = entry.value.take().expect("released entry was pending");
        entry.generation = entry.generation.wrapping_add(1);
        entry.next = self.free_head;
        self.free_head = index;
        self.len -= 1;
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::{BTreeMap, HashMap};

    /// Reference model: a sorted map keyed by (deadline, placement order).
    /// Firing in key order is exactly "deadline order, FIFO among equals",
    /// and overdue entries (deadline < now) sort before everything else.
    /// A deferred timer takes its place in that order when it is placed.
    struct Model<T> {
        now: u64,
        next_seq: u64,
        next_order: u64,
        /// Placed timers: (deadline, order) to (seq, value).
        pending: BTreeMap<(u64, u64), (u64, T)>,
        placed_at: HashMap<u64, (u64, u64)>,
        /// Deferred timers in insertion order: (seq, delay, value).
        deferred: Vec<(u64, u64, T)>,
        /// Deadline of every insert ever, by seq (for a deferred one, its
        /// delay from the time it was inserted).
        history: Vec<u64>,
    }

    impl<T> Model<T> {
        fn new() -> Self {
            Model {
                now: 0,
                next_seq: 0,
                next_order: 0,
                pending: BTreeMap::new(),
                placed_at: HashMap::new(),
                deferred: Vec::new(),
                history: Vec::new(),
            }
        }

        fn new_seq(&mut self, deadline: u64) -> u64 {
            let seq = self.next_seq;
            self.next_seq += 1;
            self.history.push(deadline);
            seq
        }

        fn place(&mut self, seq: u64, deadline: u64, value: T) {
            let order = self.next_order;
            self.next_order += 1;
            self.pending.insert((deadline, order), (seq, value));
            self.placed_at.insert(seq, (deadline, order));
        }

        fn insert(&mut self, deadline: u64, value: T) -> u64 {
            let seq = self.new_seq(deadline);
            self.place(seq, deadline, value);
            seq
        }

        fn insert_deferred(&mut self, delay: u64, value: T) -> u64 {
            let seq = self.new_seq(self.now.saturating_add(delay));
            self.deferred.push((seq, delay, value));
            seq
        }

        fn place_deferred(&mut self, base: u64) {
            for (seq, delay, value) in std::mem::take(&mut self.deferred) {
                self.place(seq, base.saturating_add(delay), value);
            }
        }

        fn cancel(&mut self, seq: u64) -> Option<T> {
            if let Some(i) = self.deferred.iter().position(|d| d.0 == seq) {
                return Some(self.deferred.remove(i).2);
            }
            let key = self.placed_at.remove(&seq)?;
            self.pending.remove(&key).map(|(_, v)| v)
        }

        fn advance(&mut self, now: u64) -> Vec<(u64, T)> {
            self.now = self.now.max(now);
            let mut fired = Vec::new();
            while let Some(entry) = self.pending.first_entry() {
                if entry.key().0 > self.now {
                    break;
                }
                let (_, (seq, value)) = entry.remove_entry();
                self.placed_at.remove(&seq);
                fired.push((seq, value));
            }
            fired
        }

        /// Exact earliest deadline, clamped to `now` like the wheel's.
        fn next_deadline(&self) -> Option<u64> {
            self.pending.keys().next().map(|&(d, _)| d.max(self.now))
        }

        fn len(&self) -> usize {
            self.pending.len() + self.deferred.len()
        }

        fn clear(&mut self) {
            self.pending.clear();
            self.placed_at.clear();
            self.deferred.clear();
        }
    }

    /// Drives a wheel with `while let Some(d) = next_deadline()`, recording
    /// `(time fired, value)`.
    fn drain<T>(w: &mut TimerWheel<T>) -> Vec<(u64, T)> {
        let mut out = Vec::new();
        let mut steps = 0;
        while let Some(d) = w.next_deadline() {
            assert!(d >= w.now());
            w.advance(d, |_, v| out.push((d, v)));
            steps += 1;
            assert!(steps < 1_000_000, "drain does not terminate");
        }
        out
    }

    fn advance_collect<T>(w: &mut TimerWheel<T>, t: u64) -> Vec<T> {
        let mut out = Vec::new();
        w.advance(t, |_, v| out.push(v));
        out
    }

    #[test]
    fn entry_is_small() {
        // Bytes per pending entry, slab bookkeeping included (the free
        // list reuses `next`); the target is <= 64.
        assert!(std::mem::size_of::<Entry<u64>>() <= 64);
        assert_eq!(std::mem::size_of::<Entry<u64>>(), 40);
        type RuntimeEntry = Entry<crate::runtime::binder::Wake>;
        assert_eq!(std::mem::size_of::<RuntimeEntry>(), 32);
        assert_eq!(std::mem::size_of::<TimerKey>(), 8);
    }

    #[test]
    fn get_mut_changes_what_a_pending_timer_fires() {
        let mut w = TimerWheel::new();
        let a = w.insert(10, "a");
        let b = w.insert(20, "b");
        *w.get_mut(a).expect("pending") = "a2";
        assert_eq!(advance_collect(&mut w, 10), vec!["a2"]);
        // Fired: stale, even once its slot is reused.
        assert_eq!(w.get_mut(a), None);
        let c = w.insert(30, "c");
        assert_eq!(w.get_mut(a), None);
        assert_eq!(w.cancel(b), Some("b"));
        assert_eq!(w.get_mut(b), None);
        assert_eq!(w.get_mut(c).copied(), Some("c"));
    }

    #[test]
    fn new_wheel_is_empty() {
        let w: TimerWheel<u32> = TimerWheel::new();
        assert_eq!(w.now(), 0);
        assert_eq!(w.len(), 0);
        assert!(w.is_empty());
        assert_eq!(w.next_deadline(), None);
        let w: TimerWheel<u32> = TimerWheel::with_capacity(100);
        assert!(w.capacity() >= 100);
        assert!(w.is_empty());
    }

    #[test]
    fn fires_in_deadline_order() {
        let mut w = TimerWheel::new();
        for d in [50u64, 3, 700, 1, 64, 63, 4096, 65, 2] {
            w.insert(d, d);
        }
        assert_eq!(w.len(), 9);
        assert_eq!(advance_collect(&mut w, 63), vec![1, 2, 3, 50, 63]);
        assert_eq!(w.now(), 63);
        assert_eq!(w.len(), 4);
        assert_eq!(advance_collect(&mut w, 10_000), vec![64, 65, 700, 4096]);
        assert!(w.is_empty());
        assert_eq!(w.now(), 10_000);
    }

    #[test]
    fn never_fires_early_and_fires_exactly_on_time() {
        let mut w = TimerWheel::new();
        w.insert(1000, "a");
        assert!(advance_collect(&mut w, 999).is_empty());
        assert_eq!(advance_collect(&mut w, 1000), vec!["a"]);
    }

    #[test]
    fn fifo_among_equal_deadlines() {
        let mut w = TimerWheel::new();
        for i in 0..10 {
            w.insert(100, i);
        }
        assert_eq!(advance_collect(&mut w, 100), (0..10).collect::<Vec<_>>());
    }

    #[test]
    fn fifo_among_equal_deadlines_inserted_at_different_times() {
        // The first insert starts high in the wheel and cascades down; the
        // later ones go straight to lower levels. Order must survive.
        let d = 3 * 64 * 64 * 64 + 5;
        let mut w = TimerWheel::new();
        w.insert(d, 0);
        for (i, t) in [64 * 64 * 64, 3 * 64 * 64 * 64, d - 40, d - 1]
            .into_iter()
            .enumerate()
        {
            assert!(advance_collect(&mut w, t).is_empty());
            w.insert(d, i + 1);
        }
        assert_eq!(advance_collect(&mut w, d), vec![0, 1, 2, 3, 4]);
    }

    #[test]
    fn cancel_before_and_after_fire() {
        let mut w = TimerWheel::new();
        let a = w.insert(10, 'a');
        let b = w.insert(20, 'b');
        assert_eq!(w.cancel(a), Some('a'));
        assert_eq!(w.cancel(a), None, "double cancel");
        assert_eq!(w.len(), 1);
        let mut fired = Vec::new();
        w.advance(30, |k, v| fired.push((k, v)));
        assert_eq!(fired, vec![(b, 'b')]);
        assert_eq!(w.cancel(b), None, "cancel after fire");
        assert!(w.is_empty());
    }

    #[test]
    fn stale_key_after_slot_reuse() {
        let mut w = TimerWheel::new();
        let a = w.insert(10, 1);
        assert_eq!(w.cancel(a), Some(1));
        let b = w.insert(10, 2);
        assert_eq!(a.index, b.index, "slab slot is reused");
        assert_ne!(a, b);
        assert_eq!(w.cancel(a), None);
        assert_eq!(w.cancel(b), Some(2));
        // A key from another wheel with an out-of-range index.
        let mut big = TimerWheel::new();
        for i in 0..5 {
            big.insert(1, i);
        }
        let foreign = big.insert(1, 5);
        assert_eq!(w.cancel(foreign), None);
    }

    #[test]
    fn cancel_everywhere_keeps_lists_consistent() {
        // Cancel heads, tails and middles of lists at several levels.
        let mut w = TimerWheel::new();
        let mut keys = Vec::new();
        for i in 0..300u64 {
            let d = 1 + (i * 7919) % 300_000;
            keys.push((w.insert(d, i), d, i));
        }
        let mut kept = Vec::new();
        for (n, &(k, d, i)) in keys.iter().enumerate() {
            if n % 3 == 0 {
                assert_eq!(w.cancel(k), Some(i));
            } else {
                kept.push((d, i));
            }
        }
        kept.sort();
        assert_eq!(w.len(), kept.len());
        let fired = drain(&mut w);
        assert_eq!(fired, kept);
    }

    #[test]
    fn past_deadlines_fire_at_next_advance_in_deadline_order() {
        let mut w = TimerWheel::new();
        w.advance(1000, |_, _: u64| unreachable!());
        w.insert(1001, 1001);
        w.insert(500, 500);
        w.insert(1000, 1000);
        w.insert(0, 0);
        w.insert(500, 501);
        assert_eq!(w.next_deadline(), Some(1000), "overdue reports now()");
        // advance to now() itself fires the overdue ones only.
        assert_eq!(advance_collect(&mut w, 1000), vec![0, 500, 501, 1000]);
        assert_eq!(w.next_deadline(), Some(1001));
        // A backwards advance is treated as advancing to now().
        w.insert(3, 3);
        assert_eq!(advance_collect(&mut w, 10), vec![3]);
        assert_eq!(w.now(), 1000);
        assert_eq!(advance_collect(&mut w, 2000), vec![1001]);
    }

    #[test]
    fn far_deadlines_beyond_the_wheel() {
        let epoch = 1u64 << EPOCH_BITS; // ~2.2 years
        let deadlines = [
            epoch - 1,
            epoch,
            epoch + 1,
            epoch + 5,
            3 * epoch + 17,
            1_000_000_000_000,
            u64::MAX / 2,
            u64::MAX - 1,
            u64::MAX,
        ];
        let mut w = TimerWheel::new();
        for (i, &d) in deadlines.iter().enumerate().rev() {
            w.insert(d, i);
        }
        let fired = drain(&mut w);
        let expected: Vec<_> = deadlines.iter().copied().zip(0..).collect();
        assert_eq!(fired, expected);
        assert_eq!(w.now(), u64::MAX);
        // Still usable at the end of time.
        w.insert(u64::MAX, 99);
        assert_eq!(advance_collect(&mut w, u64::MAX), vec![99]);
    }

    #[test]
    fn far_deadline_with_plain_advances() {
        let d = 5 * (1u64 << EPOCH_BITS) + 12345;
        let mut w = TimerWheel::new();
        w.insert(d, ());
        let mut t = 0;
        // Big irregular steps that straddle epochs and levels.
        while t < d - 1 {
            t = (t + 7_777_777_777).min(d - 1);
            assert!(advance_collect(&mut w, t).is_empty());
        }
        assert_eq!(advance_collect(&mut w, d).len(), 1);
    }

    #[test]
    fn cascades_at_every_level_boundary() {
        let mut boundaries = Vec::new();
        for k in 1..=7u32 {
            let b = 1u64 << (SLOT_BITS * k);
            for x in [b - 2, b - 1, b, b + 1, 2 * b - 1, 2 * b, 3 * b + 1] {
                boundaries.push(x);
            }
        }
        // From several starting times, including ones just below a boundary.
        for start in [0u64, 1, 63, 4095, 4096, 262_143, (1 << 36) - 1] {
            for &b in &boundaries {
                let d = start + b;
                let mut w = TimerWheel::new();
                w.advance(start, |_, _: ()| {});
                w.insert(d, ());
                assert_eq!(w.next_deadline(), Some(d));
                assert!(advance_collect(&mut w, d - 1).is_empty(), "early at {d}");
                assert_eq!(w.next_deadline(), Some(d));
                assert_eq!(advance_collect(&mut w, d).len(), 1, "late at {d}");
                // Same deadline, driven by next_deadline only.
                let mut w = TimerWheel::new();
                w.advance(start, |_, _: u64| {});
                w.insert(d, d);
                assert_eq!(drain(&mut w), vec![(d, d)]);
            }
        }
    }

    #[test]
    fn every_level_in_one_wheel() {
        // Timers on every level and in the overflow list at once, with some
        // equal deadlines (m << 6k + 1 == (m + 1) << 6k for k = 0).
        let mut w = TimerWheel::new();
        let mut want = Vec::new();
        for k in 0..=7u32 {
            for m in [1u64, 2, 63] {
                for d in [m << (SLOT_BITS * k), (m << (SLOT_BITS * k)) + 1] {
                    let id = want.len();
                    w.insert(d, id);
                    want.push((d, id));
                }
            }
        }
        want.sort(); // by deadline, then insertion order
        assert_eq!(drain(&mut w), want);
    }

    #[test]
    fn big_jump_is_cheap_and_ordered() {
        let mut w = TimerWheel::new();
        // Empty wheel: a jump across the whole u64 range is O(1).
        w.advance(u64::MAX / 3, |_, _: u64| {});
        assert_eq!(w.now(), u64::MAX / 3);

        let mut w = TimerWheel::new();
        let mut want = Vec::new();
        for i in 0..20_000u64 {
            let d = 1 + i.wrapping_mul(0x9E37_79B9_7F4A_7C15) % 1_000_000_000_000;
            w.insert(d, i);
            want.push((d, i));
        }
        want.sort();
        let mut got = Vec::new();
        w.advance(1_000_000_000_000, |_, v| got.push(v));
        assert_eq!(got, want.iter().map(|&(_, v)| v).collect::<Vec<_>>());
        assert!(w.is_empty());
    }

    #[test]
    fn len_tracks_insert_cancel_fire() {
        let mut w = TimerWheel::new();
        let keys: Vec<_> = (0..100u64).map(|i| w.insert(i * 10, i)).collect();
        assert_eq!(w.len(), 100);
        for k in &keys[50..60] {
            w.cancel(*k);
        }
        assert_eq!(w.len(), 90);
        w.advance(95, |_, _| {}); // fires 0..=9 (10 entries)
        assert_eq!(w.len(), 80);
        w.advance(10_000, |_, _| {});
        assert_eq!(w.len(), 0);
        assert!(w.is_empty());
    }

    #[test]
    fn next_deadline_is_exact_in_the_common_cases() {
        let mut w = TimerWheel::new();
        assert_eq!(w.next_deadline(), None);
        let a = w.insert(5000, ());
        w.insert(7000, ());
        assert_eq!(w.next_deadline(), Some(5000));
        w.cancel(a); // small slot: rescanned
        assert_eq!(w.next_deadline(), Some(7000));
        w.insert(30, ());
        assert_eq!(w.next_deadline(), Some(30));
        w.advance(30, |_, _| {});
        assert_eq!(w.next_deadline(), Some(7000));
        let far = (1 << EPOCH_BITS) * 3 + 9;
        w.advance(8000, |_, _| {});
        w.insert(far, ());
        assert_eq!(w.next_deadline(), Some(far));
    }

    #[test]
    fn next_deadline_after_cancelling_min_of_crowded_slot_is_a_lower_bound() {
        // Level-2 slot 1 spans [4096, 8192); fill it beyond RESCAN_LIMIT.
        let mut w = TimerWheel::new();
        let first = w.insert(4100, 0u64);
        for i in 1..=(RESCAN_LIMIT as u64 + 2) {
            w.insert(5000 + i, i);
        }
        assert_eq!(w.next_deadline(), Some(4100));
        w.cancel(first);
        let bound = w.next_deadline().unwrap();
        assert!(bound > w.now() && bound <= 5001, "lower bound {bound}");
        // Advancing to the bound cascades the slot; then it is exact.
        assert!(advance_collect(&mut w, bound).is_empty());
        assert_eq!(w.next_deadline(), Some(5001));
        let fired = drain(&mut w);
        assert_eq!(fired.first(), Some(&(5001, 1)));
        assert_eq!(fired.len(), RESCAN_LIMIT + 2);
    }

    #[test]
    fn stale_overflow_hint_still_makes_progress() {
        let epoch = 1u64 << EPOCH_BITS;
        let mut w = TimerWheel::new();
        let first = w.insert(epoch + 1, 0u64);
        for i in 1..=(RESCAN_LIMIT as u64 + 2) {
            w.insert(4 * epoch + i, i);
        }
        w.cancel(first);
        let fired = drain(&mut w);
        assert_eq!(fired.len(), RESCAN_LIMIT + 2);
        assert!(fired.iter().all(|&(t, v)| t == 4 * epoch + v));
    }

    #[test]
    fn panicking_fire_leaves_wheel_consistent() {
        let mut w = TimerWheel::new();
        for i in 0..5u64 {
            w.insert(10, i);
        }
        w.insert(3, 100);
        let keep = w.insert(20, 200);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            w.advance(15, |_, v| {
                if v == 2 {
                    panic!("boom");
                }
            })
        }));
        assert!(result.is_err());
        // 100, 0, 1 fired and 2 was lost in the panic; 3, 4 still pending.
        assert_eq!(w.len(), 3);
        assert_eq!(advance_collect(&mut w, 15), vec![3, 4]);
        assert_eq!(w.cancel(keep), Some(200));
        assert!(w.is_empty());
    }

    #[test]
    fn deferred_timers_wait_for_their_base() {
        let mut w = TimerWheel::new();
        w.advance(100, |_, _| {});
        let a = w.insert_deferred(5, "a");
        w.insert(104, "early");
        let b = w.insert_deferred(0, "b");
        w.insert_deferred(20, "c");
        assert_eq!(w.len(), 4);
        assert!(w.has_deferred());
        // Unplaced, they are neither seen nor fired.
        assert_eq!(w.next_deadline(), Some(104));
        assert_eq!(advance_collect(&mut w, 200), vec!["early"]);
        assert_eq!(w.cancel(b), Some("b"));
        w.insert(205, "placed before");
        w.place_deferred(200);
        assert!(!w.has_deferred());
        assert_eq!(w.next_deadline(), Some(205));
        assert_eq!(w.cancel(a), Some("a"), "a placed timer cancels");
        w.insert_deferred(5, "d");
        w.place_deferred(200);
        // Equal deadlines fire in the order they were placed.
        assert_eq!(advance_collect(&mut w, 205), vec!["placed before", "d"]);
        assert_eq!(advance_collect(&mut w, 300), vec!["c"]);
        // A base in the past makes the timer overdue.
        w.insert_deferred(1, "late");
        w.place_deferred(10);
        assert_eq!(w.next_deadline(), Some(300));
        assert_eq!(advance_collect(&mut w, 300), vec!["late"]);
        assert!(w.is_empty());
    }

    #[test]
    fn clear_drops_everything_and_keeps_capacity() {
        let rc = std::rc::Rc::new(());
        let mut w = TimerWheel::new();
        w.advance(500, |_, _| {});
        let keys: Vec<_> = (0..1000u64)
            .map(|d| w.insert(d * 997, rc.clone()))
            .collect();
        let cap = w.capacity();
        w.clear();
        assert!(
            keys.iter().all(|&k| w.cancel(k).is_none()),
            "keys are stale"
        );
        assert_eq!(std::rc::Rc::strong_count(&rc), 1);
        assert!(w.is_empty());
        assert_eq!(w.next_deadline(), None);
        assert_eq!(w.now(), 500);
        assert_eq!(w.capacity(), cap);
        let k = w.insert(600, rc.clone());
        assert_eq!(k.index, 0, "refills from the start of the slab");
        assert!(keys.iter().all(|&old| old != k));
        assert_eq!(w.next_deadline(), Some(600));
        assert_eq!(advance_collect(&mut w, 10_000).len(), 1);
    }

    #[test]
    fn values_are_dropped_with_the_wheel() {
        let rc = std::rc::Rc::new(());
        {
            let mut w = TimerWheel::new();
            for d in 0..100 {
                w.insert(d * 1000, rc.clone());
            }
            assert_eq!(std::rc::Rc::strong_count(&rc), 101);
        }
        assert_eq!(std::rc::Rc::strong_count(&rc), 1);
    }

    // ----- model-based tests -----

    /// A wheel and the model side by side, with keys issued so far.
    struct Pair {
        wheel: TimerWheel<u64>,
        model: Model<u64>,
        /// Every key ever issued, indexed by seq (= the value stored).
        keys: Vec<TimerKey>,
        /// A cancel succeeded, so `next_deadline` may be a lower bound.
        cancelled: bool,
    }

    impl Pair {
        fn new() -> Self {
            Pair {
                wheel: TimerWheel::new(),
                model: Model::new(),
                keys: Vec::new(),
                cancelled: false,
            }
        }

        fn insert(&mut self, deadline: u64) {
            let seq = self.model.insert(deadline, self.keys.len() as u64);
            assert_eq!(seq, self.keys.len() as u64);
            self.keys.push(self.wheel.insert(deadline, seq));
        }

        fn insert_deferred(&mut self, delay: u64) {
            let seq = self.model.insert_deferred(delay, self.keys.len() as u64);
            assert_eq!(seq, self.keys.len() as u64);
            self.keys.push(self.wheel.insert_deferred(delay, seq));
        }

        fn place_deferred(&mut self, base: u64) {
            self.wheel.place_deferred(base);
            self.model.place_deferred(base);
        }

        fn cancel(&mut self, seq: u64) {
            let got = self.wheel.cancel(self.keys[seq as usize]);
            let want = self.model.cancel(seq);
            assert_eq!(got, want, "cancel of seq {seq}");
            self.cancelled |= got.is_some();
        }

        fn advance(&mut self, t: u64) {
            let mut fired = Vec::new();
            self.wheel.advance(t, |k, v| fired.push((k, v)));
            let want = self.model.advance(t);
            let got: Vec<(u64, u64)> = fired
                .iter()
                .map(|&(k, v)| {
                    assert_eq!(self.keys[v as usize], k, "fired key matches");
                    (v, v)
                })
                .collect();
            assert_eq!(got, want, "fired at advance({t})");
        }

        fn check(&self) {
            assert_eq!(self.wheel.len(), self.model.len());
            assert_eq!(self.wheel.has_deferred(), !self.model.deferred.is_empty());
            assert_eq!(self.wheel.is_empty(), self.model.len() == 0);
            assert_eq!(self.wheel.now(), self.model.now);
            let now = self.wheel.now();
            match (self.wheel.next_deadline(), self.model.next_deadline()) {
                (None, None) => {}
                (Some(got), Some(exact)) => {
                    assert!(got >= now && got <= exact, "{got} vs {exact}");
                    if exact > now {
                        assert!(got > now, "progress guarantee");
                    }
                    if !self.cancelled {
                        assert_eq!(got, exact, "exact without cancels");
                    }
                }
                (got, want) => panic!("next_deadline {got:?}, model {want:?}"),
            }
        }
    }

    #[derive(Clone, Debug)]
    enum Deadline {
        /// `now - x`: overdue.
        Past(u64),
        /// `now + x`.
        After(u64),
        /// `now` rounded up to a multiple of `64^k`, plus an offset.
        Boundary(u32, i64),
        /// An absolute time anywhere in u64.
        Anywhere(u64),
        /// The deadline of an earlier insert (equal deadlines).
        SameAs(usize),
    }

    #[derive(Clone, Debug)]
    enum Op {
        Insert(Deadline),
        /// `insert_deferred` with this delay.
        InsertDeferred(u64),
        /// `place_deferred(now + x)`; `x` may exceed `u64::MAX - now`.
        PlaceDeferred(u64),
        /// Cancel the key issued `n`-th (modulo), live or stale.
        Cancel(usize),
        AdvanceBy(u64),
        /// `advance(now - x)`: a backwards target, treated as `now`.
        AdvanceBack(u64),
        /// Up to `n` rounds of `advance(next_deadline())`.
        AdvanceToNext(u8),
        Clear,
    }

    fn deadline() -> impl Strategy<Value = Deadline> {
        prop_oneof![
            1 => (0u64..200).prop_map(Deadline::Past),
            4 => (0u64..8).prop_map(Deadline::After),
            4 => (0u64..300).prop_map(Deadline::After),
            2 => (0u64..10_000).prop_map(Deadline::After),
            2 => (0u64..1 << 26).prop_map(Deadline::After),
            1 => (0u64..1 << 42).prop_map(Deadline::After),
            3 => (1u32..=7, -2i64..=2).prop_map(|(k, o)| Deadline::Boundary(k, o)),
            1 => any::<u64>().prop_map(Deadline::Anywhere),
            3 => any::<usize>().prop_map(Deadline::SameAs),
        ]
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            10 => deadline().prop_map(Op::Insert),
            2 => (0u64..300).prop_map(Op::InsertDeferred),
            1 => any::<u64>().prop_map(Op::InsertDeferred),
            2 => (0u64..3).prop_map(Op::PlaceDeferred),
            1 => any::<u64>().prop_map(Op::PlaceDeferred),
            4 => any::<usize>().prop_map(Op::Cancel),
            2 => (0u64..4).prop_map(Op::AdvanceBy),
            2 => (0u64..70).prop_map(Op::AdvanceBy),
            2 => (0u64..5_000).prop_map(Op::AdvanceBy),
            1 => (0u64..1 << 30).prop_map(Op::AdvanceBy),
            1 => (0u64..1 << 40).prop_map(Op::AdvanceBy),
            3 => (1u8..20).prop_map(Op::AdvanceToNext),
            1 => (1u64..100).prop_map(Op::AdvanceBack),
            1 => Just(Op::Clear),
        ]
    }

    fn resolve(pair: &Pair, d: &Deadline) -> u64 {
        let now = pair.wheel.now();
        match *d {
            Deadline::Past(x) => now.saturating_sub(x),
            Deadline::After(x) => now.saturating_add(x),
            Deadline::Boundary(k, off) => {
                let shift = SLOT_BITS * k;
                let up = ((now >> shift) + 1).checked_shl(shift).unwrap_or(u64::MAX);
                up.saturating_add_signed(off)
            }
            Deadline::Anywhere(x) => x,
            Deadline::SameAs(i) => match pair.keys.len() {
                0 => now.saturating_add(1),
                n => pair.model.history[i % n],
            },
        }
    }

    fn run(ops: &[Op]) {
        let mut pair = Pair::new();
        for op in ops {
            match op {
                Op::Insert(d) => {
                    let d = resolve(&pair, d);
                    pair.insert(d);
                }
                Op::InsertDeferred(delay) => pair.insert_deferred(*delay),
                Op::PlaceDeferred(x) => {
                    let base = pair.wheel.now().saturating_add(*x);
                    pair.place_deferred(base);
                }
                Op::Cancel(i) => {
                    if !pair.keys.is_empty() {
                        pair.cancel((i % pair.keys.len()) as u64);
                    }
                }
                Op::AdvanceBy(dt) => {
                    let t = pair.wheel.now().saturating_add(*dt);
                    pair.advance(t);
                }
                Op::AdvanceBack(dt) => {
                    let t = pair.wheel.now().saturating_sub(*dt);
                    pair.advance(t);
                }
                Op::Clear => {
                    pair.wheel.clear();
                    pair.model.clear();
                }
                Op::AdvanceToNext(n) => {
                    for _ in 0..*n {
                        let Some(d) = pair.wheel.next_deadline() else {
                            break;
                        };
                        pair.advance(d);
                        pair.check();
                    }
                }
            }
            pair.check();
        }
        // Finally place what is deferred and drain everything through
        // next_deadline.
        let now = pair.wheel.now();
        pair.place_deferred(now);
        pair.check();
        let mut rounds = 0;
        while let Some(d) = pair.wheel.next_deadline() {
            pair.advance(d);
            pair.check();
            rounds += 1;
            assert!(rounds < 100_000);
        }
        assert_eq!(pair.model.len(), 0);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn wheel_matches_model(ops in proptest::collection::vec(op(), 1..150)) {
            run(&ops);
        }
    }

    /// A longer deterministic run than proptest affords: 200k operations
    /// from a fixed-seed generator, many timers pending at once.
    #[test]
    fn long_random_run_matches_model() {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut rand = move || {
            // xorshift64*
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            state.wrapping_mul(0x2545_F491_4F6C_DD1D)
        };
        let mut pair = Pair::new();
        for _ in 0..200_000 {
            let r = rand();
            let now = pair.wheel.now();
            match r % 16 {
                0..=6 => {
                    let span = [16u64, 1_000, 100_000, 1 << 40][(r >> 8) as usize % 4];
                    pair.insert(now + (r >> 16) % span);
                }
                7 => match (r >> 8) % 4 {
                    0 => pair.place_deferred(now + (r >> 16) % 3),
                    _ => pair.insert_deferred((r >> 16) % 1_000),
                },
                8..=11 if !pair.keys.is_empty() => {
                    pair.cancel((r >> 8) % pair.keys.len() as u64);
                }
                12..=14 => pair.advance(now + (r >> 8) % 2_000),
                _ => {
                    if let Some(d) = pair.wheel.next_deadline() {
                        pair.advance(d);
                    }
                }
            }
            if r % 64 == 0 {
                pair.check();
            }
        }
        pair.check();
        let now = pair.wheel.now();
        pair.place_deferred(now);
        pair.advance(u64::MAX);
        pair.check();
    }
}
