//! The run's clock: real (time since the run started) or simulated (a
//! counter that jumps to the next timer deadline when nothing can run).
//!
//! Timers count in *ticks* of one microsecond: the timer wheel keeps its
//! deadlines in ticks, and a run parks until the earliest one with a
//! [`Sleeper`], so a `Rwait(1)` lasts one millisecond and some tens of
//! microseconds rather than the two milliseconds a millisecond-rounded
//! timer takes (one to round the start up, one to round the wake-up).
//! Precision costs wake-ups, so long waits are rounded up to a coarser
//! grid ([`coalescing_grid`]) and a run with several timers parks a
//! little past the earliest ([`COALESCE_TICKS`]).
//! Programs see milliseconds (`Rtime`, `Rclock`); simulated time moves in
//! whole milliseconds, since every wait is a whole number of them.

use std::time::{Duration, Instant};

/// Ticks (timer units) in a millisecond.
pub const TICKS_PER_MS: u64 = 1000;

/// The grid a real-time wait of `delay` ticks has its deadline rounded up
/// to: 1/64 of the delay, at most a millisecond. Long waits started at
/// slightly different times then end together, in one wake-up (a
/// hundred thousand timers of up to half a second wake about once a
/// millisecond, not once each), and no wait ends later than 1.6% of its
/// length (or 1 ms) past its due time on that account.
pub fn coalescing_grid(delay: u64) -> u64 {
    (delay / 64).clamp(1, TICKS_PER_MS)
}

/// How long past the earliest deadline a run with several timers pending
/// parks in real time, so that the timers due within that time fire
/// together (a run with one timer parks until its deadline): a real-time wait
/// counts from the clock reading after it was asked for, so the deadlines
/// of many timers started together spread over microseconds, and parking
/// for each would cost a wake-up per timer. (Linux's default timer slack
/// is the same 50 µs.)
pub const COALESCE_TICKS: u64 = 50;

pub struct Clock {
    start: Instant,
    /// The simulated time, in ticks.
    simulated: Option<u64>,
}

impl Clock {
    pub fn new(simulated: bool) -> Clock {
        Clock {
            start: Instant::now(),
            simulated: simulated.then_some(0),
        }
    }

    pub fn is_simulated(&self) -> bool {
        self.simulated.is_some()
    }

    /// The program's time in whole milliseconds.
    pub fn now_ms(&self) -> u64 {
        match self.simulated {
            Some(t) => t / TICKS_PER_MS,
            None => self.start.elapsed().as_millis() as u64,
        }
    }

    /// The current time in ticks, rounded down and up: the first is what
    /// timers fire by, the second what a wait starting now counts from.
    /// (A timer with deadline `up + d` fires once the rounded-down clock
    /// reaches it, so never before `d` ticks have really passed.) One
    /// clock reading gives both.
    pub fn read(&self) -> (u64, u64) {
        match self.simulated {
            Some(t) => (t, t),
            None => {
                let e = self.start.elapsed();
                let down = e.as_micros() as u64;
                (
                    down,
                    down + u64::from(!e.subsec_nanos().is_multiple_of(1_000)),
                )
            }
        }
    }

    /// The wheel deadline (in ticks) for a wait of `ms` from now (see
    /// [`read`](Self::read)).
    pub fn deadline_after(&self, ms: u64) -> u64 {
        self.read()
            .1
            .saturating_add(ms.saturating_mul(TICKS_PER_MS))
    }

    /// Simulated time only: jump forward (never backward) to tick `t`.
    pub fn advance_to(&mut self, t: u64) {
        if let Some(now) = &mut self.simulated {
            *now = (*now).max(t);
        }
    }

    /// Real time only: the instant of tick `t`.
    pub fn instant(&self, t: u64) -> Instant {
        self.start + Duration::from_micros(t)
    }
}

/// How a run parks until a deadline, within tens of microseconds of it.
///
/// On Linux, a timer file descriptor (`timerfd`, the kernel's
/// high-resolution timers) that the run's own tokio reactor waits on:
/// no other thread is involved, so a wake-up costs a system call or two.
/// Elsewhere (or if the descriptor cannot be made), [`precise_sleep`].
#[derive(Default)]
pub struct Sleeper {
    #[cfg(target_os = "linux")]
    timer: Option<timerfd::TimerFd>,
    #[cfg(target_os = "linux")]
    unavailable: bool,
}

