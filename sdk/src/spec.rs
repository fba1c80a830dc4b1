//! The `Spec` and `Param` builders for an intent's description; `Spec::build` adds the plugin
//! crate's version, as `register_intent!` calls it.
use crate::{Argument, Example, IntentSpec, ParamSpec, ParamType, Value};

/// Builder for an intent's description.
pub struct Spec {
    name: String,
    docstring: String,
    params: Vec<ParamSpec>,
    examples: Vec<Example>,
}

impl Spec {
    pub fn new(name: &str, docstring: &str) -> Self {
        Spec { name: name.into(), docstring: docstring.into(), params: vec![], examples: vec![] }
    }

    pub fn param(mut self, param: Param) -> Self {
        self.params.push(param.0);
        self
    }

    /// An utterance and the arguments it should produce.
    pub fn example(mut self, utterance: &str, args: &[(&str, Value)]) -> Self {
        let arguments = args.iter().map(|(name, value)| Argument { name: (*name).into(), value: value.clone() }).collect();
        self.examples.push(Example { utterance: utterance.into(), arguments });
        self
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn params(&self) -> &[ParamSpec] {
        &self.params
    }

    pub fn examples(&self) -> &[Example] {
        &self.examples
    }

    pub fn build(self, version: &str) -> IntentSpec {
        IntentSpec { name: self.name, version: version.into(), docstring: self.docstring, params: self.params, examples: self.examples }
    }
}

/// Builder for one parameter.
pub struct Param(ParamSpec);

impl Param {
    fn new(name: &str, ty: ParamType, description: &str) -> Self {
        Param(ParamSpec { name: name.into(), type_: ty, description: description.into(), required: false, synonyms: vec![], unit: None, pattern: None })
    }

    pub fn int(name: &str, description: &str) -> Self {
        Self::new(name, ParamType::Int, description)
    }

    pub fn float(name: &str, description: &str) -> Self {
        Self::new(name, ParamType::Float, description)
    }

    pub fn text(name: &str, description: &str) -> Self {
        Self::new(name, ParamType::Text, description)
    }

    pub fn text_list(name: &str, description: &str) -> Self {
        Self::new(name, ParamType::TextList, description)
    }

    pub fn required(mut self) -> Self {
        self.0.required = true;
        self
    }

    pub fn synonyms(mut self, words: &[&str]) -> Self {
        self.0.synonyms = words.iter().map(|w| (*w).into()).collect();
        self
    }

    pub fn unit(mut self, unit: &str) -> Self {
        self.0.unit = Some(unit.into());
        self
    }

    pub fn pattern(mut self, regex: &str) -> Self {
        self.0.pattern = Some(regex.into());
        self
    }
}
