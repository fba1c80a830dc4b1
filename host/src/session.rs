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
use crate::host_intents;
use crate::journal::{Journal, JournalError, TurnRecord};
use crate::plugin::{Limits, LoadError, Registry, Runtime};
use crate::router::{RouteError, Routed, Router};
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
    /// The question the agent asked at the end of the last turn (`console.propose`), which a
    /// bare yes answers on this one.
    proposal: Option<crate::capability::Proposal>,
    /// The session file could not be written last time (said once).
    unsaved: bool,
}

/// What a turn did, for callers that need more than the printed text.
#[derive(Debug, PartialEq)]
pub enum Turn {
    /// Every call of the plan ran, in order (none: the words asked for nothing to run, and the
    /// router's notes said why).
    Ran { calls: Vec<Call>, changed: bool },
    /// The last of `calls` did not finish, or was refused before it ran (then `calls` is
    /// empty); `message` is what went wrong, without the note about the configuration.
    Failed { calls: Vec<Call>, message: String },
    /// The router gave no answer (a model server down or slow, or a reply that broke the
    /// protocol); nothing ran.
    Unanswered { message: String },
}

impl Turn {
    /// The calls the turn ran (whether or not the last succeeded), in order.
    pub fn ran(&self) -> &[Call] {
        match self {
            Turn::Ran { calls, .. } | Turn::Failed { calls, .. } => calls,
            Turn::Unanswered { .. } => &[],
        }
    }