impl Sleeper {
    /// Sleeps until `deadline` (early wake-ups are possible: the caller
    /// looks at the time again).
    pub async fn until(&mut self, deadline: Instant) {
        #[cfg(target_os = "linux")]
        {
            if self.timer.is_none() && !self.unavailable {
                self.timer = timerfd::TimerFd::new().ok();
                self.unavailable = self.timer.is_none();
            }
            if let Some(timer) = &self.timer {
                if timer.sleep_until(deadline).await.is_ok() {
                    return;
                }
            }
        }
        precise_sleep(deadline).await
    }
}

#[cfg(target_os = "linux")]
mod timerfd {
    use std::io;
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    use std::time::Instant;
    use tokio::io::unix::AsyncFd;
    use tokio::io::Interest;

    pub struct TimerFd(AsyncFd<OwnedFd>);

    impl TimerFd {
        pub fn new() -> io::Result<TimerFd> {
            // SAFETY: timerfd_create returns a new descriptor or -1.
            let fd = unsafe {
                libc::timerfd_create(
                    libc::CLOCK_MONOTONIC,
                    libc::TFD_NONBLOCK | libc::TFD_CLOEXEC,
                )
            };
            if fd < 0 {
                return Err(io::Error::last_os_error());
            }
            // SAFETY: `fd` is ours alone from here on; the `OwnedFd` keeps it
            // open, unchanged, for as long as the `AsyncFd` holds it.
            let fd = unsafe { OwnedFd::from_raw_fd(fd) };
            let fd = unsafe { AsyncFd::register_with_interest(fd, Interest::READABLE)? };
            Ok(TimerFd(fd))
        }

        /// Reads the expirations, if any (to clear a past one).
        fn drain(&self) -> io::Result<bool> {
            let mut count = [0u8; 8];
            // SAFETY: reads at most 8 bytes into `count`.
            let n = unsafe {
                libc::read(
                    self.0.get_ref().as_raw_fd(),
                    count.as_mut_ptr().cast(),
                    count.len(),
                )
            };
            if n == 8 {
                return Ok(true);
            }
            let e = io::Error::last_os_error();
            if e.kind() == io::ErrorKind::WouldBlock {
                Ok(false)
            } else {
                Err(e)
            }
        }

        pub async fn sleep_until(&self, deadline: Instant) -> io::Result<()> {
            let Some(wait) = deadline.checked_duration_since(Instant::now()) else {
                return Ok(());
            };
            if wait.is_zero() {
                return Ok(());
            }
            self.drain()?;
            let spec = libc::itimerspec {
                it_interval: libc::timespec {
                    tv_sec: 0,
                    tv_nsec: 0,
                },
                it_value: libc::timespec {
                    tv_sec: wait.as_secs() as libc::time_t,
                    tv_nsec: wait.subsec_nanos() as libc::c_long,
                },
            };
            // SAFETY: a relative time on our own descriptor.
            let set = unsafe {
                libc::timerfd_settime(self.0.get_ref().as_raw_fd(), 0, &spec, std::ptr::null_mut())
            };
            if set != 0 {
                return Err(io::Error::last_os_error());
            }
            loop {
                let mut ready = self.0.readable().await?;
                if self.drain()? {
                    return Ok(());
                }
                ready.clear_ready();
            }
        }
    }
}

/// Sleeps until `deadline`, waking within tens of microseconds of it.
///
/// tokio's timer counts whole milliseconds and rounds every deadline up to
/// the next one, so it may wake almost a millisecond late. Here tokio
/// sleeps through all but the last two milliseconds, and a thread of this
/// module ([`sleeper`]), which waits with the operating system's precise
/// timeout, wakes the task for the rest.
pub async fn precise_sleep(deadline: Instant) {
    const COARSE_MARGIN: Duration = Duration::from_millis(2);
    let now = Instant::now();
    if deadline <= now {
        return;
    }
    if deadline - now > COARSE_MARGIN {
        tokio::time::sleep_until((deadline - COARSE_MARGIN).into()).await;
    }
    sleeper::Sleep::new(deadline).await;
}

