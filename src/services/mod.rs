//! Services: the sites through which a program reaches the world outside
//! its process — the network ([`http`]), other programs ([`process`]) and
//! files ([`files`]).
//!
//! Each service is a [`Capability`] the host grants with
//! [`Engine::grant`](crate::Engine::grant). An engine grants none of them until asked
//! ([`Engine::new`](crate::Engine::new) and [`Engine::sandboxed`](crate::Engine::sandboxed) alike): until then each of
//! their names is bound to a marker, so that a program naming one gets a
//! compile error saying which capability it needs rather than "unbound
//! variable" (see [`crate::sites::withheld`]). The `orc` command grants all
//! three, since a script is its user's own program, and withholds them on
//! request (`--deny net`, `--sandbox`).
//!
//! Every call of a service runs as a task on the run's tokio runtime, so
//! killing the calling token (a pruning, a trim, `timeout`) drops it: an
//! HTTP request's connection is closed, a command's process is killed, a
//! file operation is abandoned.

pub mod files;
pub mod http;
pub mod process;

use crate::compile::resolve::Globals;
use crate::sites::util::site;
use crate::sites::withheld::Withheld;
use crate::value::site::{Outcome, Site, SiteCx, SiteError};
use crate::value::Value;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// A service a host may grant its programs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Capability {
    /// `HTTP`: requests to any host.
    Net,
    /// `Exec`, `Spawn`: running other programs.
    Processes,
    /// `ReadFile`, `WriteFile`, `AppendFile`, `ListDir`.
    Files,
}

impl Capability {
    pub const ALL: [Capability; 3] = [Capability::Net, Capability::Processes, Capability::Files];

    /// The names the capability binds.
    pub fn names(self) -> &'static [&'static str] {
        match self {
            Capability::Net => &["HTTP"],
            Capability::Processes => &["Exec", "Spawn"],
            Capability::Files => &["ReadFile", "WriteFile", "AppendFile", "ListDir"],
        }
    }

    /// What the capability is, for messages: "`HTTP` needs network
    /// access, which this host does not grant".
    pub fn describe(self) -> &'static str {
        match self {
            Capability::Net => "network access",
            Capability::Processes => "running other programs",
            Capability::Files => "access to files",
        }
    }

    /// The word the `orc` command's `--deny` takes.
    pub fn flag(self) -> &'static str {
        match self {
            Capability::Net => "net",
            Capability::Processes => "run",
            Capability::Files => "files",
        }
    }

    /// The capability's sites.
    pub fn sites(self) -> Vec<Arc<dyn Site>> {
        match self {
            Capability::Net => vec![Arc::new(http::Http)],
            Capability::Processes => vec![Arc::new(process::exec()), Arc::new(process::Spawn)],
            Capability::Files => files::sites(),
        }
    }
}

/// The built-in sites and every service's, granted: the scope the prelude
/// is compiled and analysed in, so that library functions can be built on
/// services (an engine that does not grant one withholds them too).
pub(crate) fn builtins_and_services() -> Globals {
    let mut globals = crate::sites::builtins();
    for cap in Capability::ALL {
        for site in cap.sites() {
            globals.insert(site.name().to_string(), Value::Site(site));
        }
    }
    globals
}

/// Binds the names of every service to a marker saying what it needs
/// (what an engine starts with).
pub(crate) fn mark_ungranted(globals: &mut Globals) {
    for cap in Capability::ALL {
        for name in cap.names() {
            globals.insert(
                name.to_string(),
                Value::Site(Arc::new(Withheld::ungranted(*name, cap.describe()))),
            );
        }
    }
}

/// The boxed future of a service call.
pub(crate) type Call = Pin<Box<dyn Future<Output = Outcome> + Send + 'static>>;

/// A site whose calls check their arguments at once and then run as a
/// task: `start` gives the task's future, or the error in the arguments.
pub(crate) struct AsyncFunc {
    pub name: &'static str,
    pub start: fn(&[Value]) -> Result<Call, SiteError>,
}

site!(impl AsyncFunc {
    fn name(&self) -> &str {
        self.name
    }
    fn call(&self, args: &[Value], cx: &mut SiteCx<'_>) -> Outcome {
        spawn(cx, (self.start)(args))
    }
});

/// Runs a call's task, or fails with the error in its arguments.
pub(crate) fn spawn(cx: &mut SiteCx<'_>, call: Result<Call, SiteError>) -> Outcome {
    match call {
        Ok(call) => cx.spawn(call),
        Err(e) => Outcome::Error(e),
    }
}

/// A value as text for the outside world: a string as itself, anything
/// else as Orc prints it.
/// The arguments of a call that takes one and maybe a second (`HTTP(url,
/// query)`, `Exec(command, args)`); `Err` says what `name` expects.
pub(crate) fn one_and_maybe<'a>(
    name: &str,
    expects: &str,
    args: &'a [Value],
) -> Result<(&'a Value, Option<&'a Value>), SiteError> {
    match args {
        [a] => Ok((a, None)),
        [a, b] => Ok((a, Some(b))),
        _ => Err(SiteError::new(format!(
            "{name} expects {expects}, but was called with {} arguments",
            args.len()
        ))),
    }
}

pub(crate) fn plain(v: &Value) -> String {
    match v.as_str() {
        Some(s) => s.to_string(),
        None => v.to_string(),
    }
}

/// A record value of the given fields.
pub(crate) fn record(fields: Vec<(&str, Value)>) -> Value {
    Value::Record(Arc::new(crate::value::Record {
        fields: fields.into_iter().map(|(n, v)| (Arc::from(n), v)).collect(),
    }))
}

/// The failure of a service call, as an Orc error: "`ReadFile`: cannot
/// read `x.txt`: No such file or directory (os error 2)".
pub(crate) fn failed(outcome: impl std::fmt::Display) -> Outcome {
    Outcome::Error(SiteError::new(outcome.to_string()))
}
