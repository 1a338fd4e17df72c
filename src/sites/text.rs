//! Strings: the methods programs call on string values (`"abc".length()`,
//! `s.substring(1, 2)`, `s.split(",")`, ...), and the sites `Read` (parse
//! an Orc literal) and `Write` (a value's literal text).
//!
//! The reference's strings are Java strings and support Java's methods; we
//! provide the common ones with Java's behaviour, counting characters
//! (Unicode scalar values) where Java counts UTF-16 units, and Rust's
//! `regex` syntax where Java takes a regular expression (`split`,
//! `replaceAll`, `matches`). `split` returns an `Array`, as Java's does, so
//! that the prelude's `arrayToList(s.split(...))` works as in the reference.

use super::collections::Array;
use super::util::{arity, expected, func, int_arg, site, str_arg};
use crate::diagnostics::SourceId;
use crate::syntax::lexer::{tokenize, Token};
use crate::value::limits::{bounded_text, check_string_len, MAX_NESTING};
use crate::value::site::{Outcome, SiteCx, SiteError};
use crate::value::{Decimal, Record, Value};
use regex::Regex;
use std::sync::Arc;

type StrFn = fn(&str, &[Value]) -> Result<Value, SiteError>;

/// A string method bound to its string.
struct StrMethod {
    s: Arc<str>,
    name: &'static str,
    f: StrFn,
}

site!(impl StrMethod: immediate {
    fn name(&self) -> &str {
        self.name
    }
    fn call(&self, args: &[Value], _cx: &mut SiteCx<'_>) -> Outcome {
        (self.f)(&self.s, args).into()
    }
});

/// `s.name`: the string method `name` bound to `s`, if there is one.
pub fn string_member(s: &Arc<str>, name: &str) -> Option<Value> {
    let (name, f) = METHODS.iter().find(|(n, _)| n[7..] == *name)?;
    Some(Value::Site(Arc::new(StrMethod {
        s: s.clone(),
        name,
        f: *f,
    })))
}

