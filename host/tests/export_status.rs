//! Issue 27 against one moto server: the exported CloudFormation is judged by cfn-lint and by a
//! stack moto creates from it, whose resources boto3 finds with the configured values; the
//! exported Terraform is parsed by python-hcl2 and its resources and arguments checked against
//! the AWS provider's documented names (`tests/iac/`); `status` across two regions lists exactly
//! what two sessions deployed there, with drift after a change made with boto3; and
//! `teardown --all --all-regions` lists without deleting under `--dry-run`, refuses a script
//! without `--yes`, and with it leaves nothing tagged in any region.
mod common;

use aws_agent::aws::{Settings, Target};
use aws_agent::capability::config::{AsgUpdate, Ec2Update};
use aws_agent::capability::console::Sink;
use aws_agent::catalog::Source;
use aws_agent::plugin::Value;
use aws_agent::router::Call;
use aws_agent::session::{Options, Session, Turn};
use serde_json::json;
use std::process::Command;

fn session(url: &str, region: &str) -> Session {
    let options = Options {
        plugin_dirs: vec![common::trusted(common::builtin_plugins())],
        grants: Default::default(),
        catalog: Source::Directory(common::fixtures().join("catalog")),
        cache_dir: common::cache_dir(),
        limits: Default::default(),
        sink: Sink::Buffer(vec![]),
        aws: Settings { target: Target::Endpoint(url.into()), log_seconds: 0 },
        region: region.into(),
        quiet: true,
        llm: aws_agent::llm::Settings::offline(),
    };
    let mut s = Session::start(options).unwrap().0;
    s.caps().confirm = Box::new(aws_agent::capability::confirm::Answer::Yes);
    s
}

fn run(s: &mut Session, intent: &str, args: &[(&str, &str)]) -> String {
    let args = args.iter().map(|(k, v)| (k.to_string(), Value::Text(v.to_string()))).collect();
    let turn = s.execute(Call { intent: intent.into(), args });
    let shown = s.caps().console.take_lines().join("\n");
    assert!(matches!(turn, Turn::Ran { .. }), "{intent}: {shown}");
    shown
}

/// A group of 1–3 t3.small with two running, in us-east-1.
fn group_session(url: &str) -> Session {
    let mut s = session(url, "us-east-1");
    let caps = s.caps();
    caps.update_ec2(Ec2Update { instance_type: Some("t3.small".into()), ..Default::default() }).unwrap();
    caps.update_asg(AsgUpdate { enabled: Some(true), min_size: Some(1), max_size: Some(3), desired_capacity: Some(2), ..Default::default() }).unwrap();
    s
}

