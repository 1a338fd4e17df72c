//! Running other programs: `Exec` for a command run to its end, `Spawn`
//! for one whose output is read line by line as it comes.
//!
//! - `Exec(command, [arg, ...])` runs the command (found on `PATH`, no
//!   shell: ask for one with `Exec("sh", ["-c", script])`) with no input,
//!   and publishes `{. status = 0, stdout = "...", stderr = "..." .}` when
//!   it exits, whatever its status (a command killed by signal `n` has
//!   status `128 + n`, as shells report it). It fails if the command
//!   cannot be started. `Exec(command, args, input)` gives the command
//!   `input` (a string) as its standard input, so commands chain into a
//!   pipeline: `Exec("sort", [], Exec("ls", []).stdout)`.
//! - `Spawn(command, [arg, ...])` starts the command and publishes a
//!   process at once, with `p.readLine()` (the next line of its output,
//!   halting at the end), `p.wait()` (its status, once it exits) and
//!   `p.kill()`. The prelude's `execLines(command, args)` publishes each
//!   line as it comes.
//!
//! Killing the calling token of `Exec` kills the process (the task's
//! future owns the child, killed when dropped); a spawned process is
//! killed when its process value is dropped, so when the tokens that
//! could read it are gone.

use super::{failed, one_and_maybe, plain, record, spawn, AsyncFunc, Call};
use crate::sites::object::{method, Entry, Kind, Object};
use crate::sites::util::site;
use crate::sites::util::{expected, str_arg};
use crate::value::limits::MAX_STRING_BYTES;
use crate::value::site::{Outcome, SiteCx, SiteError};
use crate::value::Value;
use std::process::Stdio;
use std::sync::Arc;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStdout, Command};

/// The command and arguments of a call: `(command, [args])` or just
/// `(command)`.
fn command(name: &str, args: &[Value]) -> Result<Command, SiteError> {
    let (program, list) = one_and_maybe(name, "a command and a list of arguments", args)?;
    let mut cmd = Command::new(str_arg(name, program)?);
    match list {
        None => {}
        Some(Value::List(items)) => {
            cmd.args(items.iter().map(|v| plain(&v)));
        }
        Some(other) => return Err(expected(name, "a list of arguments", other)),
    }
    cmd.stdin(Stdio::null()).kill_on_drop(true);
    Ok(cmd)
}

/// What a command is for in messages.
fn what(name: &str, args: &[Value]) -> String {
    format!("{name}: `{}`", args.first().map(plain).unwrap_or_default())
}

/// An exit status as a shell reports it.
fn status_code(status: std::process::ExitStatus) -> i64 {
    if let Some(code) = status.code() {
        return code.into();
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return 128 + i64::from(signal);
        }
    }
    -1
}

/// `Exec`.
pub(crate) fn exec() -> AsyncFunc {
    AsyncFunc {
        name: "Exec",
        start: start_exec,
    }
}

fn start_exec(args: &[Value]) -> Result<Call, SiteError> {
    // A third argument is the command's input.
    let (args, input) = match args {
        [_, _, input] => (&args[..2], Some(plain(input))),
        _ => (args, None),
    };
    let mut cmd = command("Exec", args)?;
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    if input.is_some() {
        cmd.stdin(Stdio::piped());
    }
    let what = what("Exec", args);
    Ok(Box::pin(async move {
        let mut child = match cmd.spawn() {
            Ok(c) => c,
            Err(e) => return failed(format!("{what} cannot be run: {e}")),
        };
        if let (Some(input), Some(mut stdin)) = (input, child.stdin.take()) {
            // Written beside the reading, so a command that prints as it
            // reads cannot fill its output pipe and stall.
            tokio::spawn(async move {
                use tokio::io::AsyncWriteExt;
                let _ = stdin.write_all(input.as_bytes()).await;
            });
        }
        let (out, err) = (child.stdout.take(), child.stderr.take());
        let (stdout, stderr, status) =
            tokio::join!(read_all(out, &what), read_all(err, &what), child.wait());
        let (stdout, stderr) = match (stdout, stderr) {
            (Ok(o), Ok(e)) => (o, e),
            (Err(e), _) | (_, Err(e)) => return e,
        };
        match status {
            Ok(status) => Outcome::Publish(record(vec![
                ("status", Value::Int(status_code(status))),
                ("stdout", Value::str(&stdout)),
                ("stderr", Value::str(&stderr)),
            ])),
            Err(e) => failed(format!("{what}: {e}")),
        }
    }))
}

