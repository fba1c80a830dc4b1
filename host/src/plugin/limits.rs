//! The bounds on every plugin call, below both the runtime that sets them and the host
//! functions that enforce them while a call runs.
//!
//! Defaults: 2×10⁹ fuel units and 64 MiB of linear memory per call. The `Limiter` stops a plugin
//! the moment it asks for more memory than the limit, with a message that says so.
use wasmtime::{ResourceLimiter, StoreLimits, StoreLimitsBuilder};

/// A host limit that stops the plugin: the call traps with this message.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Stopped(pub String);

/// Bounds on every plugin call.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// WebAssembly instructions a call may execute (roughly one per fuel unit).
    pub fuel: u64,
    /// Linear memory a plugin may grow to.
    pub memory_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        // A real intent needs well under a million instructions and a few MiB.
        Limits { fuel: 2_000_000_000, memory_bytes: 64 << 20 }
    }
}

/// A store's resource limits. A plugin that asks for more memory than [`Limits::memory_bytes`]
/// is stopped right there, with a message that says so, rather than left to fail an allocation
/// (a Rust plugin then aborts with a bare `unreachable`).
pub struct Limiter {
    memory_bytes: usize,
    others: StoreLimits,
}

impl Limiter {
    pub fn new(memory_bytes: usize) -> Limiter {
        Limiter { memory_bytes, others: StoreLimitsBuilder::new().memory_size(memory_bytes).instances(64).tables(64).memories(16).build() }
    }
}

impl ResourceLimiter for Limiter {
    fn memory_growing(&mut self, current: usize, desired: usize, maximum: Option<usize>) -> wasmtime::Result<bool> {
        if desired > self.memory_bytes {
            let why = format!("it tried to use {} MiB of memory; the limit is {} MiB", desired.div_ceil(1 << 20), self.memory_bytes >> 20);
            return Err(Stopped(why).into());
        }
        self.others.memory_growing(current, desired, maximum)
    }

    fn table_growing(&mut self, current: usize, desired: usize, maximum: Option<usize>) -> wasmtime::Result<bool> {
        self.others.table_growing(current, desired, maximum)
    }

    fn instances(&self) -> usize {
        self.others.instances()
    }

    fn tables(&self) -> usize {
        self.others.tables()
    }

    fn memories(&self) -> usize {
        self.others.memories()
    }
}
