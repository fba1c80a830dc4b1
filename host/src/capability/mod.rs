//! What the host lends plugins: catalog SQL, configuration state, console output and AWS.
//! Plugins reach these only through the WIT imports bound in `plugin::host_impl`.
//!
//! `Capabilities` is the state plugin calls act on; `Session` lends it to the runtime for each call
//! and gets it back afterwards. `LazyCatalog` opens the catalog on first use and answers the
//! configuration rules' questions about it (`Facts`).

pub mod aws;
pub mod config;
pub mod confirm;
pub mod console;
pub mod export;
pub mod plan;

use crate::catalog::{Catalog, CatalogError, Source};
use config::{Applied, AsgUpdate, Configuration, Ec2Update, Facts};
use console::{Console, Sink};
use plan::Plan;
use std::path::PathBuf;

/// The catalog, opened on first use so start-up never waits for it.
pub struct LazyCatalog {
    source: Source,
    cache_dir: PathBuf,
    opened: Option<Catalog>,
}

impl LazyCatalog {
    pub fn new(source: Source, cache_dir: PathBuf) -> Self {
        LazyCatalog { source, cache_dir, opened: None }
    }

    pub fn get(&mut self) -> Result<&Catalog, CatalogError> {
        if self.opened.is_none() {
            self.opened = Some(self.source.open(&self.cache_dir)?);
        }
        Ok(self.opened.as_ref().expect("opened above"))
    }
}

impl Facts for LazyCatalog {
    fn has_type(&mut self, instance_type: &str) -> Result<bool, String> {
        let catalog = self.get().map_err(|e| e.to_string())?;
        catalog.has_type(instance_type).map_err(|e| e.to_string())
    }

    fn regions(&mut self) -> Result<Vec<String>, String> {
        self.get().map_err(|e| e.to_string())?.regions().map_err(|e| e.to_string())
    }

    fn offered(&mut self, instance_type: &str, region: &str) -> Result<Result<(), Vec<String>>, String> {
        let catalog = self.get().map_err(|e| e.to_string())?;
        match catalog.offered(instance_type, region).map_err(|e| e.to_string())? {
            true => Ok(Ok(())),
            false => Ok(Err(catalog.nearest(instance_type, region, 3).map_err(|e| e.to_string())?)),
        }
    }

    fn arch(&mut self, instance_type: &str) -> Option<String> {
        self.get().ok()?.instance(instance_type).ok()?.map(|f| f.arch)
    }
}

/// The session's state that plugin calls act on.
pub struct Capabilities {
    pub catalog: LazyCatalog,
    pub config: Configuration,
    pub console: Console,
    pub aws: Box<dyn aws::Aws>,
    /// Who answers before a teardown or a real-AWS deploy (the REPL, a flag, an MCP client).
    pub confirm: Box<dyn confirm::Confirm>,
    /// A yes/no question a plugin asked this call (`console.propose`): the intent a yes runs on
    /// the next turn. The session takes it after the call; a call that fails asks nothing.
    pub proposal: Option<Proposal>,
}

/// An intent the agent offered to run, asked as a yes/no question.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Proposal {
    pub intent: String,
    pub question: String,
}

impl Capabilities {
    pub fn new(catalog: LazyCatalog, sink: Sink, aws: Box<dyn aws::Aws>) -> Self {
        Capabilities { catalog, config: Configuration::default(), console: Console::new(sink), aws, confirm: confirm::nobody(), proposal: None }
    }

    /// Asks the user `question`, whose yes runs `intent` on the next turn (the last one asked wins).
    pub fn propose(&mut self, intent: String, question: String) {
        self.console.print(&question);
        self.proposal = Some(Proposal { intent, question });
    }

    pub fn update_ec2(&mut self, update: Ec2Update) -> Result<Configuration, String> {
        let pairing_changed = update.image_id.is_some() || update.instance_type.is_some();
        let applied = self.config.with_ec2(update, &mut self.catalog)?;
        let config = self.apply(applied);
        if pairing_changed {
            self.flag_image_pairing();
        }
        Ok(config)
    }

    /// A named image whose architecture is not the type's is flagged when either is set, if an
    /// AWS endpoint is already up to ask; pre-flight refuses the pair when deploying.
    fn flag_image_pairing(&mut self) {
        let e = &self.config.ec2;
        if !e.image_id.starts_with("ami-") {
            return;
        }
        let (image, instance_type, region) = (e.image_id.clone(), e.instance_type.clone(), e.region.clone());
        let (Some(image_arch), Some(type_arch)) = (self.aws.image_architecture(&region, &image), self.catalog.arch(&instance_type)) else { return };
        if image_arch != type_arch {
            self.console.warn(&format!(
                "ImageId {image} is an {image_arch} image and InstanceType {instance_type} is {type_arch}: AWS refuses to launch that pair; say \"use amazon linux 2023\" for an image that fits, or choose a {image_arch} type."
            ));
        }
    }

    pub fn update_asg(&mut self, update: AsgUpdate) -> Result<Configuration, String> {
        let applied = self.config.with_asg(update, &mut self.catalog)?;
        Ok(self.apply(applied))
    }

    /// The configuration's plan before pre-flight, for the `aws` commands shown before deploying.
    pub fn plan(&mut self) -> Plan {
        let arch = self.catalog.arch(&self.config.ec2.instance_type);
        Plan::of(&self.config, arch.as_deref(), plan::session_id())
    }

    /// Shows the configuration, with the architecture the default image will be resolved for.
    pub fn show_config(&mut self) {
        let arch = self.catalog.arch(&self.config.ec2.instance_type);
        self.console.show_config(&self.config, arch.as_deref());
    }

    /// Keeps the change and tells the user what the rules moved besides what was asked.
    fn apply(&mut self, applied: Applied) -> Configuration {
        for note in &applied.notes {
            self.console.print(note);
        }
        self.config = applied.config;
        self.config.clone()
    }
}
