//! A small HTTP server on 127.0.0.1 for the examples and tests that
//! orchestrate real services: it answers fast, slowly, with errors, or
//! flakily, and notices when a client gives up on a slow answer.
//!
//! Endpoints (GET unless said):
//! - `/hello`: 200, `hello`;
//! - `/slow/MS`: 200 after MS milliseconds, `slept MS`; a client that
//!   closes its connection first is counted in [`Server::gone`];
//! - `/status/CODE`: that status, `status CODE`;
//! - `/flaky/KEY/N`: 503 for the first N requests with that KEY, then 200
//!   `ok after N`;
//! - `/slow-once/KEY/MS`: the first request with that KEY is answered
//!   after MS milliseconds (`slow`), the others at once (`fast`);
//! - `/query`: 200, the query string;
//! - `/big/MB`: 200, MB megabytes of `x`;
//! - POST `/echo`: 200, `CONTENT-TYPE: BODY`;
//! - POST `/json`: 200, the body as it came, as `application/json`.
//!
//! One thread per connection, `Connection: close`; std only (and libc,
//! for a longer listen queue).

// Each user (an example, the tests, a benchmark) takes what it needs.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Default)]
pub struct Counts {
    /// Clients that closed their connection before a slow answer.
    pub gone: AtomicUsize,
    /// When each of them was seen to go.
    pub gone_at: Mutex<Vec<Instant>>,
    /// Requests per flaky key.
    flaky: Mutex<HashMap<String, usize>>,
    /// Requests served, all endpoints.
    pub requests: AtomicUsize,
}

pub struct Server {
    pub addr: SocketAddr,
    pub counts: Arc<Counts>,
}

impl Server {
    /// Starts the server on a free port of 127.0.0.1; it serves until the
    /// process ends.
    pub fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
        // Room for a burst of a thousand connections (std listens with a
        // queue of 128; Linux lets a second `listen` enlarge it).
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            // SAFETY: listen(2) on a socket this function owns.
            unsafe { libc::listen(listener.as_raw_fd(), 4096) };
        }
        let addr = listener.local_addr().expect("its address");
        let counts = Arc::new(Counts::default());
        let shared = counts.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let counts = shared.clone();
                std::thread::spawn(move || serve(stream, &counts));
            }
        });
        Server { addr, counts }
    }

    /// The URL of `path` on this server.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Clients that gave up on a slow answer so far.
    pub fn gone(&self) -> usize {
        self.counts.gone.load(Ordering::SeqCst)
    }

    /// When the clients that gave up were seen to go.
    pub fn gone_at(&self) -> Vec<Instant> {
        self.counts.gone_at.lock().unwrap().clone()
    }
}

fn serve(stream: TcpStream, counts: &Counts) {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut parts = line.split_whitespace();
    let (method, target) = (
        parts.next().unwrap_or("").to_string(),
        parts.next().unwrap_or("/").to_string(),
    );
    let (mut length, mut content_type) = (0usize, String::new());
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
            break;
        }
        let (name, value) = header.split_once(':').unwrap_or((&header, ""));
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => length = value.trim().parse().unwrap_or(0),
            "content-type" => content_type = value.trim().to_string(),
            _ => {}
        }
    }
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let mut stream = reader.into_inner();
    counts.requests.fetch_add(1, Ordering::SeqCst);
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let (status, text) = match (method.as_str(), segments.as_slice()) {
        ("GET", ["hello"]) => (200, "hello".to_string()),
        ("GET", ["slow", ms]) => {
            let ms: u64 = ms.parse().unwrap_or(0);
            if !wait_unless_gone(&stream, Duration::from_millis(ms)) {
                went(counts);
                return;
            }
            (200, format!("slept {ms}"))
        }
        ("GET", ["status", code]) => (code.parse().unwrap_or(500), format!("status {code}")),
        ("GET", ["flaky", key, n]) => {
            let n: usize = n.parse().unwrap_or(0);
            let mut seen = counts.flaky.lock().unwrap();
            let count = seen.entry(key.to_string()).or_insert(0);
            *count += 1;
            if *count <= n {
                (503, format!("failure {count} of {n}"))
            } else {
                (200, format!("ok after {n}"))
            }
        }
        ("GET", ["slow-once", key, ms]) => {
            let first = {
                let mut seen = counts.flaky.lock().unwrap();
                let count = seen.entry(format!("slow-once/{key}")).or_insert(0);
                *count += 1;
                *count == 1
            };
            if first {
                let ms: u64 = ms.parse().unwrap_or(0);
                if !wait_unless_gone(&stream, Duration::from_millis(ms)) {
                    went(counts);
                    return;
                }
                (200, "slow".to_string())
            } else {
                (200, "fast".to_string())
            }
        }
        ("GET", ["query"]) => (200, query.to_string()),
        ("GET", ["big", mb]) => {
            let len = mb.parse::<usize>().unwrap_or(0) << 20;
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n"
            );
            let chunk = vec![b'x'; 1 << 16];
            let mut left = len;
            while left > 0 {
                let n = left.min(chunk.len());
                if stream.write_all(&chunk[..n]).is_err() {
                    return;
                }
                left -= n;
            }
            return;
        }
        ("POST", ["json"]) => {
            let body = String::from_utf8_lossy(&body).into_owned();
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            return;
        }
        ("POST", ["echo"]) => (
            200,
            format!("{content_type}: {}", String::from_utf8_lossy(&body)),
        ),
        _ => (404, "not found".to_string()),
    };
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        503 => "Service Unavailable",
        _ => "Status",
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
        text.len()
    );
}

fn went(counts: &Counts) {
    counts.gone_at.lock().unwrap().push(Instant::now());
    counts.gone.fetch_add(1, Ordering::SeqCst);
}

/// Waits `time`, watching the connection: false if the client closed it.
/// The thread sleeps in the kernel until the connection closes or the time
/// is up (a thousand waiting connections cost no CPU, so that on a loaded
/// machine each still sees its client go at once).
fn wait_unless_gone(stream: &TcpStream, time: Duration) -> bool {
    let end = Instant::now() + time;
    let mut probe = [0u8; 1];
    let mut gone = false;
    while let Some(left) = end
        .checked_duration_since(Instant::now())
        .filter(|d| !d.is_zero())
    {
        let _ = stream.set_read_timeout(Some(left));
        match stream.peek(&mut probe) {
            Ok(0) => {
                gone = true;
                break;
            }
            // More bytes from the client (none are expected): look again
            // shortly.
            Ok(_) => std::thread::sleep(Duration::from_millis(2)),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => {
                gone = true;
                break;
            }
        }
    }
    let _ = stream.set_read_timeout(None);
    !gone
}
