//! Prompts are minijinja templates, one per backend and pass, in `prompts/`. The built-in ones
//! are compiled in; a file of the same name in the user's prompt folder replaces one, so
//! prompts can be tuned without a rebuild. Templates see every shortlisted intent's docstring,
//! parameters and examples, the conversation so far and the query.
use super::{LlmError, pycall};
use crate::conversation::{Exchange, OUT_OF_SCOPE};
use crate::plugin::spec::{IntentSpec, ParamType};
use serde::Serialize;
use std::path::PathBuf;

const BUILT_IN: [(&str, &str); 6] = [
    ("raven-first.jinja", include_str!("../../../prompts/raven-first.jinja")),
    ("raven-reflect.jinja", include_str!("../../../prompts/raven-reflect.jinja")),
    ("raven-functions.jinja", include_str!("../../../prompts/raven-functions.jinja")),
    ("openai-first.jinja", include_str!("../../../prompts/openai-first.jinja")),
    ("openai-query.jinja", include_str!("../../../prompts/openai-query.jinja")),
    ("openai-reflect.jinja", include_str!("../../../prompts/openai-reflect.jinja")),
];

/// What one turn puts in front of the model.
pub struct Prompt<'a> {
    pub query: &'a str,
    /// The shortlisted intents, out-of-scope among them.
    pub intents: Vec<&'a IntentSpec>,
    /// Earlier turns, oldest first.
    pub history: &'a [Exchange],
    /// The configuration and the remembered requirements, in a few lines.
    pub state: &'a str,
}

pub struct Templates {
    env: minijinja::Environment<'static>,
}

impl Templates {
    pub fn new(dir: Option<PathBuf>) -> Templates {
        let mut env = minijinja::Environment::new();
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        env.set_loader(move |name| {
            if let Some(dir) = &dir {
                match std::fs::read_to_string(dir.join(name)) {
                    Ok(text) => return Ok(Some(text)),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => {
                        return Err(minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, format!("cannot read {}: {e}", dir.join(name).display())));
                    }
                }
            }
            Ok(BUILT_IN.iter().find(|(n, _)| *n == name).map(|(_, text)| text.to_string()))
        });
        Templates { env }
    }

    /// Renders `name` for `prompt`; `extra` adds pass-specific values (the first call, say).
    pub fn render(&self, name: &str, prompt: &Prompt<'_>, extra: minijinja::Value) -> Result<String, LlmError> {
        let fail = |e: minijinja::Error| LlmError::Template { name: name.into(), reason: format!("{e:#}") };
        let template = self.env.get_template(name).map_err(fail)?;
        let base = minijinja::context! {
            query => prompt.query,
            functions => prompt.intents.iter().map(|s| Function::of(s)).collect::<Vec<_>>(),
            history => prompt.history.iter().map(|e| Turn { user: &e.utterance, call: e.plan.iter().map(|c| pycall::render_call(&c.intent, &c.args)).collect::<Vec<_>>().join("; ") }).collect::<Vec<_>>(),
            fallback => pycall::identifier(OUT_OF_SCOPE),
            state => prompt.state,
        };
        template.render(minijinja::context! { ..extra, ..base }).map_err(fail)
    }
}

#[derive(Serialize)]
struct Turn<'a> {
    user: &'a str,
    call: String,
}

#[derive(Serialize)]
struct Function<'a> {
    /// The Python identifier the model calls.
    name: String,
    intent: &'a str,
    docstring: &'a str,
    /// `MinCount: int = None, …` for a Python `def`.
    signature: String,
    params: Vec<Param<'a>>,
    examples: Vec<ExampleCall<'a>>,
}

#[derive(Serialize)]
struct Param<'a> {
    name: &'a str,
    /// Description, unit and synonyms as sentences: what a model needs to fill the argument.
    summary: String,
    #[serde(rename = "type")]
    ty: &'static str,
    description: &'a str,
    required: bool,
    unit: Option<&'a str>,
    synonyms: &'a [String],
    pattern: Option<&'a str>,
}

#[derive(Serialize)]
struct ExampleCall<'a> {
    utterance: &'a str,
    call: String,
}

impl<'a> Function<'a> {
    fn of(spec: &'a IntentSpec) -> Function<'a> {
        let params: Vec<Param<'a>> = spec
            .params
            .iter()
            .map(|p| Param {
                name: &p.name,
                summary: crate::plugin::schema::summary(p),
                ty: python_type(p.ty),
                description: &p.description,
                required: p.required,
                unit: p.unit.as_deref(),
                synonyms: &p.synonyms,
                pattern: p.pattern.as_deref(),
            })
            .collect();
        // Required parameters first, as Python wants them before defaulted ones.
        let mut signature: Vec<String> = params.iter().filter(|p| p.required).map(|p| format!("{}: {}", p.name, p.ty)).collect();
        signature.extend(params.iter().filter(|p| !p.required).map(|p| format!("{}: {} = None", p.name, p.ty)));
        Function {
            name: pycall::identifier(&spec.name),
            intent: &spec.name,
            docstring: &spec.docstring,
            signature: signature.join(", "),
            params,
            examples: spec.examples.iter().map(|e| ExampleCall { utterance: &e.utterance, call: pycall::render_call(&spec.name, &e.args) }).collect(),
        }
    }
}

/// The Python annotation of a parameter type, as the model reads it in a `def`.
fn python_type(ty: ParamType) -> &'static str {
    match ty {
        ParamType::Int => "int",
        ParamType::Float => "float",
        ParamType::Text => "str",
        ParamType::TextList => "list[str]",
    }
}
