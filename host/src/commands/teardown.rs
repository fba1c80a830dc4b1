//! `aws-agent teardown --all [--all-regions] [--dry-run] [--yes]`: deletes everything aws-agent
//! created, found by its `aws-agent:session` tag whichever process created it, in the region or
//! in every region of the catalog; for scripts and for cleaning up after a crash. It lists what
//! it found with what it costs per hour, then deletes only after a yes: `--yes` given in advance,
//! or asked on a terminal; with neither (a script), it refuses. `--dry-run` lists and deletes
//! nothing. In a conversation, the teardown intent removes only what that session deployed.
use anyhow::{Result, bail};
use aws_agent::aws::{AwsBackend, Settings};
use aws_agent::capability::config::Facts;
use aws_agent::capability::confirm::{Answer, Confirm};
use aws_agent::capability::console::{Console, Sink};
use aws_agent::session::Session;

#[derive(clap::Args)]
pub struct TeardownArgs {
    /// Delete everything aws-agent created in the region (found by its session tag), whichever
    /// process created it; for scripts and for cleaning up after a crash.
    #[arg(long)]
    all: bool,
    /// Search every region of the catalog, not only --region.
    #[arg(long, requires = "all")]
    all_regions: bool,
    /// List what would be deleted, and what it costs, without deleting anything.
    #[arg(long)]
    dry_run: bool,
    /// Delete without asking (scripts); without it, a terminal is asked and a script refused.
    #[arg(long, short)]
    yes: bool,
}

/// Asks on the terminal; anything but "y"/"yes" is no.
struct Terminal;

impl Confirm for Terminal {
    fn confirm(&mut self, question: &str, _details: &[String]) -> Result<bool, String> {
        Ok(aws_agent::repl::confirm(question))
    }
}

/// Exit status 0 when nothing tool-made is left (or a dry run listed it), 1 when something could
/// not be deleted or the deletion was not confirmed.
pub fn run(session: &mut Session, args: TeardownArgs, aws: Settings, region: &str) -> Result<i32> {
    if !args.all {
        bail!(
            "say --all: `teardown` as a command deletes everything aws-agent created in the region; in a conversation, the teardown intent removes what that session deployed"
        );
    }
    let caps = session.caps();
    let regions = match args.all_regions {
        true => caps.catalog.regions().map_err(anyhow::Error::msg)?,
        false => vec![region.to_string()],
    };
    let mut confirm: Box<dyn Confirm> = match (args.yes, aws_agent::repl::interactive()) {
        (true, _) => Box::new(Answer::Yes),
        (false, true) => Box::new(Terminal),
        (false, false) => Box::new(Answer::No("there is no terminal to ask on; pass --yes to delete without a question, or --dry-run to list only".into())),
    };
    let mut console = Console::new(Sink::Stdout);
    let searched = match args.all_regions {
        true => format!("all {} regions of the catalog were searched", regions.len()),
        false => format!("only {region} was searched; pass --region to clean up another, or --all-regions"),
    };
    let outcome = AwsBackend::new(aws).cleanup(&regions, args.dry_run, &mut console, confirm.as_mut(), &mut caps.catalog);
    let report = match outcome {
        Ok(report) => report,
        Err(message) => {
            console.print_problem(&message);
            return Ok(1);
        }
    };
    for skipped in &report.skipped {
        console.warn(&format!("not searched: {skipped}"));
    }
    if report.nothing_found {
        console.print(&format!("Nothing created by aws-agent is left ({searched})."));
    } else if !args.dry_run {
        let mut lines = report.deleted.clone();
        lines.extend(report.already_gone.iter().map(|r| format!("{r}: already deleted")));
        console.print(&format!("Deleted:\n{}\n({searched}.)", lines.join("\n")));
    }
    Ok(0)
}
