//! `aws-agent plugins new NAME`: a plugin crate that builds with
//! `cargo build --release --target wasm32-wasip2` and needs no other tool. The files are the
//! templates in `host/templates/plugin/`, compiled in, with `{{placeholder}}`s filled in.
//!
//! The templates are `host/templates/plugin/*.tmpl`, compiled in with `include_str!` and filled by
//! plain substitution of `{{name}}`, `{{snake}}`, `{{words}}`, `{{Type}}` and `{{sdk}}`. The SDK
//! dependency is a path to the checkout's `sdk/` when the binary runs from one (found through
//! `paths::checkout`), else a version.
use crate::plugin::spec::is_kebab;
use std::path::{Path, PathBuf};

/// Each file of the new crate and its template.
const FILES: [(&str, &str); 5] = [
    ("Cargo.toml", include_str!("../templates/plugin/Cargo.toml.tmpl")),
    ("src/lib.rs", include_str!("../templates/plugin/lib.rs.tmpl")),
    ("cases.toml", include_str!("../templates/plugin/cases.toml.tmpl")),
    ("README.md", include_str!("../templates/plugin/README.md.tmpl")),
    (".gitignore", include_str!("../templates/plugin/gitignore.tmpl")),
];

/// Where the new crate gets `aws-agent-sdk` from.
#[derive(Debug, Clone, PartialEq)]
pub enum Sdk {
    /// The `sdk/` folder of the checkout this binary was built in.
    Path(PathBuf),
    /// A version requirement, for a binary that does not run from a checkout.
    Version(&'static str),
}

impl Sdk {
    /// The checkout's `sdk/` if the binary runs from one, else the SDK's version.
    pub fn find() -> Sdk {
        crate::paths::checkout()
            .map(|checkout| checkout.join("sdk"))
            .filter(|sdk| sdk.join("Cargo.toml").is_file())
            .map_or(Sdk::Version(env!("CARGO_PKG_VERSION")), Sdk::Path)
    }

    /// The dependency's value in Cargo.toml.
    fn dependency(&self) -> String {
        match self {
            Sdk::Path(path) => format!("{{ path = {} }}", toml::Value::String(path.display().to_string())),
            Sdk::Version(version) => toml::Value::String((*version).into()).to_string(),
        }
    }
}

/// Writes the crate for intent `name` into `dir`, which must not exist yet; returns the files
/// written.
pub fn create(name: &str, dir: &Path, sdk: &Sdk) -> Result<Vec<PathBuf>, String> {
    if !is_kebab(name) {
        return Err(format!(
            "{name:?} is not a kebab-case intent name: use a-z and 0-9 in words joined by single dashes, starting with a letter, at most 64 characters (like estimate-cost)"
        ));
    }
    if dir.exists() {
        return Err(format!("{} already exists; choose another NAME, or a new folder with --dir", dir.display()));
    }
    let vars = [
        ("{{name}}", name.to_string()),
        ("{{snake}}", name.replace('-', "_")),
        ("{{words}}", name.replace('-', " ")),
        ("{{Type}}", type_name(name)),
        ("{{sdk}}", sdk.dependency()),
    ];
    let mut written = Vec::new();
    for (file, template) in FILES {
        let path = dir.join(file);
        let text = vars.iter().fold(template.to_string(), |text, (key, value)| text.replace(key, value));
        let write = path.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|()| std::fs::write(&path, text));
        write.map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// `estimate-cost` → `EstimateCost`; never the keyword `Self`.
fn type_name(name: &str) -> String {
    let camel: String = name
        .split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map(|c| c.to_ascii_uppercase()).into_iter().chain(chars).collect::<String>()
        })
        .collect();
    if camel == "Self" { "SelfIntent".into() } else { camel }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_placeholder_is_filled() {
        let dir = std::env::temp_dir().join(format!("aws-agent-scaffold-{}", std::process::id()));
        let files = create("count-big-types", &dir, &Sdk::Path("/src/aws agent/sdk".into())).unwrap();
        assert_eq!(files.len(), FILES.len());
        for file in &files {
            let text = std::fs::read_to_string(file).unwrap();
            assert!(!text.contains("{{"), "{} keeps a placeholder", file.display());
        }
        let lib = std::fs::read_to_string(dir.join("src/lib.rs")).unwrap();
        assert!(lib.contains("pub struct CountBigTypes;") && lib.contains(".example(\"count big types with at least 8 vcpus\""), "{lib}");
        let manifest: toml::Table = toml::from_str(&std::fs::read_to_string(dir.join("Cargo.toml")).unwrap()).unwrap();
        assert_eq!(manifest["dependencies"]["aws-agent-sdk"]["path"].as_str(), Some("/src/aws agent/sdk"));
        assert!(manifest["workspace"].as_table().is_some_and(|t| t.is_empty()), "its own workspace root");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn names_and_folders_are_checked_first() {
        let existing = std::env::temp_dir();
        for bad in ["Count", "count_types", "count--types", "-count", "2count", ""] {
            let err = create(bad, &existing.join("never-written"), &Sdk::Version("0.1.0")).unwrap_err();
            assert!(err.contains("is not a kebab-case intent name"), "{bad}: {err}");
        }
        let err = create("count-types", &existing, &Sdk::Version("0.1.0")).unwrap_err();
        assert!(err.ends_with("already exists; choose another NAME, or a new folder with --dir"), "{err}");
        assert!(!existing.join("never-written").exists());
    }

    #[test]
    fn type_names_are_camel_case() {
        assert_eq!(type_name("estimate-cost"), "EstimateCost");
        assert_eq!(type_name("a1-b2"), "A1B2");
        assert_eq!(type_name("self"), "SelfIntent");
    }

    #[test]
    fn without_a_checkout_the_sdk_is_a_version() {
        assert_eq!(Sdk::Version("0.1.0").dependency(), "\"0.1.0\"");
    }
}
