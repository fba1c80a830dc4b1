//! find-cheapest: the cheapest instance type that meets the user's requirements.
use aws_agent_sdk::offers::{self, Constraints, HOURS_PER_MONTH};
use aws_agent_sdk::*;

struct FindCheapest;

const ALTERNATIVES: i64 = 4;
const MAX_ALTERNATIVES: i64 = 50;

impl Intent for FindCheapest {
    fn spec() -> Spec {
        Spec::new("find-cheapest", "Find the cheapest EC2 instance type with at least the given vCPUs, memory (GiB) and GPUs, optionally of one CPU architecture, in one AWS region, priced for one operating system and purchase option, and use it in the configuration.")
            .param(Param::int("cpu", "Minimum number of vCPUs").synonyms(&["cpu", "cpus", "vcpu", "vcpus", "core", "cores", "processors", "virtual cpus", "virtual cpu"]))
            .param(Param::float("ram", "Minimum memory in GiB").unit("GiB").synonyms(&["ram", "memory", "gb", "gib", "gigs", "gigabytes"]))
            .param(Param::int("gpus", "Minimum number of GPUs").synonyms(&["gpu", "gpus", "graphics card", "graphics cards", "graphic card", "graphic cards"]))
            .param(Param::text("arch", "CPU architecture").pattern("x86_64|arm64").synonyms(&["architecture", "arch"]))
            .param(Param::text("gpu_vendor", "GPU maker, as AWS spells it: NVIDIA or AMD").pattern("NVIDIA|AMD").synonyms(&["gpu vendor", "gpu maker", "gpu brand", "gpu manufacturer"]))
            .param(Param::text("burstable", "yes for burstable (T family, CPU credits) types only, no to leave them out").pattern("yes|no"))
            .param(Param::text("region", "AWS region code").pattern(r"[a-z]{2}(-gov)?-[a-z]+-[0-9]").synonyms(&["region"]))
            .param(Param::int("alternatives", "How many next-cheapest choices to list").synonyms(&["alternatives", "alternative", "other options", "other choices", "next cheapest", "next", "runners-up", "runner-ups", "alts"]))
            .param(Param::text("search", "\"reset\" to forget the requirements of earlier searches; without it a search keeps them and changes only what is given").pattern("reset"))
            .param(Param::text("os", "Operating system whose on-demand prices rank the types (default: the configuration's OperatingSystem); Windows runs on x86_64 types only").pattern("linux|windows|rhel|suse").synonyms(&["operating system", "os"]))
            .param(Param::text("market", "Purchase option: on-demand, or spot (spot prices are not in the catalog; the on-demand price is the ceiling)").pattern("on-demand|spot").synonyms(&["purchase option", "market type", "pricing"]))
            .example("4 RAM", &[("ram", 4.0.into())])
            .example("get cheapest instance with 3 RAM and 2 CPU", &[("ram", 3.0.into()), ("cpu", 2.into())])
            .example("cheapest box with 2 vCPUs and 8 GB", &[("cpu", 2.into()), ("ram", 8.0.into())])
            .example("cheapest instance with 1 gpu", &[("gpus", 1.into())])
            .example("find the least expensive machine with 16 gb of memory in eu-west-1", &[("ram", 16.0.into()), ("region", "eu-west-1".into())])
            .example("I need 4 cores", &[("cpu", 4.into())])
            .example("cheapest arm instance with 4 vcpus", &[("cpu", 4.into()), ("arch", "arm64".into())])
            .example("cheapest graviton box with 8 gb", &[("ram", 8.0.into()), ("arch", "arm64".into())])
            .example("cheapest intel machine with 2 cores", &[("cpu", 2.into()), ("arch", "x86_64".into())])
            .example("least expensive amd server with 16 gigs of memory", &[("ram", 16.0.into()), ("arch", "x86_64".into())])
            .example("cheapest x86 instance", &[("arch", "x86_64".into())])
            .example("which machine costs least with 24 gigs", &[("ram", 24.0.into())])
            .example("my app needs no fewer than 6 vCPUs and 12 GB of memory", &[("cpu", 6.into()), ("ram", 12.0.into())])
            .example("what's the lowest priced instance with 32 GiB of RAM", &[("ram", 32.0.into())])
            .example("I need a server with 8 cpus and 32 gb", &[("cpu", 8.into()), ("ram", 32.0.into())])
            .example("cheapest instance with 2 gpus in us-west-2", &[("gpus", 2.into()), ("region", "us-west-2".into())])
            .example("best deal for 4 vcpus on arm in eu-central-1", &[("cpu", 4.into()), ("arch", "arm64".into()), ("region", "eu-central-1".into())])
            .example("something inexpensive with 64 GB of memory", &[("ram", 64.0.into())])
            .example("8 GB in eu-west-1", &[("ram", 8.0.into()), ("region", "eu-west-1".into())])
            .example("show me the cheapest instance type", &[])
            .example("cheapest aarch64 instance with 2 vcpus", &[("cpu", 2.into()), ("arch", "arm64".into())])
            .example("cheapest amd64 instance", &[("arch", "x86_64".into())])
            .example("the cheapest instance overall, any size", &[])
            .example("cheapest option in ap-southeast-2", &[("region", "ap-southeast-2".into())])
            .example("cheapest with 2 cpus, and show me 6 alternatives", &[("cpu", 2.into()), ("alternatives", 6.into())])
            .example("lowest price for 16 gb plus the next 2 cheapest", &[("ram", 16.0.into()), ("alternatives", 2.into())])
            .example("cheapest with 1 gpu, and list 5 other options", &[("gpus", 1.into()), ("alternatives", 5.into())])
            .example("cheapest nvidia gpu box", &[("gpus", 1.into()), ("gpu_vendor", "NVIDIA".into())])
            .example("cheapest instance with 1 nvidia gpu", &[("gpus", 1.into()), ("gpu_vendor", "NVIDIA".into())])
            .example("no burstable instances, 2 vcpus and 4 gb", &[("burstable", "no".into()), ("cpu", 2.into()), ("ram", 4.0.into())])
            .example("cheapest burstable instance", &[("burstable", "yes".into())])
            .example("reset the search", &[("search", "reset".into())])
            .example("start over: cheapest with 8 gb", &[("search", "reset".into()), ("ram", 8.0.into())])
            .example("forget my requirements, new search", &[("search", "reset".into())])
            .example("cheapest windows instance with 4 GB ram", &[("os", "windows".into()), ("ram", 4.0.into())])
            .example("least expensive windows server with 2 vcpus", &[("os", "windows".into()), ("cpu", 2.into())])
            .example("cheapest red hat box with 8 gb", &[("os", "rhel".into()), ("ram", 8.0.into())])
            .example("cheapest rhel instance", &[("os", "rhel".into())])
            .example("cheapest suse machine with 4 cores", &[("os", "suse".into()), ("cpu", 4.into())])
            .example("cheapest linux instance with 16 gb", &[("os", "linux".into()), ("ram", 16.0.into())])
            .example("cheapest spot instance with 2 vCPUs", &[("market", "spot".into()), ("cpu", 2.into())])
            .example("cheapest on-demand box with 8 gb", &[("market", "on-demand".into()), ("ram", 8.0.into())])
            .example("and what about in ap-southeast-1?", &[("region", "ap-southeast-1".into())])
    }

