//! What one incoming MCP message is, by the rules of JSON-RPC 2.0, before rmcp sees it.
//!
//! rmcp 3.11 drops a message that is not JSON without a word (its stdio transport, following
//! rust-sdk issue #938), answers a well-formed message of the wrong shape with a bare "Invalid
//! request", and reads a request for a standard method whose params do not fit as a custom
//! request, which the handler then calls an unknown method (`-32601 "tools/call"`). A client
//! waits forever on the first and is misled by the others, so every message is read here first
//! ([JSON-RPC 2.0](https://www.jsonrpc.org/specification), sections 4, 5 and 5.1):
//!
//! - not UTF-8, not JSON (cut off, `1e309`, a lone surrogate): `-32700` Parse error, id null;
//! - JSON that is not a request, notification or response object (a batch, which MCP does not
//!   use since 2025-06-18, a missing or wrong `jsonrpc`, an `id` that is not a string or a whole
//!   number, a `method` that is not a string): `-32600` Invalid Request, with the id when it
//!   can be read, else null;
//! - a request for a standard MCP method whose params do not fit (`tools/call` with
//!   `"arguments": [1,2]`, a string, or no `name`): `-32602` Invalid params, with the reason.
//!
//! A notification is never answered (JSON-RPC 2.0, section 4.1); one whose params do not fit is
//! dropped and logged. Messages are one per line, so [`MAX_MESSAGE_BYTES`] bounds what is read.
use crate::input::cut;
use rmcp::model::{
    CallToolRequest, ClientJsonRpcMessage, CompleteRequest, GetPromptRequest, InitializeRequest, ListPromptsRequest, ListResourceTemplatesRequest,
    ListResourcesRequest, ListToolsRequest, PingRequest, ReadResourceRequest,
};
use serde_json::{Map, Value as Json, json};

/// The longest message read, in bytes (4 MiB); the longest this server's tools take is a
/// `converse` text, under 8 KiB (`input::MAX_LINE_BYTES`).
pub const MAX_MESSAGE_BYTES: usize = 4 << 20;

pub const PARSE_ERROR: i64 = -32700;
pub const INVALID_REQUEST: i64 = -32600;
pub const INVALID_PARAMS: i64 = -32602;

/// One message as read.
#[derive(Debug)]
pub enum Incoming {
    /// A message rmcp serves.
    Message(Box<ClientJsonRpcMessage>),
    /// A message answered here with an error, never passed on.
    Refused(Refusal),
    /// A notification that cannot be read: over stdio it is logged, never answered; over HTTP
    /// the POST is refused with it (MCP transports, "Sending messages to the server").
    Dropped(Refusal),
    /// A blank line between messages.
    Blank,
}

/// A JSON-RPC error response made here.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub code: i64,
    pub message: String,
    /// The request's id when it could be read, else `null`.
    pub id: Json,
}

impl Refusal {
    /// `{"jsonrpc": "2.0", "id": …, "error": {"code": …, "message": …}}`
    pub fn body(&self) -> Json {
        json!({"jsonrpc": "2.0", "id": self.id, "error": {"code": self.code, "message": self.message}})
    }

    /// A message over [`MAX_MESSAGE_BYTES`], which is not read at all.
    pub fn too_long(bytes: usize) -> Refusal {
        Refusal { code: INVALID_REQUEST, message: format!("Invalid Request: the message has {bytes} bytes; the limit is 4 MiB"), id: Json::Null }
    }
}

/// Reads one line of the stream (without its line break), or one HTTP request body.
pub fn read(bytes: &[u8]) -> Incoming {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Incoming::Blank;
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => return refuse(PARSE_ERROR, format!("Parse error: the message is not UTF-8 (at byte {})", e.valid_up_to() + 1), Json::Null),
    };
    let value: Json = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(e) => return refuse(PARSE_ERROR, format!("Parse error: not JSON: {e}"), Json::Null),
    };
    let object = match value {
        Json::Object(object) => object,
        Json::Array(_) => return refuse(INVALID_REQUEST, "Invalid Request: batches are not part of MCP; send one message per line".into(), Json::Null),
        other => return refuse(INVALID_REQUEST, format!("Invalid Request: a message is a JSON object, not {}", shown(&other)), Json::Null),
    };
    classify(object)
}

