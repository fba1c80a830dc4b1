//! NexusRaven-V2 behind a text-generation-inference style endpoint: the prompt is Python
//! function definitions and the query, POSTed as `{"inputs", "parameters"}`; the reply's
//! `generated_text` holds `Call: some_function(arg=value)`.
//!
//! The reply may be an object or a one-element list.
use super::http::{Http, excerpt};
use super::prompt::{Prompt, Templates};
use super::{LlmError, Pass, Protocol, Usage, pycall};
use serde_json::json;

pub struct Raven {
    url: String,
    http: Http,
    templates: Templates,
}

impl Raven {
    pub fn new(url: String, http: Http, templates: Templates) -> Result<Raven, LlmError> {
        super::http::check_url(&url)?;
        Ok(Raven { url, http, templates })
    }
}

impl Protocol for Raven {
    fn ask(&self, prompt: &Prompt<'_>, reflect_on: Option<(&Pass, Option<&str>)>) -> Result<Pass, LlmError> {
        let inputs = match reflect_on {
            None => self.templates.render("raven-first.jinja", prompt, minijinja::context! {})?,
            Some((first, problem)) => {
                let said = first.reply.as_str().unwrap_or_default();
                let first_call = pycall::call_text(said).unwrap_or(said.trim());
                self.templates.render("raven-reflect.jinja", prompt, minijinja::context! { first_call, problem })?
            }
        };
        // The seed's sampling: greedy, stopping where the model ends its call.
        let body = json!({
            "inputs": inputs,
            "parameters": {
                "temperature": 0.001,
                "do_sample": false,
                "max_new_tokens": 512,
                "stop": ["<bot_end>"],
                "return_full_text": false,
            },
        });
        let request_bytes = body.to_string().len();
        let reply = self.http.post_json(&self.url, None, &body)?;
        let generated = generated_text(&reply)
            .ok_or_else(|| LlmError::Malformed { url: self.url.clone(), reason: format!("no generated_text in {}", excerpt(&reply.to_string())) })?;
        let usage = Usage::of(match &reply {
            serde_json::Value::Array(items) => items.first().unwrap_or(&reply),
            other => other,
        });
        Ok(Pass { answer: pycall::read_reply(generated), reply: json!(generated), request_bytes, usage })
    }

    fn url(&self) -> &str {
        &self.url
    }
}

/// TGI's `/generate` answers `{"generated_text": …}`; its root route and Hugging Face
/// inference endpoints answer a one-element list of the same.
fn generated_text(reply: &serde_json::Value) -> Option<&str> {
    let object = match reply {
        serde_json::Value::Array(items) => items.first()?,
        other => other,
    };
    object.get("generated_text")?.as_str()
}
