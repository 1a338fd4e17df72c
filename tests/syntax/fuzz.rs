//! Random inputs never make the front end panic.

use orc::compile::desugar::desugar_program;
use orc::compile::resolve::resolve;
use orc::diagnostics::SourceId;
use orc::syntax::parse_program;

/// The whole front end: parse, desugar, resolve. Errors are fine; panics
/// are not.
fn front_end(src: &str) {
    if let Ok(program) = parse_program(src, SourceId(0)) {
        if let Ok(core) = desugar_program(&program) {
            let _ = resolve(&core, orc::stdlib::prelude_globals());
        }
    }
}
use proptest::prelude::*;

/// Token texts to build soups from: every kind of token, some broken ones,
/// and comment/string fragments.
const VOCABULARY: &[&str] = &[
    "x",
    "f'",
    "Some",
    "αβ",
    "(+)",
    "(0-)",
    "0",
    "42",
    "1.5",
    "2e3",
    "\"s\"",
    "\"\\n\"",
    "\"\\u{41}\"",
    "\"",
    "\\",
    "as",
    "class",
    "def",
    "else",
    "extends",
    "if",
    "import",
    "include",
    "lambda",
    "signal",
    "site",
    "stop",
    "super",
    "then",
    "this",
    "type",
    "val",
    "true",
    "false",
    "new",
    "null",
    "with",
    "_",
    "(",
    ")",
    "[",
    "]",
    "{.",
    ".}",
    "{|",
    "|}",
    ",",
    "{",
    "}",
    "<",
    ">",
    "|",
    ";",
    "#",
    "::",
    ":!:",
    "+",
    "-",
    "*",
    "/",
    "%",
    "**",
    "&&",
    "||",
    "~",
    "=",
    "<:",
    ":>",
    "<=",
    ">=",
    "/=",
    ":",
    ".",
    "?",
    ":=",
    "{-",
    "-}",
    "--",
    "\n",
    "§",
    "\u{0}",
];

/// Valid programs to mutate.
const PROGRAMS: &[&str] = &[
    "def f(x) = x + 1\nf(2) >y> Println(y) >> stop",
    "val c = Channel()\n(c.put(1) | c.get()) <x< Rwait(10) ; signal",
    "type T[A] = L() | N(T[A], A, T[A])\ndef size(L()) = 0\ndef size(N(l, _, r)) = size(l) + 1 + size(r)\nsize(N(L(), 1, L()))",
    "class C extends D { self # val x :: Integer  def m(Integer) :: Integer  def m(y) if (y :> 0) = x }\nnew C { val x = 3 }.m(1)",
    "import site B = \"orc.lib.B\"\ninclude \"x.inc\"\n{| [1, 2, 3] >h:t> (h, t) |}",
    "lambda[A](x :: A, {. k = v .}) :: A = if x = v then x else { _ * 2 }(3) :!: A",
    "{- c {- nested -} -} -- line\n\"a\\tb\\u{48 49}\" : [] ; -3 ** 2 && ~true || null",
];

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(VOCABULARY), 0..40).prop_map(|ts| ts.join(" "))
}

/// Cuts, inserts or duplicates pieces of a valid program, at character
/// boundaries.
fn mutated() -> impl Strategy<Value = String> {
    (
        prop::sample::select(PROGRAMS),
        prop::collection::vec(
            (
                0usize..4,
                any::<prop::sample::Index>(),
                any::<prop::sample::Index>(),
                prop::sample::select(VOCABULARY),
            ),
            1..4,
        ),
    )
        .prop_map(|(base, edits)| {
            let mut chars: Vec<char> = base.chars().collect();
            for (kind, a, b, tok) in edits {
                let len = chars.len().max(1);
                let i = a.index(len).min(chars.len());
                let j = (i + b.index(8)).min(chars.len());
                match kind {
                    0 => {
                        chars.drain(i..j);
                    }
                    1 => {
                        for (k, c) in tok.chars().enumerate() {
                            chars.insert(i + k, c);
                        }
                    }
                    2 => {
                        let piece: Vec<char> = chars[i..j].to_vec();
                        for (k, c) in piece.into_iter().enumerate() {
                            chars.insert(j + k, c);
                        }
                    }
                    _ => chars.truncate(i),
                }
            }
            chars.into_iter().collect()
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn token_soup_never_panics(src in soup()) {
        front_end(&src);
    }

    #[test]
    fn mutated_programs_never_panic(src in mutated()) {
        front_end(&src);
    }

    #[test]
    fn arbitrary_text_never_panics(src in "\\PC{0,60}") {
        front_end(&src);
    }
}

#[test]
fn the_programs_to_mutate_are_valid() {
    for p in PROGRAMS {
        if let Err(d) = parse_program(p, SourceId(0)) {
            panic!("{p:?}: {d}");
        }
    }
}
