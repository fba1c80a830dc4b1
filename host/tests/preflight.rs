//! What real AWS would refuse is refused before anything is created, and what is created can be
//! found and removed from any process. The binary deploys to one real moto server over HTTP
//! (reset between scenarios); the outcome is judged by clients no one here wrote: boto3 and the
//! aws CLI, from the project's venv. moto carries AWS's public data — SSM's Amazon Linux
//! parameters, images with their architectures, per-zone offerings — so these checks mean what
//! they say.
//!
//! Scenarios: the SSM image and the tags; a key pair and security groups checked, then sent; an
//! architecture mismatch; an unoffered zone; zones from subnets (the printed commands, run by the
//! aws CLI, succeed); taken template names; an unoffered type; and `teardown --all` from a fresh
//! process.
mod common;

use aws_agent::aws::Simulator;
use serde_json::Value;
use std::process::Command;

fn venv(program: &str) -> std::path::PathBuf {
    let path = common::repo().join(".venv/bin").join(program);
    assert!(path.is_file(), "{} is missing: `make test` installs it", path.display());
    path
}

struct Moto {
    _server: Simulator,
    url: String,
}

impl Moto {
    fn start() -> Moto {
        let server = Simulator::start(&venv("moto_server")).expect("moto starts");
        let url = server.url.clone();
        Moto { _server: server, url }
    }

    /// Forgets every resource (moto's reset API), as a new account would look.
    fn reset(&self) {
        let out = Command::new("curl").args(["-s", "-X", "POST", &format!("{}/moto-api/reset", self.url)]).output().expect("curl runs");
        assert!(out.status.success(), "reset failed: {out:?}");
    }

