//! The Orc runtime: the machinery that runs compiled Orc programs.
//!
//! So far this holds the timer store that backs `Rwait` and other
//! time-based sites:
//!
//! - [`wheel`]: a hierarchical timing wheel with O(1) insert and cancel,
//!   used by the scheduler to track pending timers and to learn how long it
//!   may park (or, under a simulated clock, which instant to jump to next).

pub mod wheel;
