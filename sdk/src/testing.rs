//! An in-memory [`Host`] for native unit tests of plugin logic. It records what the plugin did
//! and answers queries with rows the test queues; it does not enforce the host's invariants
//! (the host's own tests do that) beyond refusing an update the test told it to refuse.
//!
//! Also here: `Event` (what the plugin did), `rows` (build a query answer) and `default_config`.
use crate::{
    AccessUpdate, AsgConfig, AsgUpdate, Configuration, DeployPreview, Deployment, Ec2Config, Ec2Update, Host, LaunchOptions, LaunchOptionsUpdate, PreviewKind,
    Requirements, Rows, SpotPrice, SqlValue, StatusReport,
};
use std::collections::VecDeque;

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Query(String, Vec<SqlValue>),
    UpdateEc2(Ec2Update),
    UpdateAsg(AsgUpdate),
    UpdateAccess(AccessUpdate),
    UpdateLaunchOptions(LaunchOptionsUpdate),
    Propose(String, String),
    SetRequirements(Requirements),
    Print(String),
    Table(Vec<String>, Vec<Vec<String>>),
    ShowConfig,
    Warn(String),
    Deploy,
    StreamConsole(String),
    Teardown,
    Export(String),
    Preview,
    SpotPrices(String, String, String),
    Status(bool),
}

pub struct FakeHost {
    pub config: Configuration,
    pub events: Vec<Event>,
    /// Answers for the next queries, in order; a query with none queued gets no rows.
    pub answers: VecDeque<Result<Rows, String>>,
    /// When set, every update is refused with this message.
    pub refuse_updates: Option<String>,
    pub deploy_result: Result<Deployment, String>,
    pub requirements: Requirements,
    pub launch_options: LaunchOptions,
    /// What `stream_console` returns (Ok by default).
    pub stream_result: Result<(), String>,
    /// What `preview` returns (a fresh deployment by default).
    pub preview: Result<DeployPreview, String>,
    /// What `export` returns.
    pub export_result: Result<String, String>,
    /// What `spot_prices` returns (unknown by default).
    pub spot_prices: Result<Vec<SpotPrice>, String>,
    /// What `status` returns.
    pub status_report: Result<StatusReport, String>,
}

/// The host's default configuration ([`crate::defaults`]), for tests.
pub fn default_config() -> Configuration {
    use crate::defaults as d;
    Configuration {
        ec2: Ec2Config {
            region: d::REGION.into(),
            instance_type: d::INSTANCE_TYPE.into(),
            image_id: d::IMAGE_ID.into(),
            min_count: d::MIN_COUNT,
            max_count: d::MAX_COUNT,
        },
        asg: AsgConfig {
            enabled: false,
            launch_template_name: d::LAUNCH_TEMPLATE_NAME.into(),
            vpc_zone_identifier: String::new(),
            availability_zones: vec![d::zone(d::REGION)],
            min_size: d::MIN_SIZE,
            max_size: d::MAX_SIZE,
            desired_capacity: d::DESIRED_CAPACITY,
        },
    }
}

impl Default for FakeHost {
    fn default() -> Self {
        FakeHost {
            config: default_config(),
            events: vec![],
            answers: VecDeque::new(),
            refuse_updates: None,
            deploy_result: Err("not deployed in tests".into()),
            requirements: Requirements::default(),
            launch_options: LaunchOptions {
                operating_system: crate::defaults::OPERATING_SYSTEM.into(),
                market_type: crate::defaults::MARKET_TYPE.into(),
                subnet_id: None,
            },
            stream_result: Ok(()),
            preview: Ok(DeployPreview {
                kind: PreviewKind::Fresh,
                changes: vec![],
                deployed: vec![],
                region: crate::defaults::REGION.into(),
                summary: String::new(),
            }),
            export_result: Err("not exported in tests".into()),
            spot_prices: Err("Spot prices are unknown here".into()),
            status_report: Err("no status in tests".into()),
        }
    }
}

/// Rows for [`FakeHost::answers`]: `rows(&["a", "b"], vec![vec![1.into(), "x".into()]])`.
pub fn rows(columns: &[&str], rows: Vec<Vec<SqlValue>>) -> Rows {
    Rows { columns: columns.iter().map(|c| (*c).into()).collect(), rows }
}

impl FakeHost {
    /// Everything printed, one string per `print` call.
    pub fn printed(&self) -> Vec<&str> {
        self.texts(|e| if let Event::Print(s) = e { Some(s) } else { None })
    }

    /// Every warning, one string per `warn` call.
    pub fn warnings(&self) -> Vec<&str> {
        self.texts(|e| if let Event::Warn(s) = e { Some(s) } else { None })
    }

    fn texts<'a>(&'a self, pick: impl Fn(&'a Event) -> Option<&'a String>) -> Vec<&'a str> {
        self.events.iter().filter_map(pick).map(String::as_str).collect()
    }

    fn refuse(&self) -> Result<(), String> {
        self.refuse_updates.clone().map_or(Ok(()), Err)
    }
}

