//! One run of a program: its tokens ([`super::token`]), groups and
//! halting counters ([`super::groups`]), and the scheduler that gives the
//! ready tokens their turns, fires timers and takes in completions.
//!
//! See ARCHITECTURE.md for the life of a token.

use super::act::ActRef;
use super::binder::{next_epoch, Binder, BinderRef, Target, Wake};
use super::program::Program;
use super::scopes::{Counter, CounterKind, Group, VClock};
use super::token::{is_active, Extras, Hot, Next, Place, Token, Wait};
use super::wheel::{TimerKey, TimerWheel};
use crate::diagnostics::Span;
use crate::value::biased::{Owner, Owning};
use crate::value::code::CodePtr;
use crate::value::env::{Future, FutureRef, Waiter};
use crate::value::site::{CallHandle, Completions, Members, Outcome};
use crate::value::slab::{Key, Slab};
use crate::value::Value;
use smallvec::SmallVec;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

pub(crate) use crate::value::handles::NO_TOKEN;
pub use crate::value::handles::{ClockRef, CounterRef, GroupRef, TokenRef};

/// Steps a token may take before it yields to others (fairness).
pub(crate) const FUEL_PER_TURN: u32 = 2_000;

/// Token turns between looks at the kill switch and the real clock while
/// tokens keep running.
const TURNS_BETWEEN_CLOCK_CHECKS: u32 = 64;

/// How long a run keeps its thread before it yields to other tasks of the
/// async runtime (and lets its host see publications) while tokens keep
/// running.
const TIME_SLICE: std::time::Duration = std::time::Duration::from_millis(10);

/// Why [`Run::section`] returned to [`Run::run`], which awaits it.
enum Pause {
    /// The run used its slice of the thread: other tasks go first.
    Slice,
    /// Nothing can run until a host call answers, the kill switch is
    /// thrown, or (if given) the program's clock reaches this time.
    Wait(Option<u64>),
}

/// What a run reports to its host.
pub trait Events: Send {
    /// A publication of the whole program.
    fn publish(&mut self, value: &Value);
    /// Program output (`Print`, `Println`).
    fn print(&mut self, text: &str);
    /// A runtime error; the token that raised it halted.
    fn error(&mut self, error: &RuntimeError);
    /// The program's clock (milliseconds since the run started; simulated
    /// under [`RunOptions::sim_time`]), told just before each of the
    /// events above. Ignored unless a host wants it.
    fn at(&mut self, _now_ms: u64) {}
    /// New events of the run's trace, when [`RunOptions::trace`] asks for
    /// one: told in order, each once, whenever the run pauses (every few
    /// milliseconds while it computes, and when it waits) and when it
    /// ends, so that a host can show them live. Ignored unless a host
    /// wants them; [`Run::trace`] has them all after the run.
    fn traced(&mut self, _events: &[super::trace::TraceEvent]) {}
}

/// An error raised while the program ran (a failed site call); the token
/// that raised it halted, the rest of the program goes on.
#[derive(Clone, Debug, PartialEq)]
pub struct RuntimeError {
    pub message: String,
    /// Where in the source: the call that failed.
    pub span: Option<Span>,
}

impl std::fmt::Display for RuntimeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RuntimeError {}

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunOutcome {
    /// Every token halted.
    Halted,
    /// Live tokens remain but nothing can ever wake them.
    Deadlock { live_tokens: usize },
    /// The time limit passed; the program was killed.
    TimeLimit,
    /// The token limit was exceeded; the program was killed.
    TokenLimit,
    /// A [`KillSwitch`] was thrown; the program was killed.
    Killed,
    /// The program published as many values as
    /// [`RunOptions::max_publications`] allows; the rest of it was killed.
    PublicationLimit,
    /// The program held more memory than [`RunOptions::memory_limit`]
    /// allows (or a built-in was refused an allocation that would have
    /// passed it); the program was killed.
    MemoryLimit,
    /// The program took more steps than [`RunOptions::max_steps`] allows;
    /// the program was killed.
    StepLimit,
    /// The program printed more than [`RunOptions::max_output`] allows;
    /// the program was killed (the output stops before the text that
    /// would have passed the limit).
    OutputLimit,
}

/// Limits and settings of one run. `RunOptions::default()` is real time
/// with no limits; see also the builder methods in [`crate::embed`]
/// (`RunOptions::new().simulated_time().time_limit(..)`).
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    /// Timers fire as soon as nothing else can run (no wall-clock waiting).
    pub sim_time: bool,
    /// Kill the program after this many milliseconds (of its own clock).
    pub time_limit_ms: Option<u64>,
    /// Kill the program when more than this many tokens are live.
    pub max_tokens: Option<usize>,
    /// Kill the rest of the program once it has published this many values
    /// ([`RunOutcome::PublicationLimit`]).
    pub max_publications: Option<usize>,
    /// Lets the host stop the run from outside (Ctrl-C, a closed pipe).
    pub kill: Option<KillSwitch>,
    /// Kill the program when it holds more than this many bytes
    /// ([`RunOutcome::MemoryLimit`]). Needs [`crate::MemoryAccounting`] as
    /// the global allocator; see [`RunOptions::memory_limit`].
    pub memory_limit: Option<u64>,
    /// Kill the program after about this many steps (fuel):
    /// [`RunOutcome::StepLimit`].
    pub max_steps: Option<u64>,
    /// Kill the program when its output (`Print`, `Println`) would pass
    /// this many bytes: [`RunOutcome::OutputLimit`].
    pub max_output: Option<u64>,
    /// Record a trace of the run's tokens and waits ([`Run::trace`]).
    pub trace: bool,
}

