//! The playground's HTTP API, which its page uses and scripts can too
//! (docs/serve.md): `POST /api/run` compiles a program and streams its
//! run as Server-Sent Events; `POST /api/runs/{id}/stop` stops a run;
//! `GET /api/status` tells how many runs are under way.
//!
//! A run's stream is the response body ([`EventStream`]): dropping it
//! (the visitor closed the page, the script hung up) throws the run's kill
//! switch. A run keeps its place among the runs until its stream is over
//! too, so at most `--max-runs` streams hold events not yet delivered. A comment line every second keeps a silent stream written to,
//! so that a connection closed by the other side is noticed within a few
//! seconds even while the program says nothing.

use super::runs::{
    outcome_text, sse, Counts, Positions, Sink, Slot, PROGRAM, SIMULATED_TIME_LIMIT,
};
use super::App;
use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_core::Stream;
use orc::diagnostics::Phase;
use orc::{KillSwitch, RunOptions, RunOutcome};
use serde_json::{json, Map, Value as Json};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver};

/// A run's place among the runs, shared by its task and its stream; taken
/// (given back) when both are done, or by the delivery grace timer.
type SlotCell = Mutex<Option<Slot>>;

/// How long after its run's end a stream may hold the run's place while
/// its events are not read.
const DELIVERY_GRACE: Duration = Duration::from_secs(30);

/// How often a silent stream gets a comment line.
const HEARTBEAT: Duration = Duration::from_secs(1);

/// An error as JSON: `{"error": "..."}` with `status`.
fn refuse(status: StatusCode, message: String) -> Response {
    let mut response = (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        json!({ "error": message }).to_string(),
    )
        .into_response();
    if status == StatusCode::SERVICE_UNAVAILABLE {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from_static("2"));
    }
    response
}