const METHODS: &[(&str, StrFn)] = &[
    ("String.length", |s, a| {
        arity::<0>("String.length", a)?;
        Ok(count(s))
    }),
    ("String.isEmpty", |s, a| {
        arity::<0>("String.isEmpty", a)?;
        Ok(Value::Bool(s.is_empty()))
    }),
    ("String.substring", substring),
    ("String.charAt", |s, a| {
        let [i] = arity::<1>("String.charAt", a)?;
        let i = index_arg("String.charAt", i, s.chars().count(), s)?;
        Ok(s.chars()
            .nth(i)
            .map(|c| Value::str(&c.to_string()))
            .unwrap_or(Value::Null))
    }),
    ("String.codePointAt", |s, a| {
        let [i] = arity::<1>("String.codePointAt", a)?;
        let i = index_arg("String.codePointAt", i, s.chars().count(), s)?;
        Ok(s.chars()
            .nth(i)
            .map(|c| Value::Int(c as i64))
            .unwrap_or(Value::Null))
    }),
    ("String.indexOf", |s, a| {
        index_of("String.indexOf", s, a, false)
    }),
    ("String.lastIndexOf", |s, a| {
        index_of("String.lastIndexOf", s, a, true)
    }),
    ("String.contains", |s, a| {
        Ok(Value::Bool(s.contains(one_str("String.contains", a)?)))
    }),
    ("String.startsWith", |s, a| {
        Ok(Value::Bool(s.starts_with(one_str("String.startsWith", a)?)))
    }),
    ("String.endsWith", |s, a| {
        Ok(Value::Bool(s.ends_with(one_str("String.endsWith", a)?)))
    }),
    ("String.equals", |s, a| {
        let [x] = arity::<1>("String.equals", a)?;
        Ok(Value::Bool(x.as_str() == Some(s)))
    }),
    ("String.equalsIgnoreCase", |s, a| {
        let [x] = arity::<1>("String.equalsIgnoreCase", a)?;
        Ok(Value::Bool(
            x.as_str()
                .is_some_and(|x| x.to_lowercase() == s.to_lowercase()),
        ))
    }),
    ("String.compareTo", |s, a| {
        Ok(Value::Int(compare_to(s, one_str("String.compareTo", a)?)))
    }),
    ("String.toUpperCase", |s, a| {
        arity::<0>("String.toUpperCase", a)?;
        Ok(Value::str(&s.to_uppercase()))
    }),
    ("String.toLowerCase", |s, a| {
        arity::<0>("String.toLowerCase", a)?;
        Ok(Value::str(&s.to_lowercase()))
    }),
    ("String.trim", |s, a| {
        arity::<0>("String.trim", a)?;
        // Java's trim removes control characters and spaces (<= U+0020).
        Ok(Value::str(s.trim_matches(|c: char| c <= ' ')))
    }),
    ("String.strip", |s, a| {
        arity::<0>("String.strip", a)?;
        Ok(Value::str(s.trim()))
    }),
    ("String.concat", |s, a| {
        let other = one_str("String.concat", a)?;
        check_string_len("String.concat", s.len() + other.len()).map_err(SiteError::new)?;
        Ok(Value::str(&format!("{s}{other}")))
    }),
    ("String.repeat", |s, a| {
        let [n] = arity::<1>("String.repeat", a)?;
        let n = int_arg("String.repeat", n)?;
        if n < 0 {
            return Err(SiteError::new(format!(
                "String.repeat expects a non-negative count, but got {n}"
            )));
        }
        let len = (n as u128) * (s.len() as u128);
        check_string_len("String.repeat", usize::try_from(len).unwrap_or(usize::MAX))
            .map_err(SiteError::new)?;
        Ok(Value::str(&s.repeat(n as usize)))
    }),
    ("String.replace", |s, a| {
        let [from, to] = arity::<2>("String.replace", a)?;
        let (from, to) = (
            str_arg("String.replace", from)?,
            str_arg("String.replace", to)?,
        );
        // The result's length is known before building it.
        let matches = if from.is_empty() {
            s.chars().count() + 1
        } else {
            s.matches(from).count()
        };
        let len = (s.len() - matches * from.len()) as u128 + matches as u128 * to.len() as u128;
        check_string_len("String.replace", usize::try_from(len).unwrap_or(usize::MAX))
            .map_err(SiteError::new)?;
        Ok(Value::str(&java_replace(s, from, to)))
    }),
    ("String.replaceAll", |s, a| {
        replace_regex("String.replaceAll", s, a, usize::MAX)
    }),
    ("String.replaceFirst", |s, a| {
        replace_regex("String.replaceFirst", s, a, 1)
    }),
    ("String.matches", |s, a| {
        let re = regex_arg("String.matches", one_str("String.matches", a)?, true)?;
        Ok(Value::Bool(re.is_match(s)))
    }),
    ("String.split", split),
    ("String.hashCode", |s, a| {
        arity::<0>("String.hashCode", a)?;
        let h = s
            .encode_utf16()
            .fold(0i32, |h, u| h.wrapping_mul(31).wrapping_add(u as i32));
        Ok(Value::Int(h as i64))
    }),
    ("String.toString", |s, a| {
        arity::<0>("String.toString", a)?;
        Ok(Value::str(s))
    }),
];

fn count(s: &str) -> Value {
    Value::Int(s.chars().count() as i64)
}

fn one_str<'a>(name: &str, args: &'a [Value]) -> Result<&'a str, SiteError> {
    let [x] = arity::<1>(name, args)?;
    str_arg(name, x)
}

/// An index argument in `0..end`.
fn index_arg(name: &str, v: &Value, end: usize, s: &str) -> Result<usize, SiteError> {
    let i = int_arg(name, v)?;
    if i < 0 || i as u64 >= end as u64 {
        return Err(SiteError::new(format!(
            "{name}: index {i} is out of range for a string of length {}",
            s.chars().count()
        )));
    }
    Ok(i as usize)
}

/// The byte offset of character `i`.
fn byte_at(s: &str, i: usize) -> usize {
    s.char_indices().nth(i).map(|(b, _)| b).unwrap_or(s.len())
}

