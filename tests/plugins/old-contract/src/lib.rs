//! A plugin built against the first release of the contract, `aws-agent:plugin@0.1.0`, kept
//! byte for byte in `tests/wit/0.1.0/plugin.wit`. It uses wit-bindgen directly rather than the
//! SDK (which follows the current contract), so its imports stay `…@0.1.0` whatever the host
//! grows. The host must keep loading it, routing to it and running it: every capability it
//! calls (console, config, catalog) goes through a 0.1.0 import linked to the host's newer one.
wit_bindgen::generate!({ path: "../../wit/0.1.0", world: "intent" });

use aws_agent::plugin::types::{Example, ParamSpec, ParamType, Value};
use aws_agent::plugin::{catalog, config, console};

struct OldContract;

impl Guest for OldContract {
    fn describe() -> IntentSpec {
        let times = ParamSpec {
            name: "times".into(),
            type_: ParamType::Int,
            description: "How many greetings".into(),
            required: false,
            synonyms: vec!["times".into()],
            unit: None,
            pattern: None,
        };
        let example = |utterance: &str, arguments: Vec<Argument>| Example { utterance: utterance.into(), arguments };
        IntentSpec {
            name: "old-contract".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            docstring: "Greets from a plugin built against contract 0.1.0 and says what it sees of the configuration and the catalog.".into(),
            params: vec![times],
            examples: vec![
                example("greet me the old fashioned way", vec![]),
                example("greet me the old fashioned way 3 times", vec![Argument { name: "times".into(), value: Value::Int(3) }]),
            ],
        }
    }

    fn run(args: Vec<Argument>) -> Result<String, String> {
        let times = args.iter().find_map(|a| match (a.name.as_str(), &a.value) {
            ("times", Value::Int(n)) => Some(*n),
            _ => None,
        });
        let times = usize::try_from(times.unwrap_or(1)).ok().filter(|n| (1..=10).contains(n)).ok_or("times must be 1 to 10")?;
        for _ in 0..times {
            console::print("hello from contract 0.1.0");
        }
        let ec2 = config::get().ec2;
        let rows = catalog::query("SELECT COUNT(*) AS n FROM instance_types WHERE vcpus >= ?1", &[catalog::SqlValue::Integer(2)])?;
        let count = match rows.rows.first().and_then(|row| row.first()) {
            Some(catalog::SqlValue::Integer(n)) => *n,
            _ => return Err("the catalog gave no count".into()),
        };
        Ok(format!("{} in {}; {count} catalog types have 2 or more vCPUs.", ec2.instance_type, ec2.region))
    }
}

export!(OldContract);