fn classify(object: Map<String, Json>) -> Incoming {
    let id = match object.get("id") {
        None => None,
        Some(id @ Json::String(_)) => Some(id.clone()),
        Some(id @ Json::Number(n)) if n.is_i64() => Some(id.clone()),
        Some(other) => return refuse(INVALID_REQUEST, format!("Invalid Request: `id` must be a string or a whole number, not {}", shown(other)), Json::Null),
    };
    let answer_to = id.clone().unwrap_or(Json::Null);
    if object.get("jsonrpc").and_then(Json::as_str) != Some("2.0") {
        return refuse(INVALID_REQUEST, "Invalid Request: `jsonrpc` must be \"2.0\"".into(), answer_to);
    }
    let method = match object.get("method") {
        None => None,
        Some(Json::String(m)) => Some(m.clone()),
        Some(other) => return refuse(INVALID_REQUEST, format!("Invalid Request: `method` must be a string, not {}", shown(other)), answer_to),
    };
    let Some(method) = method else {
        return response(object, answer_to);
    };
    let notification = id.is_none();
    let params = object.get("params").cloned();
    if let Some(params) = params.as_ref().filter(|p| !p.is_object()) {
        return bad_params(notification, format!("Invalid params: {method} takes its params as an object, not {}", shown(params)), answer_to);
    }
    if let Some(reason) = params_problem(&method, params) {
        return bad_params(notification, format!("Invalid params: {method}: {reason}"), answer_to);
    }
    match serde_json::from_value::<ClientJsonRpcMessage>(Json::Object(object)) {
        Ok(message) => Incoming::Message(Box::new(message)),
        Err(e) => bad_params(notification, format!("Invalid params: {method}: {e}"), answer_to),
    }
}

/// A message without `method`: the client's answer to a request of the server's (elicitation).
fn response(object: Map<String, Json>, id: Json) -> Incoming {
    if id.is_null() || object.contains_key("result") == object.contains_key("error") {
        return refuse(
            INVALID_REQUEST,
            "Invalid Request: a message needs `method` (a request or notification), or `id` and one of `result` or `error` (a response)".into(),
            id,
        );
    }
    match serde_json::from_value::<ClientJsonRpcMessage>(Json::Object(object)) {
        Ok(message) => Incoming::Message(Box::new(message)),
        Err(e) => {
            Incoming::Dropped(Refusal { code: INVALID_REQUEST, message: format!("Invalid Request: a response that cannot be read: {e}"), id: Json::Null })
        }
    }
}

/// Why `params` do not fit `method`, when it is a standard MCP method and they do not; the
/// reason is rmcp's own reading of the method's request type, put in words for `tools/call`.
fn params_problem(method: &str, params: Option<Json>) -> Option<String> {
    if method == "tools/call" {
        let Some(params) = params.as_ref().and_then(Json::as_object) else {
            return Some("needs params: {\"name\": the tool, \"arguments\": {…}}".into());
        };
        match params.get("name") {
            None => return Some("needs `name`, the tool to call".into()),
            Some(Json::String(_)) => {}
            Some(other) => return Some(format!("`name` must be the tool's name as a string, not {}", shown(other))),
        }
        match params.get("arguments") {
            None | Some(Json::Object(_) | Json::Null) => {}
            Some(other) => return Some(format!("`arguments` must be an object of argument names and values, not {}", shown(other))),
        }
    }
    let mut request = Map::new();
    request.insert("method".into(), Json::String(method.into()));
    if let Some(params) = params {
        request.insert("params".into(), params);
    }
    let request = Json::Object(request);
    macro_rules! read_as {
        ($($name:literal => $ty:ty),* $(,)?) => {
            match method {
                $($name => serde_json::from_value::<$ty>(request).err(),)*
                _ => None,
            }
        };
    }
    let problem = read_as!(
        "initialize" => InitializeRequest,
        "ping" => PingRequest,
        "tools/call" => CallToolRequest,
        "tools/list" => ListToolsRequest,
        "prompts/get" => GetPromptRequest,
        "prompts/list" => ListPromptsRequest,
        "resources/list" => ListResourcesRequest,
        "resources/templates/list" => ListResourceTemplatesRequest,
        "resources/read" => ReadResourceRequest,
        "completion/complete" => CompleteRequest,
    );
    problem.map(|e| e.to_string())
}

fn refuse(code: i64, message: String, id: Json) -> Incoming {
    Incoming::Refused(Refusal { code, message, id })
}

fn bad_params(notification: bool, message: String, id: Json) -> Incoming {
    let refusal = Refusal { code: INVALID_PARAMS, message, id };
    if notification { Incoming::Dropped(refusal) } else { Incoming::Refused(refusal) }
}

