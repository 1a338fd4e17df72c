//! Builder methods for [`RunOptions`]: limits, the clock and a kill switch,
//! chained from [`RunOptions::new`].
//!
//! Every limit holds wherever the program is: the scheduler looks at the
//! kill switch, the clocks, the step count and the memory count every few
//! turns of its tokens and after every megabyte allocated, and a site call
//! made after a limit was hit is not made. A busy program, one inside a
//! loop of expensive built-ins, and one under simulated time (where the
//! time limit also bounds the wall clock) all stop within milliseconds.
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

/// `limits! { /// doc  name(v: T); ... }`: a builder method `name(v)`
/// for each limit, setting the field of the same name to `Some(v)`.
macro_rules! limits {
    ($($(#[$doc:meta])* $name:ident($arg:ident: $ty:ty);)*) => {
        $(
            $(#[$doc])*
            pub fn $name(mut self, $arg: $ty) -> RunOptions {
                self.$name = Some($arg);
                self
            }
        )*
    };
}

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
    /// simulated under [`RunOptions::simulated_time`], where it also bounds
    /// the wall-clock time, so that a program that never waits still
    /// stops); the run ends with
    /// [`RunOutcome::TimeLimit`](crate::RunOutcome::TimeLimit).
    pub fn time_limit(mut self, limit: Duration) -> RunOptions {
        self.time_limit_ms = Some(u64::try_from(limit.as_millis()).unwrap_or(u64::MAX));
        self
    }

    /// Lets `kill` stop the run from outside.
    pub fn kill_switch(mut self, kill: KillSwitch) -> RunOptions {
        self.kill = Some(kill);
        self
    }

    limits! {
        /// Stops the program when more than `n` tokens (concurrent threads of
        /// the program) are live: [`RunOutcome::TokenLimit`](crate::RunOutcome::TokenLimit).
        max_tokens(n: usize);

        /// Stops the program after its `n`th publication:
        /// [`RunOutcome::PublicationLimit`](crate::RunOutcome::PublicationLimit).
        /// `max_publications(1)` asks for the first answer only.
        max_publications(n: usize);

        /// Stops the program once it holds more than `bytes` of memory:
        /// [`RunOutcome::MemoryLimit`](crate::RunOutcome::MemoryLimit).
        ///
        /// Everything the run allocates while it executes counts (values,
        /// tokens, frames, futures, channel buffers, arrays, strings, big
        /// numbers), as the system allocator gives it out; a built-in that
        /// would allocate past the limit in one go (`Array(n)`, a long string)
        /// fails at once instead. The scheduler looks at the count after every
        /// megabyte allocated, so the run stops within about a megabyte of the
        /// limit, plus what the allocator itself keeps.
        ///
        /// The count needs [`MemoryAccounting`](crate::MemoryAccounting) as the
        /// host's global allocator:
        ///
        /// ```
        /// #[global_allocator]
        /// static ALLOCATOR: orc::MemoryAccounting = orc::MemoryAccounting;
        /// ```
        ///
        /// Without it a run given a memory limit does not start: it reports an
        /// error saying so and ends with `MemoryLimit`.
        memory_limit(bytes: u64);

        /// Stops the program after about `n` steps (fuel): a step is one node
        /// of the program a token evaluates (a call, a publication, a
        /// combinator), whatever it costs. The run ends with
        /// [`RunOutcome::StepLimit`](crate::RunOutcome::StepLimit), having taken
        /// at most `n` steps. Unlike a time limit, the same program and input
        /// stop at the same place on every machine.
        max_steps(n: u64);

        /// Stops the program when its output (`Print`, `Println`) would pass
        /// `bytes`: the text that would pass it is not written, and the run
        /// ends with [`RunOutcome::OutputLimit`](crate::RunOutcome::OutputLimit).
        /// Publications are not output (see
        /// [`RunOptions::max_publications`]).
        max_output(bytes: u64);
    }
}
