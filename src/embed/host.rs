//! Host sites: Rust closures and async functions that programs call like
//! any other site.
//!
//! Register them on an [`Engine`] with [`Engine::register_fn`],
//! [`Engine::register_fn_or_halt`], [`Engine::register_async`] or
//! [`Engine::register_async_or_halt`]; each becomes a global of the engine,
//! visible to the programs compiled afterwards.
//!
//! A host site's error is a runtime error of the call (the calling token
//! halts; the program goes on). Its message is prefixed with the site's
//! name unless it already starts with it, so `?` on a
//! [`ConversionError`](super::ConversionError) reads well:
//! `Fetch: expected a string, but got Integer 3`.
//!
//! An async site runs on the tokio runtime that drives the run. When the
//! calling token is killed (a pruning `<x<` or `{| |}` took another value,
//! a time limit passed, the run was dropped), its task is aborted, which
//! drops the host's future: cancellation reaches the host.
//!
//! A host site that panics (its closure, or its future while polled) does
//! not take the run down nor leave the call pending: the panic is caught
//! and the call fails with a runtime error, `Name panicked: <message>`
//! (the panic's message when it is a string), like any other site error.
//! (The process's panic hook still runs, and by default prints the panic
//! on stderr.)

use crate::engine::Engine;
use crate::sites::util::site;
use crate::value::site::{Outcome, SiteCx, SiteError};
use crate::value::Value;
use std::any::Any;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

/// Checks how many arguments a host site was called with: `Err` says how
/// many it expects.
///
/// ```
/// use orc::embed::arity;
/// use orc::Value;
///
/// let args = [Value::from(1), Value::from(2)];
/// let [a, b] = arity::<2>(&args).unwrap();
/// assert_eq!((a.to_string(), b.to_string()), ("1".into(), "2".into()));
/// assert_eq!(
///     arity::<1>(&args).unwrap_err().to_string(),
///     "expects 1 argument, but was called with 2"
/// );
/// ```
pub fn arity<const N: usize>(args: &[Value]) -> Result<&[Value; N], SiteError> {
    args.try_into().map_err(|_| {
        SiteError::new(format!(
            "expects {N} argument{}, but was called with {}",
            if N == 1 { "" } else { "s" },
            args.len()
        ))
    })
}

/// Names the site in its error, unless the host already did.
fn named(name: &str, e: SiteError) -> SiteError {
    if e.0.starts_with(name) {
        e
    } else {
        SiteError(format!("{name}: {}", e.0))
    }
}

fn outcome(name: &str, r: Result<Option<Value>, SiteError>) -> Outcome {
    match r {
        Ok(Some(v)) => Outcome::Publish(v),
        Ok(None) => Outcome::Halt,
        Err(e) => Outcome::Error(named(name, e)),
    }
}

/// The error for a host site that panicked, with the panic's message when
/// it is a string (cut to a readable length).
fn panicked(name: &str, payload: Box<dyn Any + Send>) -> SiteError {
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str));
    match message {
        Some(m) => SiteError(format!(
            "{name} panicked: {}",
            crate::diagnostics::clip_message(m)
        )),
        None => SiteError(format!("{name} panicked")),
    }
}

/// A host's future, whose panic while polled becomes the call's error.
struct CatchPanic {
    name: Arc<str>,
    future: crate::value::site::BoxFuture,
}

impl Future for CatchPanic {
    type Output = Outcome;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Outcome> {
        let this = &mut *self;
        // Once it has panicked the future is never polled again: the task
        // ends with the error.
        match catch_unwind(AssertUnwindSafe(|| this.future.as_mut().poll(cx))) {
            Ok(poll) => poll,
            Err(payload) => Poll::Ready(Outcome::Error(panicked(&this.name, payload))),
        }
    }
}

type SyncFn = dyn Fn(&[Value]) -> Result<Option<Value>, SiteError> + Send + Sync;
type AsyncFn = dyn Fn(Vec<Value>) -> crate::value::site::BoxFuture + Send + Sync;

/// A site answered by a Rust closure: at once, or later by a future on
/// tokio.
struct Host {
    name: Arc<str>,
    f: HostCall,
}

enum HostCall {
    Sync(Box<SyncFn>),
    Async(Box<AsyncFn>),
}

site!(impl Host {
    fn name(&self) -> &str {
        &self.name
    }
    fn call(&self, args: &[Value], cx: &mut SiteCx<'_>) -> Outcome {
        // The host's closure runs here; an async one makes the future,
        // which runs in the task (see `CatchPanic`).
        let called = match &self.f {
            HostCall::Sync(f) => {
                catch_unwind(AssertUnwindSafe(|| outcome(&self.name, f(args))))
            }
            HostCall::Async(f) => {
                let future = catch_unwind(AssertUnwindSafe(|| f(args.to_vec())));
                future.map(|future| {
                    cx.spawn(CatchPanic {
                        name: self.name.clone(),
                        future,
                    })
                })
            }
        };
        called.unwrap_or_else(|payload| Outcome::Error(panicked(&self.name, payload)))
    }
});

