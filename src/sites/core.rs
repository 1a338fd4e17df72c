//! Fundamental sites: output, errors, `Let`, `Block`, conditionals and
//! options.

use super::site_value;
use super::structural::{none, some, Iff, Ift};
use super::util::{func, site};
use crate::value::site::{Outcome, SiteCx, SiteError};
use crate::value::Value;

pub struct Println;
site!(impl Println as "Println" {
    fn call(&self, args: &[Value], cx: &mut SiteCx<'_>) -> Outcome {
        let mut text: String = args.iter().map(|v| v.to_plain_string()).collect();
        text.push('\n');
        cx.print(&text);
        Outcome::Publish(Value::Signal)
    }
});

pub struct Print;
site!(impl Print as "Print" {
    fn call(&self, args: &[Value], cx: &mut SiteCx<'_>) -> Outcome {
        let text: String = args.iter().map(|v| v.to_plain_string()).collect();
        cx.print(&text);
        Outcome::Publish(Value::Signal)
    }
});

pub struct ErrorSite;
site!(impl ErrorSite as "Error" {
    fn call(&self, args: &[Value], _cx: &mut SiteCx<'_>) -> Outcome {
        let msg = match args {
            [Value::Str(s)] => s.to_string(),
            other => other
                .iter()
                .map(|v| v.to_plain_string())
                .collect::<Vec<_>>()
                .join(", "),
        };
        Outcome::Error(SiteError::new(msg))
    }
});

// `Block()`: never answers (the reference's `orc.lib.util.Block`). The
// call waits until it is killed; a run left with only such waits can make
// no more progress, and ends (DIVERGENCES.md, 5).
pub struct Block;
site!(impl Block as "Block" {
    fn call(&self, _args: &[Value], cx: &mut SiteCx<'_>) -> Outcome {
        drop(cx.defer());
        Outcome::Pending
    }
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
        func("Let", |args| {
            Ok(match args {
                [] => Value::Signal,
                [one] => one.clone(),
                many => Value::tuple(many.to_vec()),
            })
        }),
        ("signal", Value::Signal),
    ]
}
