//! `aws-agent plugins list [--json]`, `plugins grant`, `plugins test` and `plugins new`. `new` (see
//! `PluginsCommand::run_alone`) runs before any session starts, so it works with no plugins built;
//! `test` runs a component against the in-memory host in `harness`; `grant` records in the config
//! file the capabilities a dropped-in plugin may use.
use anyhow::Result;
use aws_agent::plugin::ParamType;
use aws_agent::router::Call;
use aws_agent::session::Session;
use serde_json::json;
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand)]
pub enum PluginsCommand {
    /// Each loaded intent with its version, grants, path, docstring and parameters.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Lets a plugin from outside the built-in folder use a capability (catalog, config,
    /// config-write, console, aws); stored in the config file.
    Grant {
        name: String,
        #[arg(required = true)]
        capabilities: Vec<String>,
    },
    /// Runs a component against an in-memory host from a TOML case file (default: cases.toml
    /// beside the .wasm); exit status 1 if any case fails.
    Test { plugin: PathBuf, cases: Option<PathBuf> },
    /// Makes a new plugin crate: spec, one function, a unit test, a case file and a README.
    New {
        /// The intent's name, kebab-case (estimate-cost).
        name: String,
        /// The crate's folder, which must not exist yet (default: NAME).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

impl PluginsCommand {
    /// Runs the commands that need no session (no plugins loaded, no catalog), if this is one.
    pub fn run_alone(&self) -> Option<Result<i32>> {
        match self {
            PluginsCommand::New { name, dir } => Some(new(name, dir.clone().unwrap_or_else(|| PathBuf::from(name)))),
            _ => None,
        }
    }
}

fn new(name: &str, dir: PathBuf) -> Result<i32> {
    use aws_agent::scaffold::{Sdk, create};
    let sdk = Sdk::find();
    let files = create(name, &dir, &sdk).map_err(anyhow::Error::msg)?;
    let listed: Vec<String> = files.iter().filter_map(|f| f.strip_prefix(&dir).ok()).map(|f| f.display().to_string()).collect();
    println!("Created the {name} plugin in {}: {}.", dir.display(), listed.join(", "));
    if let Sdk::Version(version) = sdk {
        println!("aws-agent-sdk {version} is not on crates.io: point the dependency in Cargo.toml at the sdk/ folder of an aws-agent checkout.");
    }
    let wasm = format!("target/wasm32-wasip2/release/plugin_{}.wasm", name.replace('-', "_"));
    println!("Next, in {}:", dir.display());
    println!("  cargo test --release");
    println!("  cargo build --release --target wasm32-wasip2");
    println!("  aws-agent plugins test {wasm} cases.toml");
    println!("  mkdir -p ~/aws-agent-plugins && cp {wasm} ~/aws-agent-plugins/{name}.wasm");
    println!("  aws-agent --plugins ~/aws-agent-plugins route \"{} with at least 8 vcpus\"", name.replace('-', " "));
    Ok(0)
}

pub fn run(session: &Session, command: PluginsCommand) -> Result<i32> {
    let json = match command {
        PluginsCommand::List { json } => json,
        PluginsCommand::Grant { name, capabilities } => return grant(&name, &capabilities).map(|()| 0),
        PluginsCommand::Test { plugin, cases } => return test(&plugin, cases),
        PluginsCommand::New { .. } => return command.run_alone().expect("new runs alone"),
    };
    let plugins = session.registry().plugins();
    let limits = session.limits();
    if json {
        let list: Vec<serde_json::Value> = plugins
            .iter()
            .map(|p| {
                let s = &p.spec;
                let examples: Vec<serde_json::Value> = s
                    .examples
                    .iter()
                    .map(|e| json!({ "utterance": e.utterance, "args": Call { intent: s.name.clone(), args: e.args.clone() }.to_json()["args"] }))
                    .collect();
                json!({
                    "name": s.name, "version": s.version, "docstring": s.docstring, "params": s.params, "examples": examples,
                    "path": p.path, "grants": p.imports, "builtin": p.builtin, "contract": p.contract,
                    "limits": { "fuel": limits.fuel, "memory_bytes": limits.memory_bytes },
                })
            })
            .collect();
        println!("{}", serde_json::Value::Array(list));
        return Ok(0);
    }
    println!("limits per call: {} fuel units, {} MiB memory", limits.fuel, limits.memory_bytes >> 20);
    for p in plugins {
        let s = &p.spec;
        let grants: Vec<&str> = p.imports.iter().map(|c| c.name()).collect();
        let source = if p.builtin { "built-in" } else { "dropped-in" };
        let contract = p.contract.as_deref().map_or_else(String::new, |c| format!(", contract {c}"));
        println!(
            "{} {} ({source}{contract}, {})\n  grants: {}\n  {}",
            s.name,
            s.version,
            p.path.display(),
            if grants.is_empty() { "none".into() } else { grants.join(", ") },
            s.docstring
        );
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
    Ok(0)
}

fn test(plugin: &Path, cases: Option<PathBuf>) -> Result<i32> {
    let cases = cases.unwrap_or_else(|| plugin.with_file_name("cases.toml"));
    let verdicts = aws_agent::harness::run(plugin, &cases, &aws_agent::paths::cache_dir()).map_err(anyhow::Error::msg)?;
    let failed = verdicts.iter().filter(|v| v.failure.is_some()).count();
    for v in &verdicts {
        match &v.failure {
            None => println!("PASS {}", v.name),
            Some(why) => println!("FAIL {}: {why}", v.name),
        }
    }
    let name = plugin.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    println!("{name}: {} passed, {failed} failed", verdicts.len() - failed);
    Ok(i32::from(failed > 0))
}

/// Adds `capabilities` to `name`'s grants in the config file, creating the file if needed.
fn grant(name: &str, capabilities: &[String]) -> Result<()> {
    use anyhow::{Context, anyhow};
    let caps = capabilities
        .iter()
        .map(|c| aws_agent::plugin::Capability::parse(c).ok_or_else(|| anyhow!("unknown capability {c:?}; known: {}", aws_agent::plugin::grants::known())))
        .collect::<Result<Vec<_>>>()?;
    let path = aws_agent::settings::config_file().ok_or_else(|| anyhow!("no config directory; set AWS_AGENT_CONFIG"))?;
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    let mut doc: toml::Table = toml::from_str(&text).with_context(|| format!("{} is not valid TOML", path.display()))?;
    let grants = doc.entry("grants").or_insert_with(|| toml::Value::Table(Default::default()));
    let list =
        grants.as_table_mut().ok_or_else(|| anyhow!("{}: grants must be a table", path.display()))?.entry(name).or_insert_with(|| toml::Value::Array(vec![]));
    let items = list.as_array_mut().ok_or_else(|| anyhow!("{}: grants.{name} must be a list", path.display()))?;
    for cap in &caps {
        if !items.iter().any(|v| v.as_str() == Some(cap.name())) {
            items.push(toml::Value::String(cap.name().into()));
        }
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&path, toml::to_string(&doc)?).with_context(|| format!("writing {}", path.display()))?;
    let names: Vec<&str> = caps.iter().map(|c| c.name()).collect();
    println!("Granted {} to {name} (in {}).", names.join(", "), path.display());
    Ok(())
}
