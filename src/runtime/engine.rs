//! One run of a program: tokens, groups, halting counters and the scheduler.
//!
//! * A **token** is a thread of control: the code it runs next, its
//!   environment, and its continuation stack of [`Frame`]s.
//! * A **group** is the unit of killing. `{| f |}` and the right side of
//!   `f <x< g` run in a child group that is killed, with all its tokens and
//!   descendant groups, when it publishes. Killing a token cancels what it
//!   waits on (timer entry, call handle, async task).
//! * A **counter** detects halting exactly: it counts the live tokens of a
//!   region (plus one per child counter). `f ; g` runs `f` under a counter
//!   that starts `g` when it reaches zero if `f` never published; the right
//!   side of a pruning runs under a counter that halts the pruned future when
//!   it reaches zero unbound; the root counter reaching zero ends the run.
//!
//! See ARCHITECTURE.md for the life of a token.

use super::closure::Instance;
use super::code::Code;
use super::env::{Env, Future, Waiter};
use super::site::{CallHandle, Completions};
use super::slab::{Key, Slab};
use super::vclock::VClock;
use super::wheel::{TimerKey, TimerWheel};
use crate::diagnostics::Span;
use crate::value::Value;
use smallvec::SmallVec;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

pub type TokenRef = Key;
pub type GroupRef = Key;
pub type CounterRef = Key;
pub type ClockRef = Key;

/// Steps a token may take before it yields to others (fairness).
pub(crate) const FUEL_PER_TURN: u32 = 2_000;

/// Token turns between looks at the kill switch and the real clock while
/// tokens keep running.
const TURNS_BETWEEN_CLOCK_CHECKS: u32 = 64;

/// How long a run keeps its thread before it yields to other tasks of the
/// async runtime (and lets its host see publications) while tokens keep
/// running.
const TIME_SLICE: std::time::Duration = std::time::Duration::from_millis(10);

/// What a run reports to its host.
pub trait Events: Send {
    /// A publication of the whole program.
    fn publish(&mut self, value: &Value);
    /// Program output (`Print`, `Println`).
    fn print(&mut self, text: &str);
    /// A runtime error; the token that raised it halted.
    fn error(&mut self, error: &RuntimeError);
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

pub(crate) enum Next {
    Eval(Arc<Code>),
    Publish(Value),
    Idle,
}

pub(crate) enum Wait {
    None,
    Futures,
    Timer(TimerKey),
    Handle(CallHandle),
    Task(tokio::task::AbortHandle),
}

/// Whether a token waiting on `w` counts as making progress for virtual
/// time: blocked on futures, on a real-time timer or on a site that
/// another token must answer (a channel, `Vawait`) is quiescent (as in the
/// reference); running, or waiting for an async host task, is not.
pub(crate) fn is_active(w: &Wait) -> bool {
    matches!(w, Wait::None | Wait::Task(_))
}

pub(crate) enum Frame {
    /// `>x> code`: run `code` with the publication bound.
    Sequential {
        code: Arc<Code>,
        env: Env,
        ctx: Option<Arc<Instance>>,
    },
    /// The right side of `<x<`: bind the future, kill the group.
    Pruning {
        future: Arc<Future>,
        group: GroupRef,
    },
    /// The right side of `<x<` when it is one site call, run in the
    /// group of the pruning: bind the future and halt. A token that halts
    /// under this frame without publishing halts the future.
    Bind { future: Arc<Future> },
    /// The left side of `;`: mark the counter published, leave it.
    Otherwise { counter: CounterRef },
    /// `{| |}`: leave the group and kill it.
    Trim { group: GroupRef },
    /// The bottom of a `site` body's stack: publications go to the caller.
    SiteReturn { caller: TokenRef, epoch: u32 },
    /// Leaving the scope of a virtual clock (`Vclock(order) >> e`).
    ClockExit {
        clock: ClockRef,
        outer: Option<ClockRef>,
    },
}

struct FrameNode {
    frame: Frame,
    next: Stack,
}

/// The continuation of a token: a persistent stack shared by forked tokens.
#[derive(Clone, Default)]
pub(crate) struct Stack(Option<Arc<FrameNode>>);

impl Stack {
    #[inline(always)]
    pub(crate) fn push(&self, frame: Frame) -> Stack {
        Stack(Some(Arc::new(FrameNode {
            frame,
            next: self.clone(),
        })))
    }