fn judge(script: &str, args: &[&str]) -> serde_json::Value {
    let out = Command::new(common::moto::venv("python")).arg(common::repo().join("tests/iac").join(script)).args(args).output().expect("python runs");
    assert!(out.status.success(), "{script}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

/// The template the export intent printed (everything after its first line).
fn template_of(shown: &str) -> String {
    shown.split_once('\n').map(|(_, t)| t.to_string()).unwrap_or_default()
}

#[test]
fn exported_cloudformation_lints_clean_and_builds_the_configured_group_on_moto() {
    let moto = common::moto::shared();
    let mut s = group_session(&moto.url);
    let session_tag = s.caps().plan().tags[1].1.clone();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("template.json");
    std::fs::write(&file, template_of(&run(&mut s, "export", &[("format", "cloudformation")]))).unwrap();
    let judged = judge("check_cloudformation.py", &[file.to_str().unwrap(), "--moto", &moto.url, "--region", "us-east-1", "--stack", "exported"]);
    assert_eq!(judged["lint"], json!([]), "cfn-lint reports nothing");
    assert_eq!(judged["status"], "CREATE_COMPLETE");
    let latest =
        moto.boto3("print(json.dumps(ssm.get_parameter(Name='/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64')['Parameter']['Value']))");
    assert_eq!(judged["templates"], json!({"aws-agent-template": {"type": "t3.small", "image": latest}}), "the image came from the SSM parameter");
    assert_eq!(
        judged["groups"],
        json!([{"name": "aws-agent-template-asg", "min": 1, "max": 3, "desired": 2, "zones": ["us-east-1a"], "spot": false,
                "tags": {"Name": "aws-agent-template-asg", "aws-agent:session": session_tag}}])
    );
    assert_eq!(judged["instances"].as_array().map(Vec::len), Some(2), "{judged}");
    assert_eq!(judged["outputs"]["AutoScalingGroupName"], "aws-agent-template-asg");

    // Plain Spot instances in a subnet: still clean, and what moto builds is what was asked.
    moto.reset();
    let subnet =
        moto.boto3("print(json.dumps(ec2.describe_subnets(Filters=[{'Name': 'availability-zone', 'Values': ['us-east-1b']}])['Subnets'][0]['SubnetId']))");
    let mut s = session(&moto.url, "us-east-1");
    let spot = Ec2Update { max_count: Some(2), market_type: Some("spot".into()), subnet_id: subnet.as_str().map(String::from), ..Default::default() };
    s.caps().update_ec2(spot).unwrap();
    std::fs::write(&file, template_of(&run(&mut s, "export", &[("format", "cloudformation")]))).unwrap();
    let judged = judge("check_cloudformation.py", &[file.to_str().unwrap(), "--moto", &moto.url, "--region", "us-east-1", "--stack", "plain"]);
    assert_eq!((judged["lint"].clone(), judged["status"].clone()), (json!([]), json!("CREATE_COMPLETE")), "{judged}");
    assert_eq!(judged["instances"].as_array().map(Vec::len), Some(2), "{judged}");
}

#[test]
fn exported_terraform_parses_and_uses_the_providers_names() {
    let moto = common::moto::shared();
    let mut s = group_session(&moto.url);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("main.tf");
    std::fs::write(&file, template_of(&run(&mut s, "export", &[("format", "terraform")]))).unwrap();
    let judged = judge("check_terraform.py", &[file.to_str().unwrap()]);
    assert_eq!(judged["unknown"], json!([]), "every block and argument is documented");
    let resources = &judged["resources"];
    assert_eq!(
        resources.as_object().map(|r| r.keys().cloned().collect::<Vec<_>>()),
        Some(vec!["aws_launch_template".to_string(), "aws_autoscaling_group".to_string()])
    );
    assert_eq!(resources["aws_autoscaling_group"]["name"], "aws-agent-template-asg");
    assert_eq!(resources["aws_launch_template"]["instance_type"], "${var.instance_type}");
    assert_eq!(judged["variables"]["instance_type"], "t3.small");
    assert_eq!(
        (judged["variables"]["min_size"].clone(), judged["variables"]["max_size"].clone(), judged["variables"]["desired_capacity"].clone()),
        (json!(1), json!(3), json!(2))
    );
    assert_eq!(judged["variables"]["region"], "us-east-1");
    assert_eq!(judged["data"]["aws_ssm_parameter"]["name"], "${var.image_parameter}");

    // Spot: an all-Spot mixed instances policy for the group, market options for instances.
    s.caps().update_ec2(Ec2Update { market_type: Some("spot".into()), ..Default::default() }).unwrap();
    std::fs::write(&file, template_of(&run(&mut s, "export", &[("format", "terraform")]))).unwrap();
    let judged = judge("check_terraform.py", &[file.to_str().unwrap()]);
    assert_eq!(judged["unknown"], json!([]));
    let policy = &judged["resources"]["aws_autoscaling_group"]["mixed_instances_policy"][0]["instances_distribution"][0];
    assert_eq!(policy["on_demand_percentage_above_base_capacity"], 0, "{judged}");
    s.caps().update_asg(AsgUpdate { enabled: Some(false), ..Default::default() }).unwrap();
    std::fs::write(&file, template_of(&run(&mut s, "export", &[("format", "terraform")]))).unwrap();
    let judged = judge("check_terraform.py", &[file.to_str().unwrap()]);
    assert_eq!(judged["unknown"], json!([]));
    assert_eq!(judged["resources"]["aws_instance"]["instance_market_options"][0]["market_type"], "spot", "{judged}");
}

/// The cells of the status intent's instance table: (region, instance id) per row.
fn listed(s: &mut Session) -> (Vec<(String, String)>, String) {
    let turn = s.execute(Call { intent: "status".into(), args: vec![("all_regions".into(), Value::Text("yes".into()))] });
    let caps = s.caps();
    let rows = caps.console.tables().first().map(|(_, rows)| rows.iter().map(|r| (r[0].clone(), r[1].clone())).collect()).unwrap_or_default();
    let shown = caps.console.take_lines().join("\n");
    assert!(matches!(turn, Turn::Ran { .. }), "{shown}");
    (rows, shown)
}

fn live_ids(moto: &common::moto::Moto, region: &str) -> Vec<(String, String)> {
    let ids = moto.counts_in(region)["instances"].as_array().cloned().unwrap_or_default();
    ids.iter().map(|i| (region.to_string(), i["id"].as_str().unwrap_or_default().to_string())).collect()
}

#[test]
fn status_lists_what_two_sessions_run_in_two_regions_and_names_the_drift() {
    let moto = common::moto::shared();
    let mut east = group_session(&moto.url);
    assert!(run(&mut east, "deploy", &[]).contains("Deployment complete."));
    let mut west = session(&moto.url, "eu-west-1");
    assert!(run(&mut west, "deploy", &[]).contains("Deployment complete."));
    moto.boto3("asg.update_auto_scaling_group(AutoScalingGroupName='aws-agent-template-asg', DesiredCapacity=3)\nprint('{}')");

    let (mut rows, shown) = listed(&mut east);
    let mut expected = [live_ids(&moto, "us-east-1"), live_ids(&moto, "eu-west-1")].concat();
    rows.sort();
    expected.sort();
    assert_eq!(rows, expected, "exactly what runs, in both regions: {shown}");
    assert_eq!(expected.iter().filter(|(r, _)| r == "us-east-1").count(), 3, "{expected:?}");
    assert!(shown.contains("Auto Scaling group aws-agent-template-asg (us-east-1): DesiredCapacity 3 on AWS, 2 in the configuration"), "{shown}");
    assert!(shown.contains("Running now in 3 regions: $0.0786/hour"), "3 x t3.small at $0.022 and a t2.micro at $0.0126 in eu-west-1: {shown}");
}

#[test]
fn teardown_all_regions_lists_on_a_dry_run_refuses_a_script_and_then_leaves_nothing_tagged() {
    let moto = common::moto::shared();
    let mut east = group_session(&moto.url);
    run(&mut east, "deploy", &[]);
    let mut south = session(&moto.url, "ap-south-1");
    run(&mut south, "deploy", &[]);
    let before = (moto.counts_in("us-east-1"), moto.counts_in("ap-south-1"));
    let home = tempfile::tempdir().unwrap();
    let teardown = |extra: &[&str]| {
        let mut args = vec!["--catalog", "tests/fixtures/catalog", "--aws-endpoint", &moto.url, "teardown", "--all", "--all-regions"];
        args.extend(extra);
        let out = common::agent_piped(home.path(), &args, "");
        (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
    };

    let (code, shown) = teardown(&["--dry-run"]);
    assert_eq!(code, Some(0), "{shown}");
    assert!(shown.contains("teardown would delete:") && shown.contains("Dry run: nothing was deleted."), "{shown}");
    assert!(shown.contains("Auto Scaling group aws-agent-template-asg in us-east-1") && shown.contains("in ap-south-1a (running): t2.micro"), "{shown}");
    assert!(shown.contains("Together $0.0564/hour"), "2 x t3.small at $0.022 and a t2.micro at $0.0124 in ap-south-1: {shown}");
    assert_eq!((moto.counts_in("us-east-1"), moto.counts_in("ap-south-1")), before, "a dry run deletes nothing");

    let (code, shown) = teardown(&[]);
    assert_eq!(code, Some(1), "{shown}");
    assert!(shown.contains("Nothing deleted: there is no terminal to ask on; pass --yes"), "{shown}");
    assert_eq!((moto.counts_in("us-east-1"), moto.counts_in("ap-south-1")), before, "unconfirmed, nothing is deleted");

    let (code, shown) = teardown(&["--yes"]);
    assert_eq!(code, Some(0), "{shown}");
    let empty = json!({"groups": [], "templates": {}, "instances": []});
    for region in ["us-east-1", "eu-west-1", "ap-south-1"] {
        assert_eq!(moto.counts_in(region), empty, "{region}: {shown}");
    }
    let (code, shown) = teardown(&["--yes"]);
    assert!(code == Some(0) && shown.contains("Nothing created by aws-agent is left (all 3 regions of the catalog were searched)."), "{shown}");
}
