//! Placeholder timer queue with the timing wheel's API (replaced by the
//! hierarchical wheel).

use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TimerKey(u64, u64);

pub struct TimerWheel<T> {
    now: u64,
    seq: u64,
    entries: BTreeMap<(u64, u64), T>,
}

impl<T> Default for TimerWheel<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> TimerWheel<T> {
    pub fn new() -> Self {
        TimerWheel {
            now: 0,
            seq: 0,
            entries: BTreeMap::new(),
        }
    }
    pub fn now(&self) -> u64 {
        self.now
    }
    pub fn insert(&mut self, deadline: u64, value: T) -> TimerKey {
        self.seq += 1;
        self.entries.insert((deadline, self.seq), value);
        TimerKey(deadline, self.seq)
    }
    pub fn cancel(&mut self, key: TimerKey) -> Option<T> {
        self.entries.remove(&(key.0, key.1))
    }
    pub fn next_deadline(&self) -> Option<u64> {
        self.entries.keys().next().map(|k| k.0.max(self.now))
    }
    pub fn advance(&mut self, now: u64, mut fire: impl FnMut(TimerKey, T)) {
        self.now = self.now.max(now);
        while let Some(entry) = self.entries.first_entry() {
            if entry.key().0 > self.now {
                break;
            }
            let (k, v) = entry.remove_entry();
            fire(TimerKey(k.0, k.1), v);
        }
    }
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}
