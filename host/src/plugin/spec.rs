//! An intent's description as the host keeps it, and the check every call's arguments pass.
//!
//! Separate from the WIT types, and serializable for `plugins list --json` and `route --json`.
//!
//! - `IntentSpec::check` is the argument check every call passes: unknown or repeated parameters,
//!   wrong types, pattern mismatches and missing required parameters are refused. It widens an int
//!   to a float, a whole-number float to an int and one text to a one-item list, and matches
//!   patterns anchored, as `^(?:…)$`.
//! - `IntentSpec::validate` is the load-time check: a kebab-case name, identifier parameter names,
//!   patterns that compile, no duplicate parameters, and examples that pass `check`.
use regex::Regex;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParamType {
    Int,
    Float,
    Text,
    TextList,
}

impl ParamType {
    pub const ALL: [ParamType; 4] = [ParamType::Int, ParamType::Float, ParamType::Text, ParamType::TextList];

    /// The case of the WIT `param-type` enum.
    pub fn name(self) -> &'static str {
        match self {
            ParamType::Int => "int",
            ParamType::Float => "float",
            ParamType::Text => "text",
            ParamType::TextList => "text-list",
        }
    }
}

/// Intent names: a-z and 0-9 in words joined by single dashes, at most 64 characters.
pub fn is_kebab(name: &str) -> bool {
    let kebab = Regex::new("^[a-z][a-z0-9]*(-[a-z0-9]+)*$").expect("valid regex");
    kebab.is_match(name) && name.len() <= 64
}

/// One argument value. Serialized bare, so `{"MinCount": 2}` and `{"AvailabilityZones": ["a"]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    Int(i64),
    Float(f64),
    Text(String),
    TextList(Vec<String>),
}

#[derive(Debug, Clone, Serialize)]
pub struct ParamSpec {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: ParamType,
    pub description: String,
    pub required: bool,
    pub synonyms: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// `pattern`, anchored and compiled once at load.
    #[serde(skip)]
    pub matcher: Option<Regex>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Example {
    pub utterance: String,
    pub args: Vec<(String, Value)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IntentSpec {
    pub name: String,
    pub version: String,
    pub docstring: String,
    pub params: Vec<ParamSpec>,
    pub examples: Vec<Example>,
}

pub type Args = Vec<(String, Value)>;

impl ParamSpec {
    pub fn compile(&mut self) -> Result<(), String> {
        if let Some(p) = &self.pattern {
            let re = Regex::new(&format!("^(?:{p})$")).map_err(|e| format!("parameter {}: bad pattern: {e}", self.name))?;
            self.matcher = Some(re);
        }
        Ok(())
    }

    pub fn accepts_text(&self, text: &str) -> bool {
        self.matcher.as_ref().is_none_or(|re| re.is_match(text))
    }

    /// The values a pattern that only lists them allows ("NVIDIA|AMD"), else none.
    pub fn choices(&self) -> Vec<&str> {
        let Some(pattern) = self.pattern.as_deref() else { return vec![] };
        let literal = |a: &str| !a.is_empty() && a.chars().all(|c| c.is_ascii_alphanumeric() || "_-. ".contains(c));
        let alternatives: Vec<&str> = pattern.split('|').collect();
        if alternatives.iter().all(|a| literal(a)) { alternatives } else { vec![] }
    }

    /// The value in this parameter's type, widening where nothing is lost (2 → 2.0, 2.0 → 2);
    /// a listed value in another case is the listed one ("nvidia" → NVIDIA).
    pub fn coerce(&self, value: &Value) -> Result<Value, String> {
        let name = &self.name;
        let fit = |t: &str| -> Result<String, String> {
            if self.accepts_text(t) {
                return Ok(t.to_string());
            }
            let choices = self.choices();
            if let Some(listed) = choices.iter().find(|c| c.eq_ignore_ascii_case(t)) {
                return Ok(listed.to_string());
            }
            let shown = crate::input::cut(t, 60);
            Err(match choices.is_empty() {
                true => format!("{name}: {shown:?} does not look like {}", self.description.to_lowercase()),
                false => format!("{name} must be one of {}, not {shown:?}", choices.join(", ")),
            })
        };
        match (self.ty, value) {
            (ParamType::Int, Value::Int(i)) => Ok(Value::Int(*i)),
            (ParamType::Int, Value::Float(f)) if f.fract() == 0.0 && f.abs() < 1e15 => Ok(Value::Int(*f as i64)),
            (ParamType::Int, Value::Float(f)) if f.fract() == 0.0 || !f.is_finite() => Err(format!("{name}: {f} is too large a number")),
            (ParamType::Float, Value::Float(f)) if f.is_finite() => Ok(Value::Float(*f)),
            (ParamType::Float, Value::Float(f)) => Err(format!("{name}: {f} is not a number it can use")),
            (ParamType::Float, Value::Int(i)) => Ok(Value::Float(*i as f64)),
            (ParamType::Text, Value::Text(t)) => fit(t).map(Value::Text),
            (ParamType::TextList, Value::TextList(items)) => items.iter().map(|t| fit(t)).collect::<Result<Vec<_>, _>>().map(Value::TextList),
            (ParamType::TextList, Value::Text(t)) => fit(t).map(|t| Value::TextList(vec![t])),
            (ty, v) => Err(format!("{name} takes {}, not {}", type_name(ty), describe(v))),
        }
    }
}

fn type_name(ty: ParamType) -> &'static str {
    match ty {
        ParamType::Int => "a whole number",
        ParamType::Float => "a number",
        ParamType::Text => "text",
        ParamType::TextList => "a list of text",
    }
}

fn describe(v: &Value) -> String {
    match v {
        Value::Int(i) => format!("the number {i}"),
        Value::Float(f) => format!("the number {f}"),
        Value::Text(t) => format!("the text {t:?}"),
        Value::TextList(l) => format!("the list {l:?}"),
    }
}

impl IntentSpec {
    pub fn param(&self, name: &str) -> Option<&ParamSpec> {
        self.params.iter().find(|p| p.name == name)
    }

