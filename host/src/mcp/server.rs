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
//! started with `--allow-deploy`. What the capability must ask inside the call (a teardown's
//! list, a second copy, a deploy to real AWS) is asked of the client's user through
//! elicitation (`elicit`); on real AWS a client that cannot elicit is refused up front.
use super::elicit::ElicitConfirm;
use super::tools::{CONVERSE, Tools};
use super::worker::{Stopped, Worker};
use crate::conversation::Call;
use crate::router::{RouteError, Routed};
use crate::session::{Session, Turn};
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation, InitializeResult, ListToolsResult, PaginatedRequestParams,
    ServerCapabilities,
};
use rmcp::service::RequestContext;
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
        // On real AWS every action is confirmed with its plan or list shown, inside the call
        // (`ElicitConfirm`); a client that cannot be asked is refused before anything is sent.
        if self.policy.real_aws && !ElicitConfirm::can_ask(peer) {
            return Err(format!(
                "Refused: {} would act on real AWS, which needs your confirmation for each call, and this MCP client cannot ask for it (it does not support elicitation). Nothing was sent to AWS.",
                call.intent
            ));
        }
        Ok(())
    }

    /// Runs `routed` as the turn for `utterance` and returns what the user would have seen;
    /// what the turn must ask (a teardown, a real-AWS deploy) is asked of `peer`'s user.
    async fn run(&self, utterance: String, routed: Result<Routed, RouteError>, peer: Peer<RoleServer>) -> Result<CallToolResult, McpError> {
        let runtime = tokio::runtime::Handle::current();
        Ok(self
            .worker
            .run(move |session| {
                session.caps().confirm = Box::new(ElicitConfirm { peer, runtime });
                outcome(session, &utterance, routed)
            })
            .await?)
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
            // The REPL's line guard: a line over the limit is refused, escapes removed.
            let text = match crate::input::admit(&text) {
                Ok(admitted) => admitted.into_owned(),
                Err(refusal) => return Ok(refused(refusal.to_string()).into()),
            };
            let words = text.clone();
            let routed = self.worker.run(move |session| session.route(&words)).await?;
            (text, routed)
        } else {
            match self.tools.call_of(&name, request.arguments) {
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
        Ok(self.run(utterance, routed, context.peer.clone()).await?.into())
    }
}
