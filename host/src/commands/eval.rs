//! `aws-agent eval [--json] FILE`: labelled utterances scored through the router (`router::eval`),
//! or, when the file holds conversations, each conversation run turn by turn through the session
//! (`dialogue`).
use anyhow::{Context, Result};
use aws_agent::dialogue::Conversation;
use aws_agent::router::eval::{Case, evaluate};
use aws_agent::session::Session;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct EvalArgs {
    /// JSON Lines of labelled utterances {"text", "intent", "args"}, or of conversations
    /// {"turns": [...], "expect": {"asg.MinSize": 2, ...}}.
    file: PathBuf,
    /// Print the figures as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(session: &mut Session, args: EvalArgs) -> Result<()> {
    let text = std::fs::read_to_string(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?;
    let at = || format!("in {}", args.file.display());
    if Conversation::is_conversation_file(&text) {
        let conversations = Conversation::parse_all(&text).map_err(anyhow::Error::msg).with_context(at)?;
        let report = aws_agent::dialogue::evaluate(session, &conversations).map_err(anyhow::Error::msg).with_context(at)?;
        match args.json {
            true => println!("{}", report.to_json()),
            false => print!("{report}"),
        }
        return Ok(());
    }
    let cases = Case::parse_all(&text).map_err(anyhow::Error::msg).with_context(at)?;
    let mut report = evaluate(session.router(), &cases).map_err(anyhow::Error::msg)?;
    report.actions = session.registry().actions().map(String::from).collect();
    match args.json {
        true => println!("{}", report.to_json()),
        false => print!("{report}"),
    }
    Ok(())
}
