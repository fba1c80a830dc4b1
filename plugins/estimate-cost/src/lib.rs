//! estimate-cost: what the current configuration costs per hour and month, and over a period,
//! for N instances or for a group at MinSize, DesiredCapacity and MaxSize, at the configured
//! operating system's on-demand price. Reads; never changes anything.
use aws_agent_sdk::offers::{self, HOURS_PER_MONTH};
use aws_agent_sdk::{lookup, *};

struct EstimateCost;

impl Intent for EstimateCost {
    fn spec() -> Spec {
        Spec::new("estimate-cost", "Estimate what the current configuration costs per hour and per month, and over a number of hours, days or months: for a number of instances of the configured type, or for the Auto Scaling group at MinSize, DesiredCapacity and MaxSize, at the configured operating system's on-demand price.")
            .param(Param::int("count", "Number of instances (default: the configuration's counts)").synonyms(&["of these", "of them"]))
            .param(Param::int("hours", "Number of hours").synonyms(&["hours", "hour", "hrs"]))
            .param(Param::int("days", "Number of days").synonyms(&["days", "day"]))
            .param(Param::int("months", "Number of months (730 hours each)").synonyms(&["months", "month"]))
            .example("what will this cost?", &[])
            .example("how much does this configuration cost?", &[])
            .example("what would three of these cost per month?", &[("count", 3.into())])
            .example("what's the worst case per month?", &[])
            .example("how much would 5 instances cost over 12 months", &[("count", 5.into()), ("months", 12.into())])
            .example("what does it cost to run this for 10 days?", &[("days", 10.into())])
            .example("what's the cost of running it for 72 hours?", &[("hours", 72.into())])
            .example("what's the monthly bill for this setup?", &[])
            .example("estimate the cost of 4 of them for 6 months", &[("count", 4.into()), ("months", 6.into())])
            .example("how much will the group cost at max size?", &[])
            .example("what's the hourly cost of this config?", &[])
            .example("what would ten of these cost per hour?", &[("count", 10.into())])
            .example("how expensive is this for 1 day?", &[("days", 1.into())])
            .example("price out 8 instances for 3 days", &[("count", 8.into()), ("days", 3.into())])
            .example("I wonder what this costs over 2 months", &[("months", 2.into())])
            .example("what do 3 machines for 100 hours come to?", &[("count", 3.into()), ("hours", 100.into())])
            .example("how much is this going to cost me?", &[])
            .example("what's the bill if we run this for 3 months?", &[("months", 3.into())])
            .example("can you tell me what the monthly cost would be?", &[])
            .example("what does the group cost at minimum and at maximum?", &[])
    }

    fn run(args: &Args, host: &mut impl Host) -> Result<String, String> {
        let count = args.count("count")?;
        let (mut period, mut named) = (0i64, Vec::new());
        for (name, hours) in [("months", HOURS_PER_MONTH as i64), ("days", 24), ("hours", 1)] {
            match args.int(name) {
                Some(n) if n < 0 => return Err(format!("{name} must be zero or more, not {n}.")),
                Some(n) => {
                    period = period.saturating_add(n.saturating_mul(hours));
                    named.push(format!("{n} {}", if n == 1 { name.trim_end_matches('s') } else { name }));
                }
                None => {}
            }
        }
        let over = match named.as_slice() {
            [one] if one.ends_with("hours") || one.ends_with("hour") => format!("$ over {one}"),
            parts => format!("$ over {} ({period} hours)", parts.join(" and ")),
        };
        let (config, os, market) = (host.config(), lookup::operating_system(None, host), host.launch_options().market_type);
        let (ec2, asg) = (config.ec2, config.asg);
        let price = lookup::on_demand(host, &ec2.instance_type, &ec2.region, &os)?
            .ok_or_else(|| format!("The catalog has no {os} on-demand price for {} in {}, so its cost is unknown.", ec2.instance_type, ec2.region))?;
        let counts: Vec<(String, u32)> = match (count, asg.enabled) {
            (Some(n), _) => vec![(format!("{n} instance{}", if n == 1 { "" } else { "s" }), n)],
            (None, true) => vec![("MinSize".into(), asg.min_size), ("DesiredCapacity".into(), asg.desired_capacity), ("MaxSize".into(), asg.max_size)],
            (None, false) if ec2.min_count == ec2.max_count => vec![("MinCount = MaxCount".into(), ec2.max_count)],
            (None, false) => vec![("MinCount".into(), ec2.min_count), ("MaxCount".into(), ec2.max_count)],
        };
        let mut header = vec![String::new(), "instances".into(), "$/hour".into(), "$/month".into()];
        header.extend((period > 0).then(|| over.clone()));
        let rows: Vec<Vec<String>> = counts
            .iter()
            .map(|(what, n)| {
                let hourly = price * f64::from(*n);
                let mut row = vec![what.clone(), n.to_string(), format!("{hourly:.4}"), format!("{:.2}", hourly * HOURS_PER_MONTH)];
                row.extend((period > 0).then(|| format!("{:.2}", hourly * period as f64)));
                row
            })
            .collect();
        let worst = counts.iter().map(|(what, n)| (n, what)).max();
        let worst = match (counts.len(), worst) {
            (2.., Some((n, what))) => format!(" Worst case ({what} {n}): ${:.2}/month.", price * f64::from(*n) * HOURS_PER_MONTH),
            _ => String::new(),
        };
        host.print(&format!(
            "{} in {} at ${price:.4}/hour each, the {os} on-demand price ({HOURS_PER_MONTH} hours a month).{worst}{}",
            ec2.instance_type,
            ec2.region,
            offers::market_note(&market)
        ));
        host.table(&header, &rows);
        lookup::provenance(host)
    }
}

register_intent!(EstimateCost);

#[cfg(test)]
mod tests;
