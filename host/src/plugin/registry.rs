//! The loaded intents, by name, from the built-in folder and any `--plugins` folders.
//!
//! Folders are scanned in the order given and `.wasm` files sorted by name; the first plugin to
//! claim an intent name keeps it. A plugin from outside the built-in folders whose imports exceed
//! its grants is refused. Failures come back as `LoadError`s beside the registry rather than
//! aborting the load.
use super::grants::{Capability, Grants};
use super::runtime::{LoadedPlugin, PluginError, Runtime};
use super::spec::IntentSpec;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Plugin(#[from] PluginError),
    #[error("{path}: intent name {name:?} is already taken by {first}")]
    Duplicate { path: PathBuf, name: String, first: PathBuf },
    #[error("cannot list plugin folder {path}: {source}")]
    Folder { path: PathBuf, source: std::io::Error },
    #[error("{path}: intent {name} uses {}, not granted to plugins from outside the built-in folder; if you trust it, run `aws-agent plugins grant {name} {}`", list(missing), missing.iter().map(|c| c.name()).collect::<Vec<_>>().join(" "))]
    NotGranted { path: PathBuf, name: String, missing: Vec<Capability> },
}

fn list(caps: &[Capability]) -> String {
    let names: Vec<String> = caps.iter().map(|c| format!("the {c} capability")).collect();
    names.join(" and ")
}

/// A folder of plugins, and whether it is built in (trusted with what its plugins import).
#[derive(Debug, Clone)]
pub struct PluginDir {
    pub path: PathBuf,
    pub builtin: bool,
}

#[derive(Default)]
pub struct Registry {
    plugins: Vec<LoadedPlugin>,
}

impl Registry {
    /// Loads every `*.wasm` in `folders`, in order; earlier folders win a name. What fails to
    /// load is returned beside the registry, so the rest keep working.
    pub fn load(runtime: &Runtime, folders: &[PluginDir], grants: &Grants) -> (Registry, Vec<LoadError>) {
        let mut registry = Registry::default();
        let mut errors = Vec::new();
        for folder in folders {
            match wasm_files(&folder.path) {
                Ok(files) => {
                    for file in files {
                        if let Err(e) = registry.add(runtime, &file, folder.builtin, grants) {
                            errors.push(e);
                        }
                    }
                }
                Err(source) => errors.push(LoadError::Folder { path: folder.path.clone(), source }),
            }
        }
        (registry, errors)
    }

    pub fn add(&mut self, runtime: &Runtime, path: &Path, builtin: bool, grants: &Grants) -> Result<&LoadedPlugin, LoadError> {
        let mut plugin = runtime.load(path)?;
        plugin.builtin = builtin;
        if !builtin {
            let allowed = grants.allowed(&plugin.spec.name);
            let missing: Vec<Capability> = plugin.imports.difference(&allowed).copied().collect();
            if !missing.is_empty() {
                return Err(LoadError::NotGranted { path: path.to_path_buf(), name: plugin.spec.name.clone(), missing });
            }
        }
        if let Some(first) = self.get(&plugin.spec.name) {
            return Err(LoadError::Duplicate { path: path.to_path_buf(), name: plugin.spec.name.clone(), first: first.path.clone() });
        }
        self.plugins.push(plugin);
        Ok(self.plugins.last().expect("just pushed"))
    }

    pub fn get(&self, name: &str) -> Option<&LoadedPlugin> {
        self.plugins.iter().find(|p| p.spec.name == name)
    }

    pub fn specs(&self) -> impl Iterator<Item = &IntentSpec> {
        self.plugins.iter().map(|p| &p.spec)
    }

    /// The intents whose plugins can act on AWS: they import the `aws` capability (a plugin
    /// from outside the built-in folders loads only once that import is granted).
    pub fn actions(&self) -> impl Iterator<Item = &str> {
        self.plugins.iter().filter(|p| p.imports.contains(&Capability::Aws)).map(|p| p.spec.name.as_str())
    }

    /// The intents whose plugins can change the configuration: they import `config-write`.
    pub fn writers(&self) -> impl Iterator<Item = &str> {
        self.plugins.iter().filter(|p| p.imports.contains(&Capability::ConfigWrite)).map(|p| p.spec.name.as_str())
    }

    pub fn plugins(&self) -> &[LoadedPlugin] {
        &self.plugins
    }
}

/// The folder's `.wasm` files sorted by name, so load order (and so name conflicts) never vary.
fn wasm_files(folder: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "wasm") && p.is_file())
        .collect();
    files.sort();
    Ok(files)
}
