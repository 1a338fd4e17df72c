//! Lexer: Orc source text to tokens.
//!
//! This module owns the token set ([`Token`]), the lexical errors
//! ([`LexError`]) and [`Lexer`], the adapter that feeds LALRPOP's external
//! lexer interface with `(start, token, end)` triples. The token regexes are
//! declared with `logos`; the parts a regular language cannot express
//! (nested block comments, string escapes) are scanned by hand in
//! [`scan`].
//!
//! Lexical facts worth knowing when reading the grammar:
//! * `>>` and `<<` are two tokens each: the combinators are `>P>` and `<P<`
//!   with an optional pattern `P`.
//! * `(+)`, `(0-)`, ... are single [`Token::OpIdent`] tokens naming the
//!   operator's site; no spaces are allowed inside.
//! * `_` is a keyword, and identifiers cannot start with it.

mod scan;

pub use scan::MAX_LITERAL_DIGITS;

use std::fmt;

use logos::Logos;
use num_bigint::BigInt;

use crate::diagnostics::{clip, Diagnostic, SourceId, Span};

/// How much of a token's text a message shows.
const SHOWN_TOKEN_CHARS: usize = 40;

/// One Orc token. Literal payloads are already decoded (escapes applied,
/// identifiers NFC-normalised).
#[derive(Logos, Clone, Debug, PartialEq)]
#[logos(error(LexError, LexError::invalid_char))]
// Whitespace per the Orc lexical spec: the Unicode newline set, tab, VT,
// space, and the two bidi marks U+200E/U+200F.
#[logos(skip r"[\t\x0B\x0C \r\n\u{85}\u{2028}\u{2029}\u{200E}\u{200F}]+")]
// A line comment ends at any of the Unicode newline characters.
#[logos(skip r"--[^\r\n\x0C\u{85}\u{2028}\u{2029}]*")]
pub enum Token {
    /// `{- ... -}`; never produced: the callback skips the (nested) comment.
    #[token("{-", scan::block_comment)]
    BlockComment,

    /// At most [`MAX_LITERAL_DIGITS`] digits, not counting leading zeros.
    #[regex(r"[0-9]+", scan::integer)]
    Int(BigInt),
    /// A number with a fraction or an exponent, kept as written (at most
    /// [`MAX_LITERAL_DIGITS`] digits, not counting leading zeros).
    #[regex(r"[0-9]+\.[0-9]+([eE][+-]?[0-9]+)?", scan::decimal)]
    #[regex(r"[0-9]+[eE][+-]?[0-9]+", scan::decimal)]
    Decimal(String),
    #[token("\"", scan::string)]
    Str(String),
    #[regex(r"[\p{XID_Start}][\p{XID_Continue}']*", scan::identifier)]
    Ident(String),
    /// `(op)`: the name of an operator's site, without the parentheses.
    #[regex(
        r"\((\+|-|\*|/|%|\*\*|&&|\|\||~|=|<:|:>|<=|>=|/=|:|\.|\?|:=|0-)\)",
        |lex| { let s = lex.slice(); s[1..s.len() - 1].to_string() }
    )]
    OpIdent(String),

    // Keywords.
    #[token("as")]
    As,
    #[token("class")]
    Class,
    #[token("def")]
    Def,
    #[token("else")]
    Else,
    #[token("extends")]
    Extends,
    #[token("if")]
    If,
    #[token("import")]
    Import,
    #[token("include")]
    Include,
    #[token("lambda")]
    Lambda,
    #[token("signal")]
    Signal,
    #[token("site")]
    Site,
    #[token("stop")]
    Stop,
    #[token("super")]
    Super,
    #[token("then")]
    Then,
    #[token("this")]
    This,
    #[token("type")]
    Type,
    #[token("val")]
    Val,
    #[token("true")]
    True,
    #[token("false")]
    False,
    #[token("new")]
    New,
    #[token("null")]
    Null,
    #[token("with")]
    With,
    #[token("_")]
    Underscore,

    // Delimiters and operators.
    #[token("(")]
    LParen,
    /// A `(` that begins a line (see [`Token::LBracketLine`]): it opens a
    /// parenthesized expression, tuple or pattern, never the arguments of
    /// a call, so that `(x, y)` on the line after a declaration starts an
    /// expression of its own.
    LParenLine,
    #[token(")")]
    RParen,
    #[token("[")]
    LBracket,
    /// A `[` that begins a line (a line break, and nothing but blanks and
    /// comments, before it): it opens a list, never type arguments, so
    /// that a list on the line after a declaration starts an expression
    /// of its own (see [`Lexer`]).
    LBracketLine,
    #[token("]")]
    RBracket,
    #[token("{.")]
    LRecord,
    #[token(".}")]
    RRecord,
    #[token("{|")]
    LTrim,
    #[token("|}")]
    RTrim,
    #[token(",")]
    Comma,
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    #[token("<")]
    Lt,
    #[token(">")]
    Gt,
    #[token("|")]
    Bar,
    #[token(";")]
    Semi,
    #[token("#")]
    Hash,
    #[token("::")]
    ColonColon,
    #[token(":!:")]
    ColonBangColon,
    #[token("+")]
    Plus,
    #[token("-")]
    Minus,
    #[token("*")]
    Star,
    #[token("/")]
    Slash,
    #[token("%")]
    Percent,
    #[token("**")]
    StarStar,
    #[token("&&")]
    AndAnd,
    #[token("||")]
    OrOr,
    #[token("~")]
    Tilde,
    #[token("=")]
    Eq,
    #[token("<:")]
    LtColon,
    #[token(":>")]
    ColonGt,
    #[token("<=")]
    Le,
    #[token(">=")]
    Ge,
    #[token("/=")]
    Ne,
    #[token(":")]
    Colon,
    #[token(".")]
    Dot,
    #[token("?")]
    Question,
    #[token(":=")]
    ColonEq,
}

