//! Capabilities are granted, not assumed. A component's imports say which host capabilities it
//! can call; built-in plugins get what they import, a dropped-in plugin gets console and catalog,
//! and anything more must be granted by the user (`aws-agent plugins grant NAME CAPABILITY`).
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Capability {
    Catalog,
    Config,
    ConfigWrite,
    Console,
    Aws,
    /// Reads from AWS without changing anything (Spot prices, what runs): not an action.
    AwsRead,
}

impl Capability {
    pub const ALL: [Capability; 6] =
        [Capability::Catalog, Capability::Config, Capability::ConfigWrite, Capability::Console, Capability::Aws, Capability::AwsRead];

    /// The WIT interface name, which is also how users name it.
    pub fn name(self) -> &'static str {
        match self {
            Capability::Catalog => "catalog",
            Capability::Config => "config",
            Capability::ConfigWrite => "config-write",
            Capability::Console => "console",
            Capability::Aws => "aws",
            Capability::AwsRead => "aws-read",
        }
    }

    pub fn parse(name: &str) -> Option<Capability> {
        Capability::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The capability a component import names ("aws-agent:plugin/aws@0.1.0"); None for imports
    /// that are not capabilities (shared types, the sandbox's empty WASI).
    pub fn of_import(import: &str) -> Option<Capability> {
        let interface = import.strip_prefix("aws-agent:plugin/")?.split('@').next()?;
        Capability::parse(interface)
    }
}

impl fmt::Display for Capability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a plugin from outside the built-in folder may use without a grant.
pub const DEFAULT_GRANTS: [Capability; 2] = [Capability::Console, Capability::Catalog];

/// The user's grants, by intent name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Grants(pub BTreeMap<String, BTreeSet<Capability>>);

impl Grants {
    /// From the config file's `[grants]` table; an unknown capability name is an error.
    pub fn parse(table: &BTreeMap<String, Vec<String>>) -> Result<Grants, String> {
        let mut grants = Grants::default();
        for (intent, names) in table {
            for name in names {
                let cap = Capability::parse(name).ok_or_else(|| format!("grants.{intent}: unknown capability {name:?} (known: {})", known()))?;
                grants.0.entry(intent.clone()).or_default().insert(cap);
            }
        }
        Ok(grants)
    }

    /// What `intent`, from outside the built-in folder, may use.
    pub fn allowed(&self, intent: &str) -> BTreeSet<Capability> {
        DEFAULT_GRANTS.into_iter().chain(self.0.get(intent).into_iter().flatten().copied()).collect()
    }
}

pub fn known() -> String {
    Capability::ALL.map(Capability::name).join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_map_to_capabilities() {
        assert_eq!(Capability::of_import("aws-agent:plugin/config-write@0.1.0"), Some(Capability::ConfigWrite));
        assert_eq!(Capability::of_import("aws-agent:plugin/types@0.1.0"), None);
        assert_eq!(Capability::of_import("aws-agent:plugin/aws-read@0.1.3"), Some(Capability::AwsRead));
        assert_eq!(Capability::of_import("wasi:filesystem/types@0.2.6"), None);
    }

    #[test]
    fn grants_add_to_the_defaults() {
        let table = BTreeMap::from([("estimate-cost".to_string(), vec!["config".to_string()])]);
        let grants = Grants::parse(&table).unwrap();
        assert_eq!(grants.allowed("estimate-cost"), BTreeSet::from([Capability::Catalog, Capability::Config, Capability::Console]));
        assert_eq!(grants.allowed("other"), BTreeSet::from([Capability::Catalog, Capability::Console]));
        let bad = BTreeMap::from([("x".to_string(), vec!["root".to_string()])]);
        assert!(Grants::parse(&bad).unwrap_err().contains("unknown capability \"root\""));
    }
}
