//! Lines that arrive other than one at a time at the prompt: lines typed
//! ahead while a program runs, and a paste of several lines. Both are
//! queued and fed to the REPL one line at a time, as if each were typed
//! at its prompt, so that every line is evaluated in order and an input
//! spread over lines stays whole.
//!
//! A paste arrives through the line editor in one piece (rustyline turns
//! on the terminal's bracketed paste), newlines and all. Lines typed while
//! a program runs wait in the terminal, which is then in its usual line
//! mode (it echoes them and hands them out a line at a time): they are
//! read here before the line editor starts, which would otherwise read
//! them in bulk and keep only the first. A line typed only in part stays
//! in the terminal, and the line editor takes it up as typed keys.

use std::collections::VecDeque;

#[derive(Default)]
pub struct Queue {
    lines: VecDeque<String>,
}

impl Queue {
    /// The next queued line, if any.
    pub fn next(&mut self) -> Option<String> {
        self.lines.pop_front()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Queues the lines of `text` (a paste) before those already queued;
    /// a final newline ends the last line, it does not add an empty one.
    pub fn push_front_text(&mut self, text: &str) {
        let text = text.strip_suffix('\n').unwrap_or(text);
        for line in text.split('\n').rev() {
            self.lines
                .push_front(line.trim_end_matches('\r').to_string());
        }
    }

    /// Queues the complete lines waiting on the terminal (standard input),
    /// without waiting for more.
    pub fn take_typed_ahead(&mut self) {
        let text = read_waiting();
        if !text.is_empty() {
            let text = String::from_utf8_lossy(&text);
            let text = text.strip_suffix('\n').unwrap_or(&text);
            self.lines.extend(
                text.split('\n')
                    .map(|l| l.trim_end_matches('\r').to_string()),
            );
        }
    }
}

/// What standard input has ready now (without blocking).
#[cfg(unix)]
fn read_waiting() -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let mut poll = libc::pollfd {
            fd: libc::STDIN_FILENO,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd, for the duration of the call.
        let ready = unsafe { libc::poll(&mut poll, 1, 0) };
        if ready <= 0 || poll.revents & libc::POLLIN == 0 {
            break;
        }
        // SAFETY: `buf` is valid for writes of its length.
        let n = unsafe { libc::read(libc::STDIN_FILENO, buf.as_mut_ptr().cast(), buf.len()) };
        if n <= 0 {
            break;
        }
        out.extend_from_slice(&buf[..n as usize]);
    }
    out
}

#[cfg(not(unix))]
fn read_waiting() -> Vec<u8> {
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paste_becomes_lines_in_order() {
        let mut q = Queue::default();
        q.push_front_text("def f(x) =\n  x + 1\nf(1)\n");
        q.push_front_text("a\r\nb");
        let lines: Vec<String> = std::iter::from_fn(|| q.next()).collect();
        assert_eq!(lines, ["a", "b", "def f(x) =", "  x + 1", "f(1)"]);
        assert!(q.is_empty());
    }
}
