//! An intent's parameters as JSON Schema, and JSON values read back as parameter values: the
//! one translation shared by the OpenAI-compatible backend (tools) and the MCP server (tools).
//!
//! Patterns use only what grammar-constrained servers enforce: a spec's pattern is anchored
//! here, and specs write digits as `[0-9]` (llama.cpp's schema-to-grammar converter silently
//! drops a pattern that uses `\d`).
//!
//! The schema is kept small because a model reads it on every turn (a CPU processes some 175
//! prompt tokens a second): a parameter's description is its own text and unit, without the
//! synonyms the offline router and the raven prompt use, and a pattern longer than
//! `MAX_PATTERN` (a list of every service out-of-scope knows, spelled in either case) is left to
//! the host's own check.
use super::spec::{IntentSpec, ParamSpec, ParamType, Value};
use serde_json::{Value as Json, json};

/// `{"type": "object", "properties": {...}, "required": [...], "additionalProperties": false}`:
/// closed to other names, so a strict server refuses made-up arguments itself.
pub fn input_schema(spec: &IntentSpec) -> Json {
    let properties: serde_json::Map<String, Json> = spec.params.iter().map(|p| (p.name.clone(), param_schema(p))).collect();
    let required: Vec<&str> = spec.params.iter().filter(|p| p.required).map(|p| p.name.as_str()).collect();
    json!({"type": "object", "properties": properties, "required": required, "additionalProperties": false})
}

/// Longest pattern put in a schema; the built-in specs' longest useful one has 57 characters.
const MAX_PATTERN: usize = 100;

fn param_schema(p: &ParamSpec) -> Json {
    // Specs anchor their patterns implicitly; JSON Schema patterns are not anchored.
    let text = |pattern: &Option<String>| match pattern {
        Some(p) if p.len() <= MAX_PATTERN => json!({"type": "string", "pattern": format!("^(?:{p})$")}),
        _ => json!({"type": "string"}),
    };
    let mut schema = match p.ty {
        ParamType::Int => json!({"type": "integer"}),
        ParamType::Float => json!({"type": "number"}),
        ParamType::Text => text(&p.pattern),
        ParamType::TextList => json!({"type": "array", "items": text(&p.pattern)}),
    };
    schema["description"] = json!(brief(p));
    schema
}

/// "Minimum memory in GiB." — the description, and the unit when it does not name it.
fn brief(p: &ParamSpec) -> String {
    let mut out = p.description.trim().to_string();
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    if let Some(unit) = p.unit.as_deref().filter(|u| !p.description.to_lowercase().contains(&u.to_lowercase())) {
        out.push_str(&format!(" In {unit}."));
    }
    out
}

/// "Minimum memory in GiB. Users may say: ram, memory, gb." — [`brief`] and the synonyms, for
/// prompts that teach the model the user's words.
pub fn summary(p: &ParamSpec) -> String {
    let mut out = brief(p);
    if !p.synonyms.is_empty() {
        out.push_str(&format!(" Users may say: {}.", p.synonyms.join(", ")));
    }
    out
}

/// A JSON argument as a parameter value: `Ok(None)` for `null` (the argument left out), `Err`
/// with the JSON text for anything that is not a number, a string or a list of strings. Whether
/// the value fits the parameter is the spec's check, not this.
pub fn value_of(json: Json) -> Result<Option<Value>, String> {
    match json {
        Json::Null => Ok(None),
        Json::String(s) => Ok(Some(Value::Text(s))),
        Json::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Ok(Some(Value::Int(i))),
            (None, Some(f)) => Ok(Some(Value::Float(f))),
            _ => Err(n.to_string()),
        },
        Json::Array(items) if items.iter().all(Json::is_string) => {
            Ok(Some(Value::TextList(items.into_iter().filter_map(|i| i.as_str().map(String::from)).collect())))
        }
        other => Err(other.to_string()),
    }
}
