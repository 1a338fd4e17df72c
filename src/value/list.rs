//! Orc lists: immutable cons lists with O(1) cons and head/tail.
//!
//! Lists built by deep recursion can be millions of cells long, so nothing
//! here recurses over the spine: iteration, equality and drop are loops.

use super::Value;
use std::sync::Arc;

#[derive(Clone, Default)]
pub struct List(Option<Arc<Cell>>);

pub struct Cell {
    head: Value,
    tail: List,
}

impl List {
    pub fn nil() -> List {
        List(None)
    }

    pub fn cons(head: Value, tail: List) -> List {
        List(Some(Arc::new(Cell { head, tail })))
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

    pub fn equals(&self, other: &List) -> bool {
        let (mut a, mut b) = (self, other);
        loop {
            match (a.head_tail(), b.head_tail()) {
                (None, None) => return true,
                (Some((x, xs)), Some((y, ys))) => {
                    if let (Some(p), Some(q)) = (&a.0, &b.0) {
                        if Arc::ptr_eq(p, q) {
                            return true;
                        }
                    }
                    if !x.equals(y) {
                        return false;
                    }
                    a = xs;
                    b = ys;
                }
                _ => return false,
            }
        }
    }

    pub fn to_vec(&self) -> Vec<Value> {
        self.iter().collect()
    }
}

impl Drop for List {
    fn drop(&mut self) {
        // Unlink uniquely owned cells one at a time instead of recursing.
        let mut next = self.0.take();
        while let Some(cell) = next {
            // One atomic decrement: the cell comes back only if this was
            // its last reference.
            match Arc::into_inner(cell) {
                Some(mut cell) => next = cell.tail.0.take(),
                None => break,
            }
        }
    }
}
