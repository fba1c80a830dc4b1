use anyhow::{Context, Result};
use aws_agent::router::eval::{evaluate, Case};
use aws_agent::session::Session;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct EvalArgs {
    /// JSON Lines of {"text": ..., "intent": ..., "args": {...}}.
    file: PathBuf,
    /// Print the figures as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(session: &Session, args: EvalArgs) -> Result<()> {
    let text = std::fs::read_to_string(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?;
    let cases = Case::parse_all(&text).map_err(anyhow::Error::msg).with_context(|| format!("in {}", args.file.display()))?;
    let report = evaluate(session.router(), &cases).map_err(anyhow::Error::msg)?;
    if args.json {
        println!("{}", report.to_json());
    } else {
        print!("{report}");
    }
    Ok(())
}
