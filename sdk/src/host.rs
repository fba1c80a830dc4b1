//! The `Host` trait, the capabilities a plugin can use, and `WasmHost`, which implements it over
//! the WIT imports. Capabilities added in a later contract release have defaults (`warn` prints,
//! `requirements` remembers nothing, `update_access` refuses), so a new capability does not break
//! other implementations.
use crate::__bindings::aws_agent::plugin::{aws, aws_read, catalog, config, config_write, console};
use crate::{
    Access, AccessUpdate, AsgUpdate, Configuration, DeployPreview, Deployment, Ec2Update, LaunchOptions, LaunchOptionsUpdate, PreviewKind, Requirements, Rows,
    SpotPrice, SqlValue, StatusReport,
};

/// The capabilities the host lends a plugin. Inside the component this is [`WasmHost`]; in
/// native tests it is [`crate::testing::FakeHost`].
pub trait Host {
    /// Read-only SQL over the catalog with bound parameters.
    fn query(&mut self, sql: &str, params: &[SqlValue]) -> Result<Rows, String>;
    fn config(&mut self) -> Configuration;
    /// The `aws` CLI commands equivalent to deploying the current configuration.
    fn cli_commands(&mut self) -> Vec<String>;
    /// What the user asked the last search for. Contract 0.1.2; the default remembers nothing.
    fn requirements(&mut self) -> Requirements {
        Requirements::default()
    }
    /// Replaces the remembered requirements (contract 0.1.2); kept only if the call succeeds.
    fn set_requirements(&mut self, _requirements: Requirements) {}
    /// Applied whole or refused whole; the error says which rule would break.
    fn update_ec2(&mut self, update: Ec2Update) -> Result<Configuration, String>;
    fn update_asg(&mut self, update: AsgUpdate) -> Result<Configuration, String>;
    /// The key pair and security groups (contract 0.1.2); the default refuses.
    fn update_access(&mut self, _update: AccessUpdate) -> Result<Configuration, String> {
        Err("this host cannot change the key pair or security groups".into())
    }
    /// The key pair and security groups the instances are reached through (contract 0.1.2);
    /// the default is none.
    fn access(&mut self) -> Access {
        Access { key_name: None, security_group_ids: vec![] }
    }
    /// The operating system, purchase option and a plain instance's subnet (contract 0.1.3);
    /// the default is the host's defaults.
    fn launch_options(&mut self) -> LaunchOptions {
        LaunchOptions { operating_system: crate::defaults::OPERATING_SYSTEM.into(), market_type: crate::defaults::MARKET_TYPE.into(), subnet_id: None }
    }
    /// Applied whole or refused whole (contract 0.1.3); the default refuses.
    fn update_launch_options(&mut self, _update: LaunchOptionsUpdate) -> Result<Configuration, String> {
        Err("this host cannot change the operating system, purchase option or subnet".into())
    }
    /// Asks the user a yes/no `question` whose yes runs `intent` on the next turn (contract
    /// 0.1.3); the default prints the question only.
    fn propose(&mut self, _intent: &str, question: &str) {
        self.print(question);
    }
    fn print(&mut self, text: &str);
    fn table(&mut self, header: &[String], rows: &[Vec<String>]);
    fn show_config(&mut self);
    /// A line the user should notice ("warning: …", yellow on a terminal) that does not stop
    /// the intent. Contract 0.1.1: a component that calls it needs a host from 0.1.1 on.
    fn warn(&mut self, text: &str) {
        self.print(&format!("warning: {text}"));
    }
    fn deploy(&mut self) -> Result<Deployment, String>;
    fn stream_console(&mut self, instance_id: &str) -> Result<(), String>;
    fn teardown(&mut self) -> Result<Vec<String>, String>;
    /// The configuration as a template: `format` "cloudformation" or "terraform" (contract
    /// 0.1.3); the default refuses.
    fn export(&mut self, _format: &str) -> Result<String, String> {
        Err("this host cannot export templates".into())
    }
    /// What `deploy` would do given what this session deployed (contract 0.1.3); the default
    /// knows of no deployment, so every deploy is fresh.
    fn preview(&mut self) -> Result<DeployPreview, String> {
        let region = self.config().ec2.region;
        Ok(DeployPreview { kind: PreviewKind::Fresh, changes: vec![], deployed: vec![], region, summary: String::new() })
    }
    /// The current Spot price per zone (contract 0.1.3, `aws-read`); the default knows none.
    fn spot_prices(&mut self, _instance_type: &str, _region: &str, _operating_system: &str) -> Result<Vec<SpotPrice>, String> {
        Err("Spot prices are unknown here".into())
    }
    /// What this tool runs, in the configuration's region or all regions (contract 0.1.3,
    /// `aws-read`); the default cannot ask.
    fn status(&mut self, _all_regions: bool) -> Result<StatusReport, String> {
        Err("this host cannot read what runs on AWS".into())
    }
}

/// The real host, reached through the component's imports.
pub struct WasmHost;

impl Host for WasmHost {
    fn query(&mut self, sql: &str, params: &[SqlValue]) -> Result<Rows, String> {
        catalog::query(sql, params)
    }

    fn config(&mut self) -> Configuration {
        config::get()
    }

    fn cli_commands(&mut self) -> Vec<String> {
        config::cli_commands()
    }

    fn requirements(&mut self) -> Requirements {
        config::get_requirements()
    }

    fn set_requirements(&mut self, requirements: Requirements) {
        config_write::set_requirements(&requirements)
    }

    fn update_ec2(&mut self, update: Ec2Update) -> Result<Configuration, String> {
        config_write::update_ec2(&update)
    }

    fn update_asg(&mut self, update: AsgUpdate) -> Result<Configuration, String> {
        config_write::update_asg(&update)
    }

    fn update_access(&mut self, update: AccessUpdate) -> Result<Configuration, String> {
        config_write::update_access(&update)
    }

    fn access(&mut self) -> Access {
        config::get_access()
    }

    fn launch_options(&mut self) -> LaunchOptions {
        config::get_launch_options()
    }

    fn update_launch_options(&mut self, update: LaunchOptionsUpdate) -> Result<Configuration, String> {
        config_write::update_launch_options(&update)
    }

    fn propose(&mut self, intent: &str, question: &str) {
        console::propose(intent, question)
    }

    fn print(&mut self, text: &str) {
        console::print(text)
    }

    fn table(&mut self, header: &[String], rows: &[Vec<String>]) {
        console::table(header, rows)
    }

    fn show_config(&mut self) {
        console::show_config()
    }

    fn warn(&mut self, text: &str) {
        console::warn(text)
    }

    fn deploy(&mut self) -> Result<Deployment, String> {
        aws::deploy()
    }

    fn stream_console(&mut self, instance_id: &str) -> Result<(), String> {
        aws::stream_console(instance_id)
    }

    fn teardown(&mut self) -> Result<Vec<String>, String> {
        aws::teardown()
    }

    fn export(&mut self, format: &str) -> Result<String, String> {
        config::export(format)
    }

    fn preview(&mut self) -> Result<DeployPreview, String> {
        aws::preview()
    }

    fn spot_prices(&mut self, instance_type: &str, region: &str, operating_system: &str) -> Result<Vec<SpotPrice>, String> {
        aws_read::spot_prices(instance_type, region, operating_system)
    }

    fn status(&mut self, all_regions: bool) -> Result<StatusReport, String> {
        aws_read::status(all_regions)
    }
}
