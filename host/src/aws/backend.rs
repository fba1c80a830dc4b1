//! The AWS capability: lazily set up, remembers what this session deployed.
//!
//! A current-thread tokio runtime, the simulator and per-region clients, all created on first use;
//! the list of what this session deployed (for `teardown`); `teardown_all`; and, for real AWS, the
//! typed confirmations (`deploy`, `teardown`).
use super::client::{Clients, connect};
use super::deploy::{self, Resource};
use super::preflight::{self, Refusal};
use super::{Consent, Settings, Simulator, Target};
use crate::capability::aws::{Aws, Deployment};
use crate::capability::config::Configuration;
use crate::capability::console::Console;
use crate::capability::plan::session_id;
use std::collections::HashMap;
use std::io::BufRead;

pub struct AwsBackend {
    settings: Settings,
    runtime: Option<tokio::runtime::Runtime>,
    simulator: Option<Simulator>,
    /// One set of clients per region used.
    clients: HashMap<String, Clients>,
    /// Everything deployed in this session and not yet torn down, oldest first.
    deployed: Vec<Resource>,
    last_region: Option<String>,
}

impl AwsBackend {
    /// Every instance type the EC2 API describes in `region`.
    pub fn instance_types(&mut self, region: &str, console: &mut Console) -> Result<Vec<crate::catalog::InstanceFacts>, String> {
        self.prepare(region, console)?;
        self.run(region, async |clients| super::instance_types::describe_all(clients).await).map_err(|e| e.to_string())
    }

    pub fn new(settings: Settings) -> AwsBackend {
        AwsBackend { settings, runtime: None, simulator: None, clients: HashMap::new(), deployed: vec![], last_region: None }
    }

    pub fn deployed(&self) -> &[Resource] {
        &self.deployed
    }

    /// Makes sure the runtime, the simulator (if used) and `region`'s clients exist.
    fn prepare(&mut self, region: &str, console: &mut Console) -> Result<(), String> {
        if self.runtime.is_none() {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| format!("cannot start the async runtime: {e}"))?;
            self.runtime = Some(rt);
        }
        let endpoint = match &self.settings.target {
            Target::RealAws => None,
            Target::Endpoint(url) => Some(url.clone()),
            Target::Simulator { moto_server } => {
                if self.simulator.is_none() {
                    console.print("Starting the local AWS simulator (moto); nothing leaves this machine…");
                    let spinner = crate::spinner::start("Starting the AWS simulator…");
                    let simulator = Simulator::start(moto_server).map_err(|e| e.to_string());
                    drop(spinner);
                    let simulator = simulator?;
                    tracing::info!(url = %simulator.url, "simulator started");
                    self.simulator = Some(simulator);
                }
                self.simulator.as_ref().map(|s| s.url.clone())
            }
        };
        if !self.clients.contains_key(region) {
            let rt = self.runtime.as_ref().expect("created above");
            let clients = rt.block_on(connect(endpoint.as_deref(), region));
            self.clients.insert(region.to_string(), clients);
        }
        Ok(())
    }

    fn run<T>(&self, region: &str, work: impl AsyncFnOnce(&Clients) -> T) -> T {
        let rt = self.runtime.as_ref().expect("prepare() ran first");
        rt.block_on(work(&self.clients[region]))
    }
}

/// Real AWS costs money: the user types `word` at the terminal, or nothing is sent — unless
/// the caller already asked (`Consent::AskedByCaller`).
fn confirm_real_aws(settings: &Settings, question: &str, word: &str, console: &mut Console) -> Result<(), String> {
    if settings.target != Target::RealAws || settings.consent == Consent::AskedByCaller {
        return Ok(());
    }
    console.print(&format!("{question} Type {word} to continue:"));
    let tty = std::fs::File::open("/dev/tty").map_err(|_| "real AWS needs a terminal to confirm on, and there is none".to_string())?;
    let mut answer = String::new();
    std::io::BufReader::new(tty).read_line(&mut answer).map_err(|e| format!("cannot read the confirmation: {e}"))?;
    match answer.trim() == word {
        true => Ok(()),
        false => Err(format!("the confirmation was not the word {word}")),
    }
}

