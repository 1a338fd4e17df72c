//! The line editor's helper: tab completion of names in scope, keywords,
//! members after `name.` and `:` commands (file names after `:load`), and
//! syntax colouring.

use super::commands::COMMANDS;
use super::highlight::highlight;
use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::{Context, Helper};
use std::borrow::Cow;

/// Keywords offered by completion next to the names in scope.
const KEYWORDS: &[&str] = &[
    "def", "val", "type", "site", "include", "import", "lambda", "if", "then", "else", "stop",
    "signal", "true", "false", "null", "as",
];

pub struct OrcHelper {
    /// Sorted, deduplicated: global names and keywords.
    names: Vec<String>,
    /// The members of global values that have any (records, objects,
    /// library objects), by the global's name.
    members: std::collections::HashMap<String, Vec<String>>,
    colour: bool,
    files: FilenameCompleter,
}

impl OrcHelper {
    pub fn new(colour: bool) -> OrcHelper {
        OrcHelper {
            names: Vec::new(),
            members: Default::default(),
            colour,
            files: FilenameCompleter::new(),
        }
    }

    /// Sets the names in scope (the engine's globals), after an input that
    /// may have declared new ones.
    pub fn set_names<'a>(&mut self, globals: impl Iterator<Item = &'a str>) {
        let mut names: Vec<String> = globals
            .filter(|n| is_identifier(n))
            .map(String::from)
            .chain(KEYWORDS.iter().map(|k| k.to_string()))
            .collect();
        names.sort();
        names.dedup();
        self.names = names;
    }

    /// Sets the members of global values, after an input that may have
    /// declared new ones.
    pub fn set_members(&mut self, members: impl Iterator<Item = (String, Vec<String>)>) {
        self.members = members.filter(|(_, m)| !m.is_empty()).collect();
    }

    fn complete_command(&self, line: &str, pos: usize) -> rustyline::Result<(usize, Vec<Pair>)> {
        let typed = &line[..pos];
        if let Some(space) = typed.find(char::is_whitespace) {
            let word = &typed[..space];
            return match word {
                ":load" | ":l" => self.files.complete_path(line, pos),
                ":sim" => {
                    let start = typed.rfind(char::is_whitespace).map_or(pos, |i| i + 1);
                    let prefix = &typed[start..];
                    let options = ["on", "off"]
                        .iter()
                        .filter(|o| o.starts_with(prefix))
                        .map(|o| pair(o))
                        .collect();
                    Ok((start, options))
                }
                _ => Ok((pos, Vec::new())),
            };
        }
        let commands = COMMANDS
            .iter()
            .map(|(usage, _)| usage.split(' ').next().unwrap_or(usage))
            .filter(|c| c.starts_with(typed))
            .map(pair)
            .collect();
        Ok((0, commands))
    }
}

fn pair(text: &str) -> Pair {
    Pair {
        display: text.to_string(),
        replacement: text.to_string(),
    }
}

fn is_identifier_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '\''
}

/// Names that can be typed as identifiers (not operator sites like `+`).
fn is_identifier(name: &str) -> bool {
    name.chars().next().is_some_and(char::is_alphabetic) && name.chars().all(is_identifier_char)
}

impl Completer for OrcHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        if line.trim_start().starts_with(':') {
            let indent = line.len() - line.trim_start().len();
            let (start, found) =
                self.complete_command(&line[indent..], pos.saturating_sub(indent))?;
            return Ok((start + indent, found));
        }
        let start = line[..pos]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| is_identifier_char(c))
            .last()
            .map_or(pos, |(i, _)| i);
        let prefix = &line[start..pos];
        // `name.` and the start of a member.
        if let Some(before) = line[..start].strip_suffix('.') {
            let owner_start = before
                .char_indices()
                .rev()
                .take_while(|&(_, c)| is_identifier_char(c))
                .last()
                .map_or(before.len(), |(i, _)| i);
            let owner = &before[owner_start..];
            let found = self
                .members
                .get(owner)
                .into_iter()
                .flatten()
                .filter(|m| m.starts_with(prefix))
                .map(|m| pair(m))
                .collect();
            return Ok((start, found));
        }
        if prefix.is_empty() {
            return Ok((pos, Vec::new()));
        }
        let found = self
            .names
            .iter()
            .filter(|n| n.starts_with(prefix))
            .map(|n| pair(n))
            .collect();
        Ok((start, found))
    }
}

impl Highlighter for OrcHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        if self.colour && !line.trim_start().starts_with(':') {
            Cow::Owned(highlight(line))
        } else {
            Cow::Borrowed(line)
        }
    }

    fn highlight_char(&self, _line: &str, _pos: usize, kind: CmdKind) -> bool {
        // Any edit can change how the rest of the line lexes (a quote, `{-`).
        self.colour && kind != CmdKind::MoveCursor
    }
}

impl Hinter for OrcHelper {
    type Hint = String;
}

/// Inputs are checked for completeness by the REPL loop itself, which
/// shows the `...> ` prompt for continuation lines.
impl Validator for OrcHelper {}

impl Helper for OrcHelper {}

#[cfg(test)]
mod tests {
    use super::*;
    use rustyline::history::DefaultHistory;

    fn complete(helper: &OrcHelper, line: &str) -> (usize, Vec<String>) {
        let history = DefaultHistory::new();
        let ctx = Context::new(&history);
        let (start, pairs) = helper.complete(line, line.len(), &ctx).unwrap();
        (start, pairs.into_iter().map(|p| p.replacement).collect())
    }

    fn helper() -> OrcHelper {
        let mut h = OrcHelper::new(false);
        let globals = ["metronome", "map", "max", "+", "Println"].map(String::from);
        h.set_names(globals.iter().map(String::as_str));
        h
    }

    #[test]
    fn completes_names_and_keywords() {
        let h = helper();
        assert_eq!(
            complete(&h, "1 + ma"),
            (4, vec!["map".into(), "max".into()])
        );
        assert_eq!(complete(&h, "metr"), (0, vec!["metronome".into()]));
        assert_eq!(complete(&h, "la"), (0, vec!["lambda".into()]));
        assert_eq!(complete(&h, "Print"), (0, vec!["Println".into()]));
        assert_eq!(complete(&h, "1 + "), (4, vec![]));
        // Operator sites are not offered.
        assert!(complete(&h, "+").1.is_empty());
    }

    #[test]
    fn completes_members() {
        let mut h = helper();
        h.set_members(
            [(
                "c".to_string(),
                vec!["get".to_string(), "getAll".to_string(), "put".to_string()],
            )]
            .into_iter(),
        );
        assert_eq!(
            complete(&h, "c.ge"),
            (2, vec!["get".into(), "getAll".into()])
        );
        assert_eq!(
            complete(&h, "1 + c."),
            (6, vec!["get".into(), "getAll".into(), "put".into()])
        );
        assert_eq!(complete(&h, "d.ge"), (2, vec![]));
    }

    #[test]
    fn completes_commands() {
        let h = helper();
        assert_eq!(complete(&h, ":q"), (0, vec![":quit".into()]));
        assert_eq!(complete(&h, ":sim o"), (5, vec!["on".into(), "off".into()]));
        assert_eq!(complete(&h, ":sim of"), (5, vec!["off".into()]));
        assert_eq!(complete(&h, ":").1.len(), COMMANDS.len());
    }
}