    fn run(args: &Args, host: &mut impl Host) -> Result<String, String> {
        for (name, value) in [("cpu", args.float("cpu")), ("ram", args.float("ram")), ("gpus", args.float("gpus"))] {
            if value.is_some_and(|v| v < 0.0 || !v.is_finite()) {
                return Err(format!("{name} must be zero or more, not {}.", value.unwrap_or_default()));
            }
        }
        let alternatives = args.int("alternatives").unwrap_or(ALTERNATIVES);
        if !(0..=MAX_ALTERNATIVES).contains(&alternatives) {
            return Err(format!("alternatives must be between 0 and {MAX_ALTERNATIVES}, not {alternatives}."));
        }
        // A follow-up changes what it names and keeps the rest of the earlier search.
        let earlier = match args.text("search") {
            Some(_) => Constraints::default(),
            None => Constraints::from(host.requirements().constraints.as_slice()),
        };
        // The operating system and purchase option are the configuration's unless named here.
        let options = host.launch_options();
        let os = args.text("os").and_then(offers::operating_system).map_or(options.operating_system.clone(), String::from);
        let market = args.text("market").map_or(options.market_type.clone(), String::from);
        let wanted = Constraints { os: Some(os.clone()).filter(|o| o != defaults::OPERATING_SYSTEM), ..earlier.updated(args) };
        let kept = wanted.kept_from(&earlier, args);
        let region = args.text("region").map_or_else(|| host.config().ec2.region, String::from);
        let Some(as_of) = offers::prices_in(host, &region, &os)? else {
            let names = offers::priced_regions(host, &os)?.join(", ");
            return Err(match os.as_str() {
                defaults::OPERATING_SYSTEM => format!("The catalog has no prices for region {region}. Regions: {names}."),
                os => format!("The catalog has no {os} prices for region {region}. Regions with {os} prices: {names}."),
            });
        };
        let ranking = offers::rank(host, &region, &wanted, alternatives + 1)?;
        let (found, left_out) = (&ranking.offers, ranking.left_out());
        let Some(best) = found.first() else {
            let sql = "SELECT max(vcpus) AS c, max(memory_gib) AS m, max(gpus) AS g FROM os_prices JOIN instance_types USING (instance_type) WHERE region = ?1 AND operating_system = ?2";
            let max = host.query(sql, &[region.as_str().into(), os.as_str().into()])?;
            let most = max.first().map(|r| format!("{} vCPUs, {} GiB, {} GPUs", r.i64("c"), r.f64("m"), r.i64("g"))).unwrap_or_default();
            return Err(format!("No instance type offered in {region} has {}. The largest there have {most}.{left_out}", wanted.describe()));
        };
        let (name, price) = (best.text("instance_type"), best.f64("price_per_hour"));
        let ec2 = Ec2Update { region: Some(region.clone()), instance_type: Some(name.clone()), ..Default::default() };
        let launch = LaunchOptionsUpdate {
            operating_system: Some(os.clone()).filter(|o| *o != options.operating_system),
            market_type: Some(market.clone()).filter(|m| *m != options.market_type),
            subnet_id: None,
        };
        // Windows refuses an arm64 type: the x86_64 type goes in before Windows, and another
        // operating system goes in before a type Windows could not run.
        let windows = os == "Windows";
        if windows {
            host.update_ec2(ec2.clone())?;
        }
        if launch.operating_system.is_some() || launch.market_type.is_some() {
            host.update_launch_options(launch)?;
        }
        if !windows {
            host.update_ec2(ec2)?;
        }
        host.set_requirements(Requirements {
            constraints: wanted.to_arguments(),
            summary: wanted.describe(),
            chosen: Some(name.clone()),
            region: Some(region.clone()),
        });
        let kept = match kept.is_empty() {
            true => String::new(),
            false => format!(" Kept from the earlier search: {}; say \"start over\" for a new one.", kept.describe()),
        };
        let arch = if windows { " Windows runs on x86_64 types only, so arm64 and Mac types are left out." } else { "" };
        host.print(&format!(
            "Cheapest in {region} with {}: {name} at ${price:.4}/hour (${:.2}/month), the {os} on-demand price.{arch}{} {as_of}{left_out}{kept} Other choices below; say \"use TYPE instead\" to pick one.",
            wanted.describe(),
            price * HOURS_PER_MONTH,
            offers::market_note(&market),
        ));
        let header = ["instance type", "vCPUs", "memory GiB", "GPUs", "arch", "network", "$/hour", "$/month"];
        let rows = found.iter().map(|r| {
            let p = r.f64("price_per_hour");
            vec![
                r.text("instance_type"),
                r.text("vcpus"),
                r.text("memory_gib"),
                r.text("gpus"),
                r.text("arch"),
                r.text("network"),
                format!("{p:.4}"),
                format!("{:.2}", p * HOURS_PER_MONTH),
            ]
        });
        host.table(&header.map(String::from), &rows.collect::<Vec<_>>());
        Ok(String::new())
    }
}

register_intent!(FindCheapest);

#[cfg(test)]
mod tests;
