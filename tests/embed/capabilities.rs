//! Withholding by capability: a host that withholds a built-in withholds
//! everything built on it, prelude functions and built-ins that hand it
//! out included, and leaves the rest of the prelude working.
//!
//! [`BUILT_ON`] says, for every built-in, what a sandbox loses with it:
//! read off the prelude's text by hand, it is what the engine's own
//! analysis (of the prelude's resolved code) must find. Each built-in the
//! prelude builds on has a test of its own; one more goes through them
//! all, and checks that the table names every built-in.

use crate::{shown, sim};
use orc::{Engine, Value};
use std::collections::BTreeSet;

/// For each built-in: the prelude functions and the other built-ins that
/// are built on it (directly or through others).
const BUILT_ON: &[(&str, &[&str], &[&str])] = &[
    ("%", &["range", "rangeBy"], &[]),
    ("Append", &["append", "concat"], &[]),
    ("&&", &["all", "pand"], &[]),
    ("*", &["product", "retryBackoff"], &[]),
    ("**", &["sqrt"], &[]),
    (
        "+",
        &[
            "Table",
            "cfold",
            "circuitBreaker",
            "drop",
            "fillArray",
            "for",
            "forBy",
            "length",
            "listToArray",
            "range",
            "rangeBy",
            "retryBackoff",
            "sliceArray",
            "sort",
            "sortBy",
            "sortUnique",
            "sortUniqueBy",
            "sum",
            "take",
            "unlines",
            "unwords",
            "upto",
        ],
        &[],
    ),
    (
        "-",
        &[
            "arrayToList",
            "cfold",
            "characters",
            "drop",
            "index",
            "lines",
            "quorum",
            "range",
            "rangeBy",
            "retryBackoff",
            "signals",
            "sliceArray",
            "sort",
            "sortBy",
            "sortUnique",
            "sortUniqueBy",
            "take",
            "takePubs",
            "words",
        ],
        &[],
    ),
    ("/", &["sort", "sortBy", "sortUnique", "sortUniqueBy"], &[]),
    ("/=", &["words"], &[]),
    ("0-", &["abs"], &[]),
    (
        ":",
        &[
            "afold",
            "arrayToList",
            "characters",
            "filter",
            "foldr",
            "foldr1",
            "group",
            "groupBy",
            "init",
            "lines",
            "map",
            "merge",
            "mergeBy",
            "mergeUnique",
            "mergeUniqueBy",
            "quorum",
            "range",
            "rangeBy",
            "reverse",
            "sort",
            "sortBy",
            "sortUnique",
            "sortUniqueBy",
            "take",
            "unlines",
            "unzip",
            "words",
            "zip",
            "zipWith",
        ],
        &[],
    ),
    (
        ":=",
        &[
            "Table",
            "circuitBreaker",
            "fillArray",
            "listToArray",
            "sliceArray",
            "swap",
        ],
        &[],
    ),
    (":>", &["max", "maximum", "signum"], &[]),
    (
        "<:",
        &[
            "Table",
            "abs",
            "circuitBreaker",
            "drop",
            "merge",
            "mergeUnique",
            "min",
            "minimum",
            "range",
            "rangeBy",
            "signals",
            "signum",
            "sliceArray",
            "sort",
            "sortBy",
            "sortUnique",
            "sortUniqueBy",
            "take",
        ],
        &[],
    ),
    (
        "<=",
        &["for", "forBy", "range", "rangeBy", "retryBackoff", "upto"],
        &[],
    ),
    (
        "=",
        &["group", "mergeUnique", "range", "rangeBy", "sortUnique"],
        &[],
    ),
    (
        ">=",
        &[
            "Table",
            "circuitBreaker",
            "fillArray",
            "for",
            "forBy",
            "range",
            "rangeBy",
            "sqrt",
            "upto",
        ],
        &[],
    ),
    (
        "?",
        &[
            "Table",
            "arrayToList",
            "characters",
            "circuitBreaker",
            "fillArray",
            "lines",
            "sliceArray",
            "swap",
            "words",
        ],
        &[],
    ),
    ("Abs", &[], &[]),
    ("Array", &["Table", "listToArray", "sliceArray"], &[]),
    ("FilterInPlace", &["filter", "words"], &[]),
    ("Member", &["member"], &[]),
    ("BoundedChannel", &[], &[]),
    ("Ceil", &[], &[]),
    ("Cell", &[], &[]),
    (
        "Channel",
        &[
            "ObservationSubject",
            "cfold",
            "collect",
            "quorum",
            "takePubs",
        ],
        &[],
    ),
    ("Counter", &[], &[]),
    ("Dictionary", &[], &[]),
    (
        "Error",
        &[
            "assert",
            "drop",
            "for",
            "forBy",
            "range",
            "rangeBy",
            "sort",
            "sortBy",
            "sortUnique",
            "sortUniqueBy",
            "take",
            "upto",
        ],
        &[],
    ),
    ("Exp", &[], &[]),
    ("Floor", &[], &[]),
    ("Iff", &["all", "pand"], &[]),
    ("Ift", &["any", "por", "sliceArray", "sqrt", "while"], &[]),
    ("IntegerTimeOrder", &[], &[]),
    ("Let", &[], &[]),
    ("Block", &[], &[]),
    ("Log", &[], &[]),
    (
        "None",
        &["firstOf", "quorum", "repeatWithTimeout", "timeout"],
        &[],
    ),
    ("OrcVersion", &[], &[]),
    ("Print", &[], &[]),
    ("Println", &[], &[]),
    ("Prompt", &[], &[]),
    ("Random", &["retryBackoff"], &[]),
    ("Rclock", &["circuitBreaker"], &[]),
    ("Read", &[], &[]),
    ("ReadJSON", &[], &[]),
    ("Ref", &["circuitBreaker"], &[]),
    ("Rtime", &["circuitBreaker"], &["Rclock"]),
    (
        "Rwait",
        &[
            "circuitBreaker",
            "firstOf",
            "hedge",
            "metronome",
            "quorum",
            "repeatWithTimeout",
            "retryBackoff",
            "timeout",
        ],
        &["Rclock"],
    ),
    ("Semaphore", &["ObservationSubject"], &[]),
    (
        "Some",
        &["firstOf", "quorum", "repeatWithTimeout", "timeout"],
        &[],
    ),
    ("SyncChannel", &[], &[]),
    ("URandom", &[], &[]),
    ("UUID", &[], &[]),
    ("Vawait", &[], &[]),
    ("Vclock", &[], &[]),
    ("Vtime", &[], &[]),
    ("Write", &[], &[]),
    ("WriteJSON", &[], &[]),
    ("signal", &[], &[]),
    ("||", &["any", "por"], &[]),
    ("~", &[], &[]),
];

