//! Running a compiled program from a host: an [`Execution`] is a stream of
//! the program's publications (async), a [`BlockingExecution`] an iterator
//! over them (for hosts without an async runtime); both end with a
//! [`RunReport`] saying how the run ended.
//!
//! An `Execution` does its work when it is polled: the run advances while
//! the host waits for the next publication (or for [`Execution::finish`]),
//! on the tokio runtime that polls it, where its async host sites run too.
//! Dropping it before the end kills the program (host futures included).

use crate::engine::{Compiled, Engine};
use crate::runtime::engine::block_on_anywhere;
use crate::runtime::{Events, KillSwitch, Run, RunOptions, RunOutcome, RuntimeError};
use crate::value::Value;
use futures_core::Stream;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

/// Something a run reported, in the order it happened.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// A value the program published.
    Publication(Value),
    /// Text the program printed (`Print`, `Println`).
    Output(String),
    /// A runtime error; the token that raised it halted.
    Error(RuntimeError),
}

/// How a run ended and what it reported.
#[derive(Clone, Debug, PartialEq)]
pub struct RunReport {
    /// Why the run ended: it halted, or was stopped by a limit or a kill.
    pub outcome: RunOutcome,
    /// The publications the host has not taken from the stream or the
    /// iterator (all of them, after [`Execution::finish`] on a fresh run).
    pub publications: Vec<Value>,
    /// Every runtime error of the run, in order.
    pub errors: Vec<RuntimeError>,
    /// Everything the program printed.
    pub output: String,
    /// The most memory the run held at once, in bytes, as
    /// [`MemoryAccounting`](crate::MemoryAccounting) counts it (0 if the
    /// host does not use it).
    pub peak_memory: u64,
}

impl RunReport {
    /// The program halted on its own without a runtime error.
    pub fn is_clean(&self) -> bool {
        self.outcome == RunOutcome::Halted && self.errors.is_empty()
    }
}

/// What the run has reported and the host has not taken yet.
#[derive(Default)]
struct Inbox {
    events: VecDeque<Event>,
    errors: Vec<RuntimeError>,
    output: String,
}

/// The run's [`Events`]: everything goes to the inbox.
struct Sink(Arc<Mutex<Inbox>>);

impl Sink {
    fn inbox(&self) -> std::sync::MutexGuard<'_, Inbox> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Events for Sink {
    fn publish(&mut self, value: &Value) {
        self.inbox()
            .events
            .push_back(Event::Publication(value.clone()));
    }
    fn print(&mut self, text: &str) {
        let mut inbox = self.inbox();
        inbox.output.push_str(text);
        inbox.events.push_back(Event::Output(text.to_string()));
    }
    fn error(&mut self, error: &RuntimeError) {
        let mut inbox = self.inbox();
        inbox.errors.push(error.clone());
        inbox.events.push_back(Event::Error(error.clone()));
    }
}

/// A run driven to its end: how it ended, and the most memory it held.
type RunFuture = Pin<Box<dyn Future<Output = (RunOutcome, u64)> + Send>>;

/// One run of a program, driven by the host: a [`Stream`] of its
/// publications in the order they happen. Create one with
/// [`Engine::execute`].
///
/// It must be polled inside a tokio runtime with time enabled (any
/// flavour); it is `Send`, so it can be moved into `tokio::spawn`. Under
/// real time, the program's clock starts at the first poll.
///
/// ```
/// use orc::{Engine, RunOptions, RunOutcome};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let engine = Engine::new();
/// let program = engine.compile("main", "1 | Rwait(50) >> 2").unwrap();
/// let mut execution = engine.execute(&program, RunOptions::new().simulated_time());
/// assert_eq!(execution.next_publication().await.unwrap().to_string(), "1");
/// assert_eq!(execution.next_publication().await.unwrap().to_string(), "2");
/// assert_eq!(execution.next_publication().await, None);
/// assert_eq!(execution.finish().await.outcome, RunOutcome::Halted);
/// # }
/// ```
pub struct Execution {
    run: Option<RunFuture>,
    inbox: Arc<Mutex<Inbox>>,
    outcome: Option<RunOutcome>,
    peak_memory: u64,
    kill: KillSwitch,
}

impl std::fmt::Debug for Execution {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Execution")
            .field("outcome", &self.outcome)
            .finish_non_exhaustive()
    }
}

