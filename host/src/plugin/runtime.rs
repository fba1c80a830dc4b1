//! Compiles, caches, sandboxes and calls plugin components.
//!
//! `Runtime` owns the engine (fuel metering on) and the linker (WASI p2 plus the intent imports).
//! The per-call bounds, `Limits` and the store's `Limiter`, live in `limits.rs`.
//!
//! - `load` refuses files over 32 MiB. It compiles the component or deserializes a cached
//!   `components/<key>.cwasm` (key: SHA-256 of the engine's precompile compatibility hash, the host
//!   crate version and the wasm bytes; written to a temporary file and renamed), pre-instantiates
//!   it, calls `describe` in a store with no capabilities and validates the spec. It records the
//!   capabilities the component imports and the contract release it was built against (the version
//!   on its `aws-agent:plugin` imports). When the exports do not fit the host's types, it calls
//!   `describe` untyped to say which parameter uses a type the host does not know.
//! - `CONTRACT` is the release of `wit/plugin.wit` the host implements (a unit test keeps them
//!   equal). The linker matches imports by semver-compatible version, so a plugin importing
//!   `…@0.1.0` links to the host's newer `0.1.x`.
//! - A component whose compilation is in the cache is not kept between calls: `run` maps the
//!   cached file again (its name is the hash of the very bytes `describe` answered for), so
//!   plugins cost no memory at the prompt; if the cache was cleaned, it compiles the plugin's
//!   file again when that still holds those bytes, and refuses the call when it does not.
//!   Without a cache directory a component stays pre-instantiated.
//! - `run` makes a new `Store` and instance for every call.
//! - Failures become `PluginError`s: out of fuel, trap (a Rust panic shows up as `unreachable`),
//!   stopped by a host limit, invalid component, and so on.
use super::grants::Capability;
use super::host_impl::{HostState, Intent, IntentPre, args_to_wit, spec_from_wit};
use super::limits::{Limiter, Limits, Stopped};
use super::spec::{Args, IntentSpec, ParamType};
use crate::capability::Capabilities;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use wasmtime::component::{Component, InstancePre, Linker, Val};
use wasmtime::{Config, Engine, Store, Trap};

/// The release of the WIT contract (`wit/plugin.wit`) this host implements. Plugins built
/// against any semver-compatible release (0.1.0 up to this) load.
pub const CONTRACT: &str = "0.1.3";

/// A `.wasm` larger than this is refused before compiling.
const MAX_COMPONENT_BYTES: u64 = 32 << 20;

#[derive(Debug, thiserror::Error)]
pub enum PluginError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path} is {size} bytes; plugins may be at most {MAX_COMPONENT_BYTES} bytes")]
    TooLarge { path: PathBuf, size: u64 },
    #[error("{path} is not a usable intent component: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("the plugin ran out of its instruction budget ({0} units) and was stopped")]
    OutOfFuel(u64),
    #[error("the plugin crashed: {0}")]
    Trap(String),
    #[error("the plugin was stopped: {0}")]
    Stopped(String),
    #[error("cannot set up the plugin runtime: {0}")]
    Engine(String),
}

pub struct LoadedPlugin {
    pub spec: IntentSpec,
    pub path: PathBuf,
    /// The host capabilities the component imports, which is all it can ever call.
    pub imports: BTreeSet<Capability>,
    /// Whether it came from a built-in folder (which carries its own grants).
    pub builtin: bool,
    /// The contract release it was built against (the version on its `aws-agent:plugin` imports).
    pub contract: Option<String>,
    code: Code,
}

/// Where a loaded plugin's code is between calls.
enum Code {
    /// Pre-instantiated in memory: there is no cached compilation to map again.
    Resident(IntentPre<HostState>),
    /// The cached compilation, mapped again for each call. Held mapped, the fourteen built-ins
    /// were 5.3 MiB of the resident memory at the first prompt; mapping one again costs a call
    /// about 0.05 ms (BENCHMARKS.md).
    Cached(PathBuf),
}

pub struct Runtime {
    engine: Engine,
    linker: Linker<HostState>,
    cache_dir: Option<PathBuf>,
    pub limits: Limits,
}

impl Runtime {
    pub fn new(cache_dir: Option<PathBuf>, limits: Limits) -> Result<Runtime, PluginError> {
        let engine_err = |e: wasmtime::Error| PluginError::Engine(e.to_string());
        let mut config = Config::new();
        config.consume_fuel(true);
        let engine = Engine::new(&config).map_err(engine_err)?;
        let mut linker = Linker::new(&engine);
        wasmtime_wasi::p2::add_to_linker_sync(&mut linker).map_err(engine_err)?;
        Intent::add_to_linker::<HostState, wasmtime::component::HasSelf<HostState>>(&mut linker, |s| s).map_err(engine_err)?;
        Ok(Runtime { engine, linker, cache_dir, limits })
    }

