//! Virtual time: `Vclock(order) >> e`, `Vawait(t)` and `Vtime()`.
//!
//! A virtual clock has a scope: the tokens running `e` and their
//! descendants (each token knows its innermost clock). The clock counts the
//! tokens in its scope (`live`) and those making progress (`active`: not
//! blocked on a future, a timer, a channel-like site or `Vawait`). When `active`
//! reaches zero the scope is quiescent: the clock advances to the least
//! awaited time and those `Vawait` calls publish (one `true`, the others
//! `false`). A child clock counts as one active, live member of its parent
//! until its whole scope has halted.
//!
//! A clock's entry in the run's table is `scopes::VClock`; here
//! is what the run does with it.

use super::call::CallCx;
use super::engine::Run;
use super::scopes::VClock;
use super::token::{Frame, Hot, Next};
use crate::value::code::CodePtr;
use crate::value::handles::{ClockRef, TokenRef};
use crate::value::site::{CallContext, Outcome, Site, SiteCx};
use crate::value::Value;
use std::cmp::Ordering;
use std::sync::Arc;

impl Run {
    pub(crate) fn clock_join(&mut self, c: ClockRef, active: bool) {
        if let Some(clock) = self.vclocks.get_mut(c) {
            clock.live += 1;
            if active {
                clock.active += 1;
            }
        }
    }

    /// A member leaves the scope (halted, killed, or published out of it).
    pub(crate) fn clock_leave(&mut self, c: ClockRef, active: bool) {
        let Some(clock) = self.vclocks.get_mut(c) else {
            return;
        };
        clock.live -= 1;
        if active {
            clock.active -= 1;
        }
        if clock.live == 0 {
            // The whole scope halted: the clock is gone, and its parent
            // loses an active member.
            let parent = clock.parent;
            if let Some(clock) = self.vclocks.remove(c) {
                for (_, h) in clock.waiters {
                    h.halt();
                }
            }
            if let Some(p) = parent {
                self.clock_leave(p, true);
            }
        } else if clock.active == 0 {
            self.quiescent.push(c);
        }
    }

    pub(crate) fn clock_set_active(&mut self, c: ClockRef, active: bool) {
        let Some(clock) = self.vclocks.get_mut(c) else {
            return;
        };
        if active {
            clock.active += 1;
        } else {
            clock.active -= 1;
            if clock.active == 0 {
                self.quiescent.push(c);
            }
        }
    }

    /// `Vclock(order) >> body`: token `t` enters a new clock's scope.
    pub(crate) fn enter_vclock(
        &mut self,
        t: TokenRef,
        h: &mut Hot,
        order: Arc<dyn Site>,
        body: CodePtr,
    ) -> bool {
        if self.tokens.get(t).is_none() {
            return false;
        }
        let outer = self.clock_of(t);
        let c = self.vclocks.insert(VClock {
            parent: outer,
            order,
            now: None,
            active: 1,
            live: 1,
            waiters: Vec::new(),
        });
        if let Some(p) = outer {
            // The new clock replaces the token as an active member.
            self.clock_join(p, true);
            self.clock_leave(p, true);
        }
        self.extras_mut(t).clock = Some(c);
        h.stack.push(Frame::ClockExit { clock: c, outer });
        h.next = Next::Eval(body);
        true
    }

    /// A publication leaves a clock's scope: the token rejoins the outer one.
    pub(crate) fn exit_vclock(&mut self, t: TokenRef, clock: ClockRef, outer: Option<ClockRef>) {
        if let Some(p) = outer {
            self.clock_join(p, true);
        }
        if self.tokens.get(t).is_some() {
            self.extras_mut(t).clock = outer;
        }
        self.clock_leave(clock, true);
    }

    fn compare(&mut self, order: &Arc<dyn Site>, a: &Value, b: &Value) -> Result<Ordering, String> {
        let mut cx = CallCx {
            run: self,
            token: crate::value::handles::NO_TOKEN,
        };
        let mut sc = SiteCx { inner: &mut cx };
        match order.call(&[a.clone(), b.clone()], &mut sc) {
            Outcome::Publish(Value::Int(n)) => Ok(n.cmp(&0)),
            Outcome::Publish(other) => Err(format!(
                "the time order {} returned {other}, not -1, 0 or 1",
                order.name()
            )),
            Outcome::Error(e) => Err(e.to_string()),
            _ => Err(format!("the time order {} did not answer", order.name())),
        }
    }

    pub(crate) fn vawait(&mut self, t: TokenRef, time: Value) -> Outcome {
        let Some(c) = self.tokens.get(t).and(self.clock_of(t)) else {
            return Outcome::Halt;
        };
        let Some(clock) = self.vclocks.get(c) else {
            return Outcome::Halt;
        };
        let (order, now) = (clock.order.clone(), clock.now.clone());
        if let Some(now) = now {
            match self.compare(&order, &time, &now) {
                Ok(Ordering::Less) => return Outcome::Halt,
                Ok(Ordering::Equal) => return Outcome::Publish(Value::Bool(false)),
                Ok(Ordering::Greater) => {}
                Err(e) => return Outcome::Error(crate::value::site::SiteError::new(e)),
            }
        }
        let mut cx = CallCx {
            run: self,
            token: t,
        };
        let h = cx.defer();
        if let Some(clock) = self.vclocks.get_mut(c) {
            clock.waiters.push((time, h));
        }
        Outcome::Pending
    }

    pub(crate) fn vtime(&mut self, t: TokenRef) -> Option<Value> {
        self.tokens.get(t)?;
        let c = self.clock_of(t)?;
        self.vclocks.get(c)?.now.clone()
    }

    /// Advances every clock whose scope is quiescent to its next awaited
    /// time, waking the `Vawait` calls for that time.
    pub(crate) fn advance_quiescent_clocks(&mut self) {
        while let Some(c) = self.quiescent.pop() {
            while let Some(clock) = self.vclocks.get_mut(c) {
                if clock.active > 0 {
                    break;
                }
                clock.waiters.retain(|(_, h)| h.is_live());
                if clock.waiters.is_empty() {
                    break;
                }
                let order = clock.order.clone();
                let waiters = std::mem::take(&mut clock.waiters);
                // The least awaited time.
                let mut least = waiters[0].0.clone();
                for (t, _) in &waiters[1..] {
                    if let Ok(Ordering::Less) = self.compare(&order, t, &least) {
                        least = t.clone();
                    }
                }
                let mut due = Vec::new();
                let mut later = Vec::new();
                for (t, h) in waiters {
                    match self.compare(&order, &t, &least) {
                        Ok(Ordering::Equal) => due.push(h),
                        _ => later.push((t, h)),
                    }
                }
                if let Some(clock) = self.vclocks.get_mut(c) {
                    clock.now = Some(least);
                    clock.waiters = later;
                }
                for (i, h) in due.iter().enumerate() {
                    h.publish(Value::Bool(i == 0));
                }
                self.process_completions();
            }
        }
    }
}
