//! Time sites: the real-time clock (`Rwait`, `Rtime`, `Rclock`) and virtual
//! time (`Vclock`, `Vawait`, `Vtime`, `IntegerTimeOrder`).

use super::site_value;
use super::util::{arity, int_arg, site};
use crate::value::site::{Outcome, SiteCx, SiteError};
use crate::value::Value;
use std::sync::Arc;

fn wait(name: &str, args: &[Value], cx: &mut SiteCx<'_>) -> Outcome {
    match arity::<1>(name, args).and_then(|[ms]| int_arg(name, ms)) {
        Ok(ms) if ms < 0 => Outcome::Error(SiteError::new(format!(
            "{name} expects a non-negative delay, but got {ms}"
        ))),
        Ok(ms) => cx.sleep(ms as u64),
        Err(e) => Outcome::Error(e),
    }
}

pub struct Rwait;
site!(impl Rwait as "Rwait" {
    fn call(&self, args: &[Value], cx: &mut SiteCx<'_>) -> Outcome {
        wait("Rwait", args, cx)
    }
});

pub struct Rtime;
site!(impl Rtime as "Rtime" {
    fn call(&self, args: &[Value], cx: &mut SiteCx<'_>) -> Outcome {
        match arity::<0>("Rtime", args) {
            Ok(_) => Outcome::Publish(Value::Int(cx.now_ms() as i64)),
            Err(e) => Outcome::Error(e),
        }
    }
});

// A clock's `.wait` is `Rwait` and its `.time()` reads the clock.
pub struct Rclock;
site!(impl Rclock as "Rclock": built_on["Rwait", "Rtime"] {
    fn call(&self, args: &[Value], cx: &mut SiteCx<'_>) -> Outcome {
        match arity::<0>("Rclock", args) {
            Ok(_) => Outcome::Publish(site_value(Clock { start: cx.now_ms() })),
            Err(e) => Outcome::Error(e),
        }
    }
});

/// A real-time clock started at `start`: `.time()` is the time since then,
/// `.wait(ms)` waits like `Rwait`.
struct Clock {
    start: u64,
}

site!(impl Clock as "Rclock" {
    fn call(&self, _args: &[Value], _cx: &mut SiteCx<'_>) -> Outcome {
        Outcome::Error(SiteError::new(
            "an Rclock is not callable; use .time() or .wait(t)",
        ))
    }
    fn member(&self, name: &str) -> Option<Value> {
        match name {
            "time" => Some(site_value(ClockTime { start: self.start })),
            "wait" => Some(site_value(Rwait)),
            _ => None,
        }
    }
});

struct ClockTime {
    start: u64,
}

site!(impl ClockTime as "time" {
    fn call(&self, args: &[Value], cx: &mut SiteCx<'_>) -> Outcome {
        match arity::<0>("time", args) {
            Ok(_) => Outcome::Publish(Value::Int(cx.now_ms().saturating_sub(self.start) as i64)),
            Err(e) => Outcome::Error(e),
        }
    }
});

// `Vclock(order) >> e` is compiled specially (see the resolver); called any
// other way it is an error.
pub struct Vclock;
site!(impl Vclock as "Vclock" {
    fn call(&self, _args: &[Value], _cx: &mut SiteCx<'_>) -> Outcome {
        Outcome::Error(SiteError::new(
            "Vclock can only be used as `Vclock(order) >> expression`",
        ))
    }
});

pub struct Vawait;
site!(impl Vawait as "Vawait" {
    fn call(&self, args: &[Value], cx: &mut SiteCx<'_>) -> Outcome {
        match arity::<1>("Vawait", args) {
            Ok([t]) => cx.vawait(t.clone()),
            Err(e) => Outcome::Error(e),
        }
    }
});

pub struct Vtime;
site!(impl Vtime as "Vtime" {
    fn call(&self, args: &[Value], cx: &mut SiteCx<'_>) -> Outcome {
        match arity::<0>("Vtime", args) {
            Ok(_) => cx.vtime().map_or(Outcome::Halt, Outcome::Publish),
            Err(e) => Outcome::Error(e),
        }
    }
});

/// Orders integer times: -1, 0 or 1.
pub struct IntegerTimeOrder;
site!(impl IntegerTimeOrder as "IntegerTimeOrder": immediate, pure {
    fn call(&self, args: &[Value], _cx: &mut SiteCx<'_>) -> Outcome {
        let r = arity::<2>("IntegerTimeOrder", args).and_then(|[a, b]| {
            match (a.as_bigint(), b.as_bigint()) {
                (Some(x), Some(y)) => Ok(Value::Int(match x.cmp(&y) {
                    std::cmp::Ordering::Less => -1,
                    std::cmp::Ordering::Equal => 0,
                    std::cmp::Ordering::Greater => 1,
                })),
                _ => Err(SiteError::new(format!(
                    "IntegerTimeOrder expects two integers, but got {} and {}",
                    crate::value::limits::shown(a),
                    crate::value::limits::shown(b)
                ))),
            }
        });
        r.into()
    }
});

pub fn sites() -> Vec<(&'static str, Value)> {
    vec![
        ("Rwait", site_value(Rwait)),
        ("Rtime", site_value(Rtime)),
        ("Rclock", site_value(Rclock)),
        ("Vclock", site_value(Vclock)),
        ("Vawait", site_value(Vawait)),
        ("Vtime", site_value(Vtime)),
        ("IntegerTimeOrder", Value::Site(Arc::new(IntegerTimeOrder))),
    ]
}
