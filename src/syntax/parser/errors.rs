//! Turning LALRPOP parse errors into diagnostics with readable messages.
//!
//! LALRPOP reports the offending token and the terminals the grammar would
//! have accepted there, by their grammar names. Long lists of terminals are
//! summarised by what they start ("an expression", "a pattern", ...), and
//! the message names the token before the error when that says where the
//! problem is (`expected an expression after `>x>``).

use lalrpop_util::ParseError;

use crate::diagnostics::{Diagnostic, SourceId, Span};
use crate::syntax::lexer::Token;

/// What the parser needs from the token stream to explain an error: the
/// source text and the byte span of every token.
pub struct Context<'a> {
    pub text: &'a str,
    pub source: SourceId,
    pub spans: &'a [(usize, usize)],
}

impl Context<'_> {
    fn span(&self, l: usize, r: usize) -> Span {
        Span::new(self.source, l, r)
    }

    fn slice(&self, (l, r): (usize, usize)) -> &str {
        self.text.get(l..r).unwrap_or("")
    }

    /// Index of the last token ending at or before `offset`.
    fn previous(&self, offset: usize) -> Option<usize> {
        let n = self.spans.partition_point(|&(_, r)| r <= offset);
        n.checked_sub(1)
    }

    /// The text of the combinator or operator ending with token `i`, for
    /// "after ..." in messages. A closing `>` or `<` is shown with its
    /// pattern and opening half (`>x>`), as long as that is short.
    fn describe_before(&self, i: usize) -> String {
        let last = self.slice(self.spans[i]);
        if last == ">" || last == "<" {
            // Patterns never contain `>` or `<`, so the nearest earlier one
            // opens the combinator.
            let open = (0..i)
                .rev()
                .take(24)
                .find(|&j| self.slice(self.spans[j]) == last);
            if let Some(j) = open {
                let whole = self.slice((self.spans[j].0, self.spans[i].1));
                if whole.len() <= 30 && !whole.contains(['\n', '\r']) {
                    return format!("`{whole}`");
                }
            }
        }
        format!("`{last}`")
    }

    /// The innermost bracket opened before `offset` and not closed.
    fn unclosed_bracket(&self, offset: usize) -> Option<(usize, usize)> {
        let mut stack = Vec::new();
        for &sp in self.spans.iter().take_while(|&&(l, _)| l < offset) {
            match self.slice(sp) {
                "(" | "[" | "{" | "{." | "{|" => stack.push(sp),
                ")" | "]" | "}" | ".}" | "|}" => {
                    stack.pop();
                }
                _ => {}
            }
        }
        stack.pop()
    }
}

pub fn to_diagnostic(e: ParseError<usize, Token, Diagnostic>, cx: &Context<'_>) -> Diagnostic {
    match e {
        ParseError::User { error } => error,
        ParseError::InvalidToken { location } => {
            Diagnostic::syntax("invalid token", cx.span(location, location))
        }
        ParseError::ExtraToken { token: (l, t, r) } => Diagnostic::syntax(
            format!("unexpected {}", t.describe_in(cx.slice((l, r)))),
            cx.span(l, r),
        ),
        ParseError::UnrecognizedEof { location, expected } => eof(cx, location, &expected),
        ParseError::UnrecognizedToken {
            token: (l, t, r),
            expected,
        } => unexpected(cx, l, &t, r, &expected),
    }
}

/// What the expected terminals amount to.
enum Wanted {
    Expression,
    Pattern,
    PatternOrType,
    Type,
    Name,
    /// A short list of terminals, by their human names.
    OneOf(Vec<String>),
    /// Nothing but the end of the input: the parse was complete.
    End,
}

