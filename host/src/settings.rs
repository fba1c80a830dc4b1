//! User settings: every one a flag, an environment variable and a key in the TOML config file,
//! the flag winning over the variable (clap resolves those two), the variable over the file,
//! and the file over the built-in default.
//!
//! The file is read with `toml`'s spans, so an error names the file, the line, the key and what
//! the value must be in words ("config.toml line 2: `log_seconds` must be a whole number of
//! seconds, not \"ten\""), and each value keeps its line: a message about a value names where it
//! was set ([`Origin`]: a flag, a variable or a line of the file).
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The config file's keys. Unknown keys are refused, so a typo is not silently ignored.
#[derive(Debug, Default, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSettings {
    /// Region a new configuration starts in.
    pub region: Option<String>,
    /// Extra plugin folders, searched after the built-in one.
    #[serde(default)]
    pub plugins: Vec<PathBuf>,
    pub catalog: Option<PathBuf>,
    pub aws_endpoint: Option<String>,
    pub log_seconds: Option<u64>,
    /// Instruction budget of one plugin call.
    pub fuel: Option<u64>,
    /// Memory limit of one plugin call, in MiB.
    pub memory_mib: Option<u64>,
    /// Who routes utterances: offline, raven or openai.
    pub llm: Option<crate::llm::Backend>,
    pub llm_url: Option<String>,
    pub llm_model: Option<String>,
    pub reflect: Option<crate::llm::Reflect>,
    pub ask_model: Option<crate::llm::AskModel>,
    /// Seconds to wait for a model's answer.
    pub llm_timeout: Option<f64>,
    /// A folder of prompt templates replacing the built-in ones of the same name.
    pub prompts: Option<PathBuf>,
    /// Capabilities granted to plugins from outside the built-in folder, by intent name.
    #[serde(default)]
    pub grants: BTreeMap<String, Vec<String>>,
    /// The file these came from and the line of each key; `None` without a file.
    #[serde(skip)]
    pub file: Option<FileOrigin>,
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("cannot read the config file {}: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    /// "config.toml line 2: `log_seconds` must be a whole number of seconds, not \"ten\"".
    #[error("{}", at(path, *line, message))]
    Format { path: PathBuf, line: usize, message: String },
}

fn at(path: &Path, line: usize, message: &str) -> String {
    format!("{} line {line}: {message}", path.display())
}

/// `AWS_AGENT_CONFIG`, else `config.toml` in the user's config directory.
pub fn config_file() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("AWS_AGENT_CONFIG") {
        return Some(PathBuf::from(path));
    }
    directories::ProjectDirs::from("", "", "aws-agent").map(|d| d.config_dir().join("config.toml"))
}

/// Each key of the file, and what its value must be, in words.
fn keys() -> Vec<(&'static str, String)> {
    let one_of = |names: Vec<String>| format!("one of {}", names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", "));
    let variants = |values: &[clap::builder::PossibleValue]| values.iter().map(|v| v.get_name().to_string()).collect::<Vec<_>>();
    use clap::ValueEnum;
    let llm = variants(&crate::llm::Backend::value_variants().iter().filter_map(|v| v.to_possible_value()).collect::<Vec<_>>());
    let reflect = variants(&crate::llm::Reflect::value_variants().iter().filter_map(|v| v.to_possible_value()).collect::<Vec<_>>());
    let ask = variants(&crate::llm::AskModel::value_variants().iter().filter_map(|v| v.to_possible_value()).collect::<Vec<_>>());
    vec![
        ("region", "a region code or place in quotes, like \"eu-west-1\" or \"Frankfurt\"".into()),
        ("plugins", "a list of folders in quotes, like [\"/opt/aws-agent/plugins\"]".into()),
        ("catalog", "a path in quotes".into()),
        ("aws_endpoint", "a URL in quotes, like \"http://localhost:5000\"".into()),
        ("log_seconds", "a whole number of seconds".into()),
        ("fuel", "a whole number of instruction units".into()),
        ("memory_mib", "a whole number of MiB".into()),
        ("llm", one_of(llm)),
        ("llm_url", "a URL in quotes".into()),
        ("llm_model", "a model name in quotes".into()),
        ("reflect", one_of(reflect)),
        ("ask_model", one_of(ask)),
        ("llm_timeout", "a number of seconds".into()),
        ("prompts", "a folder path in quotes".into()),
        ("grants", "a table of intent names and lists of capabilities, like estimate-cost = [\"config\"] under [grants]".into()),
    ]
}

/// Keys whose values are unsigned whole numbers, for "0 or more" and "at most" in messages.
const WHOLE_NUMBERS: [&str; 3] = ["log_seconds", "fuel", "memory_mib"];

