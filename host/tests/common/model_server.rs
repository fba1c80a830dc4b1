//! A model server on loopback that answers in whatever protocol a test scripts: each request
//! gets the next scripted reply, and every request is kept for the test to inspect.
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone)]
pub struct Reply {
    pub status: u16,
    pub body: String,
    pub delay: Duration,
}

impl Reply {
    pub fn json(body: serde_json::Value) -> Reply {
        Reply { status: 200, body: body.to_string(), delay: Duration::ZERO }
    }

    /// A text-generation-inference reply.
    pub fn raven(generated: &str) -> Reply {
        Reply::json(serde_json::json!({ "generated_text": generated }))
    }

    /// An OpenAI chat completion calling `function` with `arguments` (sent as a JSON string,
    /// as OpenAI does).
    pub fn tool_call(function: &str, arguments: serde_json::Value) -> Reply {
        Reply::json(serde_json::json!({
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "choices": [{
                "index": 0,
                "finish_reason": "tool_calls",
                "message": {
                    "role": "assistant",
                    "content": null,
                    "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": function, "arguments": arguments.to_string()}}],
                },
            }],
        }))
    }

    pub fn raw(status: u16, body: &str) -> Reply {
        Reply { status, body: body.into(), delay: Duration::ZERO }
    }

    pub fn after(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }
}

pub struct Request {
    pub path: String,
    pub authorization: Option<String>,
    pub body: serde_json::Value,
}

pub struct ModelServer {
    pub url: String,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl ModelServer {
    /// Serves `replies` in order, then answers 503 to anything more.
    pub fn start(replies: Vec<Reply>) -> ModelServer {
        let server = tiny_http::Server::http("127.0.0.1:0").expect("a loopback port");
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let requests = Arc::new(Mutex::new(vec![]));
        let seen = requests.clone();
        std::thread::spawn(move || {
            let mut replies = replies.into_iter();
            for mut request in server.incoming_requests() {
                let mut body = String::new();
                let _ = request.as_reader().read_to_string(&mut body);
                let authorization = request.headers().iter().find(|h| h.field.equiv("Authorization")).map(|h| h.value.to_string());
                let body = serde_json::from_str(&body).unwrap_or(serde_json::Value::String(body));
                seen.lock().unwrap().push(Request { path: request.url().to_string(), authorization, body });
                let reply = replies.next().unwrap_or(Reply::raw(503, "no more scripted replies"));
                std::thread::sleep(reply.delay);
                let header = tiny_http::Header::from_bytes("Content-Type", "application/json").unwrap();
                let _ = request.respond(tiny_http::Response::from_string(reply.body).with_status_code(reply.status).with_header(header));
            }
        });
        ModelServer { url: format!("http://127.0.0.1:{port}"), requests }
    }

    pub fn requests(&self) -> std::sync::MutexGuard<'_, Vec<Request>> {
        self.requests.lock().unwrap()
    }
}

/// A URL nothing listens on: a port that was free a moment ago.
pub fn refused_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}
