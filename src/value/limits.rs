//! The size limits on values: the largest integer, decimal and string a
//! program may build. Without them one line (`2 ** 100000000`, a function
//! that doubles a string) would exhaust the host's memory; with them the
//! operation fails with a runtime error naming itself and the limit, and
//! the program goes on. The limits are generous: far beyond what real
//! orchestrations need, small enough that one value stays well under a
//! few hundred megabytes and prints in reasonable time.

/// The largest integer: one million decimal digits (checked as bits, which
/// is cheap: ⌈10⁶ · log₂ 10⌉ bits).
pub const MAX_INT_DIGITS: u64 = 1_000_000;
/// [`MAX_INT_DIGITS`] in bits.
pub const MAX_INT_BITS: u64 = 3_321_929;

/// The largest power-of-ten exponent (scale) of a decimal, either way:
/// `1e1000000` is the largest decimal literal, `1e1000001` is an error.
/// Decimal arithmetic aligns operands by this exponent, so it bounds the
/// work of every `+`, `-` and comparison. The unscaled digits are bounded
/// by [`MAX_INT_BITS`] like integers.
pub const MAX_DECIMAL_SCALE: i64 = 1_000_000;

/// The longest string, in bytes of UTF-8: 64 MiB.
pub const MAX_STRING_BYTES: usize = 64 * 1024 * 1024;

/// The deepest nesting of arrays and objects (lists, tuples, records)
/// that `ReadJSON` and `Read` accept in their input: one million levels.
/// Values themselves nest to any depth (they are dropped, printed and
/// compared without recursion); the readers keep what they are inside of
/// on a heap stack, and this bounds it, so that a text of brackets alone
/// is refused with an error naming the limit and the place.
pub const MAX_NESTING: usize = 1_000_000;

/// The error for a result past a limit: `op` names the operation.
pub fn too_large(op: &str, what: &str) -> String {
    format!("result too large: {op} would exceed {what}")
}

/// Checks that an integer result of `op` with `bits` bits is allowed.
pub fn check_int_bits(op: &str, bits: u64) -> Result<(), String> {
    within(op, bits <= MAX_INT_BITS, || {
        format!("the limit of {MAX_INT_DIGITS} decimal digits for integers")
    })
}

/// `Ok` if `ok`, else the error of `op` passing the limit `what` names.
fn within(op: &str, ok: bool, what: impl FnOnce() -> String) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(too_large(op, &what()))
    }
}

/// Checks that `op` may allocate `bytes` more under the memory limit of
/// the run it is part of (see [`crate::memory`]); if not, the run
/// stops with its memory-limit outcome and `op` fails with this error.
pub fn check_memory(op: &str, bytes: usize) -> Result<(), String> {
    within(op, !crate::memory::would_exceed(bytes), || {
        "the run's memory limit".to_string()
    })
}

/// Checks that a string result of `op` of `bytes` bytes is allowed.
pub fn check_string_len(op: &str, bytes: usize) -> Result<(), String> {
    within(op, bytes <= MAX_STRING_BYTES, || {
        format!("the limit of {MAX_STRING_BYTES} bytes for strings")
    })?;
    check_memory(op, bytes)
}

/// Writes a value's text, stopping (with the error of
/// [`check_string_len`]) as soon as it would pass the string limit or the
/// run's memory limit, so a list holding one large string many times is
/// never printed out whole.
pub fn bounded_text(
    op: &str,
    write: impl FnOnce(&mut Bounded) -> std::fmt::Result,
) -> Result<String, String> {
    let mut out = Bounded {
        text: String::new(),
        over_memory: false,
    };
    match write(&mut out) {
        Ok(()) => Ok(out.text),
        Err(_) if out.over_memory => Err(too_large(op, "the run's memory limit")),
        Err(_) => Err(check_string_len(op, MAX_STRING_BYTES + 1).unwrap_err()),
    }
}

/// A string buffer that refuses to grow past [`MAX_STRING_BYTES`], or
/// past the run's memory limit.
pub struct Bounded {
    text: String,
    over_memory: bool,
}

impl std::fmt::Write for Bounded {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let len = self.text.len() + s.len();
        if len > MAX_STRING_BYTES {
            return Err(std::fmt::Error);
        }
        if len > self.text.capacity() {
            // The buffer grows (doubling), and the finished text is
            // copied once more into the value.
            let grown = len.max(2 * self.text.capacity());
            if crate::memory::would_exceed(grown + len) {
                self.over_memory = true;
                return Err(std::fmt::Error);
            }
        }
        self.text.push_str(s);
        Ok(())
    }
}

/// How many characters of a value an error message shows.
pub const MAX_SHOWN_CHARS: usize = 100;

/// A value's text for an error message: at most [`MAX_SHOWN_CHARS`]
/// characters, ending in `…` when cut. Formatting stops there, so showing
/// a list of a million elements (or a 64 MiB string) costs no more than
/// showing a short one.
pub fn shown(value: &impl std::fmt::Display) -> String {
    use std::fmt::Write;
    /// Keeps the first characters, then refuses the rest.
    struct Prefix {
        text: String,
        chars: usize,
        cut: bool,
    }
    impl Write for Prefix {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            for c in s.chars() {
                if self.chars == MAX_SHOWN_CHARS {
                    self.cut = true;
                    return Err(std::fmt::Error);
                }
                self.text.push(c);
                self.chars += 1;
            }
            Ok(())
        }
    }
    let mut out = Prefix {
        text: String::new(),
        chars: 0,
        cut: false,
    };
    let _ = write!(out, "{value}");
    if out.cut {
        out.text.push('…');
    }
    out.text
}
