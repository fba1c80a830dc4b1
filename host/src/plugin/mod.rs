//! Intent plugins: WebAssembly components loaded by wasmtime, sandboxed, and called through the
//! WIT contract in `wit/`.

pub mod grants;
mod host_impl;
pub mod limits;
pub mod registry;
pub mod runtime;
pub mod schema;
pub mod spec;

pub use grants::{Capability, Grants};
pub use limits::Limits;
pub use registry::{LoadError, PluginDir, Registry};
pub use runtime::{CONTRACT, LoadedPlugin, PluginError, Runtime};
pub use spec::{Args, IntentSpec, ParamSpec, ParamType, Value};
