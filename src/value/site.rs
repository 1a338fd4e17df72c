//! The interface between the runtime and sites (external services). Also
//! the argument checks that sites and the evaluator share ([`arity`],
//! [`expected`], [`index_arg`]: the evaluator indexes tuples itself).
//!
//! A site is called with fully evaluated arguments and answers at once with
//! an [`Outcome`]: a value, a silent halt, an error, or `Pending`. A pending
//! call is completed later through a [`CallHandle`] (a blocked `Channel.get`
//! woken by a `put`), by a timer (`Rwait`), or by an async task (host
//! sites). Killing the calling token cancels the call: the handle reports
//! [`CallHandle::is_cancelled`], its timer entry is removed and its task is
//! aborted (so the host's future is dropped).

pub use super::arith::{BoolOp, IntOp, IntResult};
pub use super::code::MemberHint;
use super::handles::TokenRef;
use crate::value::Value;
use std::any::Any;
use std::collections::VecDeque;
use std::fmt;
use std::future::Future as StdFuture;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// An error raised by a site call; the runtime reports it with the call's
/// source location and the calling token halts. It is a
/// [`std::error::Error`], so a host site can pass it on with `?` (or turn
/// it into a `Box<dyn Error>`); its [`Display`](fmt::Display) is the
/// message.
///
/// ```
/// use orc::SiteError;
///
/// fn check(n: i64) -> Result<i64, Box<dyn std::error::Error>> {
///     if n < 0 {
///         return Err(SiteError::new("negative").into());
///     }
///     Ok(n)
/// }
/// assert_eq!(check(-1).unwrap_err().to_string(), "negative");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct SiteError(pub String);

impl SiteError {
    pub fn new(msg: impl Into<String>) -> SiteError {
        SiteError(msg.into())
    }
}

impl fmt::Display for SiteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SiteError {}

/// Checks the argument count: `Err` names the site and what it expects.
pub fn arity<'a, const N: usize>(
    name: &str,
    args: &'a [Value],
) -> Result<&'a [Value; N], SiteError> {
    args.try_into().map_err(|_| {
        SiteError::new(format!(
            "{name} expects {N} argument{}, but was called with {}",
            if N == 1 { "" } else { "s" },
            args.len()
        ))
    })
}

/// The error for `if` on something that is not a boolean (shared with
/// `FilterInPlace`, which decides `filter`'s `if` natively).
pub fn if_condition_error(got: &Value) -> String {
    format!(
        "if expects a boolean condition, but got {} {got}",
        got.type_name()
    )
}

/// A type error in an argument.
pub fn expected(name: &str, what: &str, got: &Value) -> SiteError {
    SiteError::new(format!(
        "{name} expects {what}, but got {} {}",
        got.type_name(),
        crate::value::limits::shown(got)
    ))
}

/// The index `x(i)` names in an array or tuple (`kind`) of `len`
/// elements: one integer argument, from 0 to `len - 1`. (Inlined, with
/// the errors out of line: every element read goes through here.)
#[inline]
pub fn index_arg(kind: &str, args: &[Value], len: usize) -> Result<usize, SiteError> {
    match args {
        [Value::Int(i)] if (0..len as i64).contains(i) => Ok(*i as usize),
        _ => Err(index_error(kind, args, len)),
    }
}

/// Why `args` name no index of [`index_arg`]'s.
#[cold]
#[inline(never)]
fn index_error(kind: &str, args: &[Value], len: usize) -> SiteError {
    match arity::<1>(kind, args) {
        Err(e) => e,
        Ok([i @ (Value::Int(_) | Value::BigInt(_))]) => SiteError::new(format!(
            "{kind} index out of bounds: {i} (the {} has length {len})",
            kind.to_lowercase()
        )),
        Ok([other]) => expected(kind, "an integer index", other),
    }
}

/// What member access `v.name` needs of the built-in sites, which the
/// evaluator does itself: the compiler (above the sites) hands it down
/// with the program ([`Program::members`](crate::runtime::program::Program::members)),
/// so that the runtime need not import the sites.
#[derive(Clone, Copy, Debug)]
pub struct Members {
    /// A string's method `name`, bound to the string, if it has one.
    pub of_string: fn(&Arc<str>, &str) -> Option<Value>,
    /// The `unapply` member of a site that takes values apart.
    pub unapply: fn(Arc<dyn Site>) -> Value,
}

