//! Timer-store benchmarks: orc's `TimerWheel` side by side with tokio-util's
//! `DelayQueue` and a `BinaryHeap` queue with lazy deletion.
//!
//! Run with `cargo bench --bench timers`. Groups:
//!
//! - `insert_cancel/<pending>`: one insert plus one cancel, with `<pending>`
//!   other timers already queued (10k fits in cache, 1M does not);
//! - `insert_fire/<mode>`: insert 100k timers spread over 1..=10_000 ms, then
//!   fire them all, either in one jump to 10_000 ms or ticking 1 ms at a time;
//! - `insert_1m`: build a store of 1M pending timers.
//!
//! Before the groups run, the bench prints the heap bytes per pending timer
//! of each store at 1M timers, measured with a counting global allocator.
//!
//! `DelayQueue` runs inside a current-thread tokio runtime with a paused
//! clock (so "time" moves only when the bench says), and timers are inserted
//! with `insert_at` from a fixed base instant so no bench reads the clock.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use orc::runtime::wheel::TimerWheel;
use tokio::runtime::Runtime;
use tokio_util::time::DelayQueue;

// ----- memory accounting -----

/// Counts live heap bytes so the bench can report bytes per timer for all
/// three stores, including `DelayQueue` whose entry type is private.
struct CountingAlloc;

static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every method forwards to `System` with the caller's arguments
// unchanged and only adds bookkeeping, so `System`'s guarantees carry over.
// `unsafe` is unavoidable here: `GlobalAlloc` is an unsafe trait. Bench-only.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            LIVE_BYTES.fetch_add(layout.size(), Relaxed);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            LIVE_BYTES.fetch_add(layout.size(), Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE_BYTES.fetch_sub(layout.size(), Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE_BYTES.fetch_add(new_size, Relaxed);
            LIVE_BYTES.fetch_sub(layout.size(), Relaxed);
        }
        p
    }
}

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

// ----- the BinaryHeap baseline -----

/// A min-heap timer queue with lazy deletion: cancel only frees the value's
/// slot and bumps its generation; the heap entry is skipped when popped.
/// When dead heap entries outnumber live ones, the heap is compacted, so
/// insert/cancel churn cannot grow it without bound.
struct HeapTimers<T> {
    /// (deadline, seq for FIFO, slot, generation)
    heap: BinaryHeap<Reverse<(u64, u64, u32, u32)>>,
    slots: Vec<(Option<T>, u32)>,
    free: Vec<u32>,
    seq: u64,
    live: usize,
}

#[derive(Clone, Copy)]
struct HeapKey {
    slot: u32,
    generation: u32,
}

impl<T> HeapTimers<T> {
    fn with_capacity(n: usize) -> Self {
        HeapTimers {
            heap: BinaryHeap::with_capacity(n),
            slots: Vec::with_capacity(n),
            free: Vec::new(),
            seq: 0,
            live: 0,
        }
    }

    fn clear(&mut self) {
        self.heap.clear();
        self.slots.clear();
        self.free.clear();
        self.live = 0;
    }

    fn insert(&mut self, deadline: u64, value: T) -> HeapKey {
        let slot = match self.free.pop() {
            Some(s) => {
                self.slots[s as usize].0 = Some(value);
                s
            }
            None => {
                self.slots.push((Some(value), 0));
                (self.slots.len() - 1) as u32
            }
        };
        let generation = self.slots[slot as usize].1;
        self.seq += 1;
        self.heap
            .push(Reverse((deadline, self.seq, slot, generation)));
        self.live += 1;
        HeapKey { slot, generation }
    }

    fn cancel(&mut self, key: HeapKey) -> Option<T> {
        let entry = self.slots.get_mut(key.slot as usize)?;
        if entry.1 != key.generation {
            return None;
        }
        let value = entry.0.take()?;
        entry.1 = entry.1.wrapping_add(1);
        self.free.push(key.slot);
        self.live -= 1;
        if self.heap.len() > 2 * self.live + 1024 {
            let slots = &self.slots;
            self.heap
                .retain(|Reverse((_, _, s, g))| slots[*s as usize].1 == *g);
        }
        Some(value)
    }

    fn advance(&mut self, now: u64, mut fire: impl FnMut(T)) {
        while let Some(&Reverse((deadline, _, slot, generation))) = self.heap.peek() {
            if deadline > now {
                break;
            }
            self.heap.pop();
            let entry = &mut self.slots[slot as usize];
            if entry.1 == generation {
                let value = entry.0.take().expect("live slot has a value");
                entry.1 = entry.1.wrapping_add(1);
                self.free.push(slot);
                self.live -= 1;
                fire(value);
            }
        }
    }
}

// ----- workload helpers -----

/// Deterministic pseudo-random deadlines in `lo..lo + span`.
fn deadlines(n: usize, lo: u64, span: u64, seed: u64) -> Vec<u64> {
    let mut state = seed | 1;
    (0..n)
        .map(|_| {
            // xorshift64*
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            lo + state.wrapping_mul(0x2545_F491_4F6C_DD1D) % span
        })
        .collect()
}

