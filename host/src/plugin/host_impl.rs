//! The WIT imports, implemented over [`Capabilities`]. This file is the whole surface a plugin
//! can touch; everything else it might import (WASI) is linked with an empty context.
//!
//! It runs `wasmtime::component::bindgen!` over the WIT world and defines `HostState`: the empty
//! WASI context, the store limits and, while `run` executes, the session's `Capabilities`. It
//! converts between WIT types and host types, and counts a call's time in catalog queries, stopping
//! the call past `CATALOG_TIME_PER_CALL` (4 s), since fuel does not count time spent in the host.
use super::limits::{Limiter, Stopped};
use super::spec::{self, Value};
use crate::capability::{Capabilities, aws as host_aws, config as host_config};
use crate::conversation::Requirements;
use wasmtime::Result as WasmResult;
use wasmtime::component::ResourceTable;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

wasmtime::component::bindgen!({
    path: "../wit",
    world: "intent",
    imports: { default: trappable },
});

use self::aws_agent::plugin::{aws, aws_read, catalog, config, config_write, console, types};

/// Time one plugin call may spend in catalog queries altogether. Fuel counts only the plugin's
/// own instructions, so without this a loop of slow queries (each interrupted after
/// [`crate::catalog::sql::QUERY_TIME_LIMIT`]) would hold the session for as long as its fuel
/// lasted, which is days.
pub const CATALOG_TIME_PER_CALL: std::time::Duration = std::time::Duration::from_secs(4);

/// A store's data: the sandbox's empty WASI context plus, while `run` executes, the session's
/// capabilities. While a plugin describes itself there are none, and any capability call traps.
pub struct HostState {
    wasi: WasiCtx,
    table: ResourceTable,
    pub limits: Limiter,
    pub caps: Option<Capabilities>,
    /// Time this call has spent in catalog queries.
    catalog_time: std::time::Duration,
}

impl HostState {
    pub fn new(limits: Limiter, caps: Option<Capabilities>) -> Self {
        // No preopened directories, no environment, no arguments, no sockets, no name lookups.
        let wasi = WasiCtx::builder().allow_tcp(false).allow_udp(false).allow_ip_name_lookup(false).build();
        HostState { wasi, table: ResourceTable::new(), limits, caps, catalog_time: Default::default() }
    }

    fn caps(&mut self) -> WasmResult<&mut Capabilities> {
        self.caps.as_mut().ok_or_else(|| wasmtime::format_err!("a plugin may not use host capabilities while describing itself"))
    }
}

impl WasiView for HostState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView { ctx: &mut self.wasi, table: &mut self.table }
    }
}

impl types::Host for HostState {}

impl catalog::Host for HostState {
    fn query(&mut self, sql: String, params: Vec<catalog::SqlValue>) -> WasmResult<Result<catalog::Rows, String>> {
        tracing::info!(%sql, params = ?params, "catalog.query");
        if self.catalog_time >= CATALOG_TIME_PER_CALL {
            let spent = format!("it spent more than {CATALOG_TIME_PER_CALL:?} in catalog queries");
            return Err(Stopped(spent).into());
        }
        let started = std::time::Instant::now();
        let answer = self.answer(sql, params);
        self.catalog_time += started.elapsed();
        answer
    }
}

impl HostState {
    /// One query on the session's catalog.
    fn answer(&mut self, sql: String, params: Vec<catalog::SqlValue>) -> WasmResult<Result<catalog::Rows, String>> {
        use rusqlite::types::Value as V;
        let caps = self.caps()?;
        let catalog = match caps.catalog.get() {
            Ok(c) => c,
            Err(e) => return Ok(Err(e.to_string())),
        };
        let params: Vec<V> = params
            .into_iter()
            .map(|p| match p {
                catalog::SqlValue::Null => V::Null,
                catalog::SqlValue::Integer(i) => V::Integer(i),
                catalog::SqlValue::Real(r) => V::Real(r),
                catalog::SqlValue::Text(t) => V::Text(t),
            })
            .collect();
        Ok(catalog.query(&sql, &params).map_err(|e| e.to_string()).map(|(columns, rows)| catalog::Rows {
            columns,
            rows: rows
                .into_iter()
                .map(|row| {
                    row.into_iter()
                        .map(|v| match v {
                            V::Null | V::Blob(_) => catalog::SqlValue::Null,
                            V::Integer(i) => catalog::SqlValue::Integer(i),
                            V::Real(r) => catalog::SqlValue::Real(r),
                            V::Text(t) => catalog::SqlValue::Text(t),
                        })
                        .collect()
                })
                .collect(),
        }))
    }
}

