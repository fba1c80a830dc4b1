//! The MCP tools: one per loaded intent, plus `converse`.
//!
//! A tool's description is the intent's docstring and its input schema is generated from the
//! intent's parameter spec by `plugin::schema`, the generator the OpenAI-compatible backend
//! uses. Annotations come from what the plugin's component imports, never from its name
//! (MCP spec, "Tool annotations"): a plugin that can change neither the configuration nor AWS
//! is `readOnlyHint` (export, status: `aws-read` only reads); one that can reach AWS is
//! `openWorldHint`, and `destructiveHint` too when it can act there (`aws`).
use crate::conversation::Call;
use crate::plugin::spec::IntentSpec;
use crate::plugin::{Capability, Registry, schema};
use rmcp::model::{JsonObject, Tool, ToolAnnotations};
use serde_json::json;
use std::collections::BTreeSet;
use std::sync::Arc;

/// The free-text tool: the user's words, routed and run like a REPL turn.
pub const CONVERSE: &str = "converse";

/// What the server offers, fixed when it starts.
pub struct Tools {
    pub list: Vec<Tool>,
    /// Intents whose plugins may act on AWS: their calls need consent.
    acts_on_aws: BTreeSet<String>,
    /// Each tool's spec, which reads the client's arguments as the REPL reads words.
    specs: Vec<IntentSpec>,
}

impl Tools {
    pub fn of(registry: &Registry) -> Tools {
        let acts_on_aws: BTreeSet<String> = registry.actions().map(String::from).collect();
        let mut list: Vec<Tool> = registry
            .plugins()
            .iter()
            .map(|plugin| {
                let aws = acts_on_aws.contains(&plugin.spec.name);
                let read_only = !aws && !plugin.imports.contains(&Capability::ConfigWrite);
                let reaches_aws = aws || plugin.imports.contains(&Capability::AwsRead);
                let annotations = ToolAnnotations::new().read_only(read_only).destructive(aws).open_world(reaches_aws);
                Tool::new(plugin.spec.name.clone(), plugin.spec.docstring.clone(), object(schema::input_schema(&plugin.spec))).annotate(annotations)
            })
            .collect();
        let converse = json!({
            "type": "object",
            "properties": {"text": {"type": "string", "description": "What the user said, as they said it (e.g. \"cheapest box with 2 vCPUs and 8 GB\", \"keep at least 2 running\")."}},
            "required": ["text"],
            "additionalProperties": false,
        });
        let description = "Say something to aws-agent as the user would type it in its REPL: it is routed to the tools its words ask for (one or several, in order; or refused as out of scope) and run against this session's configuration as one turn; the answer is the text the REPL would print. Deploys and teardowns run only when the words ask for them now.";
        let any_aws = !acts_on_aws.is_empty();
        list.push(
            Tool::new(CONVERSE, description, object(converse)).annotate(ToolAnnotations::new().read_only(false).destructive(any_aws).open_world(any_aws)),
        );
        Tools { list, acts_on_aws, specs: registry.specs().cloned().collect() }
    }

    /// A client's arguments for `intent` as a call, read as the REPL reads them (a place that
    /// names one region is its code, `schema::arguments_of`): `null` leaves an argument out; a
    /// value that is not a number, a string or a list of strings is refused with its name. Types
    /// and ranges are the spec's check, made when the call runs.
    pub fn call_of(&self, intent: &str, arguments: Option<JsonObject>) -> Result<Call, String> {
        let spec = self.specs.iter().find(|s| s.name == intent).ok_or_else(|| format!("no tool named {intent:?}"))?;
        let args = schema::arguments_of(spec, arguments.unwrap_or_default()).map_err(|why| format!("{intent}: {why}"))?;
        Ok(Call { intent: intent.to_string(), args })
    }

    pub fn acts_on_aws(&self, intent: &str) -> bool {
        self.acts_on_aws.contains(intent)
    }

    pub fn has(&self, name: &str) -> bool {
        self.list.iter().any(|t| t.name == name)
    }
}

fn object(schema: serde_json::Value) -> Arc<JsonObject> {
    match schema {
        serde_json::Value::Object(map) => Arc::new(map),
        _ => Arc::new(JsonObject::new()),
    }
}
