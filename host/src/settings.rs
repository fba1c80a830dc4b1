//! User settings: every one a flag, an environment variable and a key in the TOML config file,
//! the flag winning over the variable (clap resolves those two), the variable over the file,
//! and the file over the built-in default.
use serde::Deserialize;
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
    pub grants: std::collections::BTreeMap<String, Vec<String>>,
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("cannot read the config file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("config file {path}: {message}")]
    Format { path: PathBuf, message: String },
}

/// `AWS_AGENT_CONFIG`, else `config.toml` in the user's config directory.
pub fn config_file() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("AWS_AGENT_CONFIG") {
        return Some(PathBuf::from(path));
    }
    directories::ProjectDirs::from("", "", "aws-agent").map(|d| d.config_dir().join("config.toml"))
}

impl FileSettings {
    /// The file's settings; a missing file is no settings, a broken one is an error.
    pub fn load(path: &Path) -> Result<FileSettings, SettingsError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileSettings::default()),
            Err(source) => return Err(SettingsError::Read { path: path.into(), source }),
        };
        toml::from_str(&text).map_err(|e| SettingsError::Format { path: path.into(), message: e.message().to_string() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_known_keys_and_refuses_typos() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        assert_eq!(FileSettings::load(&path).unwrap(), FileSettings::default());
        std::fs::write(&path, "region = \"eu-west-1\"\nplugins = [\"/opt/p\"]\nfuel = 1000\n").unwrap();
        let s = FileSettings::load(&path).unwrap();
        assert_eq!((s.region.as_deref(), s.plugins.as_slice(), s.fuel), (Some("eu-west-1"), [PathBuf::from("/opt/p")].as_slice(), Some(1000)));
        std::fs::write(&path, "llm = \"openai\"\nllm_url = \"http://localhost:11434/v1\"\nreflect = \"auto\"\nllm_timeout = 2.5\n").unwrap();
        let s = FileSettings::load(&path).unwrap();
        assert_eq!((s.llm, s.reflect, s.llm_timeout), (Some(crate::llm::Backend::Openai), Some(crate::llm::Reflect::Auto), Some(2.5)));
        std::fs::write(&path, "llm = \"gpt\"\n").unwrap();
        let err = FileSettings::load(&path).unwrap_err().to_string();
        assert!(err.contains("unknown variant `gpt`"), "{err}");
        std::fs::write(&path, "regoin = \"eu-west-1\"\n").unwrap();
        let err = FileSettings::load(&path).unwrap_err().to_string();
        assert!(err.contains("unknown field `regoin`"), "{err}");
    }
}