fn paused_runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("tokio runtime")
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Drains every expired entry of a `DelayQueue` without letting the paused
/// clock move. `DelayQueue` arms a fresh tokio `Sleep` for each deadline it
/// reaches, and the time driver notices that an already-due `Sleep` has
/// fired only on its next turn, so one `yield_now` is allowed after a
/// `Pending`; a second `Pending` in a row means nothing more is due.
async fn drain_delay_queue(q: &mut DelayQueue<u64>) -> usize {
    let mut cx = Context::from_waker(Waker::noop());
    let mut n = 0;
    let mut yielded = false;
    loop {
        match q.poll_expired(&mut cx) {
            Poll::Ready(Some(e)) => {
                black_box(e.into_inner());
                n += 1;
                yielded = false;
            }
            Poll::Ready(None) => break,
            Poll::Pending if !yielded => {
                tokio::task::yield_now().await;
                yielded = true;
            }
            Poll::Pending => break,
        }
    }
    n
}

// ----- memory per entry -----

fn bytes_per_entry(label: &str, n: usize, build: impl FnOnce() -> Box<dyn std::any::Any>) {
    let before = LIVE_BYTES.load(Relaxed);
    let store = build();
    let after = LIVE_BYTES.load(Relaxed);
    drop(store);
    println!(
        "memory: {label:<34} {:>6.1} bytes/timer ({} timers, {:.1} MiB)",
        (after - before) as f64 / n as f64,
        n,
        (after - before) as f64 / (1024.0 * 1024.0)
    );
}

fn report_memory() {
    const N: usize = 1_000_000;
    let ds = deadlines(N, 1, 1 << 24, 7);
    bytes_per_entry("TimerWheel::new (grown)", N, || {
        let mut w = TimerWheel::new();
        for (i, &d) in ds.iter().enumerate() {
            w.insert(d, i as u64);
        }
        Box::new(w)
    });
    bytes_per_entry("TimerWheel::with_capacity(1M)", N, || {
        let mut w = TimerWheel::with_capacity(N);
        for (i, &d) in ds.iter().enumerate() {
            w.insert(d, i as u64);
        }
        Box::new(w)
    });
    bytes_per_entry("HeapTimers (grown)", N, || {
        let mut h = HeapTimers::with_capacity(0);
        for (i, &d) in ds.iter().enumerate() {
            h.insert(d, i as u64);
        }
        Box::new(h)
    });
    bytes_per_entry("HeapTimers::with_capacity(1M)", N, || {
        let mut h = HeapTimers::with_capacity(N);
        for (i, &d) in ds.iter().enumerate() {
            h.insert(d, i as u64);
        }
        Box::new(h)
    });
    let rt = paused_runtime();
    let _guard = rt.enter();
    let base = tokio::time::Instant::now();
    bytes_per_entry("DelayQueue::new (grown)", N, || {
        let mut q = DelayQueue::new();
        for (i, &d) in ds.iter().enumerate() {
            q.insert_at(i as u64, base + ms(d));
        }
        Box::new(q)
    });
    bytes_per_entry("DelayQueue::with_capacity(1M)", N, || {
        let mut q = DelayQueue::with_capacity(N);
        for (i, &d) in ds.iter().enumerate() {
            q.insert_at(i as u64, base + ms(d));
        }
        Box::new(q)
    });
}

// ----- benchmarks -----

fn insert_cancel(c: &mut Criterion) {
    report_memory();

    let mut group = c.benchmark_group("insert_cancel");
    group.throughput(Throughput::Elements(1));
    for pending in [10_000usize, 1_000_000] {
        let background = deadlines(pending, 1, 100_000, 11);
        // The timer being inserted and cancelled: deadlines up to 100 s
        // out, so all of levels 0..=2 are exercised.
        let churn = deadlines(4096, 1, 100_000, 13);

        group.bench_function(BenchmarkId::new("TimerWheel", pending), |b| {
            let mut w = TimerWheel::with_capacity(pending + 1);
            for (i, &d) in background.iter().enumerate() {
                w.insert(d, i as u64);
            }
            let mut i = 0usize;
            b.iter(|| {
                i = i.wrapping_add(1);
                let key = w.insert(churn[i % churn.len()], i as u64);
                black_box(w.cancel(key))
            });
        });

        group.bench_function(BenchmarkId::new("BinaryHeap", pending), |b| {
            let mut h = HeapTimers::with_capacity(pending + 1);
            for (i, &d) in background.iter().enumerate() {
                h.insert(d, i as u64);
            }
            let mut i = 0usize;
            b.iter(|| {
                i = i.wrapping_add(1);
                let key = h.insert(churn[i % churn.len()], i as u64);
                black_box(h.cancel(key))
            });
        });

        group.bench_function(BenchmarkId::new("DelayQueue", pending), |b| {
            let rt = paused_runtime();
            let _guard = rt.enter();
            let base = tokio::time::Instant::now();
            let mut q = DelayQueue::with_capacity(pending + 1);
            for (i, &d) in background.iter().enumerate() {
                q.insert_at(i as u64, base + ms(d));
            }
            let mut i = 0usize;
            b.iter(|| {
                i = i.wrapping_add(1);
                let key = q.insert_at(i as u64, base + ms(churn[i % churn.len()]));
                black_box(q.remove(&key).into_inner())
            });
        });
    }
    group.finish();
}