impl FileSettings {
    /// The file's settings; a missing file is no settings. A broken one is an error that names
    /// the file, the line, the key and what its value must be.
    pub fn load(path: &Path) -> Result<FileSettings, SettingsError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileSettings::default()),
            Err(source) => return Err(SettingsError::Read { path: path.into(), source }),
        };
        let error = |offset: usize, message: String| SettingsError::Format { path: path.into(), line: line_of(&text, offset), message };
        let keys = keys();
        let table = toml::de::DeTable::parse(&text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            let line = text.lines().nth(line_of(&text, offset) - 1).unwrap_or_default();
            // A known key with a value TOML cannot read (`log_seconds = ten`): say what it takes.
            let known =
                line.split_once('=').and_then(|(key, value)| keys.iter().find(|(k, _)| *k == key.trim()).map(|(k, expected)| (k, expected, value.trim())));
            match known {
                Some((key, expected, value)) if !value.is_empty() && toml::de::DeValue::parse(value).is_err() => {
                    error(offset, format!("`{key}` must be {expected}, not {}", cut(value)))
                }
                _ => error(offset, format!("this is not TOML: {}", e.message().trim_end_matches('.'))),
            }
        })?;
        let mut lines = BTreeMap::new();
        for (key, _) in table.get_ref().iter() {
            let name = key.get_ref().as_ref();
            if !keys.iter().any(|(k, _)| *k == name) {
                let nearest =
                    keys.iter().map(|(k, _)| *k).min_by_key(|k| strsim::damerau_levenshtein(k, name)).filter(|k| strsim::damerau_levenshtein(k, name) <= 2);
                let names: Vec<&str> = keys.iter().map(|(k, _)| *k).collect();
                let message = match nearest {
                    Some(k) => format!("there is no key `{}`; did you mean `{k}`?", cut(name)),
                    None => format!("there is no key `{}`; the keys are {}", cut(name), names.join(", ")),
                };
                return Err(error(key.span().start, message));
            }
            lines.insert(name.to_string(), line_of(&text, key.span().start));
        }
        let mut settings: FileSettings = toml::from_str(&text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            let Some((key, value)) = key_at(table.get_ref(), span.start) else {
                return error(span.start, format!("this is not a setting: {}", e.message()));
            };
            let top = key.split('.').next().unwrap_or_default();
            let mut expected = keys.iter().find(|(k, _)| *k == top).map(|(_, e)| e.clone()).unwrap_or_default();
            let written = text.get(value.clone()).unwrap_or_default().trim();
            if WHOLE_NUMBERS.contains(&top) && written.parse::<i128>().is_ok() {
                expected.push_str(if written.starts_with('-') { ", 0 or more" } else { ", at most 18446744073709551615" });
            }
            error(value.start, format!("`{key}` must be {expected}, not {}", cut(written)))
        })?;
        settings.file = Some(FileOrigin { path: path.to_path_buf(), lines });
        Ok(settings)
    }

    /// Where the file set `key`, if it did.
    pub fn origin(&self, key: &str) -> Option<Origin> {
        let file = self.file.as_ref()?;
        file.lines.get(key).map(|&line| Origin::File { path: file.path.clone(), line })
    }
}

/// Which file the settings came from, and the line of each key.
#[derive(Debug, Clone, PartialEq)]
pub struct FileOrigin {
    pub path: PathBuf,
    lines: BTreeMap<String, usize>,
}

/// Where a setting's value came from, so a message about it points there.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// `--region`
    Flag(String),
    /// `AWS_AGENT_REGION`
    Environment(String),
    File {
        path: PathBuf,
        line: usize,
    },
}

impl Origin {
    /// The setting as its source wrote it: `--region "Tokio"`, `AWS_AGENT_REGION="Tokio"`,
    /// `config.toml line 1: region = "Tokio"`; `shown` is the value as it should be shown (text
    /// in quotes), cut to 40 characters.
    pub fn naming(&self, key: &str, shown: &str) -> String {
        let value = cut(shown);
        match self {
            Origin::Flag(flag) => format!("{flag} {value}"),
            Origin::Environment(var) => format!("{var}={value}"),
            Origin::File { path, line } => format!("{}: {key} = {value}", at(path, *line, "").trim_end_matches([' ', ':'])),
        }
    }
}

/// The innermost key whose entry holds byte `at` ("grants.estimate-cost"), with its value's span.
fn key_at(table: &toml::de::DeTable<'_>, at: usize) -> Option<(String, std::ops::Range<usize>)> {
    table.iter().find_map(|(key, value)| {
        let name = key.get_ref().to_string();
        // A `[table]` header's span is the header alone: look inside it first.
        if let toml::de::DeValue::Table(inner) = value.get_ref()
            && let Some((inner_key, span)) = key_at(inner, at)
        {
            return Some((format!("{name}.{inner_key}"), span));
        }
        let (k, v) = (key.span(), value.span());
        (k.start.min(v.start)..k.end.max(v.end).max(v.start + 1)).contains(&at).then_some((name, v))
    })
}

