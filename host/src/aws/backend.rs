//! The AWS capability: lazily set up, remembers what this session deployed.
//!
//! A current-thread tokio runtime, the simulator (restarted, with a word, if it died) and
//! per-region clients, all created on first use; the [`State`] of what this session deployed,
//! handed to the persist hook each time it changes; deploys that create, update the group in
//! place, or (confirmed) create a second copy; teardowns that list what they delete with its cost
//! and delete once confirmed; `cleanup` (`teardown --all`) and `status` over many regions at once.
use super::client::{Clients, connect};
use super::interrupt::Interrupt;
use super::preflight::{Names, Refusal};
use super::{Settings, Simulator, Target, deploy, inventory, preflight, preview, spot, status, teardown};
use crate::capability::aws::{Aws, Deployed, Deployment, Inventory, PersistHook, Preview, PreviewKind, Prices, Resource, SpotPrice, State, Status};
use crate::capability::config::Configuration;
use crate::capability::confirm::Confirm;
use crate::capability::console::Console;
use crate::capability::plan::session_id;
use std::collections::HashMap;

/// How many regions are searched at once.
const REGIONS_AT_ONCE: usize = 6;
const HOURS_PER_MONTH: f64 = 730.0;
/// The target name of deployments to the built-in simulator.
const SIMULATOR: &str = "simulator";
const SPOT_UNKNOWN: &str = "Spot prices are unknown here: the local AWS simulator keeps no Spot price history (use --aws-endpoint or --real-aws for AWS's own); the on-demand price is the most a Spot instance costs";

pub struct AwsBackend {
    settings: Settings,
    runtime: Option<tokio::runtime::Runtime>,
    simulator: Option<Simulator>,
    /// One set of clients per region used.
    clients: HashMap<String, Clients>,
    state: State,
    persist: Option<PersistHook>,
    last_region: Option<String>,
}

/// What `teardown --all` found and did.
#[derive(Debug, Default)]
pub struct CleanupReport {
    /// "instance i-… (us-east-1)", deleted now.
    pub deleted: Vec<String>,
    /// Found by its tag, then gone before it could be deleted.
    pub already_gone: Vec<String>,
    pub searched: Vec<String>,
    /// Regions that could not be searched, with why.
    pub skipped: Vec<String>,
    /// Nothing tagged was found.
    pub nothing_found: bool,
}

fn dollars(price: Option<f64>) -> String {
    price.map_or_else(|| "price unknown".to_string(), |p| format!("${p:.4}/hour"))
}

fn total_line(hourly: f64, unpriced: usize) -> String {
    let unpriced = if unpriced == 0 { String::new() } else { format!(" (and {unpriced} instance(s) the catalog has no price for)") };
    format!("Together ${hourly:.4}/hour, ${:.2}/month on demand{unpriced}.", hourly * HOURS_PER_MONTH)
}

impl AwsBackend {
    /// Every instance type the EC2 API describes in `region`.
    pub fn instance_types(&mut self, region: &str, console: &mut Console) -> Result<Vec<crate::catalog::InstanceFacts>, String> {
        self.prepare(region, console)?;
        self.run(region, async |clients| super::instance_types::describe_all(clients).await).map_err(|e| e.to_string())
    }

    pub fn new(settings: Settings) -> AwsBackend {
        AwsBackend { settings, runtime: None, simulator: None, clients: HashMap::new(), state: State::default(), persist: None, last_region: None }
    }

    /// Where requests go, as [`Deployed::target`] records it.
    fn target(&self) -> String {
        match &self.settings.target {
            Target::Simulator { .. } => SIMULATOR.into(),
            Target::Endpoint(url) => url.clone(),
            Target::RealAws => "aws".into(),
        }
    }

    /// This target's deployments, oldest first.
    fn mine(&self) -> Vec<&Deployed> {
        let target = self.target();
        self.state.deployments.iter().filter(|d| d.target == target).collect()
    }

    fn save(&mut self) {
        if let Some(hook) = self.persist.as_mut() {
            hook(&self.state);
        }
    }

