//! Tokens: comments, whitespace, literals, escapes, identifiers, operator
//! names and delimiters.

use num_bigint::BigInt;
use orc::diagnostics::SourceId;
use orc::syntax::lexer::{tokenize, Token};

fn toks(src: &str) -> Vec<Token> {
    match tokenize(src, SourceId(0)) {
        Ok(ts) => ts.into_iter().map(|(_, t, _)| t).collect(),
        Err(d) => panic!("lexing {src:?} failed: {d}"),
    }
}

fn lex_err(src: &str) -> (String, usize, usize) {
    match tokenize(src, SourceId(0)) {
        Ok(ts) => panic!("expected a lexical error for {src:?}, got {ts:?}"),
        Err(d) => {
            let sp = d.span.expect("lexical errors have spans");
            (d.message, sp.start as usize, sp.end as usize)
        }
    }
}

fn ident(s: &str) -> Token {
    Token::Ident(s.to_string())
}

fn string(s: &str) -> Token {
    Token::Str(s.to_string())
}

#[test]
fn whitespace_of_every_kind_separates_tokens() {
    let src = "a\tb\u{0B}c\u{0C}d e\rf\ng\u{85}h\u{2028}i\u{2029}j\u{200E}k\u{200F}l\r\nm";
    let names: Vec<Token> = "abcdefghijklm"
        .chars()
        .map(|c| ident(&c.to_string()))
        .collect();
    assert_eq!(toks(src), names);
}

#[test]
fn line_comments_end_at_any_newline() {
    assert_eq!(toks("a -- comment\nb"), vec![ident("a"), ident("b")]);
    assert_eq!(toks("a -- comment\u{2028}b"), vec![ident("a"), ident("b")]);
    assert_eq!(toks("a -- comment"), vec![ident("a")]);
    assert_eq!(toks("a--b"), vec![ident("a")]);
}

#[test]
fn block_comments_nest() {
    assert_eq!(toks("a {- x -} b"), vec![ident("a"), ident("b")]);
    assert_eq!(toks("a {- x {- y -} z -} b"), vec![ident("a"), ident("b")]);
    assert_eq!(toks("{-{--}-}a"), vec![ident("a")]);
    assert_eq!(
        toks("{- multi\nline -- not a line comment -}a"),
        vec![ident("a")]
    );
    assert_eq!(toks("{--}"), vec![]);
}

#[test]
fn unclosed_block_comment_points_at_its_start() {
    assert_eq!(lex_err("a {- x"), ("unclosed comment".into(), 2, 4));
    // The outer comment is the one left open.
    assert_eq!(lex_err("{- a {- b -} c"), ("unclosed comment".into(), 0, 2));
}

#[test]
fn integers_of_any_size() {
    assert_eq!(
        toks("0 42"),
        vec![Token::Int(BigInt::from(0)), Token::Int(BigInt::from(42))]
    );
    let big = "123456789012345678901234567890123456789";
    assert_eq!(toks(big), vec![Token::Int(big.parse().unwrap())]);
}

#[test]
fn decimals_keep_their_text() {
    for d in ["1.5", "0.25", "1e10", "1E10", "2.5e-3", "2.5E+3", "7e0"] {
        assert_eq!(toks(d), vec![Token::Decimal(d.to_string())], "{d}");
    }
}

#[test]
fn a_dot_is_part_of_a_number_only_before_a_digit() {
    assert_eq!(
        toks("1.foo"),
        vec![Token::Int(BigInt::from(1)), Token::Dot, ident("foo")]
    );
    assert_eq!(toks("1."), vec![Token::Int(BigInt::from(1)), Token::Dot]);
    assert_eq!(toks("1e"), vec![Token::Int(BigInt::from(1)), ident("e")]);
    assert_eq!(
        toks("1.5.x"),
        vec![Token::Decimal("1.5".into()), Token::Dot, ident("x")]
    );
}

