//! Fundamental sites: output, errors, `Let`, `Block`, conditionals and
//! options.

use super::site_value;
use super::structural::{none, some, Iff, Ift};
use super::util::Func;
use crate::runtime::site::{Outcome, Site, SiteCx, SiteError};
use crate::value::Value;
use std::any::Any;

macro_rules! simple_site {
    ($ty:ident, $name:literal, |$args:ident, $cx:ident| $body:expr) => {
        pub struct $ty;
        impl Site for $ty {
            fn name(&self) -> &str {
                $name
            }
            fn as_any(&self) -> &dyn Any {
                self
            }
            fn call(&self, $args: &[Value], $cx: &mut SiteCx<'_>) -> Outcome {
                $body
            }
        }
    };
}

simple_site!(Println, "Println", |args, cx| {
    let mut text: String = args.iter().map(|v| v.to_plain_string()).collect();
    text.push('\n');
    cx.print(&text);
    Outcome::Publish(Value::Signal)
});

simple_site!(Print, "Print", |args, cx| {
    let text: String = args.iter().map(|v| v.to_plain_string()).collect();
    cx.print(&text);
    Outcome::Publish(Value::Signal)
});

simple_site!(ErrorSite, "Error", |args, _cx| {
    let msg = match args {
        [Value::Str(s)] => s.to_string(),
        other => other
            .iter()
            .map(|v| v.to_plain_string())
            .collect::<Vec<_>>()
            .join(", "),
    };
    Outcome::Error(SiteError::new(msg))
});

// `Block()`: never answers (the reference's `orc.lib.util.Block`). The
// call waits until it is killed; a run left with only such waits can make
// no more progress, and ends (DIVERGENCES.md, 5).
simple_site!(Block, "Block", |_args, cx| {
    drop(cx.defer());
    Outcome::Pending
});

pub fn sites() -> Vec<(&'static str, Value)> {
    vec![
        ("Println", site_value(Println)),
        ("Print", site_value(Print)),
        ("Error", site_value(ErrorSite)),
        ("Block", site_value(Block)),
        ("Ift", site_value(Ift)),
        ("Iff", site_value(Iff)),
        ("Some", Value::Site(some().clone())),
        ("None", Value::Site(none().clone())),
        (
            "Let",
            site_value(Func {
                name: "Let",
                f: |args| {
                    Ok(match args {
                        [] => Value::Signal,
                        [one] => one.clone(),
                        many => Value::tuple(many.to_vec()),
                    })
                },
            }),
        ),
        ("signal", Value::Signal),
    ]
}
