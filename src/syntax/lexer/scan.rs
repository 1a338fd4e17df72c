//! Hand-written scanners for the tokens logos cannot match with a regex:
//! nested block comments and string literals with escapes, plus the value
//! conversions for numbers (with their digit limit) and identifiers.
//!
//! Each function is a logos callback: it starts right after the text logos
//! matched, may consume more with `bump`, and reports errors with the exact
//! byte range to blame.

use logos::{Lexer, Skip};
use num_bigint::BigInt;
use unicode_normalization::UnicodeNormalization;

use super::{LexError, LexErrorKind, Token};
use crate::value::limits::MAX_INT_DIGITS;
use crate::value::{digits, Decimal};

/// Characters that end a line (Unicode newline guidelines, R4). Strings and
/// line comments stop at them.
pub(super) fn is_newline(c: char) -> bool {
    matches!(
        c,
        '\r' | '\n' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Skips a block comment whose `{-` logos just matched. Comments nest, so
/// `{- a {- b -} c -}` is one comment.
pub(super) fn block_comment(lex: &mut Lexer<'_, Token>) -> Result<Skip, LexError> {
    let rest = lex.remainder().as_bytes();
    let mut depth = 1usize;
    let mut i = 0;
    // Byte-wise is fine: `{`, `-` and `}` are ASCII and never occur inside a
    // multi-byte UTF-8 sequence.
    while i < rest.len() {
        if rest[i..].starts_with(b"{-") {
            depth += 1;
            i += 2;
        } else if rest[i..].starts_with(b"-}") {
            depth -= 1;
            i += 2;
            if depth == 0 {
                lex.bump(i);
                return Ok(Skip);
            }
        } else {
            i += 1;
        }
    }
    Err(LexError::at(LexErrorKind::UnclosedComment, lex.span()))
}

/// An integer literal. Its digits (not counting leading zeros) may be at
/// most [`MAX_LITERAL_DIGITS`], the limit on the integers a program may
/// hold; they are converted in subquadratic time ([`digits`]).
pub(super) fn integer(lex: &mut Lexer<'_, Token>) -> Result<BigInt, LexError> {
    let text = lex.slice();
    // Up to 19 digits fit a u64: the common case, without a big number.
    if text.len() <= 19 {
        return text
            .parse::<u64>()
            .map(BigInt::from)
            .map_err(|_| LexError::default());
    }
    check_digits(text.trim_start_matches('0').len(), lex)?;
    digits::parse_uint(text)
        .map(BigInt::from)
        .ok_or_else(LexError::default)
}

/// A decimal literal, kept as written, if its exponent is within the
/// limit of [`crate::value::limits::MAX_DECIMAL_SCALE`] and its digits
/// within [`MAX_LITERAL_DIGITS`]. Only its form is checked here: the
/// digits are converted once, when the program is compiled.
pub(super) fn decimal(lex: &mut Lexer<'_, Token>) -> Result<String, LexError> {
    let text = lex.slice();
    let Some((int_part, frac_part, _)) = Decimal::literal_parts(text) else {
        return Err(LexError::at(LexErrorKind::NumberOutOfRange, lex.span()));
    };
    let int_digits = int_part.trim_start_matches('0').len();
    let significant = if int_digits == 0 {
        frac_part.trim_start_matches('0').len()
    } else {
        int_digits + frac_part.len()
    };
    check_digits(significant, lex)?;
    Ok(text.to_string())
}

/// The limit on the digits of a numeric literal: [`MAX_INT_DIGITS`], so
/// that every integer literal is a value a program may hold.
pub const MAX_LITERAL_DIGITS: usize = MAX_INT_DIGITS as usize;

fn check_digits(significant: usize, lex: &Lexer<'_, Token>) -> Result<(), LexError> {
    if significant > MAX_LITERAL_DIGITS {
        return Err(LexError::at(
            LexErrorKind::NumberTooLong(significant),
            lex.span(),
        ));
    }
    Ok(())
}

/// Identifiers are compared after NFC normalisation, so that the same name
/// typed with precomposed or combining characters is one name.
pub(super) fn identifier(lex: &mut Lexer<'_, Token>) -> String {
    let s = lex.slice();
    if s.is_ascii() {
        s.to_string()
    } else {
        s.nfc().collect()
    }
}

/// Scans a string literal whose opening `"` logos just matched, decoding
/// escapes. Strings may not span lines.
pub(super) fn string(lex: &mut Lexer<'_, Token>) -> Result<String, LexError> {
    let open = lex.span();
    // Byte offset of the literal's body in the whole source.
    let base = open.end;
    let rest = lex.remainder();
    let unclosed = || LexError::at(LexErrorKind::UnclosedString, open.clone());
    let mut out = String::new();
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                lex.bump(i + 1);
                return Ok(out);
            }
            '\\' => {
                let Some((_, e)) = chars.next() else {
                    return Err(unclosed());
                };
                match e {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    'f' => out.push('\u{0C}'),
                    'u' => {
                        let (decoded, len) = unicode_escape(&rest[i..]).ok_or_else(|| {
                            let end = bad_escape_end(&rest[i..]);
                            LexError::at(LexErrorKind::InvalidEscape, base + i..base + i + end)
                        })?;
                        out.push_str(&decoded);
                        // Skip the rest of the escape (`\u` already consumed).
                        while chars.peek().is_some_and(|&(j, _)| j < i + len) {
                            chars.next();
                        }
                    }
                    c if is_newline(c) => return Err(unclosed()),
                    // Any other escaped character stands for itself: `\"`, `\\`.
                    c => out.push(c),
                }
            }
            c if is_newline(c) => return Err(unclosed()),
            c => out.push(c),
        }
    }
    Err(unclosed())
}

/// Decodes `\uXXXX` or `\u{X Y ...}` at the start of `s` (which begins with
/// the backslash). Returns the text and the escape's length in bytes.
fn unicode_escape(s: &str) -> Option<(String, usize)> {
    let body = s.strip_prefix("\\u")?;
    if let Some(group) = body.strip_prefix('{') {
        let close = group.find('}')?;
        let inner = &group[..close];
        let mut out = String::new();
        // Code points are separated by one or more spaces; no leading or
        // trailing spaces.
        if inner.starts_with(' ') || inner.ends_with(' ') {
            return None;
        }
        for digits in inner.split(' ').filter(|d| !d.is_empty()) {
            if digits.len() > 6 {
                return None;
            }
            out.push(hex_char(digits)?);
        }
        if out.is_empty() {
            return None;
        }
        Some((out, 2 + 1 + close + 1))
    } else {
        let digits = body.get(..4)?;
        if digits.len() != 4 {
            return None;
        }
        Some((hex_char(digits)?.to_string(), 6))
    }
}

fn hex_char(digits: &str) -> Option<char> {
    if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    char::from_u32(u32::from_str_radix(digits, 16).ok()?)
}

/// How much of a malformed `\u` escape to blame: up to the closing `}` of a
/// brace group, or the backslash, `u` and up to four more characters,
/// stopping at the string's end or the line's end.
fn bad_escape_end(s: &str) -> usize {
    let stop = |c: char| c == '"' || is_newline(c);
    let body = &s[2..];
    if body.starts_with('{') {
        for (j, c) in body.char_indices() {
            if stop(c) {
                return 2 + j;
            }
            if c == '}' {
                return 2 + j + 1;
            }
        }
        return s.len();
    }
    let mut end = 2;
    for (j, c) in body.char_indices().take(4) {
        if stop(c) || c == '\\' {
            break;
        }
        end = 2 + j + c.len_utf8();
    }
    end
}
