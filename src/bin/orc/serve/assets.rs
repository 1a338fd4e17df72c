//! The playground's page and its scripts, built into the binary
//! (`include_bytes!` of `assets/`), so that `orc serve` needs no files and
//! no network at run time: the page loads nothing from elsewhere.
//!
//! `assets/vendor/codemirror.js` is CodeMirror 6, bundled once by
//! `assets/build.sh` and checked in; the rest is ours.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// Includes `assets/NAME`.
macro_rules! asset {
    ($name:literal) => {
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/", $name))
    };
}

/// The files under `/assets/`: name, content type, bytes.
const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "codemirror.js",
        "text/javascript; charset=utf-8",
        asset!("vendor/codemirror.js"),
    ),
    (
        "orc-mode.js",
        "text/javascript; charset=utf-8",
        asset!("orc-mode.js"),
    ),
    ("app.js", "text/javascript; charset=utf-8", asset!("app.js")),
    ("style.css", "text/css; charset=utf-8", asset!("style.css")),
];

/// `GET /`: the page.
pub async fn index() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        &asset!("index.html")[..],
    )
        .into_response()
}

/// `GET /assets/{name}`.
pub async fn asset(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, kind, bytes)) => (
            [
                (header::CONTENT_TYPE, *kind),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            *bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "no such asset").into_response(),
    }
}
