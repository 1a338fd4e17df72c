//! 1,000 concurrent GETs to a local server (`examples/support/http_server.rs`,
//! on 127.0.0.1): an Orc program against a tokio program using the same
//! client (reqwest, one client for all the requests, on a current-thread
//! runtime, as a run uses). Each side runs 5 times in turn; prints the
//! median wall times and their ratio. Run with
//! `cargo bench --bench http_load`.

#[path = "../examples/support/http_server.rs"]
mod http_server;

use orc::services::Capability;
use orc::{Engine, RunOptions};
use std::time::{Duration, Instant};

const REQUESTS: usize = 1000;

fn orc_run(engine: &Engine, program: &orc::Compiled) -> Duration {
    let start = Instant::now();
    let report = engine.execute_blocking(program, RunOptions::new()).finish();
    let took = start.elapsed();
    assert_eq!(
        report
            .publications
            .iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>(),
        [REQUESTS.to_string()]
    );
    took
}

fn tokio_run(url: &str) -> Duration {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let start = Instant::now();
    let ok = rt.block_on(async {
        let client = reqwest::Client::new();
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..REQUESTS {
            let (client, url) = (client.clone(), url.to_string());
            set.spawn(async move {
                let body = client
                    .get(&url)
                    .send()
                    .await?
                    .error_for_status()?
                    .text()
                    .await?;
                Ok::<_, reqwest::Error>(body == "hello")
            });
        }
        let mut ok = 0;
        while let Some(r) = set.join_next().await {
            if matches!(r, Ok(Ok(true))) {
                ok += 1;
            }
        }
        ok
    });
    let took = start.elapsed();
    assert_eq!(ok, REQUESTS);
    took
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn main() {
    let server = http_server::Server::start();
    let url = server.url("/hello");
    let mut engine = Engine::new();
    engine.grant(Capability::Net);
    let program = engine
        .compile(
            "load.orc",
            &format!(
                r#"val ok = Counter(0) #
                   (upto({REQUESTS}) >> HTTP("{url}").get() >"hello"> ok.inc() >> stop) ; ok.value()"#
            ),
        )
        .expect("compiles");
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        ours.push(orc_run(&engine, &program));
        theirs.push(tokio_run(&url));
    }
    let (o, t) = (median(ours), median(theirs));
    println!(
        "{REQUESTS} concurrent GETs to 127.0.0.1: orc {:.1} ms, tokio + reqwest {:.1} ms (median of 5; ratio {:.2})",
        o.as_secs_f64() * 1000.0,
        t.as_secs_f64() * 1000.0,
        o.as_secs_f64() / t.as_secs_f64()
    );
}
