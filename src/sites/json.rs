//! JSON: `ReadJSON(text)` parses JSON into Orc values and `WriteJSON(v)`
//! writes an Orc value as JSON text.
//!
//! Objects become records (a repeated key keeps its last value), arrays
//! lists, `true`/`false`/`null` booleans and `null`. A number without a
//! fraction or exponent becomes an integer, any other a decimal that keeps
//! the literal's digits (`-0.500` stays `-0.500`, `6e7` is `6E+7`), as the
//! reference's `BigDecimal` does. We parse by hand rather than through
//! serde_json so that number text and key order survive exactly.
//!
//! Neither direction recurses: the reader keeps the arrays and objects it
//! is inside of on a heap stack, the writer what is left of the lists and
//! records it is inside of. Values of any depth are written; text nested
//! more than [`MAX_NESTING`] deep is refused with an error (a value limit,
//! like the size of strings: see [`crate::value::limits`]).

use super::util::{arity, expected, func};
use crate::value::limits::MAX_NESTING;
use crate::value::site::SiteError;
use crate::value::{Decimal, List, Record, Value};
use std::sync::Arc;

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

/// An array or object being read.
enum Open {
    Array(Vec<Value>),
    /// The fields so far, and the key of the value being read.
    Object(Record, String),
}

/// Parses a JSON text (one value, surrounded by optional whitespace).
pub fn read_json(text: &str) -> Result<Value, String> {
    let mut p = Parser { text, pos: 0 };
    // The arrays and objects the parser is inside of, innermost last.
    let mut open: Vec<Open> = Vec::new();
    let value = 'read: loop {
        // A value, or the start of an array or object to go into.
        p.skip_ws();
        let mut v = match p.peek() {
            Some(b'[' | b'{') if open.len() >= MAX_NESTING => {
                return Err(p.error(&format!("JSON nested more than {MAX_NESTING} levels deep")));
            }
            Some(b'[') => {
                p.pos += 1;
                if p.eat(b']') {
                    Value::list(vec![])
                } else {
                    open.push(Open::Array(Vec::new()));
                    continue;
                }
            }
            Some(b'{') => {
                p.pos += 1;
                if p.eat(b'}') {
                    Value::Record(Arc::new(Record::default()))
                } else {
                    let key = p.key()?;
                    open.push(Open::Object(Record::default(), key));
                    continue;
                }
            }
            _ => p.scalar()?,
        };
        // Hand it to the innermost array or object, closing those that end.
        loop {
            match open.last_mut() {
                None => break 'read v,
                Some(Open::Array(items)) => {
                    items.push(v);
                    if p.eat(b',') {
                        break;
                    }
                    if !p.eat(b']') {
                        return Err(p.error("expected `,` or `]`"));
                    }
                    let Some(Open::Array(items)) = open.pop() else {
                        unreachable!("the innermost is an array")
                    };
                    v = Value::list(items);
                }
                Some(Open::Object(r, key)) => {
                    // A repeated key keeps its first place and its last value.
                    let key = std::mem::take(key);
                    match r.fields.iter_mut().find(|(n, _)| **n == *key) {
                        Some(slot) => slot.1 = v,
                        None => r.fields.push((Arc::from(key), v)),
                    }
                    if p.eat(b',') {
                        let next = p.key()?;
                        if let Some(Open::Object(_, key)) = open.last_mut() {
                            *key = next;
                        }
                        break;
                    }
                    if !p.eat(b'}') {
                        return Err(p.error("expected `,` or `}`"));
                    }
                    let Some(Open::Object(r, _)) = open.pop() else {
                        unreachable!("the innermost is an object")
                    };
                    v = Value::Record(Arc::new(r));
                }
            }
        }
    };
    p.skip_ws();
    if p.pos < text.len() {
        return Err(p.error("unexpected text after the value"));
    }
    Ok(value)
}