/// The 1-based line of byte `offset`.
fn line_of(text: &str, offset: usize) -> usize {
    text[..text.floor_char_boundary(offset)].matches('\n').count() + 1
}

fn cut(text: &str) -> std::borrow::Cow<'_, str> {
    crate::input::cut(text, 40)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_known_keys_and_where_each_was_set() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        assert_eq!(FileSettings::load(&path).unwrap(), FileSettings::default());
        std::fs::write(&path, "region = \"eu-west-1\"\nplugins = [\"/opt/p\"]\n\nfuel = 1000\n").unwrap();
        let s = FileSettings::load(&path).unwrap();
        assert_eq!((s.region.as_deref(), s.plugins.as_slice(), s.fuel), (Some("eu-west-1"), [PathBuf::from("/opt/p")].as_slice(), Some(1000)));
        assert_eq!(s.origin("fuel"), Some(Origin::File { path: path.clone(), line: 4 }));
        assert_eq!(s.origin("catalog"), None);
        let named = s.origin("region").unwrap().naming("region", "\"Tokio\"");
        assert_eq!(named, format!("{} line 1: region = \"Tokio\"", path.display()));
        assert_eq!(Origin::Flag("--region".into()).naming("region", "\"Tokio\""), "--region \"Tokio\"");
        assert_eq!(Origin::Environment("AWS_AGENT_LLM_TIMEOUT".into()).naming("llm_timeout", "-1"), "AWS_AGENT_LLM_TIMEOUT=-1");
        std::fs::write(&path, "llm = \"openai\"\nllm_url = \"http://localhost:11434/v1\"\nreflect = \"auto\"\nllm_timeout = 2.5\n").unwrap();
        let s = FileSettings::load(&path).unwrap();
        assert_eq!((s.llm, s.reflect, s.llm_timeout), (Some(crate::llm::Backend::Openai), Some(crate::llm::Reflect::Auto), Some(2.5)));
    }

    /// Each mistake is one message: the file, the line, the key and the value expected in words.
    #[test]
    fn errors_name_the_line_the_key_and_the_expected_value() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let cases = [
            ("region = \"eu-west-1\"\nlog_seconds = \"ten\"\n", "line 2: `log_seconds` must be a whole number of seconds, not \"ten\""),
            ("log_seconds = -5\n", "line 1: `log_seconds` must be a whole number of seconds, 0 or more, not -5"),
            (
                "fuel = 99999999999999999999999\n",
                "line 1: `fuel` must be a whole number of instruction units, at most 18446744073709551615, not 99999999999999999999999",
            ),
            ("\n\nllm = \"gpt\"\n", "line 3: `llm` must be one of \"offline\", \"raven\", \"openai\", not \"gpt\""),
            ("reflect = true\n", "line 1: `reflect` must be one of \"always\", \"auto\", \"never\", not true"),
            ("plugins = [\"/a\", 3]\n", "line 1: `plugins` must be a list of folders in quotes, like [\"/opt/aws-agent/plugins\"], not [\"/a\", 3]"),
            ("[grants]\nestimate-cost = 3\n", "line 2: `grants.estimate-cost` must be a table of intent names and lists of capabilities"),
            ("llm_timeout = \"ten\"\n", "line 1: `llm_timeout` must be a number of seconds, not \"ten\""),
            ("regoin = \"eu-west-1\"\n", "line 1: there is no key `regoin`; did you mean `region`?"),
            ("fuel = 1\nzzz = 2\n", "line 2: there is no key `zzz`; the keys are region, plugins, catalog,"),
            ("region = eu-west-1\n", "line 1: `region` must be a region code or place in quotes, like \"eu-west-1\" or \"Frankfurt\", not eu-west-1"),
            ("log_seconds = ten\n", "line 1: `log_seconds` must be a whole number of seconds, not ten"),
            ("[grants\n", "line 1: this is not TOML: "),
            ("region = \"a\"\nregion = \"b\"\n", "line 2: this is not TOML: duplicate key"),
            (&format!("llm_model = {}\n", "x".repeat(5000)), "…"),
        ];
        for (text, says) in cases {
            std::fs::write(&path, text).unwrap();
            let err = FileSettings::load(&path).unwrap_err().to_string();
            assert!(err.starts_with(&path.display().to_string()), "{err}");
            assert!(err.contains(says), "{text:?}: {err}");
            assert!(err.len() < 400 && !err.contains("u64") && !err.contains('\n'), "{text:?}: {err}");
        }
    }
}
