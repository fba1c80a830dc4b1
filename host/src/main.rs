//! The `aws-agent` command line.
//!
//! Parses the command line with clap: global settings (plugin folders, catalog, region, limits, AWS
//! target, model backend) and the subcommands `route`, `plugins`, `eval`, `catalog`, `teardown`,
//! `export`, `status` and `mcp`.
//! It starts the session, prints plugins that failed to load as warnings, refuses to run with none
//! loaded, and then runs the REPL or the subcommand. `plugins new` runs before any session starts,
//! so it works with no plugins built.
//!
//! Exit status: 0 on success; 1 when the answer is "no" (a `catalog` command found nothing, `route`
//! refused, a `plugins test` case failed, `teardown --all` could not delete something); 2 on error,
//! printed as `error: …`. `SIGPIPE` is reset so that `aws-agent … | head` ends quietly.
mod commands;

use anyhow::{Context, Result, bail};
use aws_agent::aws::{self, Target, simulator::find_moto_server};
use aws_agent::capability::console::Sink;
use aws_agent::catalog::Source;
use aws_agent::plugin::{Grants, Limits, PluginDir};
use aws_agent::session::{Options, Session};
use aws_agent::{paths, repl, settings, state_lock};
use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory, FromArgMatches, Parser, Subcommand};
use std::path::PathBuf;

/// Size, configure and deploy EC2 capacity by talking to it.
#[derive(Parser)]
#[command(name = "aws-agent", version, about)]
///
/// Every setting is also an environment variable and a key in the config file
/// (AWS_AGENT_CONFIG, default ~/.config/aws-agent/config.toml); a flag beats the variable, the
/// variable beats the file.
struct Cli {
    /// Another folder of intent plugins (*.wasm); may be repeated. [config: plugins]
    #[arg(long = "plugins", value_name = "DIR", env = "AWS_AGENT_PLUGINS", value_delimiter = ':', global = true)]
    plugins: Vec<PathBuf>,
    /// Instance catalog: a folder with instance_types.csv and prices.csv, the seed prototype's
    /// CSV, or a SQLite file. Default: the bundled catalog. [config: catalog]
    #[arg(long, value_name = "PATH", env = "AWS_AGENT_CATALOG", global = true)]
    catalog: Option<PathBuf>,
    /// Region a new configuration starts in (default us-east-1). [config: region]
    #[arg(long, value_name = "REGION", env = "AWS_AGENT_REGION", global = true)]
    region: Option<String>,
    /// Instruction budget of one plugin call. [config: fuel]
    #[arg(long, value_name = "UNITS", env = "AWS_AGENT_FUEL", global = true)]
    fuel: Option<u64>,
    /// Memory limit of one plugin call, in MiB. [config: memory_mib]
    #[arg(long, value_name = "MIB", env = "AWS_AGENT_MEMORY_MIB", global = true)]
    memory_mib: Option<u64>,
    /// Deploy to this AWS-compatible endpoint instead of a local simulator. [config: aws_endpoint]
    #[arg(long, value_name = "URL", env = "AWS_ENDPOINT_URL", global = true)]
    aws_endpoint: Option<String>,
    /// Deploy to real AWS with the normal credential chain (AWS_PROFILE, AWS_REGION); each
    /// deployment is confirmed first.
    #[arg(long, global = true)]
    real_aws: bool,
    /// Only answers: no banner and no configuration table after each change.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Also show each routed call and every capability call on stderr (they always go to the
    /// log file, aws-agent.log beside the session file).
    #[arg(long, short, global = true)]
    verbose: bool,
    #[command(flatten)]
    model: ModelArgs,
    /// Continue the previous conversation: its configuration, undo history and turns (with
    /// `mcp`: each MCP session's own).
    #[arg(long, global = true)]
    resume: bool,
    /// How many seconds to follow a new instance's console output (default 30). [config: log_seconds]
    #[arg(long, value_name = "N", env = "AWS_AGENT_LOG_SECONDS", global = true)]
    log_seconds: Option<u64>,
    #[command(subcommand)]
    command: Option<Command>,
}

