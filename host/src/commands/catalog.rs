//! `aws-agent catalog …`: the find-cheapest intent and the catalog's facts for scripts.
//!
//! `catalog cheapest` builds a find-cheapest call from its flags and runs it through
//! `Session::execute`, so it gets the same spec check, sandbox and ranking as a turn in the
//! conversation; for `--json` it reads the table the plugin printed back as offers. `catalog show
//! TYPE` and `catalog regions` ask the catalog directly. `catalog refresh` regenerates a catalog
//! from the packaged public source (`data/refresh.sh`) or, with `--from-ec2-api`, from
//! DescribeInstanceTypes (`aws/instance_types.rs`), or with `--from-price-list` from AWS's bulk
//! price list (`catalog/price_list.rs`), written out by `catalog/export.rs`.
use anyhow::{Result, anyhow};
use aws_agent::catalog::Offer;
use aws_agent::catalog::export::Contents;
use aws_agent::plugin::Value;
use aws_agent::router::Call;
use aws_agent::session::{Session, Turn};
use serde_json::json;
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand)]
pub enum CatalogCommand {
    /// The cheapest instance type with at least the given resources.
    Cheapest {
        /// Minimum vCPUs.
        #[arg(long, allow_negative_numbers = true)]
        cpu: Option<i64>,
        /// Minimum memory in GiB.
        #[arg(long, allow_negative_numbers = true)]
        ram: Option<f64>,
        /// Minimum GPUs.
        #[arg(long, allow_negative_numbers = true)]
        gpus: Option<i64>,
        /// x86_64 or arm64.
        #[arg(long)]
        arch: Option<String>,
        /// Only GPUs of this maker (NVIDIA, AMD; any case); types whose maker is unknown are left out.
        #[arg(long)]
        gpu_vendor: Option<String>,
        /// yes: burstable (T family) types only; no: leave them out.
        #[arg(long, value_parser = ["yes", "no"])]
        burstable: Option<String>,
        /// How many next-cheapest types to list too.
        #[arg(long, default_value_t = 4, allow_negative_numbers = true)]
        alternatives: i64,
        #[arg(long)]
        json: bool,
    },
    /// Everything the catalog knows about one instance type.
    Show {
        instance_type: String,
        #[arg(long)]
        json: bool,
    },
    /// The regions with prices, their names ("Europe (Frankfurt)") and how many types each offers.
    Regions {
        #[arg(long)]
        json: bool,
    },
    /// Regenerates a catalog from the packaged public source (data/refresh.sh: the pinned
    /// apache-libcloud and moto wheels), or with --from-ec2-api from DescribeInstanceTypes.
    Refresh {
        /// Where to write instance_types.csv and prices.csv (default for the packaged source:
        /// this checkout's data/, bundled at the next build).
        #[arg(long, value_name = "DIR", required_if_eq("from_ec2_api", "true"))]
        out: Option<PathBuf>,
        /// Read instance facts from the EC2 API of the AWS target (the local simulator unless
        /// --aws-endpoint or --real-aws); prices are kept from the current catalog.
        #[arg(long, conflicts_with = "from_price_list")]
        from_ec2_api: bool,
        /// Read on-demand Linux prices from AWS's public bulk price list (no credentials);
        /// instance facts and offerings are kept from the current catalog.
        #[arg(long, requires = "out")]
        from_price_list: bool,
        /// The price list's host (with --from-price-list).
        #[arg(long, value_name = "BASE", default_value = aws_agent::catalog::price_list::DEFAULT_BASE, requires = "from_price_list")]
        url: String,
        /// A region to read (repeatable; with --from-price-list). Default: every region in the index.
        #[arg(long = "region", value_name = "R", requires = "from_price_list")]
        regions: Vec<String>,
    },
}

/// `region` is the global `--region` setting: the region asked about.
pub fn run(session: &mut Session, command: CatalogCommand, aws: aws_agent::aws::Settings, region: &str) -> Result<i32> {
    match command {
        CatalogCommand::Cheapest { cpu, ram, gpus, arch, gpu_vendor, burstable, alternatives, json } => {
            // The configuration already starts in the chosen region, which find-cheapest uses.
            let args = [
                ("cpu", cpu.map(Value::Int)),
                ("ram", ram.map(Value::Float)),
                ("gpus", gpus.map(Value::Int)),
                ("arch", arch.map(Value::Text)),
                // The spec takes AWS's spelling of the maker.
                ("gpu_vendor", gpu_vendor.map(|v| Value::Text(v.to_uppercase()))),
                ("burstable", burstable.map(Value::Text)),
                ("alternatives", Some(Value::Int(alternatives))),
            ];
            let args = args.into_iter().filter_map(|(k, v)| v.map(|v| (k.to_string(), v))).collect();
            cheapest(session, Call { intent: "find-cheapest".into(), args }, json)
        }
        CatalogCommand::Show { instance_type, json } => show(session, &instance_type, json),
        CatalogCommand::Refresh { out, from_ec2_api: true, .. } => {
            let out = out.ok_or_else(|| anyhow!("--from-ec2-api needs --out DIR"))?;
            from_ec2_api(session, aws, region, &out)
        }
        CatalogCommand::Refresh { out: Some(out), from_price_list: true, url, regions, .. } => from_price_list(session, &url, &regions, &out),
        CatalogCommand::Refresh { out, .. } => from_packaged_source(out),
        CatalogCommand::Regions { json } => regions(session, json),
    }
}