fn classify(expected: &[String]) -> Wanted {
    let has = |name: &str| expected.iter().any(|e| e == name);
    if expected.is_empty() {
        Wanted::End
    } else if has("\"stop\"") {
        Wanted::Expression
    } else if has("\"_\"") && has("Int") {
        if has("\"lambda\"") {
            Wanted::PatternOrType
        } else {
            Wanted::Pattern
        }
    } else if has("\"lambda\"") && has("Ident") {
        Wanted::Type
    } else if has("Ident")
        && has("OpIdent")
        && (expected.len() == 2 || (expected.len() == 3 && has("\"class\"")))
    {
        // (After `def`, `class` may come too: `def class C() = ...`.)
        Wanted::Name
    } else {
        let mut names: Vec<String> = Vec::new();
        for e in expected {
            let n = terminal_name(e);
            if !names.contains(&n) {
                names.push(n);
            }
        }
        Wanted::OneOf(names)
    }
}

/// The human name of a grammar terminal as LALRPOP lists it.
fn terminal_name(t: &str) -> String {
    match t {
        "Int" | "Decimal" => "a number".to_string(),
        "Str" => "a string".to_string(),
        "Ident" => "a name".to_string(),
        "OpIdent" => "an operator name like `(+)`".to_string(),
        quoted => format!("`{}`", quoted.trim_matches('"')),
    }
}

fn wanted_text(w: &Wanted) -> String {
    match w {
        Wanted::Expression => "an expression".to_string(),
        Wanted::Pattern => "a pattern".to_string(),
        Wanted::PatternOrType => "a parameter (a pattern or a type)".to_string(),
        Wanted::Type => "a type".to_string(),
        Wanted::Name => "a name".to_string(),
        Wanted::OneOf(names) => match names.as_slice() {
            [one] => one.clone(),
            [a, b] => format!("{a} or {b}"),
            _ => {
                let shown: Vec<&str> = names.iter().take(8).map(String::as_str).collect();
                let more = if names.len() > 8 { ", ..." } else { "" };
                format!("one of {}{more}", shown.join(", "))
            }
        },
        Wanted::End => "the end of the input".to_string(),
    }
}

fn unexpected(cx: &Context<'_>, l: usize, t: &Token, r: usize, expected: &[String]) -> Diagnostic {
    let wanted = classify(expected);
    let span = cx.span(l, r);
    let found = t.describe_in(cx.slice((l, r)));
    if chained_comparison(cx, l, t)
        && matches!(wanted, Wanted::OneOf(_) | Wanted::End | Wanted::Expression)
    {
        return Diagnostic::syntax("comparison operators do not chain", span)
            .with_label("a second comparison")
            .with_help(
                "`a = b = c` is not an expression; combine comparisons with `&&`, \
                 or add parentheses",
            );
    }
    match wanted {
        Wanted::End => {
            let help = hint(cx, l, t, &wanted, expected).unwrap_or_else(|| {
                "expressions are combined with an operator or a combinator \
                 (`>>`, `|`, `;`, ...); declarations go before the expression \
                 they scope over"
                    .to_string()
            });
            Diagnostic::syntax(format!("unexpected {found}"), span)
                .with_label("the expression before this is complete")
                .with_help(help)
        }
        _ => {
            let after = after_operator(cx, &wanted, l);
            let message = format!(
                "unexpected {found}; expected {}{after}",
                wanted_text(&wanted)
            );
            let mut d = Diagnostic::syntax(message, span)
                .with_label(format!("expected {} here", wanted_text(&wanted)));
            if let Some(help) = hint(cx, l, t, &wanted, expected) {
                d = d.with_help(help);
            }
            d
        }
    }
}

