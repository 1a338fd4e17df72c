//! Races: `{| f | Rwait(d) >> c |}`, the body of `timeout`, run by one
//! token, with no group and no fork.
//!
//! Run the general way, that trim makes a group, forks a second token for
//! the timer side and kills the group at the first publication: two
//! tokens, a group and a kill for every timeout. But when `f` is one call
//! of a pure immediate site (`Some(x)`), all it can do is wait for the
//! futures among its operands and then publish (or halt) at once; and
//! `Rwait(d) >> c` with `c` a constant can only wait for its timer and
//! publish `c`. One token can wait for both, on `f`'s futures and on the
//! timer, and whichever comes first decides, as the first publication
//! decides a trim. The token's [`Wait`] says where it is:
//!
//! - `Race(key)`: parked on the futures and on timer `key`;
//! - `RaceWoken(key)`: a future resolved; the token is queued to try `f`
//!   again, with the timer still set;
//! - `RaceFired`: queued so, and the timer fired meanwhile.
//!
//! Trying `f` again: if it publishes, the timer is cancelled and the
//! value published; if it halts, the token waits on the timer alone, as
//! the timer side's token would; if it still waits (for another operand),
//! the token parks again on both. When the timer fires while the token is
//! parked, the token publishes `c`; what it registered on the futures is
//! stale from then on (its wait is no longer `Race`).
//!
//! Which trims are races is decided at compile time (`compile/race.rs`
//! makes them [`Code::Race`]); here is how a token runs one.
//!
//! The trim runs the general way in a virtual clock's scope (whose
//! quiescence counts tokens) and when the delay is not a ready
//! non-negative integer (its wait, or its error, is `Rwait`'s).
//!
//! [`Wait`]: super::token::Wait

use super::engine::Run;
use super::operands::{fetch, read, Arg, Fetch};
use super::token::{Hot, Next, Wait};
use crate::value::code::{Code, CodePtr, Operand, Race};
use crate::value::env::{FutureRef, Waiter};
use crate::value::handles::TokenRef;
use crate::value::Value;

/// What the token does after a step of a race.
pub(crate) enum Step {
    /// Runs this node next.
    Go(CodePtr),
    /// Publishes this value.
    Publish(Value),
    /// Waits (or has halted).
    Parked,
}

/// What the race's left side did when tried.
enum Left {
    Published(Value),
    Halted,
    Waits(super::operands::Pending),
}

/// Where the race's timer is, as the token's wait tells.
enum Timer {
    /// Not set yet: the token has just reached the race.
    Unset,
    Set(super::wheel::TimerKey),
    Fired,
}

impl Run {
    /// A step of token `t` at the race `code`.
    pub(crate) fn eval_race(
        &mut self,
        t: TokenRef,
        h: &mut Hot,
        code: CodePtr,
        race: &Race,
    ) -> Step {
        let Some(tok) = self.tokens.get(t) else {
            return Step::Parked;
        };
        let timer = match tok.wait {
            Wait::RaceWoken(key) => Timer::Set(key),
            Wait::RaceFired => Timer::Fired,
            _ => Timer::Unset,
        };
        let in_clock = self.clock_of(t).is_some();
        let left = self.try_left(t, h, &race.left);
        match (left, timer) {
            (Left::Published(v), timer) => {
                if let Timer::Set(key) = timer {
                    self.wheel.cancel(key);
                }
                self.set_wait(t, Wait::None);
                Step::Publish(v)
            }
            (Left::Halted, Timer::Unset) => Step::Go(CodePtr::new(&race.timer)),
            (Left::Halted, Timer::Set(key)) => {
                // The timer side alone is left: it publishes `after` when
                // the timer fires (see `operands::answer`).
                self.set_wait(t, Wait::Timer(key));
                h.next = Next::Resume(CodePtr::new(&race.timer));
                Step::Parked
            }
            (Left::Halted | Left::Waits(_), Timer::Fired) => {
                self.set_wait(t, Wait::None);
                Step::Publish(race.after.clone())
            }
            (Left::Waits(futures), Timer::Set(key)) => {
                self.park_in_race(t, h, code, &futures, key);
                Step::Parked
            }
            (Left::Waits(futures), Timer::Unset) => {
                let ms = match read(h, &race.delay) {
                    Arg::Ready(Value::Int(ms)) if *ms >= 0 && !in_clock => *ms as u64,
                    _ => return Step::Go(CodePtr::new(&race.trim)),
                };
                let Some(tok) = self.tokens.get_mut(t) else {
                    return Step::Parked;
                };
                tok.epoch = super::binder::next_epoch(tok.epoch);
                let epoch = tok.epoch;
                let key = self.start_timer(ms, super::binder::Wake::token(t, epoch));
                self.park_in_race(t, h, code, &futures, key);
                Step::Parked
            }
        }
    }

    /// Calls the race's left side if its operands are ready.
    fn try_left(&mut self, t: TokenRef, h: &Hot, left: &Code) -> Left {
        let Code::Call {
            target: Operand::Const(Value::Site(site)),
            args,
            span,
        } = left
        else {
            return Left::Halted;
        };
        let values = match fetch(h, args.iter()) {
            Fetch::Ready(values) => values,
            Fetch::Wait(futures) => return Left::Waits(futures),
            Fetch::Halted => return Left::Halted,
        };
        match self.call_values(t, site, &values) {
            Ok(Some(v)) => Left::Published(v),
            Ok(None) => Left::Halted,
            Err(message) => {
                self.report(message, Some(*span));
                Left::Halted
            }
        }
    }

    /// Token `t` waits on `futures` and on timer `key` (set in its current
    /// epoch), to run the race `code` again when a future resolves.
    fn park_in_race(
        &mut self,
        t: TokenRef,
        h: &mut Hot,
        code: CodePtr,
        futures: &[FutureRef],
        key: super::wheel::TimerKey,
    ) {
        let Some(tok) = self.tokens.get(t) else {
            return;
        };
        let w = Waiter {
            token: t,
            epoch: tok.epoch,
        };
        h.next = Next::Eval(code);
        self.set_wait(t, Wait::Race(key));
        for f in futures {
            f.add_waiter(w);
        }
    }
}
