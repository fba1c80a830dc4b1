//! The MCP request handler: lists the tools and runs each call on the session's worker.
//!
//! A call runs as a REPL turn does (spec check, plugin run, rollback on failure, journal), and
//! its result is the text the REPL would print plus `structuredContent`: the call, the tables it
//! printed (as cells) and the configuration after it. A refused change or a plugin fault is a
//! result with `isError: true` (MCP spec, "Error handling": tool errors are results, protocol
//! errors are JSON-RPC errors); an unknown tool or a `converse` call without `text` is a
//! JSON-RPC error.
//!
//! Consent: a call to an intent whose plugin can act on AWS is refused unless the server was
//! started with `--allow-deploy`; with `--real-aws` the client must also confirm each one
//! through elicitation, and a client that cannot is refused.
use super::tools::{self, CONVERSE, Tools};
use super::worker::{Stopped, Worker};
use crate::conversation::Call;
use crate::router::{RouteError, Routed};
use crate::session::{Session, Turn};
use rmcp::model::{
    BooleanSchema, CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, ElicitRequestParams, ElicitationAction, ElicitationSchema,
    Implementation, InitializeResult, ListToolsResult, PaginatedRequestParams, PrimitiveSchemaDefinition, ServerCapabilities,
};
use rmcp::service::{ElicitationMode, RequestContext};
use rmcp::{ErrorData as McpError, Peer, RoleServer, ServerHandler};
use serde_json::json;
use std::sync::Arc;

/// What a client may make the server do on AWS.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// `--allow-deploy`: calls that act on AWS may run at all.
    pub allow_deploy: bool,
    /// `--real-aws`: each such call is confirmed by the client's user first.
    pub real_aws: bool,
}

#[derive(Clone)]
pub struct Server {
    worker: Arc<Worker>,
    tools: Arc<Tools>,
    policy: Policy,
}

impl Server {
    pub fn new(worker: Worker, tools: Arc<Tools>, policy: Policy) -> Server {
        Server { worker: Arc::new(worker), tools, policy }
    }

    /// `Ok` when `call` may run now: it cannot act on AWS, or the policy and the user allow it.
    async fn consent(&self, call: &Call, peer: &Peer<RoleServer>) -> Result<(), String> {
        if !self.tools.acts_on_aws(&call.intent) {
            return Ok(());
        }
        if !self.policy.allow_deploy {
            return Err(format!(
                "Refused: {} acts on AWS, and this MCP server was started without --allow-deploy. Nothing was sent to AWS. Start it with `aws-agent mcp --allow-deploy` to let clients deploy (to the local simulator unless --real-aws or --aws-endpoint is given).",
                call.intent
            ));
        }
        if !self.policy.real_aws {
            return Ok(());
        }
        if !peer.supported_elicitation_modes().contains(&ElicitationMode::Form) {
            return Err(format!(
                "Refused: {} would act on real AWS, which needs your confirmation for each call, and this MCP client cannot ask for it (it does not support elicitation). Nothing was sent to AWS.",
                call.intent
            ));
        }
        let schema = ElicitationSchema::builder()
            .required_property("confirm", PrimitiveSchemaDefinition::Boolean(BooleanSchema::new().description("true to go ahead")))
            .build()
            .map_err(|e| format!("cannot build the confirmation form: {e}"))?;
        let message = format!("aws-agent is about to run {call} on real AWS with your credentials; it creates or deletes billable resources. Go ahead?");
        let asked = peer.create_elicitation(ElicitRequestParams::FormElicitationParams { meta: None, message, requested_schema: schema }).await;
        let answer = asked.map_err(|e| format!("Refused: the confirmation could not be asked for ({e}). Nothing was sent to AWS."))?;
        let confirmed =
            answer.action == ElicitationAction::Accept && answer.content.as_ref().and_then(|c| c.get("confirm")).and_then(|v| v.as_bool()) == Some(true);
        match confirmed {
            true => Ok(()),
            false => Err(format!("Refused: {} was not confirmed. Nothing was sent to AWS.", call.intent)),
        }
    }