    /// Compiles (or reuses a cached compilation of) a component and asks it to describe itself.
    pub fn load(&self, path: &Path) -> Result<LoadedPlugin, PluginError> {
        let invalid = |message: String| PluginError::Invalid { path: path.to_path_buf(), message };
        let (component, cached) = self.compile(path)?;
        let import_names: Vec<String> = component.component_type().imports(&self.engine).map(|(name, _)| name.to_string()).collect();
        let imports = import_names.iter().filter_map(|name| Capability::of_import(name)).collect();
        let contract = contract_of(&import_names);
        let linked = self.linker.instantiate_pre(&component).map_err(|e| invalid(format!("{e:#}")))?;
        let pre = IntentPre::new(linked.clone()).map_err(|e| invalid(self.unknown_param_types(&linked).unwrap_or_else(|| format!("{e:#}"))))?;
        let mut store = self.store(None);
        let instance = pre.instantiate(&mut store).map_err(|e| invalid(format!("{e:#}")))?;
        let described = instance.call_describe(&mut store).map_err(|e| self.call_error(e, &store));
        let wit_spec = described.map_err(|e| invalid(format!("describe failed: {e}")))?;
        let mut spec = spec_from_wit(wit_spec);
        spec.validate().map_err(invalid)?;
        let code = match cached {
            Some(file) => Code::Cached(file),
            None => Code::Resident(pre),
        };
        Ok(LoadedPlugin { spec, path: path.to_path_buf(), imports, builtin: false, contract, code })
    }

    /// When a component's `describe` does not fit this host's types, says why in a plugin
    /// author's terms if the reason is a parameter type this host does not know (a spec built
    /// against a contract with more `param-type` cases). Calls `describe` untyped, in a store
    /// with no capabilities and the usual limits.
    fn unknown_param_types(&self, linked: &InstancePre<HostState>) -> Option<String> {
        let mut store = self.store(None);
        let instance = linked.instantiate(&mut store).ok()?;
        let describe = instance.get_func(&mut store, "describe")?;
        let mut results = [Val::Bool(false)];
        describe.call(&mut store, &[], &mut results).ok()?;
        let field = |fields: &[(String, Val)], name: &str| fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
        let Val::Record(spec) = &results[0] else { return None };
        let Some(Val::List(params)) = field(spec, "params") else { return None };
        let unknown: Vec<String> = params
            .iter()
            .filter_map(|p| match p {
                Val::Record(p) => match (field(p, "name"), field(p, "type")) {
                    (Some(Val::String(name)), Some(Val::Enum(ty))) if !ParamType::ALL.iter().any(|t| t.name() == ty) => {
                        Some(format!("parameter {name:?} has type {ty:?}"))
                    }
                    _ => None,
                },
                _ => None,
            })
            .collect();
        if unknown.is_empty() {
            return None;
        }
        let intent = match field(spec, "name") {
            Some(Val::String(name)) => format!("intent {name}: "),
            _ => String::new(),
        };
        let known: Vec<&str> = ParamType::ALL.iter().map(|t| t.name()).collect();
        Some(format!("{intent}{}, which this host does not know (aws-agent:plugin@{CONTRACT} has parameter types {})", unknown.join(", "), known.join(", ")))
    }

    /// Runs the plugin's intent against `caps`, in a fresh instance bounded by [`Limits`].
    pub fn run(&self, plugin: &LoadedPlugin, args: &Args, caps: Capabilities) -> (Result<String, String>, Capabilities) {
        let mut store = self.store(Some(caps));
        let result = match self.pre_of(plugin) {
            // The host's own failure, not the plugin's: said as such.
            Err(e) => Err(format!("{e:#}; start aws-agent again to load it anew")),
            Ok(pre) => pre
                .instantiate(&mut store)
                .and_then(|instance| instance.call_run(&mut store, &args_to_wit(args)))
                .map_err(|e| self.call_error(e, &store).to_string())
                .and_then(|r| r),
        };
        let caps = store.into_data().caps.expect("the store was created with capabilities");
        (result, caps)
    }

    /// The plugin ready to instantiate: as kept, or its cached compilation mapped again.
    fn pre_of(&self, plugin: &LoadedPlugin) -> Result<IntentPre<HostState>, wasmtime::Error> {
        match &plugin.code {
            Code::Resident(pre) => Ok(pre.clone()),
            Code::Cached(file) => {
                let component = match self.map(file) {
                    Ok(component) => component,
                    // The cache was cleaned: compile again, if the file still holds what was described.
                    Err(_) => self.compile_again(&plugin.path, file)?,
                };
                IntentPre::new(self.linker.instantiate_pre(&component)?)
            }
        }
    }

    /// Compiles `path` again for the cached `file` that is gone, only if its bytes are still the
    /// ones `file` was named for.
    fn compile_again(&self, path: &Path, file: &Path) -> Result<Component, wasmtime::Error> {
        let bytes = read(path).map_err(wasmtime::Error::new)?;
        if file.file_stem().and_then(|s| s.to_str()) != Some(self.cache_key(&bytes).as_str()) {
            return Err(wasmtime::Error::msg(format!("{} changed since it was loaded", path.display())));
        }
        self.compile_bytes(path, &bytes).map(|(component, _)| component).map_err(wasmtime::Error::new)
    }