/// Stops a run from another thread, a signal handler or an [`Events`]
/// callback: [`KillSwitch::kill`] makes the run kill all its tokens and
/// return [`RunOutcome::Killed`]. Pass a clone in [`RunOptions::kill`].
/// A thrown switch stays thrown: use a fresh one for each run.
#[derive(Clone, Debug, Default)]
pub struct KillSwitch(Arc<KillState>);

#[derive(Debug, Default)]
struct KillState {
    thrown: AtomicBool,
    /// Wakes a run that is waiting for timers or completions.
    wake: tokio::sync::Notify,
}

impl KillSwitch {
    /// A switch not thrown yet.
    pub fn new() -> KillSwitch {
        KillSwitch::default()
    }

    /// Throws the switch: the run stops as soon as it notices (at once if
    /// it is waiting, within a few steps if it is busy).
    pub fn kill(&self) {
        self.0.thrown.store(true, Ordering::Release);
        // `notify_one` keeps a permit if the run is not waiting yet.
        self.0.wake.notify_one();
    }

    /// Whether the switch was thrown.
    pub fn is_killed(&self) -> bool {
        self.0.thrown.load(Ordering::Acquire)
    }
}

/// The state of one program run.
pub struct Run {
    pub(crate) tokens: Slab<Token>,
    /// The [`Extras`] of tokens, by slab index: only as long as the
    /// highest index of a token that has any.
    extras: Vec<Extras>,
    pub(crate) groups: Slab<Group>,
    pub(crate) counters: Slab<Counter>,
    /// The program: it owns the code of its top level and, through its
    /// nodes, of every definition it declares (only held, never read).
    _program: Arc<Program>,
    /// The program's [`Members`], at hand.
    pub(crate) members: Members,
    /// The token having its turn (its hot part is out of the table), and
    /// whether it halted or was killed during the turn.
    pub(crate) running: TokenRef,
    pub(crate) running_gone: bool,
    pub(crate) ready: VecDeque<TokenRef>,
    pub(crate) wheel: TimerWheel<Wake>,
    /// Pruned calls' answers held by timers, with no token (see
    /// [`super::binder`]).
    pub(crate) binders: Slab<Binder>,
    /// The binders of each group but the root, by group index, with their
    /// timers: what killing the group kills.
    pub(crate) group_binders:
        std::collections::HashMap<u32, SmallVec<[(BinderRef, super::wheel::TimerKey); 1]>>,
    pub(crate) completions: Arc<Completions>,
    /// Async tasks under way: they can wake the run from outside.
    pub(crate) external_pending: usize,
    pub(crate) events: Box<dyn Events>,
    pub(crate) options: RunOptions,
    pub(crate) clock: super::clock::Clock,
    pub(crate) vclocks: Slab<VClock>,
    /// Virtual clocks whose scope may have become quiescent.
    pub(crate) quiescent: Vec<ClockRef>,
    pub(crate) root_group: GroupRef,
    /// The counter whose reaching zero ends the run.
    pub(crate) root_counter: CounterRef,
    /// Light frames on the running token's stack (see [`super::light`]).
    pub(crate) lights: u32,
    /// The running token halted with light frames: its step is over, and
    /// its continuation is unwound to the nearest ([`Run::unwind`]).
    pub(crate) unwinding: bool,
    /// [`super::token::Extras::eager_left`] of the running token.
    pub(crate) eager_left: bool,
    /// Room for the bindings of a pattern match, kept between matches.
    pub(crate) match_scratch: Vec<crate::value::env::Binding>,
    /// Spare registers for register code run in place, lent to each run
    /// of it (see `inplace`). Boxed: a set is taken out and put back at
    /// every run, a pointer rather than 768 bytes moved.
    #[allow(clippy::vec_box)]
    pub(crate) flat_registers: Vec<Box<crate::value::flat::Registers>>,
    pub(crate) finished: bool,
    /// Why the run must stop, once something says so.
    pub(crate) limit_hit: Option<RunOutcome>,
    /// What the run holds ([`super::memory`]).
    pub(crate) account: Arc<super::memory::Account>,
    /// When the time limit passes on the wall clock (also under simulated
    /// time, where it bounds a program that never waits).
    wall_deadline: Option<std::time::Instant>,
    /// What sites keep for the length of the run (see
    /// [`crate::value::site::RunLocal`]).
    pub(crate) locals: crate::value::site::RunLocal,
    /// The trace, when [`RunOptions::trace`] asks for one.
    pub(crate) trace: Option<Box<super::trace::Trace>>,
    /// How many of the trace's events [`Events::traced`] has been told.
    trace_told: usize,
    /// Steps taken so far (token steps, counted at the end of each turn).
    pub(crate) steps: u64,
    /// Bytes of output so far.
    output_bytes: u64,
    /// When the run's current slice of the thread began, and whether it
    /// is used up: then the run yields to the other tasks of its async
    /// runtime.
    slice_started: std::time::Instant,
    slice_over: bool,
    /// The running token's turn ends at its next step (its slice is used
    /// up, or it allocated a megabyte since the last look): other tokens
    /// and due timers go first, so a loop of big built-ins does not hold
    /// them up for a whole turn's fuel.
    pub(crate) end_turn: bool,
    /// Publications of the whole program so far.
    publications: usize,
    /// Tokens started so far (for tests: functional code runs in the
    /// token that calls it).
    pub(crate) tokens_started: u64,
    /// Room for the completions [`Run::process_completions`] takes at once.
    completed: std::collections::VecDeque<(TokenRef, u32, crate::value::site::Outcome)>,
    /// Which nodes are immediate expressions, as seen lately.
    pub(crate) shapes: super::shapes::ShapeCache,
    /// The counters that `site` declarations hold, by the group they were
    /// declared in (see [`Group::holds_sites`]).
    pub(crate) site_holds: std::collections::HashMap<GroupRef, Vec<CounterRef>>,
    /// Timers fired by the last advance of the wheel (kept for reuse).
    fired: Vec<Wake>,
    /// Handles of calls this run completed itself, for later calls to
    /// reuse once nothing else holds them (see [`CallHandle::renew`]).
    pub(crate) spare_handles: Vec<CallHandle>,
    /// The containers that may close a cycle, and the cycle collector
    /// ([`crate::value::cycles`]). Dropped after every other part of the
    /// run (only the ownership marks below come later), it collects once
    /// more when nothing but the host holds the run's values.
    pub(crate) cycles: crate::value::cycles::Registry,
    /// Marks the thread dropping the run as executing it while its parts
    /// drop (set by `drop`, so that they drop as the owner's).
    owning_while_dropped: Option<Owning>,
    /// What the run's allocations are counted as owned by
    /// ([`crate::value::biased`]): dropped last, when nothing of the run
    /// is left to drop as the owner.
    owner: Owner,
}

