//! `aws-agent export --format cloudformation|terraform [--out FILE]`: the configuration as a
//! template, from the same plan a deploy sends (`capability/export.rs`). The configuration is the
//! saved session's (what the REPL had last, as `--resume` restores it) when there is one, else a
//! new one in `--region`; stderr says which.
use anyhow::{Context, Result, anyhow};
use aws_agent::journal::Journal;
use aws_agent::session::Session;
use std::path::PathBuf;

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Cloudformation,
    Terraform,
}

#[derive(clap::Args)]
pub struct ExportArgs {
    /// The template language.
    #[arg(long, value_enum)]
    format: Format,
    /// Write the template to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub fn run(session: &mut Session, args: ExportArgs) -> Result<i32> {
    let path = aws_agent::paths::session_file();
    let caps = session.caps();
    let from = match Journal::load(&path)? {
        Some(journal) => {
            journal.config.validate(&mut caps.catalog).map_err(|e| anyhow!("the saved session {} cannot be exported: {e}", path.display()))?;
            caps.config = journal.config;
            format!("the saved session's configuration ({})", path.display())
        }
        None => format!("a new configuration in {} (no saved session at {})", caps.config.ec2.region, path.display()),
    };
    let format = match args.format {
        Format::Cloudformation => "cloudformation",
        Format::Terraform => "terraform",
    };
    let template = aws_agent::capability::export::template(&caps.plan(), format).map_err(anyhow::Error::msg)?;
    match &args.out {
        Some(out) => {
            std::fs::write(out, &template).with_context(|| format!("cannot write {}", out.display()))?;
            eprintln!("Wrote the {format} template of {from} to {}.", out.display());
        }
        None => {
            println!("{template}");
            eprintln!("Exported {from} as {format}.");
        }
    }
    Ok(0)
}
