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
        /// The operating system whose on-demand prices rank the types (default: the
        /// configuration's, Linux); Windows never offers arm64 or Mac types.
        #[arg(long, value_parser = ["linux", "windows", "rhel", "suse"])]
        os: Option<String>,
        /// The purchase option the answer is for; spot prices are not in the catalog, so a spot
        /// answer gives the on-demand price as the ceiling.
        #[arg(long, value_parser = ["on-demand", "spot"])]
        market: Option<String>,
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
        /// Read on-demand Linux, Windows, RHEL and SUSE prices and Standard Reserved rates from
        /// AWS's public bulk price list (no credentials); instance facts and offerings are kept
        /// from the current catalog.
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
        CatalogCommand::Cheapest { cpu, ram, gpus, arch, gpu_vendor, burstable, os, market, alternatives, json } => {
            // The configuration already starts in the chosen region, which find-cheapest uses.
            let args = [
                ("cpu", cpu.map(Value::Int)),
                ("ram", ram.map(Value::Float)),
                ("gpus", gpus.map(Value::Int)),
                ("arch", arch.map(Value::Text)),
                // The spec takes AWS's spelling of the maker.
                ("gpu_vendor", gpu_vendor.map(|v| Value::Text(v.to_uppercase()))),
                ("burstable", burstable.map(Value::Text)),
                ("os", os.map(Value::Text)),
                ("market", market.map(Value::Text)),
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
                    "offered_price_unknown": c.offered_price_unknown, "priced_by_os": c.priced_by_os,
                    "prices_as_of": provenance.prices_as_of, "price_source": provenance.price_source,
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
        let by_os: Vec<String> =
            aws_agent_sdk::defaults::OPERATING_SYSTEMS.iter().map(|os| format!("{os} {}", c.priced_by_os.get(*os).unwrap_or(&0))).collect();
        println!("{}\t{}\t{} priced types\t{unknown}\ton demand by OS: {}", c.region, name(&c.region), c.priced_types, by_os.join(", "));
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
    // find-cheapest has set the operating system and purchase option its prices are for.
    let (region, os, market) = (caps.config.ec2.region.clone(), caps.config.ec2.operating_system.clone(), caps.config.ec2.market_type.clone());
    let names: Vec<String> = caps.console.last_table().map(|(_, rows)| rows.iter().filter_map(|r| r.first().cloned()).collect()).unwrap_or_default();
    let catalog = caps.catalog.get()?;
    let offers: Vec<Offer> =
        names.iter().map(|n| catalog.offer(n, &region, &os)?.ok_or_else(|| anyhow!("{n} has no {os} price in {region}"))).collect::<Result<_>>()?;
    let Some((best, alternatives)) = offers.split_first() else {
        return Err(anyhow!("find-cheapest answered without a table of offers"));
    };
    let mut out = serde_json::to_value(best)?;
    out["alternatives"] = serde_json::to_value(alternatives)?;
    let provenance = catalog.provenance();
    out["prices_as_of"] = json!(provenance.prices_as_of);
    out["price_source"] = json!(provenance.price_source);
    // The catalog has on-demand prices only: for spot, the price shown is the ceiling.
    out["market_type"] = json!(market);
    // The plugin's answer also says which offered types it could not rank for want of a price.
    // Notes of the host's own (the image following the operating system) may come first.
    out["answer"] = json!(printed.iter().find(|l| l.starts_with("Cheapest in")));
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
    let (os_prices, reserved) = (catalog.os_prices(instance_type)?, catalog.reserved(Some(instance_type))?);
    if json {
        let mut out = serde_json::to_value(&facts)?;
        out["os_prices"] = serde_json::to_value(&os_prices)?;
        out["reserved"] = serde_json::to_value(&reserved)?;
        println!("{out}");
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
    if facts.prices.is_empty() && facts.offered_price_unknown.is_empty() && os_prices.is_empty() {
        println!("not offered in any region of the catalog");
    } else {
        println!("on demand, Linux:");
    }
    let priced = facts.prices.iter().map(|(region, price)| (region.as_str(), format!("${price:.4}/hour\t${:.2}/month", price * HOURS_PER_MONTH)));
    let unpriced = facts.offered_price_unknown.iter().map(|region| (region.as_str(), "offered, price unknown".to_string()));
    let mut lines: Vec<(&str, String)> = priced.chain(unpriced).collect();
    lines.sort();
    lines.iter().for_each(|(region, line)| println!("{region}\t{line}"));
    // Then, per region, every other operating system priced there.
    let mut others: std::collections::BTreeMap<&String, Vec<String>> = Default::default();
    for (os, by_region) in os_prices.iter().filter(|(os, _)| *os != "Linux") {
        for (region, price) in by_region {
            others.entry(region).or_default().push(format!("{os} ${price:.4}/hour (${:.2}/month)", price * HOURS_PER_MONTH));
        }
    }
    if !others.is_empty() {
        println!("other operating systems, on demand:");
    }
    others.iter().for_each(|(region, prices)| println!("{region}\t{}", prices.join("\t")));
    match reserved.is_empty() {
        true => println!("reserved: no Reserved rates in this catalog (`catalog refresh --from-price-list` imports them)"),
        false => println!("reserved (Standard; break-even against on demand, running all month):"),
    }
    for r in &reserved {
        let on_demand = os_prices.get(&r.operating_system).and_then(|p| p.get(&r.region)).copied();
        let pays_off = on_demand
            .map_or("on-demand price unknown".to_string(), |od| aws_agent_sdk::offers::break_even(r.upfront_usd, r.hourly_usd, od, r.lease_years).describe());
        println!(
            "{}\t{}\t{} year{} {}\t${:.2} upfront\t${:.4}/hour\t{pays_off}",
            r.region,
            r.operating_system,
            r.lease_years,
            if r.lease_years == 1 { "" } else { "s" },
            r.purchase_option,
            r.upfront_usd,
            r.hourly_usd
        );
    }
    println!("spot: not in the catalog (spot prices change by the hour); the on-demand price is the ceiling");
    println!("{}", describe(&catalog.provenance()));
    Ok(0)
}

/// The hours in a month that monthly prices are counted with (AWS's pricing pages use 730).
const HOURS_PER_MONTH: f64 = aws_agent_sdk::offers::HOURS_PER_MONTH;

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
    let os_prices: Vec<_> = catalog.all_os_prices()?.into_iter().filter(|(t, ..)| known.contains(t.as_str())).collect();
    let reserved: Vec<_> = catalog.reserved(None)?.into_iter().filter(|r| known.contains(r.instance_type.as_str())).collect();
    let offerings: Vec<(String, String)> = catalog.all_offerings()?.into_iter().filter(|(t, _)| known.contains(t.as_str())).collect();
    let contents =
        Contents { types: &types, prices: &prices, os_prices: &os_prices, reserved: &reserved, offerings: &offerings, provenance: &catalog.provenance() };
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
    let priced: std::collections::BTreeSet<&String> =
        fetched.on_demand.keys().map(|(t, ..)| t).chain(fetched.reserved.iter().map(|r| &r.instance_type)).collect();
    for name in &priced {
        types.extend(catalog.instance(name)?);
    }
    let known: std::collections::HashSet<&str> = types.iter().map(|t| t.instance_type.as_str()).collect();
    let on_demand = fetched.on_demand.iter().filter(|((t, ..), _)| known.contains(t.as_str()));
    let (linux, others): (Vec<_>, Vec<_>) = on_demand.partition(|((_, _, os), _)| os == "Linux");
    let prices: Vec<(String, String, f64)> = linux.into_iter().map(|((t, r, _), p)| (t.clone(), r.clone(), *p)).collect();
    let os_prices: Vec<_> = others.into_iter().map(|((t, r, os), p)| (t.clone(), r.clone(), os.clone(), *p)).collect();
    let reserved: Vec<_> = fetched.reserved.iter().filter(|r| known.contains(r.instance_type.as_str())).cloned().collect();
    let offerings: Vec<(String, String)> = catalog.all_offerings()?.into_iter().filter(|(t, _)| known.contains(t.as_str())).collect();
    let contents =
        Contents { types: &types, prices: &prices, os_prices: &os_prices, reserved: &reserved, offerings: &offerings, provenance: &fetched.provenance };
    aws_agent::catalog::export::write_dir(out, &contents)?;
    let unknown = priced.into_iter().filter(|t| !known.contains(t.as_str())).collect::<Vec<_>>();
    let unknown = match unknown.len() {
        0 => String::new(),
        1 => " 1 priced type the catalog does not describe was left out.".into(),
        n => format!(" {n} priced types the catalog does not describe were left out."),
    };
    let as_of = aws_agent_sdk::offers::prices_as_of(fetched.provenance.prices_as_of.as_deref(), fetched.provenance.price_source.as_deref());
    eprintln!(
        "Wrote {} Linux and {} Windows, RHEL and SUSE on-demand prices and {} Reserved rates for {} instance types to {}. {as_of}{unknown} Use it with --catalog {4}.",
        prices.len(),
        os_prices.len(),
        reserved.len(),
        types.len(),
        out.display()
    );
    Ok(0)
}
