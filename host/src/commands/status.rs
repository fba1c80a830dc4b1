//! `aws-agent status [--all-regions]`: what aws-agent runs, found by its tag, in the region or in
//! every region of the catalog, with what it costs and, for what the resumed session deployed,
//! drift. It runs the `status` intent, so it prints what the conversation's "what's running?"
//! prints.
use anyhow::Result;
use aws_agent::router::Call;
use aws_agent::session::{Session, Turn};

#[derive(clap::Args)]
pub struct StatusArgs {
    /// Search every region of the catalog, not only --region.
    #[arg(long)]
    all_regions: bool,
}

/// Exit status 0, or 1 when the search failed.
pub fn run(session: &mut Session, args: StatusArgs) -> Result<i32> {
    let value = if args.all_regions { "yes" } else { "no" };
    let turn = session.execute(Call { intent: "status".into(), args: vec![("all_regions".into(), aws_agent::plugin::Value::Text(value.into()))] });
    for line in session.caps().console.take_lines() {
        println!("{line}");
    }
    Ok(if matches!(turn, Turn::Ran { .. }) { 0 } else { 1 })
}
