//! The run's clock: real (milliseconds since the run started) or simulated
//! (a counter that jumps to the next timer deadline when nothing can run).

use std::time::{Duration, Instant};

pub struct Clock {
    start: Instant,
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

    pub fn now_ms(&self) -> u64 {
        match self.simulated {
            Some(t) => t,
            None => self.start.elapsed().as_millis() as u64,
        }
    }

    /// The current time in whole milliseconds, rounded down and up: the
    /// first is what timers fire by, the second what a wait starting now
    /// counts from. (A timer with deadline `up + ms` fires once the
    /// rounded-down clock reaches it, so never before `ms` have really
    /// passed.) One clock reading gives both.
    pub fn read(&self) -> (u64, u64) {
        match self.simulated {
            Some(t) => (t, t),
            None => {
                let e = self.start.elapsed();
                let down = e.as_millis() as u64;
                (
                    down,
                    down + u64::from(!e.subsec_nanos().is_multiple_of(1_000_000)),
                )
            }
        }
    }

    /// The wheel deadline (in whole milliseconds) for a wait of `ms` from
    /// now (see [`read`](Self::read)).
    pub fn deadline_after(&self, ms: u64) -> u64 {
        self.read().1.saturating_add(ms)
    }

    /// Simulated time only: jump forward (never backward).
    pub fn advance_to(&mut self, t: u64) {
        if let Some(now) = &mut self.simulated {
            *now = (*now).max(t);
        }
    }

    /// Real time only: a sleep that ends when `t` ms have passed since start.
    pub fn sleep_until(&self, t: u64) -> tokio::time::Sleep {
        let deadline = self.start + Duration::from_millis(t);
        tokio::time::sleep_until(deadline.into())
    }
}
