//! `orc serve`: the playground, a web page where visitors edit and run Orc
//! programs, and the HTTP API that page uses (documented in docs/serve.md).
//!
//! This module owns the server's setup: its limits ([`Config`]), the
//! routes ([`router`]), the static page and the examples menu. What a run
//! is and how it streams lives in [`runs`] (runs, their cap and their
//! clean-up) and [`api`] (the HTTP handlers). Every run is an embedding
//! run on [`orc::Engine::sandboxed`], granted no service, under the limits
//! of [`Config`]; none outlives its visitor's connection.

mod api;
mod assets;
mod examples;
mod runs;

use crate::args::{Serve, Size};
use axum::routing::{get, post};
use axum::Router;
use std::sync::Arc;
use std::time::Duration;

/// The limits of every run, and how many may run at once.
#[derive(Clone, Debug)]
pub struct Config {
    pub max_runs: usize,
    pub time_limit: Duration,
    pub memory_limit: Option<u64>,
    pub max_output: Option<u64>,
    pub max_steps: u64,
    /// Live tokens (threads of the program) at once.
    pub max_tokens: usize,
    /// Publications of one run (each is an event on the stream and a mark
    /// on the timeline).
    pub max_publications: usize,
    /// The longest program accepted, in bytes.
    pub max_source: usize,
}

impl Config {
    pub fn from_args(args: &Serve) -> Config {
        let Size(memory_limit) = args.memory_limit;
        let Size(max_output) = args.max_output;
        Config {
            max_runs: args.max_runs as usize,
            time_limit: args.time_limit,
            memory_limit,
            max_output,
            max_steps: args.max_steps,
            max_tokens: 100_000,
            max_publications: 10_000,
            max_source: 256 << 10,
        }
    }
}

/// What every handler shares.
pub struct App {
    pub config: Config,
    /// Compiles every program: sandboxed, no service granted.
    pub engine: orc::Engine,
    pub runs: runs::Runs,
}

/// The routes: the page and its assets, and the API under `/api`.
pub fn router(config: Config) -> Router {
    let app = Arc::new(App {
        runs: runs::Runs::new(config.max_runs),
        engine: orc::Engine::sandboxed(),
        config,
    });
    Router::new()
        .route("/", get(assets::index))
        .route("/assets/{name}", get(assets::asset))
        .route("/api/examples", get(examples::list))
        .route("/api/status", get(api::status))
        .route("/api/run", post(api::run))
        .route("/api/runs/{id}/stop", post(api::stop))
        .with_state(app)
}

/// `orc serve`: listens until the process is stopped.
pub fn serve(args: &Serve) -> u8 {
    use crate::args::exit;
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            errln!("orc serve: cannot start the runtime: {e}");
            return exit::USAGE;
        }
    };
    let config = Config::from_args(args);
    runtime.block_on(async {
        let listener = match tokio::net::TcpListener::bind((args.host.as_str(), args.port)).await {
            Ok(l) => l,
            Err(e) => {
                errln!(
                    "orc serve: cannot listen on {}:{}: {e}",
                    args.host,
                    args.port
                );
                return exit::USAGE;
            }
        };
        let address = match listener.local_addr() {
            Ok(a) => a.to_string(),
            Err(_) => format!("{}:{}", args.host, args.port),
        };
        outln!("orc serve: the playground is at http://{address}/ (Ctrl-C stops it)");
        outln!(
            "orc serve: each run: {} of its clock, {} memory, {} output, {} steps; at most {} at once",
            humantime(config.time_limit),
            size(config.memory_limit),
            size(config.max_output),
            config.max_steps,
            config.max_runs
        );
        match axum::serve(listener, router(config)).await {
            Ok(()) => exit::OK,
            Err(e) => {
                errln!("orc serve: {e}");
                exit::USAGE
            }
        }
    })
}

/// `10 s`, `500 ms`.
pub fn humantime(d: Duration) -> String {
    if d.as_secs() >= 3600 && d.as_secs().is_multiple_of(3600) {
        format!("{} h", d.as_secs() / 3600)
    } else if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

/// `64 MiB`, `1 MiB`, `no limit`.
pub fn size(bytes: Option<u64>) -> String {
    match bytes {
        None => "no limit".to_string(),
        Some(b) if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        Some(b) if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        Some(b) => format!("{b} bytes"),
    }
}
