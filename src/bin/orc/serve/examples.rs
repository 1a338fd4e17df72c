//! The examples menu: every `examples/*.orc` of the repository, built
//! into the binary, offered as `GET /api/examples`.
//!
//! The list is written out by hand (one `include_str!` a file); a test
//! fails when a file in `examples/` is missing from it, or when one does
//! not compile in the playground's sandbox.

use super::App;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::sync::Arc;

/// Includes `examples/NAME.orc` as `(NAME, its text)`.
macro_rules! example {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/examples/",
                $name,
                ".orc"
            )),
        )
    };
}

/// Every example, in the menu's order.
pub const EXAMPLES: &[(&str, &str)] = &[
    example!("alarms"),
    example!("auction"),
    example!("barrier"),
    example!("bounded_buffer"),
    example!("dining_philosophers"),
    example!("election_timer"),
    example!("fork_join"),
    example!("hanoi"),
    example!("heartbeat"),
    example!("ordered_requests"),
    example!("parallel_or"),
    example!("quicksort"),
    example!("quorum"),
    example!("rate_limiter"),
    example!("readers_writers"),
    example!("repeat_with_timeout"),
    example!("retry_backoff"),
    example!("sieve"),
    example!("timeout"),
    example!("wordcount"),
];

/// `GET /api/examples`: `[{"name": "auction", "source": "..."}, ...]`.
pub async fn list(State(_): State<Arc<App>>) -> Response {
    let list: Vec<_> = EXAMPLES
        .iter()
        .map(|(name, source)| json!({ "name": name, "source": source }))
        .collect();
    (
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::Value::from(list).to_string(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::EXAMPLES;

    #[test]
    fn every_example_is_in_the_menu() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
        let mut missing = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "orc") {
                let name = path.file_stem().unwrap().to_string_lossy().to_string();
                if !EXAMPLES.iter().any(|(n, _)| *n == name) {
                    missing.push(name);
                }
            }
        }
        assert!(
            missing.is_empty(),
            "add these to EXAMPLES in src/bin/orc/serve/examples.rs: {missing:?}"
        );
    }

    #[test]
    fn every_example_compiles_in_the_sandbox() {
        let engine = orc::Engine::sandboxed();
        for (name, source) in EXAMPLES {
            if let Err(e) = engine.compile(name, source) {
                panic!("{name} does not compile in the playground: {e}");
            }
        }
    }
}
