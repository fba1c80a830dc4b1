//! modify-ec2: change the EC2 part of the configuration.
use aws_agent_sdk::offers::{self, Constraints};
use aws_agent_sdk::*;

struct ModifyEc2;

impl Intent for ModifyEc2 {
    fn spec() -> Spec {
        Spec::new("modify-ec2", "Modify the EC2 configuration: the instance type, the AMI image id, the minimum and maximum number of instances to launch (MinCount, MaxCount), and the region.")
            .param(Param::text("InstanceType", "EC2 instance type, such as m5.large").pattern(lookup::INSTANCE_TYPE).synonyms(&["instance type", "type"]))
            .param(Param::text("ImageId", "AMI id of the image to launch, or an OS family (al2023, ubuntu-24.04) for its latest image of the type's architecture").pattern(r"ami-([0-9a-f]{8}|[0-9a-f]{17})|al2023|ubuntu-24\.04").synonyms(&["image id", "image", "ami"]))
            .param(Param::int("MinCount", "Minimum number of instances to launch").synonyms(&["min count", "minimum count", "mincount", "min number of instances", "minimum number of instances", "min", "minimum"]))
            .param(Param::int("MaxCount", "Maximum number of instances to launch").synonyms(&["max count", "maximum count", "maxcount", "max number of instances", "maximum number of instances", "max", "maximum"]))
            .param(Param::text("KeyName", "Name of an existing EC2 key pair for SSH access").pattern(r"[A-Za-z0-9._ -]{1,255}").synonyms(&["key pair", "keypair", "key name", "ssh key", "key"]))
            .param(Param::text_list("SecurityGroupIds", "Ids of existing security groups").pattern(r"sg-([0-9a-f]{8}|[0-9a-f]{17})").synonyms(&["security groups", "security group", "sgs"]))
            .param(Param::text("Region", "AWS region code").pattern(r"[a-z]{2}(-gov)?-[a-z]+-[0-9]").synonyms(&["region"]))
            .example("move it to eu-central-1", &[("Region", "eu-central-1".into())])
            .example("switch the region to ap-southeast-2", &[("Region", "ap-southeast-2".into())])
            .example("put it in eu-west-1 instead", &[("Region", "eu-west-1".into())])
            .example("change min count to 2 and max count to 4", &[("MinCount", 2.into()), ("MaxCount", 4.into())])
            .example("use m5.large instead", &[("InstanceType", "m5.large".into())])
            .example("set the image id to ami-0abcdef1234567890", &[("ImageId", "ami-0abcdef1234567890".into())])
            .example("set max count to 3", &[("MaxCount", 3.into())])
            .example("set the type to m6i.large and the max count to 3", &[("InstanceType", "m6i.large".into()), ("MaxCount", 3.into())])
            .example("switch to r7g.medium", &[("InstanceType", "r7g.medium".into())])
            .example("make it a c6i.xlarge", &[("InstanceType", "c6i.xlarge".into())])
            .example("change the instance type to t3.large", &[("InstanceType", "t3.large".into())])
            .example("go with m6g.large", &[("InstanceType", "m6g.large".into())])
            .example("upgrade to m5.2xlarge", &[("InstanceType", "m5.2xlarge".into())])
            .example("downgrade to t3.small", &[("InstanceType", "t3.small".into())])
            .example("I'd like an r6i.large instead", &[("InstanceType", "r6i.large".into())])
            .example("use ami-0123456789abcdef0 as the image", &[("ImageId", "ami-0123456789abcdef0".into())])
            .example("use amazon linux 2023", &[("ImageId", "al2023".into())])
            .example("use my key pair dev-key", &[("KeyName", "dev-key".into())])
            .example("put it in sg-0123abcd", &[("SecurityGroupIds", ["sg-0123abcd"].as_slice().into())])
            .example("use security groups sg-0a1b2c3d and sg-0e1f2a3b", &[("SecurityGroupIds", ["sg-0a1b2c3d", "sg-0e1f2a3b"].as_slice().into())])
            .example("use the default image", &[("ImageId", "al2023".into())])
            .example("use ubuntu 24.04", &[("ImageId", "ubuntu-24.04".into())])
            .example("launch between 2 and 5 instances", &[("MinCount", 2.into()), ("MaxCount", 5.into())])
            .example("run exactly 4 instances", &[("MinCount", 4.into()), ("MaxCount", 4.into())])
            .example("start at least 2 instances", &[("MinCount", 2.into())])
            .example("launch no more than 5 instances", &[("MaxCount", 5.into())])
            .example("I want at most 4 instances launched", &[("MaxCount", 4.into())])
            .example("minimum count 1, maximum count 3", &[("MinCount", 1.into()), ("MaxCount", 3.into())])
            .example("run from 2 to 6 instances of m5.large", &[("MinCount", 2.into()), ("MaxCount", 6.into()), ("InstanceType", "m5.large".into())])
            .example("launch just 2 instances", &[("MinCount", 2.into()), ("MaxCount", 2.into())])
            .example("we will launch at least 3 instances when we go live", &[("MinCount", 3.into())])
    }