/// Spare call handles a run keeps at most.
const SPARE_HANDLES: usize = 64;

impl Run {
    pub fn new(program: Arc<Program>, events: Box<dyn Events>, options: RunOptions) -> Run {
        let mut groups = Slab::default();
        let root_group = groups.insert(Group {
            parent: super::scopes::NO_PARENT,
            alive: true,
            tokens: SmallVec::new(),
            children: SmallVec::new(),
            child_pos: 0,
            pins: 0,
            holds_sites: false,
        });
        let mut counters = Slab::default();
        let root_counter = counters.insert(Counter {
            parent: None,
            count: 0,
            kind: CounterKind::Root,
        });
        let clock = super::clock::Clock::new(options.sim_time);
        let tracing = options.trace;
        // No publication allowed at all: stop before the first step.
        let mut limit_hit =
            (options.max_publications == Some(0)).then_some(RunOutcome::PublicationLimit);
        let accounting_missing = options.memory_limit.is_some() && !super::memory::installed();
        if accounting_missing {
            limit_hit = Some(RunOutcome::MemoryLimit);
        }
        let account = super::memory::Account::new(options.memory_limit);
        let wall_deadline = options
            .time_limit_ms
            .map(|ms| std::time::Instant::now() + std::time::Duration::from_millis(ms));
        let root = Hot {
            next: Next::Eval(CodePtr::new(&program.code)),
            act: Some(ActRef::new(program.frame_size)),
            ..Hot::empty()
        };
        let mut run = Run {
            tokens: Slab::default(),
            extras: Vec::new(),
            groups,
            counters,
            members: program.members,
            _program: program,
            running: NO_TOKEN,
            running_gone: false,
            ready: VecDeque::new(),
            wheel: TimerWheel::new(),
            binders: Slab::default(),
            group_binders: Default::default(),
            completions: Arc::new(Completions::default()),
            external_pending: 0,
            events,
            options,
            clock,
            vclocks: Slab::default(),
            quiescent: Vec::new(),
            root_group,
            root_counter,
            lights: 0,
            unwinding: false,
            eager_left: false,
            match_scratch: Vec::new(),
            flat_registers: Vec::new(),
            finished: false,
            limit_hit,
            account,
            wall_deadline,
            locals: Default::default(),
            trace: tracing.then(Default::default),
            trace_told: 0,
            steps: 0,
            output_bytes: 0,
            slice_started: std::time::Instant::now(),
            slice_over: false,
            end_turn: false,
            publications: 0,
            tokens_started: 0,
            completed: Default::default(),
            shapes: Default::default(),
            site_holds: Default::default(),
            fired: Vec::new(),
            spare_handles: Vec::new(),
            cycles: Default::default(),
            owning_while_dropped: None,
            owner: Owner::new(),
        };
        let t = run.spawn(
            root,
            Place {
                group: root_group,
                counter: root_counter,
                clock: None,
            },
        );
        run.ready.push_back(t);
        if accounting_missing {
            run.report(
                "a memory limit needs `orc::MemoryAccounting` as the global allocator; \
                 the program was not run"
                    .to_string(),
                None,
            );
        }
        run
    }

    /// Whether the running token's turn ends at this step, before its
    /// fuel runs out (`end_turn`). Not while it has light frames: cutting
    /// those short has been seen to make every later light call of the
    /// token real (a token per call, held to the end of the run); they
    /// end their turns by fuel, as before.
    #[inline(always)]
    pub(crate) fn cut_turn(&self) -> bool {
        self.end_turn && self.lights == 0
    }

    /// Bytes the run holds now, as [`crate::MemoryAccounting`] counts
    /// them (0 without it).
    pub fn memory_used(&self) -> u64 {
        self.account.used()
    }

    /// The most bytes the run has held at once (0 without
    /// [`crate::MemoryAccounting`]).
    pub fn peak_memory(&self) -> u64 {
        self.account.peak()
    }

    /// Program output, counted against the output limit: text that would
    /// pass it is not written, and the run stops.
    pub(crate) fn print(&mut self, text: &str) {
        if self.limit_hit.is_some() {
            return;
        }
        self.output_bytes += text.len() as u64;
        if self
            .options
            .max_output
            .is_some_and(|max| self.output_bytes > max)
        {
            self.limit_hit = Some(RunOutcome::OutputLimit);
            return;
        }
        self.events.at(self.clock.now_ms());
        self.events.print(text);
    }

    /// Live tokens (for tests and leak checks).
    pub fn live_tokens(&self) -> usize {
        self.tokens.len()
    }

    /// Tokens started so far, the first one included (for tests).
    pub fn tokens_started(&self) -> u64 {
        self.tokens_started
    }

    /// Pending timer-wheel entries (for tests and leak checks).
    pub fn pending_timers(&self) -> usize {
        self.wheel.len()
    }

