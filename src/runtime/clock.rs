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
