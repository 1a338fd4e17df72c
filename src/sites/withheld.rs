//! A name the host withheld from its programs (see [`crate::embed::sandbox`]).
//!
//! A withheld name is bound to a [`Withheld`] marker, so that the compiler
//! can tell "this engine does not offer `Prompt`" from "`Prompt` is not
//! defined": the resolver reports any use of a marker as a compile error,
//! and `import site` refuses one too. A name the host took away itself
//! has a marker in the engine's globals; a name built on one (a prelude
//! function calling it, `Rclock` for `Rwait`) gets one for each compile
//! that names it, saying what it is built on.

use super::util::site;
use crate::value::site::{Outcome, SiteCx, SiteError};
use crate::value::Value;

/// Stands in for a global the host does not let programs use.
pub struct Withheld {
    pub name: String,
    /// Empty when the host withheld `name` itself; otherwise the chain of
    /// names it is built on that leads to one the host withheld: `["Rwait"]`
    /// for `timeout`, `["withLock", "Semaphore"]` for a function calling
    /// `withLock` when `Semaphore` is withheld.
    pub through: Vec<String>,
    /// For a service the host has not granted (see [`crate::services`]):
    /// what it needs, "network access".
    pub needs: Option<&'static str>,
}

impl Withheld {
    /// A marker for a name the host withheld itself.
    pub fn new(name: impl Into<String>) -> Withheld {
        Withheld {
            name: name.into(),
            through: Vec::new(),
            needs: None,
        }
    }

    /// A marker for a service the host has not granted.
    pub fn ungranted(name: impl Into<String>, needs: &'static str) -> Withheld {
        Withheld {
            needs: Some(needs),
            ..Withheld::new(name)
        }
    }

    /// The diagnostic a use of the name gets: "`timeout` is not available
    /// in this sandbox: it uses `Rwait`, which this host withholds".
    pub fn message(&self) -> String {
        if let (Some(needs), true) = (self.needs, self.through.is_empty()) {
            return format!(
                "`{}` needs {needs}, which this host does not grant",
                self.name
            );
        }
        let mut message = format!("`{}` is not available in this sandbox", self.name);
        for (i, name) in self.through.iter().enumerate() {
            message.push_str(if i == 0 {
                ": it uses "
            } else {
                ", which uses "
            });
            message.push_str(&format!("`{name}`"));
        }
        if !self.through.is_empty() {
            message.push_str(", which this host withholds");
        }
        message
    }

    /// The marker if `value` is one.
    pub fn of(value: &Value) -> Option<&Withheld> {
        match value {
            Value::Site(s) => s.as_any().downcast_ref::<Withheld>(),
            _ => None,
        }
    }
}

site!(impl Withheld {
    fn name(&self) -> &str {
        &self.name
    }
    /// Never reached through compiled code (the compiler refuses it); a
    /// value smuggled in another way fails the same way.
    fn call(&self, _args: &[Value], _cx: &mut SiteCx<'_>) -> Outcome {
        Outcome::Error(SiteError::new(self.message()))
    }
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_says_what_the_name_is_built_on() {
        assert_eq!(
            Withheld::new("Prompt").message(),
            "`Prompt` is not available in this sandbox"
        );
        let through = |names: &[&str]| Withheld {
            through: names.iter().map(|n| n.to_string()).collect(),
            ..Withheld::new("f")
        };
        assert_eq!(
            Withheld::ungranted("HTTP", "network access").message(),
            "`HTTP` needs network access, which this host does not grant"
        );
        assert_eq!(
            through(&["Rwait"]).message(),
            "`f` is not available in this sandbox: it uses `Rwait`, which this host withholds"
        );
        assert_eq!(
            through(&["withLock", "Semaphore"]).message(),
            "`f` is not available in this sandbox: it uses `withLock`, which uses `Semaphore`, \
             which this host withholds"
        );
    }
}
