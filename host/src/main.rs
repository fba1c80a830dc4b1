//! The `aws-agent` command line.
use anyhow::{bail, Context, Result};
use aws_agent::capability::console::Sink;
use aws_agent::catalog::Source;
use aws_agent::plugin::{Limits, ParamType};
use aws_agent::router::Router;
use aws_agent::session::{Options, Session};
use aws_agent::{paths, repl};
use clap::{Parser, Subcommand};
use std::io::{BufRead, Write};
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
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Route an utterance and print the call, without running it.
    Route {
        /// Print JSON: {"intent": ..., "args": {...}}.
        #[arg(long)]
        json: bool,
        /// Route every line of FILE, printing one JSON object per line.
        #[arg(long, value_name = "FILE", conflicts_with = "text")]
        batch: Option<PathBuf>,
        /// The utterance.
        #[arg(required_unless_present = "batch")]
        text: Vec<String>,
    },
    /// Inspect the loaded intent plugins.
    Plugins {
        #[command(subcommand)]
        command: PluginsCommand,
    },
}

#[derive(Subcommand)]
enum PluginsCommand {
    /// Each loaded intent with its docstring and parameters.
    List {
        #[arg(long)]
        json: bool,
    },
}

fn main() {
    if let Err(e) = run(Cli::parse()) {
        eprintln!("error: {e:#}");
        std::process::exit(2);
    }
}

fn run(cli: Cli) -> Result<()> {
    let catalog = match &cli.catalog {
        Some(path) => Source::from_path(path)?,
        None => Source::Bundled,
    };
    let mut plugin_dirs = vec![paths::builtin_plugins()];
    plugin_dirs.extend(cli.plugins.iter().cloned());
    let sink = if cli.command.is_none() { Sink::Stdout } else { Sink::Buffer(vec![]) };
    let options = Options { plugin_dirs, catalog, cache_dir: paths::cache_dir(), limits: Limits::default(), sink };
    let (mut session, errors) = Session::start(options).context("cannot start the plugin runtime")?;
    for e in &errors {
        eprintln!("warning: plugin skipped: {e}");
    }
    if session.registry().plugins().is_empty() {
        bail!("no intent plugins loaded from {}; run `make build` first", paths::builtin_plugins().display());
    }
    match cli.command {
        None => repl::run(&mut session).context("reading input"),
        Some(Command::Route { batch: Some(file), .. }) => route_batch(session.router(), &file),
        Some(Command::Route { json, text, .. }) => {
            let call = session.router().route(&text.join(" "))?;
            if json {
                println!("{}", call.to_json());
            } else {
                println!("{call}");
            }
            Ok(())
        }
        Some(Command::Plugins { command: PluginsCommand::List { json } }) => {
            list_plugins(&session, json);
            Ok(())
        }
    }
}

fn route_batch(router: &dyn Router, file: &PathBuf) -> Result<()> {
    let input = std::fs::File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
    let mut out = std::io::stdout().lock();
    for line in std::io::BufReader::new(input).lines() {
        let line = line.with_context(|| format!("reading {}", file.display()))?;
        writeln!(out, "{}", router.route(&line)?.to_json())?;
    }
    Ok(())
}

fn list_plugins(session: &Session, json: bool) {
    let plugins = session.registry().plugins();
    if json {
        let list: Vec<serde_json::Value> = plugins
            .iter()
            .map(|p| {
                let s = &p.spec;
                serde_json::json!({
                    "name": s.name,
                    "version": s.version,
                    "docstring": s.docstring,
                    "params": s.params,
                    "examples": s.examples.iter().map(|e| serde_json::json!({
                        "utterance": e.utterance,
                        "args": aws_agent::router::Call { intent: s.name.clone(), args: e.args.clone() }.to_json()["args"],
                    })).collect::<Vec<_>>(),
                    "path": p.path,
                })
            })
            .collect();
        println!("{}", serde_json::Value::Array(list));
        return;
    }
    for p in plugins {
        let s = &p.spec;
        println!("{} {} ({})\n  {}", s.name, s.version, p.path.display(), s.docstring);
        for param in &s.params {
            let ty = match param.ty {
                ParamType::Int => "int",
                ParamType::Float => "float",
                ParamType::Text => "text",
                ParamType::TextList => "list of text",
            };
            let required = if param.required { ", required" } else { "" };
            println!("  - {} ({ty}{required}): {}", param.name, param.description);
        }
    }
}
