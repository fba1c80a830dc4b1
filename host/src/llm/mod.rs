//! Language-model backends. A backend only proposes a call: it renders the prompt, speaks its
//! server's wire protocol and reads the reply into an [`Answer`]. Deciding whether that answer
//! is a call the application will run is the router's job (`router/llm.rs`), never the model's.
//!
//! Here: `Backend` and `Reflect` (the `--llm` and `--reflect` values), `Settings`, `LlmError`
//! (timeout, unreachable, HTTP status, malformed, cancelled, setup, template), the
//! `Answer`/`Proposed`/`Arg` types and the `Protocol` trait. `connect` checks the settings at start
//! (URL, model) without touching the network.

pub mod http;
pub mod openai;
pub mod prompt;
pub mod pycall;
pub mod raven;

use crate::plugin::spec::Value;
use std::time::Duration;

/// Which router answers: the offline one, or a model behind one of two wire protocols.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    #[default]
    Offline,
    /// NexusRaven-style prompt POSTed to a text-generation-inference `/generate` endpoint.
    Raven,
    /// OpenAI-compatible `/chat/completions` with tools (OpenAI, Ollama, vLLM, llama.cpp).
    Openai,
}

/// When the second, reflection pass runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Reflect {
    /// Every turn, as the seed prototype did.
    #[default]
    Always,
    /// Only when the first call does not fit its spec or is out of scope.
    Auto,
    Never,
}

/// When the model is asked at all (`--ask-model`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AskModel {
    /// Every utterance, as the seed prototype did.
    #[default]
    Always,
    /// Only what the offline router is not sure of; the rest costs no model time.
    Unsure,
}

/// How to reach a model.
#[derive(Debug, Clone)]
pub struct Settings {
    pub backend: Backend,
    /// raven: the endpoint to POST to; openai: the base URL that `/chat/completions` extends.
    pub url: Option<String>,
    pub model: Option<String>,
    pub api_key: Option<String>,
    pub timeout: Duration,
    pub reflect: Reflect,
    pub ask_model: AskModel,
    /// Where the user's own prompt templates live; the built-in ones fill any gap.
    pub prompts: Option<std::path::PathBuf>,
}

impl Settings {
    pub fn offline() -> Settings {
        Settings {
            backend: Backend::Offline,
            url: None,
            model: None,
            api_key: None,
            timeout: DEFAULT_TIMEOUT,
            reflect: Reflect::Always,
            ask_model: AskModel::Always,
            prompts: None,
        }
    }
}

pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
pub const OPENAI_DEFAULT_BASE: &str = "https://api.openai.com/v1";

/// Why a model gave no answer. Each message names the server, so a user knows where to look.
#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    #[error("the model server at {url} did not answer within {} s", .timeout.as_secs_f32())]
    Timeout { url: String, timeout: Duration },
    #[error("cannot reach the model server at {url}: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("the model server at {url} answered HTTP {status}: {body}")]
    Status { url: String, status: u16, body: String },
    #[error("the model server at {url} sent a reply this backend cannot read: {reason}")]
    Malformed { url: String, reason: String },
    #[error("the model call was cancelled")]
    Cancelled,
    #[error("{0}")]
    Setup(String),
    #[error("prompt template {name}: {reason}")]
    Template { name: String, reason: String },
}

/// One argument as the model wrote it, before any spec has looked at it.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Given(Value),
    /// `None` / `null`: the model's way of leaving the argument out.
    Absent,
    /// Something that is not a plain value (a nested call, a name, a dict), as written.
    Unusable(String),
}

/// A function call the model proposed.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposed {
    pub function: String,
    pub positional: Vec<Arg>,
    pub keywords: Vec<(String, Arg)>,
}

/// What the model answered, read but not yet judged.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Calls(Vec<Proposed>),
    /// Prose instead of a call.
    Text(String),
    /// A reply that claims to be a call and cannot be read as one.
    Unreadable(String),
    /// A bare name where a call was asked for (`Call: show_config`, as small models write a
    /// call without arguments): the judge, who knows the functions, reads it as that call
    /// without arguments if one of that name is offered, and as unreadable otherwise.
    Name(String),
}

