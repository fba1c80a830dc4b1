//! An intent's parameters as JSON Schema, and JSON values read back as parameter values: the
//! one translation shared by the OpenAI-compatible backend (tools) and the MCP server (tools).
//!
//! Patterns use only what grammar-constrained servers enforce: a spec's pattern is anchored
//! here, and specs write digits as `[0-9]` (llama.cpp's schema-to-grammar converter silently
//! drops a pattern that uses `\d`).
//!
//! Integer settings the host's configuration rules hold to a range carry it as `minimum` and
//! `maximum` ([`range`]), so a client or a grammar-constrained server stays inside it.
//!
//! The schema is kept small because a model reads it on every turn (a CPU processes some 175
//! prompt tokens a second): a parameter's description is its own text and unit, without the
//! synonyms the offline router and the raven prompt use, and a pattern longer than
//! `MAX_PATTERN` (a list of every service out-of-scope knows, spelled in either case) is left to
//! the host's own check.
use super::spec::{Args, IntentSpec, ParamSpec, ParamType, Value};
use crate::capability::config::MAX_INTEGER;
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
        ParamType::Int => match range(p) {
            Some((minimum, maximum)) => json!({"type": "integer", "minimum": minimum, "maximum": maximum}),
            None => json!({"type": "integer"}),
        },
        ParamType::Float => json!({"type": "number"}),
        ParamType::Text => text(&p.pattern),
        ParamType::TextList => json!({"type": "array", "items": text(&p.pattern)}),
    };
    schema["description"] = json!(brief(p));
    schema
}

/// The range the configuration rules (`capability::config`) hold an integer setting to, for the
/// settings named as the AWS APIs name them: RunInstances launches at least one instance
/// (MinCount, MaxCount from 1; EC2 API reference, RunInstances), a group may be empty (MinSize,
/// MaxSize, DesiredCapacity from 0; Auto Scaling API reference, CreateAutoScalingGroup), and both
/// APIs take these as Integer, a 32-bit signed number.
pub fn range(p: &ParamSpec) -> Option<(i64, i64)> {
    let max = i64::from(MAX_INTEGER);
    match (p.ty, p.name.as_str()) {
        (ParamType::Int, "MinCount" | "MaxCount") => Some((1, max)),
        (ParamType::Int, "MinSize" | "MaxSize" | "DesiredCapacity") => Some((0, max)),
        _ => None,
    }
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

/// A client's JSON arguments for `spec` as call arguments, read the way the REPL reads the same
/// words: `null` leaves an argument out, and a text that does not fit its parameter but names
/// one region ("Tokyo", "São Paulo"; `catalog::regions`) is that region's code when the
/// parameter takes codes. Whether the values fit is still the spec's check; `Err` names an
/// argument that is not a number, a string or a list of strings.
pub fn arguments_of(spec: &IntentSpec, arguments: serde_json::Map<String, Json>) -> Result<Args, String> {
    let mut args: Args = vec![];
    for (name, json) in arguments {
        let value = match value_of(json) {
            Ok(Some(value)) => value,
            Ok(None) => continue,
            Err(json) => {
                let shown = crate::input::cut(&json, 40);
                return Err(format!("{}: argument {} must be a number, a string or a list of strings, not {shown}", spec.name, crate::input::cut(&name, 40)));
            }
        };
        let value = match (spec.param(&name), value) {
            (Some(param), Value::Text(text)) if param.ty == ParamType::Text && !param.accepts_text(&text) => {
                match crate::catalog::regions::code_of(&text).or_else(|| place_of(&text)).filter(|code| param.accepts_text(code)) {
                    Some(code) => Value::Text(code),
                    None => Value::Text(text),
                }
            }
            (_, value) => value,
        };
        args.push((name, value));
    }
    Ok(args)
}

/// The region a place names, however it is cased or accented ("tokyo", "Sao Paulo").
fn place_of(text: &str) -> Option<String> {
    let words: Vec<String> = text.split_whitespace().map(crate::catalog::regions::fold).collect();
    crate::catalog::regions::places().iter().find(|(place, _)| *place == words).map(|(_, code)| code.clone())
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

    fn param(name: &str, ty: super::ParamType, pattern: Option<&str>) -> super::ParamSpec {
        let mut p = super::ParamSpec {
            name: name.into(),
            ty,
            description: name.into(),
            required: false,
            synonyms: vec![],
            unit: None,
            pattern: pattern.map(String::from),
            matcher: None,
        };
        p.compile().unwrap();
        p
    }

    #[test]
    fn counts_carry_the_range_the_host_enforces() {
        use super::ParamType::{Float, Int};
        let schema = |p| super::param_schema(&p);
        assert_eq!(schema(param("MinCount", Int, None))["minimum"], 1);
        assert_eq!(schema(param("MaxSize", Int, None))["minimum"], 0);
        assert_eq!(schema(param("DesiredCapacity", Int, None))["maximum"], 2147483647);
        assert!(schema(param("cpu", Int, None)).get("minimum").is_none());
        assert!(schema(param("MinCount", Float, None)).get("minimum").is_none());
    }

    /// "Tokyo" over MCP is read as the REPL reads it; what is not a place is left for the check.
    #[test]
    fn a_place_is_read_as_its_region_where_a_code_is_taken() {
        use super::ParamType::{Text, TextList};
        use super::Value;
        let region = r"[a-z]{2}(-gov)?-[a-z]+-[0-9]";
        let spec = super::IntentSpec {
            name: "modify-ec2".into(),
            version: "1".into(),
            docstring: String::new(),
            params: vec![param("Region", Text, Some(region)), param("KeyName", Text, Some("[A-Za-z0-9._ -]{1,255}")), param("Zones", TextList, Some(region))],
            examples: vec![],
        };
        let read = |json: serde_json::Value| super::arguments_of(&spec, json.as_object().unwrap().clone());
        let text = |s: &str| Value::Text(s.into());
        assert_eq!(read(serde_json::json!({"Region": "Tokyo"})), Ok(vec![("Region".into(), text("ap-northeast-1"))]));
        assert_eq!(read(serde_json::json!({"Region": "são paulo"})), Ok(vec![("Region".into(), text("sa-east-1"))]));
        assert_eq!(read(serde_json::json!({"Region": "eu-west-1"})), Ok(vec![("Region".into(), text("eu-west-1"))]));
        assert_eq!(read(serde_json::json!({"Region": "Atlantis"})), Ok(vec![("Region".into(), text("Atlantis"))]));
        // A parameter that takes any text keeps it as given.
        assert_eq!(read(serde_json::json!({"KeyName": "Tokyo"})), Ok(vec![("KeyName".into(), text("Tokyo"))]));
        assert_eq!(read(serde_json::json!({"Region": null})), Ok(vec![]));
        let long = "x".repeat(5000);
        let err = read(serde_json::json!({ long.clone(): {"a": 1} })).unwrap_err();
        assert!(err.len() < 200 && err.contains('…'), "{err}");
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