/// How a site call ends (or that it will end later).
pub enum Outcome {
    Publish(Value),
    Halt,
    Error(SiteError),
    /// The call registered a handle, timer or task that completes it later.
    Pending,
}

impl From<Result<Value, SiteError>> for Outcome {
    fn from(r: Result<Value, SiteError>) -> Outcome {
        match r {
            Ok(v) => Outcome::Publish(v),
            Err(e) => Outcome::Error(e),
        }
    }
}

pub type BoxFuture = Pin<Box<dyn StdFuture<Output = Outcome> + Send + 'static>>;

/// Something a program can call.
pub trait Site: Send + Sync + 'static {
    fn name(&self) -> &str;

    /// How the site prints as a value.
    fn display_name(&self) -> String {
        self.name().to_string()
    }

    /// How a site that holds values (a `Ref`, an array) prints: text and
    /// the values, which the printer writes itself, so that printing
    /// values nested in such sites needs no recursion. `None` (the
    /// default): it prints as [`Site::display_name`].
    fn show(&self) -> Option<crate::value::print::Shown> {
        None
    }

    fn call(&self, args: &[Value], cx: &mut SiteCx<'_>) -> Outcome;

    /// `site.name`: a member (method) of the site, if it has one.
    fn member(&self, _name: &str) -> Option<Value> {
        None
    }

    /// The names [`Site::member`] knows, for completion in the REPL.
    fn member_names(&self) -> Vec<&str> {
        Vec::new()
    }

    /// `site.name(args)` at once, without building the member: the same
    /// outcome as calling [`Site::member`]'s value, or `None` when `name`
    /// is not a method answered this way (the general path then reads the
    /// member, or reports it missing). `hint` belongs to the call in the
    /// program (always with the same `name`): the site may keep there
    /// where it found the method, to skip looking it up next time.
    fn call_member(
        &self,
        _name: &str,
        _hint: &MemberHint,
        _args: &[Value],
        _cx: &mut SiteCx<'_>,
    ) -> Option<Outcome> {
        None
    }

    /// `site(args).name(member_args)` in one call, without making the
    /// value `site(args)` publishes (`a(i)?` and `a(i) := v` on an array,
    /// which would make an element reference only to call it once and drop
    /// it): the outcome of the two calls made one after the other, or
    /// `None` when the site does not fuse them (another `name`, or a first
    /// call that would not publish at once, as a bad index): they are then
    /// made the ordinary way, which reports what went wrong.
    fn call_member_of(
        &self,
        _args: &[Value],
        _name: &str,
        _member_args: &[Value],
        _cx: &mut SiteCx<'_>,
    ) -> Option<Outcome> {
        None
    }

    /// Takes a value apart for a call pattern `Name(p, ...)`: `None` when
    /// the value does not match. Sites that are not constructors say so with
    /// `Err`.
    fn unapply(&self, _value: &Value) -> Result<Option<Vec<Value>>, SiteError> {
        Err(SiteError::new(format!(
            "{} cannot be used in a pattern",
            self.name()
        )))
    }

    /// Equality between distinct site objects (e.g. two handles on one
    /// channel); identity is checked before this.
    fn site_eq(&self, _other: &dyn Site) -> bool {
        false
    }

    /// Whether every call answers at once (never `Pending`) and has no
    /// effect beyond its result: such calls may be evaluated in place of a
    /// pruned expression (`f <x< +(a, b)`) without starting a token.
    fn is_immediate(&self) -> bool {
        false
    }

    /// The arguments a call calls (bit `k`: argument `k`) where, given
    /// callees without effects there, the call has no effect beyond its
    /// result: `Some(0)` for an immediate site, `Some(1)` for
    /// `FilterInPlace`, which calls its first argument. `None` where a
    /// call may have effects of its own. (What a token may put off without
    /// it being seen: see `runtime::light`.)
    fn pure_given(&self) -> Option<u32> {
        self.is_immediate().then_some(0)
    }

    /// Whether the site is a pure function: its answer depends only on
    /// the arguments and is an immutable value with no identity of its
    /// own (arithmetic, constructors of tuples, lists and datatypes), so
    /// that a call with constant arguments may be made once, when the
    /// program is compiled. (Sites that make a fresh channel or
    /// reference are immediate, but not pure.)
    fn is_pure(&self) -> bool {
        false
    }

    /// The other built-ins whose power the site's values hand out by
    /// name: an `Rclock`'s `.wait` is `Rwait`, its `.time()` reads the
    /// clock as `Rtime` does. A host that withholds one of them withholds
    /// this site too (see [`crate::embed::sandbox`]). Empty by default.
    fn built_on(&self) -> &'static [&'static str] {
        &[]
    }

    /// The call's outcome if the site can give it now *without any
    /// effect*, only reading its state (`?` on a bound reference, an
    /// array's element): evaluations that run in place (see
    /// `runtime::inplace`) may then use it there, as if the call were
    /// made at that instant. [`Peek::Wait`] when the call would wait
    /// (try again later), [`Peek::Effect`] (the default) when it must be
    /// made the ordinary way.
    fn peek(&self, _args: &[Value]) -> Peek {
        Peek::Effect
    }

    /// [`Site::peek`] for the method `name` of the site (`r.read()`).
    fn peek_member(&self, _name: &str, _args: &[Value]) -> Peek {
        Peek::Effect
    }

    /// [`Site::peek`] of `site(args)?` in one step: the outcome reading
    /// the reference the call gives would have now (never `Pending`),
    /// without making it (`a(i)?` on an array). `None` (the default) when
    /// the site cannot, and the reference is made and read the ordinary
    /// way. (A bare outcome, not a [`Peek`]: the fewer the wrappings, the
    /// fewer the copies of the element on its way to its slot.)
    fn peek_read(&self, _args: &[Value]) -> Option<Outcome> {
        None
    }

    /// Whether this is the built-in `?` (a reference's `read`), whose call
    /// on what `site(args)` publishes may be answered by
    /// [`Site::peek_read`].
    fn is_deref(&self) -> bool {
        false
    }

    /// A shortcut for a call with two machine integers (the arithmetic and
    /// comparison operators): the same result as [`Site::call`], or `None`
    /// to take the general path (other operators, overflow). Only for
    /// immediate sites.
    fn call_ints(&self, _a: i64, _b: i64) -> Option<IntResult> {
        None
    }

    /// The operator behind [`Site::call_ints`], where it is one: register
    /// code keeps it in the op and applies it without going through the
    /// site.
    fn int_op(&self) -> Option<IntOp> {
        None
    }

    /// The same shortcut for an operator on two booleans (`&&`, `||`).
    fn call_bools(&self, a: bool, b: bool) -> Option<bool> {
        self.bool_op().map(|op| op.apply(a, b))
    }

    /// The operator behind [`Site::call_bools`], where it is one (kept in
    /// register code's ops as [`Site::int_op`] is).
    fn bool_op(&self) -> Option<BoolOp> {
        None
    }

    fn as_any(&self) -> &dyn Any;

    /// For the cycle collector ([`crate::value::cycles`]): reports each
    /// value or library object the site holds, once per reference held.
    /// The default reports nothing, which is always safe: what the site
    /// holds then counts as held from outside and is never collected (a
    /// cycle through the site is not freed).
    #[doc(hidden)]
    fn trace(&self, _tracer: &mut crate::value::cycles::Tracer<'_>) {}

    /// For the cycle collector: empties a site that holds values it was
    /// written after it was made (an object member's slot), found in a
    /// garbage cycle, moving what it held into `trash`.
    #[doc(hidden)]
    fn clear(&self, _trash: &mut crate::value::cycles::Trash) {}
}

