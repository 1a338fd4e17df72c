//! Starts `orc serve` for a test and talks to it: runs as streams of
//! Server-Sent Events, the status endpoint, and the expected output of an
//! example (from its own `OUTPUT:` block).

#![allow(dead_code)]

use serde_json::Value as Json;
use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `orc serve`, killed when dropped.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    _stdout: BufReader<ChildStdout>,
}

impl Server {
    /// `orc serve --port 0 ARGS...`, once it listens.
    pub fn start(args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_orc"))
            .args(["serve", "--port", "0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("orc serve starts");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let start = line
            .find("http://")
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        let base = line[start..]
            .split_whitespace()
            .next()
            .unwrap()
            .trim_end_matches('/')
            .to_string();
        Server {
            child,
            base,
            _stdout: stdout,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// Where a server is: its URLs.
pub trait Address {
    fn url(&self, path: &str) -> String;
}

impl Address for Server {
    fn url(&self, path: &str) -> String {
        Server::url(self, path)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One event of a run's stream.
#[derive(Clone, Debug)]
pub struct Event {
    pub name: String,
    pub data: Json,
}

/// The events in `text` (complete blocks only; comment lines skipped).
pub fn parse_events(text: &str) -> Vec<Event> {
    let mut events = Vec::new();
    for block in text.split("\n\n") {
        let mut name = None;
        let mut data = String::new();
        for line in block.lines() {
            if let Some(n) = line.strip_prefix("event: ") {
                name = Some(n.to_string());
            } else if let Some(d) = line.strip_prefix("data: ") {
                data.push_str(d);
            }
        }
        if let Some(name) = name {
            let data = serde_json::from_str(&data).expect("each event's data is JSON");
            events.push(Event { name, data });
        }
    }
    events
}

/// POSTs a program to `/api/run?time=TIME`: the status, and the whole
/// body (the stream to its end, within `within`).
pub async fn post_run(
    client: &reqwest::Client,
    server: &Server,
    program: &str,
    time: &str,
    within: Duration,
) -> (u16, String) {
    let response = client
        .post(server.url(&format!("/api/run?time={time}")))
        .body(program.to_string())
        .send()
        .await
        .expect("the server answers");
    let status = response.status().as_u16();
    let body = tokio::time::timeout(within, response.text())
        .await
        .unwrap_or_else(|_| panic!("the stream did not end within {within:?}"))
        .expect("the stream reads");
    (status, body)
}

/// A run's stream, read as it comes.
pub struct Stream {
    response: reqwest::Response,
    buffer: String,
}

impl Stream {
    pub async fn open(
        client: &reqwest::Client,
        server: &Server,
        program: &str,
        time: &str,
    ) -> Stream {
        let response = client
            .post(server.url(&format!("/api/run?time={time}")))
            .body(program.to_string())
            .send()
            .await
            .expect("the server answers");
        assert_eq!(response.status().as_u16(), 200);
        Stream {
            response,
            buffer: String::new(),
        }
    }

    /// Reads until an event named `name` has come (within `within`).
    pub async fn until(&mut self, name: &str, within: Duration) -> Vec<Event> {
        let deadline = Instant::now() + within;
        loop {
            let events = parse_events(&self.buffer);
            if events.iter().any(|e| e.name == name) {
                return events;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            let chunk = tokio::time::timeout(left, self.response.chunk())
                .await
                .unwrap_or_else(|_| panic!("no `{name}` event within {within:?}: {}", self.buffer))
                .expect("the stream reads")
                .unwrap_or_else(|| panic!("the stream ended without `{name}`: {}", self.buffer));
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}

/// `GET /api/status`.
pub async fn status(client: &reqwest::Client, server: &impl Address) -> Json {
    let text = client
        .get(server.url("/api/status"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Waits until the server has no active run; how long that took.
pub async fn until_idle(
    client: &reqwest::Client,
    server: &impl Address,
    within: Duration,
) -> Duration {
    let started = Instant::now();
    loop {
        let s = status(client, server).await;
        if s["active_runs"] == 0 {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < within,
            "runs still active after {within:?}: {s}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `examples/NAME.orc`.
pub fn example(name: &str) -> String {
    let path = format!("{}/examples/{name}.orc", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap()
}

/// The lines of the first `OUTPUT:` block of a program.
pub fn expected_output(source: &str) -> Vec<String> {
    let start = source.find("OUTPUT:").expect("an OUTPUT: block") + "OUTPUT:".len();
    let rest = &source[start..];
    let end = rest.find("-}").expect("the block ends");
    rest[..end]
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// What a run printed and published, in order, as lines (as `orc run`
/// shows them, and as `OUTPUT:` blocks list them).
pub fn output_lines(events: &[Event]) -> Vec<String> {
    let mut text = String::new();
    for e in events {
        match e.name.as_str() {
            "print" => text.push_str(e.data["text"].as_str().unwrap()),
            "publish" => {
                text.push_str(e.data["text"].as_str().unwrap());
                text.push('\n');
            }
            _ => {}
        }
    }
    text.lines().map(|l| l.trim_end().to_string()).collect()
}

/// The `end` event's outcome.
pub fn outcome(events: &[Event]) -> String {
    events
        .iter()
        .find(|e| e.name == "end")
        .map(|e| e.data["outcome"].as_str().unwrap().to_string())
        .unwrap_or_else(|| panic!("no end event in {events:?}"))
}
