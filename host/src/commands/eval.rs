//! `aws-agent eval [--json] FILE`: a labelled set scored by the scorer its shape asks for
//! (`evaluation`): utterances through the router; conversations, action sets and question sets
//! through the session, turn by turn.
use anyhow::{Context, Result};
use aws_agent::evaluation::{Shape, actions, conversations, questions, utterances};
use aws_agent::session::Session;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct EvalArgs {
    /// JSON Lines of labelled utterances {"text", "intent", "args"}, of conversations
    /// {"turns": [...], "expect": {...}}, of action cases {"text", "act", "class"} or of question
    /// cases {"text", "intent", "args", "kind"}; see tests/eval/README.md.
    file: PathBuf,
    /// Print the figures as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(session: &mut Session, args: EvalArgs) -> Result<()> {
    let text = std::fs::read_to_string(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?;
    let at = || format!("in {}", args.file.display());
    let (json, shown) = match Shape::of(&text) {
        Shape::Conversations => {
            let cases = conversations::Conversation::parse_all(&text).map_err(anyhow::Error::msg).with_context(at)?;
            let report = conversations::evaluate(session, &cases).map_err(anyhow::Error::msg).with_context(at)?;
            (report.to_json(), report.to_string())
        }
        Shape::Actions => {
            let cases = actions::Case::parse_all(&text).map_err(anyhow::Error::msg).with_context(at)?;
            let report = actions::evaluate(session, &cases);
            (report.to_json(), report.to_string())
        }
        Shape::Questions => {
            let cases = questions::Case::parse_all(&text).map_err(anyhow::Error::msg).with_context(at)?;
            let report = questions::evaluate(session, &cases).map_err(anyhow::Error::msg).with_context(at)?;
            (report.to_json(), report.to_string())
        }
        Shape::Utterances => {
            let cases = utterances::Case::parse_all(&text).map_err(anyhow::Error::msg).with_context(at)?;
            let actions: Vec<String> = session.registry().actions().map(String::from).collect();
            let report = utterances::evaluate(session.router(), &cases, &actions).map_err(anyhow::Error::msg)?;
            (report.to_json(), report.to_string())
        }
    };
    match args.json {
        true => println!("{json}"),
        false => print!("{shown}"),
    }
    Ok(())
}