fn char_index(s: &str, byte: usize) -> i64 {
    s[..byte].chars().count() as i64
}

fn substring(s: &str, args: &[Value]) -> Result<Value, SiteError> {
    let n = s.chars().count();
    let (b, e) = match args {
        [b] => (index_arg("String.substring", b, n + 1, s)?, n),
        [b, e] => (
            index_arg("String.substring", b, n + 1, s)?,
            index_arg("String.substring", e, n + 1, s)?,
        ),
        _ => {
            return Err(SiteError::new(format!(
                "String.substring expects 1 or 2 arguments, but was called with {}",
                args.len()
            )))
        }
    };
    if b > e {
        return Err(SiteError::new(format!(
            "String.substring: begin {b} is after end {e}"
        )));
    }
    Ok(Value::str(&s[byte_at(s, b)..byte_at(s, e)]))
}

fn index_of(name: &str, s: &str, args: &[Value], last: bool) -> Result<Value, SiteError> {
    let (needle, from) = match args {
        [x] => (str_arg(name, x)?, None),
        [x, f] => (str_arg(name, x)?, Some(int_arg(name, f)?)),
        _ => {
            return Err(SiteError::new(format!(
                "{name} expects 1 or 2 arguments, but was called with {}",
                args.len()
            )))
        }
    };
    let n = s.chars().count() as i64;
    let found = if last {
        // Java: the last occurrence starting at or before `from`.
        let from = from.unwrap_or(n).clamp(-1, n);
        if from < 0 {
            None
        } else {
            let limit = byte_at(s, from as usize);
            let end = (limit + needle.len()).min(s.len());
            let end = (end..=s.len())
                .find(|&e| s.is_char_boundary(e))
                .unwrap_or(s.len());
            s[..end].rfind(needle)
        }
    } else {
        let from = from.unwrap_or(0).clamp(0, n) as usize;
        let start = byte_at(s, from);
        s[start..].find(needle).map(|b| b + start)
    };
    Ok(Value::Int(found.map(|b| char_index(s, b)).unwrap_or(-1)))
}

/// Java's `String.compareTo`: the difference of the first differing UTF-16
/// units, or of the lengths.
fn compare_to(a: &str, b: &str) -> i64 {
    let (mut x, mut y) = (a.encode_utf16(), b.encode_utf16());
    loop {
        match (x.next(), y.next()) {
            (Some(p), Some(q)) if p == q => continue,
            (Some(p), Some(q)) => return p as i64 - q as i64,
            _ => return a.encode_utf16().count() as i64 - b.encode_utf16().count() as i64,
        }
    }
}

/// Java's `replace(CharSequence, CharSequence)`: every occurrence, and an
/// empty target matches between every two characters.
fn java_replace(s: &str, from: &str, to: &str) -> String {
    if !from.is_empty() {
        return s.replace(from, to);
    }
    let mut out = String::from(to);
    for c in s.chars() {
        out.push(c);
        out.push_str(to);
    }
    out
}

fn regex_arg(name: &str, pattern: &str, whole: bool) -> Result<Regex, SiteError> {
    let full = if whole {
        format!("^(?:{pattern})$")
    } else {
        pattern.to_string()
    };
    Regex::new(&full).map_err(|e| {
        // The regex crate's message spans lines (pattern, caret, reason);
        // keep the reason so the error stays on one line.
        let e = e.to_string();
        let reason = e.lines().last().unwrap_or("").trim_start_matches("error: ");
        SiteError::new(format!(
            "{name}: invalid regular expression {}: {reason}",
            crate::value::limits::shown(&Value::str(pattern))
        ))
    })
}

fn replace_regex(name: &str, s: &str, args: &[Value], limit: usize) -> Result<Value, SiteError> {
    let [re, rep] = arity::<2>(name, args)?;
    let re = regex_arg(name, str_arg(name, re)?, false)?;
    let rep = str_arg(name, rep)?;
    // Without group references (`$1`) the result's length is known
    // before building it; in any case the result is checked after.
    if !rep.contains('$') {
        let (mut count, mut matched) = (0u128, 0u128);
        for m in re.find_iter(s).take(limit) {
            count += 1;
            matched += m.len() as u128;
        }
        let len = s.len() as u128 - matched + count * rep.len() as u128;
        check_string_len(name, usize::try_from(len).unwrap_or(usize::MAX))
            .map_err(SiteError::new)?;
    }
    let out = re.replacen(s, limit, rep);
    check_string_len(name, out.len()).map_err(SiteError::new)?;
    Ok(Value::str(&out))
}