fn to_wit(c: &host_config::Configuration) -> config::Configuration {
    let (e, a) = (&c.ec2, &c.asg);
    config::Configuration {
        ec2: config::Ec2Config {
            region: e.region.clone(),
            instance_type: e.instance_type.clone(),
            image_id: e.image_id.clone(),
            min_count: e.min_count,
            max_count: e.max_count,
        },
        asg: config::AsgConfig {
            enabled: a.enabled,
            launch_template_name: a.launch_template_name.clone(),
            vpc_zone_identifier: a.vpc_zone_identifier.clone(),
            availability_zones: a.availability_zones.clone(),
            min_size: a.min_size,
            max_size: a.max_size,
            desired_capacity: a.desired_capacity,
        },
    }
}

impl config::Host for HostState {
    fn get(&mut self) -> WasmResult<config::Configuration> {
        Ok(to_wit(&self.caps()?.config))
    }

    fn cli_commands(&mut self) -> WasmResult<Vec<String>> {
        Ok(self.caps()?.plan().cli_commands())
    }

    fn get_access(&mut self) -> WasmResult<config::Access> {
        let e = &self.caps()?.config.ec2;
        Ok(config::Access { key_name: Some(e.key_name.clone()).filter(|k| !k.is_empty()), security_group_ids: e.security_group_ids.clone() })
    }

    fn get_launch_options(&mut self) -> WasmResult<config::LaunchOptions> {
        let e = &self.caps()?.config.ec2;
        Ok(config::LaunchOptions {
            operating_system: e.operating_system.clone(),
            market_type: e.market_type.clone(),
            subnet_id: Some(e.subnet_id.clone()).filter(|s| !s.is_empty()),
        })
    }

    fn get_requirements(&mut self) -> WasmResult<config::Requirements> {
        let r = &self.caps()?.config.requirements;
        Ok(config::Requirements { constraints: args_to_wit(&r.constraints), summary: r.summary.clone(), chosen: r.chosen.clone(), region: r.region.clone() })
    }

    fn export(&mut self, format: String) -> WasmResult<Result<String, String>> {
        tracing::info!(%format, "config.export");
        let plan = self.caps()?.plan();
        Ok(crate::capability::export::template(&plan, &format))
    }
}

impl config_write::Host for HostState {
    fn update_ec2(&mut self, u: config_write::Ec2Update) -> WasmResult<Result<config::Configuration, String>> {
        let update = host_config::Ec2Update {
            region: u.region,
            instance_type: u.instance_type,
            image_id: u.image_id,
            min_count: u.min_count,
            max_count: u.max_count,
            ..Default::default()
        };
        let result = self.caps()?.update_ec2(update.clone());
        tracing::info!(?update, outcome = ?result.as_ref().map(|_| "applied"), "config.update-ec2");
        Ok(result.map(|c| to_wit(&c)))
    }

    fn update_asg(&mut self, u: config_write::AsgUpdate) -> WasmResult<Result<config::Configuration, String>> {
        let update = host_config::AsgUpdate {
            enabled: u.enabled,
            launch_template_name: u.launch_template_name,
            vpc_zone_identifier: u.vpc_zone_identifier,
            availability_zones: u.availability_zones,
            min_size: u.min_size,
            max_size: u.max_size,
            desired_capacity: u.desired_capacity,
        };
        let result = self.caps()?.update_asg(update.clone());
        tracing::info!(?update, outcome = ?result.as_ref().map(|_| "applied"), "config.update-asg");
        Ok(result.map(|c| to_wit(&c)))
    }

