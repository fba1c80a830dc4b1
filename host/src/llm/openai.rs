//! OpenAI-compatible chat completions with tools: OpenAI itself, Ollama, vLLM and llama.cpp's
//! server all speak it. Each shortlisted intent becomes a tool whose JSON Schema is generated
//! from its parameter specs; the model answers with `tool_calls`.
//!
//! Each tool's schema (`plugin::schema`, shared with the MCP server) has `additionalProperties: false`. `tool_calls` arguments are read as a JSON
//! string or, as Ollama sends them, an object. The reflection pass sends the first reply back as
//! the assistant turn, answered by a tool message.
use super::http::{Http, excerpt};
use super::prompt::{Prompt, Templates};
use super::{Answer, Arg, LlmError, Pass, Proposed, Protocol, Usage, pycall};
use crate::plugin::schema;
use crate::plugin::spec::IntentSpec;
use serde_json::{Value as Json, json};

/// Longest reply asked for: the longest call the built-in intents take (modify-asg with three
/// zones and a subnet list) is under 120 tokens.
const MAX_REPLY_TOKENS: u32 = 256;

pub struct OpenAi {
    endpoint: String,
    model: String,
    api_key: Option<String>,
    http: Http,
    templates: Templates,
}

impl OpenAi {
    pub fn new(base: String, model: String, api_key: Option<String>, http: Http, templates: Templates) -> Result<OpenAi, LlmError> {
        super::http::check_url(&base)?;
        let endpoint = format!("{}/chat/completions", base.trim_end_matches('/'));
        Ok(OpenAi { endpoint, model, api_key, http, templates })
    }
}

impl Protocol for OpenAi {
    fn ask(&self, prompt: &Prompt<'_>, reflect_on: Option<(&Pass, Option<&str>)>) -> Result<Pass, LlmError> {
        // What is the same from turn to turn comes first (system message, then the tools a chat
        // template renders beside it); the conversation and the query come last, so a server's
        // prefix cache serves everything before them.
        let system = self.templates.render("openai-first.jinja", prompt, minijinja::context! {})?;
        let request = self.templates.render("openai-query.jinja", prompt, minijinja::context! {})?;
        let mut messages = vec![json!({"role": "system", "content": system}), json!({"role": "user", "content": request})];
        if let Some((first, problem)) = reflect_on {
            let first_call = first.answer.to_string();
            let review = self.templates.render("openai-reflect.jinja", prompt, minijinja::context! { first_call, problem })?;
            messages.extend(reflection_messages(&first.reply, &review));
        }
        let tools: Vec<Json> = prompt.intents.iter().map(|s| tool(s)).collect();
        let body = json!({
            "model": self.model,
            "messages": messages,
            "tools": tools,
            "tool_choice": "auto",
            "temperature": 0,
            // A reply that runs on is cut here and reported as cut off, never waited for.
            "max_tokens": MAX_REPLY_TOKENS,
        });
        let request_bytes = body.to_string().len();
        let reply = self.http.post_json(&self.endpoint, self.api_key.as_deref(), &body)?;
        let message = reply
            .pointer("/choices/0/message")
            .filter(|m| m.is_object())
            .ok_or_else(|| LlmError::Malformed { url: self.endpoint.clone(), reason: format!("no choices[0].message in {}", excerpt(&reply.to_string())) })?;
        let answer = match reply.pointer("/choices/0/finish_reason").and_then(Json::as_str) {
            Some("length") => Answer::Unreadable(format!("the reply was cut off after {MAX_REPLY_TOKENS} tokens: {}", excerpt(&message.to_string()))),
            _ => read_message(message),
        };
        Ok(Pass { answer, reply: message.clone(), request_bytes, usage: Usage::of(&reply) })
    }

    fn url(&self) -> &str {
        &self.endpoint
    }
}