/// Advice for common mistakes, recognised from the offending token and its
/// neighbour.
fn hint(
    cx: &Context<'_>,
    l: usize,
    t: &Token,
    wanted: &Wanted,
    expected: &[String],
) -> Option<String> {
    let prev = cx.previous(l).map(|i| (cx.spans[i], cx.slice(cx.spans[i])));
    if is_keyword(t)
        && matches!(
            wanted,
            Wanted::Name | Wanted::Pattern | Wanted::PatternOrType
        )
    {
        return Some(format!(
            "{} is a reserved word and cannot be used as a name",
            t.describe()
        ));
    }
    if matches!(t, Token::Gt) && prev.is_some_and(|((_, r), text)| text == "<" && r == l) {
        return Some("inequality is written `/=` in Orc, not `<>`".to_string());
    }
    if let Some(help) = comparison_hint(expected) {
        return Some(help);
    }
    if matches!(t, Token::Eq) && prev.is_some_and(|((_, r), text)| text == "=" && r == l) {
        return Some("equality is written `=` in Orc, not `==`".to_string());
    }
    if matches!(wanted, Wanted::Type) && in_type_arguments(cx, l) {
        return Some(
            "`[` right after an expression on the same line begins type arguments, as \
             in `f[T](x)`; to start a list, begin it on a new line, or end the \
             declaration before it with `#`"
                .to_string(),
        );
    }
    if matches!(t, Token::LBracketLine) && matches!(wanted, Wanted::End) {
        return Some(
            "a `[` that begins a line opens a list; type arguments go on the line of \
             what they apply to, as in `f[T](x)`"
                .to_string(),
        );
    }
    if matches!(t, Token::LParenLine) && matches!(wanted, Wanted::End) {
        return Some(
            "a `(` that begins a line starts an expression of its own; a call's \
             arguments begin on the line of what it calls, as in `f(x)`"
                .to_string(),
        );
    }
    if prev.is_some_and(|(_, text)| text == "if") && expected == ["\"(\""] {
        return Some(
            "here `if` begins a guard `if (condition)` of a definition; to follow a \
             signature `def f(T) :: R` with a conditional, end the signature with `#`"
                .to_string(),
        );
    }
    // After a declaration these tokens would continue it (a call, a type
    // application, ...), so the grammar does not let the expression after
    // it start with them.
    let restricted = matches!(
        t,
        Token::LParen | Token::LBracket | Token::LBrace | Token::Minus | Token::If
    );
    let name = format!("\"{}\"", t.fixed_text().unwrap_or(""));
    if restricted && matches!(wanted, Wanted::Expression) && !expected.contains(&name) {
        return Some(format!(
            "an expression right after a declaration cannot start with {}, which \
             would continue the declaration; end the declaration with `#`",
            t.describe()
        ));
    }
    let after_value = prev.is_some_and(|(_, text)| {
        !is_operator(text) && !matches!(text, "(" | "[" | "{" | "{|" | "{." | ",")
    });
    if matches!(wanted, Wanted::Expression)
        && expected.iter().any(|e| e == "\"val\"")
        && after_value
    {
        return Some("a declaration must be followed by the expression it scopes over".to_string());
    }
    None
}

/// Whether `offset` is inside a `[` that directly follows the end of an
/// operand (an identifier, literal or closing bracket).
fn in_type_arguments(cx: &Context<'_>, offset: usize) -> bool {
    let Some(open) = cx.unclosed_bracket(offset) else {
        return false;
    };
    if cx.slice(open) != "[" {
        return false;
    }
    cx.previous(open.0).is_some_and(|i| {
        let text = cx.slice(cx.spans[i]);
        matches!(text, ")" | "]" | "?" | ".}" | "|}")
            || (text.starts_with(|c: char| c.is_alphanumeric()) && !is_reserved(text))
    })
}

/// A comparison operator where one is not allowed, right after an operand:
/// the grammar only rejects that when an earlier comparison is still open.
fn chained_comparison(cx: &Context<'_>, l: usize, t: &Token) -> bool {
    let relational = matches!(
        t,
        Token::Eq | Token::Ne | Token::LtColon | Token::ColonGt | Token::Le | Token::Ge
    );
    let prev = cx.previous(l).map(|i| cx.slice(cx.spans[i]));
    let ends_operand = |text: &str| {
        matches!(text, ")" | "]" | "}" | ".}" | "|}" | "?" | "_" | "stop" | "this")
            || matches!(text, "true" | "false" | "signal" | "null")
            || (text.starts_with(|c: char| c.is_alphanumeric() || c == '"') && !is_reserved(text))
            // An operator name such as `(+)`, but not a bare `(`.
            || (text.starts_with('(') && text.len() > 1)
    };
    relational && prev.is_some_and(ends_operand)
}

