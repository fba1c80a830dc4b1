//! Conversation state below the router and the model backends: the call a turn routes to, the
//! turns so far, what the user asked a search for, and the context a router reads to decide
//! what ambiguous words mean. It owns no behaviour beyond these shapes, so both routers, the
//! session and the journal can depend on it without depending on each other.
use crate::plugin::spec::{Args, Value};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The intent that answers anything no other intent covers. It is part of the contract.
pub const OUT_OF_SCOPE: &str = "out-of-scope";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Call {
    pub intent: String,
    pub args: Args,
}

impl Call {
    pub fn out_of_scope() -> Call {
        Call { intent: OUT_OF_SCOPE.into(), args: vec![] }
    }

    /// `{"intent": "modify-ec2", "args": {"MinCount": 2, "MaxCount": 4}}`
    pub fn to_json(&self) -> serde_json::Value {
        let args: serde_json::Map<String, serde_json::Value> =
            self.args.iter().map(|(k, v)| (k.clone(), serde_json::to_value(v).unwrap_or(serde_json::Value::Null))).collect();
        json!({ "intent": self.intent, "args": args })
    }
}

impl std::fmt::Display for Call {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}({})", self.intent, args_text(&self.args))
    }
}

/// `MinCount=2, InstanceType="m5.large"`: arguments as a call shows them.
pub fn args_text(args: &[(String, Value)]) -> String {
    let args: Vec<String> = args
        .iter()
        .map(|(k, v)| match v {
            Value::Text(t) => format!("{k}={t:?}"),
            other => format!("{k}={}", serde_json::to_string(other).unwrap_or_default()),
        })
        .collect();
    args.join(", ")
}

/// One earlier turn, as a router sees the conversation: what was said and the calls it ran.
#[derive(Debug, Clone, PartialEq)]
pub struct Exchange {
    pub utterance: String,
    pub plan: Vec<Call>,
}

/// What the user asked the last search for (contract 0.1.2 `config.requirements`). Kept in
/// the configuration, so it is saved with the session and undone and redone with it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Requirements {
    /// The constraints in effect, as the searching intent's own arguments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub constraints: Args,
    /// The constraints in words, as the searching intent wrote them ("≥ 8 vCPUs, arm64").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub summary: String,
    /// The instance type the search chose, and where: the configured type was found by search
    /// while both still hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chosen: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// At most this many constraints and this many characters of summary are kept from a plugin.
pub const MAX_CONSTRAINTS: usize = 16;
pub const MAX_SUMMARY: usize = 300;

impl Requirements {
    pub fn is_empty(&self) -> bool {
        self.constraints.is_empty() && self.chosen.is_none()
    }

    /// A plugin's requirements, bounded: a hostile plugin cannot grow the session file.
    pub fn bounded(mut self) -> Requirements {
        self.constraints.truncate(MAX_CONSTRAINTS);
        if let Some((cut, _)) = self.summary.char_indices().nth(MAX_SUMMARY) {
            self.summary.truncate(cut);
        }
        self
    }

    /// "Requirements: ≥ 8 vCPUs, arm64 — found by search (m7g.2xlarge in us-east-1)", or how
    /// the configured type departs from what was found.
    pub fn describe(&self, instance_type: &str, region: &str) -> Option<String> {
        if self.is_empty() {
            return None;
        }
        let wanted = if self.summary.is_empty() { "none" } else { self.summary.as_str() };
        let how = match (&self.chosen, &self.region) {
            (Some(t), Some(r)) if t == instance_type && r == region => format!("found by search ({t} in {r})"),
            (Some(t), _) => format!("InstanceType {instance_type} chosen by you; the search found {t}"),
            (None, _) => "not searched for yet".into(),
        };
        Some(format!("Requirements: {wanted} — {how}"))
    }
}

/// What a router is told about the conversation besides the utterance.
#[derive(Debug, Clone, Default)]
pub struct Context<'a> {
    /// The conversation so far, oldest first.
    pub history: &'a [Exchange],
    /// Parameter names that name settings the configuration does not use now (the EC2 counts
    /// while an Auto Scaling group is on): a word that could mean one of these or a setting in
    /// use means the one in use.
    pub dormant: Vec<String>,
    /// The configuration and requirements in a few lines, for model prompts.
    pub state: String,
    /// The intent the agent's last question offered to run ("Deploy this configuration?
    /// (yes/no)"): what a bare "yes" confirms this turn. None when nothing was asked.
    pub proposal: Option<String>,
    /// The settings and requirements now, by parameter name (`MaxSize`, `ram`), that words
    /// like "double the memory" or "make that 6" are relative to.
    pub values: Vec<(String, Value)>,
    /// The parameters the last change set, in order: what "make that 6" and "half of that"
    /// refer to.
    pub last_changed: Vec<String>,
}