/// The value a pure site ([`Site::is_pure`]) publishes for `args`, computed
/// with no run (when a program is compiled); `None` if it halts, fails or
/// asks anything of a run.
pub fn call_pure(site: &dyn Site, args: &[Value]) -> Option<Value> {
    struct NoRun;
    impl CallContext for NoRun {
        fn now_ms(&self) -> u64 {
            0
        }
        fn sleep(&mut self, _: u64) -> Outcome {
            Outcome::Halt
        }
        fn defer(&mut self) -> CallHandle {
            CallHandle::new(
                super::handles::NO_TOKEN,
                0,
                Arc::new(Completions::default()),
            )
        }
        fn spawn(&mut self, _: BoxFuture) -> Outcome {
            Outcome::Halt
        }
        fn print(&mut self, _: &str) {}
        fn vawait(&mut self, _: Value) -> Outcome {
            Outcome::Halt
        }
        fn vtime(&mut self) -> Option<Value> {
            None
        }
    }
    if !site.is_pure() {
        return None;
    }
    match site.call(args, &mut SiteCx { inner: &mut NoRun }) {
        Outcome::Publish(v) => Some(v),
        _ => None,
    }
}

/// What [`Site::peek`] says of a call.
pub enum Peek {
    /// Its outcome now (never `Pending`), with no effect made.
    Now(Outcome),
    /// It would wait now.
    Wait,
    /// It has effects, or cannot tell: it must be called.
    Effect,
}

