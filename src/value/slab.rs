//! A generational slab: O(1) insert and remove, with handles that detect
//! use after removal (the slot's generation changes when it is freed).

use std::num::NonZeroU32;

/// A handle on a slab entry. Generations are never zero, so an
/// `Option<Key>` takes no more room than a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub index: u32,
    pub gen: NonZeroU32,
}

impl Key {
    /// A key no slab gives out.
    pub const NONE: Key = Key {
        index: u32::MAX,
        gen: NonZeroU32::MAX,
    };
}

struct Entry<T> {
    gen: NonZeroU32,
    value: Option<T>,
}

/// The generation after `gen` (skipping zero).
fn next_gen(gen: NonZeroU32) -> NonZeroU32 {
    gen.checked_add(1).unwrap_or(NonZeroU32::MIN)
}

pub struct Slab<T> {
    entries: Vec<Entry<T>>,
    free: Vec<u32>,
    len: usize,
}

impl<T> Default for Slab<T> {
    fn default() -> Self {
        Slab {
            entries: Vec::new(),
            free: Vec::new(),
            len: 0,
        }
    }
}

impl<T> Slab<T> {
    /// Lets go of the free entries of an empty slab without visiting
    /// them one by one, as dropping it would (a run that had a hundred
    /// thousand tokens read megabytes to find nothing in them as it
    /// ended).
    pub fn forget_free_entries(&mut self) {
        if self.len == 0 {
            // SAFETY: a length of zero is within the capacity, and every
            // entry left behind is free (`value` is `None`): it owns
            // nothing.
            unsafe { self.entries.set_len(0) };
        }
    }

    #[inline]
    pub fn insert(&mut self, value: T) -> Key {
        self.len += 1;
        if let Some(index) = self.free.pop() {
            let e = &mut self.entries[index as usize];
            e.value = Some(value);
            Key { index, gen: e.gen }
        } else {
            self.entries.push(Entry {
                gen: NonZeroU32::MIN,
                value: Some(value),
            });
            Key {
                index: self.entries.len() as u32 - 1,
                gen: NonZeroU32::MIN,
            }
        }
    }

    pub fn remove(&mut self, key: Key) -> Option<T> {
        let e = self.entries.get_mut(key.index as usize)?;
        if e.gen != key.gen {
            return None;
        }
        let v = e.value.take()?;
        e.gen = next_gen(e.gen);
        self.free.push(key.index);
        self.len -= 1;
        Some(v)
    }

    pub fn get(&self, key: Key) -> Option<&T> {
        let e = self.entries.get(key.index as usize)?;
        if e.gen != key.gen {
            return None;
        }
        e.value.as_ref()
    }

    pub fn get_mut(&mut self, key: Key) -> Option<&mut T> {
        let e = self.entries.get_mut(key.index as usize)?;
        if e.gen != key.gen {
            return None;
        }
        e.value.as_mut()
    }

    /// The key of the value at `index`, if one is there.
    pub fn key_at(&self, index: u32) -> Option<Key> {
        let e = self.entries.get(index as usize)?;
        e.value.as_ref().map(|_| Key { index, gen: e.gen })
    }

    pub fn contains(&self, key: Key) -> bool {
        self.get(key).is_some()
    }

    /// The keys of every value in the slab.
    pub fn keys(&self) -> impl Iterator<Item = Key> + '_ {
        self.entries.iter().enumerate().filter_map(|(i, e)| {
            e.value.as_ref().map(|_| Key {
                index: i as u32,
                gen: e.gen,
            })
        })
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn dropping_a_slab_drops_what_it_still_holds_and_nothing_else() {
        let held = Arc::new(());
        let mut s = Slab::default();
        let keys: Vec<Key> = (0..10).map(|_| s.insert(held.clone())).collect();
        for k in &keys[..4] {
            s.remove(*k);
        }
        assert_eq!(Arc::strong_count(&held), 7);
        drop(s);
        assert_eq!(Arc::strong_count(&held), 1);
        // Emptied by removals, then dropped: nothing left to drop.
        let mut s = Slab::default();
        let keys: Vec<Key> = (0..10).map(|_| s.insert(held.clone())).collect();
        for k in keys {
            assert!(s.remove(k).is_some());
        }
        assert!(s.is_empty());
        s.forget_free_entries();
        drop(s);
        assert_eq!(Arc::strong_count(&held), 1);
        // Not empty: nothing is forgotten.
        let mut s = Slab::default();
        s.insert(held.clone());
        s.forget_free_entries();
        assert_eq!(Arc::strong_count(&held), 2);
        drop(s);
        assert_eq!(Arc::strong_count(&held), 1);
    }
}