    fn update_access(&mut self, u: config_write::AccessUpdate) -> WasmResult<Result<config::Configuration, String>> {
        let update = host_config::Ec2Update { key_name: u.key_name, security_group_ids: u.security_group_ids, ..Default::default() };
        let result = self.caps()?.update_ec2(update.clone());
        tracing::info!(?update, outcome = ?result.as_ref().map(|_| "applied"), "config.update-access");
        Ok(result.map(|c| to_wit(&c)))
    }

    fn update_launch_options(&mut self, u: config_write::LaunchOptionsUpdate) -> WasmResult<Result<config::Configuration, String>> {
        let update = host_config::Ec2Update { operating_system: u.operating_system, market_type: u.market_type, subnet_id: u.subnet_id, ..Default::default() };
        let result = self.caps()?.update_ec2(update.clone());
        tracing::info!(?update, outcome = ?result.as_ref().map(|_| "applied"), "config.update-launch-options");
        Ok(result.map(|c| to_wit(&c)))
    }

    fn set_requirements(&mut self, r: config::Requirements) -> WasmResult<()> {
        let constraints = r.constraints.into_iter().map(|a| (a.name, value_from_wit(a.value))).collect();
        let requirements = Requirements { constraints, summary: r.summary, chosen: r.chosen, region: r.region }.bounded();
        tracing::info!(?requirements, "config.set-requirements");
        self.caps()?.config.requirements = requirements;
        Ok(())
    }
}

impl console::Host for HostState {
    fn print(&mut self, text: String) -> WasmResult<()> {
        self.caps()?.console.print(&text);
        Ok(())
    }

    fn table(&mut self, header: Vec<String>, rows: Vec<Vec<String>>) -> WasmResult<()> {
        self.caps()?.console.table(&header, &rows);
        Ok(())
    }

    fn show_config(&mut self) -> WasmResult<()> {
        self.caps()?.show_config();
        Ok(())
    }

    fn warn(&mut self, text: String) -> WasmResult<()> {
        self.caps()?.console.warn(&text);
        Ok(())
    }

    fn propose(&mut self, intent: String, question: String) -> WasmResult<()> {
        tracing::info!(%intent, %question, "console.propose");
        self.caps()?.propose(intent, question);
        Ok(())
    }
}

impl aws::Host for HostState {
    fn deploy(&mut self) -> WasmResult<Result<aws::Deployment, String>> {
        let caps = self.caps()?;
        // Checked again here, not only on update: whatever the path to this configuration,
        // nothing moto would wrongly accept (an unknown type, a bad AMI id, inverted sizes) is sent.
        if let Err(problem) = caps.config.validate(&mut caps.catalog) {
            return Ok(Err(format!("Not deployed. {problem}")));
        }
        Ok(caps
            .aws
            .deploy(&caps.config, &mut caps.console, caps.confirm.as_mut())
            .map(|d| aws::Deployment { created: d.created, instance_ids: d.instance_ids }))
    }

    fn stream_console(&mut self, instance_id: String) -> WasmResult<Result<(), String>> {
        let caps = self.caps()?;
        Ok(caps.aws.stream_console(&instance_id, &mut caps.console))
    }

    fn teardown(&mut self) -> WasmResult<Result<Vec<String>, String>> {
        let caps = self.caps()?;
        Ok(caps.aws.teardown(&mut caps.console, caps.confirm.as_mut(), &mut caps.catalog))
    }

    fn preview(&mut self) -> WasmResult<Result<aws::DeployPreview, String>> {
        let caps = self.caps()?;
        let preview = caps.aws.preview(&caps.config, &mut caps.console);
        tracing::info!(kind = ?preview.as_ref().map(|p| p.kind), "aws.preview");
        Ok(preview.map(|p| aws::DeployPreview {
            kind: match p.kind {
                host_aws::PreviewKind::Fresh => aws::PreviewKind::Fresh,
                host_aws::PreviewKind::Unchanged => aws::PreviewKind::Unchanged,
                host_aws::PreviewKind::Update => aws::PreviewKind::Update,
                host_aws::PreviewKind::Replace => aws::PreviewKind::Replace,
            },
            changes: p.changes,
            deployed: p.deployed,
            region: p.region,
            summary: p.summary,
        }))
    }
}

