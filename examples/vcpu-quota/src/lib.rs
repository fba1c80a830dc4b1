//! vcpu-quota: which Running On-Demand instances quota the configured type counts against, and how
//! many vCPUs of it a number of instances takes. EC2 counts these quotas in vCPUs per group of
//! instance families (EC2 User Guide, "On-Demand Instance quotas"; the names are Service Quotas').
//! Not built in: it shows that a dropped-in plugin is routable from its own examples.
use aws_agent_sdk::*;

struct VcpuQuota;

/// The quota a family counts against, by the letters its name starts with; longer prefixes first,
/// and every other family (A, C, D, H, I, M, R, T, Z) in the Standard one.
const QUOTAS: [(&str, &str); 11] = [
    ("inf", "Inf"),
    ("trn", "Trn"),
    ("dl", "DL"),
    ("vt", "G and VT"),
    ("hpc", "HPC"),
    ("mac", "Mac (Dedicated Hosts, not On-Demand)"),
    ("u", "High Memory"),
    ("f", "F"),
    ("g", "G and VT"),
    ("p", "P"),
    ("x", "X"),
];
const STANDARD: &str = "Standard (A, C, D, H, I, M, R, T, Z)";

impl Intent for VcpuQuota {
    fn spec() -> Spec {
        Spec::new("vcpu-quota", "Say which EC2 Running On-Demand instances quota the configured instance type counts against and how many vCPUs of it the configuration (or a number of instances) needs.")
            .param(Param::int("count", "Number of instances (default: the most the configuration runs, MaxCount or MaxSize)").synonyms(&["instances", "machines", "servers", "of these", "of them", "nodes"]))
            .example("how many vcpus of my quota will this use?", &[])
            .example("which service quota does this need?", &[])
            .example("will 20 of these fit in my quota?", &[("count", 20.into())])
            .example("what quota do I need for 10 instances", &[("count", 10.into())])
            .example("how much vcpu quota do 4 of them take", &[("count", 4.into())])
            .example("do I need a limit increase for 50 of these?", &[("count", 50.into())])
            .example("which on-demand quota does the group count against?", &[])
            .example("vcpu limit check", &[])
            .example("will I run into the ec2 instance limit?", &[])
            .example("is this setup within my ec2 limits?", &[])
    }

    fn run(args: &Args, host: &mut impl Host) -> Result<String, String> {
        let config = host.config();
        let count = args.count("count")?.unwrap_or(if config.asg.enabled { config.asg.max_size } else { config.ec2.max_count });
        let name = config.ec2.instance_type;
        let rows = host.query("SELECT vcpus FROM instance_types WHERE instance_type = ?1", &[name.as_str().into()])?;
        let vcpus = rows.first().map(|r| r.i64("vcpus")).ok_or_else(|| format!("The catalog does not know {name}'s vCPUs."))?;
        let letters: String = name.chars().take_while(char::is_ascii_alphabetic).collect();
        let quota = QUOTAS.iter().find(|(prefix, _)| letters.starts_with(prefix)).map_or(STANDARD, |(_, q)| q);
        let total = vcpus * i64::from(count);
        Ok(format!(
            "{count} x {name} ({vcpus} vCPUs each) take {total} vCPUs of the \"Running On-Demand {quota} instances\" quota in {}; Service Quotas shows its current value.",
            config.ec2.region
        ))
    }
}

register_intent!(VcpuQuota);

#[cfg(test)]
mod tests {
    use super::*;
    use aws_agent_sdk::testing::{FakeHost, rows};

    #[test]
    fn counts_vcpus_against_the_family_quota() {
        let mut host = FakeHost::default();
        host.config.ec2.instance_type = "g4dn.xlarge".into();
        host.answers.push_back(Ok(rows(&["vcpus"], vec![vec![4i64.into()]])));
        let said = VcpuQuota::run(&Args::of(&[("count", 5.into())]), &mut host).unwrap();
        assert_eq!(
            said,
            "5 x g4dn.xlarge (4 vCPUs each) take 20 vCPUs of the \"Running On-Demand G and VT instances\" quota in us-east-1; Service Quotas shows its current value."
        );
    }

    #[test]
    fn a_group_defaults_to_its_max_size_and_standard_families_share_one_quota() {
        let mut host = FakeHost::default();
        (host.config.asg.enabled, host.config.asg.max_size) = (true, 8);
        host.answers.push_back(Ok(rows(&["vcpus"], vec![vec![1i64.into()]])));
        let said = VcpuQuota::run(&Args::default(), &mut host).unwrap();
        assert!(
            said.starts_with("8 x t2.micro (1 vCPUs each) take 8 vCPUs of the \"Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances\""),
            "{said}"
        );
    }
}
