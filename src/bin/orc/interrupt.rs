//! Ctrl-C: stopping the program running at the moment (through its kill
//! switch), if any.
//!
//! `orc run` starts no thread for it. glibc's allocator takes a lock on
//! every allocation once a process has a second thread, which made
//! allocation-heavy programs up to a fifth slower; so until a program
//! runs, a plain signal handler ends the process with status 130, and
//! while it runs, the run's own async runtime catches SIGINT (tokio's
//! signal driver, no thread) and throws the kill switch
//! ([`run_interruptible`]).
//!
//! The REPL keeps a handler thread: there a Ctrl-C while no program runs
//! is ignored, and one while a program runs stops it (while rustyline
//! reads a line the terminal is in raw mode, so Ctrl-C arrives there as a
//! key, not as a signal).

use orc::runtime::Run;
use orc::{KillSwitch, RunOutcome};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

static CURRENT: Mutex<Option<KillSwitch>> = Mutex::new(None);
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Installs the handler. With `exit_when_idle` (for `orc run`), a Ctrl-C
/// while no program runs ends the process with status 130, and
/// [`run_interruptible`] catches the ones while it runs; without it (for
/// the REPL), such a Ctrl-C is ignored and a handler thread stops the
/// program guarded by [`guard`].
pub fn install(exit_when_idle: bool) {
    if exit_when_idle {
        #[cfg(unix)]
        {
            // SAFETY: the handler only calls `_exit`, which is
            // async-signal-safe.
            unsafe {
                libc::signal(
                    libc::SIGINT,
                    exit_on_sigint as *const () as libc::sighandler_t,
                );
            }
            return;
        }
    }
    let result = ctrlc::set_handler(move || {
        let current = CURRENT.lock().unwrap_or_else(|e| e.into_inner());
        match current.as_ref() {
            Some(switch) => {
                INTERRUPTED.store(true, Ordering::SeqCst);
                switch.kill();
            }
            None if exit_when_idle => std::process::exit(crate::args::exit::INTERRUPTED.into()),
            None => {}
        }
    });
    if let Err(e) = result {
        // Without the handler Ctrl-C still ends the process, just less
        // gracefully; worth a note but not worth failing over.
        errln!("orc: cannot handle Ctrl-C: {e}");
    }
}

#[cfg(unix)]
extern "C" fn exit_on_sigint(_: libc::c_int) {
    // SAFETY: `_exit` may be called from a signal handler.
    unsafe { libc::_exit(crate::args::exit::INTERRUPTED.into()) }
}

/// Runs `run` to its end on a runtime of its own; a Ctrl-C meanwhile
/// throws `kill` (the run then ends as killed).
#[cfg(unix)]
pub fn run_interruptible(run: &mut Run, kill: &KillSwitch) -> RunOutcome {
    use tokio::signal::unix::{signal, SignalKind};
    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return run.run_blocking();
    };
    let outcome = rt.block_on(async {
        // The runtime catches SIGINT from here on (its handler would chain
        // to the one installed before, which must not end the process
        // now).
        // SAFETY: restoring the default action is always allowed.
        unsafe {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
        }
        let running = run.run();
        tokio::pin!(running);
        let Ok(mut ctrl_c) = signal(SignalKind::interrupt()) else {
            return running.await;
        };
        tokio::select! {
            outcome = &mut running => return outcome,
            _ = ctrl_c.recv() => kill.kill(),
        }
        running.await
    });
    // Not a plain drop, which tokio forbids inside an async runtime.
    rt.shutdown_background();
    outcome
}

/// Runs `run` to its end; a Ctrl-C meanwhile throws `kill` (through the
/// handler thread).
#[cfg(not(unix))]
pub fn run_interruptible(run: &mut Run, kill: &KillSwitch) -> RunOutcome {
    let _guard = guard(kill);
    run.run_blocking()
}

/// While the guard lives, Ctrl-C throws `switch`.
pub struct Guard(());

pub fn guard(switch: &KillSwitch) -> Guard {
    INTERRUPTED.store(false, Ordering::SeqCst);
    *CURRENT.lock().unwrap_or_else(|e| e.into_inner()) = Some(switch.clone());
    Guard(())
}

impl Guard {
    /// Whether Ctrl-C was pressed while the guard lived.
    pub fn interrupted(&self) -> bool {
        INTERRUPTED.load(Ordering::SeqCst)
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        *CURRENT.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}
