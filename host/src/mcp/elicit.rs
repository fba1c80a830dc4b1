//! Questions asked inside an MCP tool call (a teardown's list, a real-AWS deploy's plan, a
//! second copy), put to the client's user through MCP elicitation: a form with one boolean,
//! `confirm`. A client that cannot elicit cannot say yes, so the side effect is refused.
//!
//! The question comes from the session's thread, in the middle of a plugin call; the form is
//! sent by blocking that thread on the server's runtime, which keeps serving the transport
//! meanwhile (its own thread is awaiting the call's answer, not blocked).
use crate::capability::confirm::Confirm;
use rmcp::model::{BooleanSchema, ElicitRequestParams, ElicitationAction, ElicitationSchema, PrimitiveSchemaDefinition};
use rmcp::service::ElicitationMode;
use rmcp::{Peer, RoleServer};

pub struct ElicitConfirm {
    pub peer: Peer<RoleServer>,
    pub runtime: tokio::runtime::Handle,
}

impl ElicitConfirm {
    /// Whether the client can be asked at all.
    pub fn can_ask(peer: &Peer<RoleServer>) -> bool {
        peer.supported_elicitation_modes().contains(&ElicitationMode::Form)
    }
}

impl Confirm for ElicitConfirm {
    fn confirm(&mut self, question: &str, details: &[String]) -> Result<bool, String> {
        if !Self::can_ask(&self.peer) {
            return Err("this MCP client cannot ask you (it does not support elicitation), and this needs your yes".into());
        }
        let schema = ElicitationSchema::builder()
            .required_property("confirm", PrimitiveSchemaDefinition::Boolean(BooleanSchema::new().description("true to go ahead")))
            .build()
            .map_err(|e| format!("cannot build the confirmation form: {e}"))?;
        let message = match details.is_empty() {
            true => question.to_string(),
            false => format!("{}\n{question}", details.join("\n")),
        };
        let form = ElicitRequestParams::FormElicitationParams { meta: None, message, requested_schema: schema };
        let answer = self.runtime.block_on(self.peer.create_elicitation(form)).map_err(|e| format!("the confirmation could not be asked for ({e})"))?;
        Ok(answer.action == ElicitationAction::Accept && answer.content.as_ref().and_then(|c| c.get("confirm")).and_then(|v| v.as_bool()) == Some(true))
    }
}
