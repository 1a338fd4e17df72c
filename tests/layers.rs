//! The layers of the crate: no import cycle among top-level modules.
//!
//! Reads the non-test source of the library (`src/`, its top-level modules
//! being `src/X.rs` or `src/X/…`) and of the `orc` binary (`src/bin/orc/`),
//! collects every path that names another top-level module — `use crate::X`,
//! `crate::X::…` anywhere in code, and `super::` paths that climb out of a
//! module — and fails, printing the cycle and the lines behind each arrow,
//! when the graph of top-level modules has a cycle.
//!
//! Cycles that are not broken yet are listed in [`LIBRARY_BACK_EDGES`], each
//! with the reason it still runs back up. The list may only shrink: a new
//! arrow that closes a cycle fails, and so does a listed arrow that is gone
//! (delete its line). Test code (`#[cfg(test)]` items and the files such
//! items name, `*_tests.rs`) is left out: tests may reach anywhere.
//!
//! Inside a top-level module, files may import one another in a *knot*
//! (a cycle of files) of at most [`MAX_KNOT`] files; [`LARGER_KNOTS`] lists
//! the modules with a larger one, whose size may only go down.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Arrows of the library that still run back up a layer, each with why.
/// Removing them all leaves the graph acyclic; the test checks both that
/// nothing else closes a cycle and that each of these is still there.
/// (None now: the library's modules form layers.)
///
/// The layers, bottom up: memory, diagnostics, value, syntax, runtime,
/// sites, compile, loader, services, declare, stdlib, engine, embed.
const LIBRARY_BACK_EDGES: &[(&str, &str, &str)] = &[];

/// The same for the binary's modules (`src/bin/orc/X.rs`).
const BINARY_BACK_EDGES: &[(&str, &str, &str)] = &[];

/// The most files one knot (files that import one another, round and
/// round) inside a top-level module may hold.
const MAX_KNOT: usize = 4;

/// Modules whose largest knot is larger still, with its size now and why.
/// The size may only go down: a larger knot fails, and so does a smaller
/// one until its number here is lowered to match. (None now.)
const LARGER_KNOTS: &[(&str, usize, &str)] = &[];

/// One arrow between top-level modules and the places that draw it.
type Graph = BTreeMap<(String, String), Vec<String>>;

#[test]
fn library_modules_form_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = read_tree(&src, &[src.join("bin")]);
    let roots = root_items(&files, "lib.rs");
    let graph = graph(&files, &roots);
    check(&graph, LIBRARY_BACK_EDGES).unwrap_or_else(|e| panic!("src/: {e}"));
}

#[test]
fn binary_modules_form_layers() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/bin/orc");
    let files = read_tree(&dir, &[]);
    let roots = root_items(&files, "main.rs");
    let graph = graph(&files, &roots);
    check(&graph, BINARY_BACK_EDGES).unwrap_or_else(|e| panic!("src/bin/orc/: {e}"));
}

#[test]
fn knots_inside_modules_stay_small() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = read_tree(&src, &[src.join("bin")]);
    check_knots(&files, LARGER_KNOTS).unwrap_or_else(|e| panic!("src/: {e}"));
}

/// Every `.rs` file below `dir` (but not below `skip`), by its path
/// relative to `dir`, with its text.
fn read_tree(dir: &Path, skip: &[PathBuf]) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if skip.contains(&path) {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = fs::read_to_string(&path).unwrap();
                out.push((path.strip_prefix(dir).unwrap().to_path_buf(), text));
            }
        }
    }
    out.sort();
    assert!(!out.is_empty(), "no source files under {}", dir.display());
    out
}

