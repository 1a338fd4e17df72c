//! Cancelled service calls leave nothing behind: no socket, no running
//! process. (A test binary of its own, so that no other test's sockets or
//! children are counted.)

#[path = "common/services.rs"]
mod services;

use services::{run, Server};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// A thousand cancelled requests and a hundred cancelled commands leave
/// no socket and no process behind.
#[test]
fn cancelled_calls_leave_nothing_behind() {
    let server = Server::start();
    let fds = || std::fs::read_dir("/proc/self/fd").unwrap().count();
    let children = || {
        // The children of every thread of this process that still run
        // (not zombies: a killed child is reaped when tokio next looks).
        std::fs::read_dir("/proc/self/task")
            .unwrap()
            .flatten()
            .flat_map(|t| {
                std::fs::read_to_string(t.path().join("children"))
                    .unwrap_or_default()
                    .split_whitespace()
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .filter(|pid| {
                let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
                let state = stat.rsplit_once(") ").map_or("", |(_, rest)| rest);
                !state.starts_with('Z') && !stat.is_empty()
            })
            .count()
    };
    // A first run makes what lives as long as the process (tokio's
    // signal pipe for child processes).
    run(&format!(
        r#"Exec("true", []) >> HTTP("{}").get()"#,
        server.url("/hello")
    ));
    let (fds_before, children_before) = (fds(), children());
    let served_before = server
        .counts
        .requests
        .load(std::sync::atomic::Ordering::SeqCst);
    // The kills come once every request has reached the server.
    let program = format!(
        r#"val n = Counter(0) #
           (upto(1000) >i> {{| HTTP("{}").get() | Rwait(1500) |}} >> n.inc() >> stop
            | upto(100) >i> {{| Exec("sleep", ["5"]) | Rwait(1500) |}} >> n.inc() >> stop)
           ; n.value()"#,
        server.url("/slow/10000")
    );
    let (seen, took) = run(&program);
    assert_eq!(seen.published, ["1100"], "{:?}", seen.errors);
    // Not the 10 s the requests would take uncancelled (a wide margin for
    // a busy machine: a thousand server threads share it).
    assert!(took < Duration::from_secs(9), "took {took:?}");
    // Every request reached the server and was seen to go.
    let served = || server.counts.requests.load(Ordering::SeqCst) - served_before;
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.gone() < served() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(
        served() >= 500,
        "only {} requests reached the server",
        served()
    );
    assert_eq!(server.gone(), served(), "requests the server saw cancelled");
    // No socket or child left (the server's ends closed too). The server's
    // threads close their ends on their own time, so a busy machine gets a
    // few seconds; a leak stays and still fails.
    let deadline = Instant::now() + Duration::from_secs(5);
    while fds() != fds_before && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(fds(), fds_before, "file descriptors before and after");
    assert_eq!(children(), children_before, "children left running");
}