    pub(crate) fn top(&self) -> Option<(&Frame, &Stack)> {
        self.0.as_ref().map(|n| (&n.frame, &n.next))
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        let mut next = self.0.take();
        while let Some(node) = next {
            match Arc::try_unwrap(node) {
                Ok(mut node) => next = node.next.0.take(),
                Err(_) => break,
            }
        }
    }
}

pub(crate) struct Token {
    pub(crate) next: Next,
    pub(crate) env: Env,
    pub(crate) ctx: Option<Arc<Instance>>,
    pub(crate) stack: Stack,
    pub(crate) group: GroupRef,
    pub(crate) counter: CounterRef,
    pub(crate) wait: Wait,
    /// Incremented whenever the token starts waiting; wake-ups carry the
    /// epoch they were registered in so stale ones are ignored.
    pub(crate) epoch: u32,
    /// Position in the group's token list (for O(1) removal);
    /// [`UNTRACKED`] in the root group, which keeps no list.
    group_pos: u32,
    /// The innermost virtual clock whose scope the token is in.
    pub(crate) clock: Option<ClockRef>,
}

impl Token {
    /// Where the token runs: what a copy of it would start with.
    pub(crate) fn place(&self) -> Place {
        Place {
            env: self.env.clone(),
            ctx: self.ctx.clone(),
            stack: self.stack.clone(),
            group: self.group,
            counter: self.counter,
            clock: self.clock,
        }
    }
}

/// Everything about where a token runs, apart from what it runs next.
pub(crate) struct Place {
    pub(crate) env: Env,
    pub(crate) ctx: Option<Arc<Instance>>,
    pub(crate) stack: Stack,
    pub(crate) group: GroupRef,
    pub(crate) counter: CounterRef,
    pub(crate) clock: Option<ClockRef>,
}

/// The `group_pos` of a token in the root group.
const UNTRACKED: u32 = u32::MAX;

struct Group {
    parent: Option<GroupRef>,
    alive: bool,
    /// Most groups (the right side of a pruning) hold one token and no
    /// child, so both lists start inline.
    tokens: SmallVec<[TokenRef; 2]>,
    children: SmallVec<[GroupRef; 2]>,
    /// Position in the parent's child list (for O(1) removal).
    child_pos: u32,
    /// Otherwise counters that may still start a token in this group.
    pins: u32,
    /// Counters held by `site` declarations made in this group: a site
    /// can be called for as long as its scope lives, so the scope does not
    /// halt; killing the group releases them.
    site_holds: Vec<CounterRef>,
}

enum CounterKind {
    Root,
    /// `place.counter` is this counter's parent, where `g` will run.
    Otherwise {
        published: bool,
        code: Arc<Code>,
        place: Place,
    },
    Pruning {
        future: Arc<Future>,
    },
    /// The body of one call of a `site` definition: when it halts, the
    /// waiting caller halts.
    SiteBody {
        caller: TokenRef,
        epoch: u32,
    },
}

struct Counter {
    parent: Option<CounterRef>,
    count: u32,
    kind: CounterKind,
}

/// The state of one program run.
pub struct Run {
    pub(crate) tokens: Slab<Token>,
    groups: Slab<Group>,
    counters: Slab<Counter>,
    pub(crate) ready: VecDeque<TokenRef>,
    pub(crate) wheel: TimerWheel<(TokenRef, u32)>,
    pub(crate) completions: Arc<Completions>,
    /// Async tasks under way: they can wake the run from outside.
    pub(crate) external_pending: usize,
    pub(crate) events: Box<dyn Events>,
    pub(crate) options: RunOptions,
    pub(crate) clock: super::clock::Clock,
    pub(crate) vclocks: Slab<VClock>,
    /// Virtual clocks whose scope may have become quiescent.
    pub(crate) quiescent: Vec<ClockRef>,
    root_group: GroupRef,
    finished: bool,
    limit_hit: Option<RunOutcome>,
    /// Publications of the whole program so far.
    publications: usize,
    /// The last turn ran long (a direct evaluation handed its work back):
    /// look at the clock and the time slice now.
    pub(crate) long_turn: bool,
    /// Calls evaluated directly, without tokens (see [`super::direct`]).
    pub(crate) direct_calls: u64,
}

impl Run {
    pub fn new(code: Arc<Code>, events: Box<dyn Events>, options: RunOptions) -> Run {
        let mut groups = Slab::default();
        let root_group = groups.insert(Group {
            parent: None,
            alive: true,
            tokens: SmallVec::new(),
            children: SmallVec::new(),
            child_pos: 0,
            pins: 0,
            site_holds: Vec::new(),
        });
        let mut counters = Slab::default();
        let root_counter = counters.insert(Counter {
            parent: None,
            count: 0,
            kind: CounterKind::Root,
        });
        let clock = super::clock::Clock::new(options.sim_time);
        // No publication allowed at all: stop before the first step.
        let limit_hit =
            (options.max_publications == Some(0)).then_some(RunOutcome::PublicationLimit);
        let mut run = Run {
            tokens: Slab::default(),
            groups,
            counters,
            ready: VecDeque::new(),
            wheel: TimerWheel::new(),
            completions: Arc::new(Completions::default()),
            external_pending: 0,
            events,
            options,
            clock,
            vclocks: Slab::default(),
            quiescent: Vec::new(),
            root_group,
            finished: false,
            limit_hit,
            publications: 0,
            long_turn: false,
            direct_calls: 0,
        };
        let t = run.spawn(
            Next::Eval(code),
            Place {
                env: Env::default(),
                ctx: None,
                stack: Stack::default(),
                group: root_group,
                counter: root_counter,
                clock: None,
            },
        );
        run.ready.push_back(t);
        run
    }