    /// Runs the cycle collector now ([`crate::value::cycles`]): frees the
    /// values the run wrote into containers that reach themselves and
    /// that nothing else reaches. Returns how many nodes (containers and
    /// the shared values between them) were garbage.
    pub fn collect_cycles(&mut self) -> usize {
        self.cycles.collect()
    }

    /// What the cycle collector has done so far in this run.
    pub fn cycle_stats(&self) -> crate::value::cycles::CycleStats {
        self.cycles.stats()
    }

    /// Turns the cycle collector off (or on again): cycles are then
    /// never freed, neither during the run nor at its end (for tests
    /// and measurements).
    pub fn set_collect_cycles(&mut self, on: bool) {
        self.cycles.set_enabled(on);
    }

    pub fn now_ms(&self) -> u64 {
        self.clock.now_ms()
    }

    /// The run's trace, if [`RunOptions::trace`] asked for one.
    pub fn trace(&self) -> Option<&super::trace::Trace> {
        self.trace.as_deref()
    }

    /// Where the live tokens wait (the places of the calls or the code
    /// they stopped at), each place with its number of tokens, in source
    /// order: what a deadlock note names. Tokens at code with no place of
    /// its own are not counted.
    pub fn waiting_places(&self) -> Vec<(Span, usize)> {
        let mut counts: std::collections::HashMap<Span, usize> = Default::default();
        for tok in self.tokens.keys().filter_map(|k| self.tokens.get(k)) {
            let span = match &tok.hot.next {
                Next::Eval(n) | Next::Resume(n) => n.get().span(),
                Next::Parked(span) => Some(*span),
                _ => None,
            };
            if let Some(span) = span {
                *counts.entry(span).or_default() += 1;
            }
        }
        let mut places: Vec<(Span, usize)> = counts.into_iter().collect();
        places.sort_by_key(|(s, _)| (s.source.0, s.start));
        places
    }

    pub(crate) fn report(&mut self, message: String, span: Option<Span>) {
        if self.account.attention() {
            // (A refused allocation: nothing more is published.)
            self.look_now();
        }
        self.events.at(self.clock.now_ms());
        self.events.error(&RuntimeError { message, span });
    }

    /// A publication of the whole program: to the host, and counted
    /// against the publication limit.
    pub(crate) fn publish_result(&mut self, v: &Value) {
        if self.account.attention() {
            self.look_now();
        }
        if self.limit_hit.is_some() {
            // The run is stopping: the rest of the program is killed.
            return;
        }
        self.events.at(self.clock.now_ms());
        self.events.publish(v);
        self.publications += 1;
        if let Some(max) = self.options.max_publications {
            if self.publications >= max && self.limit_hit.is_none() {
                self.limit_hit = Some(RunOutcome::PublicationLimit);
            }
        }
    }

    // ----- tokens -------------------------------------------------------

    /// A new token running `hot` at `place`.
    pub(crate) fn spawn(&mut self, hot: Hot, place: Place) -> TokenRef {
        let Place {
            group,
            counter,
            clock,
        } = place;
        self.tokens_started += 1;
        let at = match (&self.trace, &hot.next) {
            (Some(_), Next::Eval(node)) => node.get().span(),
            _ => None,
        };
        let t = self.tokens.insert(Token {
            hot,
            group: group.index,
            counter: counter.index,
            wait: Wait::None,
            epoch: 0,
            group_pos: 0,
        });
        if let Some(c) = clock {
            self.clock_join(c, true);
            self.extras_mut(t).clock = Some(c);
        }
        if let Some(trace) = self.trace.as_mut() {
            trace.start(self.clock.read().0, t, self.running, at);
        }
        self.join_group(t, group);
        if let Some(c) = self.counters.get_mut(counter) {
            c.count += 1;
        }
        if let Some(max) = self.options.max_tokens {
            if self.tokens.len() > max && self.limit_hit.is_none() {
                self.limit_hit = Some(RunOutcome::TokenLimit);
            }
        }
        t
    }

    /// Where token `t` runs (its group, counter and clock).
    pub(crate) fn place_of(&self, t: TokenRef) -> Option<Place> {
        let tok = self.tokens.get(t)?;
        Some(Place {
            group: self.group_key(tok.group),
            counter: self.counter_key(tok.counter),
            clock: self.clock_of(t),
        })
    }

    /// The virtual clock of live token `t` (see [`Extras::clock`]).
    #[inline]
    pub(crate) fn clock_of(&self, t: TokenRef) -> Option<ClockRef> {
        // A clock lasts while a token is in its scope: with none, no token
        // has one (the common case, decided without the lookup).
        if self.vclocks.is_empty() {
            return None;
        }
        self.extras.get(t.index as usize).and_then(|e| e.clock)
    }

    /// The extras of live token `t`, made room for.
    pub(crate) fn extras_mut(&mut self, t: TokenRef) -> &mut Extras {
        let i = t.index as usize;
        if i >= self.extras.len() {
            self.extras.resize_with(i + 1, Extras::default);
        }
        &mut self.extras[i]
    }

    /// Takes the future token `t` binds, if any (see [`Extras::binds`]).
    pub(crate) fn take_binds(&mut self, t: TokenRef) -> Option<FutureRef> {
        // (A token killed in its own turn may have left its index to a
        // new one: only a live token's extras are its own.)
        self.tokens.get(t)?;
        self.extras.get_mut(t.index as usize)?.binds.take()
    }

    /// The key of a token's group, from the index it keeps (see
    /// [`Token::group`]).
    #[inline]
    pub(crate) fn group_key(&self, index: u32) -> GroupRef {
        self.groups.key_at(index).unwrap_or(Key::NONE)
    }

    /// The key of a token's counter, from the index it keeps.
    #[inline]
    pub(crate) fn counter_key(&self, index: u32) -> CounterRef {
        self.counters.key_at(index).unwrap_or(Key::NONE)
    }

