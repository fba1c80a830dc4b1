use anyhow::{Context, Result};
use aws_agent::router::Router;
use aws_agent::session::Session;
use std::io::{BufRead, Write};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct RouteArgs {
    /// Print JSON: {"intent": ..., "args": {...}}.
    #[arg(long)]
    json: bool,
    /// Show the score of every intent and which words filled which argument.
    #[arg(long, conflicts_with_all = ["json", "batch"])]
    explain: bool,
    /// Route every line of FILE, printing one JSON object per line.
    #[arg(long, value_name = "FILE", conflicts_with = "text")]
    batch: Option<PathBuf>,
    /// The utterance.
    #[arg(required_unless_present = "batch")]
    text: Vec<String>,
}

pub fn run(session: &Session, args: RouteArgs) -> Result<()> {
    let router = session.router();
    if let Some(file) = &args.batch {
        return batch(router, file);
    }
    let text = args.text.join(" ");
    if args.explain {
        println!("{}", router.explain(&text));
        return Ok(());
    }
    let call = router.route(&text)?;
    if args.json {
        println!("{}", call.to_json());
    } else {
        println!("{call}");
    }
    Ok(())
}

fn batch(router: &dyn Router, file: &PathBuf) -> Result<()> {
    let input = std::fs::File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
    let mut out = std::io::stdout().lock();
    for line in std::io::BufReader::new(input).lines() {
        let line = line.with_context(|| format!("reading {}", file.display()))?;
        writeln!(out, "{}", router.route(&line)?.to_json())?;
    }
    Ok(())
}
