//! Orc from a program without an async runtime: synchronous host sites
//! (an inventory lookup that may find nothing, a price calculator) and the
//! blocking iterator, which hands over each publication as it happens.
//!
//! Run it:  cargo run --example embed_sync

use orc::embed::arity;
use orc::{Engine, RunOptions, SiteError, Value};
use std::collections::BTreeMap;

const SCRIPT: &str = r#"
-- Price every item in stock, one line per item as soon as it is known;
-- an item the inventory does not know is skipped.
each(items) >item>
Stock(item) >count>
Rwait(100 * count) >>
(item, count, Price(item, count))
"#;

fn main() {
    let stock = BTreeMap::from([("apple", 3), ("pear", 1), ("plum", 2)]);
    let mut engine = Engine::new();
    engine
        // Halts silently (no publication) for an unknown item.
        .register_fn_or_halt("Stock", move |args| {
            let [item] = arity::<1>(args)?;
            Ok(stock
                .get(String::try_from(item)?.as_str())
                .map(|&n| Value::from(n)))
        })
        .register_fn("Price", |args| {
            let [item, count] = arity::<2>(args)?;
            let unit = match String::try_from(item)?.as_str() {
                "apple" => 0.5,
                "pear" => 0.75,
                "plum" => 0.2,
                other => return Err(SiteError::new(format!("no price for {other}"))),
            };
            Ok(Value::from(unit * f64::from(i32::try_from(count)?)))
        });
    engine.define("items", Value::from(vec!["apple", "kiwi", "pear", "plum"]));

    let program = match engine.compile("prices.orc", SCRIPT) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    // Real time: the lines arrive 100, 200 and 300 ms after the start.
    let mut run = engine.execute_blocking(&program, RunOptions::new());
    for publication in run.by_ref() {
        match <(String, i64, f64)>::try_from(&publication) {
            Ok((item, count, price)) => println!("{count} x {item}: {price:.2}"),
            Err(e) => println!("unexpected publication {publication}: {e}"),
        }
    }
    let report = run.finish();
    println!(
        "outcome: {:?}, errors: {}",
        report.outcome,
        report.errors.len()
    );
}