/// A JSON value as the client sent it, cut to 40 characters.
fn shown(value: &Json) -> String {
    let kind = match value {
        Json::Null => return "null".into(),
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    };
    format!("{kind} ({})", cut(&value.to_string(), 40))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rmcp::model::ClientRequest;

    /// Whether rmcp serves `message` as a request of a standard method.
    fn is_standard_request(message: &ClientJsonRpcMessage) -> bool {
        matches!(message, ClientJsonRpcMessage::Request(r) if !matches!(r.request, ClientRequest::CustomRequest(_)))
    }

    fn refusal(line: &str) -> Refusal {
        match read(line.as_bytes()) {
            Incoming::Refused(r) => r,
            other => panic!("{line}: {other:?}"),
        }
    }

    #[test]
    fn bad_json_is_a_parse_error_with_id_null() {
        for line in [
            r#"{"jsonrpc":"2.0","id":1,"method":"tools/li"#,
            r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"find-cheapest","arguments":{"ram":1e309}}}"#,
            r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"\ud800"}}"#,
            "nonsense",
        ] {
            let r = refusal(line);
            assert_eq!((r.code, &r.id), (PARSE_ERROR, &Json::Null), "{line}");
            assert!(r.message.starts_with("Parse error: not JSON: "), "{}", r.message);
        }
        let r = match read(b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"p\xffing\"}") {
            Incoming::Refused(r) => r,
            other => panic!("{other:?}"),
        };
        assert_eq!((r.code, r.message.as_str()), (PARSE_ERROR, "Parse error: the message is not UTF-8 (at byte 36)"));
    }

    #[test]
    fn a_message_of_the_wrong_shape_is_an_invalid_request() {
        let cases = [
            (r#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#, Json::Null, "batches"),
            ("3", Json::Null, "not a number (3)"),
            (r#"{"id":1,"method":"ping"}"#, json!(1), "`jsonrpc`"),
            (r#"{"jsonrpc":"1.0","id":"a","method":"ping"}"#, json!("a"), "`jsonrpc`"),
            (r#"{"jsonrpc":"2.0","id":1.5,"method":"ping"}"#, Json::Null, "`id` must be a string or a whole number, not a number (1.5)"),
            (r#"{"jsonrpc":"2.0","id":null,"method":"ping"}"#, Json::Null, "whole number, not null"),
            (r#"{"jsonrpc":"2.0","id":1,"method":7}"#, json!(1), "`method` must be a string"),
            (r#"{"jsonrpc":"2.0","id":1}"#, json!(1), "needs `method`"),
        ];
        for (line, id, says) in cases {
            let r = refusal(line);
            assert_eq!((r.code, &r.id), (INVALID_REQUEST, &id), "{line}");
            assert!(r.message.contains(says), "{line}: {}", r.message);
        }
    }

    #[test]
    fn params_that_do_not_fit_a_standard_method_are_invalid_params_with_the_reason() {
        let call = |params: &str| format!(r#"{{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{params}}}"#);
        let cases = [
            (call(r#"{"name":"show-config","arguments":[1,2]}"#), "`arguments` must be an object of argument names and values, not an array ([1,2])"),
            (call(r#"{"name":"show-config","arguments":"MinCount=2"}"#), "not a string (\"MinCount=2\")"),
            (call(r#"{"arguments":{}}"#), "tools/call: needs `name`, the tool to call"),
            (call(r#"{"name":5}"#), "`name` must be the tool's name as a string, not a number (5)"),
            (call("[1]"), "takes its params as an object, not an array ([1])"),
            (r#"{"jsonrpc":"2.0","id":7,"method":"tools/call"}"#.into(), "needs params"),
            (r#"{"jsonrpc":"2.0","id":7,"method":"initialize","params":{}}"#.into(), "initialize: missing field"),
        ];
        for (line, says) in cases {
            let r = refusal(&line);
            assert_eq!((r.code, &r.id), (INVALID_PARAMS, &json!(7)), "{line}");
            assert!(r.message.contains(says), "{line}: {}", r.message);
        }
        let long = call(&format!(r#"{{"name":"x","arguments":"{}"}}"#, "a".repeat(5000)));
        assert!(refusal(&long).message.len() < 200);
    }

    #[test]
    fn good_messages_pass_and_notifications_are_never_answered() {
        for line in [
            r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"show-config","arguments":{}}}"#,
            r#"{"jsonrpc":"2.0","id":"x","method":"tools/list"}"#,
            r#"{"jsonrpc":"2.0","id":2,"method":"ping"}"#,
        ] {
            assert!(matches!(read(line.as_bytes()), Incoming::Message(m) if is_standard_request(&m)), "{line}");
        }
        assert!(matches!(read(br#"{"jsonrpc":"2.0","id":3,"method":"no/such"}"#), Incoming::Message(m) if !is_standard_request(&m)));
        assert!(matches!(read(br#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#), Incoming::Message(_)));
        assert!(matches!(read(br#"{"jsonrpc":"2.0","method":"tools/call","params":[1]}"#), Incoming::Dropped(_)));
        assert!(matches!(read(br#"{"jsonrpc":"2.0","id":4,"result":{}}"#), Incoming::Message(_)));
        assert!(matches!(read(b"  \r"), Incoming::Blank));
        assert!(matches!(read(b"\xef\xbb\xbf{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}"), Incoming::Message(_)));
    }
}