    /// Live tokens (for tests and leak checks).
    pub fn live_tokens(&self) -> usize {
        self.tokens.len()
    }

    /// Calls of functional definitions that ran directly, without
    /// tokens, to the end or for a time slice (for tests and tuning).
    pub fn direct_calls(&self) -> u64 {
        self.direct_calls
    }

    /// Pending timer-wheel entries (for tests and leak checks).
    pub fn pending_timers(&self) -> usize {
        self.wheel.len()
    }

    pub fn now_ms(&self) -> u64 {
        self.clock.now_ms()
    }

    pub(crate) fn report(&mut self, message: String, span: Option<Span>) {
        self.events.error(&RuntimeError { message, span });
    }

    /// A publication of the whole program: to the host, and counted
    /// against the publication limit.
    pub(crate) fn publish_result(&mut self, v: &Value) {
        self.events.publish(v);
        self.publications += 1;
        if let Some(max) = self.options.max_publications {
            if self.publications >= max && self.limit_hit.is_none() {
                self.limit_hit = Some(RunOutcome::PublicationLimit);
            }
        }
    }

    // ----- tokens -------------------------------------------------------

    pub(crate) fn spawn(&mut self, next: Next, place: Place) -> TokenRef {
        let Place {
            env,
            ctx,
            stack,
            group,
            counter,
            clock,
        } = place;
        if let Some(c) = clock {
            self.clock_join(c, true);
        }
        let t = self.tokens.insert(Token {
            next,
            env,
            ctx,
            stack,
            group,
            counter,
            wait: Wait::None,
            epoch: 0,
            group_pos: 0,
            clock,
        });
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

    /// A copy of token `t` (same environment, continuation, group and
    /// counter) that will run `next`.
    pub(crate) fn fork(&mut self, t: TokenRef, next: Next) -> Option<TokenRef> {
        let place = self.tokens.get(t)?.place();
        Some(self.spawn(next, place))
    }

    /// The token halts (or is killed): it leaves its group and counter and
    /// whatever it waited on is cancelled.
    pub(crate) fn remove_token(&mut self, t: TokenRef) {
        let Some(tok) = self.tokens.remove(t) else {
            return;
        };
        if let Some(c) = tok.clock {
            self.clock_leave(c, is_active(&tok.wait));
        }
        match tok.wait {
            Wait::Timer(key) => {
                self.wheel.cancel(key);
            }
            Wait::Handle(h) => h.cancel(),
            Wait::Task(abort) => {
                abort.abort();
                self.external_pending -= 1;
            }
            Wait::None | Wait::Futures => {}
        }
        if let Some((Frame::Bind { future }, _)) = tok.stack.top() {
            // The call halted or was killed before answering (a future
            // already bound stays bound).
            self.resolve_future(future, None);
        }
        self.leave_group(tok.group, tok.group_pos);
        self.decrement(tok.counter);
    }

    /// Changes what a token waits on, keeping its virtual clock's count of
    /// active (non-quiescent) tokens right.
    pub(crate) fn set_wait(&mut self, t: TokenRef, wait: Wait) {
        let Some(tok) = self.tokens.get_mut(t) else {
            return;
        };
        let (was, now) = (is_active(&tok.wait), is_active(&wait));
        tok.wait = wait;
        if let (Some(c), true) = (tok.clock, was != now) {
            self.clock_set_active(c, now);
        }
    }

    pub(crate) fn halt(&mut self, t: TokenRef) {
        self.remove_token(t);
    }

    /// Registers `t` as waiting on every pending future in `futures`; it
    /// runs its current node again when any of them resolves.
    pub(crate) fn block_on(&mut self, t: TokenRef, code: Arc<Code>, futures: &[Arc<Future>]) {
        let Some(tok) = self.tokens.get_mut(t) else {
            return;
        };
        tok.epoch = tok.epoch.wrapping_add(1);
        tok.next = Next::Eval(code);
        let w = Waiter {
            token: t,
            epoch: tok.epoch,
        };
        self.set_wait(t, Wait::Futures);
        for f in futures {
            f.add_waiter(w);
        }
    }

    pub(crate) fn wake(&mut self, waiters: super::env::Waiters) {
        for w in waiters {
            if let Some(tok) = self.tokens.get(w.token) {
                if tok.epoch == w.epoch && matches!(tok.wait, Wait::Futures) {
                    self.set_wait(w.token, Wait::None);
                    self.ready.push_back(w.token);
                }
            }
        }
    }

    /// Binds (`Some`) or halts (`None`) a future and wakes its readers.
    pub(crate) fn resolve_future(&mut self, future: &Future, value: Option<Value>) {
        let waiters = future.resolve(value);
        self.wake(waiters);
    }

    // ----- groups -------------------------------------------------------

    pub(crate) fn new_group(&mut self, parent: GroupRef) -> GroupRef {
        let g = self.groups.insert(Group {
            parent: Some(parent),
            alive: true,
            tokens: SmallVec::new(),
            children: SmallVec::new(),
            child_pos: 0,
            pins: 0,
            site_holds: Vec::new(),
        });
        if let Some(p) = self.groups.get_mut(parent) {
            p.children.push(g);
            let pos = p.children.len() as u32 - 1;
            if let Some(child) = self.groups.get_mut(g) {
                child.child_pos = pos;
            }
        }
        g
    }

    fn join_group(&mut self, t: TokenRef, g: GroupRef) {
        if g == self.root_group {
            // The root group is only ever killed whole, with every token
            // in the run: a list of its own tokens would only cost a
            // scattered write for each token that leaves it.
            if let Some(tok) = self.tokens.get_mut(t) {
                tok.group_pos = UNTRACKED;
            }
            return;
        }
        if let Some(group) = self.groups.get_mut(g) {
            group.tokens.push(t);
            let pos = group.tokens.len() as u32 - 1;
            if let Some(tok) = self.tokens.get_mut(t) {
                tok.group_pos = pos;
            }
        }
    }

    pub(crate) fn group_alive(&self, g: GroupRef) -> bool {
        self.groups.get(g).is_some_and(|g| g.alive)
    }

    pub(crate) fn group_parent(&self, g: GroupRef) -> Option<GroupRef> {
        self.groups.get(g).and_then(|g| g.parent)
    }

    /// Removes the token at `pos` from group `g`'s list.
    fn leave_group(&mut self, g: GroupRef, pos: u32) {
        if let Some(group) = self.groups.get_mut(g) {
            let pos = pos as usize;
            if pos < group.tokens.len() {
                group.tokens.swap_remove(pos);
                if let Some(&moved) = group.tokens.get(pos) {
                    if let Some(tok) = self.tokens.get_mut(moved) {
                        tok.group_pos = pos as u32;
                    }
                }
            }
        }
        self.maybe_free_group(g);
    }

    /// Moves a token into another group (entering `{| |}`, leaving it).
    pub(crate) fn move_to_group(&mut self, t: TokenRef, to: GroupRef) {
        let Some(tok) = self.tokens.get_mut(t) else {
            return;
        };
        let from = std::mem::replace(&mut tok.group, to);
        let pos = tok.group_pos;
        // Join before leaving: leaving may free `from` and then every
        // ancestor left empty, which can include `to` (a trimmed group's
        // parent whose only token is this one).
        self.join_group(t, to);
        self.leave_group(from, pos);
    }

    /// Frees groups that have no tokens and no children left.
    fn maybe_free_group(&mut self, mut g: GroupRef) {
        loop {
            if g == self.root_group {
                return;
            }
            let Some(group) = self.groups.get(g) else {
                return;
            };
            if !group.tokens.is_empty()
                || !group.children.is_empty()
                || group.pins > 0
                || !group.site_holds.is_empty()
            {
                return;
            }
            let (parent, pos) = (group.parent, group.child_pos as usize);
            self.groups.remove(g);
            let Some(p) = parent else { return };
            if let Some(pg) = self.groups.get_mut(p) {
                if pos < pg.children.len() {
                    pg.children.swap_remove(pos);
                    if let Some(&moved) = pg.children.get(pos) {
                        if let Some(mg) = self.groups.get_mut(moved) {
                            mg.child_pos = pos as u32;
                        }
                    }
                }
            }
            g = p;
        }
    }

    /// Kills a group: all its tokens and all its descendant groups.
    pub(crate) fn kill_group(&mut self, g: GroupRef) {
        let mut todo: SmallVec<[GroupRef; 4]> = SmallVec::new();
        todo.push(g);
        let mut victims: SmallVec<[TokenRef; 4]> = SmallVec::new();
        let mut holds = Vec::new();
        if g == self.root_group {
            // Its tokens are not listed (see `join_group`): all go.
            victims.extend(self.tokens.keys());
        }
        while let Some(g) = todo.pop() {
            if let Some(group) = self.groups.get_mut(g) {
                if !group.alive {
                    continue;
                }
                group.alive = false;
                victims.extend(group.tokens.iter().copied());
                todo.extend(group.children.iter().copied());
                holds.append(&mut group.site_holds);
            }
        }
        for t in victims {
            self.remove_token(t);
        }
        for c in holds {
            self.decrement(c);
        }
    }

    // ----- counters -----------------------------------------------------

    fn new_counter(&mut self, parent: CounterRef, kind: CounterKind) -> CounterRef {
        if let Some(p) = self.counters.get_mut(parent) {
            p.count += 1;
        }
        self.counters.insert(Counter {
            parent: Some(parent),
            count: 0,
            kind,
        })
    }

    /// Starts the left side of `f ; g`: token `t` moves into a fresh counter
    /// that remembers how to start `g`.
    pub(crate) fn enter_otherwise(&mut self, t: TokenRef, right: Arc<Code>) -> Option<CounterRef> {
        let place = self.tokens.get(t)?.place();
        let (parent, group) = (place.counter, place.group);
        let kind = CounterKind::Otherwise {
            published: false,
            code: right,
            place,
        };
        // The group must outlive the counter even if all its tokens halt,
        // since the counter may start the right side in it.
        if let Some(g) = self.groups.get_mut(group) {
            g.pins += 1;
        }
        let c = self.new_counter(parent, kind);
        self.move_to_counter(t, c);
        Some(c)
    }

    /// A publication leaves the left side of `;`: it counts as published
    /// and the token continues in the enclosing counter.
    pub(crate) fn leave_otherwise(&mut self, t: TokenRef, c: CounterRef) {
        let Some(counter) = self.counters.get_mut(c) else {
            return;
        };
        if let CounterKind::Otherwise { published, .. } = &mut counter.kind {
            *published = true;
        }
        if let Some(parent) = counter.parent {
            self.move_to_counter(t, parent);
        }
    }

    fn move_to_counter(&mut self, t: TokenRef, to: CounterRef) {
        let Some(tok) = self.tokens.get_mut(t) else {
            return;
        };
        let from = std::mem::replace(&mut tok.counter, to);
        if let Some(c) = self.counters.get_mut(to) {
            c.count += 1;
        }
        self.decrement(from);
    }

    /// A `site` declaration in token `t`'s scope keeps that scope from
    /// halting while its group lives. Returns the scope (group, counter).
    pub(crate) fn hold_for_site(&mut self, t: TokenRef) -> Option<(GroupRef, CounterRef)> {
        let tok = self.tokens.get(t)?;
        let (g, c) = (tok.group, tok.counter);
        self.counters.get_mut(c)?.count += 1;
        self.groups.get_mut(g)?.site_holds.push(c);
        Some((g, c))
    }

    /// The counter for one call of a `site` definition.
    pub(crate) fn new_site_body_counter(
        &mut self,
        parent: CounterRef,
        caller: TokenRef,
        epoch: u32,
    ) -> CounterRef {
        self.new_counter(parent, CounterKind::SiteBody { caller, epoch })
    }

    /// The counter for the right side of a pruning.
    pub(crate) fn new_pruning_counter(
        &mut self,
        parent: CounterRef,
        future: Arc<Future>,
    ) -> CounterRef {
        self.new_counter(parent, CounterKind::Pruning { future })
    }

    /// One token (or child counter) of `c` is gone; a counter that reaches
    /// zero has halted, which may start the right side of `;`, halt a
    /// pruned future, or end the run.
    fn decrement(&mut self, mut c: CounterRef) {
        loop {
            let Some(counter) = self.counters.get_mut(c) else {
                return;
            };
            counter.count -= 1;
            if counter.count > 0 {
                return;
            }
            let parent = counter.parent;
            let Some(counter) = self.counters.remove(c) else {
                return;
            };
            match counter.kind {
                CounterKind::Root => {
                    self.finished = true;
                    return;
                }
                CounterKind::Otherwise {
                    published,
                    code,
                    place,
                } => {
                    let group = place.group;
                    if let Some(g) = self.groups.get_mut(group) {
                        g.pins -= 1;
                    }
                    if !published && self.group_alive(group) {
                        // `g` starts in the parent counter; continuing the
                        // loop releases the count this counter held there.
                        let t = self.spawn(Next::Eval(code), place);
                        self.ready.push_back(t);
                    } else {
                        self.maybe_free_group(group);
                    }
                }
                CounterKind::Pruning { future } => {
                    self.resolve_future(&future, None);
                }
                CounterKind::SiteBody { caller, epoch } => {
                    if self
                        .tokens
                        .get(caller)
                        .is_some_and(|tok| tok.epoch == epoch)
                    {
                        self.halt(caller);
                    }
                }
            }
            match parent {
                Some(p) => c = p,
                None => return,
            }
        }
    }

    // ----- the scheduler ------------------------------------------------

    pub(crate) fn process_completions(&mut self) {
        for (t, epoch, outcome) in self.completions.drain() {
            let Some(tok) = self.tokens.get(t) else {
                continue;
            };
            if tok.epoch != epoch {
                continue;
            }
            match tok.wait {
                Wait::Task(_) => self.external_pending -= 1,
                Wait::Handle(_) => {}
                _ => continue,
            }
            self.set_wait(t, Wait::None);
            self.complete_call(t, outcome, None);
        }
    }

    fn fire_timers(&mut self, now: u64) {
        let mut fired = Vec::new();
        self.wheel.advance(now, |_, entry| fired.push(entry));
        for (t, epoch) in fired {
            if let Some(tok) = self.tokens.get_mut(t) {
                if tok.epoch == epoch && matches!(tok.wait, Wait::Timer(_)) {
                    tok.next = Next::Publish(Value::Signal);
                    self.set_wait(t, Wait::None);
                    self.ready.push_back(t);
                }
            }
        }
    }

    /// Whether a timer is due (in real time) or a host call has completed:
    /// a wake-up that a long computation would make late.
    pub(crate) fn wakeups_due(&self) -> bool {
        let timer_due = !self.clock.is_simulated()
            && self
                .wheel
                .next_deadline()
                .is_some_and(|d| d <= self.clock.now_ms());
        timer_due || self.completions.has_pending()
    }

    /// Whether the kill switch was thrown or the time limit passed.
    pub(crate) fn stop_requested(&self) -> bool {
        self.options
            .kill
            .as_ref()
            .is_some_and(KillSwitch::is_killed)
            || self
                .options
                .time_limit_ms
                .is_some_and(|limit| self.clock.now_ms() >= limit)
    }

    /// Records a reason to stop that comes from outside the program: a
    /// thrown kill switch, or the time limit passing. Checked after every
    /// turn, so that a program that never waits (a busy loop) still stops.
    fn check_stop(&mut self) {
        if self.limit_hit.is_some() {
            return;
        }
        if self
            .options
            .kill
            .as_ref()
            .is_some_and(KillSwitch::is_killed)
        {
            self.limit_hit = Some(RunOutcome::Killed);
        } else if self.stop_requested() {
            self.limit_hit = Some(RunOutcome::TimeLimit);
        }
    }

    /// Runs every token that can run, without waiting for time to pass.
    /// Returns `true` when it stopped early because its time slice is used
    /// up (tokens are still ready): the caller should yield to other tasks.
    fn run_ready(&mut self) -> bool {
        let started = std::time::Instant::now();
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
                self.run_token(t);
                if self.limit_hit.is_some() {
                    return false;
                }
                turns = turns.wrapping_add(1);
                if turns.is_multiple_of(TURNS_BETWEEN_CLOCK_CHECKS)
                    || std::mem::take(&mut self.long_turn)
                {
                    // Busy tokens must not outrun a kill or the time limit,
                    // nor starve timers.
                    self.check_stop();
                    if self.limit_hit.is_some() {
                        return false;
                    }
                    if !self.clock.is_simulated() {
                        let now = self.clock.now_ms();
                        self.fire_timers(now);
                        self.process_completions();
                    }
                    if started.elapsed() >= TIME_SLICE {
                        return true;
                    }
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
        loop {
            let sliced = self.run_ready();
            self.check_stop();
            if let Some(outcome) = self.limit_hit {
                self.kill_all();
                return outcome;
            }
            if self.finished {
                return RunOutcome::Halted;
            }
            let now = self.clock.now_ms();
            if let Some(limit) = self.options.time_limit_ms {
                if now >= limit {
                    self.kill_all();
                    return RunOutcome::TimeLimit;
                }
            }
            self.fire_timers(now);
            if !self.ready.is_empty() {
                if sliced {
                    tokio::task::yield_now().await;
                }
                continue;
            }
            if self.tokens.is_empty() && self.external_pending == 0 {
                // Only `site` declarations keep scopes open: nothing can
                // ever run again, so the program is over.
                return RunOutcome::Halted;
            }
            let timer = self.wheel.next_deadline();
            if timer.is_none() && self.external_pending == 0 {
                // Nothing can wake any live token: a deadlock (checked
                // before the time limit, which would only end it later).
                self.process_completions();
                if self.ready.is_empty() {
                    return RunOutcome::Deadlock {
                        live_tokens: self.tokens.len(),
                    };
                }
                continue;
            }
            let next = match (timer, self.options.time_limit_ms) {
                (Some(d), Some(limit)) => Some(d.min(limit)),
                (Some(d), None) => Some(d),
                (None, limit) => limit,
            };
            if self.clock.is_simulated() && self.external_pending == 0 {
                if let Some(d) = next {
                    self.clock.advance_to(d);
                }
                continue;
            }
            let completions = self.completions.clone();
            let kill = self.options.kill.clone();
            let killed = async move {
                match kill {
                    Some(k) => k.0.wake.notified().await,
                    None => std::future::pending().await,
                }
            };
            match next {
                Some(d) if !self.clock.is_simulated() => {
                    let sleep = self.clock.sleep_until(d);
                    tokio::select! {
                        _ = completions.notify.notified() => {}
                        _ = sleep => {}
                        _ = killed => {}
                    }
                }
                _ => tokio::select! {
                    _ = completions.notify.notified() => {}
                    _ = killed => {}
                },
            }
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
        if !self.tokens.is_empty() {
            self.kill_all();
        }
    }
}
