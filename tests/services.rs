//! Services (`src/services`): HTTP against a server this test starts on
//! 127.0.0.1, commands, files, and what a host that grants none of them
//! says. Killing a call's token must cancel it: the server sees the client
//! go, the command's process dies.

#[path = "common/services.rs"]
mod services;

use orc::services::Capability;
use orc::Engine;
use services::{published, published_despite_errors, run, server, tempdir, Server};
use std::time::{Duration, Instant};

#[test]
fn get_post_and_the_url() {
    assert_eq!(published(r#"HTTP("BASE/hello").get()"#), [r#""hello""#]);
    assert_eq!(
        published(r#"HTTP("BASE/echo").post("{}", "application/json")"#),
        [r#""application/json: {}""#]
    );
    let query = r#"HTTP("BASE/query", {. q = "orc lang", page = 2 .})"#;
    assert_eq!(
        published(&format!("{query}.get()")),
        [r#""q=orc+lang&page=2""#]
    );
    let url = &published(&format!("{query}.url"))[0];
    assert!(url.ends_with(r#"/query?q=orc+lang&page=2""#), "{url}");
}

#[test]
fn json_goes_there_and_back() {
    assert_eq!(
        published(
            r#"HTTP("BASE/json").post(WriteJSON({. name = "orc", tags = [1, 2.5, true] .}),
                                      "application/json") >text>
               ReadJSON(text) >r> (r.name, r.tags)"#
        ),
        [r#"("orc", [1, 2.5, true])"#]
    );
}

#[test]
fn a_failed_request_is_an_error_that_otherwise_catches() {
    let (seen, _) = run(r#"HTTP("BASE/status/503").get() ; "fallback""#);
    assert_eq!(seen.published, [r#""fallback""#]);
    assert_eq!(seen.errors.len(), 1);
    let e = &seen.errors[0];
    assert!(
        e.contains("HTTP GET") && e.contains("/status/503") && e.contains("503"),
        "{e}"
    );

    // Nothing listens on a port just freed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (seen, _) = run(&format!(
        r#"HTTP("http://127.0.0.1:{port}/").get() ; "down""#
    ));
    assert_eq!(seen.published, [r#""down""#]);
    assert!(
        seen.errors[0].to_lowercase().contains("refused"),
        "{:?}",
        seen.errors
    );
}

#[test]
fn the_richer_request_gives_status_headers_and_body() {
    assert_eq!(
        published(
            r#"HTTP("BASE/status/404").request({. method = "get" .}) >r>
               (r.status, r.body, member(("content-type", "text/plain"), r.headers))"#
        ),
        [r#"(404, "status 404", true)"#]
    );
    let (seen, _) = run(r#"HTTP("BASE/slow/2000").request({. timeout = 100 .}) ; "gave up""#);
    assert_eq!(seen.published, [r#""gave up""#]);
    assert!(seen.errors[0].contains("timed out"), "{:?}", seen.errors);
}

#[test]
fn killing_the_caller_cancels_the_request() {
    let gone = server().gone();
    let (seen, took) = run(r#"{| HTTP("BASE/slow/3000").get() | Rwait(200) >> "timeout" |}"#);
    assert_eq!(seen.published, [r#""timeout""#]);
    // The run does not wait for the request (3 s)...
    assert!(took < Duration::from_millis(1500), "took {took:?}");
    // ...and the server sees the client go.
    let deadline = Instant::now() + Duration::from_secs(2);
    while server().gone() == gone && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(
        server().gone() > gone,
        "the server still serves the request"
    );
}

/// The server sees a cancelled request's client go within 50 ms of the
/// kill.
#[test]
fn the_server_sees_the_client_go_at_once() {
    let server = Server::start();
    for _ in 0..5 {
        let before = server.gone();
        let start = Instant::now();
        let (seen, _) = run(&format!(
            r#"{{| HTTP("{}").get() | Rwait(200) >> "cut" |}}"#,
            server.url("/slow/5000")
        ));
        assert_eq!(seen.published, [r#""cut""#]);
        let deadline = Instant::now() + Duration::from_secs(2);
        while server.gone() == before && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
        let seen_at = *server.gone_at().last().expect("the client was seen to go");
        let after_kill = seen_at.duration_since(start) - Duration::from_millis(200);
        assert!(
            after_kill < Duration::from_millis(50),
            "seen to go {after_kill:?} after the kill"
        );
    }
}

#[test]
fn the_patterns_of_the_prelude() {
    // Retry with backoff through two failures; a hedged call whose first
    // try fails; the first of several mirrors; a quorum.
    let (seen, _) = run(r#"retryBackoff(HTTP("BASE/flaky/retry/2").get, 5, 10)"#);
    assert_eq!(seen.published, [r#""ok after 2""#]);
    assert_eq!(seen.errors.len(), 2);
    let (seen, _) = run(r#"retryBackoff(HTTP("BASE/flaky/out/9").get, 3, 10) ; "gave up""#);
    assert_eq!(seen.published, [r#""gave up""#]);
    assert_eq!(seen.errors.len(), 3, "three tries");
    assert_eq!(
        published_despite_errors(r#"hedge(HTTP("BASE/flaky/hedge/1").get, 50)"#),
        [r#""ok after 1""#]
    );
    assert_eq!(
        published(r#"firstOf([HTTP("BASE/slow/1500").get, HTTP("BASE/slow/30").get], 1000)"#),
        [r#"Some("slept 30")"#]
    );
    assert_eq!(
        published_despite_errors(
            r#"quorum([HTTP("BASE/slow/20").get, HTTP("BASE/status/500").get,
                       HTTP("BASE/slow/60").get, HTTP("BASE/slow/1500").get], 2, 1000)"#
        ),
        [r#"Some(["slept 20", "slept 60"])"#]
    );
    // A breaker opens after two failures and then fails fast (no request).
    let (seen, _) = run(
        r#"val call = circuitBreaker(HTTP("BASE/status/500").get, 2, 60000) #
           (call() ; "1 failed") >a> (call() ; "2 failed") >b> (call() ; "3 refused") >c> (a, b, c)"#,
    );
    assert_eq!(seen.published, [r#"("1 failed", "2 failed", "3 refused")"#]);
    assert_eq!(seen.errors.len(), 2, "the third call made no request");
}

#[test]
fn commands_run_to_their_end_or_line_by_line() {
    assert_eq!(
        published(r#"Exec("echo", ["a", "b c"]) >r> (r.status, r.stdout)"#),
        [r#"(0, "a b c\n")"#]
    );
    assert_eq!(
        published(r#"Exec("sh", ["-c", "echo oops >&2; exit 3"]) >r> (r.status, r.stderr)"#),
        [r#"(3, "oops\n")"#]
    );
    // A pipeline: one command's output is the next one's input.
    assert_eq!(
        published(r#"Exec("sort", [], Exec("printf", ["b\\na\\n"]).stdout).stdout"#),
        [r#""a\nb\n""#]
    );
    assert_eq!(
        published(r#"execLines("sh", ["-c", "echo one; echo two"])"#),
        [r#""one""#, r#""two""#]
    );
    let (seen, _) = run(r#"Exec("no-such-command-here", []) ; "missing""#);
    assert_eq!(seen.published, [r#""missing""#]);
    assert!(
        seen.errors[0].contains("`no-such-command-here` cannot be run"),
        "{:?}",
        seen.errors
    );
}

/// Runs `program` with `MARKER` replaced by a path that a command touches
/// a second after it starts, unless it is killed first: the program must
/// publish "cut" at once, and the marker must never appear.
fn check_killed(program: &str) {
    let marker = tempdir().join("finished");
    let (seen, took) = run(&program.replace("MARKER", &marker.display().to_string()));
    assert_eq!(seen.published, [r#""cut""#]);
    assert!(took < Duration::from_millis(900), "took {took:?}");
    std::thread::sleep(Duration::from_millis(1500));
    assert!(!marker.exists(), "the command ran to its end: {program}");
}

#[test]
fn killing_the_caller_kills_the_command() {
    check_killed(r#"{| Exec("sh", ["-c", "sleep 1; touch MARKER"]) | Rwait(100) >> "cut" |}"#);
}

#[test]
fn killing_the_reader_kills_a_spawned_command() {
    check_killed(
        r#"{| execLines("sh", ["-c", "echo started; sleep 1; touch MARKER"]) >"started"> stop
            | Rwait(200) >> "cut" |}"#,
    );
}

#[test]
fn files_are_written_read_and_listed() {
    let dir = tempdir();
    let d = dir.display();
    assert_eq!(
        published(&format!(
            r#"WriteFile("{d}/a.txt", "one\n") >> AppendFile("{d}/a.txt", "two\n") >>
               WriteFile("{d}/b.txt", "") >> (ReadFile("{d}/a.txt"), ListDir("{d}"))"#
        )),
        [r#"("one\ntwo\n", ["a.txt", "b.txt"])"#]
    );
    let (seen, _) = run(&format!(r#"ReadFile("{d}/missing.txt") ; "none""#));
    assert_eq!(seen.published, [r#""none""#]);
    assert!(
        seen.errors[0].contains("ReadFile: cannot read") && seen.errors[0].contains("missing.txt"),
        "{:?}",
        seen.errors
    );
}

#[test]
fn a_host_grants_no_service_unless_it_says_so() {
    let engine = Engine::new();
    for (program, needs) in [
        (
            r#"HTTP("http://127.0.0.1/").get()"#,
            "`HTTP` needs network access",
        ),
        (r#"Exec("ls", [])"#, "`Exec` needs running other programs"),
        (r#"ReadFile("x")"#, "`ReadFile` needs access to files"),
        (r#"execLines("ls", [])"#, "`execLines` is not available"),
    ] {
        let err = engine.compile("main", program).unwrap_err().to_string();
        assert!(err.contains(needs), "{program}: {err}");
    }
    let mut engine = Engine::sandboxed();
    engine.grant(Capability::Files);
    assert!(engine.compile("main", r#"ReadFile("x")"#).is_ok());
    assert!(engine.compile("main", r#"Exec("ls", [])"#).is_err());
}

#[test]
fn the_command_line_grants_services_and_withholds_them_on_request() {
    let dir = tempdir();
    let file = dir.join("main.orc");
    std::fs::write(&file, "Exec(\"echo\", [\"hi\"]).stdout").unwrap();
    let orc = |extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_orc"))
            .arg("run")
            .args(extra)
            .arg(&file)
            .output()
            .unwrap()
    };
    let out = orc(&[]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "\"hi\\n\"\n");
    for flags in [&["--deny", "run"][..], &["--sandbox"]] {
        let out = orc(flags);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("`Exec` needs running other programs"), "{err}");
    }
    // Denying another service leaves this one.
    assert!(orc(&["--deny", "net", "--deny", "files"]).status.success());
}