/// The first pass's reply sent back as the assistant's turn, followed by the review: as the
/// result of each tool call (the protocol wants every call answered), or as a user message
/// when the model answered in prose.
fn reflection_messages(first: &Json, review: &str) -> Vec<Json> {
    let calls: Vec<Json> = first.get("tool_calls").and_then(Json::as_array).cloned().unwrap_or_default();
    if calls.is_empty() {
        let said = first.get("content").and_then(Json::as_str).unwrap_or_default();
        return vec![json!({"role": "assistant", "content": said}), json!({"role": "user", "content": review})];
    }
    // Some servers leave out ids; the protocol needs one to tie the result to its call.
    let calls: Vec<Json> = calls
        .into_iter()
        .enumerate()
        .map(|(i, mut c)| {
            if c.get("id").and_then(Json::as_str).is_none() {
                c["id"] = json!(format!("call_{i}"));
            }
            c
        })
        .collect();
    let mut messages = vec![json!({"role": "assistant", "content": Json::Null, "tool_calls": calls})];
    messages.extend(calls.iter().map(|c| json!({"role": "tool", "tool_call_id": c["id"], "content": review})));
    messages
}

/// `tool_calls` if there are any; else a call the model wrote as text, as small models served
/// without a tool-call parser do (`{"name": …, "arguments": {…}}`, fenced or not, or a Python
/// call); else the prose.
fn read_message(message: &Json) -> Answer {
    let calls = message.get("tool_calls").and_then(Json::as_array).map(Vec::as_slice).unwrap_or_default();
    if calls.is_empty() {
        let text = message.get("content").and_then(Json::as_str).unwrap_or_default().trim();
        return match text {
            "" => Answer::Unreadable("an empty reply: no tool call and no text".into()),
            text => written_call(text).unwrap_or_else(|| Answer::Text(text.into())),
        };
    }
    read_calls(calls)
}

/// A call written in the message text, if the text is one and nothing else.
fn written_call(text: &str) -> Option<Answer> {
    let unfenced = text.strip_prefix("```json").or_else(|| text.strip_prefix("```")).and_then(|t| t.strip_suffix("```")).unwrap_or(text).trim();
    match serde_json::from_str::<Json>(unfenced) {
        Ok(call @ Json::Object(_)) if call.get("name").is_some_and(Json::is_string) => Some(read_calls(&[json!({"function": call})])),
        Ok(_) => None,
        Err(_) => match pycall::read_reply(unfenced) {
            answer @ (Answer::Calls(_) | Answer::Name(_)) => Some(answer),
            _ => None,
        },
    }
}

fn read_calls(calls: &[Json]) -> Answer {
    let mut proposed = vec![];
    for call in calls {
        let Some(function) = call.pointer("/function/name").and_then(Json::as_str) else {
            return Answer::Unreadable(format!("a tool call without a function name: {}", excerpt(&call.to_string())));
        };
        // OpenAI sends the arguments as a JSON string; Ollama sends the object itself.
        let arguments = match call.pointer("/function/arguments") {
            None | Some(Json::Null) => Json::Object(Default::default()),
            Some(Json::String(text)) if text.trim().is_empty() => Json::Object(Default::default()),
            Some(Json::String(text)) => match serde_json::from_str(text) {
                Ok(v) => v,
                Err(e) => return Answer::Unreadable(format!("the arguments of {function} are not JSON ({e}): {}", excerpt(text))),
            },
            Some(other) => other.clone(),
        };
        let Json::Object(arguments) = arguments else {
            return Answer::Unreadable(format!("the arguments of {function} are not an object: {}", excerpt(&arguments.to_string())));
        };
        let keywords = arguments.into_iter().map(|(k, v)| (k, arg(v))).collect();
        proposed.push(Proposed { function: function.to_string(), positional: vec![], keywords });
    }
    Answer::Calls(proposed)
}

fn arg(value: Json) -> Arg {
    match schema::value_of(value) {
        Ok(Some(value)) => Arg::Given(value),
        Ok(None) => Arg::Absent,
        Err(source) => Arg::Unusable(source),
    }
}

/// The tool for one intent: its Python-identifier name, its docstring and the JSON Schema of
/// its parameters.
pub fn tool(spec: &IntentSpec) -> Json {
    json!({
        "type": "function",
        "function": {
            "name": pycall::identifier(&spec.name),
            "description": spec.docstring,
            "parameters": schema::input_schema(spec),
        },
    })
}