/// One process-wide thread that wakes tasks at precise instants.
mod sleeper {
    use std::collections::BinaryHeap;
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Condvar, Mutex, OnceLock};
    use std::task::{Context, Poll, Waker};
    use std::time::Instant;

    /// A registered wake-up: when, whom, and whether it happened.
    struct Alarm {
        at: Instant,
        waker: Waker,
        done: Arc<AtomicBool>,
    }

    impl PartialEq for Alarm {
        fn eq(&self, other: &Self) -> bool {
            self.at == other.at
        }
    }
    impl Eq for Alarm {}
    impl PartialOrd for Alarm {
        fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
            Some(self.cmp(other))
        }
    }
    impl Ord for Alarm {
        /// Earliest first (the heap is a max-heap).
        fn cmp(&self, other: &Self) -> std::cmp::Ordering {
            other.at.cmp(&self.at)
        }
    }

    struct Shared {
        alarms: Mutex<BinaryHeap<Alarm>>,
        changed: Condvar,
    }

    fn shared() -> &'static Shared {
        static SHARED: OnceLock<&'static Shared> = OnceLock::new();
        SHARED.get_or_init(|| {
            let shared: &'static Shared = Box::leak(Box::new(Shared {
                alarms: Mutex::new(BinaryHeap::new()),
                changed: Condvar::new(),
            }));
            std::thread::Builder::new()
                .name("orc-timer".into())
                .spawn(move || serve(shared))
                .expect("the timer thread starts");
            shared
        })
    }

    /// The thread: waits for the earliest alarm (or a new one), and wakes
    /// the tasks whose time has come. A dropped sleep's alarm fires
    /// harmlessly (its waker may be stale; waking it is allowed).
    fn serve(shared: &'static Shared) {
        // Linux lets a sleeping thread wake up to 50 µs late, to batch
        // wake-ups; this thread exists to be on time.
        #[cfg(target_os = "linux")]
        // SAFETY: PR_SET_TIMERSLACK only sets a property of this thread.
        unsafe {
            libc::prctl(libc::PR_SET_TIMERSLACK, 1, 0, 0, 0);
        }
        let mut alarms = shared.alarms.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            let now = Instant::now();
            while alarms.peek().is_some_and(|a| a.at <= now) {
                if let Some(a) = alarms.pop() {
                    a.done.store(true, Ordering::Release);
                    a.waker.wake();
                }
            }
            alarms = match alarms.peek().map(|a| a.at - now) {
                Some(wait) => {
                    shared
                        .changed
                        .wait_timeout(alarms, wait)
                        .unwrap_or_else(|e| e.into_inner())
                        .0
                }
                None => shared
                    .changed
                    .wait(alarms)
                    .unwrap_or_else(|e| e.into_inner()),
            };
        }
    }

    /// A future that is ready at `at`.
    pub struct Sleep {
        at: Instant,
        done: Option<Arc<AtomicBool>>,
    }

    impl Sleep {
        pub fn new(at: Instant) -> Sleep {
            Sleep { at, done: None }
        }
    }

    impl Future for Sleep {
        type Output = ();
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            if Instant::now() >= self.at {
                return Poll::Ready(());
            }
            if let Some(done) = &self.done {
                if done.load(Ordering::Acquire) {
                    return Poll::Ready(());
                }
            }
            // (Re)register with the current waker: a task polled again
            // before its alarm registers once more, which is rare (the
            // run's wait ends at the first of several events) and costs
            // one spare wake-up.
            let done = Arc::new(AtomicBool::new(false));
            self.done = Some(done.clone());
            let s = shared();
            let mut alarms = s.alarms.lock().unwrap_or_else(|e| e.into_inner());
            let earliest = alarms.peek().is_none_or(|a| self.at < a.at);
            alarms.push(Alarm {
                at: self.at,
                waker: cx.waker().clone(),
                done,
            });
            drop(alarms);
            if earliest {
                s.changed.notify_one();
            }
            Poll::Pending
        }
    }
}
