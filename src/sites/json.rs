//! JSON: `ReadJSON(text)` parses JSON into Orc values and `WriteJSON(v)`
//! writes an Orc value as JSON text.
//!
//! Objects become records (a repeated key keeps its last value), arrays
//! lists, `true`/`false`/`null` booleans and `null`. A number without a
//! fraction or exponent becomes an integer, any other a decimal that keeps
//! the literal's digits (`-0.500` stays `-0.500`, `6e7` is `6E+7`), as the
//! reference's `BigDecimal` does. We parse by hand rather than through
//! serde_json so that number text and key order survive exactly.

use super::site_value;
use super::util::{arity, expected, Func};
use crate::runtime::site::SiteError;
use crate::value::{Decimal, Record, Value};
use std::sync::Arc;

/// Nesting beyond this is refused rather than risk the stack.
const MAX_DEPTH: usize = 500;

struct Parser<'a> {
    text: &'a str,
    pos: usize,
    depth: usize,
}

/// Parses a JSON text (one value, surrounded by optional whitespace).
pub fn read_json(text: &str) -> Result<Value, String> {
    let mut p = Parser {
        text,
        pos: 0,
        depth: 0,
    };
    let v = p.value()?;
    p.skip_ws();
    if p.pos < text.len() {
        return Err(p.error("unexpected text after the value"));
    }
    Ok(v)
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

    fn value(&mut self) -> Result<Value, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("JSON nested too deeply"));
        }
        self.skip_ws();
        let v = match self.peek() {
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => self.string().map(|s| Value::str(&s)),
            Some(b't') => self.keyword("true", Value::Bool(true)),
            Some(b'f') => self.keyword("false", Value::Bool(false)),
            Some(b'n') => self.keyword("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error("illegal character")),
            None => Err(self.error("unexpected end of JSON text")),
        };
        self.depth -= 1;
        v
    }

    fn object(&mut self) -> Result<Value, String> {
        self.pos += 1;
        let mut r = Record::default();
        if self.eat(b'}') {
            return Ok(Value::Record(Arc::new(r)));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a string key"));
            }
            let key = self.string()?;
            if !self.eat(b':') {
                return Err(self.error("expected `:`"));
            }
            let v = self.value()?;
            r = r.extend(&Record {
                fields: vec![(Arc::from(key.as_str()), v)],
            });
            if self.eat(b'}') {
                return Ok(Value::Record(Arc::new(r)));
            }
            if !self.eat(b',') {
                return Err(self.error("expected `,` or `}`"));
            }
        }
    }

    fn array(&mut self) -> Result<Value, String> {
        self.pos += 1;
        let mut items = Vec::new();
        if self.eat(b']') {
            return Ok(Value::list(items));
        }
        loop {
            items.push(self.value()?);
            if self.eat(b']') {
                return Ok(Value::list(items));
            }
            if !self.eat(b',') {
                return Err(self.error("expected `,` or `]`"));
            }
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
pub fn write_json(v: &Value, out: &mut String, depth: usize) -> Result<(), SiteError> {
    if depth > MAX_DEPTH {
        return Err(SiteError::new("WriteJSON: the value is nested too deeply"));
    }
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(_) | Value::BigInt(_) | Value::Decimal(_) => out.push_str(&v.to_string()),
        Value::Str(s) => write_string(s, out),
        Value::List(l) => {
            out.push('[');
            for (i, x) in l.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(&x, out, depth + 1)?;
            }
            out.push(']');
        }
        Value::Record(r) => {
            out.push('{');
            for (i, (k, x)) in r.fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(k, out);
                out.push(':');
                write_json(x, out, depth + 1)?;
            }
            out.push('}');
        }
        other => {
            return Err(SiteError::new(format!(
                "WriteJSON: the value {} has no JSON counterpart",
                crate::value::limits::shown(other)
            )))
        }
    }
    Ok(())
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
        (
            "ReadJSON",
            site_value(Func {
                name: "ReadJSON",
                f: |args| {
                    let [s] = arity::<1>("ReadJSON", args)?;
                    let s = s
                        .as_str()
                        .ok_or_else(|| expected("ReadJSON", "a string", s))?;
                    read_json(s).map_err(|e| SiteError::new(format!("ReadJSON: {e}")))
                },
            }),
        ),
        (
            "WriteJSON",
            site_value(Func {
                name: "WriteJSON",
                f: |args| {
                    let [v] = arity::<1>("WriteJSON", args)?;
                    let mut out = String::new();
                    write_json(v, &mut out, 0)?;
                    Ok(Value::str(&out))
                },
            }),
        ),
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
    fn deep_nesting_is_an_error_not_a_crash() {
        assert!(read_json(&"[".repeat(100_000)).is_err());
        let mut v = Value::list(vec![]);
        for _ in 0..1_000 {
            v = Value::list(vec![v]);
        }
        assert!(write_json(&v, &mut String::new(), 0).is_err());
    }

    #[test]
    fn write_then_read_round_trips() {
        let text = r#"{"a":[1,-2.50,true,null,"x\/y"],"b":{}}"#;
        let v = read_json(text).unwrap();
        let mut out = String::new();
        write_json(&v, &mut out, 0).unwrap();
        assert_eq!(out, text);
    }
}