    /// The token halts (or is killed): it leaves its group and counter and
    /// whatever it waited on is cancelled.
    pub(crate) fn remove_token(&mut self, t: TokenRef) {
        let Some(tok) = self.tokens.remove(t) else {
            return;
        };
        if let Some(trace) = self.trace.as_mut() {
            trace.end(self.clock.read().0, t);
        }
        if t == self.running {
            // Its hot part is dropped when its step returns.
            self.running_gone = true;
        }
        let extras = match self.extras.get_mut(t.index as usize) {
            Some(e) => std::mem::take(e),
            None => Extras::default(),
        };
        if let Some(c) = extras.clock {
            self.clock_leave(c, is_active(&tok.wait));
        }
        match tok.wait {
            Wait::Timer(key) | Wait::Race(key) | Wait::RaceWoken(key) => {
                self.wheel.cancel(key);
            }
            Wait::Handle(h) => h.cancel(),
            Wait::Task(abort) => {
                abort.abort();
                self.external_pending -= 1;
            }
            Wait::None | Wait::Futures | Wait::RaceFired => {}
        }
        if let Some(future) = &extras.binds {
            // The call halted or was killed before answering (a future
            // already bound stays bound).
            self.resolve_future(future, None);
        }
        let (group, counter) = (self.group_key(tok.group), self.counter_key(tok.counter));
        self.leave_group(group, tok.group_pos);
        self.decrement(counter);
    }

    /// Changes what a token waits on, keeping its virtual clock's count of
    /// active (non-quiescent) tokens right.
    /// Returns what it waited on.
    pub(crate) fn set_wait(&mut self, t: TokenRef, wait: Wait) -> Wait {
        let Some(tok) = self.tokens.get_mut(t) else {
            return Wait::None;
        };
        let (was, now) = (is_active(&tok.wait), is_active(&wait));
        let old = std::mem::replace(&mut tok.wait, wait);
        if was != now {
            if let Some(c) = self.clock_of(t) {
                self.clock_set_active(c, now);
            }
        }
        old
    }

    pub(crate) fn halt(&mut self, t: TokenRef) {
        if t == self.running && self.lights > 0 {
            // Caught by a light frame once the step returns.
            self.unwinding = true;
            return;
        }
        self.remove_token(t);
    }

    /// Registers the running token `t` as waiting on every pending future
    /// in `futures`; it runs `code` again when any of them resolves.
    pub(crate) fn block_on(
        &mut self,
        t: TokenRef,
        h: &mut Hot,
        code: CodePtr,
        futures: &[FutureRef],
    ) {
        let Some(tok) = self.tokens.get_mut(t) else {
            return;
        };
        tok.epoch = next_epoch(tok.epoch);
        h.next = Next::Eval(code);
        let w = Waiter {
            token: t,
            epoch: tok.epoch,
        };
        self.set_wait(t, Wait::Futures);
        for f in futures {
            f.add_waiter(w);
        }
    }

    pub(crate) fn wake(&mut self, waiters: crate::value::env::Waiters) {
        for w in waiters {
            if let Some(tok) = self.tokens.get(w.token) {
                if tok.epoch != w.epoch {
                    continue;
                }
                match tok.wait {
                    Wait::Futures => self.set_wait(w.token, Wait::None),
                    // A race's timer stays set while its token tries again.
                    Wait::Race(key) => self.set_wait(w.token, Wait::RaceWoken(key)),
                    _ => continue,
                };
                self.ready.push_back(w.token);
            }
        }
    }

    /// Binds (`Some`) or halts (`None`) a future and wakes its readers.
    pub(crate) fn resolve_future(&mut self, future: &Future, value: Option<Value>) {
        let waiters = future.resolve(value);
        self.wake(waiters);
    }

    // ----- the scheduler ------------------------------------------------

    pub(crate) fn process_completions(&mut self) {
        // The batch's room is kept from one call to the next.
        let mut batch = std::mem::take(&mut self.completed);
        self.completions.drain_into(&mut batch);
        if batch.is_empty() {
            self.completed = batch;
            return;
        }
        for (t, epoch, outcome) in batch.drain(..) {
            self.deliver(t, epoch, outcome);
        }
        self.completed = batch;
    }

    /// The call token `t` made in its wait `epoch` ended with `outcome`
    /// (nothing, if the token has gone or waits on something else now).
    pub(crate) fn deliver(&mut self, t: TokenRef, epoch: u32, outcome: Outcome) {
        let in_clock = self.clock_of(t).is_some();
        let Some(tok) = self.tokens.get_mut(t) else {
            return;
        };
        if tok.epoch != epoch {
            return;
        }
        // The common case (a channel's answer) with the token at hand: a
        // publication, out of any clock's scope (nothing to count as the
        // token wakes).
        let fast = matches!(tok.wait, Wait::Handle(_)) && !in_clock;
        let outcome = match outcome {
            Outcome::Publish(v) if fast => {
                let old = std::mem::replace(&mut tok.wait, Wait::None);
                super::operands::answer(&mut tok.hot, v);
                self.ready.push_back(t);
                self.keep_handle(old);
                return;
            }
            other => other,
        };
        match tok.wait {
            Wait::Task(_) => self.external_pending -= 1,
            Wait::Handle(_) => {}
            _ => return,
        }
        let old = self.set_wait(t, Wait::None);
        self.keep_handle(old);
        self.complete_call(t, outcome);
    }

    /// A finished wait's call handle, kept for the next deferred call
    /// (up to [`SPARE_HANDLES`] of them).
    #[inline(always)]
    fn keep_handle(&mut self, old: Wait) {
        if let Wait::Handle(h) = old {
            if self.spare_handles.len() < SPARE_HANDLES {
                self.spare_handles.push(h);
            }
        }
    }