/// One round trip to the model.
#[derive(Debug, Clone)]
pub struct Pass {
    pub answer: Answer,
    /// What the model said, as the protocol carries it; the reflection pass sends it back.
    pub reply: serde_json::Value,
    /// Size of the request body, for the debug log and the benchmark.
    pub request_bytes: usize,
    /// What the server says the prompt cost, when it says.
    pub usage: Usage,
}

/// Prompt tokens of one pass as the server counts them: OpenAI's `usage.prompt_tokens` and
/// `usage.prompt_tokens_details.cached_tokens`, or llama.cpp's `timings` (`prompt_n` processed
/// now, `cache_n` served from its prefix cache).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Usage {
    pub prompt_tokens: Option<u64>,
    pub cached_tokens: Option<u64>,
}

impl Usage {
    pub fn of(reply: &serde_json::Value) -> Usage {
        let number = |pointer: &str| reply.pointer(pointer).and_then(serde_json::Value::as_u64);
        match (number("/timings/prompt_n"), number("/timings/cache_n")) {
            (Some(processed), cached) => Usage { prompt_tokens: Some(processed + cached.unwrap_or(0)), cached_tokens: cached },
            (None, _) => Usage { prompt_tokens: number("/usage/prompt_tokens"), cached_tokens: number("/usage/prompt_tokens_details/cached_tokens") },
        }
    }
}

/// A wire protocol. `reflect_on` is the first pass when this is the reflection pass, along
/// with what the application found wrong with it.
pub trait Protocol: Send + Sync {
    fn ask(&self, prompt: &prompt::Prompt<'_>, reflect_on: Option<(&Pass, Option<&str>)>) -> Result<Pass, LlmError>;

    /// Where requests go, for messages.
    fn url(&self) -> &str;
}

/// The protocol the settings ask for, checking what it needs up front so a missing URL or
/// model is an error at start, not at the first turn.
pub fn connect(settings: &Settings) -> Result<Box<dyn Protocol>, LlmError> {
    let templates = || prompt::Templates::new(settings.prompts.clone());
    let http = || http::Http::new(settings.timeout);
    match settings.backend {
        Backend::Offline => Err(LlmError::Setup("the offline router needs no model".into())),
        Backend::Raven => {
            let url = settings.url.clone().ok_or_else(|| {
                LlmError::Setup(
                    "--llm raven needs --llm-url: the text-generation-inference endpoint serving NexusRaven-V2 (e.g. http://localhost:8080/generate)".into(),
                )
            })?;
            Ok(Box::new(raven::Raven::new(url, http(), templates())?))
        }
        Backend::Openai => {
            let model = settings
                .model
                .clone()
                .ok_or_else(|| LlmError::Setup("--llm openai needs --llm-model (e.g. gpt-4o-mini on OpenAI, llama3.1 on Ollama)".into()))?;
            let base = settings.url.clone().unwrap_or_else(|| OPENAI_DEFAULT_BASE.into());
            Ok(Box::new(openai::OpenAi::new(base, model, settings.api_key.clone(), http(), templates())?))
        }
    }
}

/// The answer as the reflection prompt and the log show it: calls as Python.
impl std::fmt::Display for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Answer::Calls(calls) => {
                let calls: Vec<String> = calls.iter().map(Proposed::to_string).collect();
                write!(f, "{}", calls.join("; "))
            }
            Answer::Text(text) => write!(f, "{text}"),
            Answer::Unreadable(why) => write!(f, "(unreadable: {why})"),
            Answer::Name(name) => write!(f, "{name}"),
        }
    }
}

impl std::fmt::Display for Proposed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let show = |a: &Arg| match a {
            Arg::Given(v) => pycall::literal(v),
            Arg::Absent => "None".into(),
            Arg::Unusable(source) => source.clone(),
        };
        let args: Vec<String> = self.positional.iter().map(show).chain(self.keywords.iter().map(|(k, a)| format!("{k}={}", show(a)))).collect();
        write!(f, "{}({})", self.function, args.join(", "))
    }
}