/// All of a pipe, as text, up to the limit of a string.
async fn read_all(pipe: Option<impl AsyncRead + Unpin>, what: &str) -> Result<String, Outcome> {
    let Some(pipe) = pipe else {
        return Ok(String::new());
    };
    let mut bytes = Vec::new();
    let mut limited = pipe.take(MAX_STRING_BYTES as u64 + 1);
    if let Err(e) = limited.read_to_end(&mut bytes).await {
        return Err(failed(format!("{what}: {e}")));
    }
    if bytes.len() > MAX_STRING_BYTES {
        return Err(failed(format!(
            "{what}: the output is longer than the limit of {MAX_STRING_BYTES} bytes for strings"
        )));
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// `Spawn`.
pub struct Spawn;

site!(impl Spawn as "Spawn" {
    fn call(&self, args: &[Value], _cx: &mut SiteCx<'_>) -> Outcome {
        let mut cmd = match command("Spawn", args) {
            Ok(c) => c,
            Err(e) => return Outcome::Error(e),
        };
        cmd.stdout(Stdio::piped()).stderr(Stdio::null());
        let what = what("Spawn", args);
        match cmd.spawn() {
            Ok(mut child) => {
                let lines = child.stdout.take().map(|out| BufReader::new(out).lines());
                Outcome::Publish(Object::value(Process {
                    what,
                    pid: child.id(),
                    child: Arc::new(tokio::sync::Mutex::new(child)),
                    lines: Arc::new(tokio::sync::Mutex::new(lines)),
                }))
            }
            Err(e) => failed(format!("{what} cannot be run: {e}")),
        }
    }
});

/// A running (or finished) process.
pub struct Process {
    what: String,
    /// The process id, while it runs.
    pid: Option<u32>,
    /// Killed when the last reference goes (`kill_on_drop`).
    child: Arc<tokio::sync::Mutex<Child>>,
    lines: Arc<tokio::sync::Mutex<Option<Lines<BufReader<ChildStdout>>>>>,
}

impl Kind for Process {
    const NAME: &'static str = "Process";

    fn methods() -> &'static [Entry<Self>] {
        const M: &[Entry<Process>] = &[
            method!("Process", "readLine", |p, a, cx| spawn(
                cx,
                Process::read_line(p, a)
            )),
            method!("Process", "wait", |p, a, cx| spawn(cx, Process::wait(p, a))),
            method!("Process", "kill", |p, a, cx| spawn(cx, Process::kill(p, a))),
        ];
        M
    }

    fn display(&self) -> String {
        format!("<Process {}>", self.what)
    }
}

/// Sends SIGKILL to process `pid` (gone already: nothing to do).
fn kill_by_id(pid: Option<u32>) -> std::io::Result<()> {
    #[cfg(unix)]
    if let Some(pid) = pid.and_then(|p| libc::pid_t::try_from(p).ok()) {
        // SAFETY: kill(2) has no memory effects; a stale id of a reaped
        // child is the only risk, and the child is reaped only by the
        // `wait` that holds it, which has not finished.
        if unsafe { libc::kill(pid, libc::SIGKILL) } != 0 {
            let e = std::io::Error::last_os_error();
            if e.raw_os_error() != Some(libc::ESRCH) {
                return Err(e);
            }
        }
    }
    #[cfg(not(unix))]
    let _ = pid;
    Ok(())
}

impl Process {
    fn read_line(this: &Arc<Process>, args: &[Value]) -> Result<Call, SiteError> {
        crate::sites::util::arity::<0>("Process.readLine", args)?;
        let (lines, what) = (this.lines.clone(), this.what.clone());
        Ok(Box::pin(async move {
            let mut lines = lines.lock().await;
            let Some(reader) = lines.as_mut() else {
                return Outcome::Halt;
            };
            match reader.next_line().await {
                Ok(Some(line)) => Outcome::Publish(Value::str(&line)),
                Ok(None) => {
                    *lines = None;
                    Outcome::Halt
                }
                Err(e) => failed(format!("{what}: {e}")),
            }
        }))
    }

    fn wait(this: &Arc<Process>, args: &[Value]) -> Result<Call, SiteError> {
        crate::sites::util::arity::<0>("Process.wait", args)?;
        let (child, what) = (this.child.clone(), this.what.clone());
        Ok(Box::pin(async move {
            match child.lock().await.wait().await {
                Ok(status) => Outcome::Publish(Value::Int(status_code(status))),
                Err(e) => failed(format!("{what}: {e}")),
            }
        }))
    }

    fn kill(this: &Arc<Process>, args: &[Value]) -> Result<Call, SiteError> {
        crate::sites::util::arity::<0>("Process.kill", args)?;
        let (child, what, pid) = (this.child.clone(), this.what.clone(), this.pid);
        Ok(Box::pin(async move {
            let result = match child.try_lock() {
                Ok(mut child) => child.start_kill(),
                // A `wait` in progress holds the child: signal it by its
                // process id.
                Err(_) => kill_by_id(pid),
            };
            match result {
                Ok(()) => Outcome::Publish(Value::Signal),
                Err(e) => failed(format!("{what}: {e}")),
            }
        }))
    }
}