/// Everything a site may ask of the runtime during a call.
pub trait CallContext {
    /// Current time in milliseconds since the run started (real or simulated).
    fn now_ms(&self) -> u64;
    /// Complete this call with `signal` after `ms` milliseconds.
    fn sleep(&mut self, ms: u64) -> Outcome;
    /// A handle to complete this call later; return `Outcome::Pending`.
    fn defer(&mut self) -> CallHandle;
    /// Run a future on tokio and complete the call with its outcome.
    fn spawn(&mut self, fut: BoxFuture) -> Outcome;
    /// Program output (`Print`, `Println`).
    fn print(&mut self, text: &str);
    /// `Vawait(time)` on the caller's innermost virtual clock.
    fn vawait(&mut self, time: Value) -> Outcome;
    /// The current time of the caller's innermost virtual clock, if any.
    fn vtime(&mut self) -> Option<Value>;
    /// Completes another pending call during this one (a `put` handing
    /// its item to a waiting `get`). A run delivers a completion of its
    /// own calls at once; any other goes through the handle's queue.
    fn complete(&mut self, h: &CallHandle, outcome: Outcome) {
        h.complete(outcome)
    }
    /// See [`SiteCx::call_in_place`]; outside a run, never.
    fn call_in_place(&mut self, _f: &Value, _args: &[Value]) -> Option<Option<Value>> {
        None
    }
    /// See [`SiteCx::stopping`]; outside a run, never.
    fn stopping(&mut self) -> bool {
        false
    }
    /// State a site keeps for the whole run (an HTTP connection pool):
    /// one value of each type, made on first use, dropped with the run.
    /// `None` outside a run.
    fn run_local(&mut self) -> Option<&mut RunLocal> {
        None
    }
    /// The registry of the run's cycle collector, where containers that
    /// are written go ([`crate::value::cycles`]); `None` outside a run.
    #[doc(hidden)]
    fn cycles(&mut self) -> Option<&mut crate::value::cycles::Registry> {
        None
    }
}

/// What sites keep for the length of a run, one value per type (see
/// [`CallContext::run_local`]).
#[derive(Default)]
pub struct RunLocal(std::collections::HashMap<std::any::TypeId, Box<dyn Any + Send>>);

impl RunLocal {
    /// The run's value of type `T`, made by `make` on first use.
    pub fn get_or_insert_with<T: Any + Send>(&mut self, make: impl FnOnce() -> T) -> &mut T {
        self.0
            .entry(std::any::TypeId::of::<T>())
            .or_insert_with(|| Box::new(make()))
            .downcast_mut::<T>()
            .expect("a run-local value is keyed by its own type")
    }
}

/// The context passed to [`Site::call`].
pub struct SiteCx<'a> {
    pub(crate) inner: &'a mut dyn CallContext,
}