/// The crate root's items by name, each with the top-level module it comes
/// from: `mod X` is `X` itself, `pub use X::{A, B}` makes `A` and `B` stand
/// for `X`.
fn root_items(files: &[(PathBuf, String)], root: &str) -> BTreeMap<String, String> {
    let text = &files
        .iter()
        .find(|(p, _)| p == Path::new(root))
        .unwrap_or_else(|| panic!("no {root}"))
        .1;
    let tokens = tokens(&strip(text));
    let t = |k: usize| tokens.get(k).map(|t| t.text.as_str()).unwrap_or("");
    let mut items = BTreeMap::new();
    for i in 0..tokens.len() {
        if t(i) == "mod" {
            items.insert(t(i + 1).to_string(), t(i + 1).to_string());
        }
    }
    let mut i = 0;
    while i < tokens.len() {
        if t(i) == "use" && t(i + 2) == "::" && items.get(t(i + 1)).is_some_and(|m| m == t(i + 1)) {
            let module = t(i + 1).to_string();
            let mut names = Vec::new();
            let mut k = i + 1;
            while t(k) != ";" && k < tokens.len() {
                if is_ident(t(k)) && t(k + 1) != "::" {
                    names.push(t(k).to_string());
                }
                k += 1;
            }
            for n in names {
                items.insert(n, module.clone());
            }
        }
        i += 1;
    }
    items
}

/// The arrows between top-level modules drawn by the non-test code of
/// `files`, with the places (file:line) that draw each.
fn graph(files: &[(PathBuf, String)], roots: &BTreeMap<String, String>) -> Graph {
    let stripped: Vec<(Vec<String>, PathBuf, String)> = files
        .iter()
        .map(|(p, text)| (module_path(p), p.clone(), strip(text)))
        .collect();
    // Files that a `#[cfg(test)] mod name;` declares are test code.
    let mut test_modules = BTreeSet::new();
    for (module, _, text) in &stripped {
        for name in test_module_files(text) {
            let mut m = module.clone();
            m.push(name);
            test_modules.insert(m);
        }
    }
    let mut graph = Graph::new();
    for (module, path, text) in &stripped {
        let name = path.file_name().unwrap().to_string_lossy();
        if module.is_empty() || name.ends_with("_tests.rs") || test_modules.contains(module) {
            continue;
        }
        let code = tokens(&drop_test_code(text));
        for (target, line) in targets(&code, module, roots) {
            if target != module[0] {
                let place = format!("{}:{line}", path.display());
                graph
                    .entry((module[0].clone(), target))
                    .or_default()
                    .push(place);
            }
        }
    }
    graph
}

/// Fails when the graph less `allowed` has a cycle (naming it), or when an
/// arrow of `allowed` is no longer drawn.
fn check(graph: &Graph, allowed: &[(&str, &str, &str)]) -> Result<(), String> {
    let is_allowed = |a: &str, b: &str| allowed.iter().any(|(x, y, _)| *x == a && *y == b);
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (a, b) in graph.keys() {
        if !is_allowed(a, b) {
            next.entry(a.as_str()).or_default().push(b.as_str());
        }
    }
    if let Some(cycle) = find_cycle(&next) {
        let mut msg = format!("a cycle among top-level modules: {}\n", cycle.join(" -> "));
        for w in cycle.windows(2) {
            let places = &graph[&(w[0].to_string(), w[1].to_string())];
            msg += &format!("  {} -> {}: {}\n", w[0], w[1], places.join(", "));
        }
        msg += "break it (move the interface down, or pass it in from above)";
        return Err(msg);
    }
    let gone: Vec<String> = allowed
        .iter()
        .filter(|(a, b, _)| !graph.contains_key(&(a.to_string(), b.to_string())))
        .map(|(a, b, _)| format!("{a} -> {b}"))
        .collect();
    if !gone.is_empty() {
        return Err(format!(
            "allowed back edges no longer drawn (delete them from the list): {}",
            gone.join(", ")
        ));
    }
    Ok(())
}

/// A cycle of `next`, first node repeated at the end, if there is one.
fn find_cycle<'a>(next: &BTreeMap<&'a str, Vec<&'a str>>) -> Option<Vec<&'a str>> {
    // 0 unseen, 1 on the path, 2 done.
    let mut state: BTreeMap<&str, u8> = BTreeMap::new();
    for &start in next.keys() {
        if state.get(start).copied().unwrap_or(0) != 0 {
            continue;
        }
        let mut path = vec![start];
        let mut iters = vec![0usize];
        state.insert(start, 1);
        while let Some(&node) = path.last() {
            let i = iters.last_mut().unwrap();
            let succ = next.get(node).map(|v| v.as_slice()).unwrap_or(&[]);
            if let Some(&m) = succ.get(*i) {
                *i += 1;
                match state.get(m).copied().unwrap_or(0) {
                    0 => {
                        state.insert(m, 1);
                        path.push(m);
                        iters.push(0);
                    }
                    1 => {
                        let from = path.iter().position(|&p| p == m).unwrap();
                        let mut cycle = path[from..].to_vec();
                        cycle.push(m);
                        return Some(cycle);
                    }
                    _ => {}
                }
            } else {
                state.insert(node, 2);
                path.pop();
                iters.pop();
            }
        }
    }
    None
}