    /// Arguments as the plugin will receive them (in the spec's order), or a message saying
    /// what does not fit.
    pub fn check(&self, args: &Args) -> Result<Args, String> {
        let mut checked = Vec::with_capacity(args.len());
        for (name, value) in args {
            let Some(param) = self.param(name) else {
                let known: Vec<&str> = self.params.iter().map(|p| p.name.as_str()).collect();
                let name = crate::input::cut(name, 60);
                return Err(format!("{} has no parameter {name:?} (it takes: {})", self.name, if known.is_empty() { "none".into() } else { known.join(", ") }));
            };
            if checked.iter().any(|(n, _): &(String, Value)| n == name) {
                return Err(format!("{name} was given twice"));
            }
            checked.push((name.clone(), param.coerce(value)?));
        }
        if let Some(missing) = self.params.iter().find(|p| p.required && !checked.iter().any(|(n, _)| *n == p.name)) {
            return Err(format!("{} needs {}: {}", self.name, missing.name, missing.description));
        }
        checked.sort_by_key(|(name, _)| self.params.iter().position(|p| p.name == *name));
        Ok(checked)
    }

    /// Refuses a description that would confuse the router or the user.
    pub fn validate(&mut self) -> Result<(), String> {
        if !is_kebab(&self.name) {
            return Err(format!("intent name {:?} is not kebab-case (a-z, 0-9, single dashes, at most 64)", self.name));
        }
        let ident = Regex::new("^[A-Za-z][A-Za-z0-9_]{0,63}$").expect("valid regex");
        for p in &mut self.params {
            if !ident.is_match(&p.name) {
                return Err(format!("parameter name {:?} is not an identifier", p.name));
            }
            p.compile()?;
        }
        for (i, p) in self.params.iter().enumerate() {
            if self.params[..i].iter().any(|q| q.name == p.name) {
                return Err(format!("parameter {} is declared twice", p.name));
            }
        }
        for ex in &self.examples {
            self.check(&ex.args).map_err(|e| format!("example {:?}: {e}", ex.utterance))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> IntentSpec {
        let mut s = IntentSpec {
            name: "modify-asg".into(),
            version: "0.1.0".into(),
            docstring: String::new(),
            params: vec![
                ParamSpec {
                    name: "MinSize".into(),
                    ty: ParamType::Int,
                    description: "Minimum size".into(),
                    required: false,
                    synonyms: vec![],
                    unit: None,
                    pattern: None,
                    matcher: None,
                },
                ParamSpec {
                    name: "AvailabilityZones".into(),
                    ty: ParamType::TextList,
                    description: "Availability zones".into(),
                    required: false,
                    synonyms: vec![],
                    unit: None,
                    pattern: Some(r"[a-z]{2}-[a-z]+-\d[a-z]".into()),
                    matcher: None,
                },
            ],
            examples: vec![],
        };
        s.validate().unwrap();
        s
    }

    #[test]
    fn types_are_checked_and_widened() {
        let s = spec();
        let ok = s.check(&vec![("MinSize".into(), Value::Float(2.0)), ("AvailabilityZones".into(), Value::Text("eu-west-1a".into()))]).unwrap();
        assert_eq!(ok, vec![("MinSize".into(), Value::Int(2)), ("AvailabilityZones".into(), Value::TextList(vec!["eu-west-1a".into()]))]);
        assert_eq!(s.check(&vec![("MinSize".into(), Value::Float(2.5))]).unwrap_err(), "MinSize takes a whole number, not the number 2.5");
        assert_eq!(s.check(&vec![("MinSize".into(), Value::Text("two".into()))]).unwrap_err(), "MinSize takes a whole number, not the text \"two\"");
    }

    #[test]
    fn unknown_and_malformed_arguments_are_refused() {
        let s = spec();
        let err = s.check(&vec![("MaxCount".into(), Value::Int(2))]).unwrap_err();
        assert_eq!(err, "modify-asg has no parameter \"MaxCount\" (it takes: MinSize, AvailabilityZones)");
        let err = s.check(&vec![("AvailabilityZones".into(), Value::TextList(vec!["eu-west-1a".into(), "moon".into()]))]).unwrap_err();
        assert!(err.contains("\"moon\" does not look like availability zones"), "{err}");
    }

    #[test]
    fn lying_specs_are_refused() {
        let mut s = spec();
        s.name = "Bad Name".into();
        assert!(s.validate().unwrap_err().contains("not kebab-case"));
        let mut s = spec();
        s.params.push(s.params[0].clone());
        assert!(s.validate().unwrap_err().contains("declared twice"));
        let mut s = spec();
        s.examples.push(Example { utterance: "x".into(), args: vec![("Nope".into(), Value::Int(1))] });
        assert!(s.validate().unwrap_err().contains("example \"x\""));
    }
}