impl SiteCx<'_> {
    pub fn now_ms(&self) -> u64 {
        self.inner.now_ms()
    }
    pub fn sleep(&mut self, ms: u64) -> Outcome {
        self.inner.sleep(ms)
    }
    pub fn defer(&mut self) -> CallHandle {
        self.inner.defer()
    }
    pub fn spawn(&mut self, fut: impl StdFuture<Output = Outcome> + Send + 'static) -> Outcome {
        self.inner.spawn(Box::pin(fut))
    }
    pub fn print(&mut self, text: &str) {
        self.inner.print(text)
    }
    pub fn vawait(&mut self, time: Value) -> Outcome {
        self.inner.vawait(time)
    }
    pub fn vtime(&mut self) -> Option<Value> {
        self.inner.vtime()
    }
    /// See [`CallContext::run_local`].
    pub fn run_local(&mut self) -> Option<&mut RunLocal> {
        self.inner.run_local()
    }
    /// [`CallHandle::complete`], from within a call: the same effect, but
    /// a run completing one of its own calls does so at once, without
    /// the queue that handles completed from elsewhere go through.
    pub fn complete(&mut self, h: &CallHandle, outcome: Outcome) {
        self.inner.complete(h, outcome)
    }
    /// Calls `f` with `args` where the site runs, as a token calling it
    /// would compute it, when `f` is a closure whose body is an immediate
    /// expression (see [`crate::value::flat`]: it publishes at most once,
    /// never waits and has no effect): `Some(Some(v))` when it published
    /// `v`, `Some(None)` when it halted (its errors are reported as the
    /// call's own would be). `None`, with nothing done, for any other
    /// callee (a site, a closure whose body waits or has effects, a
    /// closure whose captured variables are still pending) or argument
    /// (a closure whose captures are): the site must then leave the call
    /// to a token.
    pub fn call_in_place(&mut self, f: &Value, args: &[Value]) -> Option<Option<Value>> {
        self.inner.call_in_place(f, args)
    }
    /// Whether the run must stop (it was killed, or a limit passed): a
    /// site that works through a large value asks every few thousand
    /// steps, and gives up at once, so that a limit holds within
    /// milliseconds there too.
    pub fn stopping(&mut self) -> bool {
        self.inner.stopping()
    }
    /// [`SiteCx::complete`] with a publication.
    pub fn publish(&mut self, h: &CallHandle, v: Value) {
        self.complete(h, Outcome::Publish(v))
    }
    /// Container `c` (with `mark`) was just written `v`: if `v` may close
    /// a cycle, `c` joins the run's cycle registry (once).
    #[inline(always)]
    pub(crate) fn track<T: crate::value::cycles::Container>(
        &mut self,
        c: &Arc<T>,
        mark: &crate::value::cycles::Mark,
        v: &Value,
    ) {
        // A look at the tag in line; the rest out of the writer's path.
        if crate::value::cycles::may_hold(v) {
            self.track_container(c, mark);
        }
    }

    #[inline(never)]
    fn track_container<T: crate::value::cycles::Container>(
        &mut self,
        c: &Arc<T>,
        mark: &crate::value::cycles::Mark,
    ) {
        if let Some(registry) = self.inner.cycles() {
            registry.track(c, mark);
        }
    }
    /// [`SiteCx::track`] for a site that is a container itself.
    pub(crate) fn track_site(
        &mut self,
        s: &Arc<dyn Site>,
        mark: &crate::value::cycles::Mark,
        v: &Value,
    ) {
        if crate::value::cycles::may_hold(v) {
            if let Some(registry) = self.inner.cycles() {
                registry.track_site(s, mark);
            }
        }
    }
}

/// Completions delivered to the engine from handles and tasks.
#[derive(Default)]
pub struct Completions {
    queue: Mutex<VecDeque<(TokenRef, u32, Outcome)>>,
    pub(crate) notify: tokio::sync::Notify,
}

impl Completions {
    pub(crate) fn push(&self, token: TokenRef, epoch: u32, outcome: Outcome) {
        self.queue
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push_back((token, epoch, outcome));
        self.notify.notify_one();
    }

    /// Swaps the completions waiting into `batch` (empty): the queue keeps
    /// the batch's room, so a run answering one call at a time does not
    /// allocate a queue for each.
    pub(crate) fn drain_into(&self, batch: &mut VecDeque<(TokenRef, u32, Outcome)>) {
        std::mem::swap(
            &mut *self.queue.lock().unwrap_or_else(|e| e.into_inner()),
            batch,
        );
    }
}