impl Host for FakeHost {
    fn query(&mut self, sql: &str, params: &[SqlValue]) -> Result<Rows, String> {
        self.events.push(Event::Query(sql.into(), params.to_vec()));
        self.answers.pop_front().unwrap_or_else(|| Ok(rows(&[], vec![])))
    }

    fn config(&mut self) -> Configuration {
        self.config.clone()
    }

    fn cli_commands(&mut self) -> Vec<String> {
        vec![format!("aws ec2 run-instances --instance-type {}", self.config.ec2.instance_type)]
    }

    fn requirements(&mut self) -> Requirements {
        self.requirements.clone()
    }

    fn set_requirements(&mut self, requirements: Requirements) {
        self.events.push(Event::SetRequirements(requirements.clone()));
        self.requirements = requirements;
    }

    fn update_ec2(&mut self, u: Ec2Update) -> Result<Configuration, String> {
        self.events.push(Event::UpdateEc2(u.clone()));
        self.refuse()?;
        let c = &mut self.config.ec2;
        c.region = u.region.unwrap_or(c.region.clone());
        c.instance_type = u.instance_type.unwrap_or(c.instance_type.clone());
        c.image_id = u.image_id.unwrap_or(c.image_id.clone());
        c.min_count = u.min_count.unwrap_or(c.min_count);
        c.max_count = u.max_count.unwrap_or(c.max_count);
        Ok(self.config.clone())
    }

    fn update_access(&mut self, u: AccessUpdate) -> Result<Configuration, String> {
        self.events.push(Event::UpdateAccess(u.clone()));
        self.refuse()?;
        Ok(self.config.clone())
    }

    fn launch_options(&mut self) -> LaunchOptions {
        self.launch_options.clone()
    }

    fn update_launch_options(&mut self, u: LaunchOptionsUpdate) -> Result<Configuration, String> {
        self.events.push(Event::UpdateLaunchOptions(u.clone()));
        self.refuse()?;
        let o = &mut self.launch_options;
        o.operating_system = u.operating_system.unwrap_or(o.operating_system.clone());
        o.market_type = u.market_type.unwrap_or(o.market_type.clone());
        if let Some(subnet) = u.subnet_id {
            o.subnet_id = Some(subnet).filter(|s| !s.is_empty());
        }
        Ok(self.config.clone())
    }

    fn propose(&mut self, intent: &str, question: &str) {
        self.events.push(Event::Propose(intent.into(), question.into()));
    }

    fn update_asg(&mut self, u: AsgUpdate) -> Result<Configuration, String> {
        self.events.push(Event::UpdateAsg(u.clone()));
        self.refuse()?;
        let c = &mut self.config.asg;
        c.enabled = u.enabled.unwrap_or(c.enabled);
        c.launch_template_name = u.launch_template_name.unwrap_or(c.launch_template_name.clone());
        c.vpc_zone_identifier = u.vpc_zone_identifier.unwrap_or(c.vpc_zone_identifier.clone());
        c.availability_zones = u.availability_zones.unwrap_or(c.availability_zones.clone());
        c.min_size = u.min_size.unwrap_or(c.min_size);
        c.max_size = u.max_size.unwrap_or(c.max_size);
        c.desired_capacity = u.desired_capacity.unwrap_or(c.desired_capacity);
        Ok(self.config.clone())
    }

    fn print(&mut self, text: &str) {
        self.events.push(Event::Print(text.into()));
    }

    fn table(&mut self, header: &[String], rows: &[Vec<String>]) {
        self.events.push(Event::Table(header.to_vec(), rows.to_vec()));
    }

    fn show_config(&mut self) {
        self.events.push(Event::ShowConfig);
    }

    fn warn(&mut self, text: &str) {
        self.events.push(Event::Warn(text.into()));
    }

    fn deploy(&mut self) -> Result<Deployment, String> {
        self.events.push(Event::Deploy);
        self.deploy_result.clone()
    }

    fn stream_console(&mut self, instance_id: &str) -> Result<(), String> {
        self.events.push(Event::StreamConsole(instance_id.into()));
        self.stream_result.clone()
    }

    fn teardown(&mut self) -> Result<Vec<String>, String> {
        self.events.push(Event::Teardown);
        Ok(vec![])
    }

    fn export(&mut self, format: &str) -> Result<String, String> {
        self.events.push(Event::Export(format.into()));
        self.export_result.clone()
    }

    fn preview(&mut self) -> Result<DeployPreview, String> {
        self.events.push(Event::Preview);
        self.preview.clone()
    }

    fn spot_prices(&mut self, instance_type: &str, region: &str, operating_system: &str) -> Result<Vec<SpotPrice>, String> {
        self.events.push(Event::SpotPrices(instance_type.into(), region.into(), operating_system.into()));
        self.spot_prices.clone()
    }

    fn status(&mut self, all_regions: bool) -> Result<StatusReport, String> {
        self.events.push(Event::Status(all_regions));
        self.status_report.clone()
    }
}