    /// Runs `script` with boto3 clients `ec2`, `asg` and `ssm` on this server; it prints JSON.
    fn boto3(&self, script: &str) -> Value {
        let prelude = "import boto3, json\nkw = dict(endpoint_url=URL, region_name='us-east-1', aws_access_key_id='t', aws_secret_access_key='t')\nec2 = boto3.client('ec2', **kw)\nasg = boto3.client('autoscaling', **kw)\nssm = boto3.client('ssm', **kw)\n";
        let program = format!("URL = {:?}\n{prelude}{script}", self.url);
        let out = Command::new(venv("python")).args(["-c", &program]).output().expect("python runs");
        assert!(out.status.success(), "boto3 script failed: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
    }

    /// Non-terminated instances: [{"id", "image", "tags": {k: v}}].
    fn instances(&self) -> Vec<Value> {
        let script = "r = ec2.describe_instances(Filters=[{'Name': 'instance-state-name', 'Values': ['pending', 'running', 'stopping', 'stopped']}])\nprint(json.dumps([{'id': i['InstanceId'], 'image': i['ImageId'], 'tags': {t['Key']: t['Value'] for t in i.get('Tags', [])}} for res in r['Reservations'] for i in res['Instances']]))";
        self.boto3(script).as_array().cloned().unwrap_or_default()
    }

    fn groups_and_templates(&self) -> Value {
        self.boto3("print(json.dumps({'groups': [{'name': g['AutoScalingGroupName'], 'zones': g['AvailabilityZones'], 'tags': {t['Key']: t['Value'] for t in g.get('Tags', [])}} for g in asg.describe_auto_scaling_groups()['AutoScalingGroups']], 'templates': [t['LaunchTemplateName'] for t in ec2.describe_launch_templates()['LaunchTemplates']]}))")
    }

    /// The conversation `turns`, piped into the binary with a state directory of its own.
    fn converse(&self, args: &[&str], turns: &[&str]) -> String {
        let home = tempfile::tempdir().unwrap();
        let mut all = vec!["--aws-endpoint", &self.url, "--log-seconds", "1", "--quiet"];
        all.extend(args);
        let out = common::agent_piped(home.path(), &all, &(turns.join("\n") + "\n"));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

/// The commands a deployment printed after "Pre-flight passed. Sending:".
fn sent_commands(out: &str) -> Vec<String> {
    let after = out.split("Pre-flight passed. Sending:\n").nth(1).unwrap_or_else(|| panic!("no plan printed:\n{out}"));
    after.lines().take_while(|l| l.starts_with("aws ")).map(String::from).collect()
}

// One server for every scenario, reset in between: starting moto costs seconds.
#[test]
fn deployments_are_checked_before_anything_is_created_and_can_be_found_again() {
    let moto = Moto::start();

    // The default image is the region's latest Amazon Linux 2023 for the type's architecture,
    // read from AWS's public SSM parameter, and everything created carries the tool's tags.
    let out = moto.converse(&[], &["4 RAM", "deploy"]);
    assert!(out.contains("Deployment complete."), "{out}");
    let latest =
        moto.boto3("print(json.dumps(ssm.get_parameter(Name='/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64')['Parameter']['Value']))");
    let instances = moto.instances();
    assert_eq!(instances.len(), 1, "{out}");
    assert_eq!(instances[0]["image"], latest, "t4g.medium is arm64: {out}");
    assert!(instances[0]["tags"]["aws-agent:session"].is_string() && instances[0]["tags"]["Name"] == "aws-agent", "{}", instances[0]);

    // A key pair and security group are checked, then sent: a missing key pair creates nothing.
    moto.reset();
    let group =
        moto.boto3("ec2.create_key_pair(KeyName='dev-key')\nprint(json.dumps(ec2.create_security_group(GroupName='web', Description='web')['GroupId']))");
    let group = group.as_str().expect("a security group id");
    let out = moto.converse(&[], &["use key pair nope-key", &format!("put it in {group}"), "deploy"]);
    assert!(out.contains("there is no key pair named \"nope-key\""), "{out}");
    assert!(moto.instances().is_empty(), "{out}");
    let out = moto.converse(&[], &["use my key pair dev-key", &format!("put it in {group}"), "deploy"]);
    assert!(out.contains("--key-name 'dev-key' --security-group-ids"), "{out}");
    let launched = moto.boto3("print(json.dumps([[i['KeyName'], [g['GroupId'] for g in i['SecurityGroups']]] for r in ec2.describe_instances()['Reservations'] for i in r['Instances']]))");
    assert_eq!(launched, serde_json::json!([["dev-key", [group]]]), "{out}");

    // Once an endpoint is up, a named image that does not fit the type is flagged when set.
    moto.reset();
    let out = moto.converse(&[], &["4 RAM", "deploy", "set the image id to ami-760aaa0f"]);
    assert!(out.contains("warning: ImageId ami-760aaa0f is an x86_64 image and InstanceType t4g.medium is arm64"), "{out}");

    // An image of another architecture: nothing is created, and the message names both.
    moto.reset();
    let out = moto.converse(&[], &["4 RAM", "set the image id to ami-760aaa0f", "deploy"]);
    assert!(out.contains("ami-760aaa0f is an x86_64 image and InstanceType t4g.medium is arm64"), "{out}");
    assert!(out.contains("Nothing was created"), "{out}");
    assert!(moto.instances().is_empty());

    // A zone that does not offer the type: nothing is created; the offering zones are named.
    moto.reset();
    let out = moto.converse(&[], &["2 cpu and 2 ram", "enable autoscaling", "set the availability zone to us-east-1e", "deploy"]);
    assert!(
        out.contains(
            "t4g.small is not offered in us-east-1e; the zones of us-east-1 that offer it are us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1f"
        ),
        "{out}"
    );
    assert_eq!(moto.groups_and_templates(), serde_json::json!({ "groups": [], "templates": [] }));

    // Zone us-east-1a with a subnet in us-east-1b: the group is placed by the subnet alone, as
    // shown, and the commands printed, run by the aws CLI, are accepted as they are.
    moto.reset();
    let subnet =
        moto.boto3("print(json.dumps(ec2.describe_subnets(Filters=[{'Name': 'availability-zone', 'Values': ['us-east-1b']}])['Subnets'][0]['SubnetId']))");
    let subnet = subnet.as_str().expect("a default subnet in us-east-1b");
    let out = moto
        .converse(&[], &["2 cpu and 2 ram", "enable autoscaling", "set the availability zone to us-east-1a", &format!("set the subnet to {subnet}"), "deploy"]);
    assert!(out.contains("Deployment complete."), "{out}");
    assert_eq!(moto.groups_and_templates()["groups"][0]["zones"], serde_json::json!(["us-east-1b"]), "{out}");
    let commands = sent_commands(&out);
    let again = moto.converse(&[], &["2 cpu and 2 ram", "enable autoscaling", "deploy"]);
    assert!(again.contains("a launch template named aws-agent-template already exists here"), "names are checked before anything is created: {again}");
    assert!(commands.iter().all(|c| !c.contains("--availability-zones")), "never both zones and subnets: {commands:?}");
    let home = tempfile::tempdir().unwrap();
    let gone = common::agent_piped(home.path(), &["--aws-endpoint", &moto.url, "teardown", "--all", "--yes"], "");
    assert!(gone.status.success(), "{}", String::from_utf8_lossy(&gone.stdout));
    for command in &commands {
        let cli = Command::new("sh")
            .args(["-c", &format!("{}/{command}", common::repo().join(".venv/bin").display())])
            .env("AWS_ENDPOINT_URL", &moto.url)
            .env("AWS_ACCESS_KEY_ID", "t")
            .env("AWS_SECRET_ACCESS_KEY", "t")
            .output()
            .expect("the aws CLI runs");
        assert!(cli.status.success(), "{command}\n{}", String::from_utf8_lossy(&cli.stderr));
    }
    assert!(moto.groups_and_templates()["groups"][0]["tags"]["aws-agent:session"].is_string());

    // A type the region does not offer is refused when it is set, with what it has instead.
    let out = moto.converse(&["--region", "eu-central-1"], &["set instance type to m1.small", "show config"]);
    assert!(out.contains("m1.small is not offered in eu-central-1; nearest offered: t3a.small"), "{out}");
    assert!(out.contains("│ InstanceType ┆ t2.micro"), "unchanged: {out}");

    // A deploy in one process, `teardown --all` in another with an empty state directory:
    // nothing this tool created is left.
    moto.reset();
    moto.converse(&[], &["cheapest with 2 cpus", "enable autoscaling", "min size 2 max size 3", "deploy"]);
    moto.converse(&[], &["4 RAM", "deploy"]);
    assert!(moto.instances().len() >= 3, "both deployments ran");
    let home = tempfile::tempdir().unwrap();
    let gone = common::agent_piped(home.path(), &["--aws-endpoint", &moto.url, "teardown", "--all", "--yes"], "");
    let listed = String::from_utf8_lossy(&gone.stdout);
    assert!(gone.status.success() && listed.contains("Auto Scaling group aws-agent-template-asg"), "{listed}");
    assert!(moto.instances().is_empty(), "{listed}");
    assert_eq!(moto.groups_and_templates(), serde_json::json!({ "groups": [], "templates": [] }), "{listed}");
}