    fn run(args: &Args, host: &mut impl Host) -> Result<String, String> {
        let mut update = Ec2Update {
            region: args.text("Region").map(String::from),
            instance_type: args.text("InstanceType").map(String::from),
            image_id: args.text("ImageId").map(String::from),
            min_count: args.count("MinCount")?,
            max_count: args.count("MaxCount")?,
        };
        let access =
            AccessUpdate { key_name: args.text("KeyName").map(String::from), security_group_ids: args.list("SecurityGroupIds").map(<[String]>::to_vec) };
        let changes_access = access.key_name.is_some() || access.security_group_ids.is_some();
        if update == Ec2Update::default() && !changes_access {
            return Err("Say what to change: Region, InstanceType, ImageId, MinCount, MaxCount, KeyName or SecurityGroupIds.".into());
        }
        // A name the catalog lacks gets the nearest EC2 types, or is named as SageMaker's.
        if let Some(name) = args.text("InstanceType")
            && lookup::facts(host, name)?.is_none()
        {
            return Err(lookup::not_a_type(host, name)?);
        }
        let mut said = "EC2 configuration updated.".to_string();
        if let Some(region) = update.region.clone().filter(|_| update.instance_type.is_none())
            && let Some((found, note)) = follow_to(&region, host)?
        {
            update.instance_type = Some(found);
            said = note;
        }
        // A type named with nothing searched for yet becomes the requirement, so a follow-up
        // search ("same but arm", "what about in us-west-2?") looks for one as large.
        let named = args.text("InstanceType").map(String::from).filter(|_| host.requirements().constraints.is_empty());
        if update != Ec2Update::default() {
            host.update_ec2(update)?;
        }
        if let Some(named) = named {
            let size = offers::size_of(host, &named)?;
            let summary = format!("as large as {named} ({})", size.describe());
            host.set_requirements(Requirements { constraints: size.to_arguments(), summary, chosen: None, region: None });
        }
        if changes_access {
            host.update_access(access)?;
        }
        Ok(said)
    }
}

/// The instance type to take to `region`: a type found by search is searched for again with the
/// same requirements; a type the user named stays if `region` offers it, else the move is refused
/// with the cheapest type there that meets the same requirements (or the type's own size).
fn follow_to(region: &str, host: &mut impl Host) -> Result<Option<(String, String)>, String> {
    let (config, mut requirements) = (host.config(), host.requirements());
    let ec2 = config.ec2;
    let searched = requirements.chosen.as_deref() == Some(ec2.instance_type.as_str()) && requirements.region.as_deref() == Some(ec2.region.as_str());
    if region == ec2.region || (!searched && offers::offered(host, &ec2.instance_type, region)?) {
        return Ok(None);
    }
    let wanted = match searched {
        true => Constraints::from(requirements.constraints.as_slice()),
        false => offers::size_of(host, &ec2.instance_type)?,
    };
    let found = offers::cheapest(host, region, &wanted, 1)?;
    let Some(best) = found.first().map(|r| (r.text("instance_type"), r.f64("price_per_hour"))) else {
        return Err(format!("No instance type offered in {region} has {}; the configuration stays in {}.", wanted.describe(), ec2.region));
    };
    if !searched {
        return Err(format!(
            "{} is not offered in {region}, so the region was not changed. The cheapest type there with {} is {} (${:.4}/hour); say \"use {} in {region}\" to take it.",
            ec2.instance_type,
            wanted.describe(),
            best.0,
            best.1,
            best.0
        ));
    }
    (requirements.chosen, requirements.region) = (Some(best.0.clone()), Some(region.to_string()));
    host.set_requirements(requirements);
    Ok(Some((best.0.clone(), format!("Moved to {region} and searched again with {}: {} at ${:.4}/hour.", wanted.describe(), best.0, best.1))))
}

register_intent!(ModifyEc2);

#[cfg(test)]
mod tests {
    use super::*;
    use aws_agent_sdk::testing::FakeHost;

    #[test]
    fn applies_all_given_fields_in_one_update() {
        let mut host = FakeHost::default();
        let args = Args::of(&[("MinCount", 2.into()), ("MaxCount", 4.into())]);
        assert_eq!(ModifyEc2::run(&args, &mut host).unwrap(), "EC2 configuration updated.");
        assert_eq!((host.config.ec2.min_count, host.config.ec2.max_count), (2, 4));
    }

    #[test]
    fn refused_update_is_reported() {
        let mut host = FakeHost { refuse_updates: Some("MinCount 5 > MaxCount 4".into()), ..Default::default() };
        let err = ModifyEc2::run(&Args::of(&[("MinCount", 5.into())]), &mut host).unwrap_err();
        assert_eq!(err, "MinCount 5 > MaxCount 4");
    }

    #[test]
    fn zero_or_no_fields_are_errors() {
        let mut host = FakeHost::default();
        assert!(ModifyEc2::run(&Args::of(&[("MaxCount", 0.into())]), &mut host).unwrap_err().contains("from 1 to"));
        assert!(ModifyEc2::run(&Args::default(), &mut host).unwrap_err().starts_with("Say what to change"));
        assert!(host.events.is_empty());
    }
}
