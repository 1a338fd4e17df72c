//! A run's trace: when each token starts (and where, and which token
//! started it) and ends, and when it waits on a site call and resumes.
//! Recorded only when [`RunOptions::trace`](super::RunOptions::trace) asks
//! for it; `orc run --trace FILE` writes it as a Chrome trace, with the
//! publications, prints and errors the run's events report.
//!
//! The hooks: [`Run::spawn`] and [`Run::remove_token`] for a token's
//! life; a site call answering `Pending` where the token parks for the
//! answer ([`Run::finish_call`], and `site(args) >x> g` waiting with no
//! frame) for a wait; a token's next turn for its resume. A trace holds at most
//! [`MAX_EVENTS`] events; later ones are counted, not kept.
//!
//! [`Run::spawn`]: super::engine::Run::spawn
//! [`Run::remove_token`]: super::engine::Run::remove_token
//! [`Run::finish_call`]: super::engine::Run::finish_call

use crate::diagnostics::Span;
use crate::value::handles::TokenRef;
use std::collections::{HashMap, HashSet};

/// The most events a trace keeps.
pub const MAX_EVENTS: usize = 2_000_000;

/// One thing that happened, at `us` microseconds of the run's clock.
/// Tokens are numbered from 1 in the order they started.
#[derive(Clone, Debug, PartialEq)]
pub enum TraceEvent {
    /// A token started, at the code `at` (if that has a place in the
    /// source), by token `parent` (none for the program's first).
    Start {
        us: u64,
        token: u64,
        parent: Option<u64>,
        at: Option<Span>,
    },
    /// A token ended (halted, or was killed).
    End { us: u64, token: u64 },
    /// A token's site call at `at` did not answer at once: it waits.
    Wait { us: u64, token: u64, at: Span },
    /// The token that waited has its answer and runs again.
    Resume { us: u64, token: u64 },
}

#[derive(Default)]
pub struct Trace {
    events: Vec<TraceEvent>,
    /// Each live token's number.
    numbers: HashMap<TokenRef, u64>,
    /// Tokens waiting on a call.
    waiting: HashSet<TokenRef>,
    started: u64,
    /// Events not kept past [`MAX_EVENTS`].
    pub dropped: u64,
}

impl Trace {
    fn push(&mut self, e: TraceEvent) {
        if self.events.len() < MAX_EVENTS {
            self.events.push(e);
        } else {
            self.dropped += 1;
        }
    }

    pub(crate) fn start(&mut self, us: u64, t: TokenRef, parent: TokenRef, at: Option<Span>) {
        self.started += 1;
        let token = self.started;
        self.numbers.insert(t, token);
        let parent = self.numbers.get(&parent).copied();
        self.push(TraceEvent::Start {
            us,
            token,
            parent,
            at,
        });
    }

    pub(crate) fn end(&mut self, us: u64, t: TokenRef) {
        self.waiting.remove(&t);
        if let Some(token) = self.numbers.remove(&t) {
            self.push(TraceEvent::End { us, token });
        }
    }

    pub(crate) fn wait(&mut self, us: u64, t: TokenRef, at: Span) {
        if let Some(&token) = self.numbers.get(&t) {
            self.waiting.insert(t);
            self.push(TraceEvent::Wait { us, token, at });
        }
    }

    /// Token `t` takes a turn: if it waited on a call, it resumes.
    #[inline]
    pub(crate) fn turn(&mut self, us: u64, t: TokenRef) {
        if self.waiting.remove(&t) {
            if let Some(&token) = self.numbers.get(&t) {
                self.push(TraceEvent::Resume { us, token });
            }
        }
    }

    /// The events so far.
    pub fn events(&self) -> &[TraceEvent] {
        &self.events
    }
}