/// How to reach a model, when one routes instead of the offline router.
#[derive(clap::Args)]
struct ModelArgs {
    /// Who routes each utterance: the built-in offline router, a NexusRaven-style model server
    /// (text-generation-inference) or an OpenAI-compatible one (OpenAI, Ollama, vLLM,
    /// llama.cpp). [config: llm]
    #[arg(long = "llm", value_enum, value_name = "BACKEND", env = "AWS_AGENT_LLM", global = true)]
    backend: Option<aws_agent::llm::Backend>,
    /// raven: the endpoint to POST to (e.g. http://localhost:8080/generate); openai: the base URL
    /// (default OPENAI_BASE_URL, else https://api.openai.com/v1). [config: llm_url]
    #[arg(long = "llm-url", value_name = "URL", env = "AWS_AGENT_LLM_URL", global = true)]
    url: Option<String>,
    /// The model to ask for (openai: required, e.g. gpt-4o-mini or llama3.1). [config: llm_model]
    #[arg(long = "llm-model", value_name = "NAME", env = "AWS_AGENT_LLM_MODEL", global = true)]
    model: Option<String>,
    /// When a model's first call is checked by a second, reflection pass (default always).
    /// [config: reflect]
    #[arg(long, value_enum, value_name = "WHEN", env = "AWS_AGENT_REFLECT", global = true)]
    reflect: Option<aws_agent::llm::Reflect>,
    /// When a model is asked: every utterance (always, the default), or only those the offline
    /// router is not sure of (unsure; a failed model answer then leaves the offline reading).
    /// [config: ask_model]
    #[arg(long = "ask-model", value_enum, value_name = "WHEN", env = "AWS_AGENT_ASK_MODEL", global = true)]
    ask_model: Option<aws_agent::llm::AskModel>,
    /// Seconds to wait for each model answer (default 60). [config: llm_timeout]
    #[arg(long = "llm-timeout", value_name = "SECONDS", env = "AWS_AGENT_LLM_TIMEOUT", global = true)]
    timeout: Option<f64>,
    /// Prompt templates that replace the built-in ones of the same name. [config: prompts]
    #[arg(long, value_name = "DIR", env = "AWS_AGENT_PROMPTS", global = true)]
    prompts: Option<PathBuf>,
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
    /// Delete what aws-agent created in the region or all regions (`teardown --all`).
    Teardown(commands::teardown::TeardownArgs),
    /// Write the configuration as a CloudFormation or Terraform template.
    Export(commands::export::ExportArgs),
    /// Show what aws-agent runs, where, what it costs, and drift.
    Status(commands::status::StatusArgs),
    /// Serve the intents as tools over the Model Context Protocol (stdio, or --http).
    Mcp(commands::mcp::McpArgs),
}

fn main() {
    // Like other Unix filters: `aws-agent … | head` ends quietly instead of panicking on EPIPE.
    // SAFETY: called before any other thread exists; SIG_DFL is always a valid disposition.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    match run(cli, &matches) {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::exit(2);
        }
    }
}