    /// A timer that wakes `wake` once `ms` have passed from now.
    ///
    /// In real time the wait counts from the next clock reading
    /// ([`Run::fire_timers`], at most a few turns away) instead of
    /// one taken now: a program that starts many timers reads the clock
    /// once per batch of them, not once each. The wait starts at or after
    /// the call, so it never ends early.
    pub(crate) fn start_timer(&mut self, ms: u64, wake: Wake) -> TimerKey {
        if self.clock.is_simulated() {
            let deadline = self.clock.deadline_after(ms);
            self.wheel.insert(deadline, wake)
        } else {
            self.wheel
                .insert_deferred(ms.saturating_mul(super::clock::TICKS_PER_MS), wake)
        }
    }

    /// Reads the clock and fires the timers due (see [`Run::fire_timers`]).
    fn fire_due_timers(&mut self) {
        let (now, up) = self.clock.read();
        self.fire_timers(now, up);
    }

    /// Fires the timers due at `now` (ticks, rounded down) once the timers
    /// started since the last clock reading count from `up` (the same
    /// reading, rounded up; see [`Clock::read`]).
    ///
    /// [`Clock::read`]: super::clock::Clock::read
    fn fire_timers(&mut self, now: u64, up: u64) {
        if self.wheel.has_deferred() {
            self.wheel
                .place_deferred_on(up, super::clock::coalescing_grid);
        }
        // The vector is kept from one call to the next.
        let mut fired = std::mem::take(&mut self.fired);
        self.wheel.advance(now, |_, entry| fired.push(entry));
        let mut binders = 0;
        for wake in &fired {
            let Target::Token(t, epoch) = wake.target() else {
                binders += 1;
                continue;
            };
            let in_clock = self.clock_of(t).is_some();
            if let Some(tok) = self.tokens.get_mut(t) {
                if tok.epoch != epoch {
                    continue;
                }
                match tok.wait {
                    Wait::Timer(_) => super::operands::answer(&mut tok.hot, Value::Signal),
                    Wait::Race(_) => super::operands::timer_won(&mut tok.hot),
                    Wait::RaceWoken(_) => {
                        // Already queued, by one of the race's futures.
                        self.set_wait(t, Wait::RaceFired);
                        continue;
                    }
                    _ => continue,
                }
                if in_clock {
                    self.set_wait(t, Wait::None);
                } else {
                    // Nothing counts the token as it wakes: just recorded.
                    tok.wait = Wait::None;
                }
                self.ready.push_back(t);
            }
        }
        if binders > 0 {
            // After the tokens that fired with them, as the binders'
            // tokens would have had their turns after those tokens.
            for wake in &fired {
                if let Target::Binder(b) = wake.target() {
                    self.fire_binder(b);
                }
            }
        }
        fired.clear();
        self.fired = fired;
    }

    /// A binder's timer fired: its call answered with a signal.
    fn fire_binder(&mut self, b: BinderRef) {
        if let Some(binder) = self.binders.remove(b) {
            if binder.group != self.root_group.index {
                if let Some(list) = self.group_binders.get_mut(&binder.group) {
                    list.retain(|(x, _)| *x != b);
                    if list.is_empty() {
                        self.group_binders.remove(&binder.group);
                    }
                }
            }
            self.end_binder(binder, Some(Value::Signal));
        }
    }

    /// A binder answers (`Some`) or is killed (`None`): its future is
    /// bound or halted, its count released, its group unpinned.
    pub(crate) fn end_binder(&mut self, binder: Binder, value: Option<Value>) {
        self.resolve_future(&binder.future, value);
        let counter = self.counter_key(binder.counter);
        self.decrement(counter);
        if binder.group != self.root_group.index {
            let group = self.group_key(binder.group);
            if let Some(g) = self.groups.get_mut(group) {
                g.pins -= 1;
            }
            self.maybe_free_group(group);
        }
    }

    /// [`Run::look`] where a token is running: its turn ends too.
    #[cold]
    #[inline(never)]
    pub(crate) fn look_now(&mut self) {
        self.look();
        self.end_turn = true;
    }

    /// Records whether the run must stop, and why: the one place that
    /// decides it for the limits that are not seen as they are passed (a
    /// thrown kill switch, memory, steps, the time limit on the program's
    /// clock or on the wall clock). Looked at every few turns, after a turn
    /// in which the allocator asked ([`super::memory`]), and when it has
    /// asked, before a site call, an error's report and a publication of
    /// the program, so that a busy program stops within milliseconds
    /// wherever it is.
    pub(crate) fn look(&mut self) {
        self.account.looked();
        let now = std::time::Instant::now();
        if now.duration_since(self.slice_started) >= TIME_SLICE {
            self.slice_over = true;
            self.end_turn = true;
        }
        if self.limit_hit.is_some() {
            return;
        }
        self.limit_hit = if self
            .options
            .kill
            .as_ref()
            .is_some_and(KillSwitch::is_killed)
        {
            Some(RunOutcome::Killed)
        } else if self.account.over_limit() {
            Some(RunOutcome::MemoryLimit)
        } else if self.options.max_steps.is_some_and(|max| self.steps > max) {
            Some(RunOutcome::StepLimit)
        } else if self
            .options
            .time_limit_ms
            .is_some_and(|limit| self.clock.now_ms() >= limit)
            || self.wall_deadline.is_some_and(|d| now >= d)
        {
            Some(RunOutcome::TimeLimit)
        } else {
            None
        };
    }

