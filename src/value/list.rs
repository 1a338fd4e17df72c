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
