//! A generational slab: O(1) insert and remove, with handles that detect
//! use after removal (the slot's generation changes when it is freed).

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub index: u32,
    pub gen: u32,
}

struct Entry<T> {
    gen: u32,
    value: Option<T>,
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
    pub fn insert(&mut self, value: T) -> Key {
        self.len += 1;
        if let Some(index) = self.free.pop() {
            let e = &mut self.entries[index as usize];
            e.value = Some(value);
            Key { index, gen: e.gen }
        } else {
            self.entries.push(Entry {
                gen: 0,
                value: Some(value),
            });
            Key {
                index: self.entries.len() as u32 - 1,
                gen: 0,
            }
        }
    }

    pub fn remove(&mut self, key: Key) -> Option<T> {
        let e = self.entries.get_mut(key.index as usize)?;
        if e.gen != key.gen {
            return None;
        }
        let v = e.value.take()?;
        e.gen = e.gen.wrapping_add(1);
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