/// `GET /api/status`: the runs under way and the limits of each.
pub async fn status(State(app): State<Arc<App>>) -> Response {
    let c = &app.config;
    let body = json!({
        "active_runs": app.runs.active(),
        "max_runs": c.max_runs,
        "limits": {
            "time_ms": c.time_limit.as_millis() as u64,
            "memory_bytes": c.memory_limit,
            "output_bytes": c.max_output,
            "steps": c.max_steps,
            "tokens": c.max_tokens,
            "publications": c.max_publications,
            "source_bytes": c.max_source,
        }
    });
    (
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// `POST /api/runs/{id}/stop`: 204, or 404 if no such run is under way.
pub async fn stop(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    if app.runs.stop(&id) {
        StatusCode::NO_CONTENT.into_response()
    } else {
        refuse(StatusCode::NOT_FOUND, format!("no run `{id}` is under way"))
    }
}

/// Whether the query asks for simulated time: `time=sim` or `time=real`
/// (the default).
fn simulated(query: Option<&str>) -> Result<bool, String> {
    let mut sim = false;
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match (key, value) {
            ("time", "sim" | "simulated") => sim = true,
            ("time", "real") => sim = false,
            ("time", other) => {
                return Err(format!("`time` is `sim` or `real`, not `{other}`"));
            }
            (other, _) => {
                return Err(format!(
                    "unknown parameter `{other}`; the one known is `time`"
                ))
            }
        }
    }
    Ok(sim)
}

/// `POST /api/run?time=sim|real` with the program as the body: a stream
/// of Server-Sent Events (`start`, then `diagnostic`s, `publish`, `print`,
/// `error`, `call` and last `end`), or a JSON error (400, 413, 503).
pub async fn run(State(app): State<Arc<App>>, RawQuery(query): RawQuery, body: Bytes) -> Response {
    let sim_time = match simulated(query.as_deref()) {
        Ok(sim) => sim,
        Err(e) => return refuse(StatusCode::BAD_REQUEST, e),
    };
    if body.len() > app.config.max_source {
        return refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the program is {} bytes long; the playground takes at most {}",
                body.len(),
                app.config.max_source
            ),
        );
    }
    let Ok(source) = String::from_utf8(body.to_vec()) else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "the program is not UTF-8 text".to_string(),
        );
    };
    let Some(mut slot) = app.runs.try_start() else {
        return refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "The playground is already running as many programs as it may at once ({}). \
                 Please try again in a moment.",
                app.config.max_runs
            ),
        );
    };
    let positions = Arc::new(Positions::new(&source));
    // Compiling a large program takes a while: not on the async threads.
    let compiling = app.clone();
    let compiled =
        tokio::task::spawn_blocking(move || compiling.engine.compile(PROGRAM, &source)).await;
    let compiled = match compiled {
        Ok(c) => c,
        Err(_) => {
            return refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the compiler failed".to_string(),
            )
        }
    };
    let kill = KillSwitch::new();
    let id = app.runs.register(&mut slot, kill.clone());
    let (tx, rx) = unbounded_channel();
    let start = json!({
        "id": id,
        "time": if sim_time { "simulated" } else { "real" },
    });
    let _ = tx.send(sse("start", &start));
    let diagnostic = |d: &orc::diagnostics::Diagnostic, sources| {
        let mut data: Map<String, Json> = positions.fields(sources, d.span);
        let (severity, phase) = match d.phase {
            Phase::Syntax => ("error", "syntax"),
            Phase::Compile => ("error", "compile"),
            Phase::Runtime => ("error", "runtime"),
            Phase::Lint => ("warning", "lint"),
        };
        data.insert("severity".into(), severity.into());
        data.insert("phase".into(), phase.into());
        data.insert("message".into(), d.message.clone().into());
        if let Some(help) = &d.help {
            data.insert("help".into(), help.clone().into());
        }
        sse("diagnostic", &Json::Object(data))
    };
    let compiled = match compiled {
        Ok(c) => c,
        Err(error) => {
            for d in &error.diagnostics {
                let _ = tx.send(diagnostic(d, error.sources()));
            }
            let n = error.diagnostics.len();
            let end = json!({
                "ms": 0,
                "outcome": "compile-error",
                "message": format!("The program does not compile ({n} error{}).", if n == 1 { "" } else { "s" }),
            });
            let _ = tx.send(sse("end", &end));
            drop(tx);
            return stream_response(rx, kill, Arc::new(Mutex::new(Some(slot))));
        }
    };
    for d in compiled.warnings() {
        let _ = tx.send(diagnostic(d, compiled.sources()));
    }
    let c = &app.config;
    // Real time: the time limit is the program's clock. Simulated time:
    // its clock may go far (an hour), the wall clock only as far as the
    // time limit (a timer below).
    let clock_limit = if sim_time {
        SIMULATED_TIME_LIMIT
    } else {
        c.time_limit
    };
    let options = RunOptions {
        sim_time,
        time_limit_ms: Some(u64::try_from(clock_limit.as_millis()).unwrap_or(u64::MAX)),
        max_tokens: Some(c.max_tokens),
        max_publications: Some(c.max_publications),
        kill: Some(kill.clone()),
        memory_limit: c.memory_limit,
        max_steps: Some(c.max_steps),
        max_output: c.max_output,
        trace: true,
    };
    let counts = Arc::new(Mutex::new(Counts::default()));
    let sink = Sink {
        tx: tx.clone(),
        kill: kill.clone(),
        sources: compiled.sources().clone(),
        positions: positions.clone(),
        counts: counts.clone(),
        now_ms: 0,
    };
    let mut run = app.engine.start(&compiled, Box::new(sink), options);
    let task_app = app.clone();
    let wall_limit = c.time_limit;
    let task_kill = kill.clone();
    // Held by the run's task and by its stream: the place is given back
    // once the run is over and what it reported has been delivered (or
    // the visitor has gone), so that at most `--max-runs` streams hold
    // undelivered events; or [`DELIVERY_GRACE`] after the run's end, so
    // that a visitor who neither reads nor hangs up holds no place.
    let slot: Arc<SlotCell> = Arc::new(Mutex::new(Some(slot)));
    let task_slot = slot.clone();
    tokio::spawn(async move {
        let timed_out = Arc::new(AtomicBool::new(false));
        let timer = tokio::spawn({
            let (timed_out, kill) = (timed_out.clone(), task_kill);
            async move {
                tokio::time::sleep(wall_limit).await;
                timed_out.store(true, Ordering::SeqCst);
                kill.kill();
            }
        });
        let mut outcome = run.run().await;
        timer.abort();
        if outcome == RunOutcome::Killed && timed_out.load(Ordering::SeqCst) {
            outcome = RunOutcome::TimeLimit;
        }
        let wall = outcome == RunOutcome::TimeLimit && timed_out.load(Ordering::SeqCst);
        let (calls, calls_dropped, errors_dropped) = {
            let mut counts = counts.lock().unwrap_or_else(|e| e.into_inner());
            let calls = counts.calls.finish(compiled.sources(), &positions);
            (calls, counts.calls.dropped, counts.errors_dropped)
        };
        for call in calls {
            let _ = tx.send(call);
        }
        let (name, message) = outcome_text(outcome, sim_time && !wall, &task_app.config);
        let end = json!({
            "ms": run.now_ms(),
            "outcome": name,
            "message": message,
            "errors_not_sent": errors_dropped,
            "calls_not_sent": calls_dropped,
        });
        let _ = tx.send(sse("end", &end));
        // The stream ends with the last sender: this one, then the run's
        // sink, which goes with the run and its memory; then the task's
        // hold on the run's place.
        drop(tx);
        drop(run);
        let unread = Arc::downgrade(&task_slot);
        drop(task_slot);
        tokio::time::sleep(DELIVERY_GRACE).await;
        if let Some(cell) = unread.upgrade() {
            drop(cell.lock().map(|mut s| s.take()));
        }
    });
    stream_response(rx, kill, slot)
}