impl Parser<'_> {
    fn error(&self, msg: &str) -> String {
        let line = self.text[..self.pos].matches('\n').count() + 1;
        let col = self.text[..self.pos]
            .rsplit('\n')
            .next()
            .map_or(0, |l| l.chars().count())
            + 1;
        format!("{msg} at line {line}, column {col}")
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        self.skip_ws();
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn keyword(&mut self, word: &str, v: Value) -> Result<Value, String> {
        if self.text[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(v)
        } else {
            Err(self.error("unrecognised JSON keyword"))
        }
    }

    /// An object's key and its `:`.
    fn key(&mut self) -> Result<String, String> {
        self.skip_ws();
        if self.peek() != Some(b'"') {
            return Err(self.error("expected a string key"));
        }
        let key = self.string()?;
        if !self.eat(b':') {
            return Err(self.error("expected `:`"));
        }
        Ok(key)
    }

    /// A value that is not an array or object.
    fn scalar(&mut self) -> Result<Value, String> {
        match self.peek() {
            Some(b'"') => self.string().map(|s| Value::str(&s)),
            Some(b't') => self.keyword("true", Value::Bool(true)),
            Some(b'f') => self.keyword("false", Value::Bool(false)),
            Some(b'n') => self.keyword("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error("illegal character")),
            None => Err(self.error("unexpected end of JSON text")),
        }
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let digits = self
            .text
            .get(self.pos..self.pos + 4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.error("expected four hex digits after \\u"))?;
        self.pos += 4;
        u32::from_str_radix(digits, 16).map_err(|e| e.to_string())
    }

    fn string(&mut self) -> Result<String, String> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.text[self.pos..].chars().next() else {
                return Err(self.error("unclosed string literal"));
            };
            self.pos += c.len_utf8();
            match c {
                '"' => return Ok(out),
                '\\' => {
                    let e = self
                        .peek()
                        .ok_or_else(|| self.error("unclosed string literal"))?;
                    self.pos += 1;
                    out.push(match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return Err(self.error("invalid escape in a string")),
                    });
                }
                c if (c as u32) < 0x20 => {
                    return Err(self.error("control character in a string"));
                }
                c => out.push(c),
            }
        }
    }

    /// `\uXXXX`, joining a surrogate pair; a lone surrogate becomes U+FFFD.
    fn unicode_escape(&mut self) -> Result<char, String> {
        let hi = self.hex4()?;
        if (0xD800..0xDC00).contains(&hi) && self.text[self.pos..].starts_with("\\u") {
            let save = self.pos;
            self.pos += 2;
            let lo = self.hex4()?;
            if (0xDC00..0xE000).contains(&lo) {
                let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                return Ok(char::from_u32(c).unwrap_or('\u{FFFD}'));
            }
            self.pos = save;
        }
        Ok(char::from_u32(hi).unwrap_or('\u{FFFD}'))
    }

    fn number(&mut self) -> Result<Value, String> {
        let start = self.pos;
        let bytes = self.text.as_bytes();
        let digits = |p: &mut usize| {
            let s = *p;
            while bytes.get(*p).is_some_and(u8::is_ascii_digit) {
                *p += 1;
            }
            *p > s
        };
        let mut p = self.pos;
        if bytes.get(p) == Some(&b'-') {
            p += 1;
        }
        let int_start = p;
        if !digits(&mut p) || (bytes[int_start] == b'0' && p > int_start + 1) {
            self.pos = int_start;
            return Err(self.error("malformed number"));
        }
        let mut integral = true;
        if bytes.get(p) == Some(&b'.') {
            p += 1;
            integral = false;
            if !digits(&mut p) {
                self.pos = p;
                return Err(self.error("malformed number"));
            }
        }
        if matches!(bytes.get(p), Some(b'e' | b'E')) {
            p += 1;
            integral = false;
            if matches!(bytes.get(p), Some(b'+' | b'-')) {
                p += 1;
            }
            if !digits(&mut p) {
                self.pos = p;
                return Err(self.error("malformed number"));
            }
        }
        self.pos = p;
        let text = &self.text[start..p];
        if integral {
            let n = crate::value::digits::parse_int(text)
                .ok_or_else(|| self.error("malformed number"))?;
            return Ok(Value::from_bigint(n));
        }
        // Decimal::parse takes no '+' in the exponent.
        Decimal::parse(&text.replace("e+", "e").replace("E+", "E"))
            .map(Value::decimal)
            .ok_or_else(|| self.error("malformed number"))
    }
}