/// Java's `split(regex[, limit])`.
fn split(s: &str, args: &[Value]) -> Result<Value, SiteError> {
    let name = "String.split";
    let (re, limit) = match args {
        [re] => (str_arg(name, re)?, 0),
        [re, l] => (str_arg(name, re)?, int_arg(name, l)?),
        _ => {
            return Err(SiteError::new(format!(
                "{name} expects 1 or 2 arguments, but was called with {}",
                args.len()
            )))
        }
    };
    let re = regex_arg(name, re, false)?;
    let parts: Vec<Value> = java_split(s, &re, limit)
        .into_iter()
        .map(Value::str)
        .collect();
    Ok(Array::from_vec(parts))
}

fn java_split<'a>(s: &'a str, re: &Regex, limit: i64) -> Vec<&'a str> {
    let mut parts = Vec::new();
    let mut last = 0;
    for m in re.find_iter(s) {
        if limit > 0 && parts.len() as i64 == limit - 1 {
            break;
        }
        // A zero-width match at the start yields no empty leading part.
        if m.end() == 0 {
            continue;
        }
        parts.push(&s[last..m.start()]);
        last = m.end();
    }
    if parts.is_empty() {
        return vec![s];
    }
    parts.push(&s[last..]);
    if limit == 0 {
        while parts.len() > 1 && parts.last() == Some(&"") {
            parts.pop();
        }
        if parts == [""] {
            parts.clear();
        }
    }
    parts
}

// ---------------------------------------------------------------- Read

/// Parses one Orc literal: numbers, strings, booleans, `signal`, `null`,
/// and lists, tuples and records of literals, nested at most
/// [`MAX_NESTING`] deep. The lists, tuples and records being read wait on
/// a heap stack, not the Rust stack.
pub fn read_literal(text: &str) -> Result<Value, String> {
    let mut toks = tokenize(text, SourceId(0)).map_err(|d| d.message)?;
    // No calls or type applications here: a bracket is a bracket, and a
    // parenthesis a parenthesis, on any line.
    for (_, t, _) in &mut toks {
        match t {
            Token::LBracketLine => *t = Token::LBracket,
            Token::LParenLine => *t = Token::LParen,
            _ => {}
        }
    }
    let mut p = LiteralParser { toks, pos: 0 };
    // What the parser is inside of, innermost last.
    let mut open: Vec<Open> = Vec::new();
    let value = 'read: loop {
        // A value, or the start of a list, tuple or record to go into.
        let t = p.next();
        if matches!(t, Some(Token::LBracket | Token::LParen | Token::LRecord))
            && open.len() >= MAX_NESTING
        {
            return Err(format!(
                "the value is nested more than {MAX_NESTING} levels deep"
            ));
        }
        let mut v = match t {
            Some(Token::LBracket) if p.peek_is(&Token::RBracket) => {
                p.pos += 1;
                Value::list(vec![])
            }
            Some(Token::LBracket) => {
                open.push(Open::List(Vec::new()));
                continue;
            }
            Some(Token::LParen) if p.peek_is(&Token::RParen) => {
                return Err("expected a value inside `()`".into());
            }
            Some(Token::LParen) => {
                open.push(Open::Tuple(Vec::new()));
                continue;
            }
            Some(Token::LRecord) if p.peek_is(&Token::RRecord) => {
                p.pos += 1;
                Value::Record(Arc::new(Record::default()))
            }
            Some(Token::LRecord) => {
                let name = p.field_name()?;
                open.push(Open::Record(Record::default(), name));
                continue;
            }
            t => p.scalar(t)?,
        };
        // Hand it to the innermost list, tuple or record, closing those
        // that end.
        loop {
            match open.last_mut() {
                None => break 'read v,
                Some(Open::List(items) | Open::Tuple(items)) => {
                    items.push(v);
                    let close = match open.last() {
                        Some(Open::List(_)) => Token::RBracket,
                        _ => Token::RParen,
                    };
                    match p.next() {
                        Some(Token::Comma) => break,
                        Some(t) if t == close => {}
                        Some(t) => {
                            return Err(format!(
                                "expected `,` or {}, found {}",
                                close.describe(),
                                t.describe()
                            ))
                        }
                        None => {
                            return Err(format!(
                                "expected {}, but the text ended",
                                close.describe()
                            ))
                        }
                    }
                    v = match open.pop() {
                        Some(Open::List(items)) => Value::list(items),
                        Some(Open::Tuple(mut items)) if items.len() == 1 => items.remove(0),
                        Some(Open::Tuple(items)) => Value::tuple(items),
                        _ => unreachable!("the innermost is a list or tuple"),
                    };
                }
                Some(Open::Record(r, name)) => {
                    // A repeated field keeps its place and its last value.
                    let name = std::mem::take(name);
                    match r.fields.iter_mut().find(|(n, _)| **n == *name) {
                        Some(slot) => slot.1 = v,
                        None => r.fields.push((Arc::from(name), v)),
                    }
                    match p.next() {
                        Some(Token::Comma) => {
                            let next = p.field_name()?;
                            if let Some(Open::Record(_, name)) = open.last_mut() {
                                *name = next;
                            }
                            break;
                        }
                        Some(Token::RRecord) => {}
                        _ => return Err("expected `,` or `.}` in a record".into()),
                    }
                    let Some(Open::Record(r, _)) = open.pop() else {
                        unreachable!("the innermost is a record")
                    };
                    v = Value::Record(Arc::new(r));
                }
            }
        }
    };
    match p.toks.get(p.pos) {
        None => Ok(value),
        Some((_, t, _)) => Err(format!("unexpected {} after the value", t.describe())),
    }
}

