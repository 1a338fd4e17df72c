//! Fundamental sites: output, errors, `Let`, conditionals, options and the
//! real-time clock.

use super::site_value;
use super::structural::{none, some, Iff, Ift};
use super::util::{arity, int_arg, Func};
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

simple_site!(Rwait, "Rwait", |args, cx| {
    match arity::<1>("Rwait", args).and_then(|[ms]| int_arg("Rwait", ms)) {
        Ok(ms) if ms < 0 => Outcome::Error(SiteError::new(format!(
            "Rwait expects a non-negative delay, but got {ms}"
        ))),
        Ok(ms) => cx.sleep(ms as u64),
        Err(e) => Outcome::Error(e),
    }
});

simple_site!(Rtime, "Rtime", |args, cx| {
    match arity::<0>("Rtime", args) {
        Ok(_) => Outcome::Publish(Value::Int(cx.now_ms() as i64)),
        Err(e) => Outcome::Error(e),
    }
});

pub fn sites() -> Vec<(&'static str, Value)> {
    vec![
        ("Println", site_value(Println)),
        ("Print", site_value(Print)),
        ("Error", site_value(ErrorSite)),
        ("Ift", site_value(Ift)),
        ("Iff", site_value(Iff)),
        ("Rwait", site_value(Rwait)),
        ("Rtime", site_value(Rtime)),
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
