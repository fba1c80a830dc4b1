//! The `aws-agent` command line.
mod commands;

use anyhow::{bail, Context, Result};
use aws_agent::capability::console::Sink;
use aws_agent::catalog::Source;
use aws_agent::plugin::Limits;
use aws_agent::session::{Options, Session};
use aws_agent::aws::{self, simulator::find_moto_server, Target};
use aws_agent::{paths, repl};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Size, configure and deploy EC2 capacity by talking to it.
#[derive(Parser)]
#[command(name = "aws-agent", version, about)]
struct Cli {
    /// Another folder of intent plugins (*.wasm); may be repeated.
    #[arg(long = "plugins", value_name = "DIR", global = true)]
    plugins: Vec<PathBuf>,
    /// Instance catalog: a folder with instance_types.csv and prices.csv, the seed prototype's
    /// CSV, or a SQLite file. Default: the bundled catalog.
    #[arg(long, value_name = "PATH", global = true)]
    catalog: Option<PathBuf>,
    /// Deploy to this AWS-compatible endpoint instead of a local simulator.
    #[arg(long, value_name = "URL", env = "AWS_ENDPOINT_URL", global = true)]
    aws_endpoint: Option<String>,
    /// Deploy to real AWS with the normal credential chain (AWS_PROFILE, AWS_REGION); each
    /// deployment asks you to type `deploy` first.
    #[arg(long, global = true)]
    real_aws: bool,
    /// How many seconds to follow a new instance's console output.
    #[arg(long, value_name = "N", default_value_t = aws_agent::aws::DEFAULT_LOG_SECONDS, global = true)]
    log_seconds: u64,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Route an utterance and print the call, without running it.
    Route(commands::route::RouteArgs),
    /// Inspect the loaded intent plugins.
    Plugins {
        #[command(subcommand)]
        command: commands::plugins::PluginsCommand,
    },
    /// Score the router on labelled utterances (JSON Lines).
    Eval(commands::eval::EvalArgs),
    /// Query the instance catalog.
    Catalog {
        #[command(subcommand)]
        command: commands::catalog::CatalogCommand,
    },
}

fn main() {
    // Like other Unix filters: `aws-agent … | head` ends quietly instead of panicking on EPIPE.
    // SAFETY: called before any other thread exists; SIG_DFL is always a valid disposition.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    match run(Cli::parse()) {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::exit(2);
        }
    }
}

/// Runs the command; the exit status is 0, or 1 when the answer is "nothing found".
fn run(cli: Cli) -> Result<i32> {
    let catalog = match &cli.catalog {
        Some(path) => Source::from_path(path)?,
        None => Source::Bundled,
    };
    let mut plugin_dirs = vec![paths::builtin_plugins()];
    plugin_dirs.extend(cli.plugins.iter().cloned());
    let sink = if cli.command.is_none() { Sink::Stdout } else { Sink::Buffer(vec![]) };
    let target = match (cli.real_aws, cli.aws_endpoint) {
        (true, _) => Target::RealAws,
        (false, Some(url)) => Target::Endpoint(url),
        (false, None) => Target::Simulator { moto_server: find_moto_server() },
    };
    let aws = aws::Settings { target, log_seconds: cli.log_seconds };
    let options = Options { plugin_dirs, catalog, cache_dir: paths::cache_dir(), limits: Limits::default(), sink, aws: aws.clone() };
    let (mut session, errors) = Session::start(options).context("cannot start the plugin runtime")?;
    for e in &errors {
        eprintln!("warning: plugin skipped: {e}");
    }
    if session.registry().plugins().is_empty() {
        bail!("no intent plugins loaded from {}; run `make build` first", paths::builtin_plugins().display());
    }
    match cli.command {
        None => repl::run(&mut session).context("reading input").map(|()| 0),
        Some(Command::Route(args)) => commands::route::run(&session, args).map(|()| 0),
        Some(Command::Eval(args)) => commands::eval::run(&session, args).map(|()| 0),
        Some(Command::Plugins { command }) => commands::plugins::run(&session, command).map(|()| 0),
        Some(Command::Catalog { command }) => commands::catalog::run(&mut session, command, aws),
    }
}
