//! Streamable HTTP in front of rmcp's service: the rules of the MCP transport specification
//! (2025-11-25, "Streamable HTTP") that rmcp 3.11 leaves to the server, and the bounds that keep
//! one server's memory and threads in check.
//!
//! - **Origin.** rmcp validates `Origin` (and `Host`) on every request once it is given a list;
//!   the list is the loopback origins, any port ([`LOOPBACK_ORIGINS`]), plus each
//!   `--allow-origin`. A request without `Origin` (not from a browser) passes, as the
//!   specification allows. A disallowed origin gets 403 before anything else is looked at,
//!   including for the bodies answered here, whose headers rmcp is asked about first.
//! - **Bodies.** A POST body is read by `jsonrpc` first: one that is not JSON gets 400 with a
//!   `-32700` parse error (rmcp answers 415), an invalid request 400 with `-32600`, params that do
//!   not fit a standard method 200 with the `-32602` answer, and a body over 4 MiB 413.
//! - **Sessions.** At most `max_sessions` at once (default [`DEFAULT_MAX_SESSIONS`]): an
//!   `initialize` beyond that gets 503 with a JSON-RPC error saying why. Handshakes are taken
//!   one at a time, so the count is exact. A session with no request for `idle` (default
//!   [`DEFAULT_IDLE`]) is ended by rmcp and its conversation's thread with it; its session file
//!   stays, for `--resume`.
//! - **DELETE.** Ending a session is answered 200 (rmcp says 202, which the official Python SDK
//!   logs as "Session termination failed").
use super::jsonrpc::{self, INVALID_PARAMS, Incoming, MAX_MESSAGE_BYTES, Refusal};
use super::server::Server;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rmcp::model::{ClientJsonRpcMessage, ClientRequest};
use rmcp::transport::StreamableHttpService;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use serde_json::Value as Json;
use std::sync::Arc;
use std::time::Duration;

/// Sessions served at once unless `--max-sessions` says otherwise; each holds a conversation
/// and its thread (some 5 MiB).
pub const DEFAULT_MAX_SESSIONS: usize = 16;

/// How long a session may go without a request before it is ended, unless `--session-idle`.
pub const DEFAULT_IDLE: Duration = Duration::from_secs(600);

/// Pages served from this machine, on any port and either scheme.
pub const LOOPBACK_ORIGINS: [&str; 6] =
    ["http://localhost:*", "https://localhost:*", "http://127.0.0.1:*", "https://127.0.0.1:*", "http://[::1]:*", "https://[::1]:*"];

/// How many sessions, and for how long.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    pub max_sessions: usize,
    pub idle: Duration,
}

impl Default for Bounds {
    fn default() -> Bounds {
        Bounds { max_sessions: DEFAULT_MAX_SESSIONS, idle: DEFAULT_IDLE }
    }
}

/// rmcp's service, the session manager it keeps its sessions in, and the bounds.
pub struct Front {
    pub service: StreamableHttpService<Server, LocalSessionManager>,
    pub sessions: Arc<LocalSessionManager>,
    pub bounds: Bounds,
    handshake: tokio::sync::Mutex<()>,
}

impl Front {
    pub fn new(service: StreamableHttpService<Server, LocalSessionManager>, sessions: Arc<LocalSessionManager>, bounds: Bounds) -> Front {
        Front { service, sessions, bounds, handshake: tokio::sync::Mutex::new(()) }
    }
}

/// The `/mcp` endpoint.
pub fn router(front: Front) -> axum::Router {
    axum::Router::new().route("/mcp", axum::routing::any(serve)).with_state(Arc::new(front))
}

async fn serve(State(front): State<Arc<Front>>, request: Request) -> Response {
    match *request.method() {
        Method::POST => post(&front, request).await,
        Method::DELETE => {
            let mut response = rmcp_answer(&front, request).await;
            if response.status() == StatusCode::ACCEPTED {
                *response.status_mut() = StatusCode::OK;
            }
            response
        }
        _ => rmcp_answer(&front, request).await,
    }
}

async fn rmcp_answer(front: &Front, request: Request) -> Response {
    front.service.handle(request).await.map(Body::new)
}

