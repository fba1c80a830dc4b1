//! One conversation: route each utterance, check the call, run the plugin, keep the
//! configuration consistent whatever the plugin does.
use crate::capability::{Capabilities, LazyCatalog};
use crate::capability::console::Sink;
use crate::catalog::Source;
use crate::journal::{Journal, JournalError, TurnRecord};
use crate::plugin::{Limits, LoadError, Registry, Runtime};
use crate::router::{offline::OfflineRouter, Call, Router};
use std::path::PathBuf;

pub struct Options {
    /// Searched in order; the first folder to offer an intent name keeps it.
    pub plugin_dirs: Vec<crate::plugin::PluginDir>,
    /// What the user granted plugins from outside the built-in folders.
    pub grants: crate::plugin::Grants,
    pub catalog: Source,
    pub cache_dir: PathBuf,
    pub limits: Limits,
    pub sink: Sink,
    pub aws: crate::aws::Settings,
    /// Region a new configuration starts in.
    pub region: String,
    /// Only answers: no configuration table after each change.
    pub quiet: bool,
}

pub struct Session {
    runtime: Runtime,
    registry: Registry,
    router: Box<dyn Router>,
    /// Lent to the runtime for the length of each plugin call.
    caps: Option<Capabilities>,
    journal: Journal,
    /// Where the journal is saved after every turn; None for one-shot commands.
    journal_path: Option<PathBuf>,
    quiet: bool,
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
        let (registry, errors) = Registry::load(&runtime, &options.plugin_dirs, &options.grants);
        let router = Box::new(OfflineRouter::new(registry.specs()));
        let catalog = LazyCatalog::new(options.catalog, options.cache_dir);
        let aws = Box::new(crate::aws::AwsBackend::new(options.aws));
        let mut caps = Capabilities::new(catalog, options.sink, aws);
        caps.config = crate::capability::config::Configuration::in_region(&options.region);
        let journal = Journal::new(caps.config.clone());
        Ok((Session { runtime, registry, router, caps: Some(caps), journal, journal_path: None, quiet: options.quiet }, errors))
    }

    /// Loads one more plugin (trusted: the caller chose it) and rebuilds the router; returns
    /// its intent name.
    pub fn load_plugin(&mut self, path: &std::path::Path) -> Result<String, LoadError> {
        let name = self.registry.add(&self.runtime, path, true, &Default::default())?.spec.name.clone();
        self.router = Box::new(OfflineRouter::new(self.registry.specs()));
        Ok(name)
    }

    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    pub fn limits(&self) -> crate::plugin::Limits {
        self.runtime.limits
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

    /// Keeps this conversation in `path` from now on, saved after every turn. With `resume`, first
    /// restores the configuration, undo history and turns saved there; without, an earlier file
    /// is kept beside it as `*.prev.json` rather than lost. Returns the turns restored.
    pub fn remember_in(&mut self, path: PathBuf, resume: bool) -> Result<usize, JournalError> {
        if resume {
            if let Some(journal) = Journal::load(&path)? {
                let caps = self.caps();
                journal.config.validate(&mut caps.catalog).map_err(|message| JournalError::Format { path: path.clone(), message })?;
                caps.config = journal.config.clone();
                self.journal = journal;
            }
        } else if path.is_file() {
            let _ = std::fs::rename(&path, path.with_extension("prev.json"));
        }
        self.journal_path = Some(path);
        Ok(self.journal.turns.len())
    }

    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// Routes and runs one utterance, printing what the user should see, and remembers it.
    pub fn turn(&mut self, utterance: &str) -> Turn {
        let before = self.caps().config.clone();
        let turn = match self.router.route(utterance) {
            Ok(call) => self.execute(call),
            Err(e) => self.fail(Call::out_of_scope(), format!("Could not understand that: {e}")),
        };
        let (call, ok) = match &turn {
            Turn::Ran { call, .. } => (call.to_string(), true),
            Turn::Failed { call, .. } => (call.to_string(), false),
        };
        tracing::info!(utterance, %call, ok, "turn");
        let after = self.caps().config.clone();
        self.journal.record(TurnRecord { utterance: utterance.into(), call, ok }, &before, &after);
        self.save_journal();
        turn
    }

    /// Steps back to the configuration before the last change.
    pub fn undo(&mut self) {
        let restored = self.journal.undo().cloned();
        self.restore(restored, "Nothing to undo.");
    }

    /// Steps forward again after an undo.
    pub fn redo(&mut self) {
        let restored = self.journal.redo().cloned();
        self.restore(restored, "Nothing to redo.");
    }

    fn restore(&mut self, config: Option<crate::capability::config::Configuration>, nothing: &str) {
        let caps = self.caps();
        match config {
            Some(config) => {
                caps.config = config;
                caps.console.show_config(&caps.config);
                self.save_journal();
            }
            None => caps.console.print(nothing),
        }
    }

    fn save_journal(&mut self) {
        let Some(path) = &self.journal_path else { return };
        if let Err(e) = self.journal.save(path) {
            let message = format!("warning: {e}");
            self.say(&message);
        }
    }

    /// Checks `call` against its intent's spec and runs it; on any failure the configuration is
    /// restored to what it was, so a half-done update never survives.
    pub fn execute(&mut self, call: Call) -> Turn {
        tracing::debug!(%call, "routed");
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
                if changed && !self.quiet {
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
                self.caps().console.print_problem(&format!("{message}\n{note}"));
                Turn::Failed { call, message }
            }
        }
    }

    fn fail(&mut self, call: Call, message: String) -> Turn {
        self.caps().console.print_problem(&message);
        Turn::Failed { call, message }
    }
}
