//! `HTTP`: requests over the network, with the reference's interface and a
//! richer call for real use.
//!
//! - `HTTP(url)` and `HTTP(url, {. q = "orc", page = 2 .})` make a
//!   resource (the record's fields become the query string, encoded);
//! - `r.get()` publishes the body of a GET as a string;
//! - `r.post(payload, contentType)` publishes the body of the answer to a
//!   POST;
//! - `r.url` is the resource's URL, query included;
//! - `r.request({. method = "PUT", headers = {. ... .}, body = "...",
//!   timeout = 2000 .})` (every field optional; the headers a record or a
//!   list of `(name, value)` pairs) publishes `{. status = 200, headers =
//!   [("content-type", "text/plain"), ...], body = "..." .}`, whatever the
//!   status (header names in lower case, as HTTP/2 sends them).
//!
//! `get` and `post` fail with an error naming the method, the URL and the
//! status when the answer is not a success (2xx), and with the cause when
//! the request fails (refused, reset, timed out), so `;` and `timeout`
//! compose with them. A body is read up to the limit of a string
//! ([`MAX_STRING_BYTES`]).
//!
//! The requests of one run share a connection pool (a client kept in the
//! run's [`RunLocal`](crate::value::site::RunLocal), dropped with the
//! run). A request is a task on the run's tokio runtime: killing the
//! calling token drops it, which closes its connection, so the server
//! sees the client go.

use super::{failed, one_and_maybe, plain, record, Call};
use crate::sites::object::{method, Entry, Kind, Object};
use crate::sites::util::site;
use crate::sites::util::{expected, str_arg};
use crate::value::limits::MAX_STRING_BYTES;
use crate::value::site::{Outcome, SiteCx, SiteError};
use crate::value::Value;
use std::sync::Arc;
use std::time::Duration;

/// The constructor: `HTTP(url)` or `HTTP(url, query)`.
pub struct Http;

site!(impl Http as "HTTP" {
    fn call(&self, args: &[Value], _cx: &mut SiteCx<'_>) -> Outcome {
        resource(args).map_or_else(Outcome::Error, Outcome::Publish)
    }
});

fn resource(args: &[Value]) -> Result<Value, SiteError> {
    let (url, query) = one_and_maybe("HTTP", "a URL and maybe a query record", args)?;
    let mut url = reqwest::Url::parse(str_arg("HTTP", url)?)
        .map_err(|e| SiteError::new(format!("HTTP: not a URL: {e}")))?;
    match query {
        None => {}
        Some(Value::Record(r)) => {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &r.fields {
                pairs.append_pair(name, &plain(value));
            }
        }
        Some(other) => return Err(expected("HTTP", "a query record", other)),
    }
    Ok(Object::value(Resource {
        url: url.to_string(),
    }))
}

/// A resource: a URL to make requests to.
pub struct Resource {
    url: String,
}

impl Kind for Resource {
    const NAME: &'static str = "HTTP";

    fn methods() -> &'static [Entry<Self>] {
        static METHODS: [Entry<Resource>; 3] = [
            method!("HTTP", "get", |r, a, cx| start(r, a, cx, Resource::get)),
            method!("HTTP", "post", |r, a, cx| start(r, a, cx, Resource::post)),
            method!("HTTP", "request", |r, a, cx| start(
                r,
                a,
                cx,
                Resource::request
            )),
        ];
        &METHODS
    }

    fn display(&self) -> String {
        format!("<HTTP {}>", self.url)
    }

    fn other_member(this: &Arc<Self>, name: &str) -> Option<Value> {
        (name == "url").then(|| Value::str(&this.url))
    }
}

/// The run's connection pool.
struct Pool(reqwest::Client);

/// Starts a request made by `make` with the run's client.
fn start(
    r: &Arc<Resource>,
    args: &[Value],
    cx: &mut SiteCx<'_>,
    make: fn(&Resource, &reqwest::Client, &[Value]) -> Result<Call, SiteError>,
) -> Outcome {
    let client = match cx.run_local() {
        Some(locals) => locals
            .get_or_insert_with(|| Pool(reqwest::Client::new()))
            .0
            .clone(),
        None => reqwest::Client::new(),
    };
    super::spawn(cx, make(r, &client, args))
}

/// What a request is for in messages: "GET http://...".
fn what(method: &reqwest::Method, url: &str) -> String {
    format!("HTTP {method} {url}")
}

impl Resource {
    fn get(&self, client: &reqwest::Client, args: &[Value]) -> Result<Call, SiteError> {
        crate::sites::util::arity::<0>("HTTP.get", args)?;
        let request = client.get(&self.url);
        let what = what(&reqwest::Method::GET, &self.url);
        Ok(Box::pin(body_of_success(request, what)))
    }