#[test]
fn string_escapes() {
    assert_eq!(toks(r#""a\nb""#), vec![string("a\nb")]);
    assert_eq!(toks(r#""\t\r\f""#), vec![string("\t\r\u{0C}")]);
    assert_eq!(toks(r#""\"\\""#), vec![string("\"\\")]);
    assert_eq!(toks(r#""\q\'""#), vec![string("q'")]);
    assert_eq!(toks(r#""\u0041\u00e9""#), vec![string("Aé")]);
    assert_eq!(toks(r#""\u{41}""#), vec![string("A")]);
    assert_eq!(toks(r#""\u{1F600}""#), vec![string("\u{1F600}")]);
    assert_eq!(toks(r#""\u{48 49  4A}!""#), vec![string("HIJ!")]);
    assert_eq!(toks(r#""\u{10FFFF}""#), vec![string("\u{10FFFF}")]);
    assert_eq!(toks(r#""""#), vec![string("")]);
    assert_eq!(toks("\"tab\there\""), vec![string("tab\there")]);
}

#[test]
fn invalid_unicode_escapes() {
    let bad = [
        r#""\u12""#,
        r#""\uZZZZ""#,
        r#""\u{}""#,
        r#""\u{1234567}""#,
        r#""\u{ 41}""#,
        r#""\u{D800}""#,
        r#""\u{110000}""#,
        r#""\uD800""#,
    ];
    for src in bad {
        let (msg, start, _) = lex_err(src);
        assert!(msg.starts_with("invalid escape `\\u"), "{src}: {msg}");
        assert_eq!(start, 1, "{src}");
    }
}

#[test]
fn unclosed_strings() {
    assert_eq!(lex_err("x \"abc"), ("unclosed string literal".into(), 2, 3));
    assert_eq!(
        lex_err("\"abc\ndef\""),
        ("unclosed string literal".into(), 0, 1)
    );
    assert_eq!(lex_err("\"abc\\"), ("unclosed string literal".into(), 0, 1));
    assert_eq!(
        lex_err("\"abc\\\n\""),
        ("unclosed string literal".into(), 0, 1)
    );
}

#[test]
fn identifiers_with_primes_and_unicode() {
    assert_eq!(
        toks("f' x'' y_1 αβ"),
        vec![ident("f'"), ident("x''"), ident("y_1"), ident("αβ")]
    );
    // Both spellings of é are one name after NFC normalisation.
    assert_eq!(toks("e\u{301}"), vec![ident("\u{e9}")]);
    assert_eq!(toks("\u{e9}"), vec![ident("\u{e9}")]);
    // `_` is a keyword, so it cannot begin an identifier.
    assert_eq!(toks("_x"), vec![Token::Underscore, ident("x")]);
}

#[test]
fn keywords() {
    let src = "as class def else extends if import include lambda signal site stop super \
               then this type val true false new null with _";
    let expected = vec![
        Token::As,
        Token::Class,
        Token::Def,
        Token::Else,
        Token::Extends,
        Token::If,
        Token::Import,
        Token::Include,
        Token::Lambda,
        Token::Signal,
        Token::Site,
        Token::Stop,
        Token::Super,
        Token::Then,
        Token::This,
        Token::Type,
        Token::Val,
        Token::True,
        Token::False,
        Token::New,
        Token::Null,
        Token::With,
        Token::Underscore,
    ];
    assert_eq!(toks(src), expected);
    assert_eq!(
        toks("iff if' values"),
        vec![ident("iff"), ident("if'"), ident("values")]
    );
}

#[test]
fn operator_names() {
    for op in [
        "+", "-", "*", "/", "%", "**", "&&", "||", "~", "=", "<:", ":>", "<=", ">=", "/=", ":",
        ".", "?", ":=", "0-",
    ] {
        assert_eq!(
            toks(&format!("({op})")),
            vec![Token::OpIdent(op.to_string())],
            "{op}"
        );
    }
    // No spaces inside.
    assert_eq!(
        toks("( + )"),
        vec![Token::LParen, Token::Plus, Token::RParen]
    );
    assert_eq!(toks("(x)"), vec![Token::LParen, ident("x"), Token::RParen]);
}

#[test]
fn combinators_are_split_into_single_angles() {
    assert_eq!(toks(">>"), vec![Token::Gt, Token::Gt]);
    assert_eq!(toks("<<"), vec![Token::Lt, Token::Lt]);
    assert_eq!(toks(">x>"), vec![Token::Gt, ident("x"), Token::Gt]);
}

#[test]
fn every_delimiter_and_operator() {
    let table = [
        ("(", Token::LParen),
        (")", Token::RParen),
        ("[", Token::LBracket),
        ("]", Token::RBracket),
        ("{.", Token::LRecord),
        (".}", Token::RRecord),
        ("{|", Token::LTrim),
        ("|}", Token::RTrim),
        (",", Token::Comma),
        ("{", Token::LBrace),
        ("}", Token::RBrace),
        ("<", Token::Lt),
        (">", Token::Gt),
        ("|", Token::Bar),
        (";", Token::Semi),
        ("#", Token::Hash),
        ("::", Token::ColonColon),
        (":!:", Token::ColonBangColon),
        ("+", Token::Plus),
        ("-", Token::Minus),
        ("*", Token::Star),
        ("/", Token::Slash),
        ("%", Token::Percent),
        ("**", Token::StarStar),
        ("&&", Token::AndAnd),
        ("||", Token::OrOr),
        ("~", Token::Tilde),
        ("=", Token::Eq),
        ("<:", Token::LtColon),
        (":>", Token::ColonGt),
        ("<=", Token::Le),
        (">=", Token::Ge),
        ("/=", Token::Ne),
        (":", Token::Colon),
        (".", Token::Dot),
        ("?", Token::Question),
        (":=", Token::ColonEq),
    ];
    for (text, tok) in table {
        assert_eq!(toks(text), vec![tok.clone()], "{text}");
        assert_eq!(tok.fixed_text(), Some(text));
    }
}

#[test]
fn longest_match_between_delimiters() {
    assert_eq!(toks("{|x|}"), vec![Token::LTrim, ident("x"), Token::RTrim]);
    assert_eq!(
        toks("{.x.}"),
        vec![Token::LRecord, ident("x"), Token::RRecord]
    );
    assert_eq!(
        toks("a::b"),
        vec![ident("a"), Token::ColonColon, ident("b")]
    );
    assert_eq!(toks("x:xs"), vec![ident("x"), Token::Colon, ident("xs")]);
    assert_eq!(
        toks("a***b"),
        vec![ident("a"), Token::StarStar, Token::Star, ident("b")]
    );
}

#[test]
fn spans_are_byte_offsets() {
    let ts = tokenize("αβ + \"é\"", SourceId(0)).unwrap();
    let spans: Vec<(usize, usize)> = ts.iter().map(|&(l, _, r)| (l, r)).collect();
    assert_eq!(spans, vec![(0, 4), (5, 6), (7, 11)]);
}

#[test]
fn invalid_characters() {
    assert_eq!(lex_err("a § b"), ("invalid character `§`".into(), 2, 4));
    assert_eq!(lex_err("x = $y"), ("invalid character `$`".into(), 4, 5));
    assert_eq!(lex_err("!"), ("invalid character `!`".into(), 0, 1));
    assert_eq!(lex_err("a\u{0}"), ("invalid character U+0000".into(), 1, 2));
}

#[test]
fn numbers_have_a_digit_limit() {
    use orc::syntax::lexer::MAX_LITERAL_DIGITS;
    // The largest integer a program may hold is a literal; leading zeros
    // do not count.
    let nines = "9".repeat(MAX_LITERAL_DIGITS);
    let want = BigInt::from(10).pow(MAX_LITERAL_DIGITS as u32) - 1;
    assert_eq!(toks(&format!("000{nines}")), [Token::Int(want)]);
    // One digit more is an error naming the length, quoting only the
    // number's start.
    let (msg, start, end) = lex_err(&format!("x + 1{nines}"));
    assert!(
        msg.contains(&format!("has {} digits", MAX_LITERAL_DIGITS + 1)),
        "{msg}"
    );
    assert!(msg.len() < 200, "{msg}");
    assert_eq!((start, end), (4, 5 + MAX_LITERAL_DIGITS));
    // Decimals count the digits of both parts, from the first nonzero one.
    let (msg, _, _) = lex_err(&format!("1{nines}.5"));
    assert!(msg.contains("too long"), "{msg}");
    let half = &nines[..MAX_LITERAL_DIGITS / 2];
    let (msg, _, _) = lex_err(&format!("1{half}.{half}"));
    assert!(msg.contains("too long"), "{msg}");
    let at_limit = format!("00{half}.{half}");
    assert_eq!(toks(&at_limit), [Token::Decimal(at_limit.clone())]);
    let at_limit = format!("0.00{}", &nines[..MAX_LITERAL_DIGITS - 2]);
    assert_eq!(toks(&at_limit), [Token::Decimal(at_limit.clone())]);
}

#[test]
fn long_tokens_are_described_briefly() {
    let big = Token::Int(BigInt::from(7).pow(100_000));
    assert_eq!(big.describe(), "number of about 84510 digits");
    assert_eq!(Token::Int(BigInt::from(42)).describe(), "number `42`");
    let name = "n".repeat(1_000_000);
    assert!(Token::Ident(name).describe().len() < 100);
    // A parse error at a long number quotes its start only.
    let text = format!("f(x) {}", "1".repeat(200_000));
    let d = orc::syntax::parse_program(&text, SourceId(0)).unwrap_err();
    assert!(d.message.contains("(200000 digits)"), "{}", d.message);
    assert!(d.message.len() < 300, "{}", d.message);
}