/// Runs the command; the exit status is 0, or 1 when the answer is "nothing found".
fn run(cli: Cli, matches: &ArgMatches) -> Result<i32> {
    if let Some(done) = cli.command.as_ref().and_then(|c| if let Command::Plugins { command } = c { command.run_alone() } else { None }) {
        return done;
    }
    let log_file = paths::state_dir().join("aws-agent.log");
    let serving = matches!(cli.command, Some(Command::Mcp(_)));
    if let Err(e) = aws_agent::log::init(&log_file, cli.verbose, serving) {
        eprintln!("warning: no log file: {e}");
    }
    // The REPL and `mcp` keep their conversation in the state directory: theirs until they exit.
    let _state = if cli.command.is_none() || serving { hold_state_dir()? } else { None };
    let file = match settings::config_file() {
        Some(path) => settings::FileSettings::load(&path)?,
        None => settings::FileSettings::default(),
    };
    let named = |id: &str, key: &str, value: &str| named(matches, &file, id, key, value);
    let llm = llm_settings(cli.model, &file, &named)?;
    let catalog = match cli.catalog.as_ref().or(file.catalog.as_ref()) {
        // The error is said once: its own text already carries the OS error it comes from.
        Some(path) => Source::from_path(path).map_err(|e| match e {
            aws_agent::catalog::CatalogError::Read { error, .. } => {
                anyhow::anyhow!("{}: cannot read it: {error}", named("catalog", "catalog", &format!("{path:?}")))
            }
            other => anyhow::anyhow!("{}: {other}", named("catalog", "catalog", &format!("{path:?}"))),
        })?,
        None => Source::Bundled,
    };
    let mut plugin_dirs = vec![PluginDir { path: paths::builtin_plugins(), builtin: true }];
    let dropped_in = if cli.plugins.is_empty() { file.plugins.clone() } else { cli.plugins.clone() };
    plugin_dirs.extend(dropped_in.into_iter().map(|path| PluginDir { path, builtin: false }));
    let grants = Grants::parse(&file.grants).map_err(anyhow::Error::msg).context("in the config file")?;
    let defaults = Limits::default();
    let limits = Limits {
        fuel: cli.fuel.or(file.fuel).unwrap_or(defaults.fuel),
        memory_bytes: cli.memory_mib.or(file.memory_mib).map_or(defaults.memory_bytes, |m| (m as usize).saturating_mul(1 << 20)),
    };
    let sink = if cli.command.is_none() { Sink::Stdout } else { Sink::Buffer(vec![]) };
    let target = match (cli.real_aws, cli.aws_endpoint.or(file.aws_endpoint.clone())) {
        (true, _) => Target::RealAws,
        (false, Some(url)) => Target::Endpoint(url),
        (false, None) => Target::Simulator { moto_server: find_moto_server() },
    };
    // Scoring a set deploys many times: no console to follow unless asked.
    let default_log_seconds = if matches!(cli.command, Some(Command::Eval(_))) { 0 } else { aws::DEFAULT_LOG_SECONDS };
    let aws = aws::Settings { target, log_seconds: cli.log_seconds.or(file.log_seconds).unwrap_or(default_log_seconds) };
    let region = cli.region.or(file.region.clone()).unwrap_or_else(|| aws_agent::catalog::DEFAULT_REGION.into());
    let region = aws_agent::catalog::regions::code_of(&region).ok_or_else(|| {
        let known: Vec<&str> = aws_agent::catalog::regions::names().iter().map(|(code, _)| code.as_str()).collect();
        anyhow::anyhow!("{} is not an AWS region; use a code or a place: {}", named("region", "region", &format!("{region:?}")), known.join(", "))
    })?;
    let options =
        Options { plugin_dirs, grants, catalog, cache_dir: paths::cache_dir(), limits, sink, aws: aws.clone(), region: region.clone(), quiet: cli.quiet, llm };
    let (mut session, errors) = Session::start(options.clone())?;
    for e in &errors {
        eprintln!("warning: plugin skipped: {e}");
    }
    if session.registry().plugins().is_empty() {
        bail!("no intent plugins loaded from {}; run `make build` first", paths::builtin_plugins().display());
    }
    match cli.command {
        None => {
            let resumed = remember(&mut session, cli.resume)?;
            repl::run(&mut session, !(cli.quiet || resumed)).context("reading input").map(|()| 0)
        }
        Some(Command::Route(args)) => commands::route::run(&session, args),
        Some(Command::Eval(args)) => commands::eval::run(&mut session, args).map(|()| 0),
        Some(Command::Plugins { command }) => commands::plugins::run(&session, command),
        Some(Command::Catalog { command }) => commands::catalog::run(&mut session, command, aws, &region),
        Some(Command::Teardown(args)) => commands::teardown::run(&mut session, args, aws, &region),
        Some(Command::Export(args)) => commands::export::run(&mut session, args),
        Some(Command::Status(args)) => {
            if cli.resume {
                session.remember_in(paths::session_file(), true)?;
            }
            commands::status::run(&mut session, args)
        }
        Some(Command::Mcp(args)) => {
            let policy = aws_agent::mcp::Policy { allow_deploy: false, real_aws: cli.real_aws };
            let serve = aws_agent::mcp::Serve { session: options, policy, resume: cli.resume, state_dir: paths::state_dir() };
            commands::mcp::run(&session, args, serve)
        }
    }
}

