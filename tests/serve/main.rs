//! `orc serve`, the playground: its HTTP API under load and abuse
//! ([`api`]) and its page in a real headless Chromium ([`browser`]). Each
//! test starts its own server ([`server`]) on a free port of 127.0.0.1.

mod api;
mod browser;
mod server;
