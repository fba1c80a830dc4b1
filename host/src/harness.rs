//! `aws-agent plugins test`: runs a real component against an in-memory host — a catalog from
//! CSV, a fresh configuration, recorded console output and recorded AWS calls — from a readable
//! TOML case file, and reports pass or fail per case.
//!
//! ```toml
//! [[case]]
//! name = "picks the cheapest with 4 GiB"
//! args = { ram = 4.0 }                 # arguments, as the router would give them
//! catalog = "../../tests/fixtures/catalog"   # optional, relative to this file; default bundled
//! console = ["t4g.medium at $0.0336/hour"]    # substrings expected, in this order
//! config = { InstanceType = "t4g.medium" }    # configuration fields expected afterwards
//! aws = ["deploy"]                      # AWS calls expected, in order (none if absent)
//! error = "must be zero or more"        # the call must fail with this in its message
//! ```
use crate::capability::aws::{Aws, Deployment, Preview, PreviewKind, Prices};
use crate::capability::config::Configuration;
use crate::capability::confirm::Confirm;
use crate::capability::console::{Console, Sink};
use crate::catalog::Source;
use crate::plugin::{PluginDir, Value};
use crate::router::Call;
use crate::session::{Options, Session, Turn};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    #[serde(rename = "case")]
    cases: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    #[serde(default)]
    args: toml::Table,
    catalog: Option<PathBuf>,
    #[serde(default)]
    console: Vec<String>,
    #[serde(default)]
    config: BTreeMap<String, toml::Value>,
    #[serde(default)]
    aws: Vec<String>,
    error: Option<String>,
}

/// AWS as the harness sees it: every call recorded, deployments pretend to succeed.
struct RecordingAws(Arc<Mutex<Vec<String>>>);

impl RecordingAws {
    fn note(&self, call: String) {
        if let Ok(mut calls) = self.0.lock() {
            calls.push(call);
        }
    }
}

impl Aws for RecordingAws {
    fn deploy(&mut self, _config: &Configuration, _console: &mut Console, _confirm: &mut dyn Confirm) -> Result<Deployment, String> {
        self.note("deploy".into());
        Ok(Deployment { created: vec!["instance i-0000harness".into()], instance_ids: vec!["i-0000harness".into()] })
    }

    fn stream_console(&mut self, instance_id: &str, _console: &mut Console) -> Result<(), String> {
        self.note(format!("stream-console {instance_id}"));
        Ok(())
    }

    fn teardown(&mut self, _console: &mut Console, _confirm: &mut dyn Confirm, _prices: &mut dyn Prices) -> Result<Vec<String>, String> {
        self.note("teardown".into());
        Ok(vec![])
    }

    fn preview(&mut self, config: &Configuration, _console: &mut Console) -> Result<Preview, String> {
        self.note("preview".into());
        Ok(Preview { kind: PreviewKind::Fresh, changes: vec![], deployed: vec![], region: config.ec2.region.clone(), summary: String::new() })
    }
}

/// One case's verdict: None when it passed, else why not.
pub struct Verdict {
    pub name: String,
    pub failure: Option<String>,
}

pub fn run(plugin: &Path, cases_file: &Path, cache_dir: &Path) -> Result<Vec<Verdict>, String> {
    let text = std::fs::read_to_string(cases_file).map_err(|e| format!("cannot read {}: {e}", cases_file.display()))?;
    let file: CaseFile = toml::from_str(&text).map_err(|e| format!("{}: {}", cases_file.display(), e.message()))?;
    let base = cases_file.parent().unwrap_or(Path::new("."));
    file.cases.iter().map(|case| run_case(plugin, case, base, cache_dir)).collect()
}

fn run_case(plugin: &Path, case: &Case, base: &Path, cache_dir: &Path) -> Result<Verdict, String> {
    let catalog = match &case.catalog {
        Some(path) => Source::from_path(&base.join(path)).map_err(|e| e.to_string())?,
        None => Source::Bundled,
    };
    let options = Options {
        plugin_dirs: Vec::<PluginDir>::new(),
        grants: Default::default(),
        catalog,
        cache_dir: cache_dir.to_path_buf(),
        limits: Default::default(),
        sink: Sink::Buffer(vec![]),
        aws: Default::default(),
        region: crate::catalog::DEFAULT_REGION.into(),
        quiet: true,
        llm: crate::llm::Settings::offline(),
    };
    let (mut session, _) = Session::start(options).map_err(|e| e.to_string())?;
    let intent = session.load_plugin(plugin).map_err(|e| e.to_string())?;
    let calls = Arc::new(Mutex::new(Vec::new()));
    session.caps().aws = Box::new(RecordingAws(calls.clone()));
    let args = case.args.iter().map(|(k, v)| Ok((k.clone(), value(k, v)?))).collect::<Result<Vec<_>, String>>()?;
    let turn = session.execute(Call { intent, args });
    let printed = session.caps().console.take_lines().join("\n");
    let failure = check(case, &turn, &printed, &session.caps().config, &calls.lock().map(|c| c.clone()).unwrap_or_default());
    Ok(Verdict { name: case.name.clone(), failure })
}

fn value(name: &str, v: &toml::Value) -> Result<Value, String> {
    match v {
        toml::Value::Integer(i) => Ok(Value::Int(*i)),
        toml::Value::Float(f) => Ok(Value::Float(*f)),
        toml::Value::String(s) => Ok(Value::Text(s.clone())),
        toml::Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().map(String::from).ok_or_else(|| format!("argument {name}: lists hold text only")))
            .collect::<Result<_, _>>()
            .map(Value::TextList),
        other => Err(format!("argument {name}: {other} is not a number, text or list of text")),
    }
}

fn check(case: &Case, turn: &Turn, printed: &str, config: &Configuration, calls: &[String]) -> Option<String> {
    match (turn, &case.error) {
        (Turn::Failed { message, .. }, None) => return Some(format!("failed: {message}")),
        (Turn::Failed { message, .. }, Some(want)) if !message.contains(want.as_str()) => {
            return Some(format!("failed with {message:?}, expected an error containing {want:?}"));
        }
        (Turn::Ran { .. }, Some(want)) => return Some(format!("succeeded, expected an error containing {want:?}")),
        _ => {}
    }
    let mut rest = printed;
    for want in &case.console {
        match rest.find(want.as_str()) {
            Some(at) => rest = &rest[at + want.len()..],
            None => return Some(format!("console: no {want:?} (in order) in:\n{printed}")),
        }
    }
    let actual = config_fields(config);
    for (field, want) in &case.config {
        let want = toml_to_json(want);
        match actual.get(field) {
            Some(got) if *got == want => {}
            Some(got) => return Some(format!("config {field}: {got}, expected {want}")),
            None => return Some(format!("config has no field {field:?} (fields: {})", actual.keys().cloned().collect::<Vec<_>>().join(", "))),
        }
    }
    (calls != case.aws.as_slice()).then(|| format!("AWS calls {calls:?}, expected {:?}", case.aws))
}

/// EC2 and Auto Scaling fields by their AWS names (InstanceType, MinSize, …).
fn config_fields(config: &Configuration) -> serde_json::Map<String, serde_json::Value> {
    let mut fields = serde_json::Map::new();
    for part in [serde_json::to_value(&config.ec2), serde_json::to_value(&config.asg)].into_iter().flatten() {
        if let serde_json::Value::Object(map) = part {
            fields.extend(map);
        }
    }
    fields
}

fn toml_to_json(v: &toml::Value) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}