    /// Runs `routed` as the turn for `utterance` and returns what the user would have seen.
    async fn run(&self, utterance: String, routed: Result<Routed, RouteError>) -> Result<CallToolResult, McpError> {
        Ok(self.worker.run(move |session| outcome(session, &utterance, routed)).await?)
    }
}

/// The session's thread is gone: a fault of the server, not of the call.
impl From<Stopped> for McpError {
    fn from(e: Stopped) -> McpError {
        McpError::internal_error(e.to_string(), None)
    }
}

/// Runs the turn, then reads the console and the configuration for the result.
fn outcome(session: &mut Session, utterance: &str, routed: Result<Routed, RouteError>) -> CallToolResult {
    let turn = session.run_routed(utterance, routed);
    let caps = session.caps();
    let text = caps.console.take_lines().join("\n");
    let tables: Vec<_> = caps.console.tables().iter().map(|(columns, rows)| json!({"columns": columns, "rows": rows})).collect();
    let configuration = serde_json::to_value(&caps.config).unwrap_or_default();
    let ran = Routed { plan: turn.ran().to_vec(), notes: vec![] }.to_json();
    let (call, ok) = match &turn {
        Turn::Ran { .. } => (ran, true),
        Turn::Failed { .. } => (ran, false),
        Turn::Unanswered { .. } => (serde_json::Value::Null, false),
    };
    let content = vec![ContentBlock::text(text)];
    let mut result = if ok { CallToolResult::success(content) } else { CallToolResult::error(content) };
    result.structured_content = Some(json!({"call": call, "tables": tables, "configuration": configuration}));
    result
}

fn refused(message: String) -> CallToolResult {
    CallToolResult::error(vec![ContentBlock::text(message)])
}

impl ServerHandler for Server {
    fn get_info(&self) -> InitializeResult {
        InitializeResult::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("aws-agent", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "Sizes, configures and deploys EC2 capacity. Call a tool with typed arguments, or `converse` with the user's own words; one configuration per session, changed by each call.",
            )
    }

    async fn list_tools(&self, _request: Option<PaginatedRequestParams>, _context: RequestContext<RoleServer>) -> Result<ListToolsResult, McpError> {
        Ok(ListToolsResult::with_all_items(self.tools.list.clone()))
    }

    async fn call_tool(&self, request: CallToolRequestParams, context: RequestContext<RoleServer>) -> Result<CallToolResponse, McpError> {
        let name = request.name.to_string();
        if !self.tools.has(&name) {
            let names: Vec<&str> = self.tools.list.iter().map(|t| t.name.as_ref()).collect();
            return Err(McpError::invalid_params(format!("no tool named {name:?}; the tools are {}", names.join(", ")), None));
        }
        tracing::info!(tool = %name, arguments = ?request.arguments, "mcp.call");
        let (utterance, routed) = if name == CONVERSE {
            let Some(text) = request.arguments.as_ref().and_then(|a| a.get("text")).and_then(|t| t.as_str()).map(String::from) else {
                return Err(McpError::invalid_params("converse needs {\"text\": \"what the user said\"}", None));
            };
            let words = text.clone();
            let routed = self.worker.run(move |session| session.route(&words)).await?;
            (text, routed)
        } else {
            match tools::call_of(&name, request.arguments) {
                Ok(call) => (call.to_string(), Ok(Routed::call(call))),
                Err(message) => return Ok(refused(message).into()),
            }
        };
        if let Ok(routed) = &routed
            && let Some(call) = routed.plan.iter().find(|c| self.tools.acts_on_aws(&c.intent))
            && let Err(message) = self.consent(call, &context.peer).await
        {
            tracing::info!(%call, message, "mcp.refused");
            // What routing had to tell belongs to this answer, not to the next call's.
            let mut notes = routed.notes.clone();
            notes.push(message);
            return Ok(refused(notes.join("\n")).into());
        }
        Ok(self.run(utterance, routed).await?.into())
    }
}
