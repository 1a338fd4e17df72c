//! Builder methods for [`RunOptions`]: limits, the clock and a kill switch,
//! chained from [`RunOptions::new`].
//!
//! ```
//! use orc::RunOptions;
//! use std::time::Duration;
//!
//! let options = RunOptions::new()
//!     .simulated_time()
//!     .time_limit(Duration::from_secs(2))
//!     .max_tokens(10_000)
//!     .max_publications(1);
//! assert_eq!(options.time_limit_ms, Some(2_000));
//! ```

use crate::runtime::{KillSwitch, RunOptions};
use std::time::Duration;

impl RunOptions {
    /// Real time, no limits, no kill switch (the same as `default()`).
    pub fn new() -> RunOptions {
        RunOptions::default()
    }

    /// Simulated time: timers fire as soon as nothing else can run, in
    /// order, without waiting (deterministic; for tests and batch work).
    /// The clock does not move while an async host call is under way, so a
    /// host call takes no simulated time.
    pub fn simulated_time(mut self) -> RunOptions {
        self.sim_time = true;
        self
    }

    /// Real (wall-clock) time: `Rwait(100)` waits 100 ms.
    pub fn real_time(mut self) -> RunOptions {
        self.sim_time = false;
        self
    }

    /// Stops the program once it has run this long (on its own clock:
    /// simulated under [`RunOptions::simulated_time`]); the run ends with
    /// [`RunOutcome::TimeLimit`](crate::RunOutcome::TimeLimit).
    pub fn time_limit(mut self, limit: Duration) -> RunOptions {
        self.time_limit_ms = Some(u64::try_from(limit.as_millis()).unwrap_or(u64::MAX));
        self
    }

    /// Stops the program when more than `n` tokens (concurrent threads of
    /// the program) are live: [`RunOutcome::TokenLimit`](crate::RunOutcome::TokenLimit).
    pub fn max_tokens(mut self, n: usize) -> RunOptions {
        self.max_tokens = Some(n);
        self
    }

    /// Stops the program after its `n`th publication:
    /// [`RunOutcome::PublicationLimit`](crate::RunOutcome::PublicationLimit).
    /// `max_publications(1)` asks for the first answer only.
    pub fn max_publications(mut self, n: usize) -> RunOptions {
        self.max_publications = Some(n);
        self
    }

    /// Lets `kill` stop the run from outside.
    pub fn kill_switch(mut self, kill: KillSwitch) -> RunOptions {
        self.kill = Some(kill);
        self
    }
}
