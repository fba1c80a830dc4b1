//! JSON over HTTP to a model server, bounded by a timeout and cancelled by Ctrl-C. The client
//! and its runtime are made on the first request, so a session that never asks a model never
//! pays for them.
//!
//! reqwest on a current-thread tokio runtime; errors name the server. `check_url` checks model URLs
//! at start.
use super::LlmError;
use std::sync::OnceLock;
use std::time::Duration;

/// How much of an error body a message quotes.
const BODY_EXCERPT: usize = 300;

pub struct Http {
    timeout: Duration,
    parts: OnceLock<(tokio::runtime::Runtime, reqwest::Client)>,
}

impl Http {
    pub fn new(timeout: Duration) -> Http {
        Http { timeout, parts: OnceLock::new() }
    }

    fn parts(&self) -> Result<&(tokio::runtime::Runtime, reqwest::Client), LlmError> {
        if let Some(parts) = self.parts.get() {
            return Ok(parts);
        }
        let runtime =
            tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| LlmError::Setup(format!("cannot start the HTTP runtime: {e}")))?;
        let client = reqwest::Client::builder()
            .user_agent(concat!("aws-agent/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| LlmError::Setup(format!("cannot set up the HTTP client: {e}")))?;
        Ok(self.parts.get_or_init(|| (runtime, client)))
    }

    /// POSTs `body` and returns the reply's JSON; every way this can fail is an [`LlmError`]
    /// naming `url`, and none takes longer than the timeout.
    pub fn post_json(&self, url: &str, bearer: Option<&str>, body: &serde_json::Value) -> Result<serde_json::Value, LlmError> {
        let (runtime, client) = self.parts()?;
        let mut request = client.post(url).json(body);
        if let Some(key) = bearer {
            request = request.bearer_auth(key);
        }
        let timeout = self.timeout;
        let exchange = async {
            let response = request.send().await.map_err(|e| failure(url, timeout, e))?;
            let status = response.status();
            let text = response.text().await.map_err(|e| failure(url, timeout, e))?;
            if !status.is_success() {
                return Err(LlmError::Status { url: url.into(), status: status.as_u16(), body: excerpt(&text) });
            }
            serde_json::from_str(&text).map_err(|e| LlmError::Malformed { url: url.into(), reason: format!("not JSON ({e}): {}", excerpt(&text)) })
        };
        runtime.block_on(async {
            tokio::select! {
                outcome = tokio::time::timeout(timeout, exchange) => outcome.unwrap_or_else(|_| Err(LlmError::Timeout { url: url.into(), timeout })),
                _ = tokio::signal::ctrl_c() => Err(LlmError::Cancelled),
            }
        })
    }
}

/// A URL is refused at start, not at the first turn.
pub fn check_url(url: &str) -> Result<(), LlmError> {
    match reqwest::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.has_host() => Ok(()),
        Ok(u) => Err(LlmError::Setup(format!("model URL {url:?} must be http:// or https://, not {}://", u.scheme()))),
        Err(e) => Err(LlmError::Setup(format!("model URL {url:?} is not a URL: {e}"))),
    }
}

fn failure(url: &str, timeout: Duration, e: reqwest::Error) -> LlmError {
    if e.is_timeout() {
        return LlmError::Timeout { url: url.into(), timeout };
    }
    LlmError::Unreachable { url: url.into(), reason: crate::cause::innermost(&e) }
}

/// `text` on one line, cut short enough to quote in a message.
pub fn excerpt(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(BODY_EXCERPT) {
        Some((cut, _)) => format!("{}…", &one_line[..cut]),
        None if one_line.is_empty() => "(empty body)".into(),
        None => one_line,
    }
}