    /// Runs every token that can run, without waiting for time to pass.
    /// Returns `true` when it stopped early because its time slice is used
    /// up (tokens are still ready): the caller should yield to other tasks.
    fn run_ready(&mut self) -> bool {
        self.slice_started = std::time::Instant::now();
        self.slice_over = false;
        let mut turns = 0u32;
        loop {
            loop {
                // Forks go to the front (depth first, in program order);
                // every so often the oldest ready token gets its turn, so a
                // token that keeps forking cannot starve the others.
                let next = if turns % TURNS_BETWEEN_CLOCK_CHECKS == TURNS_BETWEEN_CLOCK_CHECKS - 1 {
                    self.ready.pop_back()
                } else {
                    self.ready.pop_front()
                };
                let Some(t) = next else { break };
                self.end_turn = false;
                self.run_token(t);
                if self.cycles.due() {
                    // Between turns: no value is borrowed.
                    self.cycles.collect();
                }
                turns = turns.wrapping_add(1);
                // Every few turns, and after a turn that allocated a
                // megabyte (whose site calls looked already) or was cut.
                let due = turns.is_multiple_of(TURNS_BETWEEN_CLOCK_CHECKS)
                    || self.end_turn
                    || self.account.attention();
                if due {
                    // Busy tokens must not outrun a kill or a limit.
                    self.look();
                }
                if self.limit_hit.is_some() {
                    return false;
                }
                if due && !self.clock.is_simulated() {
                    // Nor starve timers.
                    self.fire_due_timers();
                    self.process_completions();
                }
                if self.slice_over {
                    return true;
                }
            }
            self.process_completions();
            if self.ready.is_empty() {
                self.advance_quiescent_clocks();
            }
            if self.ready.is_empty() {
                return false;
            }
        }
    }

    fn kill_all(&mut self) {
        let root = self.root_group;
        self.kill_group(root);
    }

    /// Runs the program until it halts, deadlocks or hits a limit.
    ///
    /// The future is `Send`; it yields to other tasks every few
    /// milliseconds while tokens keep running, so a busy program does not
    /// hold up the async runtime it runs on.
    pub async fn run(&mut self) -> RunOutcome {
        let mut sleeper = super::clock::Sleeper::default();
        loop {
            let pause = {
                // Allocations are charged to this run until the next await,
                // and what it allocates is its own (counted without atomic
                // operations here); references other threads handed back
                // are dropped first.
                let _charging = super::memory::Charging::new(&self.account);
                let _owning = self.owner.enter();
                self.owner.drain();
                let section = self.section();
                self.tell_trace();
                match section {
                    Ok(pause) => pause,
                    Err(outcome) => return outcome,
                }
            };
            let wake = match pause {
                Pause::Slice => {
                    tokio::task::yield_now().await;
                    continue;
                }
                Pause::Wait(wake) => wake,
            };
            let completions = self.completions.clone();
            let kill = self.options.kill.clone();
            let killed = async move {
                match kill {
                    Some(k) => k.0.wake.notified().await,
                    None => std::future::pending().await,
                }
            };
            match wake {
                Some(d) => {
                    let sleep = sleeper.until(self.clock.instant(d));
                    tokio::select! {
                        _ = completions.notify.notified() => {}
                        _ = sleep => {}
                        _ = killed => {}
                    }
                }
                None => tokio::select! {
                    _ = completions.notify.notified() => {}
                    _ = killed => {}
                },
            }
        }
    }

    /// Tells the host the trace's events it has not been told yet.
    fn tell_trace(&mut self) {
        if let Some(trace) = &self.trace {
            let events = trace.events();
            if events.len() > self.trace_told {
                self.events.traced(&events[self.trace_told..]);
                self.trace_told = events.len();
            }
        }
    }

    /// Runs the program until it must wait (for time to pass, for host
    /// calls to answer, or for its slice of the thread to end) or is over.
    fn section(&mut self) -> Result<Pause, RunOutcome> {
        loop {
            let sliced = self.run_ready();
            self.look();
            if let Some(outcome) = self.limit_hit {
                self.kill_all();
                return Err(outcome);
            }
            if self.finished {
                return Err(RunOutcome::Halted);
            }
            let (now, up) = self.clock.read();
            self.fire_timers(now, up);
            if !self.ready.is_empty() {
                if sliced {
                    return Ok(Pause::Slice);
                }
                continue;
            }
            if self.tokens.is_empty() && self.binders.is_empty() && self.external_pending == 0 {
                // Only `site` declarations keep scopes open: nothing can
                // ever run again, so the program is over.
                return Err(RunOutcome::Halted);
            }
            let timer = self.wheel.next_deadline();
            if timer.is_none() && self.external_pending == 0 {
                // Nothing can wake any live token: a deadlock (checked
                // before the time limit, which would only end it later).
                self.process_completions();
                if self.ready.is_empty() {
                    return Err(RunOutcome::Deadlock {
                        live_tokens: self.tokens.len(),
                    });
                }
                continue;
            }
            let limit = self
                .options
                .time_limit_ms
                .map(|ms| ms.saturating_mul(super::clock::TICKS_PER_MS));
            let next = match (timer, limit) {
                (Some(d), Some(limit)) => Some(d.min(limit)),
                (Some(d), None) => Some(d),
                (None, limit) => limit,
            };
            if self.clock.is_simulated() {
                if self.external_pending == 0 {
                    if let Some(d) = next {
                        self.clock.advance_to(d);
                    }
                    continue;
                }
                return Ok(Pause::Wait(None));
            }
            // With other timers pending, parking a little past the
            // deadline lets those due within that slack fire in the same
            // wake-up (see `COALESCE_TICKS`).
            let slack = if self.wheel.len() > 1 {
                super::clock::COALESCE_TICKS
            } else {
                0
            };
            return Ok(Pause::Wait(next.map(|d| d.saturating_add(slack))));
        }
    }

    /// Runs the program on a fresh single-threaded tokio runtime, blocking
    /// the calling thread until it ends. Called from inside an async
    /// runtime (where a nested runtime may not block the thread), the run
    /// goes to a helper thread while the caller waits.
    pub fn run_blocking(&mut self) -> RunOutcome {
        let rt = match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            Ok(rt) => rt,
            Err(e) => {
                self.report(format!("cannot start the runtime: {e}"), None);
                return RunOutcome::Halted;
            }
        };
        let outcome = block_on_anywhere(&rt, self.run());
        // Not a plain drop, which tokio forbids inside an async runtime.
        rt.shutdown_background();
        outcome
    }
}

