//! Ctrl-C: one process-wide SIGINT handler that stops the program running
//! at the moment (through its kill switch), if any.
//!
//! While rustyline reads a line the terminal is in raw mode, so Ctrl-C
//! arrives there as a key, not as a signal; this handler only sees the
//! Ctrl-C typed while a program runs (or while `orc run` compiles).

use orc::KillSwitch;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

static CURRENT: Mutex<Option<KillSwitch>> = Mutex::new(None);
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Installs the handler. With `exit_when_idle`, a Ctrl-C while no program
/// runs ends the process with status 130 (for `orc run`); without it, such
/// a Ctrl-C is ignored (for the REPL).
pub fn install(exit_when_idle: bool) {
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