    fn post(&self, client: &reqwest::Client, args: &[Value]) -> Result<Call, SiteError> {
        let [payload, content_type] = crate::sites::util::arity::<2>("HTTP.post", args)?;
        let request = client
            .post(&self.url)
            .header(
                reqwest::header::CONTENT_TYPE,
                str_arg("HTTP.post", content_type)?,
            )
            .body(plain(payload));
        let what = what(&reqwest::Method::POST, &self.url);
        Ok(Box::pin(body_of_success(request, what)))
    }

    fn request(&self, client: &reqwest::Client, args: &[Value]) -> Result<Call, SiteError> {
        let options = match args {
            [] => None,
            [Value::Record(r)] => Some(r.clone()),
            [other] => return Err(expected("HTTP.request", "a record of options", other)),
            _ => return Err(SiteError::new("HTTP.request expects one record of options")),
        };
        let field = |name: &str| options.as_ref().and_then(|o| o.get(name));
        let method = match field("method") {
            None => reqwest::Method::GET,
            Some(m) => reqwest::Method::from_bytes(
                str_arg("HTTP.request's method", m)?
                    .to_ascii_uppercase()
                    .as_bytes(),
            )
            .map_err(|_| SiteError::new(format!("HTTP.request: not a method: {m}")))?,
        };
        let mut request = client.request(method.clone(), &self.url);
        match field("headers") {
            None => {}
            Some(Value::Record(headers)) => {
                for (name, value) in &headers.fields {
                    request = request.header(name.as_ref(), plain(value));
                }
            }
            Some(Value::List(pairs)) => {
                for pair in pairs.iter() {
                    match &pair {
                        Value::Tuple(t) if t.len() == 2 => {
                            request = request.header(plain(&t[0]), plain(&t[1]));
                        }
                        other => {
                            return Err(expected(
                                "HTTP.request's headers",
                                "(name, value) pairs",
                                other,
                            ))
                        }
                    }
                }
            }
            Some(other) => {
                return Err(expected(
                    "HTTP.request's headers",
                    "a record or a list of (name, value) pairs",
                    other,
                ))
            }
        }
        if let Some(body) = field("body") {
            request = request.body(plain(body));
        }
        match field("timeout") {
            None => {}
            Some(Value::Int(ms)) if *ms >= 0 => {
                request = request.timeout(Duration::from_millis(*ms as u64));
            }
            Some(other) => {
                return Err(expected(
                    "HTTP.request's timeout",
                    "a number of milliseconds",
                    other,
                ))
            }
        }
        let what = what(&method, &self.url);
        Ok(Box::pin(async move {
            let response = match request.send().await {
                Ok(r) => r,
                Err(e) => return failed(format!("{what}: {}", cause(&e))),
            };
            let status = response.status().as_u16();
            let headers: Vec<Value> = response
                .headers()
                .iter()
                .map(|(n, v)| {
                    Value::tuple(vec![
                        Value::str(n.as_str()),
                        Value::str(&String::from_utf8_lossy(v.as_bytes())),
                    ])
                })
                .collect();
            match read_body(response, &what).await {
                Ok(body) => Outcome::Publish(record(vec![
                    ("status", Value::Int(status.into())),
                    ("headers", Value::list(headers)),
                    ("body", Value::str(&body)),
                ])),
                Err(e) => e,
            }
        }))
    }
}

/// Sends `request` and publishes the body of a successful answer; fails
/// on any other status or on a network error.
async fn body_of_success(request: reqwest::RequestBuilder, what: String) -> Outcome {
    let response = match request.send().await {
        Ok(r) => r,
        Err(e) => return failed(format!("{what}: {}", cause(&e))),
    };
    let status = response.status();
    if !status.is_success() {
        return failed(format!("{what}: {status}"));
    }
    match read_body(response, &what).await {
        Ok(body) => Outcome::Publish(Value::str(&body)),
        Err(e) => e,
    }
}

/// The body as text (invalid UTF-8 replaced), refused past the limit of a
/// string.
async fn read_body(mut response: reqwest::Response, what: &str) -> Result<String, Outcome> {
    let mut bytes = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if bytes.len() + chunk.len() > MAX_STRING_BYTES {
                    return Err(failed(format!(
                        "{what}: the body is longer than the limit of {MAX_STRING_BYTES} bytes for strings"
                    )));
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(e) => return Err(failed(format!("{what}: {}", cause(&e)))),
        }
    }
    Ok(match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

/// A request error and its causes, innermost last: "error sending
/// request: connection refused".
fn cause(e: &reqwest::Error) -> String {
    let mut text = if e.is_timeout() {
        "timed out".to_string()
    } else {
        e.to_string()
    };
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let more = s.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = s.source();
    }
    // reqwest names the URL itself; the message names it once, first.
    text.replace(
        &format!(" for url ({})", e.url().map_or("", |u| u.as_str())),
        "",
    )
}