impl aws_read::Host for HostState {
    fn spot_prices(&mut self, instance_type: String, region: String, operating_system: String) -> WasmResult<Result<Vec<aws_read::SpotPrice>, String>> {
        tracing::info!(%instance_type, %region, %operating_system, "aws-read.spot-prices");
        let caps = self.caps()?;
        let prices = caps.aws.spot_prices(&instance_type, &region, &operating_system, &mut caps.console);
        Ok(prices.map(|all| {
            all.into_iter()
                .map(|p| aws_read::SpotPrice { availability_zone: p.availability_zone, price_per_hour: p.price_per_hour, timestamp: p.timestamp })
                .collect()
        }))
    }

    fn status(&mut self, all_regions: bool) -> WasmResult<Result<aws_read::StatusReport, String>> {
        use crate::capability::config::Facts;
        tracing::info!(all_regions, "aws-read.status");
        let caps = self.caps()?;
        let regions = match all_regions {
            true => match caps.catalog.regions() {
                Ok(regions) => regions,
                Err(e) => return Ok(Err(e)),
            },
            false => vec![caps.config.ec2.region.clone()],
        };
        let status = caps.aws.status(&regions, &caps.config, &mut caps.console);
        Ok(status.map(|s| aws_read::StatusReport {
            instances: s
                .found
                .instances
                .into_iter()
                .map(|i| aws_read::TaggedInstance {
                    region: i.region,
                    instance_id: i.instance_id,
                    state: i.state,
                    instance_type: i.instance_type,
                    availability_zone: i.availability_zone,
                    launch_time: i.launch_time,
                    operating_system: i.operating_system,
                    market_type: i.market_type,
                    group: i.group,
                })
                .collect(),
            groups: s
                .found
                .groups
                .into_iter()
                .map(|g| aws_read::TaggedGroup {
                    region: g.region,
                    name: g.name,
                    min_size: g.min_size,
                    max_size: g.max_size,
                    desired_capacity: g.desired_capacity,
                    instance_ids: g.instance_ids,
                    launch_template: g.launch_template,
                })
                .collect(),
            templates: s
                .found
                .templates
                .into_iter()
                .map(|t| aws_read::TaggedTemplate { region: t.region, name: t.name, latest_version: t.latest_version, instance_type: t.instance_type })
                .collect(),
            drift: s.drift,
            searched: s.searched,
            skipped: s.skipped,
        }))
    }
}

pub fn spec_from_wit(s: types::IntentSpec) -> spec::IntentSpec {
    let params = s
        .params
        .into_iter()
        .map(|p| spec::ParamSpec {
            name: p.name,
            ty: match p.type_ {
                types::ParamType::Int => spec::ParamType::Int,
                types::ParamType::Float => spec::ParamType::Float,
                types::ParamType::Text => spec::ParamType::Text,
                types::ParamType::TextList => spec::ParamType::TextList,
            },
            description: p.description,
            required: p.required,
            synonyms: p.synonyms,
            unit: p.unit,
            pattern: p.pattern,
            matcher: None,
        })
        .collect();
    let examples = s
        .examples
        .into_iter()
        .map(|e| spec::Example { utterance: e.utterance, args: e.arguments.into_iter().map(|a| (a.name, value_from_wit(a.value))).collect() })
        .collect();
    spec::IntentSpec { name: s.name, version: s.version, docstring: s.docstring, params, examples }
}

fn value_from_wit(v: types::Value) -> Value {
    match v {
        types::Value::Int(i) => Value::Int(i),
        types::Value::Float(f) => Value::Float(f),
        types::Value::Text(t) => Value::Text(t),
        types::Value::TextList(l) => Value::TextList(l),
    }
}

pub fn args_to_wit(args: &spec::Args) -> Vec<types::Argument> {
    args.iter()
        .map(|(name, v)| types::Argument {
            name: name.clone(),
            value: match v {
                Value::Int(i) => types::Value::Int(*i),
                Value::Float(f) => types::Value::Float(*f),
                Value::Text(t) => types::Value::Text(t.clone()),
                Value::TextList(l) => types::Value::TextList(l.clone()),
            },
        })
        .collect()
}