impl Engine {
    /// Registers a synchronous host site: each call publishes the
    /// closure's value or fails with its error. The closure runs on the
    /// engine's thread and should return promptly; use
    /// [`Engine::register_async`] for anything that waits. If it panics,
    /// the call fails with the error `Name panicked: <message>` and the
    /// program goes on.
    ///
    /// ```
    /// use orc::embed::arity;
    /// use orc::{Engine, RunOptions};
    ///
    /// let mut engine = Engine::new();
    /// engine.register_fn("Double", |args| {
    ///     let [n] = arity::<1>(args)?;
    ///     Ok((i64::try_from(n)? * 2).into())
    /// });
    /// let program = engine.compile("main", "Double(21)").unwrap();
    /// let report = engine.execute_blocking(&program, RunOptions::new()).finish();
    /// assert_eq!(report.publications[0].to_string(), "42");
    /// ```
    pub fn register_fn<F>(&mut self, name: &str, f: F) -> &mut Engine
    where
        F: Fn(&[Value]) -> Result<Value, SiteError> + Send + Sync + 'static,
    {
        self.register_fn_or_halt(name, move |args| f(args).map(Some))
    }

    /// Registers a synchronous host site that may also halt without a
    /// value: `Ok(None)` makes the call silent (like `stop`), so that
    /// `Lookup(key) ; default` falls back to `default`.
    ///
    /// ```
    /// use orc::{Engine, RunOptions, Value};
    ///
    /// let mut engine = Engine::new();
    /// engine.register_fn_or_halt("Env", |args| {
    ///     let key = String::try_from(&args[0])?;
    ///     Ok((key == "HOME").then(|| Value::from("/home/orc")))
    /// });
    /// let program = engine
    ///     .compile("main", r#"(Env("HOME") ; "?") | (Env("NOPE") ; "unset")"#)
    ///     .unwrap();
    /// let mut values: Vec<String> = engine
    ///     .execute_blocking(&program, RunOptions::new())
    ///     .map(|v| v.to_string())
    ///     .collect();
    /// values.sort();
    /// assert_eq!(values, [r#""/home/orc""#, r#""unset""#]);
    /// ```
    pub fn register_fn_or_halt<F>(&mut self, name: &str, f: F) -> &mut Engine
    where
        F: Fn(&[Value]) -> Result<Option<Value>, SiteError> + Send + Sync + 'static,
    {
        let site = Host {
            name: Arc::from(name),
            f: HostCall::Sync(Box::new(f)),
        };
        self.define(name, Value::Site(Arc::new(site)));
        self
    }

    /// Registers an asynchronous host site: each call runs the future the
    /// closure returns as a task on the tokio runtime driving the run, and
    /// publishes its value (or fails with its error) when it completes.
    /// A call whose token is killed drops its future. If the closure or
    /// the future panics, the call fails with the error `Name panicked:
    /// <message>` and the program goes on.
    ///
    /// ```
    /// use orc::{Engine, RunOptions};
    /// use std::time::Duration;
    ///
    /// let mut engine = Engine::new();
    /// engine.register_async("Slow", |args| async move {
    ///     tokio::time::sleep(Duration::from_millis(10)).await;
    ///     Ok(args.into_iter().next().unwrap_or(orc::Value::Signal))
    /// });
    /// let program = engine.compile("main", r#"Slow("done")"#).unwrap();
    /// let first = engine.execute_blocking(&program, RunOptions::new()).next();
    /// assert_eq!(first.unwrap().to_string(), r#""done""#);
    /// ```
    pub fn register_async<F, Fut>(&mut self, name: &str, f: F) -> &mut Engine
    where
        F: Fn(Vec<Value>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Value, SiteError>> + Send + 'static,
    {
        self.register_async_or_halt(name, move |args| {
            let fut = f(args);
            async move { fut.await.map(Some) }
        })
    }

    /// [`Engine::register_async`] for a site that may halt without a
    /// value (`Ok(None)`).
    pub fn register_async_or_halt<F, Fut>(&mut self, name: &str, f: F) -> &mut Engine
    where
        F: Fn(Vec<Value>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Option<Value>, SiteError>> + Send + 'static,
    {
        let site_name: Arc<str> = Arc::from(name);
        let call_name = site_name.clone();
        let f = move |args: Vec<Value>| -> crate::value::site::BoxFuture {
            let fut = f(args);
            let name = call_name.clone();
            Box::pin(async move { outcome(&name, fut.await) })
        };
        let site = Host {
            name: site_name,
            f: HostCall::Async(Box::new(f)),
        };
        self.define(name, Value::Site(Arc::new(site)));
        self
    }
}
