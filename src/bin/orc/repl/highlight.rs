//! Syntax colouring of the line being edited: keywords, literals,
//! combinators and comments, with ANSI colours. It uses the language's own
//! lexer, so it always agrees with the parser about what a keyword is.

use logos::Logos;
use orc::syntax::lexer::Token;

const RESET: &str = "\x1b[0m";
const KEYWORD: &str = "\x1b[1;35m";
const STRING: &str = "\x1b[32m";
const NUMBER: &str = "\x1b[33m";
const COMBINATOR: &str = "\x1b[1;36m";
const COMMENT: &str = "\x1b[2m";

/// The colour of a token, if it gets one.
fn colour(token: &Token) -> Option<&'static str> {
    match token {
        Token::Str(_) => Some(STRING),
        Token::Int(_) | Token::Decimal(_) => Some(NUMBER),
        // `>x>` and `<x<` are built from `>` and `<`; the pattern between
        // them keeps its own colour.
        Token::Bar | Token::Semi | Token::Lt | Token::Gt | Token::LTrim | Token::RTrim => {
            Some(COMBINATOR)
        }
        Token::Hash => Some(COMBINATOR),
        other => other
            .fixed_text()
            .filter(|t| t.chars().all(|c| c.is_ascii_lowercase()))
            .map(|_| KEYWORD),
    }
}

/// `line` with ANSI colours added; its visible text is unchanged.
pub fn highlight(line: &str) -> String {
    let mut out = String::with_capacity(line.len() * 2);
    let mut lexer = Token::lexer(line);
    let mut done = 0;
    while let Some(token) = lexer.next() {
        let span = lexer.span();
        // What the lexer skipped: whitespace and comments.
        push_gap(&mut out, &line[done..span.start]);
        let text = &line[span.clone()];
        match token.ok().as_ref().and_then(colour) {
            Some(c) => {
                out.push_str(c);
                out.push_str(text);
                out.push_str(RESET);
            }
            None => out.push_str(text),
        }
        done = span.end;
    }
    push_gap(&mut out, &line[done..]);
    out
}

fn push_gap(out: &mut String, gap: &str) {
    if gap.trim().is_empty() {
        out.push_str(gap);
    } else {
        out.push_str(COMMENT);
        out.push_str(gap);
        out.push_str(RESET);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strip(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                for c in chars.by_ref() {
                    if c == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn colours_without_changing_the_text() {
        let line = r#"def f(x) = x + 1  -- add one
f(2) >y> Println("y" + y) | {| Rwait(1.5) |} ; stop {- done -}"#;
        let coloured = highlight(line);
        assert_eq!(strip(&coloured), line);
        assert!(coloured.contains(&format!("{KEYWORD}def{RESET}")));
        assert!(coloured.contains(&format!("{KEYWORD}stop{RESET}")));
        assert!(coloured.contains(&format!("{STRING}\"y\"{RESET}")));
        assert!(coloured.contains(&format!("{NUMBER}1.5{RESET}")));
        assert!(coloured.contains(&format!("{COMBINATOR}|{RESET}")));
        assert!(coloured.contains(&format!("{COMBINATOR}{{|{RESET}")));
        assert!(coloured.contains(&format!("{COMMENT} {{- done -}}{RESET}")));
        assert!(coloured.contains(&format!("{COMMENT}  -- add one\n{RESET}")));
        // Names are not coloured.
        assert!(coloured.contains("Println("));
    }

    #[test]
    fn survives_unfinished_input() {
        for line in ["\"unclosed", "{- open", "f(", "@#$", ""] {
            assert_eq!(strip(&highlight(line)), line);
        }
    }
}