impl Execution {
    pub(crate) fn new(program: &Compiled, mut options: RunOptions) -> Execution {
        let kill = options.kill.get_or_insert_with(KillSwitch::new).clone();
        let inbox = Arc::new(Mutex::new(Inbox::default()));
        let events = Box::new(Sink(inbox.clone()));
        let code = program.code.clone();
        // The run is created at the first poll, so that its clock (and its
        // time limit) starts when the host starts driving it.
        let run = async move {
            let mut run = Run::new(code, events, options);
            let outcome = run.run().await;
            (outcome, run.peak_memory())
        };
        Execution {
            run: Some(Box::pin(run)),
            inbox,
            outcome: None,
            peak_memory: 0,
            kill,
        }
    }

    /// An execution with nothing left to run (a placeholder).
    fn ended() -> Execution {
        Execution {
            run: None,
            inbox: Arc::default(),
            outcome: Some(RunOutcome::Halted),
            peak_memory: 0,
            kill: KillSwitch::new(),
        }
    }

    fn inbox(&self) -> std::sync::MutexGuard<'_, Inbox> {
        self.inbox.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The next event, advancing the run until there is one or it ends.
    pub fn poll_event(&mut self, cx: &mut Context<'_>) -> Poll<Option<Event>> {
        loop {
            if let Some(e) = self.inbox().events.pop_front() {
                return Poll::Ready(Some(e));
            }
            let Some(run) = self.run.as_mut() else {
                return Poll::Ready(None);
            };
            match run.as_mut().poll(cx) {
                Poll::Ready((outcome, peak)) => {
                    self.outcome = Some(outcome);
                    self.peak_memory = peak;
                    // Dropping the run releases what is left of it.
                    self.run = None;
                }
                // The run yielded (a time slice, or waiting): report what
                // it produced meanwhile; it has arranged to be woken.
                Poll::Pending => {
                    return match self.inbox().events.pop_front() {
                        Some(e) => Poll::Ready(Some(e)),
                        None => Poll::Pending,
                    }
                }
            }
        }
    }

    /// The next event (publication, output or error), or `None` once the
    /// run has ended and every event has been taken.
    pub async fn next_event(&mut self) -> Option<Event> {
        std::future::poll_fn(|cx| self.poll_event(cx)).await
    }

    /// The next publication, or `None` once the run has ended and every
    /// publication has been taken. (The same as `StreamExt::next`, without
    /// needing a stream extension crate.)
    pub async fn next_publication(&mut self) -> Option<Value> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Runs the program to its end and reports how it went; publications
    /// not taken yet are in [`RunReport::publications`].
    pub async fn finish(mut self) -> RunReport {
        if let Some(run) = self.run.take() {
            let (outcome, peak) = run.await;
            self.outcome = Some(outcome);
            self.peak_memory = peak;
        }
        self.report()
    }

    fn report(&self) -> RunReport {
        let mut inbox = self.inbox();
        let publications = inbox
            .events
            .drain(..)
            .filter_map(|e| match e {
                Event::Publication(v) => Some(v),
                _ => None,
            })
            .collect();
        RunReport {
            // `finish` has run the program to its end.
            outcome: self.outcome.unwrap_or(RunOutcome::Killed),
            publications,
            errors: inbox.errors.clone(),
            output: inbox.output.clone(),
            peak_memory: self.peak_memory,
        }
    }

    /// How the run ended, once it has.
    pub fn outcome(&self) -> Option<RunOutcome> {
        self.outcome
    }

    /// The runtime errors so far.
    pub fn errors(&self) -> Vec<RuntimeError> {
        self.inbox().errors.clone()
    }

    /// Stops the program: every token is killed (host calls under way are
    /// cancelled) and the run ends with [`RunOutcome::Killed`] the next
    /// time it is polled.
    pub fn kill(&self) {
        self.kill.kill();
    }

    /// A switch that stops this run from anywhere (another task or thread).
    pub fn kill_switch(&self) -> KillSwitch {
        self.kill.clone()
    }
}

impl Stream for Execution {
    type Item = Value;

