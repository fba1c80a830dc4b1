//! Session memory: the configuration, its undo and redo stacks and the turns so far, written
//! atomically after every turn so that a crash or `kill -9` loses nothing.
//!
//! Saved as JSON to a temporary file, synced and renamed over the old one; `--resume` loads it and
//! validates the configuration again against the catalog before trusting it.
use crate::capability::aws::State;
use crate::capability::config::Configuration;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Bumped when the file's shape changes; an unknown version is refused rather than misread.
const FORMAT: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TurnRecord {
    pub utterance: String,
    /// The calls as routed, e.g. `modify-ec2(MinCount=2)` or `enable-autoscaling(); modify-asg(MaxSize=3)`.
    pub call: String,
    pub ok: bool,
    /// The same calls as data, shown to model backends as the conversation so far; empty when
    /// nothing was routed. Files written before plans hold one call here (an object), read as
    /// a plan of one.
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "one_or_many")]
    pub routed: Vec<crate::conversation::Call>,
}

/// A plan as the session file keeps it: a list of calls, or one call (files from before plans).
fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<crate::conversation::Call>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Plan {
        One(crate::conversation::Call),
        Many(Vec<crate::conversation::Call>),
    }
    Ok(match Plan::deserialize(d)? {
        Plan::One(call) => vec![call],
        Plan::Many(calls) => calls,
    })
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Journal {
    format: u32,
    pub config: Configuration,
    /// Earlier configurations, newest last.
    pub undo: Vec<Configuration>,
    /// Configurations undone, newest last.
    pub redo: Vec<Configuration>,
    pub turns: Vec<TurnRecord>,
    /// What this session deployed and has not torn down. Also written on its own, the moment it
    /// changes inside a turn ([`Journal::save_deployed`]), so a `kill -9` during a console
    /// stream keeps it.
    #[serde(default, skip_serializing_if = "nothing_deployed")]
    pub deployed: State,
}

fn nothing_deployed(state: &State) -> bool {
    state.deployments.is_empty()
}

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("cannot read the session file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("the session file {path} is damaged or from another version ({message}); start without --resume to replace it")]
    Format { path: PathBuf, message: String },
    #[error("cannot save the session to {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
}

impl Journal {
    pub fn new(config: Configuration) -> Journal {
        Journal { format: FORMAT, config, undo: vec![], redo: vec![], turns: vec![], deployed: State::default() }
    }

    pub fn load(path: &Path) -> Result<Option<Journal>, JournalError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(JournalError::Read { path: path.into(), source }),
        };
        let journal: Journal = serde_json::from_str(&text).map_err(|e| JournalError::Format { path: path.into(), message: e.to_string() })?;
        if journal.format != FORMAT {
            return Err(JournalError::Format { path: path.into(), message: format!("format {} is not {FORMAT}", journal.format) });
        }
        Ok(Some(journal))
    }

    /// Written to a temporary file, synced, then renamed over the old one: a reader (or a
    /// resume after a crash) sees the previous state or the new one, never half of either.
    pub fn save(&self, path: &Path) -> Result<(), JournalError> {
        let err = |source| JournalError::Write { path: path.into(), source };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(err)?;
        }
        let tmp = path.with_extension(format!("tmp.{}", std::process::id()));
        let mut file = std::fs::File::create(&tmp).map_err(err)?;
        let json = serde_json::to_vec_pretty(self).map_err(|e| err(std::io::Error::other(e)))?;
        file.write_all(&json).and_then(|()| file.sync_all()).map_err(err)?;
        std::fs::rename(&tmp, path).map_err(err)
    }

    /// Writes `deployed` into the session file at `path` now, keeping the rest of the file: the
    /// deployment is saved the moment it exists, in the middle of the turn that made it.
    pub fn save_deployed(path: &Path, deployed: &State) -> Result<(), JournalError> {
        let mut journal = match Journal::load(path)? {
            Some(journal) => journal,
            None => return Err(JournalError::Write { path: path.into(), source: std::io::Error::other("the session file is missing") }),
        };
        journal.deployed = deployed.clone();
        journal.save(path)
    }

    /// Records a turn; a turn that changed the configuration can be undone.
    pub fn record(&mut self, turn: TurnRecord, before: &Configuration, after: &Configuration) {
        if before != after {
            self.undo.push(before.clone());
            self.redo.clear();
        }
        self.config = after.clone();
        self.turns.push(turn);
    }

    /// Records a turn that changed nothing itself (an undo or a redo, which step the stacks).
    pub fn note(&mut self, turn: TurnRecord) {
        self.turns.push(turn);
    }

    /// The configuration before the last change, if any; the current one becomes redoable.
    pub fn undo(&mut self) -> Option<&Configuration> {
        let previous = self.undo.pop()?;
        self.redo.push(std::mem::replace(&mut self.config, previous));
        Some(&self.config)
    }

    pub fn redo(&mut self) -> Option<&Configuration> {
        let next = self.redo.pop()?;
        self.undo.push(std::mem::replace(&mut self.config, next));
        Some(&self.config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_min(n: u32) -> Configuration {
        let mut c = Configuration::default();
        c.ec2.min_count = n;
        c.ec2.max_count = n.max(1);
        c
    }

    fn turn(text: &str) -> TurnRecord {
        TurnRecord { utterance: text.into(), call: "x()".into(), ok: true, routed: vec![] }
    }

    #[test]
    fn undo_and_redo_walk_the_changes() {
        let mut j = Journal::new(with_min(1));
        j.record(turn("a"), &with_min(1), &with_min(2));
        j.record(turn("show"), &with_min(2), &with_min(2));
        j.record(turn("b"), &with_min(2), &with_min(3));
        assert_eq!(j.undo(), Some(&with_min(2)));
        assert_eq!(j.undo(), Some(&with_min(1)));
        assert_eq!(j.undo(), None);
        assert_eq!(j.redo(), Some(&with_min(2)));
        j.record(turn("c"), &with_min(2), &with_min(5));
        assert_eq!(j.redo(), None, "a new change drops what was undone");
        assert_eq!(j.turns.len(), 4);
    }

    #[test]
    fn saves_atomically_and_loads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/session.json");
        assert_eq!(Journal::load(&path).unwrap(), None);
        let mut j = Journal::new(with_min(1));
        j.record(turn("a"), &with_min(1), &with_min(2));
        j.save(&path).unwrap();
        assert_eq!(Journal::load(&path).unwrap(), Some(j));
        assert_eq!(std::fs::read_dir(path.parent().unwrap()).unwrap().count(), 1, "no temporary file left");
        std::fs::write(&path, "{ half a file").unwrap();
        assert!(Journal::load(&path).unwrap_err().to_string().contains("damaged"));
    }
}