struct HandleState {
    token: TokenRef,
    epoch: u32,
    done: AtomicBool,
    cancelled: AtomicBool,
    completions: Arc<Completions>,
}

/// Completes a pending call. Cheap to clone; the first completion wins.
#[derive(Clone)]
pub struct CallHandle(Arc<HandleState>);

impl CallHandle {
    pub(crate) fn new(token: TokenRef, epoch: u32, completions: Arc<Completions>) -> CallHandle {
        CallHandle(Arc::new(HandleState {
            token,
            epoch,
            done: AtomicBool::new(false),
            cancelled: AtomicBool::new(false),
            completions,
        }))
    }

    /// The handle again, for a new call of `token` in its wait `epoch`,
    /// if nothing else holds it any more (a waiting queue a completed call
    /// was taken from, say); itself otherwise, to be dropped.
    pub(crate) fn renew(mut self, token: TokenRef, epoch: u32) -> Result<CallHandle, CallHandle> {
        let Some(state) = Arc::get_mut(&mut self.0) else {
            return Err(self);
        };
        state.token = token;
        state.epoch = epoch;
        *state.done.get_mut() = false;
        *state.cancelled.get_mut() = false;
        Ok(self)
    }

    /// The calling token was killed: nothing will be delivered.
    pub fn is_cancelled(&self) -> bool {
        self.0.cancelled.load(Ordering::Acquire)
    }

    /// Whether a completion can still be delivered.
    pub fn is_live(&self) -> bool {
        !self.is_cancelled() && !self.0.done.load(Ordering::Acquire)
    }

    pub(crate) fn cancel(&self) {
        self.0.cancelled.store(true, Ordering::Release);
    }

    pub fn complete(&self, outcome: Outcome) {
        if self.claim() {
            self.0.completions.push(self.0.token, self.0.epoch, outcome);
        }
    }

    /// Marks the call completed: whether this is its first completion
    /// and the call was not cancelled (so the outcome is to be delivered).
    fn claim(&self) -> bool {
        !self.0.done.swap(true, Ordering::AcqRel) && !self.is_cancelled()
    }

    /// The token that made the call.
    pub(crate) fn token(&self) -> TokenRef {
        self.0.token
    }

    /// Whether the call is one of the run whose queue is `completions`.
    pub(crate) fn belongs_to(&self, completions: &Arc<Completions>) -> bool {
        Arc::ptr_eq(&self.0.completions, completions)
    }

    /// [`CallHandle::complete`] by the call's own run, which delivers the
    /// outcome itself: the call's token and wait when it is to.
    pub(crate) fn claim_local(&self) -> Option<(TokenRef, u32)> {
        self.claim().then_some((self.0.token, self.0.epoch))
    }

    pub fn publish(&self, v: Value) {
        self.complete(Outcome::Publish(v))
    }

    pub fn halt(&self) {
        self.complete(Outcome::Halt)
    }

    pub fn error(&self, e: SiteError) {
        self.complete(Outcome::Error(e))
    }
}

#[cfg(test)]
mod tests {
    use super::super::handles::NO_TOKEN;
    use super::*;

    #[test]
    fn a_handle_is_renewed_only_once_nothing_else_holds_it() {
        let completions = Arc::new(Completions::default());
        let h = CallHandle::new(NO_TOKEN, 1, completions.clone());
        let held = h.clone();
        h.publish(Value::Signal);
        // Still held (by a waiting queue, say): not reused.
        let h = h.renew(NO_TOKEN, 2).err().expect("shared handle");
        drop(held);
        let h = h.renew(NO_TOKEN, 2).ok().expect("unique handle");
        // A fresh call: live again, and its completion is delivered once.
        assert!(h.is_live());
        assert_eq!(h.claim_local().map(|(_, epoch)| epoch), Some(2));
        assert!(h.claim_local().is_none());
        let mut batch = VecDeque::new();
        completions.drain_into(&mut batch);
        assert_eq!(
            batch.len(),
            1,
            "only the first call's completion was queued"
        );
    }
}
