//! describe-instance-type: one type's facts and prices (on demand for an OS, the cheapest regions,
//! Reserved rates with their break-even month, Spot's ceiling). Reads; never changes anything.
use aws_agent_sdk::offers::{self, HOURS_PER_MONTH};
use aws_agent_sdk::{lookup, *};

struct DescribeInstanceType;

/// How many of the cheapest regions the answer names.
const CHEAPEST_REGIONS: i64 = 3;

impl Intent for DescribeInstanceType {
    fn spec() -> Spec {
        Spec::new("describe-instance-type", "Answer a question about one EC2 instance type: its vCPUs, memory, GPUs, architecture, network and burstable, its price per hour and month in the configured region (or one named) for an operating system, the regions where it is cheapest, and its Reserved rates.")
            .param(Param::text("InstanceType", "EC2 instance type, such as m5.large").required().pattern(lookup::INSTANCE_TYPE))
            .param(Param::text("region", "AWS region code (default: the configured Region)").pattern(lookup::REGION).synonyms(&["region"]))
            .param(Param::text("os", "Operating system to price for (default: the configured OperatingSystem)").pattern(lookup::OPERATING_SYSTEM).synonyms(&["operating system", "os"]))
            .example("what does an m5.large cost per hour?", &[("InstanceType", "m5.large".into())])
            .example("how much is an m5.large in eu-central-1?", &[("InstanceType", "m5.large".into()), ("region", "eu-central-1".into())])
            .example("how much memory does an r6g.xlarge have?", &[("InstanceType", "r6g.xlarge".into())])
            .example("how many vCPUs does a c5.2xlarge have?", &[("InstanceType", "c5.2xlarge".into())])
            .example("tell me about the g4dn.xlarge", &[("InstanceType", "g4dn.xlarge".into())])
            .example("what's the price of a t3.micro in eu-west-1?", &[("InstanceType", "t3.micro".into()), ("region", "eu-west-1".into())])
            .example("is t4g.small arm or x86?", &[("InstanceType", "t4g.small".into())])
            .example("which GPU does a g5.xlarge have?", &[("InstanceType", "g5.xlarge".into())])
            .example("describe the m6i.large", &[("InstanceType", "m6i.large".into())])
            .example("what network bandwidth does a c6in.large get?", &[("InstanceType", "c6in.large".into())])
            .example("is the t3.medium burstable?", &[("InstanceType", "t3.medium".into())])
            .example("how much does a windows m5.large cost?", &[("InstanceType", "m5.large".into()), ("os", "windows".into())])
            .example("what's the red hat price of an r5.large?", &[("InstanceType", "r5.large".into()), ("os", "rhel".into())])
            .example("I wonder how much a c5.xlarge costs in us-west-2", &[("InstanceType", "c5.xlarge".into()), ("region", "us-west-2".into())])
            .example("give me the specs of the m7g.medium please", &[("InstanceType", "m7g.medium".into())])
            .example("where is the m5.large cheapest?", &[("InstanceType", "m5.large".into())])
            .example("what are the reserved rates for an m5.large?", &[("InstanceType", "m5.large".into())])
            .example("does an m5.xlarge have a gpu?", &[("InstanceType", "m5.xlarge".into())])
            .example("tell me the hourly price of c7g.large on suse", &[("InstanceType", "c7g.large".into()), ("os", "suse".into())])
            .example("how fast is the network on an r5n.large?", &[("InstanceType", "r5n.large".into())])
            .example("is the m6a.large any good?", &[("InstanceType", "m6a.large".into())])
    }

    fn run(args: &Args, host: &mut impl Host) -> Result<String, String> {
        let name = args.text("InstanceType").unwrap_or_default().to_lowercase();
        let Some(t) = lookup::facts(host, &name)? else { return Err(lookup::not_a_type(host, &name)?) };
        let region = args.text("region").map_or_else(|| host.config().ec2.region, String::from);
        let os = lookup::operating_system(args.text("os"), host);
        let burst = if t.burstable { "burstable (CPU credits)" } else { "not burstable" };
        let mut lines = vec![format!(
            "{name}: {} vCPUs, {} GiB memory, GPUs: {}, {} ({}), network {}, {burst}.",
            t.vcpus,
            t.memory_gib,
            t.gpus_in_words(),
            t.arch,
            t.processor,
            t.network
        )];
        let on_demand = lookup::on_demand(host, &name, &region, &os)?;
        lines.push(match on_demand {
            Some(p) => format!("In {region}: ${p:.4}/hour (${:.2}/month), the {os} on-demand price.", p * HOURS_PER_MONTH),
            None if os == "Windows" && (t.arch != "x86_64" || name.starts_with("mac")) => {
                format!("Windows does not run on {name} (x86_64 types only, never Mac).")
            }
            None if offers::offered(host, &name, &region)? => format!("{name} is offered in {region}, but the catalog has no {os} price for it there."),
            None => format!("{name} is not offered in {region} as far as the catalog knows."),
        });
        let sql = "SELECT region, price_per_hour FROM os_prices WHERE instance_type = ?1 AND operating_system = ?2 ORDER BY price_per_hour, region LIMIT ?3";
        let cheapest = host.query(sql, &[name.as_str().into(), os.as_str().into(), CHEAPEST_REGIONS.into()])?;
        let cheapest: Vec<String> = cheapest.iter().map(|r| format!("{} ${:.4}/hour", r.text("region"), r.f64("price_per_hour"))).collect();
        if !cheapest.is_empty() {
            lines.push(format!("Cheapest {os} regions: {}.", cheapest.join(", ")));
        }
        let sql = "SELECT lease_years, purchase_option, upfront_usd, hourly_usd FROM reserved_prices
                   WHERE instance_type = ?1 AND region = ?2 AND operating_system = ?3 ORDER BY lease_years, upfront_usd";
        let reserved = host.query(sql, &[name.as_str().into(), region.as_str().into(), os.as_str().into()])?;
        let rates: Vec<Vec<String>> = reserved
            .iter()
            .map(|r| {
                let (years, upfront, hourly) = (r.i64("lease_years"), r.f64("upfront_usd"), r.f64("hourly_usd"));
                let pays_off = on_demand.map_or("on-demand price unknown".into(), |od| offers::break_even(upfront, hourly, od, years).describe());
                let monthly = hourly * HOURS_PER_MONTH + upfront / (12.0 * years as f64);
                vec![
                    format!("{years} year{}", if years == 1 { "" } else { "s" }),
                    r.text("purchase_option"),
                    format!("{upfront:.2}"),
                    format!("{hourly:.4}"),
                    format!("{monthly:.2}"),
                    pays_off,
                ]
            })
            .collect();
        lines.push(match rates.is_empty() {
            true => format!("Reserved: the catalog has no Reserved rates for {name} ({os}, {region}); the bundled data has on-demand prices only, and `aws-agent catalog refresh --from-price-list` imports them."),
            false => format!("Reserved (Standard), {os} in {region}, against on demand running all month:"),
        });
        host.print(&lines.join("\n"));
        if !rates.is_empty() {
            host.table(&["lease", "purchase option", "upfront $", "$/hour", "$/month with upfront spread", "break-even"].map(String::from), &rates);
        }
        Ok(format!("Spot: prices are not known here; a Spot Instance costs at most the on-demand price. {}", lookup::provenance(host)?))
    }
}

register_intent!(DescribeInstanceType);

#[cfg(test)]
mod tests;