    /// Maps a compilation from the cache.
    fn map(&self, file: &Path) -> Result<Component, wasmtime::Error> {
        // SAFETY: only this program writes the cache directory, and it writes artifacts
        // serialized by this engine build (the file name carries the engine's hash).
        unsafe { Component::deserialize_file(&self.engine, file) }
    }

    fn store(&self, caps: Option<Capabilities>) -> Store<HostState> {
        let mut store = Store::new(&self.engine, HostState::new(Limiter::new(self.limits.memory_bytes), caps));
        store.limiter(|s| &mut s.limits);
        store.set_fuel(self.limits.fuel).expect("fuel is enabled in the engine config");
        store
    }

    fn call_error(&self, e: wasmtime::Error, store: &Store<HostState>) -> PluginError {
        if e.downcast_ref::<Trap>() == Some(&Trap::OutOfFuel) || store.get_fuel().is_ok_and(|f| f == 0) {
            return PluginError::OutOfFuel(self.limits.fuel);
        }
        if let Some(Stopped(why)) = e.downcast_ref::<Stopped>() {
            return PluginError::Stopped(why.clone());
        }
        let mut message = format!("{e}");
        if let Some(trap) = e.downcast_ref::<Trap>() {
            message = format!("{trap}");
            if *trap == Trap::UnreachableCodeReached {
                message.push_str(" (a Rust panic)");
            }
        } else if let Some(root) = e.chain().last()
            && root.to_string() != message
        {
            message = format!("{message}: {root}");
        }
        PluginError::Trap(message)
    }

    /// The component, and its file in the cache when it is there to be mapped again.
    fn compile(&self, path: &Path) -> Result<(Component, Option<PathBuf>), PluginError> {
        self.compile_bytes(path, &read(path)?)
    }

    /// [`Runtime::compile`] of `bytes`, read from `path`.
    fn compile_bytes(&self, path: &Path, bytes: &[u8]) -> Result<(Component, Option<PathBuf>), PluginError> {
        let cached = self.cache_dir.as_ref().map(|dir| dir.join(format!("{}.cwasm", self.cache_key(bytes))));
        if let Some(file) = &cached
            && let Ok(component) = self.map(file)
        {
            return Ok((component, Some(file.clone())));
        }
        let component = Component::new(&self.engine, bytes).map_err(|e| PluginError::Invalid { path: path.to_path_buf(), message: format!("{e:#}") })?;
        if let (Some(file), Ok(artifact)) = (&cached, component.serialize()) {
            // A failed cache write only costs the next start a compile.
            let tmp = file.with_extension(format!("{}.tmp", std::process::id()));
            let written = file.parent().map(std::fs::create_dir_all).transpose().and_then(|_| std::fs::write(&tmp, artifact));
            if written.and_then(|_| std::fs::rename(&tmp, file)).is_err() {
                let _ = std::fs::remove_file(&tmp);
                return Ok((component, None));
            }
            return Ok((component, Some(file.clone())));
        }
        Ok((component, None))
    }

    fn cache_key(&self, wasm: &[u8]) -> String {
        let mut engine = std::hash::DefaultHasher::new();
        self.engine.precompile_compatibility_hash().hash(&mut engine);
        let mut hash = Sha256::new();
        hash.update(engine.finish().to_le_bytes());
        hash.update(env!("CARGO_PKG_VERSION"));
        hash.update(wasm);
        hash.finalize().iter().take(16).map(|b| format!("{b:02x}")).collect()
    }
}

/// A component file's bytes, refused over [`MAX_COMPONENT_BYTES`] before reading.
fn read(path: &Path) -> Result<Vec<u8>, PluginError> {
    let read_err = |source| PluginError::Read { path: path.to_path_buf(), source };
    let size = std::fs::metadata(path).map_err(read_err)?.len();
    if size > MAX_COMPONENT_BYTES {
        return Err(PluginError::TooLarge { path: path.to_path_buf(), size });
    }
    std::fs::read(path).map_err(read_err)
}

/// The newest contract release among a component's `aws-agent:plugin/…@X` imports.
fn contract_of(imports: &[String]) -> Option<String> {
    let parse = |v: &str| v.split('.').map(|n| n.parse::<u64>().unwrap_or(0)).collect::<Vec<_>>();
    imports.iter().filter_map(|name| name.strip_prefix("aws-agent:plugin/")?.split_once('@').map(|(_, v)| v)).max_by_key(|v| parse(v)).map(String::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contract_constant_matches_the_wit() {
        let wit = include_str!("../../../wit/plugin.wit");
        assert!(wit.contains(&format!("package aws-agent:plugin@{CONTRACT};")), "wit/plugin.wit and CONTRACT disagree");
    }

    #[test]
    fn the_contract_is_the_newest_import_version() {
        let imports =
            ["wasi:io/streams@0.2.6", "aws-agent:plugin/types@0.1.0", "aws-agent:plugin/console@0.1.10", "aws-agent:plugin/config@0.1.9"].map(String::from);
        assert_eq!(contract_of(&imports).as_deref(), Some("0.1.10"));
        assert_eq!(contract_of(&["wasi:cli/stdout@0.2.6".to_string()]), None);
    }
}