const FIRE_N: usize = 100_000;
const FIRE_SPAN: u64 = 10_000;

fn insert_fire(c: &mut Criterion) {
    let ds = deadlines(FIRE_N, 1, FIRE_SPAN, 17);
    let mut group = c.benchmark_group("insert_fire");
    group.throughput(Throughput::Elements(FIRE_N as u64));

    for tick in [false, true] {
        let mode = if tick { "tick_1ms" } else { "jump" };
        // Ticking visits every millisecond, as a runtime woken by a 1 ms
        // timer would; jumping advances once past the last deadline.
        let steps: Vec<u64> = if tick {
            (1..=FIRE_SPAN).collect()
        } else {
            vec![FIRE_SPAN]
        };

        group.bench_function(BenchmarkId::new("TimerWheel", mode), |b| {
            b.iter(|| {
                let mut w = TimerWheel::with_capacity(FIRE_N);
                for (i, &d) in ds.iter().enumerate() {
                    w.insert(d, i as u64);
                }
                let mut n = 0usize;
                for &t in &steps {
                    w.advance(t, |_, v| {
                        black_box(v);
                        n += 1;
                    });
                }
                assert_eq!(n, FIRE_N);
                w
            });
        });

        group.bench_function(BenchmarkId::new("BinaryHeap", mode), |b| {
            b.iter(|| {
                let mut h = HeapTimers::with_capacity(FIRE_N);
                for (i, &d) in ds.iter().enumerate() {
                    h.insert(d, i as u64);
                }
                let mut n = 0usize;
                for &t in &steps {
                    h.advance(t, |v| {
                        black_box(v);
                        n += 1;
                    });
                }
                assert_eq!(n, FIRE_N);
                h
            });
        });

        group.bench_function(BenchmarkId::new("DelayQueue", mode), |b| {
            let rt = paused_runtime();
            b.iter(|| {
                rt.block_on(async {
                    let base = tokio::time::Instant::now();
                    let mut q = DelayQueue::with_capacity(FIRE_N);
                    for (i, &d) in ds.iter().enumerate() {
                        q.insert_at(i as u64, base + ms(d));
                    }
                    let mut n = 0usize;
                    let mut last = 0;
                    for &t in &steps {
                        tokio::time::advance(ms(t - last)).await;
                        last = t;
                        n += drain_delay_queue(&mut q).await;
                    }
                    assert_eq!(n, FIRE_N);
                    q
                })
            });
        });
    }
    group.finish();
}

/// Time to fill an empty store with 1M timers. Each store is built once and
/// `clear()`ed (untimed) between iterations, so every implementation writes
/// into memory it already owns: with fresh allocations the figure is
/// dominated by page faults, and whether glibc hands back fresh pages
/// depends on the allocation's size (its mmap threshold tops out at 32 MiB,
/// between the stores' sizes), which would skew the comparison.
fn insert_1m(c: &mut Criterion) {
    const N: usize = 1_000_000;
    let ds = deadlines(N, 1, 1 << 24, 23);
    let mut group = c.benchmark_group("insert_1m");
    group.sample_size(10);
    group.throughput(Throughput::Elements(N as u64));

    fn timed(iters: u64, mut clear: impl FnMut(), mut fill: impl FnMut()) -> Duration {
        let mut total = Duration::ZERO;
        for _ in 0..iters {
            clear();
            let start = Instant::now();
            fill();
            total += start.elapsed();
        }
        total
    }

    group.bench_function("TimerWheel", |b| {
        let w = RefCell::new(TimerWheel::with_capacity(N));
        b.iter_custom(|iters| {
            timed(
                iters,
                || w.borrow_mut().clear(),
                || {
                    let mut w = w.borrow_mut();
                    for (i, &d) in ds.iter().enumerate() {
                        w.insert(d, i as u64);
                    }
                },
            )
        });
    });

    group.bench_function("BinaryHeap", |b| {
        let h = RefCell::new(HeapTimers::with_capacity(N));
        b.iter_custom(|iters| {
            timed(
                iters,
                || h.borrow_mut().clear(),
                || {
                    let mut h = h.borrow_mut();
                    for (i, &d) in ds.iter().enumerate() {
                        h.insert(d, i as u64);
                    }
                },
            )
        });
    });

    group.bench_function("DelayQueue", |b| {
        let rt = paused_runtime();
        let _guard = rt.enter();
        let base = tokio::time::Instant::now();
        let q = RefCell::new(DelayQueue::with_capacity(N));
        b.iter_custom(|iters| {
            timed(
                iters,
                || q.borrow_mut().clear(),
                || {
                    let mut q = q.borrow_mut();
                    for (i, &d) in ds.iter().enumerate() {
                        q.insert_at(i as u64, base + ms(d));
                    }
                },
            )
        });
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = insert_cancel, insert_fire, insert_1m
}
criterion_main!(benches);