impl AwsBackend {
    /// Deletes everything in `region` that this tool created (it carries the session tag),
    /// from any process; returns what was deleted. On real AWS it lists first and asks.
    pub fn teardown_all(&mut self, region: &str, console: &mut Console) -> Result<Vec<String>, String> {
        self.prepare(region, console)?;
        let found = self.run(region, async |clients| deploy::created_by_tool(clients, region).await).map_err(|e| e.to_string())?;
        if found.is_empty() {
            return Ok(vec![]);
        }
        console.print(&format!("Created by aws-agent in {region}:\n{}", found.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")));
        let question = format!("This deletes the {} resources above in AWS region {region}.", found.len());
        confirm_real_aws(&self.settings, &question, "teardown", console).map_err(|why| format!("Nothing deleted: {why}."))?;
        let (deleted, failed) = self.run(region, async |clients| deploy::delete_all(clients, &found).await);
        self.deployed.retain(|r| !found.contains(r));
        match failed.is_empty() {
            true => Ok(deleted),
            false => Err(format!(
                "Teardown incomplete. Deleted: {}. Could not delete: {}.",
                if deleted.is_empty() { "nothing".into() } else { deleted.join(", ") },
                failed.join("; ")
            )),
        }
    }
}

impl Aws for AwsBackend {
    fn deploy(&mut self, config: &Configuration, console: &mut Console) -> Result<Deployment, String> {
        let question = format!("This creates real, billable resources in AWS region {} with your current credentials.", config.ec2.region);
        confirm_real_aws(&self.settings, &question, "deploy", console).map_err(|why| format!("Not deployed: {why}."))?;
        let region = config.ec2.region.clone();
        self.prepare(&region, console)?;
        let spinner = crate::spinner::start("Checking the plan with AWS…");
        let checked = self.run(&region, async |clients| preflight::check(clients, config, session_id()).await);
        drop(spinner);
        let plan = checked.map_err(|Refusal(why)| format!("Not deployed: {why}. Nothing was created."))?;
        if self.settings.target == Target::RealAws {
            self.run(&region, async |clients| deploy::dry_run(clients, &plan).await)
                .map_err(|e| format!("Not deployed: the dry run was refused: {e}. Nothing was created."))?;
        }
        console.print(&format!("Pre-flight passed. Sending:\n{}", plan.cli_commands().join("\n")));
        let spinner = crate::spinner::start("Deploying…");
        let outcome = self.run(&region, async |clients| deploy::deploy(clients, &plan).await);
        drop(spinner);
        let outcome = outcome.inspect_err(|e| tracing::warn!(error = %e, "aws.deploy failed"))?;
        tracing::info!(created = ?outcome.created, instances = ?outcome.instance_ids, "aws.deploy");
        self.deployed.extend(outcome.created.iter().cloned());
        self.last_region = Some(region);
        Ok(Deployment { created: outcome.created.iter().map(ToString::to_string).collect(), instance_ids: outcome.instance_ids })
    }

    fn stream_console(&mut self, instance_id: &str, console: &mut Console) -> Result<(), String> {
        let region = self.last_region.clone().ok_or("Nothing has been deployed in this session yet.")?;
        self.prepare(&region, console)?;
        let seconds = self.settings.log_seconds;
        self.run(&region, async |clients| super::console_log::follow(clients, instance_id, seconds, console).await)
    }

    fn image_architecture(&mut self, region: &str, image_id: &str) -> Option<String> {
        if self.runtime.is_none() || !self.clients.contains_key(region) {
            return None;
        }
        let described = self.run(region, async |clients| clients.ec2.describe_images().image_ids(image_id).send().await.ok());
        described?.images().first()?.architecture().map(|a| a.as_str().to_string())
    }

    fn teardown(&mut self, console: &mut Console) -> Result<Vec<String>, String> {
        let mut regions: Vec<String> = self.deployed.iter().map(|r| r.region().to_string()).collect();
        regions.dedup();
        let (mut deleted, mut failed) = (Vec::new(), Vec::new());
        for region in regions {
            self.prepare(&region, console)?;
            let (mine, others): (Vec<Resource>, Vec<Resource>) = self.deployed.drain(..).partition(|r| r.region() == region);
            self.deployed = others;
            let spinner = crate::spinner::start("Tearing down…");
            let (d, f) = self.run(&region, async |clients| deploy::delete_all(clients, &mine).await);
            drop(spinner);
            tracing::info!(deleted = ?d, failed = ?f, "aws.teardown");
            deleted.extend(d);
            if !f.is_empty() {
                // Keep what could not be deleted, so a later teardown can try again.
                self.deployed.extend(mine.into_iter().filter(|r| f.iter().any(|msg| msg.starts_with(&r.to_string()))));
                failed.extend(f);
            }
        }
        if failed.is_empty() {
            Ok(deleted)
        } else {
            Err(format!(
                "Teardown incomplete. Deleted: {}. Could not delete: {}.",
                if deleted.is_empty() { "nothing".into() } else { deleted.join(", ") },
                failed.join("; ")
            ))
        }
    }
}