    /// The last call the turn ran.
    pub fn call(&self) -> Option<&Call> {
        self.ran().last()
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
            proposal: None,
            unsaved: false,
        };
        Ok((session, errors))
    }

    /// Loads one more plugin (trusted: the caller chose it) and rebuilds the router; returns
    /// its intent name.
    pub fn load_plugin(&mut self, path: &std::path::Path) -> Result<String, LoadError> {
        let name = self.registry.add(&self.runtime, path, true, &Default::default())?.spec.name.clone();
        // The settings were accepted once, so only a plugin-less offline router is left to fall back to.
        self.router = crate::router::build(&self.registry, &self.llm).unwrap_or_else(|_| crate::router::build_offline(&self.registry));
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
            if let Some(mut journal) = Journal::load(&path)? {
                let caps = self.caps();
                journal.config.validate(&mut caps.catalog).map_err(|message| JournalError::Format { path: path.clone(), message })?;
                // Every entry undo or redo can make current is checked as the current one is; a
                // bad one is dropped, and said.
                for (stack, entries) in [("undo", &mut journal.undo), ("redo", &mut journal.redo)] {
                    let mut kept = Vec::with_capacity(entries.len());
                    for (i, entry) in std::mem::take(entries).into_iter().enumerate() {
                        match entry.validate(&mut caps.catalog) {
                            Ok(()) => kept.push(entry),
                            Err(why) => caps.console.warn(&format!("{stack} entry {} of the session file was dropped: {why}", i + 1)),
                        }
                    }
                    *entries = kept;
                }
                caps.config = journal.config.clone();
                caps.aws.restore(journal.deployed.clone());
                self.journal = journal;
            }
        } else if path.is_file() {
            let _ = std::fs::rename(&path, path.with_extension("prev.json"));
        }
        // What is deployed is written the moment it exists, mid-turn, into the file saved now.
        let hook_path = path.clone();
        self.caps().aws.set_persist(Box::new(move |state| {
            if let Err(e) = Journal::save_deployed(&hook_path, state) {
                tracing::warn!(error = %e, "deployment not saved");
            }
        }));
        self.journal_path = Some(path);
        self.save_journal();
        Ok(self.journal.turns.len())
    }

    /// Starts the conversation over: the configuration the session started with, no turns, no
    /// undo history. The session file, if any, is left as it was until the next turn.
    pub fn reset(&mut self) {
        let fresh = Configuration::in_region(&self.region);
        self.caps().config = fresh.clone();
        self.journal = Journal::new(fresh);
        self.proposal = None;
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
    pub fn route(&self, utterance: &str) -> Result<Routed, RouteError> {
        self.route_via(utterance, false)
    }

    fn route_via(&self, utterance: &str, fallback: bool) -> Result<Routed, RouteError> {
        let history: Vec<Exchange> = self.journal.turns[self.journal.turns.len().saturating_sub(HISTORY_SHOWN)..]
            .iter()
            .filter(|t| !t.routed.is_empty())
            .map(|t| Exchange { utterance: t.utterance.clone(), plan: t.routed.clone() })
            .collect();
        let router = match self.router.fallback() {
            Some(offline) if fallback => offline,
            _ => self.router.as_ref(),
        };
        let config = &self.caps.as_ref().expect("capabilities are back after every call").config;
        let context = Context {
            history: &history,
            dormant: config.dormant(),
            state: config.state(),
            proposal: self.proposal.as_ref().map(|p| p.intent.clone()),
            values: config.values(),
            last_changed: config.last_changed.clone(),
        };
        router.route_with(utterance, &context)
    }

    /// Runs what the router made of `utterance` (or a call a client named directly), prints
    /// what the user should see, and remembers the turn: one journal record and one undo step
    /// for the whole plan.
    pub fn run_routed(&mut self, utterance: &str, routed: Result<Routed, RouteError>) -> Turn {
        // The agent's question is answered, or dropped, by this turn.
        let asked = self.proposal.take();
        let before = self.caps().config.clone();
        let turn = match routed {
            Ok(routed) => {
                for note in &routed.notes {
                    self.say(note);
                }
                match routed.plan.as_slice() {
                    [only] if host_intents::is_host_intent(&only.intent) => return self.step(utterance, only.clone()),
                    _ => self.run_plan(routed.plan),
                }
            }
            Err(RouteError::Rejected(message)) => self.refuse(format!("{}.", capitalized(message.trim_end_matches('.')))),
            Err(RouteError::Declined(message)) => {
                self.say(&message);
                Turn::Ran { calls: vec![], changed: false }
            }
            Err(e @ (RouteError::Unavailable(_) | RouteError::BadReply(_))) => {
                let message = format!("No answer: {e}.");
                self.caps().console.print_problem(&message);
                Turn::Unanswered { message }
            }
        };
        drop(asked);
        // Only a turn that finished may leave a question for the next one.
        let proposal = self.caps().proposal.take();
        if matches!(turn, Turn::Ran { .. }) {
            self.proposal = proposal.filter(|p| self.registry.get(&p.intent).is_some());
        }
        let (call, ok) = match &turn {
            Turn::Ran { calls, .. } => (plan_text(calls), true),
            Turn::Failed { calls, .. } => (plan_text(calls), false),
            Turn::Unanswered { .. } => ("(no answer from the router)".to_string(), false),
        };
        tracing::info!(utterance, %call, ok, "turn");
        let mut after = self.caps().config.clone();
        if after != before {
            // What "make that 6" refers to next: the settings this turn set.
            after.last_changed = before.changes_to(&after).into_iter().map(|c| c.name).filter(|n| n != "Autoscaling").collect();
            self.caps().config.last_changed = after.last_changed.clone();
        }
        let routed = turn.ran().to_vec();
        self.journal.record(TurnRecord { utterance: utterance.into(), call, ok, routed }, &before, &after);
        self.save_journal();
        turn
    }

    /// Runs the calls of a plan in order, as one change: if a call that changes the
    /// configuration is refused, the configuration goes back to what it was before the plan
    /// and the answer says which part was refused; an action on AWS (always last) that fails
    /// keeps the changes before it, and says so.
    fn run_plan(&mut self, plan: Vec<Call>) -> Turn {
        let before = self.caps().config.clone();
        let mut ran: Vec<Call> = Vec::with_capacity(plan.len());
        let several = plan.len() > 1;
        for call in plan {
            let acts = self.registry.actions().any(|a| a == call.intent);
            match self.run_call(&call) {
                Ok(()) => ran.push(call),
                Err(message) => {
                    let changed_before = self.caps().config != before;
                    let note = match (acts, changed_before) {
                        (true, true) => format!("(The {} intent did not finish; the changes before it in this line were kept.)", call.intent),
                        (false, _) if several => {
                            self.caps().config = before.clone();
                            format!(
                                "(The {} part of this line was refused, so none of the line's changes were made; the configuration is as before.)",
                                call.intent
                            )
                        }
                        _ => format!("(The {} intent did not finish; the configuration is unchanged.)", call.intent),
                    };
                    self.caps().console.print_problem(&format!("{message}\n{note}"));
                    ran.push(call);
                    if !acts || !changed_before {
                        self.caps().config = before;
                    }
                    return Turn::Failed { calls: ran, message };
                }
            }
        }
        let changed = self.caps().config != before;
        if changed && !self.quiet {
            self.caps().show_config();
        }
        Turn::Ran { calls: ran, changed }
    }

    /// Steps the journal for `undo` or `redo`, says what changed, and keeps the turn in the
    /// history (it is not itself a change to undo).
    fn step(&mut self, utterance: &str, call: Call) -> Turn {
        let now = self.caps().config.clone();
        let restored = match call.intent.as_str() {
            host_intents::UNDO => self.journal.undo().cloned(),
            _ => self.journal.redo().cloned(),
        };
        let (verb, nothing) = if call.intent == host_intents::UNDO { ("Undid", "Nothing to undo.") } else { ("Redid", "Nothing to redo.") };
        let ok = restored.is_some();
        match restored {
            Some(config) => {
                let changes: Vec<String> = now.changes_to(&config).iter().map(ToString::to_string).collect();
                let said = if changes.is_empty() { format!("{verb} the last change.") } else { format!("{verb}: {}.", changes.join(", ")) };
                self.caps().config = config;
                self.say(&said);
                if !self.quiet {
                    self.caps().show_config();
                }
            }
            None => self.say(nothing),
        }
        self.journal.note(TurnRecord { utterance: utterance.into(), call: call.to_string(), ok, routed: vec![call.clone()] });
        self.save_journal();
        Turn::Ran { calls: vec![call], changed: ok }
    }

    /// Steps back to the configuration before the last change (the REPL's `undo`).
    pub fn undo(&mut self) -> Turn {
        self.step("undo", Call { intent: host_intents::UNDO.into(), args: vec![] })
    }

    /// Steps forward again after an undo (the REPL's `redo`).
    pub fn redo(&mut self) -> Turn {
        self.step("redo", Call { intent: host_intents::REDO.into(), args: vec![] })
    }

    fn save_journal(&mut self) {
        self.journal.deployed = self.caps.as_ref().expect("capabilities are back after every call").aws.state();
        let Some(path) = &self.journal_path else { return };
        match self.journal.save(path) {
            Ok(()) => self.unsaved = false,
            // Said once until it works again, not after every turn.
            Err(e) if !self.unsaved => {
                self.unsaved = true;
                let message = format!("{e}. The conversation goes on, but it is not saved: --resume will not find it, and a crash loses it.");
                self.caps().console.warn(&message);
            }
            Err(_) => {}
        }
    }

    /// Checks `call` against its intent's spec and runs it as a plan of one, showing the
    /// configuration if it changed; on any failure the configuration is restored.
    pub fn execute(&mut self, call: Call) -> Turn {
        self.run_plan(vec![call])
    }

    /// Checks `call` against its intent's spec and runs it; on any failure the configuration is
    /// restored to what it was, so a half-done update never survives.
    fn run_call(&mut self, call: &Call) -> Result<(), String> {
        tracing::debug!(%call, "routed");
        let Some(plugin) = self.registry.get(&call.intent) else {
            return Err(format!("No intent called {:?} is loaded.", call.intent));
        };
        let args = plugin.spec.check(&call.args).map_err(|e| format!("Not run: {e}."))?;
        let mut caps = self.caps.take().expect("capabilities are back after every call");
        let before = caps.config.clone();
        caps.console.begin_call();
        let (result, mut caps) = self.runtime.run(plugin, &args, caps);
        let outcome = match result {
            Ok(text) => {
                if !text.is_empty() {
                    caps.console.print(&text);
                }
                Ok(())
            }
            Err(message) => {
                caps.config = before;
                caps.proposal = None;
                Err(message)
            }
        };
        self.caps = Some(caps);
        outcome
    }

    fn refuse(&mut self, message: String) -> Turn {
        self.caps().console.print_problem(&message);
        Turn::Failed { calls: vec![], message }
    }
}

/// `modify-ec2(MinCount=2); deploy()` — a plan as the history and the log show it.
fn plan_text(calls: &[Call]) -> String {
    match calls.is_empty() {
        true => "(nothing run)".to_string(),
        false => calls.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "),
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