/// `rt.block_on(fut)`, also from inside another async runtime, where
/// tokio forbids it on the runtime's own thread: there a helper thread
/// blocks instead, and the caller waits for it. (Shut such a runtime down
/// with `shutdown_background`, which may also be called anywhere.)
pub fn block_on_anywhere<F>(rt: &tokio::runtime::Runtime, fut: F) -> F::Output
where
    F: std::future::Future + Send,
    F::Output: Send,
{
    if tokio::runtime::Handle::try_current().is_err() {
        return rt.block_on(fut);
    }
    std::thread::scope(|s| {
        s.spawn(|| rt.block_on(fut))
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

impl Drop for Run {
    /// A run dropped before it ended (its host gave up on it) kills its
    /// tokens, so that their host calls are cancelled: async tasks are
    /// aborted (dropping the host's futures) and call handles report
    /// cancellation.
    fn drop(&mut self) {
        // (Until `owner`, the last field, drops.)
        self.owning_while_dropped = Some(self.owner.enter());
        if !self.tokens.is_empty() || !self.binders.is_empty() {
            self.kill_all();
        }
        self.tokens.forget_free_entries();
    }
}

#[cfg(test)]
mod tests {
    //! Whole runs through the parts of the runtime that manage memory by
    //! hand (activation records, frames, futures, code pointers), small
    //! enough to run under Miri: `cargo +nightly miri test --lib runtime::engine`.

    use crate::{Engine, Events, RunOptions, RunOutcome, RuntimeError, Value};
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Log(Arc<Mutex<Vec<String>>>);

    impl Events for Log {
        fn publish(&mut self, value: &Value) {
            self.0.lock().unwrap().push(value.to_string());
        }
        fn print(&mut self, text: &str) {
            self.0.lock().unwrap().push(text.to_string());
        }
        fn error(&mut self, error: &RuntimeError) {
            self.0
                .lock()
                .unwrap()
                .push(format!("Error: {}", error.message));
        }
    }

    fn outputs(src: &str) -> Vec<String> {
        let engine = Engine::without_prelude();
        let program = engine.compile("t.orc", src).expect("compiles");
        let log = Log::default();
        let mut run = engine.start(
            &program,
            Box::new(log.clone()),
            RunOptions::new().simulated_time(),
        );
        assert_eq!(run.run_blocking(), RunOutcome::Halted);
        assert_eq!((run.live_tokens(), run.pending_timers()), (0, 0));
        let mut lines = log.0.lock().unwrap().clone();
        lines.sort();
        lines
    }

    #[test]
    fn records_frames_and_futures_come_and_go() {
        // Forks sharing a record (copied on write), readers (the right of
        // a pruning, of `;`), return frames, a trim killing a waiting
        // token, futures bound and halted, closures capturing futures,
        // timers binding pruned futures (binders).
        let out = outputs(
            r#"
            def twice(x) = x | x
            def sum(n, acc) = if n = 0 then acc else sum(n - 1, acc + n)
            def later(x) = Rwait(5) >> x
            val f = later(3) #
            (twice(1) >a> a + 1)
            | sum(10, 0)
            | (y <y< (later(7) | later(8)))
            | {| Rwait(1) >> "first" | Rwait(2) >> "second" |}
            | (stop ; "otherwise")
            | (z <z< stop) >> "never"
            | (def g() = f + 1 # g())
            | (w >> "waited" <w< Rwait(3))
            | ((stop <v< Rwait(4)) ; "after")
            | {| u >> "in a trim" <u< Rwait(2) |}
            | {| "killed" | stop <u< Rwait(9) |}
            "#,
        );
        assert_eq!(
            out,
            [
                "\"after\"",
                "\"first\"",
                "\"in a trim\"",
                "\"killed\"",
                "\"otherwise\"",
                "\"waited\"",
                "2",
                "2",
                "4",
                "55",
                "7"
            ]
        );
    }

    #[test]
    fn light_frames_patterns_objects_and_sites() {
        // Functional calls under light frames, pattern matching in
        // place, an object with a member computed by a token, a `site`
        // definition, a reference read in place and a virtual clock.
        let out = outputs(
            r#"
            def fib(n) = if n <: 2 then n else fib(n - 1) + fib(n - 2)
            def len([]) = 0
            def len(_ : xs) = 1 + len(xs)
            class Box { val v = Rwait(3) >> 42  def get() = v }
            site twice(x) = x | x
            val r = Ref(9)
            def peek() = r?
            fib(10)
            | len([1, 2, 3])
            | (new Box).get()
            | twice("s")
            | peek()
            | Vclock(IntegerTimeOrder) >> Vawait(2) >> Vtime()
            "#,
        );
        assert_eq!(out, ["\"s\"", "\"s\"", "2", "3", "42", "55", "9"]);
    }

    #[test]
    fn tail_calls_in_place_and_handoffs() {
        // Records refilled by tail calls (loops with a channel call), a put waking a waiting get at once, and the
        // call handles of those gets reused.
        let out = outputs(
            r#"
            val c = Channel()
            def send(i) = if i = 4 then c.close() else Rwait(1) >> c.put(i) >> send(i + 1)
            def recv(acc) = c.get() >x> recv(acc + x) ; acc
            def swap(a, b, n) = if n = 0 then (a, b) else Rwait(1) >> swap(b, a, n - 1)
            send(0) >> stop | recv(0) | swap("a", "b", 3)
            "#,
        );
        assert_eq!(out, ["(\"b\", \"a\")", "6"]);
    }
}
