//! `aws-agent mcp`: the intents served to other agents over the Model Context Protocol, with
//! rmcp (the official Rust SDK), over stdio or streamable HTTP.
//!
//! Every MCP session gets a `Session` of its own on a worker thread (`worker`), saved to a
//! session file like the REPL's: `mcp-session.json` in the state directory over stdio,
//! `mcp-session-N.json` for the N-th HTTP session since the server started. `--resume` restores
//! it. stdout carries the protocol over stdio, so nothing else is ever printed there: the
//! console of each session is a buffer read back into tool results, and logs go to the log file
//! and stderr.
//!
//! Every message is read by the rules of JSON-RPC 2.0 before rmcp sees it (`jsonrpc`), so none
//! goes unanswered: over stdio by `stdio`, over HTTP by `http`, which also checks `Origin`,
//! bounds the sessions and ends idle ones.
mod elicit;
mod http;
pub mod jsonrpc;
mod server;
mod stdio;
mod tools;
mod worker;

pub use http::{Bounds, DEFAULT_IDLE, DEFAULT_MAX_SESSIONS, LOOPBACK_ORIGINS};
pub use server::Policy;

use crate::plugin::Registry;
use crate::session::{Options, Session};
use rmcp::ServiceExt;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService, session::local::LocalSessionManager};
use server::Server;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tools::Tools;
use worker::Worker;

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("{0}")]
    Session(String),
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
    #[error("cannot listen on {addr}: {source}")]
    Listen { addr: SocketAddr, source: std::io::Error },
    #[error("MCP over {transport}: {detail}")]
    Protocol { transport: &'static str, detail: String },
}

/// How to serve.
#[derive(Clone)]
pub struct Serve {
    /// The settings each session starts from (its console must be a buffer).
    pub session: Options,
    pub policy: Policy,
    /// Restore each session's file instead of starting afresh.
    pub resume: bool,
    pub state_dir: PathBuf,
}

impl Serve {
    /// Starts the session that `file_name` keeps, on its own thread.
    fn worker(&self, file_name: String) -> Result<Worker, String> {
        let (options, resume, path) = (self.session.clone(), self.resume, self.state_dir.join(file_name));
        Worker::spawn("mcp-session".into(), move || {
            let (mut session, errors) = Session::start(options).map_err(|e| e.to_string())?;
            for e in errors {
                tracing::warn!(error = %e, "plugin skipped");
            }
            session.remember_in(path, resume).map_err(|e| e.to_string())?;
            Ok(session)
        })
    }
}

/// Serves the intents `registry` holds (every session loads the same plugins) over
/// stdin/stdout until the client closes them.
pub fn serve_stdio(serve: Serve, registry: &Registry) -> Result<(), ServeError> {
    let tools = Arc::new(Tools::of(registry));
    let worker = serve.worker("mcp-session.json".into()).map_err(ServeError::Session)?;
    let server = Server::new(worker, tools, serve.policy);
    runtime()?.block_on(async move {
        let protocol = |e: &dyn std::fmt::Display| ServeError::Protocol { transport: "stdio", detail: e.to_string() };
        let (read, write) = rmcp::transport::stdio_pipes();
        let running = server.serve(stdio::Stdio::new(read, write)).await.map_err(|e| protocol(&e))?;
        running.waiting().await.map_err(|e| protocol(&e))?;
        Ok(())
    })
}

/// Serves the intents `registry` holds over streamable HTTP at `http://ADDR/mcp` until Ctrl-C. Only loopback host names are
/// accepted in requests unless `addr` itself is another address (rmcp's DNS-rebinding guard), and
/// only loopback origins and `allowed_origins` (`--allow-origin`, e.g. `https://app.example.com`,
/// `http://localhost:*`) from browsers; `bounds` caps the sessions and ends idle ones.
pub fn serve_http(serve: Serve, registry: &Registry, addr: SocketAddr, allowed_origins: &[String], bounds: Bounds) -> Result<(), ServeError> {
    let tools = Arc::new(Tools::of(registry));
    let sessions = AtomicUsize::new(0);
    let policy = serve.policy;
    let factory = move || {
        let n = sessions.fetch_add(1, Ordering::Relaxed) + 1;
        let worker = serve.worker(format!("mcp-session-{n}.json")).map_err(std::io::Error::other)?;
        Ok(Server::new(worker, tools.clone(), policy))
    };
    let mut config = StreamableHttpServerConfig::default();
    if !addr.ip().is_loopback() {
        let hosts: Vec<String> = config.allowed_hosts.iter().cloned().chain([addr.ip().to_string()]).collect();
        config = config.with_allowed_hosts(hosts);
    }
    let origins: Vec<String> = LOOPBACK_ORIGINS.iter().map(|o| o.to_string()).chain(allowed_origins.iter().cloned()).collect();
    config = config.with_allowed_origins(origins);
    let mut sessions = LocalSessionManager::default();
    sessions.session_config.keep_alive = Some(bounds.idle);
    let sessions = Arc::new(sessions);
    let service = StreamableHttpService::new(factory, sessions.clone(), config);
    let router = http::router(http::Front::new(service, sessions, bounds));
    runtime()?.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|source| ServeError::Listen { addr, source })?;
        let bound = listener.local_addr().map_err(|source| ServeError::Listen { addr, source })?;
        eprintln!("aws-agent MCP server: http://{bound}/mcp");
        tracing::info!(%bound, "mcp.http listening");
        let stop = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        axum::serve(listener, router).with_graceful_shutdown(stop).await.map_err(|e| ServeError::Protocol { transport: "HTTP", detail: e.to_string() })
    })
}

fn runtime() -> Result<tokio::runtime::Runtime, ServeError> {
    tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(ServeError::Runtime)
}