impl Token {
    /// How the token is named in messages: the text in backticks for fixed
    /// tokens, a description for tokens with a payload. A long payload is
    /// cut (`identifier `aaaa…``), and a long number is described by its
    /// size, so that a message never echoes a huge token.
    pub fn describe(&self) -> String {
        match self {
            Token::Int(n) if n.bits() > 128 => {
                // log10(2) ≈ 0.30103: the digits of a number of that many bits.
                let digits = (n.bits() as f64 * std::f64::consts::LOG10_2).ceil();
                format!("number of about {digits} digits")
            }
            Token::Int(n) => format!("number `{n}`"),
            Token::Decimal(s) => format!("number `{}`", clip(s, SHOWN_TOKEN_CHARS)),
            Token::Str(_) => "string literal".to_string(),
            Token::Ident(s) => format!("identifier `{}`", clip(s, SHOWN_TOKEN_CHARS)),
            Token::OpIdent(s) => format!("operator name `({s})`"),
            other => format!("`{}`", other.fixed_text().unwrap_or("?")),
        }
    }

    /// [`Token::describe`], given the token's source text: a long number
    /// is shown by its first digits and its length.
    pub fn describe_in(&self, text: &str) -> String {
        let what = match self {
            Token::Int(_) => "digits",
            Token::Decimal(_) => "characters",
            _ => return self.describe(),
        };
        if text.len() <= SHOWN_TOKEN_CHARS {
            return self.describe();
        }
        format!(
            "number `{}` ({} {what})",
            clip(text, SHOWN_TOKEN_CHARS),
            text.len()
        )
    }