async fn post(front: &Front, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_MESSAGE_BYTES).await {
        Ok(bytes) => bytes,
        Err(_) => {
            let refusal = Refusal { code: jsonrpc::INVALID_REQUEST, message: "Invalid Request: the body is over the limit of 4 MiB".into(), id: Json::Null };
            return refuse(front, &parts, StatusCode::PAYLOAD_TOO_LARGE, &refusal).await;
        }
    };
    let message = match jsonrpc::read(&bytes) {
        Incoming::Message(message) => message,
        Incoming::Refused(refusal) => {
            // A request answered with an error is still answered: 200, as rmcp does for -32602.
            let status = if refusal.code == INVALID_PARAMS { StatusCode::OK } else { StatusCode::BAD_REQUEST };
            return refuse(front, &parts, status, &refusal).await;
        }
        Incoming::Dropped(refusal) => return refuse(front, &parts, StatusCode::BAD_REQUEST, &refusal).await,
        Incoming::Blank => {
            let refusal = Refusal { code: jsonrpc::PARSE_ERROR, message: "Parse error: the body is empty".into(), id: Json::Null };
            return refuse(front, &parts, StatusCode::BAD_REQUEST, &refusal).await;
        }
    };
    let opens_session = !parts.headers.contains_key("mcp-session-id")
        && matches!(&*message, ClientJsonRpcMessage::Request(r) if matches!(r.request, ClientRequest::InitializeRequest(_)));
    let request = Request::from_parts(parts, Body::from(bytes));
    if !opens_session {
        return rmcp_answer(front, request).await;
    }
    // One handshake at a time: rmcp adds the session before it answers the handshake.
    let _turn = front.handshake.lock().await;
    let open = front.sessions.sessions.read().await.len();
    if open >= front.bounds.max_sessions {
        let id = match &*message {
            ClientJsonRpcMessage::Request(r) => serde_json::to_value(&r.id).unwrap_or(Json::Null),
            _ => Json::Null,
        };
        let message = format!(
            "Server busy: {open} MCP sessions are open, the most this server keeps (--max-sessions {}); end one (HTTP DELETE) or wait until one has had no request for {}.",
            front.bounds.max_sessions,
            spelled(front.bounds.idle)
        );
        tracing::warn!(open, "mcp.http session refused");
        let refusal = Refusal { code: -32000, message, id };
        let (parts, _) = request.into_parts();
        return refuse(front, &parts, StatusCode::SERVICE_UNAVAILABLE, &refusal).await;
    }
    rmcp_answer(front, request).await
}

/// `refusal` as a JSON body with `status`, unless rmcp refuses the request's headers (a
/// disallowed `Origin` or `Host`): asked with the same headers and method OPTIONS, which rmcp
/// answers 405 once the headers pass, and its own answer otherwise.
async fn refuse(front: &Front, parts: &axum::http::request::Parts, status: StatusCode, refusal: &Refusal) -> Response {
    let mut probe = Request::new(Body::empty());
    *probe.method_mut() = Method::OPTIONS;
    *probe.uri_mut() = parts.uri.clone();
    *probe.headers_mut() = parts.headers.clone();
    let answer = rmcp_answer(front, probe).await;
    if answer.status() != StatusCode::METHOD_NOT_ALLOWED {
        return answer;
    }
    tracing::info!(code = refusal.code, message = %refusal.message, "mcp.http refused message");
    (status, [(header::CONTENT_TYPE, "application/json")], refusal.body().to_string()).into_response()
}

/// "10 minutes", "90 seconds".
fn spelled(d: Duration) -> String {
    match d.as_secs() {
        1 => "1 second".into(),
        s if s.is_multiple_of(60) && s >= 120 => format!("{} minutes", s / 60),
        60 => "1 minute".into(),
        s => format!("{s} seconds"),
    }
}

#[cfg(test)]
mod tests {
    use super::spelled;
    use std::time::Duration;

    #[test]
    fn durations_in_words() {
        let said: Vec<String> = [1, 2, 60, 90, 600].map(|s| spelled(Duration::from_secs(s))).to_vec();
        assert_eq!(said, ["1 second", "2 seconds", "1 minute", "90 seconds", "10 minutes"]);
    }
}