/// Writes `v` as JSON, as the reference does.
pub fn write_json(v: &Value, out: &mut String) -> Result<(), SiteError> {
    /// What is left of a list or record being written (and whether
    /// nothing of it was written yet).
    enum Rest<'a> {
        List(&'a List, bool),
        Fields(&'a [(Arc<str>, Value)], bool),
    }
    let mut rest: Vec<Rest<'_>> = Vec::new();
    let mut next = Some(v);
    loop {
        if let Some(v) = next.take() {
            match v {
                Value::Null => out.push_str("null"),
                Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
                Value::Int(_) | Value::BigInt(_) | Value::Decimal(_) => {
                    out.push_str(&v.to_string())
                }
                Value::Str(s) => write_string(s, out),
                Value::List(l) => {
                    out.push('[');
                    rest.push(Rest::List(l, true));
                }
                Value::Record(r) => {
                    out.push('{');
                    rest.push(Rest::Fields(&r.fields, true));
                }
                other => {
                    return Err(SiteError::new(format!(
                        "WriteJSON: the value {} has no JSON counterpart",
                        crate::value::limits::shown(other)
                    )))
                }
            }
        }
        // The next element of the innermost list or record, or its end.
        match rest.last_mut() {
            None => return Ok(()),
            Some(Rest::List(l, first)) => match l.head_tail() {
                Some((x, tail)) => {
                    if !std::mem::take(first) {
                        out.push(',');
                    }
                    *l = tail;
                    next = Some(x);
                }
                None => {
                    out.push(']');
                    rest.pop();
                }
            },
            Some(Rest::Fields(fields, first)) => match fields.split_first() {
                Some(((k, x), tail)) => {
                    if !std::mem::take(first) {
                        out.push(',');
                    }
                    write_string(k, out);
                    out.push(':');
                    *fields = tail;
                    next = Some(x);
                }
                None => {
                    out.push('}');
                    rest.pop();
                }
            },
        }
    }
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '/' => out.push_str("\\/"),
            '"' => out.push_str("\\\""),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

pub fn sites() -> Vec<(&'static str, Value)> {
    vec![
        func("ReadJSON", |args| {
            let [s] = arity::<1>("ReadJSON", args)?;
            let s = s
                .as_str()
                .ok_or_else(|| expected("ReadJSON", "a string", s))?;
            read_json(s).map_err(|e| SiteError::new(format!("ReadJSON: {e}")))
        }),
        func("WriteJSON", |args| {
            let [v] = arity::<1>("WriteJSON", args)?;
            let mut out = String::new();
            write_json(v, &mut out)?;
            Ok(Value::str(&out))
        }),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(text: &str) -> String {
        read_json(text)
            .map(|v| v.to_string())
            .unwrap_or_else(|e| format!("error: {e}"))
    }

    #[test]
    fn numbers_keep_their_digits() {
        assert_eq!(show("-0.500"), "-0.500");
        assert_eq!(show("6e7"), "6E+7");
        assert_eq!(show("11.12e+00013"), "1.112E+14");
        assert_eq!(show("-10.11e-12"), "-1.011E-11");
        assert_eq!(
            show("123456789012345678901234567890"),
            "123456789012345678901234567890"
        );
        assert!(matches!(read_json("-0"), Ok(Value::Int(0))));
    }

    #[test]
    fn strings_and_escapes() {
        assert_eq!(show(r#""\ud83d\ude00""#), "\"😀\"");
        assert_eq!(show(r#""\ud83d""#), "\"\u{FFFD}\"");
        assert_eq!(
            show(r#""\"\/\\\b\f\n\r\t""#),
            r#""\"/\\\u{8}\f\n\r\t""#.replace("\\u{8}", "\u{8}")
        );
    }

    #[test]
    fn malformed_text_is_an_error() {
        for bad in [
            "",
            "[1,]",
            "{\"a\" 1}",
            "tru",
            "\"a\nb\"",
            "1.",
            "-",
            "[1] x",
            "{1: 2}",
            "[01]",
        ] {
            assert!(read_json(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn deep_values_are_written_and_read_without_recursion() {
        // As deep as the reader takes (the innermost `[]` is a level too),
        // far deeper than the Rust stack could follow.
        let depth = MAX_NESTING - 1;
        let mut v = Value::list(vec![]);
        for i in 0..depth {
            v = Value::list(vec![Value::from(i), v]);
        }
        let mut out = String::new();
        write_json(&v, &mut out).unwrap();
        let expected_len = 2 + (0..depth).map(|i| i.to_string().len() + 3).sum::<usize>();
        assert_eq!(out.len(), expected_len);
        let top = format!("[{},[{},[", depth - 1, depth - 2);
        assert!(out.starts_with(&top), "{}", &out[..40]);
        assert!(out.ends_with(&format!(",[1,[0,[]]{}", "]".repeat(depth - 1))));
        let back = read_json(&out).unwrap();
        assert!(back.equals(&v));
        // Records too.
        let text = "{\"a\":".repeat(MAX_NESTING) + "1" + &"}".repeat(MAX_NESTING);
        let r = read_json(&text).unwrap();
        let mut again = String::new();
        write_json(&r, &mut again).unwrap();
        assert!(again == text);
    }

    #[test]
    fn nesting_past_the_limit_is_an_error() {
        let text = "[".repeat(MAX_NESTING) + &"]".repeat(MAX_NESTING);
        assert!(read_json(&text).is_ok());
        let text = "[".repeat(MAX_NESTING + 1) + &"]".repeat(MAX_NESTING + 1);
        assert_eq!(
            read_json(&text).err(),
            Some(format!(
                "JSON nested more than {MAX_NESTING} levels deep at line 1, column {}",
                MAX_NESTING + 1
            ))
        );
        // Unclosed: an error at the end, not a crash.
        assert!(read_json(&"[".repeat(100_000)).is_err());
    }

    #[test]
    fn write_then_read_round_trips() {
        let text = r#"{"a":[1,-2.50,true,null,"x\/y"],"b":{}}"#;
        let v = read_json(text).unwrap();
        let mut out = String::new();
        write_json(&v, &mut out).unwrap();
        assert_eq!(out, text);
    }
}