/// A list, tuple or record being read.
enum Open {
    List(Vec<Value>),
    Tuple(Vec<Value>),
    /// The fields so far, and the name of the one being read.
    Record(Record, String),
}

struct LiteralParser {
    toks: Vec<(usize, Token, usize)>,
    pos: usize,
}

impl LiteralParser {
    fn next(&mut self) -> Option<Token> {
        let t = self.toks.get(self.pos).map(|(_, t, _)| t.clone());
        self.pos += 1;
        t
    }

    fn peek_is(&self, t: &Token) -> bool {
        self.toks.get(self.pos).is_some_and(|(_, u, _)| u == t)
    }

    /// A value that is not a list, tuple or record, starting with `t`.
    fn scalar(&mut self, t: Option<Token>) -> Result<Value, String> {
        match t {
            Some(Token::Int(i)) => Ok(Value::from_bigint(i)),
            Some(Token::Decimal(d)) => decimal(&d),
            Some(Token::Minus) => match self.next() {
                Some(Token::Int(i)) => Ok(Value::from_bigint(-i)),
                Some(Token::Decimal(d)) => decimal(&format!("-{d}")),
                _ => Err("expected a number after `-`".into()),
            },
            Some(Token::Str(s)) => Ok(Value::str(&s)),
            Some(Token::True) => Ok(Value::Bool(true)),
            Some(Token::False) => Ok(Value::Bool(false)),
            Some(Token::Signal) => Ok(Value::Signal),
            Some(Token::Null) => Ok(Value::Null),
            Some(t) => Err(format!(
                "expected a literal value, but found {}",
                t.describe()
            )),
            None => Err("expected a literal value, but the text ended".into()),
        }
    }

    /// A record field's name and its `=`.
    fn field_name(&mut self) -> Result<String, String> {
        let name = match self.next() {
            Some(Token::Ident(n)) => n,
            _ => return Err("expected a field name in a record".into()),
        };
        if self.next() != Some(Token::Eq) {
            return Err(format!("expected `=` after the field name {name}"));
        }
        Ok(name)
    }
}