/// Each region's name and coverage (priced types against the types it offers), and the prices' age.
fn regions(session: &mut Session, json: bool) -> Result<i32> {
    let catalog = session.caps().catalog.get()?;
    let (coverage, provenance) = (catalog.coverage()?, catalog.provenance());
    let name = |region: &str| aws_agent::catalog::regions::name_of(region).unwrap_or("");
    if json {
        let list: Vec<serde_json::Value> = coverage
            .iter()
            .map(|c| {
                json!({
                    "region": c.region, "name": name(&c.region), "priced_types": c.priced_types, "offered_types": c.offered_types,
                    "offered_price_unknown": c.offered_price_unknown, "prices_as_of": provenance.prices_as_of, "price_source": provenance.price_source,
                })
            })
            .collect();
        println!("{}", serde_json::Value::Array(list));
        return Ok(0);
    }
    println!("{}", describe(&provenance));
    for c in &coverage {
        let unknown = match c.offered_types {
            0 => "offerings unknown".to_string(),
            offered => format!("{} of {offered} offered types have no price", c.offered_price_unknown),
        };
        println!("{}\t{}\t{} priced types\t{unknown}", c.region, name(&c.region), c.priced_types);
    }
    Ok(0)
}

/// The sentence find-cheapest's answer carries too.
fn describe(p: &aws_agent::catalog::Provenance) -> String {
    aws_agent_sdk::offers::prices_as_of(p.prices_as_of.as_deref(), p.price_source.as_deref())
}

/// Runs the find-cheapest intent itself, so the CLI and the conversation rank types the same way.
fn cheapest(session: &mut Session, call: Call, json: bool) -> Result<i32> {
    let turn = session.execute(call);
    let caps = session.caps();
    let printed = caps.console.take_lines();
    if let Turn::Failed { message, .. } = turn {
        if json {
            println!("{}", json!({ "instance_type": null, "message": message }));
        }
        eprintln!("{message}");
        return Ok(1);
    }
    if !json {
        // The plugin's own answer, without the configuration the conversation would show next.
        printed.iter().take_while(|l| !l.starts_with("Current configuration")).for_each(|l| println!("{l}"));
        return Ok(0);
    }
    let region = caps.config.ec2.region.clone();
    let names: Vec<String> = caps.console.last_table().map(|(_, rows)| rows.iter().filter_map(|r| r.first().cloned()).collect()).unwrap_or_default();
    let catalog = caps.catalog.get()?;
    let offers: Vec<Offer> = names.iter().map(|n| catalog.offer(n, &region)?.ok_or_else(|| anyhow!("{n} has no price in {region}"))).collect::<Result<_>>()?;
    let Some((best, alternatives)) = offers.split_first() else {
        return Err(anyhow!("find-cheapest answered without a table of offers"));
    };
    let mut out = serde_json::to_value(best)?;
    out["alternatives"] = serde_json::to_value(alternatives)?;
    let provenance = catalog.provenance();
    out["prices_as_of"] = json!(provenance.prices_as_of);
    out["price_source"] = json!(provenance.price_source);
    // The plugin's answer also says which offered types it could not rank for want of a price.
    out["answer"] = json!(printed.first());
    println!("{out}");
    Ok(0)
}

fn show(session: &mut Session, instance_type: &str, json: bool) -> Result<i32> {
    let catalog = session.caps().catalog.get()?;
    let Some(facts) = catalog.instance(instance_type)? else {
        let similar = catalog.similar_types(instance_type)?;
        let hint = if similar.is_empty() { String::new() } else { format!(" Similar: {}.", similar.join(", ")) };
        if json {
            println!("{}", json!({ "instance_type": null }));
        }
        eprintln!("{instance_type} is not in the catalog.{hint}");
        return Ok(1);
    };
    if json {
        println!("{}", serde_json::to_value(&facts)?);
        return Ok(0);
    }
    println!("{}: {} vCPUs, {} GiB, {} GPUs, {}", facts.instance_type, facts.vcpus, facts.memory_gib, facts.gpus, facts.arch);
    println!("network: {}\nstorage: {}\nprocessor: {}\nfamily: {}", facts.network, facts.storage, facts.processor, facts.family);
    if facts.gpus > 0 {
        let model = format!("{} {}", facts.gpu_manufacturer, facts.gpu_name);
        match (model.trim(), facts.gpu_memory_per_gpu_gib) {
            ("", _) => println!("GPU: {} x maker and model unknown to the catalog, {} GiB in all", facts.gpus, facts.gpu_memory_gib),
            (model, 0.0) => println!("GPU: {} x {model}", facts.gpus),
            (model, each) => println!("GPU: {} x {model}, {each} GiB each", facts.gpus),
        }
    }
    println!("burstable: {}", if facts.burstable { "yes (CPU credits)" } else { "no" });
    if facts.prices.is_empty() && facts.offered_price_unknown.is_empty() {
        println!("not offered in any region of the catalog");
    }
    let priced = facts.prices.iter().map(|(region, price)| (region.as_str(), format!("${price:.4}/hour\t${:.2}/month", price * 730.0)));
    let unpriced = facts.offered_price_unknown.iter().map(|region| (region.as_str(), "offered, price unknown".to_string()));
    let mut lines: Vec<(&str, String)> = priced.chain(unpriced).collect();
    lines.sort();
    lines.iter().for_each(|(region, line)| println!("{region}\t{line}"));
    println!("{}", describe(&catalog.provenance()));
    Ok(0)
}