    /// The source text of a token without payload.
    pub fn fixed_text(&self) -> Option<&'static str> {
        Some(match self {
            Token::BlockComment => "{-",
            Token::Int(_)
            | Token::Decimal(_)
            | Token::Str(_)
            | Token::Ident(_)
            | Token::OpIdent(_) => return None,
            Token::As => "as",
            Token::Class => "class",
            Token::Def => "def",
            Token::Else => "else",
            Token::Extends => "extends",
            Token::If => "if",
            Token::Import => "import",
            Token::Include => "include",
            Token::Lambda => "lambda",
            Token::Signal => "signal",
            Token::Site => "site",
            Token::Stop => "stop",
            Token::Super => "super",
            Token::Then => "then",
            Token::This => "this",
            Token::Type => "type",
            Token::Val => "val",
            Token::True => "true",
            Token::False => "false",
            Token::New => "new",
            Token::Null => "null",
            Token::With => "with",
            Token::Underscore => "_",
            Token::LParen | Token::LParenLine => "(",
            Token::RParen => ")",
            Token::LBracket | Token::LBracketLine => "[",
            Token::RBracket => "]",
            Token::LRecord => "{.",
            Token::RRecord => ".}",
            Token::LTrim => "{|",
            Token::RTrim => "|}",
            Token::Comma => ",",
            Token::LBrace => "{",
            Token::RBrace => "}",
            Token::Lt => "<",
            Token::Gt => ">",
            Token::Bar => "|",
            Token::Semi => ";",
            Token::Hash => "#",
            Token::ColonColon => "::",
            Token::ColonBangColon => ":!:",
            Token::Plus => "+",
            Token::Minus => "-",
            Token::Star => "*",
            Token::Slash => "/",
            Token::Percent => "%",
            Token::StarStar => "**",
            Token::AndAnd => "&&",
            Token::OrOr => "||",
            Token::Tilde => "~",
            Token::Eq => "=",
            Token::LtColon => "<:",
            Token::ColonGt => ":>",
            Token::Le => "<=",
            Token::Ge => ">=",
            Token::Ne => "/=",
            Token::Colon => ":",
            Token::Dot => ".",
            Token::Question => "?",
            Token::ColonEq => ":=",
        })
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

/// What went wrong while lexing.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum LexErrorKind {
    /// A character that starts no token.
    #[default]
    InvalidChar,
    UnclosedString,
    UnclosedComment,
    /// A malformed `\u` escape, or one naming no Unicode scalar value.
    InvalidEscape,
    /// A decimal whose exponent passes the limit (`1e99999999`).
    NumberOutOfRange,
    /// A number with more digits (this many, not counting leading zeros)
    /// than [`MAX_LITERAL_DIGITS`].
    NumberTooLong(usize),
}

/// A lexical error. `range` is set when the error's span differs from the
/// text logos was matching (e.g. a bad escape inside a string).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct LexError {
    pub kind: LexErrorKind,
    pub range: Option<std::ops::Range<usize>>,
}

/// How Orc spells an operator of other languages that begins with a
/// character no Orc token begins with (`!=`, `!`, `&`), if it does.
fn foreign_operator(ch: char, after: &str) -> Option<&'static str> {
    match ch {
        '!' if after.starts_with("==") => Some("inequality is written `/=` in Orc, not `!==`"),
        '!' if after.starts_with('=') => Some("inequality is written `/=` in Orc, not `!=`"),
        '!' => Some("negation is written `~` in Orc: `~b`, not `!b`"),
        '&' => Some("`and` is written `&&` in Orc (there is no bitwise `&`)"),
        '^' => Some("Orc has no `^`; powers are written `**`"),
        _ => None,
    }
}

impl LexError {
    fn invalid_char(_: &mut logos::Lexer<'_, Token>) -> LexError {
        LexError::default()
    }

    fn at(kind: LexErrorKind, range: std::ops::Range<usize>) -> LexError {
        LexError {
            kind,
            range: Some(range),
        }
    }