/// Small programs over the prelude, with the global names they write
/// (prelude functions, built-ins, operators) and what they publish: each
/// runs unless one of those names is withheld.
const SAMPLES: &[(&str, &[&str], &str)] = &[
    ("abs(-3)", &["abs", "0-"], "3"),
    ("sum([1, 2, 3])", &["sum"], "6"),
    ("reverse([1, 2, 3])", &["reverse"], "[3, 2, 1]"),
    ("length([1, 2, 3])", &["length"], "3"),
    ("sort([3, 1, 2])", &["sort"], "[1, 2, 3]"),
    ("map(lambda(x) = (x, x), [1])", &["map"], "[(1, 1)]"),
    ("member(2, [1, 2])", &["member"], "true"),
    ("zip([1, 2], [3, 4])", &["zip"], "[(1, 3), (2, 4)]"),
    ("max(1, 2)", &["max"], "2"),
    ("words(\"a b\")", &["words"], "[\"a\", \"b\"]"),
    (
        "arrayToList(listToArray([1, 2]))",
        &["arrayToList", "listToArray"],
        "[1, 2]",
    ),
    ("fst((1, 2))", &["fst"], "1"),
    ("head([1, 2])", &["head"], "1"),
    ("curry(lambda(a, b) = (a, b))(1)(2)", &["curry"], "(1, 2)"),
    ("and([true, false])", &["and"], "false"),
    ("range(0, 3)", &["range"], "[0, 1, 2]"),
    (
        "length(collect(lambda() = (1 | 2)))",
        &["length", "collect"],
        "2",
    ),
    ("ObservationSubject() >> 1", &["ObservationSubject"], "1"),
    ("timeout(1, 10)", &["timeout"], "Some(1)"),
    ("{| metronome(5) |}", &["metronome"], "signal"),
    ("Rclock().wait(5) >> 1", &["Rclock"], "1"),
    ("Rwait(5) >> 1", &["Rwait"], "1"),
    ("Channel() >c> c.put(1) >> c.get()", &["Channel"], "1"),
];

/// How a program writes the built-in `name`: itself, or an operator in
/// parentheses (`signal` is a keyword: no program names the site).
fn written(name: &str) -> Option<String> {
    match name {
        "signal" => None,
        n if n.starts_with(|c: char| c.is_alphabetic()) => Some(n.to_string()),
        n => Some(format!("({n})")),
    }
}

fn row(site: &str) -> (&'static [&'static str], &'static [&'static str]) {
    let (_, prelude, builtins) = BUILT_ON
        .iter()
        .find(|(n, _, _)| *n == site)
        .unwrap_or_else(|| panic!("{site} is not in BUILT_ON"));
    (prelude, builtins)
}