/// The state directory, for this process alone: an error naming the holder when another process
/// has it; a warning, and no lock, when it cannot be locked at all.
fn hold_state_dir() -> Result<Option<state_lock::StateLock>> {
    match state_lock::acquire(&paths::state_dir()) {
        Ok(lock) => Ok(Some(lock)),
        Err(e @ state_lock::LockError::Held { .. }) => Err(e.into()),
        Err(e) => {
            eprintln!("warning: {e}; nothing stops another aws-agent from using it at the same time");
            Ok(None)
        }
    }
}

/// Setting `id` (clap's name for it; `key` in the config file) with `shown` (its value, text in
/// quotes), as its source wrote it: `--region "Tokio"`, `AWS_AGENT_REGION="Tokio"` or
/// `config.toml line 1: region = "Tokio"`.
fn named(matches: &ArgMatches, file: &settings::FileSettings, id: &str, key: &str, shown: &str) -> String {
    let command = Cli::command();
    let arg = command.get_arguments().find(|a| a.get_id() == id);
    let origin = match matches.value_source(id) {
        Some(ValueSource::CommandLine) => arg.and_then(|a| a.get_long()).map(|long| settings::Origin::Flag(format!("--{long}"))),
        Some(ValueSource::EnvVariable) => arg.and_then(|a| a.get_env()).map(|var| settings::Origin::Environment(var.to_string_lossy().into_owned())),
        _ => file.origin(key),
    };
    origin.map_or_else(|| format!("{key} {shown}"), |o| o.naming(key, shown))
}

/// The model settings, flag over environment over config file; the OpenAI variables fill in
/// what neither names, as the OpenAI tools do.
fn llm_settings(args: ModelArgs, file: &settings::FileSettings, named: &dyn Fn(&str, &str, &str) -> String) -> Result<aws_agent::llm::Settings> {
    use aws_agent::llm::{Backend, DEFAULT_TIMEOUT, Settings};
    let backend = args.backend.or(file.llm).unwrap_or_default();
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let mut url = args.url.or(file.llm_url.clone());
    let mut api_key = None;
    if backend == Backend::Openai {
        url = url.or_else(|| env("OPENAI_BASE_URL"));
        api_key = env("OPENAI_API_KEY");
    }
    let timeout = match args.timeout.or(file.llm_timeout) {
        None => DEFAULT_TIMEOUT,
        Some(s) if s.is_finite() && s > 0.0 && s <= 86_400.0 => std::time::Duration::from_secs_f64(s),
        Some(s) => bail!("{} must be a number of seconds above 0, at most 86400 (a day)", named("timeout", "llm_timeout", &s.to_string())),
    };
    Ok(Settings {
        backend,
        url,
        model: args.model.or(file.llm_model.clone()),
        api_key,
        timeout,
        reflect: args.reflect.or(file.reflect).unwrap_or_default(),
        ask_model: args.ask_model.or(file.ask_model).unwrap_or_default(),
        prompts: args.prompts.or(file.prompts.clone()),
    })
}

/// Ties the conversation to the session file, resuming it when asked to (or when the user says
/// yes to the offer a terminal gets).
/// Whether a session was resumed.
fn remember(session: &mut Session, resume: bool) -> Result<bool> {
    let path = paths::session_file();
    let previous = if resume || !repl::interactive() { None } else { aws_agent::journal::Journal::load(&path).ok().flatten() };
    let offer = previous
        .filter(|j| !j.turns.is_empty())
        .is_some_and(|j| repl::confirm(&format!("Resume the previous session ({} turns, InstanceType {})?", j.turns.len(), j.config.ec2.instance_type)));
    let existed = path.is_file();
    let restored = session.remember_in(path, resume || offer)?;
    match (resume || offer, existed) {
        (false, _) => Ok(false),
        (true, false) => {
            session.say("No previous session to resume; starting a new one.");
            Ok(false)
        }
        (true, true) => {
            session.say(&format!("Resumed {restored} turns; `history` lists them, `undo` steps back."));
            session.caps().show_config();
            Ok(true)
        }
    }
}
