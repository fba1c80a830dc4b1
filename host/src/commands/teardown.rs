//! `aws-agent teardown --all`: deletes everything aws-agent created in the region, found by its
//! `aws-agent:session` tag whichever process created it; for scripts and for cleaning up after a
//! crash. In a conversation, the teardown intent removes only what that session deployed.
use anyhow::{Result, bail};
use aws_agent::aws::{AwsBackend, Settings};
use aws_agent::capability::console::{Console, Sink};

#[derive(clap::Args)]
pub struct TeardownArgs {
    /// Delete everything aws-agent created in the region (found by its session tag), whichever
    /// process created it; for scripts and for cleaning up after a crash.
    #[arg(long)]
    all: bool,
}

/// Exit status 0 when nothing tool-made is left, 1 when something could not be deleted.
pub fn run(args: TeardownArgs, aws: Settings, region: &str) -> Result<i32> {
    if !args.all {
        bail!(
            "say --all: `teardown` as a command deletes everything aws-agent created in the region; in a conversation, the teardown intent removes what that session deployed"
        );
    }
    let mut console = Console::new(Sink::Stdout);
    match AwsBackend::new(aws).teardown_all(region, &mut console) {
        Ok(deleted) if deleted.is_empty() => {
            console.print(&format!("Nothing created by aws-agent is left in {region}. Only {region} was searched; pass --region to clean up another."));
            Ok(0)
        }
        Ok(deleted) => {
            console.print(&format!("Deleted in {region}:\n{}\nOnly {region} was searched; pass --region to clean up another.", deleted.join("\n")));
            Ok(0)
        }
        Err(message) => {
            console.print_problem(&message);
            Ok(1)
        }
    }
}