/// The names a program compiled by `engine` may not use, among `names`,
/// with the message each gets: one compile naming them all.
fn refused(engine: &Engine, names: &[&str]) -> Vec<(String, String)> {
    let program = format!("[{}]", names.join(", "));
    let Err(err) = engine.compile("all.orc", &program) else {
        return Vec::new();
    };
    err.diagnostics
        .iter()
        .map(|d| {
            let span = d.span.expect("a span");
            let name = program[span.start as usize..span.end as usize].to_string();
            (name, d.message.clone())
        })
        .collect()
}

/// Withholds `site` and checks what goes with it, and what stays.
fn check(site: &str) {
    let (prelude, builtins) = row(site);
    let mut engine = Engine::new();
    // The services too, so that only `site` is missing.
    for cap in orc::services::Capability::ALL {
        engine.grant(cap);
    }
    engine.withhold(site);

    // The site itself, by name and by `import site`.
    if let Some(name) = written(site) {
        let err = engine.compile("p.orc", &name).unwrap_err();
        assert_eq!(
            err.diagnostics[0].message,
            format!("`{site}` is not available in this sandbox")
        );
    }
    let err = engine
        .compile("p.orc", &format!("import site S = \"{site}\"  S"))
        .unwrap_err();
    assert_eq!(
        err.diagnostics[0].message,
        format!("`{site}` is not available in this sandbox")
    );

    // Every prelude function and built-in built on it, and nothing else.
    let mut everything: Vec<&str> = orc::stdlib::prelude_names().collect();
    let all_builtins: Vec<String> = orc::sites::builtins().into_keys().collect();
    everything.extend(
        all_builtins
            .iter()
            .map(String::as_str)
            .filter(|n| *n != site && written(n).as_deref() == Some(*n)),
    );
    let got = refused(&engine, &everything);
    let got_names: BTreeSet<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
    let expected: BTreeSet<&str> = prelude.iter().chain(builtins).copied().collect();
    assert_eq!(got_names, expected, "withholding {site}");
    let tail = format!("`{site}`, which this host withholds");
    for (name, message) in &got {
        assert!(
            message.starts_with(&format!(
                "`{name}` is not available in this sandbox: it uses `"
            )) && message.ends_with(&tail),
            "withholding {site}: {message}"
        );
        assert!(engine.is_withheld(name), "{name}");
    }

    // What is not built on it still works.
    for (program, names, expected) in SAMPLES {
        let lost = names
            .iter()
            .any(|n| *n == site || prelude.contains(n) || builtins.contains(n));
        match engine.compile("sample.orc", program) {
            Ok(compiled) => {
                assert!(!lost, "withholding {site}, {program} compiled");
                let values: Vec<Value> = engine.execute_blocking(&compiled, sim()).collect();
                assert_eq!(shown(&values), [*expected], "withholding {site}: {program}");
            }
            Err(err) => assert!(lost, "withholding {site}, {program}: {err}"),
        }
    }
}

macro_rules! site_tests {
    ($($test:ident: $site:literal,)*) => {
        $(
            #[test]
            fn $test() {
                check($site);
            }
        )*

        /// The built-ins the tests above are for.
        const TESTED: &[&str] = &[$($site),*];
    };
}

// One test for each built-in the prelude builds on.
site_tests! {
    withholding_rwait: "Rwait",
    withholding_ref: "Ref",
    withholding_rclock: "Rclock",
    withholding_random: "Random",
    withholding_rtime: "Rtime",
    withholding_some: "Some",
    withholding_none: "None",
    withholding_channel: "Channel",
    withholding_semaphore: "Semaphore",
    withholding_array: "Array",
    withholding_error: "Error",
    withholding_ift: "Ift",
    withholding_iff: "Iff",
    withholding_plus: "+",
    withholding_minus: "-",
    withholding_times: "*",
    withholding_divide: "/",
    withholding_modulo: "%",
    withholding_power: "**",
    withholding_negate: "0-",
    withholding_equal: "=",
    withholding_not_equal: "/=",
    withholding_less: "<:",
    withholding_less_or_equal: "<=",
    withholding_greater: ":>",
    withholding_greater_or_equal: ">=",
    withholding_and: "&&",
    withholding_or: "||",
    withholding_cons: ":",
    withholding_assign: ":=",
    withholding_deref: "?",
    withholding_append: "Append",
    withholding_filter_in_place: "FilterInPlace",
    withholding_member: "Member",
}

#[test]
fn withholding_any_builtin_takes_what_is_built_on_it() {
    let builtins: BTreeSet<String> = orc::sites::builtins().into_keys().collect();
    let listed: BTreeSet<String> = BUILT_ON.iter().map(|(n, _, _)| n.to_string()).collect();
    assert_eq!(
        builtins, listed,
        "BUILT_ON lists every built-in, with what a sandbox loses with it"
    );
    for (site, prelude, builtins) in BUILT_ON {
        let builds_on = !prelude.is_empty() || !builtins.is_empty();
        assert_eq!(
            TESTED.contains(site),
            builds_on,
            "{site}: a test of its own exactly when something is built on it"
        );
        if !builds_on {
            check(site);
        }
    }
}