    /// The user-facing diagnostic; `text` is the whole source, `range` the
    /// span logos reported.
    fn to_diagnostic(
        &self,
        text: &str,
        src: SourceId,
        range: std::ops::Range<usize>,
    ) -> Diagnostic {
        let range = self.range.clone().unwrap_or(range);
        let span = Span::new(src, range.start, range.end);
        // What a message quotes of the source (an escape, a number): a
        // bounded part of it.
        let snippet = clip(text.get(range.clone()).unwrap_or(""), SHOWN_TOKEN_CHARS);
        match self.kind {
            LexErrorKind::InvalidChar => {
                let ch = snippet.chars().next().unwrap_or('?');
                let shown = if ch.is_control() || ch.is_whitespace() {
                    format!("U+{:04X}", ch as u32)
                } else {
                    format!("`{ch}`")
                };
                // Point at the one offending character, not a longer slice.
                let span = Span::new(src, range.start, range.start + ch.len_utf8());
                let after = text.get(range.start + ch.len_utf8()..).unwrap_or("");
                let d = Diagnostic::syntax(format!("invalid character {shown}"), span)
                    .with_label("no token starts with this character");
                match foreign_operator(ch, after) {
                    Some(help) => d.with_help(help),
                    None => d,
                }
            }
            LexErrorKind::UnclosedString => Diagnostic::syntax("unclosed string literal", span)
                .with_label("this string is never closed")
                .with_help("a string literal must end with `\"` on the same line"),
            LexErrorKind::UnclosedComment => Diagnostic::syntax("unclosed comment", span)
                .with_label("this comment is never closed")
                .with_help("block comments `{- ... -}` nest: every `{-` needs its own `-}`"),
            LexErrorKind::NumberOutOfRange => {
                Diagnostic::syntax(format!("number `{snippet}` is out of range"), span)
                    .with_label("this exponent is too large")
                    .with_help(format!(
                        "decimal exponents go from -{0} to {0}",
                        crate::value::limits::MAX_DECIMAL_SCALE
                    ))
            }
            LexErrorKind::NumberTooLong(digits) => Diagnostic::syntax(
                format!("number `{snippet}` is too long: it has {digits} digits"),
                span,
            )
            .with_label("this number has too many digits")
            .with_help(format!(
                "numbers may have at most {MAX_LITERAL_DIGITS} digits (not counting \
                 leading zeros), the limit on integers"
            )),
            LexErrorKind::InvalidEscape => {
                Diagnostic::syntax(format!("invalid escape `{snippet}`"), span)
                    .with_label("not a valid Unicode escape")
                    .with_help(
                        "write `\\uXXXX` with four hex digits, or `\\u{X Y ...}` with \
                         1 to 6 hex digits per code point",
                    )
            }
        }
    }
}

/// Token stream for LALRPOP: yields `Ok((start, token, end))` byte-offset
/// triples, or one `Err` for the first lexical error and then stops.
///
/// The line-break rule: a `[` preceded by a line break (with only blanks
/// and comments between) is [`Token::LBracketLine`], which the grammar
/// reads as the start of a list (or list pattern) only; a `(` so placed is
/// [`Token::LParenLine`], which opens parentheses or a tuple, never a
/// call's arguments. So `val x = 1` followed by `[x, x]` or `(x, x)` on the
/// next line is a declaration and then an expression, and a type
/// application `f[T](x)` or a call `f(x)` must have its bracket on the
/// line of `f`.
pub struct Lexer<'a> {
    inner: logos::Lexer<'a, Token>,
    text: &'a str,
    source: SourceId,
    failed: bool,
    /// Where the previous token ended.
    previous_end: usize,
}

/// What [`Lexer`] yields.
pub type Spanned = Result<(usize, Token, usize), Diagnostic>;

impl<'a> Lexer<'a> {
    pub fn new(text: &'a str, source: SourceId) -> Lexer<'a> {
        Lexer {
            inner: Token::lexer(text),
            text,
            source,
            failed: false,
            previous_end: 0,
        }
    }
}

impl Iterator for Lexer<'_> {
    type Item = Spanned;

    fn next(&mut self) -> Option<Spanned> {
        if self.failed {
            return None;
        }
        let tok = self.inner.next()?;
        let range = self.inner.span();
        let gap = self.previous_end..range.start;
        self.previous_end = range.end;
        match tok {
            Ok(t @ (Token::LBracket | Token::LParen))
                if self.text[gap.clone()].chars().any(scan::is_newline) =>
            {
                let line_start = if t == Token::LParen {
                    Token::LParenLine
                } else {
                    Token::LBracketLine
                };
                Some(Ok((range.start, line_start, range.end)))
            }
            Ok(t) => Some(Ok((range.start, t, range.end))),
            Err(e) => {
                self.failed = true;
                Some(Err(e.to_diagnostic(self.text, self.source, range)))
            }
        }
    }
}

/// Lex a whole text, stopping at the first error.
pub fn tokenize(text: &str, source: SourceId) -> Result<Vec<(usize, Token, usize)>, Diagnostic> {
    Lexer::new(text, source).collect()
}
