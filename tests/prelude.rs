//! The prelude loads without errors and binds every name the reference's
//! prelude defines in Orc (plus our additions), as closures.

use orc::diagnostics::SourceMap;
use orc::stdlib::{load_files, prelude_globals, PRELUDE};
use orc::Value;

/// Every function the prelude must define, by file.
const EXPECTED: &[(&str, &[&str])] = &[
    ("core", &["abs", "signum", "min", "max", "sqrt", "assert"]),
    (
        "idioms",
        &[
            "curry", "curry3", "uncurry", "uncurry3", "flip", "constant", "defer", "defer2",
            "ignore", "ignore2", "compose", "while", "repeat", "fork", "forkMap", "seq", "seqMap",
            "join", "joinMap", "alt", "altMap", "por", "pand", "collect",
        ],
    ),
    (
        "list",
        &[
            "each",
            "map",
            "reverse",
            "filter",
            "head",
            "tail",
            "init",
            "last",
            "empty",
            "index",
            "append",
            "foldl",
            "foldl1",
            "foldr",
            "foldr1",
            "afold",
            "cfold",
            "zipWith",
            "zip",
            "unzip",
            "concat",
            "length",
            "take",
            "drop",
            "member",
            "merge",
            "mergeBy",
            "sort",
            "sortBy",
            "mergeUnique",
            "mergeUniqueBy",
            "sortUnique",
            "sortUniqueBy",
            "group",
            "groupBy",
            "rangeBy",
            "range",
            "any",
            "all",
            "sum",
            "product",
            "and",
            "or",
            "minimum",
            "maximum",
        ],
    ),
    (
        "util",
        &[
            "signals",
            "forBy",
            "for",
            "upto",
            "takePubs",
            "withLock",
            "synchronized",
            "arrayToList",
            "listToArray",
            "fillArray",
            "sliceArray",
        ],
    ),
    (
        "state",
        &["swap", "fst", "snd", "Table", "ObservationSubject"],
    ),
    ("time", &["timeout", "metronome", "repeatWithTimeout"]),
    (
        "text",
        &["lines", "unlines", "words", "unwords", "characters"],
    ),
    (
        "services",
        &[
            "firstOf",
            "hedge",
            "retryBackoff",
            "circuitBreaker",
            "quorum",
            "execLines",
        ],
    ),
];

/// The built-in sites and the services' (the prelude is built on both).
fn builtins_and_services() -> orc::compile::resolve::Globals {
    let mut globals = orc::sites::builtins();
    for cap in orc::services::Capability::ALL {
        for site in cap.sites() {
            globals.insert(site.name().to_string(), Value::Site(site));
        }
    }
    globals
}

#[test]
fn prelude_loads_without_errors() {
    // All files as one group, as a whole-prelude check of what the chunks
    // load piecemeal.
    let mut globals = builtins_and_services();
    let mut sources = SourceMap::new();
    if let Err(msg) = load_files(&mut globals, &mut sources, PRELUDE) {
        panic!("the prelude failed to load:\n{msg}");
    }
}

#[test]
fn prelude_defines_every_expected_function() {
    let globals = prelude_globals();
    let mut missing = Vec::new();
    for (file, names) in EXPECTED {
        for name in *names {
            match globals.get(*name) {
                Some(Value::Closure(_)) => {}
                Some(other) => missing.push(format!(
                    "{file}: {name} is a {}, not a function",
                    other.type_name()
                )),
                None => missing.push(format!("{file}: {name} is not defined")),
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn prelude_adds_only_the_expected_names() {
    let builtins = builtins_and_services();
    let expected: Vec<&str> = EXPECTED
        .iter()
        .flat_map(|(_, ns)| ns.iter().copied())
        .collect();
    let extra: Vec<&String> = prelude_globals()
        .keys()
        .filter(|k| !builtins.contains_key(*k) && !expected.contains(&k.as_str()))
        .collect();
    assert!(extra.is_empty(), "unexpected prelude names: {extra:?}");
}

#[test]
fn a_program_takes_prelude_definitions_as_it_names_them() {
    let engine = orc::Engine::new();
    assert!(!engine.globals().contains_key("sortBy"));
    assert!(engine.names().any(|n| n == "sortBy"));
    let program = engine
        .compile("uses_sort.orc", "sort([3, 1, 2])")
        .expect("compiles");
    // Compiling leaves the engine as it was: the program's scope has
    // `sort` (and what `sort` uses is resolved inside it).
    assert!(!engine.globals().contains_key("sort"));
    let values: Vec<Value> = engine
        .execute_blocking(&program, orc::RunOptions::new().simulated_time())
        .collect();
    assert_eq!(values, [Value::from(vec![1, 2, 3])]);
}

#[test]
fn a_hosts_own_definition_wins_over_the_preludes() {
    let mut engine = orc::Engine::new();
    engine.define("map", Value::Int(7));
    let program = engine.compile("map.orc", "map").expect("compiles");
    let values: Vec<Value> = engine
        .execute_blocking(&program, orc::RunOptions::new().simulated_time())
        .collect();
    assert_eq!(values, [Value::Int(7)]);
}

#[test]
fn without_the_prelude_its_names_are_unbound() {
    let engine = orc::Engine::without_prelude();
    assert!(engine.compile("map.orc", "map").is_err());
    assert!(!engine.names().any(|n| n == "map"));
}
