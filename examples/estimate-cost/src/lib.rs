//! estimate-cost: what a number of the configured instances would cost over some months.
//! Not built in: it shows that a dropped-in plugin is routable from its own examples.
use aws_agent_sdk::*;

struct EstimateCost;

const HOURS_PER_MONTH: f64 = 730.0;

impl Intent for EstimateCost {
    fn spec() -> Spec {
        Spec::new(
            "estimate-cost",
            "Estimate what a number of instances of the configured type would cost per month or over several months, at on-demand prices.",
        )
        .param(Param::int("count", "Number of instances").synonyms(&["instances", "machines", "servers", "boxes", "of these", "of them"]))
        .param(Param::int("months", "Number of months").synonyms(&["months", "month"]))
        .example("how much would 3 of these cost per month", &[("count", 3.into())])
        .example("what would 5 instances cost over 12 months", &[("count", 5.into()), ("months", 12.into())])
        .example("estimate the cost of 2 servers for 6 months", &[("count", 2.into()), ("months", 6.into())])
        .example("what's the monthly bill for 10 machines", &[("count", 10.into())])
        .example("how much does this cost", &[])
    }

    fn run(args: &Args, host: &mut impl Host) -> Result<String, String> {
        let count = args.count("count")?.unwrap_or(1);
        let months = args.count("months")?.unwrap_or(1);
        let ec2 = host.config().ec2;
        let rows = host.query(
            "SELECT price_per_hour FROM prices WHERE instance_type = ?1 AND region = ?2",
            &[ec2.instance_type.as_str().into(), ec2.region.as_str().into()],
        )?;
        let price =
            rows.first().map(|r| r.f64("price_per_hour")).ok_or_else(|| format!("The catalog has no price for {} in {}.", ec2.instance_type, ec2.region))?;
        let total = price * HOURS_PER_MONTH * f64::from(count) * f64::from(months);
        Ok(format!(
            "{count} x {} in {} for {months} month(s): ${total:.2} (${price:.4}/hour each, {HOURS_PER_MONTH} hours a month).",
            ec2.instance_type, ec2.region
        ))
    }
}

register_intent!(EstimateCost);

#[cfg(test)]
mod tests {
    use super::*;
    use aws_agent_sdk::testing::{FakeHost, rows};

    #[test]
    fn multiplies_price_hours_count_and_months() {
        let mut host = FakeHost::default();
        host.answers.push_back(Ok(rows(&["price_per_hour"], vec![vec![0.0116.into()]])));
        let said = EstimateCost::run(&Args::of(&[("count", 3.into()), ("months", 2.into())]), &mut host).unwrap();
        assert_eq!(said, "3 x t2.micro in us-east-1 for 2 month(s): $50.81 ($0.0116/hour each, 730 hours a month).");
    }

    #[test]
    fn an_unpriced_type_is_an_error() {
        let mut host = FakeHost::default();
        let err = EstimateCost::run(&Args::default(), &mut host).unwrap_err();
        assert_eq!(err, "The catalog has no price for t2.micro in us-east-1.");
    }
}
