//! The REPL's `:` commands and when an input is complete.

use orc::diagnostics::SourceId;
use orc::syntax::parser::parse_program;

/// The commands, with their help lines (also used for completion).
pub const COMMANDS: &[(&str, &str)] = &[
    (":help", "show this help"),
    (":quit", "leave the REPL (also Ctrl-D)"),
    (
        ":load FILE",
        "evaluate a file: keep its declarations, run its expression",
    ),
    (":reset", "forget every declaration made in this session"),
    (
        ":forget NAME",
        "the next `def NAME` starts a new definition (clauses typed\n                in later inputs otherwise extend it)",
    ),
    (
        ":sim on|off",
        "simulated time (timers fire at once) or real time",
    ),
    (":time", "how long the last expression ran"),
];

#[derive(Debug, PartialEq)]
pub enum Command {
    Help,
    Quit,
    Load(String),
    Reset,
    Forget(String),
    /// `None`: show the current setting.
    Sim(Option<bool>),
    Time,
    /// A mistake, with what to say about it.
    Invalid(String),
}

/// Parses a line that starts with `:`.
pub fn parse(line: &str) -> Command {
    let line = line.trim();
    let (word, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    let rest = rest.trim();
    match word {
        ":help" | ":h" | ":?" => Command::Help,
        ":quit" | ":q" | ":exit" => Command::Quit,
        ":load" | ":l" if rest.is_empty() => Command::Invalid("usage: :load FILE".into()),
        ":load" | ":l" => Command::Load(rest.to_string()),
        ":reset" => Command::Reset,
        ":forget" if rest.is_empty() => Command::Invalid("usage: :forget NAME".into()),
        ":forget" => Command::Forget(rest.to_string()),
        ":sim" => match rest {
            "" => Command::Sim(None),
            "on" => Command::Sim(Some(true)),
            "off" => Command::Sim(Some(false)),
            _ => Command::Invalid("usage: :sim on|off".into()),
        },
        ":time" => Command::Time,
        _ => Command::Invalid(format!("unknown command {word}; :help lists the commands")),
    }
}

/// The text `:help` prints.
pub fn help() -> String {
    let mut out = String::from(
        "Type an expression to run it: its publications are printed as they arrive,\n\
         and Ctrl-C stops it. Declarations (val, def, type, site, class, include)\n\
         are kept for later inputs; an input may end with an expression that uses\n\
         them. Clauses of a definition typed in later inputs extend it.\n\
         An incomplete input continues on the next line (an empty line ends it).\n\
         Pasted lines run one input after another, as if typed.\n\n",
    );
    for (name, what) in COMMANDS {
        out.push_str(&format!("  {name:<14}{what}\n"));
    }
    out.push_str("\nTab completes names in scope and commands.");
    out
}

/// Whether `text` is the beginning of an input rather than a mistake: the
/// parser ran out of input (an open bracket, a trailing operator, an
/// unclosed block comment).
pub fn is_incomplete(text: &str) -> bool {
    match parse_program(text, SourceId::default()) {
        Ok(_) => false,
        Err(d) => {
            d.message.starts_with("unexpected end of input") || d.message == "unclosed comment"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands() {
        assert_eq!(parse(":help"), Command::Help);
        assert_eq!(parse(" :q "), Command::Quit);
        assert_eq!(parse(":load  a b.orc "), Command::Load("a b.orc".into()));
        assert!(matches!(parse(":load"), Command::Invalid(_)));
        assert_eq!(parse(":sim on"), Command::Sim(Some(true)));
        assert_eq!(parse(":sim off"), Command::Sim(Some(false)));
        assert_eq!(parse(":sim"), Command::Sim(None));
        assert!(matches!(parse(":sim maybe"), Command::Invalid(_)));
        assert_eq!(parse(":time"), Command::Time);
        assert_eq!(parse(":reset"), Command::Reset);
        assert_eq!(parse(":forget g"), Command::Forget("g".into()));
        assert!(matches!(parse(":forget"), Command::Invalid(_)));
        assert!(matches!(parse(":frobnicate"), Command::Invalid(_)));
    }

    #[test]
    fn incomplete_inputs() {
        for text in [
            "1 +",
            "def f(x) =",
            "(1, 2",
            "[1,",
            "{- comment",
            "f(1) >x>",
            "1 |",
        ] {
            assert!(is_incomplete(text), "{text:?} should be incomplete");
        }
        for text in [
            "1 + 2",
            "def f(x) = x",
            "val x = 3",
            "1 )",
            "\"open",
            "",
            "1 2",
        ] {
            assert!(!is_incomplete(text), "{text:?} should not be incomplete");
        }
    }
}