    /// Makes sure the runtime, the simulator (if used, started again if it died) and `region`'s
    /// clients exist.
    fn prepare(&mut self, region: &str, console: &mut Console) -> Result<(), String> {
        if self.runtime.is_none() {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| format!("cannot start the async runtime: {e}"))?;
            self.runtime = Some(rt);
        }
        let endpoint = match &self.settings.target {
            Target::RealAws => None,
            Target::Endpoint(url) => Some(url.clone()),
            Target::Simulator { moto_server } => {
                let moto_server = moto_server.clone();
                if let Some(status) = self.simulator.as_mut().and_then(Simulator::exited) {
                    console.print(&format!(
                        "The local AWS simulator had stopped ({status}); starting it again. What was deployed to it ended with it, and this session forgets it."
                    ));
                    self.simulator = None;
                    self.clients.clear();
                    self.state.deployments.retain(|d| d.target != SIMULATOR);
                    self.save();
                }
                if self.simulator.is_none() {
                    console.print("Starting the local AWS simulator (moto); nothing leaves this machine…");
                    let spinner = crate::spinner::start("Starting the AWS simulator…");
                    let simulator = Simulator::start(&moto_server).map_err(|e| e.to_string());
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

    /// Shows `details`, then asks whoever answers on this surface (the REPL, a flag, an MCP
    /// client through elicitation); Ok to go ahead.
    fn ask(&self, confirm: &mut dyn Confirm, question: &str, details: &[String], console: &mut Console) -> Result<(), String> {
        if !details.is_empty() {
            console.print(&details.join("\n"));
        }
        match confirm.confirm(question, details) {
            Ok(true) => Ok(()),
            Ok(false) => Err("you did not confirm".into()),
            Err(how) => Err(how),
        }
    }

    /// Everything tagged in `regions`, searched `REGIONS_AT_ONCE` at a time (a progress line on
    /// a terminal); a region that cannot be searched is skipped with why, unless it is the only one.
    fn search(&mut self, regions: &[String], console: &mut Console) -> Result<(Inventory, Vec<String>), String> {
        for region in regions {
            self.prepare(region, console)?;
        }
        let mut pending: Vec<Clients> = regions.iter().map(|r| self.clients[r].clone()).collect();
        pending.reverse();
        let total = pending.len();
        let rt = self.runtime.as_ref().expect("prepared above");
        let (found, skipped) = rt.block_on(async move {
            let mut running = tokio::task::JoinSet::new();
            let spawn = |set: &mut tokio::task::JoinSet<_>, clients: Clients| {
                set.spawn(async move { (clients.region.clone(), inventory::tagged(&clients).await) });
            };
            for _ in 0..REGIONS_AT_ONCE {
                if let Some(c) = pending.pop() {
                    spawn(&mut running, c);
                }
            }
            let (mut found, mut skipped) = (Inventory::default(), vec![]);
            let mut done = 0;
            let mut spinner = crate::spinner::start(&format!("Searching {total} region(s) for what aws-agent created…"));
            while let Some(joined) = running.join_next().await {
                done += 1;
                match joined {
                    Ok((_, Ok(inventory))) => found.extend(inventory),
                    Ok((region, Err(e))) => skipped.push(format!("{region}: {e}")),
                    Err(e) => skipped.push(format!("a region's search stopped: {e}")),
                }
                if let Some(c) = pending.pop() {
                    spawn(&mut running, c);
                }
                drop(spinner);
                spinner = crate::spinner::start(&format!("Searched {done} of {total} region(s)…"));
            }
            drop(spinner);
            (found, skipped)
        });
        match (regions.len(), skipped.first()) {
            (1, Some(why)) => Err(why.clone()),
            _ => Ok((found, skipped)),
        }
    }

    /// Deletes what `teardown --all` finds by this tool's tag in `regions`, from any process,
    /// after listing it (with what it costs per hour) and `confirm` saying yes; with `dry_run`,
    /// lists only. Groups go first, then templates and instances; what is gone already is said
    /// so, not counted as a failure, and forgotten by this session.
    pub fn cleanup(
        &mut self,
        regions: &[String],
        dry_run: bool,
        console: &mut Console,
        confirm: &mut dyn Confirm,
        prices: &mut dyn Prices,
    ) -> Result<CleanupReport, String> {
        let (found, skipped) = self.search(regions, console)?;
        let mut report = CleanupReport { searched: regions.to_vec(), skipped, ..Default::default() };
        if found.is_empty() {
            report.nothing_found = true;
            return Ok(report);
        }
        let lines = inventory_lines(&found, prices);
        let verb = if dry_run { "would delete" } else { "deletes" };
        console.print(&format!("Created by aws-agent (found by its {} tag); teardown {verb}:", crate::capability::plan::SESSION_TAG));
        if dry_run {
            console.print(&lines.join("\n"));
            console.print("Dry run: nothing was deleted.");
            return Ok(report);
        }
        let resources = found.resources();
        let question = format!("Delete these {} resources in {}? This cannot be undone.", resources.len(), regions_of(&resources));
        self.ask(confirm, &question, &lines, console).map_err(|why| format!("Nothing deleted: {why}."))?;
        let mut failed = vec![];
        for region in distinct_regions(&resources) {
            let here: Vec<Resource> = resources.iter().filter(|r| r.region() == region).cloned().collect();
            let spinner = crate::spinner::start(&format!("Deleting in {region}…"));
            let done = self.run(&region, async |clients| teardown::delete(clients, &here).await);
            drop(spinner);
            report.deleted.extend(done.deleted.iter().map(|r| format!("{r} ({region})")));
            report.already_gone.extend(done.already_gone.iter().map(|r| format!("{r} ({region})")));
            failed.extend(done.failed.iter().map(|(r, e)| format!("{r} ({region}): {e}")));
            self.forget(&done.deleted);
            self.forget(&done.already_gone);
        }
        self.save();
        match failed.is_empty() {
            true => Ok(report),
            false => Err(format!(
                "Teardown incomplete. Deleted: {}. Could not delete: {}.",
                if report.deleted.is_empty() { "nothing".into() } else { report.deleted.join(", ") },
                failed.join("; ")
            )),
        }
    }

    /// Drops `gone` from what this session deployed, and deployments left with nothing.
    fn forget(&mut self, gone: &[Resource]) {
        for d in &mut self.state.deployments {
            d.resources.retain(|r| !gone.contains(r));
            if !d.resources.iter().any(|r| matches!(r, Resource::Group { .. })) {
                d.instance_ids.retain(|id| d.resources.iter().any(|r| matches!(r, Resource::Instance { id: mine, .. } if mine == id)));
            }
        }
        self.state.deployments.retain(|d| !d.resources.is_empty());
    }

    /// The last deployment on this target, if its resources still exist; one that is gone is
    /// forgotten, and the user told.
    fn last_still_there(&mut self, console: &mut Console) -> Result<Option<Deployed>, String> {
        let target = self.target();
        let Some(index) = self.state.deployments.iter().rposition(|d| d.target == target) else { return Ok(None) };
        let last = self.state.deployments[index].clone();
        let region = last.config.ec2.region.clone();
        self.prepare(&region, console)?;
        // Preparing may have restarted the simulator, which forgets its deployments.
        if !self.state.deployments.contains(&last) {
            return Ok(None);
        }
        let there = self.run(&region, async |clients| inventory::still_there(clients, &last.resources).await).map_err(|e| e.to_string())?;
        if there {
            return Ok(Some(last));
        }
        console.print(&format!(
            "What this session deployed in {region} ({}) is gone (deleted outside this session); this session forgets it.",
            last.resources.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
        ));
        self.state.deployments.remove(index);
        self.save();
        Ok(None)
    }

    /// Creates `plan`'s resources as a new deployment, saving the state after each one.
    fn create(&mut self, region: &str, config: &Configuration, plan: &crate::capability::plan::Plan, interrupt: &Interrupt) -> Result<Deployment, String> {
        let target = self.target();
        self.state.deployments.push(Deployed { target, config: config.clone(), resources: vec![], instance_ids: vec![] });
        let index = self.state.deployments.len() - 1;
        let AwsBackend { runtime, clients, state, persist, .. } = self;
        let rt = runtime.as_ref().expect("prepared before");
        let mut on_created = |created: &[Resource], ids: &[String]| {
            let d = &mut state.deployments[index];
            d.resources = created.to_vec();
            if !ids.is_empty() {
                d.instance_ids = ids.to_vec();
            }
            if let Some(hook) = persist.as_mut() {
                hook(state);
            }
        };
        let spinner = crate::spinner::start("Deploying…");
        let outcome = rt.block_on(deploy::deploy(&clients[region], plan, interrupt, &mut on_created));
        drop(spinner);
        match outcome {
            Ok(outcome) => {
                tracing::info!(created = ?outcome.created, instances = ?outcome.instance_ids, "aws.deploy");
                Ok(Deployment { created: outcome.created.iter().map(ToString::to_string).collect(), instance_ids: outcome.instance_ids })
            }
            Err(message) => {
                tracing::warn!(error = %message, "aws.deploy failed");
                // Rolled back: what it had created is deleted, so nothing of it is kept.
                self.state.deployments.remove(index);
                self.save();
                Err(message)
            }
        }
    }

    /// Updates the last deployment's group in place to `plan`.
    fn update(
        &mut self,
        region: &str,
        config: &Configuration,
        plan: &crate::capability::plan::Plan,
        new_version: bool,
        interrupt: &Interrupt,
    ) -> Result<Deployment, String> {
        let spinner = crate::spinner::start("Updating the group…");
        let outcome = self.run(region, async |clients| deploy::update(clients, plan, new_version, interrupt).await);
        drop(spinner);
        let (updated, ids) = outcome.inspect_err(|e| tracing::warn!(error = %e, "aws.deploy update failed"))?;
        let target = self.target();
        let Some(last) = self.state.deployments.iter_mut().rev().find(|d| d.target == target) else {
            return Err("Deployment failed: the deployment being updated is no longer known.".into());
        };
        last.config = config.clone();
        last.instance_ids = ids.clone();
        self.save();
        tracing::info!(instances = ?ids, "aws.deploy updated in place");
        Ok(Deployment { created: updated, instance_ids: ids })
    }
}

/// The regions `resources` are in, in first-seen order.
fn distinct_regions(resources: &[Resource]) -> Vec<String> {
    let mut regions: Vec<String> = vec![];
    for r in resources {
        if !regions.iter().any(|known| known == r.region()) {
            regions.push(r.region().to_string());
        }
    }
    regions
}

fn regions_of(resources: &[Resource]) -> String {
    let regions = distinct_regions(resources);
    match regions.len() {
        1 => format!("AWS region {}", regions[0]),
        n => format!("{n} AWS regions ({})", regions.join(", ")),
    }
}

/// What an inventory holds, one line each with what it costs per hour, and the total.
fn inventory_lines(found: &Inventory, prices: &mut dyn Prices) -> Vec<String> {
    let mut lines = vec![];
    for g in &found.groups {
        lines.push(format!(
            "Auto Scaling group {} in {}: MinSize {}, DesiredCapacity {}, MaxSize {}; deleting it terminates its instances (below)",
            g.name, g.region, g.min_size, g.desired_capacity, g.max_size
        ));
    }
    for t in &found.templates {
        lines.push(format!("launch template {} in {} (no charge of its own)", t.name, t.region));
    }
    let (mut hourly, mut unpriced) = (0.0, 0);
    for i in &found.instances {
        let running = i.state == "running" || i.state == "pending";
        let price = prices.price_per_hour(&i.instance_type, &i.region, &i.operating_system).filter(|_| running);
        match (running, price) {
            (true, Some(p)) => hourly += p,
            (true, None) => unpriced += 1,
            _ => {}
        }
        let cost = if running { dollars(price) } else { "no compute charge while stopped".into() };
        let group = i.group.as_ref().map(|g| format!(", in group {g}")).unwrap_or_default();
        lines.push(format!("instance {} in {} ({}): {}, {}{group}, {cost}", i.instance_id, i.availability_zone, i.state, i.instance_type, i.operating_system));
    }
    lines.push(total_line(hourly, unpriced));
    lines
}

/// What a deployment holds, one line each with what it costs per hour (from the configuration
/// it was deployed from), and the total.
fn deployment_lines(deployments: &[&Deployed], prices: &mut dyn Prices) -> Vec<String> {
    let mut lines = vec![];
    let (mut hourly, mut unpriced) = (0.0, 0);
    for d in deployments {
        let e = &d.config.ec2;
        let price = prices.price_per_hour(&e.instance_type, &e.region, &e.operating_system);
        for r in &d.resources {
            let region = r.region();
            match r {
                Resource::Group { .. } => {
                    let n = d.config.asg.desired_capacity;
                    match price {
                        Some(p) => hourly += p * f64::from(n),
                        None => unpriced += n as usize,
                    }
                    let each = price.map_or_else(|| "price unknown".into(), |p| format!("${:.4}/hour", p * f64::from(n)));
                    lines.push(format!("{r} in {region}: DesiredCapacity {n} x {}, {each}; instances {}", e.instance_type, d.instance_ids.join(", ")));
                }
                Resource::LaunchTemplate { .. } => lines.push(format!("{r} in {region} (no charge of its own)")),
                Resource::Instance { .. } => {
                    match price {
                        Some(p) => hourly += p,
                        None => unpriced += 1,
                    }
                    lines.push(format!("{r} in {region}: {}, {}", e.instance_type, dollars(price)));
                }
            }
        }
    }
    lines.push(total_line(hourly, unpriced));
    lines
}

impl Aws for AwsBackend {
    fn deploy(&mut self, config: &Configuration, console: &mut Console, confirm: &mut dyn Confirm) -> Result<Deployment, String> {
        let region = config.ec2.region.clone();
        let preview = self.preview(config, console)?;
        let last = self.mine().last().map(|d| (*d).clone());
        let comparison = last.as_ref().map(|d| preview::compare(&d.config, config));
        match preview.kind {
            PreviewKind::Unchanged => return Ok(Deployment { created: vec![], instance_ids: last.map(|d| d.instance_ids).unwrap_or_default() }),
            PreviewKind::Replace => {
                let mut details = preview.changes.clone();
                details.push(preview.summary.clone());
                let question = format!("Create a second copy beside what runs now ({})?", preview.deployed.join(", "));
                self.ask(confirm, &question, &details, console)
                    .map_err(|why| format!("Not deployed: {why}. Nothing was created; \"teardown\" first to replace what runs."))?;
            }
            PreviewKind::Fresh | PreviewKind::Update => {}
        }
        self.prepare(&region, console)?;
        let interrupt = {
            let _inside = self.runtime.as_ref().expect("prepared above").enter();
            Interrupt::watch()
        };
        let names = if preview.kind == PreviewKind::Update { Names::Ours } else { Names::MustBeFree };
        let spinner = crate::spinner::start("Checking the plan with AWS…");
        let checked = self.run(&region, async |clients| interrupt.or_cancel(preflight::check(clients, config, session_id(), names)).await);
        drop(spinner);
        let plan = match checked {
            Err(_) => return Err("Deployment cancelled (Ctrl-C) during pre-flight. Nothing was created.".into()),
            Ok(Err(Refusal(why))) => return Err(format!("Not deployed: {why}. Nothing was created.")),
            Ok(Ok(plan)) => plan,
        };
        let real = self.settings.target == Target::RealAws;
        if real {
            let dry = self.run(&region, async |clients| interrupt.or_cancel(deploy::dry_run(clients, &plan)).await);
            match dry {
                Err(_) => return Err("Deployment cancelled (Ctrl-C) during pre-flight. Nothing was created.".into()),
                Ok(Err(e)) => return Err(format!("Not deployed: the dry run was refused: {e}. Nothing was created.")),
                Ok(Ok(())) => {}
            }
        }
        let new_version = comparison.as_ref().is_some_and(|c| c.new_version);
        let commands = match preview.kind {
            PreviewKind::Update => plan.update_commands(new_version),
            _ => plan.cli_commands(),
        };
        console.print(&format!("Pre-flight passed. Sending:\n{}", commands.join("\n")));
        if real {
            let question = format!("Send these requests to real AWS in region {region}? They create billable resources with your current credentials.");
            self.ask(confirm, &question, &[], console).map_err(|why| format!("Not deployed: {why}. Nothing was created."))?;
        }
        if interrupt.check().is_err() {
            return Err("Deployment cancelled (Ctrl-C). Nothing was created.".into());
        }
        let deployment = match preview.kind {
            PreviewKind::Update => self.update(&region, config, &plan, new_version, &interrupt),
            _ => self.create(&region, config, &plan, &interrupt),
        }?;
        self.last_region = Some(region);
        Ok(deployment)
    }

    fn preview(&mut self, config: &Configuration, console: &mut Console) -> Result<Preview, String> {
        let region = config.ec2.region.clone();
        let Some(last) = self.last_still_there(console)? else {
            return Ok(Preview { kind: PreviewKind::Fresh, changes: vec![], deployed: vec![], region, summary: String::new() });
        };
        let comparison = preview::compare(&last.config, config);
        let mut deployed: Vec<String> = last.resources.iter().map(ToString::to_string).collect();
        if last.config.asg.enabled && !last.instance_ids.is_empty() {
            deployed.push(format!("its instances {}", last.instance_ids.join(", ")));
        }
        let region = last.config.ec2.region.clone();
        let (kind, summary) = if comparison.changes.is_empty() {
            (PreviewKind::Unchanged, format!("Already deployed in {region}: {}. Deploying again creates nothing.", deployed.join(", ")))
        } else if comparison.blockers.is_empty() {
            let group = last.config.group_name();
            let how = if comparison.new_version {
                "a new launch template version (CreateLaunchTemplateVersion) and UpdateAutoScalingGroup"
            } else {
                "UpdateAutoScalingGroup"
            };
            let refresh = if comparison.new_version {
                " Running instances keep the version they were launched from until they are replaced (an instance refresh replaces them); new ones use the new version."
            } else {
                ""
            };
            (PreviewKind::Update, format!("Deploying updates Auto Scaling group {group} in {region} in place: {how}.{refresh}"))
        } else {
            (
                PreviewKind::Replace,
                format!(
                    "AWS cannot apply this in place: {}. Deploying would create a second copy beside what runs now in {region} ({}), which keeps running and billing until torn down; it is created only if you confirm.",
                    comparison.blockers.join("; "),
                    deployed.join(", ")
                ),
            )
        };
        Ok(Preview { kind, changes: comparison.changes, deployed, region, summary })
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

    fn teardown(&mut self, console: &mut Console, confirm: &mut dyn Confirm, prices: &mut dyn Prices) -> Result<Vec<String>, String> {
        let mine: Vec<Deployed> = self.mine().into_iter().cloned().collect();
        if mine.is_empty() {
            return Ok(vec![]);
        }
        let resources: Vec<Resource> = mine.iter().flat_map(|d| d.resources.iter().cloned()).collect();
        let lines = deployment_lines(&mine.iter().collect::<Vec<_>>(), prices);
        console.print("This session deployed, and teardown deletes:");
        let question = format!("Delete these {} resources in {}? This cannot be undone.", resources.len(), regions_of(&resources));
        self.ask(confirm, &question, &lines, console).map_err(|why| format!("Not torn down: {why}. Nothing was deleted."))?;
        let (mut deleted, mut failed) = (Vec::new(), Vec::new());
        for region in distinct_regions(&resources) {
            self.prepare(&region, console)?;
            let here: Vec<Resource> = resources.iter().filter(|r| r.region() == region).cloned().collect();
            let spinner = crate::spinner::start("Tearing down…");
            let done = self.run(&region, async |clients| teardown::delete(clients, &here).await);
            drop(spinner);
            tracing::info!(deleted = ?done.deleted, gone = ?done.already_gone, failed = ?done.failed, "aws.teardown");
            deleted.extend(done.deleted.iter().map(ToString::to_string));
            deleted.extend(done.already_gone.iter().map(|r| format!("{r} (already deleted)")));
            failed.extend(done.failed.iter().map(|(r, e)| format!("{r} ({e})")));
            // What could not be deleted is kept, so a later teardown can try again.
            self.forget(&done.deleted);
            self.forget(&done.already_gone);
        }
        self.save();
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

    fn state(&self) -> State {
        self.state.clone()
    }

    fn restore(&mut self, state: State) {
        self.state.deployments = state.deployments.into_iter().filter(|d| d.target != SIMULATOR).collect();
    }

    fn set_persist(&mut self, hook: PersistHook) {
        self.persist = Some(hook);
    }

    fn spot_prices(&mut self, instance_type: &str, region: &str, operating_system: &str, console: &mut Console) -> Result<Vec<SpotPrice>, String> {
        if matches!(self.settings.target, Target::Simulator { .. }) {
            return Err(SPOT_UNKNOWN.into());
        }
        self.prepare(region, console)?;
        self.run(region, async |clients| spot::current(clients, instance_type, operating_system).await).map_err(|e| e.to_string())
    }

    fn status(&mut self, regions: &[String], config: &Configuration, console: &mut Console) -> Result<Status, String> {
        let (found, skipped) = self.search(regions, console)?;
        let drift = status::drift(&self.mine(), &found, config, regions);
        Ok(Status { found, drift, searched: regions.to_vec(), skipped })
    }
}
