//! A plugin that lies in its spec: a parameter of type `boolean`, which no release of the
//! contract has. It is built against `tests/wit/lying-type/plugin.wit`, a copy of the contract's
//! types with that extra case. The host must refuse it at load, naming the parameter and type.
wit_bindgen::generate!({ path: "../../wit/lying-type", world: "intent" });

use aws_agent::plugin::types::{Example, ParamSpec, ParamType};

struct LyingType;

impl Guest for LyingType {
    fn describe() -> IntentSpec {
        IntentSpec {
            name: "lying-type".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            docstring: "Declares a parameter type the host does not know.".into(),
            params: vec![ParamSpec {
                name: "verbose".into(),
                type_: ParamType::Boolean,
                description: "Say more".into(),
                required: false,
                synonyms: vec![],
                unit: None,
                pattern: None,
            }],
            examples: vec![Example { utterance: "lie about your types".into(), arguments: vec![] }],
        }
    }

    fn run(_args: Vec<Argument>) -> Result<String, String> {
        Ok("a plugin with an unknown parameter type ran".into())
    }
}

export!(LyingType);