/// " after the operator `+`" when an expression is wanted right after an
/// operator (before offset `at`), else nothing.
fn after_operator(cx: &Context<'_>, wanted: &Wanted, at: usize) -> String {
    match (wanted, cx.previous(at)) {
        (Wanted::Expression, Some(i)) if is_operator(cx.slice(cx.spans[i])) => {
            format!(" after {}", cx.describe_before(i))
        }
        _ => String::new(),
    }
}

fn eof(cx: &Context<'_>, at: usize, expected: &[String]) -> Diagnostic {
    let wanted = classify(expected);
    let after = after_operator(cx, &wanted, at);
    let message = format!(
        "unexpected end of input; expected {}{after}",
        wanted_text(&wanted)
    );
    // A missing closing bracket is best shown at the bracket it should close.
    let wants_closer = expected.iter().any(|e| {
        matches!(
            e.as_str(),
            "\")\"" | "\"]\"" | "\"}\"" | "\".}\"" | "\"|}\""
        )
    });
    if wants_closer {
        if let Some(open) = cx.unclosed_bracket(at) {
            let label = format!("this `{}` is never closed", cx.slice(open));
            return Diagnostic::syntax(message, cx.span(open.0, open.1)).with_label(label);
        }
    }
    // Shown just after the last thing written, where something is missing
    // (not on the empty line after a final newline, where there is nothing
    // to point at).
    let end = cx.text.trim_end().len();
    let d = Diagnostic::syntax(message, cx.span(end, end)).with_label("the input ends here");
    match comparison_hint(expected) {
        Some(help) => d.with_help(help),
        None => d,
    }
}

/// The parser wants the closing `<` of `<x<` or `>` of `>x>`: most
/// likely a comparison written as in other languages (`1 < 2`, `x > 0`).
fn comparison_hint(expected: &[String]) -> Option<String> {
    let (written, spelled, combinator) = if expected.iter().any(|e| e == "\"<\"") {
        ("<", "<:", "<x<")
    } else if expected.iter().any(|e| e == "\">\"") {
        (">", ":>", ">x>")
    } else {
        return None;
    };
    Some(format!(
        "`{written}` begins the combinator `{combinator}`; to compare, write `{spelled}` \
         (Orc's comparisons are `<:`, `:>`, `<=`, `>=`, `=` and `/=`)"
    ))
}

/// Tokens after which an expression is expected: operators, combinator
/// halves, separators and expression keywords.
fn is_operator(text: &str) -> bool {
    matches!(
        text,
        "+" | "-"
            | "*"
            | "/"
            | "%"
            | "**"
            | "&&"
            | "||"
            | "~"
            | "="
            | "/="
            | "<:"
            | ":>"
            | "<="
            | ">="
            | ":"
            | ":="
            | ">"
            | "<"
            | "|"
            | ";"
            | "if"
            | "then"
            | "else"
            | "#"
    )
}

fn is_reserved(text: &str) -> bool {
    matches!(
        text,
        "as" | "class"
            | "def"
            | "else"
            | "extends"
            | "if"
            | "import"
            | "include"
            | "lambda"
            | "site"
            | "super"
            | "then"
            | "type"
            | "val"
            | "new"
            | "with"
    )
}

fn is_keyword(t: &Token) -> bool {
    t.fixed_text()
        .is_some_and(|s| s.chars().all(|c| c.is_ascii_lowercase()) && !s.is_empty())
}
