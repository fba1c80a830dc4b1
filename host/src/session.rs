//! One conversation: route each utterance, check the call, run the plugin, keep the
//! configuration consistent whatever the plugin does.
use crate::capability::{Capabilities, LazyCatalog};
use crate::capability::console::Sink;
use crate::catalog::Source;
use crate::plugin::{Limits, LoadError, Registry, Runtime};
use crate::router::{offline::OfflineRouter, Call, Router};
use std::path::PathBuf;

pub struct Options {
    /// Searched in order; the first folder to offer an intent name keeps it.
    pub plugin_dirs: Vec<PathBuf>,
    pub catalog: Source,
    pub cache_dir: PathBuf,
    pub limits: Limits,
    pub sink: Sink,
    pub aws: crate::aws::Settings,
}

pub struct Session {
    runtime: Runtime,
    registry: Registry,
    router: Box<dyn Router>,
    /// Lent to the runtime for the length of each plugin call.
    caps: Option<Capabilities>,
}

/// What a turn did, for callers that need more than the printed text.
#[derive(Debug, PartialEq)]
pub enum Turn {
    Ran { call: Call, changed: bool },
    /// `message` is what went wrong, without the note the user is shown about the configuration.
    Failed { call: Call, message: String },
}

impl Session {
    /// Loads the plugins; those that fail are returned beside the session, which works without them.
    pub fn start(options: Options) -> Result<(Session, Vec<LoadError>), crate::plugin::PluginError> {
        let runtime = Runtime::new(Some(options.cache_dir.join("components")), options.limits)?;
        let (registry, errors) = Registry::load(&runtime, &options.plugin_dirs);
        let router = Box::new(OfflineRouter::new(registry.specs()));
        let catalog = LazyCatalog::new(options.catalog, options.cache_dir);
        let aws = Box::new(crate::aws::AwsBackend::new(options.aws));
        let caps = Some(Capabilities::new(catalog, options.sink, aws));
        Ok((Session { runtime, registry, router, caps }, errors))
    }

    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    pub fn router(&self) -> &dyn Router {
        self.router.as_ref()
    }

    pub fn caps(&mut self) -> &mut Capabilities {
        self.caps.as_mut().expect("capabilities are back after every call")
    }

    pub fn say(&mut self, text: &str) {
        self.caps().console.print(text);
    }

    /// Routes and runs one utterance, printing what the user should see.
    pub fn turn(&mut self, utterance: &str) -> Turn {
        let call = match self.router.route(utterance) {
            Ok(call) => call,
            Err(e) => return self.fail(Call::out_of_scope(), format!("Could not understand that: {e}")),
        };
        self.execute(call)
    }

    /// Checks `call` against its intent's spec and runs it; on any failure the configuration is
    /// restored to what it was, so a half-done update never survives.
    pub fn execute(&mut self, call: Call) -> Turn {
        let Some(plugin) = self.registry.get(&call.intent) else {
            let message = format!("No intent called {:?} is loaded.", call.intent);
            return self.fail(call, message);
        };
        let args = match plugin.spec.check(&call.args) {
            Ok(args) => args,
            Err(e) => return self.fail(call, format!("Not run: {e}.")),
        };
        let mut caps = self.caps.take().expect("capabilities are back after every call");
        let before = caps.config.clone();
        caps.console.begin_call();
        let (result, mut caps) = self.runtime.run(plugin, &args, caps);
        let outcome = match result {
            Ok(text) => {
                if !text.is_empty() {
                    caps.console.print(&text);
                }
                let changed = caps.config != before;
                if changed {
                    caps.console.show_config(&caps.config);
                }
                Ok(changed)
            }
            Err(message) => {
                caps.config = before;
                Err(message)
            }
        };
        self.caps = Some(caps);
        match outcome {
            Ok(changed) => Turn::Ran { call, changed },
            Err(message) => {
                let note = format!("(The {} intent did not finish; the configuration is unchanged.)", call.intent);
                self.caps().console.print(&format!("{message}\n{note}"));
                Turn::Failed { call, message }
            }
        }
    }

    fn fail(&mut self, call: Call, message: String) -> Turn {
        self.caps().console.print(&message);
        Turn::Failed { call, message }
    }
}
