//! The playground's page in a real headless Chromium, driven through
//! chromedriver (Debian's `chromium` and `chromium-driver`, which
//! `.ci/run` installs): pick the auction example, run it under simulated
//! time and see its output and timeline; open a never-ending program from
//! a shared link, run it, stop it and see it stopped; see a compile error
//! on the source.
//!
//! Without chromedriver the test says so loudly and passes, except under
//! CI (`CI` set), where the driver is installed and its absence is a
//! failure. `ORC_SCREENSHOT=FILE` saves a screenshot of the auction's run
//! (the README's docs/playground.png is one).

use crate::server::*;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The server's address, for [`drive`] (which runs on its own task).
struct Base(String);

impl Address for Base {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.0)
    }
}

/// chromedriver on PATH, or where Debian puts it.
fn find_driver() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("chromedriver"))
            .find(|p| p.is_file())
    });
    on_path.or_else(|| {
        ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
            .iter()
            .map(PathBuf::from)
            .find(|p| p.is_file())
    })
}

/// A chromedriver process, killed when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_driver(path: &Path) -> Driver {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(path)
        .arg(format!("--port={port}"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver does not listen"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
    }
}

/// base64url without padding, as the page's share links carry a program.
fn base64url(bytes: &[u8]) -> String {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (b as u32) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// Evaluates `script` (a function body returning a value) in the page.
async fn js(client: &Client, script: &str) -> serde_json::Value {
    client.execute(script, vec![]).await.expect(script)
}

/// Waits until `script` returns true.
async fn until(client: &Client, what: &str, within: Duration, script: &str) {
    let started = Instant::now();
    loop {
        if js(client, script).await == json!(true) {
            return;
        }
        if started.elapsed() > within {
            let status = js(
                client,
                "return document.getElementById('status').textContent",
            )
            .await;
            let output = js(client, "return document.getElementById('output').innerText").await;
            panic!("{what}: not within {within:?}; status {status}, output {output}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn outcome_is(client: &Client, outcome: &str, within: Duration) {
    until(
        client,
        &format!("the run ends as {outcome}"),
        within,
        &format!("return document.getElementById('status').dataset.outcome === '{outcome}'"),
    )
    .await;
}

/// Clicks the element `selector` finds.
async fn click(client: &Client, selector: &str) {
    client
        .find(Locator::Css(selector))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

async fn count(client: &Client, selector: &str) -> u64 {
    js(
        client,
        &format!("return document.querySelectorAll('{selector}').length"),
    )
    .await
    .as_u64()
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_runs_an_example_and_stops_a_program() {
    let Some(driver_path) = find_driver() else {
        let message = "chromedriver NOT FOUND: the playground's browser test did not run. \
                       Install Debian's chromium and chromium-driver (.ci/run does).";
        if std::env::var_os("CI").is_some() {
            panic!("{message}");
        }
        eprintln!("\n!!!!!!!!!!\n!!! SKIPPED: {message}\n!!!!!!!!!!\n");
        return;
    };
    let server = Server::start(&[]);
    let driver = start_driver(&driver_path);
    let mut chrome_options = json!({
        "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-dev-shm-usage", "--window-size=1400,900"]
    });
    if Path::new("/usr/bin/chromium").is_file() {
        chrome_options["binary"] = json!("/usr/bin/chromium");
    }
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), chrome_options);
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("a Chromium session");

    // On its own task, so that a failure still ends the browser's session
    // (killing chromedriver alone would leave Chromium running).
    let outcome = tokio::spawn(drive(client.clone(), server.base.clone())).await;
    let _ = client.close().await;
    drop(driver);
    if let Err(failure) = outcome {
        std::panic::resume_unwind(failure.into_panic());
    }
}

/// The page's checks, on the server at `base`.
async fn drive(client: Client, base: String) {
    let (client, server) = (&client, &Base(base));
    let wait = Duration::from_secs(30);
    client.goto(&server.url("/")).await.unwrap();
    until(
        client,
        "the page is ready",
        wait,
        "return document.body.dataset.ready === 'true'",
    )
    .await;

    // The auction example, under simulated time.
    let auction = example("auction");
    let expected = expected_output(&auction);
    client
        .find(Locator::Css("#examples"))
        .await
        .unwrap()
        .select_by_value("auction")
        .await
        .unwrap();
    client
        .find(Locator::Css("#time"))
        .await
        .unwrap()
        .select_by_value("sim")
        .await
        .unwrap();
    let source = js(client, "return window.orcPlayground.source()").await;
    assert_eq!(source.as_str(), Some(auction.as_str()));
    click(client, "#run").await;
    outcome_is(client, "halted", wait).await;
    let output = js(client, "return document.getElementById('output').innerText").await;
    let output = output.as_str().unwrap();
    for line in &expected {
        assert!(output.contains(line.trim()), "{line:?} not in {output}");
    }
    // A mark on the timeline for each printed line, and the site calls
    // (the bidders' waits, the 8 s deadline). The timeline is drawn at
    // the next animation frame after the run's end, which a loaded
    // machine may delay: waited for.
    until(
        client,
        "the timeline drawn with a mark for each printed line",
        wait,
        &format!(
            "return document.querySelectorAll('#timeline .mark-print').length === {}",
            expected.len()
        ),
    )
    .await;
    let prints = count(client, "#timeline .mark-print").await;
    assert_eq!(prints as usize, expected.len(), "{output}");
    let calls = count(client, "#timeline .mark-call").await;
    assert!(calls >= 12, "{calls} site-call marks");
    let status = js(
        client,
        "return document.getElementById('status').textContent",
    )
    .await;
    assert!(
        status.as_str().unwrap().starts_with("Halted at"),
        "{status}"
    );
    if let Some(path) = std::env::var_os("ORC_SCREENSHOT") {
        let png = client.screenshot().await.unwrap();
        std::fs::write(&path, png).unwrap();
        eprintln!("screenshot written to {}", Path::new(&path).display());
    }

    // A never-ending program from a shared link, in real time.
    let ticker = "def tick(n) = Println(\"tick \" + n) >> Rwait(100) >> tick(n + 1)\ntick(0)";
    let link = server.url(&format!(
        "/?shared#code={}&time=real",
        base64url(ticker.as_bytes())
    ));
    client.goto("about:blank").await.unwrap();
    client.goto(&link).await.unwrap();
    until(
        client,
        "the shared page is ready",
        wait,
        "return document.body.dataset.ready === 'true'",
    )
    .await;
    let source = js(client, "return window.orcPlayground.source()").await;
    assert_eq!(source.as_str(), Some(ticker));
    assert_eq!(
        js(client, "return document.getElementById('time').value").await,
        "real"
    );
    click(client, "#run").await;
    until(
        client,
        "three ticks",
        wait,
        "return document.querySelectorAll('#output .ev-print').length >= 3",
    )
    .await;
    click(client, "#stop").await;
    outcome_is(client, "stopped", wait).await;
    let ticks = count(client, "#output .ev-print").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        count(client, "#output .ev-print").await,
        ticks,
        "ticks after the stop"
    );
    let idle = reqwest::Client::new();
    until_idle(&idle, server, Duration::from_secs(10)).await;

    // A compile error is shown on the source.
    let broken = "val x = 1\nx + nosuchname";
    client.goto("about:blank").await.unwrap();
    client
        .goto(&server.url(&format!(
            "/?shared#code={}&time=sim",
            base64url(broken.as_bytes())
        )))
        .await
        .unwrap();
    until(
        client,
        "the page is ready",
        wait,
        "return document.body.dataset.ready === 'true'",
    )
    .await;
    click(client, "#run").await;
    outcome_is(client, "compile-error", wait).await;
    until(
        client,
        "the error is marked on the source",
        wait,
        "return [...document.querySelectorAll('.cm-lintRange-error')].some(e => e.textContent.includes('nosuchname'))",
    )
    .await;
}