fn decimal(text: &str) -> Result<Value, String> {
    Decimal::parse(text)
        .map(Value::decimal)
        .ok_or_else(|| format!("malformed number {}", crate::value::limits::shown(&text)))
}

pub fn sites() -> Vec<(&'static str, Value)> {
    vec![
        func("Read", |args| {
            let [s] = arity::<1>("Read", args)?;
            let s = s.as_str().ok_or_else(|| expected("Read", "a string", s))?;
            read_literal(s).map_err(|e| {
                SiteError::new(format!(
                    "Read: {e} when reading {}",
                    crate::value::limits::shown(&Value::str(s))
                ))
            })
        }),
        func("Write", |args| {
            let [v] = arity::<1>("Write", args)?;
            // The text of a list can be far larger than the list.
            let text = bounded_text("Write", |w| {
                std::fmt::Write::write_fmt(w, format_args!("{v}"))
            })
            .map_err(SiteError::new)?;
            Ok(Value::str(&text))
        }),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str, re: &str, limit: i64) -> Vec<String> {
        java_split(s, &Regex::new(re).unwrap(), limit)
            .into_iter()
            .map(String::from)
            .collect()
    }

    #[test]
    fn split_follows_java() {
        assert_eq!(split("a,b,,c,,", ",", 0), ["a", "b", "", "c"]);
        assert_eq!(split("a,b,,c,,", ",", -1), ["a", "b", "", "c", "", ""]);
        assert_eq!(split(",a", ",", 0), ["", "a"]);
        assert_eq!(split("abc", "", 0), ["a", "b", "c"]);
        assert_eq!(split("", ",", 0), [""]);
        assert_eq!(split(",,", ",", 0), Vec::<String>::new());
        assert_eq!(split("a b c", " ", 2), ["a", "b c"]);
    }

    #[test]
    fn compare_and_replace_follow_java() {
        assert_eq!(compare_to("apple", "banana"), -1);
        assert_eq!(compare_to("ab", "abcd"), -2);
        assert_eq!(compare_to("b", "a"), 1);
        assert_eq!(java_replace("ab", "", "-"), "-a-b-");
    }

    #[test]
    fn read_rejects_deep_nesting_without_crashing() {
        assert!(read_literal(&"[".repeat(100_000)).is_err());
        assert_eq!(read_literal("[[[1]]]").unwrap().to_string(), "[[[1]]]");
        let past = "[".repeat(MAX_NESTING + 1) + &"]".repeat(MAX_NESTING + 1);
        assert_eq!(
            read_literal(&past).err(),
            Some(format!(
                "the value is nested more than {MAX_NESTING} levels deep"
            ))
        );
        let most = "[".repeat(MAX_NESTING) + &"]".repeat(MAX_NESTING);
        assert!(read_literal(&most).is_ok());
    }

    #[test]
    fn read_takes_back_what_write_gives_at_any_depth() {
        for text in [
            "[1, (2, \"a\"), {. x = [], y = (3, 4) .}]",
            "((1))",
            "{. a = 1, a = 2 .}",
        ] {
            let v = read_literal(text).unwrap();
            assert_eq!(
                read_literal(&v.to_string()).unwrap().to_string(),
                v.to_string()
            );
        }
        assert!(read_literal("()").is_err());
        assert!(read_literal("[1,]").is_err());
        assert!(read_literal("{. a 1 .}").is_err());
        // A value far deeper than the Rust stack could follow (as deep as
        // `Read` takes: the innermost `[]` is a level too).
        let depth = MAX_NESTING - 1;
        let mut v = Value::list(vec![]);
        for i in 0..depth {
            v = match i % 3 {
                0 => Value::list(vec![v]),
                1 => Value::tuple(vec![Value::from(i), v]),
                _ => Value::Record(Arc::new(Record {
                    fields: vec![(Arc::from("f"), v)],
                })),
            };
        }
        let text = v.to_string();
        let back = read_literal(&text).unwrap();
        assert!(back.equals(&v));
        assert!(back.to_string() == text);
    }
}
