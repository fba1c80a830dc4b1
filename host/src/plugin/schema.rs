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

/// `{"type": "object", "properties": {...}, "required": [...], "additionalProperties": false}`,
/// `required` only when something is: closed to other names, so a strict server refuses made-up
/// arguments itself (llama.cpp's grammar, given `{"type": "object", "properties": {}}` alone,
/// let the 0.5B model fill `deploy` with nine invented arguments).
pub fn input_schema(spec: &IntentSpec) -> Json {
    let properties: serde_json::Map<String, Json> = spec.params.iter().map(|p| (p.name.clone(), param_schema(p))).collect();
    let required: Vec<&str> = spec.params.iter().filter(|p| p.required).map(|p| p.name.as_str()).collect();
    let mut schema = json!({"type": "object", "properties": properties, "additionalProperties": false});
    if !required.is_empty() {
        schema["required"] = json!(required);
    }
    schema
}

/// Longest pattern put in a schema; the built-in specs' longest useful one has 57 characters.
const MAX_PATTERN: usize = 100;

fn param_schema(p: &ParamSpec) -> Json {
    let text = |pattern: &Option<String>| match pattern {
        Some(p) if p.len() <= MAX_PATTERN => match words(p) {
            Some(words) => json!({"type": "string", "enum": words}),
            None => json!({"type": "string", "pattern": anchored(p)}),
        },
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

/// The words a pattern that only lists words allows ("x86_64|arm64"): an `enum` says the same
/// in fewer tokens, and every schema reader knows it.
fn words(pattern: &str) -> Option<Vec<&str>> {
    let words: Vec<&str> = pattern.split('|').collect();
    words.iter().all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')).then_some(words)
}

/// Specs anchor their patterns implicitly; JSON Schema patterns are not anchored. The group is
/// only added around a top-level alternation, where `^a|b$` would mean something else; the
/// regex crate's own parser says what the top level is (classes like `[]|]` included).
fn anchored(pattern: &str) -> String {
    match regex_syntax::ast::parse::Parser::new().parse(pattern) {
        Ok(regex_syntax::ast::Ast::Alternation(_)) | Err(_) => format!("^(?:{pattern})$"),
        Ok(_) => format!("^{pattern}$"),
    }
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

#[cfg(test)]
mod tests {
    use super::{anchored, words};
    use regex::Regex;

    #[test]
    fn word_lists_become_enums_and_nothing_else_does() {
        assert_eq!(words("x86_64|arm64"), Some(vec!["x86_64", "arm64"]));
        assert_eq!(words("reset"), Some(vec!["reset"]));
        for pattern in [r"ubuntu-24\.04|al2023", "a|", "[a-z]+", "yes|no?"] {
            assert_eq!(words(pattern), None, "{pattern}");
        }
    }

    /// The schema's pattern accepts exactly what the spec's own check (`^(?:…)$`) accepts.
    #[test]
    fn anchoring_keeps_the_meaning_of_the_spec_pattern() {
        let cases = [
            (r"[a-z]{2}(-gov)?-[a-z]+-[0-9]", "^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", vec!["us-east-1", "us-gov-west-1", "xus-east-1", "us-east-1a"]),
            (
                r"ami-([0-9a-f]{8}|[0-9a-f]{17})|al2023",
                r"^(?:ami-([0-9a-f]{8}|[0-9a-f]{17})|al2023)$",
                vec!["al2023", "ami-0123abcd", "ami-0123abcdal2023", "xal2023"],
            ),
            (r"a[|]b|\|c", r"^(?:a[|]b|\|c)$", vec!["a|b", "|c", "a", "c"]),
            (r"a\(|b", r"^(?:a\(|b)$", vec!["a(", "b", "a(b"]),
            (r"[](]x|y", r"^(?:[](]x|y)$", vec!["]x", "(x", "y", "]xy", "zy"]),
            (r"[[:alpha:](]|y", r"^(?:[[:alpha:](]|y)$", vec!["a", "(", "y", "ay", "1"]),
        ];
        for (spec, want, inputs) in cases {
            let got = anchored(spec);
            assert_eq!(got, want);
            let (spec_re, schema_re) = (Regex::new(&format!("^(?:{spec})$")).unwrap(), Regex::new(&got).unwrap());
            for input in inputs {
                assert_eq!(schema_re.is_match(input), spec_re.is_match(input), "{spec} on {input}");
            }
        }
    }
}
