//! `aws-agent route [--json|--explain] TEXT` and `route --batch FILE`: the plan the router makes
//! of an utterance, without running it. `--json` prints `{"intent", "args"}` for a plan of one
//! call and `{"calls": [{"intent", "args"}, …]}` for more (or none); `--explain` shows how the
//! router reached it; `--batch` prints one JSON object per line of FILE. What the router has to
//! tell besides (a clause left out, an action not asked for now) goes to stderr.
use anyhow::{Context, Result};
use aws_agent::router::{RouteError, Routed};
use aws_agent::session::Session;
use std::io::{BufRead, Write};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct RouteArgs {
    /// Print JSON: {"intent": ..., "args": {...}}, or {"calls": [...]} for a plan of several.
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

/// Exit status 0 when routed, 1 when the router refused to answer with a call.
pub fn run(session: &Session, args: RouteArgs) -> Result<i32> {
    let router = session.router();
    if let Some(file) = &args.batch {
        return batch(session, file).map(|()| 0);
    }
    let text = args.text.join(" ");
    if args.explain {
        println!("{}", router.explain(&text));
        return Ok(0);
    }
    match route_telling(session, &text) {
        Ok(routed) if args.json => println!("{}", routed.to_json()),
        Ok(routed) => println!("{routed}"),
        Err(e @ (RouteError::Rejected(_) | RouteError::Declined(_) | RouteError::BadReply(_))) => {
            eprintln!("not routed: {e}");
            return Ok(1);
        }
        Err(e) => return Err(e.into()),
    }
    Ok(0)
}

/// Routes `text` as the first line of a new session (so "two more" is relative to its
/// configuration); what the router has to tell (arguments left out, the offline reading used)
/// goes to stderr, so stdout stays the call alone.
fn route_telling(session: &Session, text: &str) -> Result<Routed, RouteError> {
    let routed = session.route(text)?;
    for note in &routed.notes {
        eprintln!("{note}");
    }
    Ok(routed)
}

/// One JSON object per line; a refused line gets `{"error": …}` so the lines stay aligned with
/// the input, while a backend that stops answering ends the batch.
fn batch(session: &Session, file: &PathBuf) -> Result<()> {
    let input = std::fs::File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
    let mut out = std::io::stdout().lock();
    for line in std::io::BufReader::new(input).lines() {
        let line = line.with_context(|| format!("reading {}", file.display()))?;
        let json = match route_telling(session, &line) {
            Ok(routed) => routed.to_json(),
            Err(e @ (RouteError::Rejected(_) | RouteError::Declined(_) | RouteError::BadReply(_))) => serde_json::json!({ "error": e.to_string() }),
            Err(e) => return Err(e.into()),
        };
        writeln!(out, "{json}")?;
    }
    Ok(())
}
