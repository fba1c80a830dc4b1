//! The aws-agent plugin SDK: an intent is a [`Spec`] and one function.
//!
//! ```ignore
//! use aws_agent_sdk::*;
//!
//! struct Hello;
//! impl Intent for Hello {
//!     fn spec() -> Spec {
//!         Spec::new("hello", "Greet the user.").example("say hi", &[])
//!     }
//!     fn run(_args: &Args, host: &mut impl Host) -> Result<String, String> {
//!         host.print("hi");
//!         Ok(String::new())
//!     }
//! }
//! register_intent!(Hello);
//! ```
//!
//! Plugins never see wit-bindgen: [`register_intent!`] wires the type to the component exports,
//! and [`Host`] is the set of capabilities the host lends. [`testing::FakeHost`] implements the
//! same trait in memory so plugin logic is unit-tested natively with `cargo test`.
//!
//! The bindings are generated into the hidden `__bindings` module; the types plugins use are
//! re-exported from it.

mod args;
pub mod defaults;
mod host;
pub mod lookup;
pub mod offers;
mod spec;
pub mod testing;
mod values;

#[doc(hidden)]
pub mod __bindings {
    wit_bindgen::generate!({
        path: "../wit",
        world: "intent",
        pub_export_macro: true,
        export_macro_name: "__export_intent",
        default_bindings_module: "aws_agent_sdk::__bindings",
        additional_derives: [PartialEq],
    });
}

pub use __bindings::aws_agent::plugin::aws::{DeployPreview, Deployment, PreviewKind};
pub use __bindings::aws_agent::plugin::aws_read::{SpotPrice, StatusReport, TaggedGroup, TaggedInstance, TaggedTemplate};
pub use __bindings::aws_agent::plugin::catalog::{Rows, SqlValue};
pub use __bindings::aws_agent::plugin::config::{Access, AsgConfig, Configuration, Ec2Config, LaunchOptions, Requirements};
pub use __bindings::aws_agent::plugin::config_write::{AccessUpdate, AsgUpdate, Ec2Update, LaunchOptionsUpdate};
pub use __bindings::aws_agent::plugin::types::{Argument, Example, IntentSpec, ParamSpec, ParamType, Value};
pub use args::Args;
pub use host::{Host, WasmHost};
pub use spec::{Param, Spec};

/// One intent: what it is (for the router and the prompt) and what it does.
pub trait Intent {
    fn spec() -> Spec;
    /// Runs with arguments already checked against [`Intent::spec`]. Ok text is shown to the
    /// user; an error is shown as such and the host rolls the configuration back.
    ///
    /// Generic over the host so that a component imports only the capabilities its code calls:
    /// the host grants capabilities by reading those imports.
    fn run(args: &Args, host: &mut impl Host) -> Result<String, String>;
}

/// Makes `$intent` the component's export. Use once per plugin crate.
#[macro_export]
macro_rules! register_intent {
    ($intent:ty) => {
        struct __AwsAgentExport;
        impl $crate::__bindings::Guest for __AwsAgentExport {
            fn describe() -> $crate::IntentSpec {
                <$intent as $crate::Intent>::spec().build(env!("CARGO_PKG_VERSION"))
            }
            fn run(args: ::std::vec::Vec<$crate::Argument>) -> ::std::result::Result<String, String> {
                <$intent as $crate::Intent>::run(&$crate::Args::new(args), &mut $crate::WasmHost)
            }
        }
        $crate::__bindings::__export_intent!(__AwsAgentExport with_types_in $crate::__bindings);
    };
}