/// Runs the committed generator, which downloads the pinned wheels from PyPI.
fn from_packaged_source(out: Option<PathBuf>) -> Result<i32> {
    let script = [std::env::current_dir().ok(), aws_agent::paths::checkout()]
        .into_iter()
        .flatten()
        .map(|root| root.join("data/refresh.sh"))
        .find(|p| p.is_file())
        .ok_or_else(|| anyhow!("refreshing from the packaged source needs a source checkout (data/refresh.sh); run it from the repository"))?;
    let out = out.unwrap_or_else(|| script.parent().map(Path::to_path_buf).unwrap_or_default());
    let status = std::process::Command::new("bash").arg(&script).arg(&out).status()?;
    if !status.success() {
        return Err(anyhow!("{} failed ({status})", script.display()));
    }
    eprintln!("Wrote {}; use it with --catalog {0}, or rebuild (make build) to bundle it.", out.display());
    Ok(0)
}

fn from_ec2_api(session: &mut Session, aws: aws_agent::aws::Settings, region: &str, out: &Path) -> Result<i32> {
    let mut backend = aws_agent::aws::AwsBackend::new(aws);
    let caps = session.caps();
    let types = backend.instance_types(region, &mut caps.console).map_err(anyhow::Error::msg);
    caps.console.take_lines().iter().for_each(|l| eprintln!("{l}"));
    let types = types?;
    let known: std::collections::HashSet<&str> = types.iter().map(|t| t.instance_type.as_str()).collect();
    let catalog = caps.catalog.get()?;
    let prices: Vec<(String, String, f64)> = catalog.all_prices()?.into_iter().filter(|(t, _, _)| known.contains(t.as_str())).collect();
    let offerings: Vec<(String, String)> = catalog.all_offerings()?.into_iter().filter(|(t, _)| known.contains(t.as_str())).collect();
    let contents = Contents { types: &types, prices: &prices, offerings: &offerings, provenance: &catalog.provenance() };
    aws_agent::catalog::export::write_dir(out, &contents)?;
    eprintln!(
        "Wrote {} instance types from DescribeInstanceTypes ({region}) and {} prices kept from the current catalog to {}.",
        types.len(),
        prices.len(),
        out.display()
    );
    Ok(0)
}

/// Prices from AWS's price list over the current catalog's facts and offerings; types the catalog
/// does not describe are left out and counted.
fn from_price_list(session: &mut Session, base: &str, regions: &[String], out: &Path) -> Result<i32> {
    let fetched = aws_agent::catalog::price_list::fetch(base, regions)?;
    let catalog = session.caps().catalog.get()?;
    let mut types = Vec::new();
    for name in fetched.prices.keys().map(|(t, _)| t).collect::<std::collections::BTreeSet<_>>() {
        types.extend(catalog.instance(name)?);
    }
    let known: std::collections::HashSet<&str> = types.iter().map(|t| t.instance_type.as_str()).collect();
    let prices: Vec<(String, String, f64)> =
        fetched.prices.iter().filter(|((t, _), _)| known.contains(t.as_str())).map(|((t, r), p)| (t.clone(), r.clone(), *p)).collect();
    let offerings: Vec<(String, String)> = catalog.all_offerings()?.into_iter().filter(|(t, _)| known.contains(t.as_str())).collect();
    aws_agent::catalog::export::write_dir(out, &Contents { types: &types, prices: &prices, offerings: &offerings, provenance: &fetched.provenance })?;
    let unknown = fetched.prices.keys().map(|(t, _)| t).filter(|t| !known.contains(t.as_str())).collect::<std::collections::BTreeSet<_>>();
    let unknown = match unknown.len() {
        0 => String::new(),
        1 => " 1 priced type the catalog does not describe was left out.".into(),
        n => format!(" {n} priced types the catalog does not describe were left out."),
    };
    let as_of = aws_agent_sdk::offers::prices_as_of(fetched.provenance.prices_as_of.as_deref(), fetched.provenance.price_source.as_deref());
    eprintln!("Wrote {} prices for {} instance types to {}. {as_of}{unknown} Use it with --catalog {2}.", prices.len(), types.len(), out.display());
    Ok(0)
}
