//! The HTTP API: many runs at once, runaway programs, the cap on runs,
//! stopping, hanging up, diagnostics and events with their times.

use crate::server::*;
use std::time::{Duration, Instant};

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap()
}

/// Uses all its memory: each call waits for a deeper one.
const MEMORY_HOG: &str = "def f(x) = 1 + f(x)  f(1)";
/// Computes forever and says nothing.
const SPINNER: &str = "def spin(n) = spin(n + 1)  spin(0)";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_runs_complete_while_runaways_hit_their_limits() {
    let server = Server::start(&["--max-runs", "64"]);
    let client = client();
    let auction = example("auction");
    let expected = expected_output(&auction);
    assert!(expected.len() > 5, "{expected:?}");

    let started = Instant::now();
    let mut runaways = Vec::new();
    for program in [MEMORY_HOG, SPINNER] {
        let (client, base) = (client.clone(), server.base.clone());
        runaways.push(tokio::spawn(async move {
            let response = client
                .post(format!("{base}/api/run?time=real"))
                .body(program)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status().as_u16(), 200);
            let began = Instant::now();
            let body = response.text().await.unwrap();
            (parse_events(&body), began.elapsed())
        }));
    }
    let mut runs = Vec::new();
    for _ in 0..50 {
        let (client, base, program) = (client.clone(), server.base.clone(), auction.clone());
        runs.push(tokio::spawn(async move {
            let response = client
                .post(format!("{base}/api/run?time=sim"))
                .body(program)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status().as_u16(), 200);
            parse_events(&response.text().await.unwrap())
        }));
    }
    for run in runs {
        let events = tokio::time::timeout(Duration::from_secs(60), run)
            .await
            .expect("every run ends")
            .unwrap();
        assert_eq!(outcome(&events), "halted", "{events:?}");
        assert_eq!(output_lines(&events), expected);
        assert!(events.iter().any(|e| e.name == "call"));
    }
    let fifty = started.elapsed();

    let (hog, hog_took) = runaways.remove(0).await.unwrap();
    assert_eq!(outcome(&hog), "memory-limit", "{hog:?}");
    let (spinner, spin_took) = runaways.remove(0).await.unwrap();
    // 50,000,000 steps take a few seconds; on a loaded machine the 20 s
    // time limit may come first.
    let spun = outcome(&spinner);
    assert!(spun == "step-limit" || spun == "time-limit", "{spinner:?}");
    let waited = until_idle(&client, &server, Duration::from_secs(5)).await;
    eprintln!(
        "50 concurrent auctions (simulated time): all done in {fifty:?}; \
         the memory hog stopped ({}) after {hog_took:?}, the spinner ({spun}) after {spin_took:?}; \
         idle {waited:?} after",
        outcome(&hog)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_real_time_runs_keep_their_deadlines() {
    // examples/timeout.orc races answers against deadlines 100 ms apart
    // and more; fifty at once must still see every race end as it says.
    let server = Server::start(&["--max-runs", "64"]);
    let client = client();
    let program = example("timeout");
    let expected = expected_output(&program);
    let started = Instant::now();
    let runs: Vec<_> = (0..50)
        .map(|_| {
            let (client, base, program) = (client.clone(), server.base.clone(), program.clone());
            tokio::spawn(async move {
                let response = client
                    .post(format!("{base}/api/run?time=real"))
                    .body(program)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status().as_u16(), 200);
                parse_events(&response.text().await.unwrap())
            })
        })
        .collect();
    for run in runs {
        let events = run.await.unwrap();
        assert_eq!(outcome(&events), "halted", "{events:?}");
        assert_eq!(output_lines(&events), expected);
    }
    eprintln!(
        "50 concurrent runs of timeout.orc (real time): all done in {:?}",
        started.elapsed()
    );
}

