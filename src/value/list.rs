//! Orc lists: immutable cons lists with O(1) cons and head/tail.
//!
//! Lists built by deep recursion can be millions of cells long, so nothing
//! here recurses over the spine: iteration and drop are loops. Elements
//! that are containers drop through [`super::unwind`], which bounds the
//! recursion on their depth too (a list nested in a list nested ...).

use super::biased::Biased;
use super::Value;

#[derive(Clone, Default)]
pub struct List(Option<Biased<Cell>>);

pub struct Cell {
    head: Value,
    tail: List,
}

impl List {
    pub fn nil() -> List {
        List(None)
    }

    pub fn cons(head: Value, tail: List) -> List {
        List(Some(Biased::new(Cell { head, tail })))
    }

    /// Builds a list from items given last-first.
    pub fn from_iter_rev(items: impl Iterator<Item = Value>) -> List {
        let mut list = List::nil();
        for v in items {
            list = List::cons(v, list);
        }
        list
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    pub fn head_tail(&self) -> Option<(&Value, &List)> {
        self.0.as_ref().map(|c| (&c.head, &c.tail))
    }

    pub fn iter(&self) -> impl Iterator<Item = Value> + '_ {
        let mut cur = self;
        std::iter::from_fn(move || {
            let (h, t) = cur.head_tail()?;
            cur = t;
            Some(h.clone())
        })
    }

    pub fn len(&self) -> usize {
        let mut n = 0;
        let mut cur = self;
        while let Some((_, t)) = cur.head_tail() {
            n += 1;
            cur = t;
        }
        n
    }

    /// Structural equality (see [`Value::equals`]).
    pub fn equals(&self, other: &List) -> bool {
        super::compare::lists_equal(self, other)
    }

    /// Whether the two lists are the same cells (both empty, or the same
    /// first cell).
    pub(crate) fn same_cells(&self, other: &List) -> bool {
        match (&self.0, &other.0) {
            (None, None) => true,
            (Some(p), Some(q)) => Biased::ptr_eq(p, q),
            _ => false,
        }
    }

    /// Whether this is the only reference to its first cell (dropping
    /// it frees the cell).
    #[inline(always)]
    pub(crate) fn is_last_reference(&self) -> bool {
        self.0.as_ref().is_some_and(|c| c.is_unique())
    }

    pub fn to_vec(&self) -> Vec<Value> {
        self.iter().collect()
    }

    /// The first cell, shared (for the cycle collector, which counts its
    /// references).
    pub(crate) fn first_cell(&self) -> Option<&Biased<Cell>> {
        self.0.as_ref()
    }
}

/// A list built front to back, in one pass and with no vector of its
/// elements (a vector growing to a long list's length takes large blocks,
/// and each large request makes glibc's allocator sweep its bins of small
/// freed blocks, the list cells dropped meanwhile).
pub struct ListBuilder {
    head: List,
    /// The tail of the last cell, still empty; `None` until a first push.
    end: Option<std::ptr::NonNull<List>>,
}

impl Default for ListBuilder {
    fn default() -> ListBuilder {
        ListBuilder::new()
    }
}

impl ListBuilder {
    pub fn new() -> ListBuilder {
        ListBuilder {
            head: List::nil(),
            end: None,
        }
    }

    /// Adds `v` at the end.
    pub fn push(&mut self, v: Value) {
        let cell = Biased::new(Cell {
            head: v,
            tail: List::nil(),
        });
        // SAFETY: the cell has no other reference, and nothing borrows it.
        let end = unsafe { std::ptr::NonNull::new_unchecked(&raw mut (*cell.value_ptr()).tail) };
        self.link(List(Some(cell)));
        self.end = Some(end);
    }

    /// The list built, ending in `tail`.
    pub fn finish(mut self, tail: List) -> List {
        self.link(tail);
        std::mem::take(&mut self.head)
    }

    /// Makes `next` the tail of the last cell (or the head).
    fn link(&mut self, next: List) {
        match self.end {
            // SAFETY: the cells built so far are reachable only from
            // `head`, which this builder holds and does not read while it
            // builds; `end` is the last cell's tail, an empty list (so
            // nothing is dropped by the write).
            Some(end) => unsafe { end.as_ptr().write(next) },
            None => self.head = next,
        }
    }
}

impl Cell {
    pub(crate) fn head(&self) -> &Value {
        &self.head
    }

    pub(crate) fn tail(&self) -> &List {
        &self.tail
    }
}

impl Drop for List {
    fn drop(&mut self) {
        // Unlink uniquely owned cells one at a time instead of recursing.
        let mut next = self.0.take();
        while let Some(cell) = next {
            // The cell comes back only if this was its last reference.
            match Biased::into_inner(cell) {
                Some(mut cell) => {
                    super::unwind::release(&mut cell.head);
                    next = cell.tail.0.take();
                }
                None => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(list: &List) -> Vec<i64> {
        list.iter()
            .map(|v| match v {
                Value::Int(i) => i,
                _ => panic!("not an integer"),
            })
            .collect()
    }

    #[test]
    fn a_builder_keeps_the_order_of_its_pushes_and_ends_in_the_tail() {
        let tail = List::cons(Value::Int(9), List::nil());
        let mut b = ListBuilder::new();
        for i in 0..5 {
            b.push(Value::Int(i));
        }
        let list = b.finish(tail.clone());
        assert_eq!(ints(&list), [0, 1, 2, 3, 4, 9]);
        // The tail is shared, not copied.
        let mut rest = &list;
        for _ in 0..5 {
            rest = rest.head_tail().unwrap().1;
        }
        assert!(rest.same_cells(&tail));
        assert!(ListBuilder::new().finish(tail.clone()).same_cells(&tail));
        assert!(ListBuilder::new().finish(List::nil()).is_empty());
    }

    #[test]
    fn a_builder_dropped_unfinished_frees_its_cells() {
        let shared = Value::List(List::cons(Value::Int(1), List::nil()));
        let mut b = ListBuilder::new();
        for _ in 0..if cfg!(miri) { 100 } else { 100_000 } {
            b.push(shared.clone());
        }
        drop(b);
        let Value::List(l) = &shared else {
            unreachable!()
        };
        assert!(l.is_last_reference());
    }
}