/// The response that streams a run's events.
fn stream_response(
    rx: UnboundedReceiver<String>,
    kill: KillSwitch,
    slot: Arc<SlotCell>,
) -> Response {
    let mut heartbeat = tokio::time::interval(HEARTBEAT);
    heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let stream = EventStream {
        rx,
        heartbeat,
        kill,
        _slot: slot,
    };
    (
        [
            (header::CONTENT_TYPE, "text/event-stream; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
            (header::HeaderName::from_static("x-accel-buffering"), "no"),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}

/// A run's events as the body of its response; dropped, it stops the run.
struct EventStream {
    rx: UnboundedReceiver<String>,
    heartbeat: tokio::time::Interval,
    kill: KillSwitch,
    _slot: Arc<SlotCell>,
}

impl Drop for EventStream {
    fn drop(&mut self) {
        // Harmless once the run is over.
        self.kill.kill();
    }
}

/// The most events put in one chunk of the body.
const BATCH: usize = 256;

impl Stream for EventStream {
    type Item = Result<Bytes, std::convert::Infallible>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        match this.rx.poll_recv(cx) {
            Poll::Ready(Some(first)) => {
                let mut chunk = first;
                for _ in 1..BATCH {
                    match this.rx.try_recv() {
                        Ok(more) => chunk.push_str(&more),
                        Err(_) => break,
                    }
                }
                this.heartbeat.reset();
                Poll::Ready(Some(Ok(Bytes::from(chunk))))
            }
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => match this.heartbeat.poll_tick(cx) {
                Poll::Ready(_) => Poll::Ready(Some(Ok(Bytes::from_static(b": still running\n\n")))),
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::simulated;

    #[test]
    fn the_query_names_the_clock() {
        assert_eq!(simulated(None), Ok(false));
        assert_eq!(simulated(Some("time=sim")), Ok(true));
        assert_eq!(simulated(Some("time=real")), Ok(false));
        assert!(simulated(Some("time=fast")).is_err());
        assert!(simulated(Some("speed=sim")).is_err());
    }
}