/// The playground's limits let every example finish: each one in the
/// menu, run under simulated time, ends as its `OUTPUT:` block says.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_example_in_the_menu_runs_as_its_output_says() {
    let server = Server::start(&[]);
    let client = client();
    let list = client
        .get(server.url("/api/examples"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    let list = list.as_array().unwrap();
    assert!(list.len() >= 20, "{} examples", list.len());
    for e in list {
        let (name, source) = (e["name"].as_str().unwrap(), e["source"].as_str().unwrap());
        let (code, body) = post_run(&client, &server, source, "sim", Duration::from_secs(30)).await;
        assert_eq!(code, 200, "{name}: {body}");
        let events = parse_events(&body);
        assert_eq!(outcome(&events), "halted", "{name}: {events:?}");
        assert_eq!(output_lines(&events), expected_output(source), "{name}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cap_refuses_one_run_too_many_with_a_clear_message() {
    let server = Server::start(&["--max-runs", "2", "--time-limit", "60s"]);
    let client = client();
    let mut first = Stream::open(&client, &server, "Rwait(100000)", "real").await;
    let start = first.until("start", Duration::from_secs(10)).await;
    let mut second = Stream::open(&client, &server, "Rwait(100000)", "real").await;
    second.until("start", Duration::from_secs(10)).await;

    let (code, body) = post_run(&client, &server, "1", "sim", Duration::from_secs(10)).await;
    assert_eq!(code, 503, "{body}");
    let error: serde_json::Value = serde_json::from_str(&body).unwrap();
    let message = error["error"].as_str().unwrap();
    assert!(message.contains("at once (2)"), "{message}");
    assert_eq!(status(&client, &server).await["active_runs"], 2);

    // Stopping one frees its place.
    let id = start.iter().find(|e| e.name == "start").unwrap().data["id"]
        .as_str()
        .unwrap()
        .to_string();
    let stopped = client
        .post(server.url(&format!("/api/runs/{id}/stop")))
        .send()
        .await
        .unwrap();
    assert_eq!(stopped.status().as_u16(), 204);
    let events = first.until("end", Duration::from_secs(10)).await;
    assert_eq!(outcome(&events), "stopped");
    let started = Instant::now();
    loop {
        let (code, body) = post_run(&client, &server, "1", "sim", Duration::from_secs(10)).await;
        if code == 200 {
            assert_eq!(outcome(&parse_events(&body)), "halted");
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(5), "{code}: {body}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // An unknown run cannot be stopped.
    let unknown = client
        .post(server.url("/api/runs/nosuchrun/stop"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status().as_u16(), 404);
    drop(second);
    until_idle(&client, &server, Duration::from_secs(10)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hanging_up_kills_the_run() {
    // Limits far away, so that only the hang-up can end these runs.
    let server = Server::start(&["--time-limit", "600s", "--max-steps", "100000000000"]);
    let client = client();
    // A silent program (only the heartbeat notices the closed connection)
    // and a busy one.
    for program in ["Rwait(1000000)", SPINNER] {
        let mut stream = Stream::open(&client, &server, program, "real").await;
        stream.until("start", Duration::from_secs(10)).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(status(&client, &server).await["active_runs"], 1);
        drop(stream);
        let took = until_idle(&client, &server, Duration::from_secs(10)).await;
        eprintln!("{program}: the run was gone {took:?} after the hang-up");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compile_errors_are_diagnostics_at_their_spans() {
    let server = Server::start(&[]);
    let client = client();
    let program = "-- é: a line with a two-byte letter\n1 + nosuchname";
    let (code, body) = post_run(&client, &server, program, "sim", Duration::from_secs(10)).await;
    assert_eq!(code, 200);
    let events = parse_events(&body);
    assert_eq!(outcome(&events), "compile-error");
    let d = &events.iter().find(|e| e.name == "diagnostic").unwrap().data;
    assert_eq!(d["severity"], "error");
    assert!(d["message"].as_str().unwrap().contains("nosuchname"), "{d}");
    // Offsets count UTF-16 units, as the browser does.
    let byte = program.find("nosuchname").unwrap();
    let from = program[..byte].encode_utf16().count();
    assert_eq!(d["from"], from);
    assert_eq!(d["to"], from + "nosuchname".len());
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(2), Some(5))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_carry_the_programs_clock() {
    let server = Server::start(&[]);
    let client = client();
    let program = "Rwait(100) >> 1 / 0 | Rwait(250) >> Println(\"late\") >> 7";
    let (_, body) = post_run(&client, &server, program, "sim", Duration::from_secs(10)).await;
    let events = parse_events(&body);
    let find = |name: &str| events.iter().find(|e| e.name == name).unwrap().data.clone();
    assert_eq!(events[0].name, "start");
    assert_eq!(events[0].data["time"], "simulated");
    let error = find("error");
    assert_eq!(error["ms"], 100);
    let at = program.find("1 / 0").unwrap();
    assert!(error["from"].as_u64().unwrap() >= at as u64, "{error}");
    let print = find("print");
    assert_eq!(
        (print["ms"].as_u64(), print["text"].as_str()),
        (Some(250), Some("late\n"))
    );
    let publish = find("publish");
    assert_eq!(
        (publish["ms"].as_u64(), publish["text"].as_str()),
        (Some(250), Some("7"))
    );
    // The two waits, with when they were made and answered.
    let mut calls: Vec<(f64, f64, String)> = events
        .iter()
        .filter(|e| e.name == "call")
        .map(|e| {
            (
                e.data["ms"].as_f64().unwrap(),
                e.data["end_ms"].as_f64().unwrap(),
                e.data["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    calls.sort_by(|a, b| a.1.total_cmp(&b.1));
    assert_eq!(
        calls,
        [
            (0.0, 100.0, "Rwait(100)".to_string()),
            (0.0, 250.0, "Rwait(250)".to_string())
        ]
    );
    let end = find("end");
    assert_eq!(
        (end["outcome"].as_str(), end["ms"].as_u64()),
        (Some("halted"), Some(250))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_its_assets_and_bad_requests() {
    let server = Server::start(&[]);
    let client = client();
    let get = |path: &str| {
        let (client, url) = (client.clone(), server.url(path));
        async move {
            let r = client.get(url).send().await.unwrap();
            let kind = r.headers()[reqwest::header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .to_string();
            (r.status().as_u16(), kind, r.text().await.unwrap())
        }
    };
    let (code, kind, page) = get("/").await;
    assert_eq!((code, kind.starts_with("text/html")), (200, true));
    assert!(page.contains("Orc playground"));
    // Everything the page loads comes from this server.
    assert!(!page.contains("https://"), "{page}");
    for script in ["codemirror.js", "orc-mode.js", "app.js"] {
        assert!(page.contains(&format!("/assets/{script}")));
        let (code, kind, text) = get(&format!("/assets/{script}")).await;
        assert_eq!((code, kind.starts_with("text/javascript")), (200, true));
        assert!(text.len() > 1000, "{script}");
    }
    assert_eq!(get("/assets/nothing.js").await.0, 404);
    let (_, _, list) = get("/api/examples").await;
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    let auction = list
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "auction")
        .unwrap();
    assert_eq!(auction["source"].as_str().unwrap(), example("auction"));

    let (code, body) = post_run(&client, &server, "1", "fast", Duration::from_secs(5)).await;
    assert_eq!(code, 400, "{body}");
    let big = format!("{{- {} -}} 1", "x".repeat(300 << 10));
    let (code, body) = post_run(&client, &server, &big, "sim", Duration::from_secs(5)).await;
    assert_eq!(code, 413, "{body}");
    assert!(body.contains("at most"), "{body}");
    let r = client
        .post(server.url("/api/run"))
        .body(vec![0xffu8, 0xfe, 0x31])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    // A sandboxed run: no file or OS site.
    let (_, body) = post_run(
        &client,
        &server,
        "ReadFile(\"/etc/passwd\")",
        "sim",
        Duration::from_secs(5),
    )
    .await;
    let events = parse_events(&body);
    assert_eq!(outcome(&events), "compile-error", "{events:?}");
    assert_eq!(status(&client, &server).await["active_runs"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simulated_time_runs_are_bounded_by_the_wall_clock() {
    let server = Server::start(&["--time-limit", "1s", "--max-steps", "100000000000"]);
    let client = client();
    // Never waits, so its simulated clock stays at 0: only the wall
    // clock can stop it.
    let started = Instant::now();
    let (_, body) = post_run(&client, &server, SPINNER, "sim", Duration::from_secs(20)).await;
    let took = started.elapsed();
    let events = parse_events(&body);
    assert_eq!(outcome(&events), "time-limit", "{events:?}");
    assert!(took >= Duration::from_millis(900), "{took:?}");
    assert!(took < Duration::from_secs(10), "{took:?}");
    // A simulated clock past the time limit is fine: a minute of waiting.
    let (_, body) = post_run(
        &client,
        &server,
        "Rwait(60000) >> 1",
        "sim",
        Duration::from_secs(20),
    )
    .await;
    let events = parse_events(&body);
    assert_eq!(outcome(&events), "halted", "{events:?}");
    assert_eq!(output_lines(&events), ["1"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn site_calls_come_live() {
    let server = Server::start(&[]);
    let client = client();
    let program = "Rwait(200) >> Println(\"fired\") >> Rwait(100000)";
    let mut stream = Stream::open(&client, &server, program, "real").await;
    let events = stream.until("call", Duration::from_secs(10)).await;
    assert!(!events.iter().any(|e| e.name == "end"), "{events:?}");
    let call = &events.iter().find(|e| e.name == "call").unwrap().data;
    assert_eq!(call["text"], "Rwait(200)");
    assert_eq!(call["killed"], false);
    let (made, answered) = (
        call["ms"].as_f64().unwrap(),
        call["end_ms"].as_f64().unwrap(),
    );
    assert!(made < 100.0 && answered >= 200.0, "{call}");
    assert_eq!(status(&client, &server).await["active_runs"], 1);
}