#[test]
fn the_message_follows_the_chain_of_uses() {
    let mut engine = Engine::new();
    engine.withhold("Semaphore").withhold("Rwait");
    let err = engine
        .compile("p.orc", "ObservationSubject() | timeout(1, 2) | Rclock()")
        .unwrap_err();
    let messages: Vec<&str> = err.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "`ObservationSubject` is not available in this sandbox: it uses `Semaphore`, \
             which this host withholds",
            "`timeout` is not available in this sandbox: it uses `Rwait`, which this host \
             withholds",
            "`Rclock` is not available in this sandbox: it uses `Rwait`, which this host \
             withholds",
        ]
    );
    // The snippet shows the use.
    assert!(err.to_string().contains("p.orc:1:24"), "{err}");
    // Withholding a prelude function takes along what is built on it.
    let mut engine = Engine::new();
    engine.withhold("arrayToList");
    let err = engine.compile("p.orc", "words(\"a b\")").unwrap_err();
    assert_eq!(
        err.diagnostics[0].message,
        "`words` is not available in this sandbox: it uses `arrayToList`, which this host \
         withholds"
    );
    engine.withhold("reverse");
    let err = engine.compile("p.orc", "foldr((+), 0, [1])").unwrap_err();
    assert_eq!(
        err.diagnostics[0].message,
        "`foldr` is not available in this sandbox: it uses `reverse`, which this host withholds"
    );
    let err = engine.compile("p.orc", "unlines([\"a\"])").unwrap_err();
    assert_eq!(
        err.diagnostics[0].message,
        "`unlines` is not available in this sandbox: it uses `foldr`, which uses `reverse`, \
         which this host withholds"
    );
}

#[test]
fn a_site_handing_out_a_withheld_one_is_refused_however_named() {
    let mut engine = Engine::sandboxed();
    engine.withhold("Rwait");
    for program in [
        "Rclock().wait(10)",
        r#"import site C = "orc.lib.time.Rclock"  C().wait(10)"#,
        "val c = Rclock  c().wait(10)",
    ] {
        let err = engine.compile("p.orc", program).unwrap_err();
        assert!(
            err.diagnostics.iter().any(|d| d.message
                == "`Rclock` is not available in this sandbox: it uses `Rwait`, which this \
                    host withholds"),
            "{program}: {err}"
        );
    }
}

#[test]
fn a_name_given_back_brings_back_what_is_built_on_it() {
    let mut engine = Engine::sandboxed();
    let rwait = engine.globals()["Rwait"].clone();
    engine.withhold("Rwait");
    assert!(engine.is_withheld("timeout") && engine.is_withheld("Rclock"));
    assert!(engine.compile("p.orc", "timeout(1, 10)").is_err());
    engine.define("Rwait", rwait);
    assert!(!engine.is_withheld("timeout") && !engine.is_withheld("Rclock"));
    let program = engine.compile("p.orc", "timeout(1, 10)").unwrap();
    let values: Vec<Value> = engine.execute_blocking(&program, sim()).collect();
    assert_eq!(shown(&values), ["Some(1)"]);
}

#[test]
fn a_programs_own_definitions_are_its_business() {
    let mut engine = Engine::new();
    engine.withhold("Rwait");
    // Its own `timeout`, not built on anything withheld.
    let program = engine
        .compile("p.orc", "def timeout(x, t) = Some(x)  timeout(1, 10)")
        .unwrap();
    let values: Vec<Value> = engine.execute_blocking(&program, sim()).collect();
    assert_eq!(shown(&values), ["Some(1)"]);
    // A declaration that uses a refused name is refused with it.
    let input = engine
        .load_input("<input>", "def later(x) = timeout(x, 10)")
        .unwrap();
    match engine.declare(input, Box::new(crate::Ignore), sim()) {
        Err(orc::DeclareError::Compile(err)) => assert!(
            err.to_string().contains("`timeout` is not available"),
            "{err}"
        ),
        _ => panic!("expected a compile error"),
    }
}

#[test]
fn a_sandbox_withholds_what_is_built_on_prompt() {
    // Nothing in the prelude reads standard input: a sandbox keeps all of
    // it but what is built on the services it does not grant either.
    let engine = Engine::sandboxed();
    let names: Vec<&str> = orc::stdlib::prelude_names().collect();
    assert_eq!(
        refused(&engine, &names),
        [(
            "execLines".to_string(),
            "`execLines` is not available in this sandbox: it uses `Spawn`, which this host \
             withholds"
                .to_string()
        )]
    );
}
