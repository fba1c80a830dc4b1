//! compare-instance-types: two or more types side by side in one table, what differs marked, at
//! one region's on-demand prices for one operating system. Reads; never changes anything.
use aws_agent_sdk::offers::HOURS_PER_MONTH;
use aws_agent_sdk::{lookup, *};

struct CompareInstanceTypes;

/// More columns than this do not fit a terminal.
const MAX_TYPES: usize = 8;

impl Intent for CompareInstanceTypes {
    fn spec() -> Spec {
        Spec::new("compare-instance-types", "Compare two or more EC2 instance types side by side (vCPUs, memory, GPUs, architecture, network, burstable, on-demand price per hour and month for an operating system in a region), marking what differs.")
            .param(Param::text_list("InstanceTypes", "The EC2 instance types to compare, two or more").required().pattern(lookup::INSTANCE_TYPE))
            .param(Param::text("region", "AWS region code (default: the configured Region)").pattern(lookup::REGION).synonyms(&["region"]))
            .param(Param::text("os", "Operating system to price for (default: the configured OperatingSystem)").pattern(lookup::OPERATING_SYSTEM).synonyms(&["operating system", "os"]))
            .example("compare m5.large and m6i.large", &[("InstanceTypes", (&["m5.large", "m6i.large"][..]).into())])
            .example("compare m5.large, m6i.large and m7i.large", &[("InstanceTypes", (&["m5.large", "m6i.large", "m7i.large"][..]).into())])
            .example("m5.large vs c5.xlarge in eu-west-1, which one comes out cheaper", &[("InstanceTypes", (&["m5.large", "c5.xlarge"][..]).into()), ("region", "eu-west-1".into())])
            .example("how is t3.medium different from t3a.medium?", &[("InstanceTypes", (&["t3.medium", "t3a.medium"][..]).into())])
            .example("how does r5.large compare to r6i.large?", &[("InstanceTypes", (&["r5.large", "r6i.large"][..]).into())])
            .example("t4g.small or t3.small, which is cheaper?", &[("InstanceTypes", (&["t4g.small", "t3.small"][..]).into())])
            .example("put c6g.xlarge and c6i.xlarge side by side", &[("InstanceTypes", (&["c6g.xlarge", "c6i.xlarge"][..]).into())])
            .example("compare windows prices of m5.large and m5a.large", &[("InstanceTypes", (&["m5.large", "m5a.large"][..]).into()), ("os", "windows".into())])
            .example("g4dn.xlarge versus g5.xlarge for inference, what's different between them?", &[("InstanceTypes", (&["g4dn.xlarge", "g5.xlarge"][..]).into())])
            .example("m6g.large or m5.large, which is better value for money?", &[("InstanceTypes", (&["m6g.large", "m5.large"][..]).into())])
            .example("how do r6g.xlarge and r6i.xlarge differ in us-west-2?", &[("InstanceTypes", (&["r6g.xlarge", "r6i.xlarge"][..]).into()), ("region", "us-west-2".into())])
            .example("which has more memory, r5.large or m5.xlarge?", &[("InstanceTypes", (&["r5.large", "m5.xlarge"][..]).into())])
            .example("compare the rhel prices of m6i.xlarge and m7i.xlarge", &[("InstanceTypes", (&["m6i.xlarge", "m7i.xlarge"][..]).into()), ("os", "rhel".into())])
            .example("weigh up t3.large against m5.large for me", &[("InstanceTypes", (&["t3.large", "m5.large"][..]).into())])
            .example("a comparison table of c5.large and c7g.large please", &[("InstanceTypes", (&["c5.large", "c7g.large"][..]).into())])
            .example("show m5.large and m5.xlarge next to each other", &[("InstanceTypes", (&["m5.large", "m5.xlarge"][..]).into())])
    }

    fn run(args: &Args, host: &mut impl Host) -> Result<String, String> {
        let mut names: Vec<String> = Vec::new();
        for name in args.list("InstanceTypes").unwrap_or_default().iter().map(|n| n.to_lowercase()) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        if let [one] = names.as_slice()
            && lookup::facts(host, one)?.is_none()
        {
            return Err(lookup::not_a_type(host, one)?);
        }
        if !(2..=MAX_TYPES).contains(&names.len()) {
            let one = names.first().map_or(String::new(), |n| format!("; for one, ask \"tell me about {n}\""));
            return Err(format!("Name from 2 to {MAX_TYPES} different instance types to compare (\"compare m5.large and m6i.large\"){one}."));
        }
        let region = args.text("region").map_or_else(|| host.config().ec2.region, String::from);
        let os = lookup::operating_system(args.text("os"), host);
        let mut types = Vec::new();
        for name in &names {
            let Some(facts) = lookup::facts(host, name)? else { return Err(format!("Not compared: {}", lookup::not_a_type(host, name)?)) };
            let price = lookup::on_demand(host, name, &region, &os)?;
            types.push((facts, price));
        }
        let money = |p: Option<f64>, scale: f64, digits: usize| p.map_or("no price".into(), |p| format!("{:.digits$}", p * scale));
        let lines: Vec<(&str, Vec<String>)> = vec![
            ("vCPUs", types.iter().map(|(t, _)| t.vcpus.to_string()).collect()),
            ("memory GiB", types.iter().map(|(t, _)| t.memory_gib.to_string()).collect()),
            ("GPUs", types.iter().map(|(t, _)| t.gpus_in_words()).collect()),
            ("arch", types.iter().map(|(t, _)| t.arch.clone()).collect()),
            ("processor", types.iter().map(|(t, _)| t.processor.clone()).collect()),
            ("network", types.iter().map(|(t, _)| t.network.clone()).collect()),
            ("burstable", types.iter().map(|(t, _)| if t.burstable { "yes" } else { "no" }.to_string()).collect()),
            ("$/hour", types.iter().map(|(_, p)| money(*p, 1.0, 4)).collect()),
            ("$/month", types.iter().map(|(_, p)| money(*p, HOURS_PER_MONTH, 2)).collect()),
        ];
        let rows: Vec<Vec<String>> = lines
            .into_iter()
            .map(|(what, values)| {
                let differs = values.iter().any(|v| *v != values[0]);
                std::iter::once(format!("{what}{}", if differs { " *" } else { "" })).chain(values).collect()
            })
            .collect();
        let priced: Vec<(f64, &str)> = types.iter().filter_map(|(t, p)| p.map(|p| (p, t.instance_type.as_str()))).collect();
        let least = priced.iter().map(|(p, _)| *p).fold(f64::INFINITY, f64::min);
        let cheapest: Vec<&str> = priced.iter().filter(|(p, _)| *p == least).map(|(_, n)| *n).collect();
        let cheapest = match cheapest.as_slice() {
            [] => format!("None has a {os} price in {region}."),
            [one] => format!("Cheapest: {one} (${least:.4}/hour)."),
            tie => format!("Cheapest, at the same ${least:.4}/hour: {}.", tie.join(", ")),
        };
        host.print(&format!("{} side by side in {region}, {os} on-demand prices; * marks what differs.", names.join(", ")));
        host.table(&std::iter::once(String::new()).chain(names.iter().cloned()).collect::<Vec<_>>(), &rows);
        Ok(format!("{cheapest} Spot: prices are not known here; a Spot Instance costs at most the on-demand price. {}", lookup::provenance(host)?))
    }
}

register_intent!(CompareInstanceTypes);

#[cfg(test)]
mod tests;
