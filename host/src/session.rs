//! One conversation: route each utterance, check the call, run the plugin, keep the
//! configuration consistent whatever the plugin does.
//!
//! `Session` holds the runtime, the registry, the router, the `Capabilities` and the journal.
//! `turn` routes and executes; `execute` holds the spec check, the configuration snapshot, the
//! plugin run and the rollback; `Turn` records what happened (ran, failed, or no answer from the
//! router). The capabilities are lent to the runtime for each call and come back afterwards.
use crate::capability::config::Configuration;
use crate::capability::console::Sink;
use crate::capability::{Capabilities, LazyCatalog};
use crate::catalog::Source;
use crate::conversation::{Call, Context, Exchange};
use crate::journal::{Journal, JournalError, TurnRecord};
use crate::plugin::{Limits, LoadError, Registry, Runtime};
use crate::router::{RouteError, Router, offline::OfflineRouter};
use std::path::PathBuf;

#[derive(Clone)]
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
    /// Who routes utterances (the offline router unless a model backend is chosen).
    pub llm: crate::llm::Settings,
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot start the plugin runtime: {0}")]
    Runtime(#[from] crate::plugin::PluginError),
    #[error(transparent)]
    Router(#[from] crate::llm::LlmError),
}

pub struct Session {
    runtime: Runtime,
    registry: Registry,
    router: Box<dyn Router>,
    /// Which router to build again when a plugin is added.
    llm: crate::llm::Settings,
    /// Lent to the runtime for the length of each plugin call.
    caps: Option<Capabilities>,
    journal: Journal,
    /// Where the journal is saved after every turn; None for one-shot commands.
    journal_path: Option<PathBuf>,
    quiet: bool,
    /// Region a new configuration starts in.
    region: String,
}

/// What a turn did, for callers that need more than the printed text.
#[derive(Debug, PartialEq)]
pub enum Turn {
    Ran {
        call: Call,
        changed: bool,
    },
    /// `message` is what went wrong, without the note the user is shown about the configuration.
    Failed {
        call: Call,
        message: String,
    },
    /// The router gave no answer (a model server down or slow, or a reply that broke the
    /// protocol); nothing ran.
    Unanswered {
        message: String,
    },
}

impl Turn {
    /// The calls the turn ran (whether or not they succeeded), in order.
    pub fn ran(&self) -> Vec<&Call> {
        match self {
            Turn::Ran { call, .. } | Turn::Failed { call, .. } => vec![call],
            Turn::Unanswered { .. } => vec![],
        }
    }
}

/// How many earlier turns a router is shown; model backends keep fewer still.
const HISTORY_SHOWN: usize = 8;

impl Session {
    /// Loads the plugins; those that fail are returned beside the session, which works without them.
    pub fn start(options: Options) -> Result<(Session, Vec<LoadError>), StartError> {
        let runtime = Runtime::new(Some(options.cache_dir.join("components")), options.limits)?;
        let (registry, errors) = Registry::load(&runtime, &options.plugin_dirs, &options.grants);
        let router = crate::router::build(&registry, &options.llm)?;
        let catalog = LazyCatalog::new(options.catalog, options.cache_dir);
        let aws = Box::new(crate::aws::AwsBackend::new(options.aws));
        let mut caps = Capabilities::new(catalog, options.sink, aws);
        caps.config = Configuration::in_region(&options.region);
        let journal = Journal::new(caps.config.clone());
        let session = Session {
            runtime,
            registry,
            router,
            llm: options.llm,
            caps: Some(caps),
            journal,
            journal_path: None,
            quiet: options.quiet,
            region: options.region,
        };
        Ok((session, errors))
    }

    /// Loads one more plugin (trusted: the caller chose it) and rebuilds the router; returns
    /// its intent name.
    pub fn load_plugin(&mut self, path: &std::path::Path) -> Result<String, LoadError> {
        let name = self.registry.add(&self.runtime, path, true, &Default::default())?.spec.name.clone();
        // The settings were accepted once, so only a plugin-less offline router is left to fall back to.
        self.router = crate::router::build(&self.registry, &self.llm)
            .unwrap_or_else(|_| Box::new(OfflineRouter::new(self.registry.specs()).with_actions(self.registry.actions())));
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

    /// Starts the conversation over: the configuration the session started with, no turns, no
    /// undo history. The session file, if any, is left as it was until the next turn.
    pub fn reset(&mut self) {
        let fresh = Configuration::in_region(&self.region);
        self.caps().config = fresh.clone();
        self.journal = Journal::new(fresh);
    }

    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// Routes and runs one utterance, printing what the user should see, and remembers it.
    pub fn turn(&mut self, utterance: &str) -> Turn {
        self.turn_via(utterance, false)
    }

    /// Like [`Session::turn`], routed by the router's fallback (the offline router when a
    /// model is down).
    pub fn turn_offline(&mut self, utterance: &str) -> Turn {
        self.turn_via(utterance, true)
    }

    fn turn_via(&mut self, utterance: &str, fallback: bool) -> Turn {
        let routed = self.route_via(utterance, fallback);
        self.run_routed(utterance, routed)
    }

    /// What the router makes of `utterance` in this conversation, without running it; callers
    /// that must ask before a call runs (the MCP server's consent) route, ask, then
    /// [`Session::run_routed`].
    pub fn route(&self, utterance: &str) -> Result<Call, RouteError> {
        self.route_via(utterance, false)
    }

    fn route_via(&self, utterance: &str, fallback: bool) -> Result<Call, RouteError> {
        let history: Vec<Exchange> = self.journal.turns[self.journal.turns.len().saturating_sub(HISTORY_SHOWN)..]
            .iter()
            .filter_map(|t| Some(Exchange { utterance: t.utterance.clone(), call: t.routed.clone()? }))
            .collect();
        let router = match self.router.fallback() {
            Some(offline) if fallback => offline,
            _ => self.router.as_ref(),
        };
        let config = &self.caps.as_ref().expect("capabilities are back after every call").config;
        let context = Context { history: &history, dormant: config.dormant(), state: config.state() };
        router.route_with(utterance, &context)
    }

    /// Runs what the router made of `utterance` (or a call a client named directly), prints
    /// what the user should see, and remembers the turn.
    pub fn run_routed(&mut self, utterance: &str, routed: Result<Call, RouteError>) -> Turn {
        let before = self.caps().config.clone();
        for note in self.router.take_notes() {
            self.say(&note);
        }
        let turn = match routed {
            Ok(call) => self.execute(call),
            Err(RouteError::Rejected(message)) => self.fail(Call::out_of_scope(), format!("{}.", capitalized(&message))),
            Err(e @ (RouteError::Unavailable(_) | RouteError::BadReply(_))) => {
                let message = format!("No answer: {e}.");
                self.caps().console.print_problem(&message);
                Turn::Unanswered { message }
            }
        };
        let (call, routed, ok) = match &turn {
            Turn::Ran { call, .. } => (call.to_string(), Some(call.clone()), true),
            Turn::Failed { call, .. } => (call.to_string(), Some(call.clone()), false),
            Turn::Unanswered { .. } => ("(no answer from the router)".to_string(), None, false),
        };
        tracing::info!(utterance, %call, ok, "turn");
        let after = self.caps().config.clone();
        self.journal.record(TurnRecord { utterance: utterance.into(), call, ok, routed }, &before, &after);
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

    fn restore(&mut self, config: Option<Configuration>, nothing: &str) {
        let caps = self.caps();
        match config {
            Some(config) => {
                caps.config = config;
                caps.show_config();
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
                    caps.show_config();
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

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