/// The module a file is: `a/b.rs` and `a/b/mod.rs` are `[a, b]`; the crate
/// root (`lib.rs`, `main.rs`) is `[]`.
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    if parts.is_empty() && (stem == "lib" || stem == "main") {
        return parts;
    }
    if stem != "mod" {
        parts.push(stem.to_string());
    }
    parts
}

/// A token of stripped source and the line it starts on.
#[derive(Debug)]
struct Token {
    text: String,
    line: usize,
}

fn is_ident(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
}

/// Identifiers, `::` and single punctuation characters.
fn tokens(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(Token {
                text: chars[start..i].iter().collect(),
                line,
            });
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            out.push(Token {
                text: "::".into(),
                line,
            });
            i += 2;
        } else {
            out.push(Token {
                text: c.to_string(),
                line,
            });
            i += 1;
        }
    }
    out
}

/// The source without comments, string and character literals (each
/// replaced by a blank of the same lines), so that what is left is code.
fn strip(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    // Keeps the newlines of what is dropped, so that lines still count.
    let blank = |out: &mut String, from: &[char]| {
        out.push(' ');
        out.extend(from.iter().filter(|&&ch| ch == '\n'));
    };
    while i < c.len() {
        let at = |k: usize| c.get(k).copied().unwrap_or('\0');
        if at(i) == '/' && at(i + 1) == '/' {
            let start = i;
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
            blank(&mut out, &c[start..i]);
        } else if at(i) == '/' && at(i + 1) == '*' {
            let (start, mut depth) = (i, 0);
            loop {
                if at(i) == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if at(i) == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else if i >= c.len() {
                    break;
                } else {
                    i += 1;
                }
            }
            blank(&mut out, &c[start..i.min(c.len())]);
        } else if at(i) == 'r'
            && (at(i + 1) == '"' || (at(i + 1) == '#' && matches!(at(i + 2), '"' | '#')))
            && !(i > 0 && (c[i - 1].is_alphanumeric() || c[i - 1] == '_'))
        {
            // A raw string: r"…", r#"…"#, …
            let start = i;
            i += 1;
            let mut hashes = 0;
            while at(i) == '#' {
                hashes += 1;
                i += 1;
            }
            i += 1; // the opening quote
            while i < c.len() {
                if c[i] == '"' && (1..=hashes).all(|h| at(i + h) == '#') {
                    i += 1 + hashes;
                    break;
                }
                i += 1;
            }
            blank(&mut out, &c[start..i.min(c.len())]);
        } else if at(i) == '"' {
            let start = i;
            i += 1;
            while i < c.len() && c[i] != '"' {
                i += if c[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            blank(&mut out, &c[start..i.min(c.len())]);
        } else if at(i) == '\'' {
            // A character literal ('x', '\n', '\u{..}'), or else a lifetime.
            if at(i + 1) == '\\' {
                let start = i;
                i += 2;
                while i < c.len() && c[i] != '\'' {
                    i += 1;
                }
                i += 1;
                blank(&mut out, &c[start..i.min(c.len())]);
            } else if at(i + 2) == '\'' {
                i += 3;
                out.push(' ');
            } else {
                out.push('\'');
                i += 1;
            }
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

/// The span of tokens (`from..to`) of the item that starts at `from`: up
/// to its `;` or through its `{ … }` block, whichever closes it first.
fn item_end(tokens: &[Token], from: usize) -> usize {
    let mut depth = 0i32;
    let mut k = from;
    while k < tokens.len() {
        match tokens[k].text.as_str() {
            "{" | "(" | "[" => depth += 1,
            "}" | ")" | "]" => {
                depth -= 1;
                if depth == 0 && tokens[k].text == "}" {
                    // A block closes the item unless `;` follows at once
                    // (`use a::{b, c};`).
                    return if tokens.get(k + 1).is_some_and(|t| t.text == ";") {
                        k + 2
                    } else {
                        k + 1
                    };
                }
            }
            ";" if depth == 0 => return k + 1,
            _ => {}
        }
        k += 1;
    }
    k
}

/// The index just past the bracket that closes the one at `open`.
fn matching(tokens: &[Token], open: usize) -> usize {
    let mut depth = 0;
    for (k, t) in tokens.iter().enumerate().skip(open) {
        match t.text.as_str() {
            "{" | "(" | "[" => depth += 1,
            "}" | ")" | "]" => {
                depth -= 1;
                if depth == 0 {
                    return k + 1;
                }
            }
            _ => {}
        }
    }
    tokens.len()
}

/// Where `#[cfg(test)]` (or a `cfg` with `test` not under `not`) starts an
/// attribute, the index just past it.
fn test_attributes(tokens: &[Token]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for i in 0..tokens.len() {
        if tokens[i].text == "#" && tokens.get(i + 1).is_some_and(|t| t.text == "[") {
            let end = matching(tokens, i + 1);
            let inner: Vec<&str> = tokens[i + 2..end.saturating_sub(1)]
                .iter()
                .map(|t| t.text.as_str())
                .collect();
            if inner.first() == Some(&"cfg") && inner.contains(&"test") && !inner.contains(&"not") {
                out.push((i, end));
            }
        }
    }
    out
}

/// Names of the files that `#[cfg(test)] mod name;` declares.
fn test_module_files(text: &str) -> Vec<String> {
    let tokens = tokens(text);
    let mut out = Vec::new();
    for (_, after) in test_attributes(&tokens) {
        let t = |k: usize| tokens.get(k).map(|t| t.text.as_str()).unwrap_or("");
        let mut k = after;
        if t(k) == "pub" {
            k += 1;
        }
        if t(k) == "mod" && t(k + 2) == ";" {
            out.push(t(k + 1).to_string());
        }
    }
    out
}

/// The stripped source less the items under a test `cfg`, by lines (what
/// is cut is blanked so that line numbers stay).
fn drop_test_code(text: &str) -> String {
    let tokens = tokens(text);
    let mut cut: Vec<(usize, usize)> = Vec::new(); // lines, inclusive
    for (start, after) in test_attributes(&tokens) {
        let end = item_end(&tokens, after);
        let last = tokens
            .get(end.saturating_sub(1))
            .map_or(usize::MAX, |t| t.line);
        cut.push((tokens[start].line, last));
    }
    text.split('\n')
        .enumerate()
        .map(|(i, l)| {
            if cut.iter().any(|&(a, b)| (a..=b).contains(&(i + 1))) {
                ""
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules the paths in `code` name, each with its line;
/// `module` is the module the code is in.
fn targets(
    code: &[Token],
    module: &[String],
    roots: &BTreeMap<String, String>,
) -> Vec<(String, usize)> {
    let t = |k: usize| code.get(k).map(|t| t.text.as_str()).unwrap_or("");
    let mut out = Vec::new();
    let mut i = 0;
    while i < code.len() {
        // A path starts at `crate ::` or `super ::`, not in the middle of
        // one (`a::super` is not Rust; `$crate` is a macro's `crate`).
        let starts = (t(i) == "crate" || t(i) == "super")
            && t(i + 1) == "::"
            && i.checked_sub(1).is_none_or(|p| t(p) != "::");
        if !starts {
            i += 1;
            continue;
        }
        let line = code[i].line;
        let mut base: Vec<String> = module.to_vec();
        if t(i) == "crate" {
            base.clear();
            i += 2;
        } else {
            while t(i) == "super" && t(i + 1) == "::" {
                base.pop();
                i += 2;
            }
        }
        if let Some(top) = base.first() {
            out.push((top.clone(), line));
            continue;
        }
        // At the crate root: the first segment names the module, or a
        // `{ … }` group names one per branch.
        let firsts: Vec<&str> = if t(i) == "{" {
            let end = matching(code, i);
            let mut names = Vec::new();
            let mut depth = 0;
            let mut fresh = true;
            for tok in &code[i..end] {
                match tok.text.as_str() {
                    "{" => {
                        depth += 1;
                        fresh = depth == 1;
                    }
                    "}" => depth -= 1,
                    "," if depth == 1 => fresh = true,
                    s if fresh && depth == 1 && is_ident(s) => {
                        names.push(s);
                        fresh = false;
                    }
                    _ => {}
                }
            }
            names
        } else {
            vec![t(i)]
        };
        for name in firsts {
            if name == "self" {
                continue;
            }
            match roots.get(name) {
                Some(top) => out.push((top.clone(), line)),
                None => {
                    panic!("{name} (line {line}): not a module nor a re-export of the crate root")
                }
            }
        }
        i += 1;
    }
    out
}

// Knots: the files of one top-level module that import one another.

/// The arrows between the files (modules) of the same top-level module,
/// from the same paths as [`graph`] and a module's `use child::…`,
/// followed down to the file that defines what they name (through a
/// module's `pub use child::…`, which is its face, not an arrow).
fn file_graph(files: &[(PathBuf, String)]) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let modules: BTreeSet<Vec<String>> = files.iter().map(|(p, _)| module_path(p)).collect();
    let code: BTreeMap<Vec<String>, Vec<Token>> = files
        .iter()
        .filter(|(p, _)| !p.to_string_lossy().ends_with("_tests.rs"))
        .map(|(p, text)| (module_path(p), tokens(&drop_test_code(&strip(text)))))
        .collect();
    // What each module re-exports from its children: name -> child.
    let mut reexports: BTreeMap<Vec<String>, BTreeMap<String, String>> = BTreeMap::new();
    for (module, tokens) in &code {
        let t = |k: usize| tokens.get(k).map(|t| t.text.as_str()).unwrap_or("");
        for i in 0..tokens.len() {
            let mut child = module.clone();
            child.push(t(i + 1).to_string());
            if t(i) == "use" && t(i + 2) == "::" && modules.contains(&child) {
                let mut k = i + 1;
                while k < tokens.len() && t(k) != ";" {
                    if is_ident(t(k)) && t(k + 1) != "::" {
                        let names = reexports.entry(module.clone()).or_default();
                        names.insert(t(k).to_string(), t(i + 1).to_string());
                    }
                    k += 1;
                }
            }
        }
    }
    let mut out: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (module, tokens) in &code {
        if module.is_empty() {
            continue;
        }
        let t = |k: usize| tokens.get(k).map(|t| t.text.as_str()).unwrap_or("");
        for i in 0..tokens.len() {
            if i > 0 && t(i - 1) == "::" {
                continue;
            }
            let (mut base, mut k) = (module.clone(), i);
            if t(i) == "crate" && t(i + 1) == "::" {
                base.clear();
                k += 2;
            } else if t(i) == "super" && t(i + 1) == "::" {
                while t(k) == "super" && t(k + 1) == "::" {
                    base.pop();
                    k += 2;
                }
            } else if !(t(i) == "use"
                && modules.contains(&[module.clone(), vec![t(i + 1).into()]].concat()))
            {
                continue;
            } else if i > 0 && (t(i - 1) == "pub" || t(i - 1) == ")") {
                // `pub use child::X`: the module's face, not a use of it.
                continue;
            } else {
                k += 1; // a `use` of a child module, relative to this one
            }
            for path in use_paths(tokens, k).0 {
                let mut target = base.clone();
                for seg in path.iter().filter(|s| *s != "self") {
                    let mut deeper = target.clone();
                    deeper.push(seg.clone());
                    if modules.contains(&deeper) {
                        target = deeper;
                        continue;
                    }
                    if let Some(child) = reexports.get(&target).and_then(|r| r.get(seg)) {
                        target.push(child.clone());
                    }
                    break;
                }
                if target != *module
                    && target.first() == module.first()
                    && code.contains_key(&target)
                {
                    out.entry(module.clone()).or_default().insert(target);
                }
            }
        }
    }
    out
}

/// The paths a use tree (or a path in code) starting at `k` names, each as
/// its segments, and the index after it.
fn use_paths(tokens: &[Token], k: usize) -> (Vec<Vec<String>>, usize) {
    let t = |k: usize| tokens.get(k).map(|t| t.text.as_str()).unwrap_or("");
    if t(k) == "{" {
        let (mut paths, mut k) = (Vec::new(), k + 1);
        while k < tokens.len() && t(k) != "}" {
            let (more, next) = use_paths(tokens, k);
            paths.extend(more);
            k = next;
            while k < tokens.len() && t(k) != "," && t(k) != "}" {
                k += 1; // `as name`
            }
            if t(k) == "," {
                k += 1;
            }
        }
        return (paths, k + 1);
    }
    if !is_ident(t(k)) {
        return (vec![vec![]], k + 1);
    }
    if t(k + 1) == "::" {
        let (rest, next) = use_paths(tokens, k + 2);
        let paths = rest
            .into_iter()
            .map(|r| [vec![t(k).to_string()], r].concat())
            .collect();
        return (paths, next);
    }
    (vec![vec![t(k).to_string()]], k + 1)
}

/// The knots (strongly connected sets of two or more files) of `graph`.
fn knots(graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<BTreeSet<Vec<String>>> {
    let reach = |from: &Vec<String>| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.clone()];
        while let Some(m) = todo.pop() {
            for n in graph.get(&m).into_iter().flatten() {
                if seen.insert(n.clone()) {
                    todo.push(n.clone());
                }
            }
        }
        seen
    };
    let reachable: BTreeMap<&Vec<String>, BTreeSet<Vec<String>>> =
        graph.keys().map(|m| (m, reach(m))).collect();
    let mut out: Vec<BTreeSet<Vec<String>>> = Vec::new();
    for (m, r) in &reachable {
        if !r.contains(*m) || out.iter().any(|k| k.contains(*m)) {
            continue;
        }
        let knot: BTreeSet<Vec<String>> = r
            .iter()
            .filter(|n| reachable.get(n).is_some_and(|back| back.contains(*m)))
            .cloned()
            .collect();
        out.push(knot);
    }
    out
}

/// Fails when a top-level module holds a knot larger than [`MAX_KNOT`] (or
/// than `allowed` says for it), or when `allowed` says more than is there.
fn check_knots(files: &[(PathBuf, String)], allowed: &[(&str, usize, &str)]) -> Result<(), String> {
    let mut largest: BTreeMap<String, BTreeSet<Vec<String>>> = BTreeMap::new();
    for knot in knots(&file_graph(files)) {
        let top = knot.iter().next().unwrap()[0].clone();
        if largest.get(&top).is_none_or(|k| k.len() < knot.len()) {
            largest.insert(top, knot);
        }
    }
    let name =
        |k: &BTreeSet<Vec<String>>| k.iter().map(|m| m.join("/")).collect::<Vec<_>>().join(", ");
    for (top, knot) in &largest {
        let limit = allowed
            .iter()
            .find(|(m, _, _)| m == top)
            .map_or(MAX_KNOT, |a| a.1);
        if knot.len() > limit {
            return Err(format!(
                "{top}: a knot of {} files (at most {limit}): {}",
                knot.len(),
                name(knot)
            ));
        }
    }
    for (top, limit, _) in allowed {
        let now = largest.get(*top).map_or(0, |k| k.len());
        if now < *limit {
            return Err(format!(
                "{top}: its largest knot is down to {now} files; lower {limit} to {now}"
            ));
        }
    }
    Ok(())
}

// The checker itself: each check can fail.

fn files(list: &[(&str, &str)]) -> Vec<(PathBuf, String)> {
    list.iter()
        .map(|(p, t)| (PathBuf::from(p), t.to_string()))
        .collect()
}

fn check_files(list: &[(&str, &str)], allowed: &[(&str, &str, &str)]) -> Result<(), String> {
    let fs = files(list);
    let roots = root_items(&fs, "lib.rs");
    check(&graph(&fs, &roots), allowed)
}

const ROOT: &str = "pub mod a;\npub mod b;\npub mod c;\npub use c::Thing;\n";

#[test]
fn a_cycle_is_found_and_named() {
    let err = check_files(
        &[
            ("lib.rs", ROOT),
            ("a.rs", "use crate::b::X;\n"),
            ("b/mod.rs", "mod inner;\n"),
            ("b/inner.rs", "fn f() { super::super::c::g() }\n"),
            (
                "c.rs",
                "// use crate::b;\nfn g() { let s = \"crate::b\"; crate::a::h() }\n",
            ),
        ],
        &[],
    )
    .unwrap_err();
    assert!(err.contains("a -> b -> c -> a"), "{err}");
    assert!(err.contains("b/inner.rs:1"), "{err}");
    assert!(err.contains("c.rs:2"), "{err}");
}

#[test]
fn comments_strings_and_tests_draw_no_arrow() {
    let ok = check_files(
        &[
            ("lib.rs", ROOT),
            ("a.rs", "use crate::b::X;\n"),
            ("b.rs", "// crate::a\nconst S: &str = r#\"crate::a\"#;\nconst C: char = '\"';\nfn f<'a>(x: &'a str) {}\n#[cfg(test)]\nmod tests {\n    use crate::a;\n}\n#[cfg(test)]\nmod more_tests;\n"),
            ("b/more_tests.rs", "use crate::a;\n"),
            ("c_tests.rs", "use crate::a;\n"),
        ],
        &[],
    );
    assert_eq!(ok, Ok(()));
}

#[test]
fn groups_and_reexports_at_the_root_count() {
    let err = check_files(
        &[
            ("lib.rs", ROOT),
            ("a.rs", "use crate::{b::X, Thing};\n"),
            ("c.rs", "use crate::{self as me, a};\n"),
        ],
        &[],
    )
    .unwrap_err();
    assert!(err.contains("a -> c -> a"), "{err}");
}

#[test]
fn the_allowed_list_only_shrinks() {
    let list = [
        ("lib.rs", ROOT),
        ("a.rs", "use crate::b::X;\n"),
        ("b.rs", "use crate::a::Y;\n"),
    ];
    assert_eq!(check_files(&list, &[("b", "a", "why")]), Ok(()));
    let err = check_files(&list, &[("b", "a", "why"), ("c", "a", "gone")]).unwrap_err();
    assert!(err.contains("c -> a"), "{err}");
}

#[test]
fn knots_are_found_through_reexports() {
    // `m` uses `a`, `b` names `m` itself, `c` names `a`'s `A` through
    // `m`'s re-export: all four are one knot.
    let fs = files(&[
        ("lib.rs", "pub mod m;\n"),
        (
            "m/mod.rs",
            "mod a;\nmod b;\nmod c;\nuse a::A;\npub use a::B;\n",
        ),
        ("m/a.rs", "use super::b::B;\n"),
        ("m/b.rs", "use crate::m::{c::C, self};\n"),
        ("m/c.rs", "fn f() -> super::B { todo!() }\n"),
    ]);
    let err = check_knots(&fs, &[("m", 3, "why")]).unwrap_err();
    assert!(
        err.contains("a knot of 4 files (at most 3): m, m/a, m/b, m/c"),
        "{err}"
    );
    assert_eq!(check_knots(&fs, &[("m", 4, "why")]), Ok(()));
    let err = check_knots(&fs, &[("m", 5, "why")]).unwrap_err();
    assert!(err.contains("lower 5 to 4"), "{err}");
    // A `pub use` is a module's face, not an arrow: without the other
    // arrows to `m`, the knot is `a`, `b` and `c`, within the limit.
    let fs = files(&[
        ("lib.rs", "pub mod m;\n"),
        ("m/mod.rs", "mod a;\nmod b;\nmod c;\npub use a::B;\n"),
        ("m/a.rs", "use super::b::B;\n"),
        ("m/b.rs", "use crate::m::c::C;\n"),
        ("m/c.rs", "fn f() -> super::B { todo!() }\n"),
    ]);
    let found = knots(&file_graph(&fs));
    let names: Vec<String> = found[0].iter().map(|m| m.join("/")).collect();
    assert_eq!(
        (found.len(), names),
        (1, vec!["m/a".into(), "m/b".into(), "m/c".into()])
    );
    assert_eq!(check_knots(&fs, &[]), Ok(()));
}