    /// Publications only; output and errors are kept for the
    /// [`RunReport`] (use [`Execution::next_event`] to see them as they
    /// happen).
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Value>> {
        let this = self.get_mut();
        loop {
            match this.poll_event(cx) {
                Poll::Ready(Some(Event::Publication(v))) => return Poll::Ready(Some(v)),
                Poll::Ready(Some(_)) => continue,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

/// A run for hosts without an async runtime: an [`Iterator`] over the
/// program's publications, each delivered as it happens. It drives the run
/// on a single-threaded tokio runtime of its own (where async host sites
/// run too), while the host waits in [`Iterator::next`]. Create one with
/// [`Engine::execute_blocking`].
///
/// Inside an async runtime prefer [`Execution`]: a blocking call there
/// holds up the runtime's thread while the run goes on on a helper thread.
///
/// ```
/// use orc::{Engine, RunOptions, RunOutcome};
///
/// let engine = Engine::new();
/// let program = engine.compile("main", "upto(3)").unwrap();
/// let mut run = engine.execute_blocking(&program, RunOptions::new().simulated_time());
/// let first = run.next().unwrap();
/// let rest: Vec<String> = run.by_ref().map(|v| v.to_string()).collect();
/// assert_eq!((first.to_string(), rest.len()), ("0".to_string(), 2));
/// assert_eq!(run.finish().outcome, RunOutcome::Halted);
/// ```
pub struct BlockingExecution {
    execution: Execution,
    runtime: Option<tokio::runtime::Runtime>,
    /// Why the runtime could not start, reported once as a runtime error.
    failure: Option<RuntimeError>,
}

impl std::fmt::Debug for BlockingExecution {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlockingExecution")
            .field("outcome", &self.execution.outcome)
            .finish_non_exhaustive()
    }
}

impl BlockingExecution {
    pub(crate) fn new(execution: Execution) -> BlockingExecution {
        let built = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build();
        match built {
            Ok(rt) => BlockingExecution {
                execution,
                runtime: Some(rt),
                failure: None,
            },
            Err(e) => BlockingExecution {
                execution,
                runtime: None,
                failure: Some(RuntimeError {
                    message: format!("cannot start the runtime: {e}"),
                    span: None,
                }),
            },
        }
    }

    /// The next event (publication, output or error), waiting for it.
    pub fn next_event(&mut self) -> Option<Event> {
        match &self.runtime {
            Some(rt) => block_on_anywhere(rt, self.execution.next_event()),
            None => self.failure.take().map(Event::Error),
        }
    }

    /// Runs the program to its end and reports how it went.
    pub fn finish(mut self) -> RunReport {
        match &self.runtime {
            Some(rt) => {
                let execution = std::mem::replace(&mut self.execution, Execution::ended());
                block_on_anywhere(rt, execution.finish())
            }
            None => {
                let mut report = self.execution.report();
                report.outcome = RunOutcome::Halted;
                report.errors.extend(self.failure.take());
                report
            }
        }
    }

    /// How the run ended, once it has.
    pub fn outcome(&self) -> Option<RunOutcome> {
        self.execution.outcome()
    }

    /// Stops the program (see [`Execution::kill`]).
    pub fn kill(&self) {
        self.execution.kill();
    }

    /// A switch that stops this run from another thread.
    pub fn kill_switch(&self) -> KillSwitch {
        self.execution.kill_switch()
    }
}

impl Drop for BlockingExecution {
    fn drop(&mut self) {
        // The run first, so that its host calls are cancelled; then the
        // runtime, in a way tokio allows anywhere (even inside another
        // async runtime), which drops those calls' futures.
        self.execution = Execution::ended();
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

impl Iterator for BlockingExecution {
    type Item = Value;

    fn next(&mut self) -> Option<Value> {
        let rt = self.runtime.as_ref()?;
        block_on_anywhere(rt, self.execution.next_publication())
    }
}

impl Engine {
    /// Starts a run of `program` as an async [`Stream`] of publications
    /// (see [`Execution`]); `program` may be run any number of times, also
    /// concurrently.
    pub fn execute(&self, program: &Compiled, options: RunOptions) -> Execution {
        Execution::new(program, options)
    }

    /// Starts a run of `program` for a host without an async runtime: an
    /// iterator over its publications (see [`BlockingExecution`]).
    pub fn execute_blocking(&self, program: &Compiled, options: RunOptions) -> BlockingExecution {
        BlockingExecution::new(self.execute(program, options))
    }
}
