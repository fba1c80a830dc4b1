//! Deploying through the AWS SDK to a real moto server over HTTP. The tests share one server,
//! one at a time, reset (moto's reset API) before each, so none sees another's resources; boto3
//! counts what exists.
//!
//! Plain and autoscaling deployments, checked by describing what exists; teardown, cancelled
//! and confirmed; deploying twice (the second creates nothing), after a change (the group
//! updated in place; a plain instance's new type asks before a second copy); resuming from the
//! saved state; Spot deploys; an unreachable endpoint; the lazily started (or missing)
//! simulator, which Ctrl-C at the terminal never reaches and which is restarted if it dies; the
//! issue's piped session; Ctrl-C stopping the console stream; and what moto would wrongly accept
//! never being sent. Rollback after a refused group, a console that cannot be followed after a
//! deployment, and Ctrl-C during a deployment or pre-flight (`cancel.rs`), use
//! `common/fake_aws.rs`, a scripted endpoint.
mod common;

use aws_agent::aws::{Settings, Target};
use aws_agent::capability::config::Ec2Update;
use aws_agent::capability::console::Sink;
use aws_agent::catalog::Source;
use aws_agent::router::Call;
use aws_agent::session::{Options, Session, Turn};
use std::time::{Duration, Instant};

fn shared_moto() -> std::sync::MutexGuard<'static, common::moto::Moto> {
    common::moto::shared()
}

fn session(target: Target) -> Session {
    let options = Options {
        plugin_dirs: vec![aws_agent::plugin::PluginDir { path: common::builtin_plugins(), builtin: true }],
        grants: Default::default(),
        catalog: Source::Directory(common::fixtures().join("catalog")),
        cache_dir: common::cache_dir(),
        limits: Default::default(),
        sink: Sink::Buffer(vec![]),
        aws: Settings { target, log_seconds: 1 },
        region: "us-east-1".into(),
        quiet: false,
        llm: aws_agent::llm::Settings::offline(),
    };
    Session::start(options).unwrap().0
}

/// A session that answers yes to every question it asks.
fn confirmed(target: Target) -> Session {
    let mut s = session(target);
    s.caps().confirm = Box::new(aws_agent::capability::confirm::Answer::Yes);
    s
}

fn run(s: &mut Session, intent: &str) -> (Turn, String) {
    let turn = s.execute(Call { intent: intent.into(), args: vec![] });
    (turn, s.caps().console.take_lines().join("\n"))
}

fn say(s: &mut Session, text: &str) {
    let turn = s.turn(text);
    let shown = s.caps().console.take_lines().join("\n");
    assert!(matches!(turn, Turn::Ran { .. }), "{text:?}: {shown}");
}

/// Clients of our own, to check what really exists on the server.
struct Check {
    rt: tokio::runtime::Runtime,
    ec2: aws_sdk_ec2::Client,
    asg: aws_sdk_autoscaling::Client,
}

impl Check {
    fn new(url: &str) -> Check {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let config = rt.block_on(
            aws_config::defaults(aws_config::BehaviorVersion::latest())
                .region(aws_config::Region::new("us-east-1"))
                .endpoint_url(url)
                .credentials_provider(aws_sdk_ec2::config::Credentials::new("t", "t", None, None, "test"))
                .load(),
        );
        Check { rt, ec2: aws_sdk_ec2::Client::new(&config), asg: aws_sdk_autoscaling::Client::new(&config) }
    }

    fn templates(&self) -> Vec<String> {
        let out = self.rt.block_on(self.ec2.describe_launch_templates().send()).unwrap();
        out.launch_templates().iter().filter_map(|t| t.launch_template_name().map(String::from)).collect()
    }

    fn template_type(&self, name: &str) -> Option<String> {
        let out = self.rt.block_on(self.ec2.describe_launch_template_versions().launch_template_name(name).send()).unwrap();
        out.launch_template_versions().first()?.launch_template_data()?.instance_type().map(|t| t.as_str().to_string())
    }

    /// (name, min, max, desired) of every group.
    fn groups(&self) -> Vec<(String, i32, i32, i32)> {
        let out = self.rt.block_on(self.asg.describe_auto_scaling_groups().send()).unwrap();
        out.auto_scaling_groups()
            .iter()
            .map(|g| {
                (
                    g.auto_scaling_group_name().unwrap_or_default().to_string(),
                    g.min_size().unwrap_or(-1),
                    g.max_size().unwrap_or(-1),
                    g.desired_capacity().unwrap_or(-1),
                )
            })
            .collect()
    }

    /// (instance id, type, state) of every instance.
    fn instances(&self) -> Vec<(String, String, String)> {
        let out = self.rt.block_on(self.ec2.describe_instances().send()).unwrap();
        out.reservations()
            .iter()
            .flat_map(|r| r.instances())
            .map(|i| {
                let state = i.state().and_then(|s| s.name()).map_or(String::new(), |n| n.as_str().to_string());
                (i.instance_id().unwrap_or_default().to_string(), i.instance_type().map_or(String::new(), |t| t.as_str().to_string()), state)
            })
            .collect()
    }
}

#[test]
fn plain_deploy_runs_instances_and_streams_the_console_then_teardown_terminates_them() {
    let moto = shared_moto();
    let check = Check::new(&moto.url);
    let mut s = confirmed(Target::Endpoint(moto.url.clone()));
    say(&mut s, "cheapest with 2 cpu and 4 ram");
    say(&mut s, "change min count to 2 and max count to 2");
    let (turn, shown) = run(&mut s, "deploy");
    assert!(matches!(turn, Turn::Ran { .. }), "{shown}");
    assert!(shown.contains("aws ec2 run-instances --region us-east-1 --image-id resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64 --instance-type t4g.medium --count 2:2"), "{shown}");
    assert!(shown.contains("Cost: 2 x t4g.medium"), "{shown}");
    assert!(shown.contains("Linux version"), "the console log is streamed: {shown}");
    let running: Vec<_> = check.instances().into_iter().filter(|(_, t, state)| t == "t4g.medium" && state == "running").collect();
    assert_eq!(running.len(), 2, "{running:?}");
    for (id, _, _) in &running {
        assert!(shown.contains(&format!("instance {id}")), "{shown}");
    }

    let (turn, shown) = run(&mut s, "teardown");
    assert!(matches!(turn, Turn::Ran { .. }), "{shown}");
    assert!(check.instances().iter().all(|(_, _, state)| state == "terminated" || state == "shutting-down"), "{:?}", check.instances());
    let (_, shown) = run(&mut s, "teardown");
    assert!(shown.starts_with("Nothing to tear down"), "{shown}");
}

#[test]
fn autoscaling_deploy_creates_the_group_and_template_as_configured() {
    let moto = shared_moto();
    let check = Check::new(&moto.url);
    let mut s = confirmed(Target::Endpoint(moto.url.clone()));
    say(&mut s, "cheapest with 2 cpu and 4 ram");
    say(&mut s, "enable autoscaling");
    say(&mut s, "min size 1 max size 3 desired capacity 2");
    let started = Instant::now();
    let (turn, shown) = run(&mut s, "deploy");
    eprintln!("autoscaling deploy against moto took {:?} (1 s of it console stream)", started.elapsed());
    assert!(matches!(turn, Turn::Ran { .. }), "{shown}");
    assert_eq!(check.groups(), [("aws-agent-template-asg".to_string(), 1, 3, 2)]);
    assert_eq!(check.template_type("aws-agent-template").as_deref(), Some("t4g.medium"));
    assert!(shown.contains("Created:\nlaunch template aws-agent-template\nAuto Scaling group aws-agent-template-asg"), "{shown}");

    let (turn, shown) = run(&mut s, "teardown");
    assert!(matches!(turn, Turn::Ran { .. }), "{shown}");
    assert!(shown.contains("Auto Scaling group aws-agent-template-asg") && shown.contains("launch template aws-agent-template"), "{shown}");
    assert!(check.groups().is_empty(), "{:?}", check.groups());
    assert!(check.templates().is_empty(), "{:?}", check.templates());
}

#[test]
fn a_group_refused_after_the_template_was_created_is_rolled_back() {
    // moto cannot be made to refuse a group that pre-flight passed, so a scripted endpoint does.
    let (url, actions) = common::fake_aws::start(|action| match action {
        "CreateLaunchTemplate" => common::fake_aws::ec2_ok(
            action,
            "<launchTemplate><launchTemplateId>lt-0a1b2c3d</launchTemplateId><launchTemplateName>aws-agent-template</launchTemplateName></launchTemplate>",
        ),
        "CreateAutoScalingGroup" => common::fake_aws::refused("AlreadyExists", "AutoScalingGroup by this name already exists"),
        "DeleteLaunchTemplate" => {
            common::fake_aws::ec2_ok(action, "<launchTemplate><launchTemplateName>aws-agent-template</launchTemplateName></launchTemplate>")
        }
        other => common::fake_aws::preflight(other).unwrap_or_else(|| common::fake_aws::refused("Unsupported", "not scripted")),
    });
    let mut s = session(Target::Endpoint(url));
    say(&mut s, "enable autoscaling");
    let (turn, shown) = run(&mut s, "deploy");
    let Turn::Failed { message, .. } = turn else { panic!("the refused group was reported as deployed: {shown}") };
    assert!(message.contains("CreateAutoScalingGroup failed: AlreadyExists"), "{message}");
    assert!(message.contains("Rolled back: deleted launch template aws-agent-template."), "{message}");
    let seen = actions.lock().unwrap().clone();
    assert_eq!(seen[seen.len() - 3..], ["CreateLaunchTemplate", "CreateAutoScalingGroup", "DeleteLaunchTemplate"], "{seen:?}");
    let (_, shown) = run(&mut s, "teardown");
    assert!(shown.starts_with("Nothing to tear down"), "a rolled-back deployment leaves nothing to tear down: {shown}");
}

#[test]
fn an_unreachable_endpoint_fails_within_seconds() {
    let mut s = session(Target::Endpoint("http://127.0.0.1:9".into()));
    let started = Instant::now();
    let (turn, shown) = run(&mut s, "deploy");
    let Turn::Failed { message, .. } = turn else { panic!("deployed to nothing: {shown}") };
    assert!(started.elapsed() < Duration::from_secs(15), "took {:?}", started.elapsed());
    assert!(message.contains("cannot reach the AWS endpoint http://127.0.0.1:9: Connection refused"), "{message}");
    assert!(message.contains("Nothing was created."), "{message}");
}

#[test]
fn the_simulator_starts_on_first_use_and_a_missing_one_says_how_to_fix_it() {
    let mut s = session(Target::Simulator { moto_server: common::moto::venv("moto_server") });
    let (turn, shown) = run(&mut s, "deploy");
    assert!(matches!(turn, Turn::Ran { .. }), "{shown}");
    assert!(shown.contains("Starting the local AWS simulator"), "{shown}");

    let mut s = session(Target::Simulator { moto_server: "/nonexistent/moto_server".into() });
    let (turn, shown) = run(&mut s, "deploy");
    let Turn::Failed { message, .. } = turn else { panic!("deployed without a simulator: {shown}") };
    assert!(message.contains("cannot start the AWS simulator /nonexistent/moto_server"), "{message}");
    assert!(message.contains("Run `make run` once"), "{message}");
}

#[test]
fn the_piped_session_from_the_issue_deploys() {
    let moto = shared_moto();
    let script = "2 cpu and 4 ram\nenable autoscaling\nmin size 1 max size 3 desired capacity 2\ndeploy\n";
    let home = tempfile::tempdir().unwrap();
    let out = common::agent_piped(home.path(), &["--aws-endpoint", &moto.url, "--log-seconds", "2"], script);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("Auto Scaling group aws-agent-template-asg"), "{stdout}");
    assert!(stdout.contains("Deployment complete."), "{stdout}");
    assert_eq!(Check::new(&moto.url).groups(), [("aws-agent-template-asg".to_string(), 1, 3, 2)]);
}

#[test]
fn ctrl_c_stops_the_console_stream_not_the_program() {
    use std::io::{BufRead, BufReader, Write};
    let moto = shared_moto();
    let home = tempfile::tempdir().unwrap();
    let mut child = common::agent(home.path()).args(["--aws-endpoint", &moto.url, "--log-seconds", "120"]).spawn().unwrap();
    child.stdin.take().unwrap().write_all(b"deploy\nshow config\n").unwrap();
    let (lines_tx, lines) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || BufReader::new(stdout).lines().map_while(Result::ok).for_each(|l| drop(lines_tx.send(l))));
    let wait_for = |needle: &str| loop {
        let line = lines.recv_timeout(Duration::from_secs(30)).unwrap_or_else(|_| panic!("no {needle:?} in time"));
        if line.contains(needle) {
            break;
        }
    };
    wait_for("Console output of");
    std::thread::sleep(Duration::from_millis(500));
    let started = Instant::now();
    // SAFETY: sending a signal to our own child process.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGINT) }, 0);
    wait_for("(console stream stopped)");
    wait_for("Equivalent aws CLI commands:");
    assert!(child.wait().unwrap().success());
    assert!(started.elapsed() < Duration::from_secs(20), "the stream did not stop at once: {:?}", started.elapsed());
}

#[test]
fn what_moto_would_wrongly_accept_is_never_sent() {
    let moto = shared_moto();
    let check = Check::new(&moto.url);
    let mut s = session(Target::Endpoint(moto.url.clone()));
    // The configuration rules refuse these on update; set them directly, as a corrupted
    // session file might, to show the deploy capability checks again before sending.
    s.caps().config.ec2.instance_type = "t3.nonsense".into();
    s.caps().config.ec2.image_id = "ami-xyz".into();
    s.caps().config.asg.enabled = true;
    s.caps().config.asg.min_size = 3;
    s.caps().config.asg.availability_zones = vec!["eu-west-1a".into()];
    let (turn, shown) = run(&mut s, "deploy");
    let Turn::Failed { message, .. } = turn else { panic!("sent an invalid configuration: {shown}") };
    for problem in [
        "InstanceType t3.nonsense is not in the catalog",
        "ImageId \"ami-xyz\" is not an AMI id",
        "MinSize (3) must not exceed MaxSize (1)",
        "\"eu-west-1a\" is not a zone of region us-east-1",
    ] {
        assert!(message.contains(problem), "{problem:?} missing from {message}");
    }
    assert!(message.starts_with("Not deployed."), "{message}");
    assert!(check.templates().is_empty() && check.groups().is_empty() && check.instances().is_empty());
}

/// What exists on the shared server: (groups, templates with their versions' types, instances).
fn counts(moto: &common::moto::Moto) -> (Vec<serde_json::Value>, serde_json::Value, Vec<serde_json::Value>) {
    let c = moto.counts();
    (c["groups"].as_array().cloned().unwrap_or_default(), c["templates"].clone(), c["instances"].as_array().cloned().unwrap_or_default())
}

#[test]
fn deploying_twice_creates_nothing_and_a_change_updates_the_group_in_place() {
    let moto = shared_moto();
    let mut s = confirmed(Target::Endpoint(moto.url.clone()));
    say(&mut s, "enable autoscaling");
    let (turn, shown) = run(&mut s, "deploy");
    assert!(matches!(turn, Turn::Ran { .. }), "{shown}");
    let first = counts(&moto);
    assert_eq!((first.0.len(), first.2.len()), (1, 1), "{first:?}");

    let (turn, shown) = run(&mut s, "deploy");
    assert!(matches!(turn, Turn::Ran { .. }), "{shown}");
    assert!(shown.starts_with("Already deployed in us-east-1: launch template aws-agent-template, Auto Scaling group aws-agent-template-asg"), "{shown}");
    assert!(!shown.contains("Pre-flight"), "nothing was sent: {shown}");
    assert_eq!(counts(&moto), first, "the second deploy created nothing");

    say(&mut s, "max size 3");
    say(&mut s, "desired capacity 2");
    s.caps().update_ec2(Ec2Update { instance_type: Some("t3.micro".into()), ..Default::default() }).unwrap();
    let (turn, shown) = run(&mut s, "deploy");
    assert!(matches!(turn, Turn::Ran { .. }), "{shown}");
    assert!(shown.contains("InstanceType t2.micro → t3.micro\nMaxSize 1 → 3\nDesiredCapacity 1 → 2"), "{shown}");
    assert!(shown.contains("aws ec2 create-launch-template-version --region us-east-1 --launch-template-name aws-agent-template"), "{shown}");
    assert!(shown.contains("aws autoscaling update-auto-scaling-group --region us-east-1 --auto-scaling-group-name aws-agent-template-asg"), "{shown}");
    let (groups, templates, instances) = counts(&moto);
    assert_eq!(groups.len(), 1, "updated in place, not a second group: {groups:?}");
    assert_eq!((groups[0]["max"].as_i64(), groups[0]["desired"].as_i64()), (Some(3), Some(2)), "{groups:?}");
    assert_eq!(templates, serde_json::json!({"aws-agent-template": ["t2.micro", "t3.micro"]}));
    assert_eq!(instances.len(), 2, "{instances:?}");

    let (turn, shown) = run(&mut s, "deploy");
    assert!(matches!(turn, Turn::Ran { .. }) && shown.starts_with("Already deployed"), "after the update it is the deployed configuration: {shown}");
}

#[test]
fn a_plain_instances_new_type_asks_before_a_second_copy() {
    let moto = shared_moto();
    let mut s = session(Target::Endpoint(moto.url.clone()));
    let (turn, shown) = run(&mut s, "deploy");
    assert!(matches!(turn, Turn::Ran { .. }), "{shown}");
    s.caps().update_ec2(Ec2Update { instance_type: Some("t3.micro".into()), ..Default::default() }).unwrap();

    let (confirm, asked) = common::confirm::answering(&[false]);
    s.caps().confirm = confirm;
    let (turn, shown) = run(&mut s, "deploy");
    let Turn::Failed { message, .. } = turn else { panic!("a second copy without a yes: {shown}") };
    assert!(shown.contains("warning: AWS cannot apply this in place: AWS cannot change running instances in place"), "{shown}");
    assert!(message.contains("Not deployed: you did not confirm. Nothing was created"), "{message}");
    assert!(asked.lock().unwrap()[0].0.starts_with("Create a second copy beside what runs now (instance i-"), "{asked:?}");
    assert_eq!(counts(&moto).2.len(), 1, "nothing new runs");

    let (confirm, _) = common::confirm::answering(&[true]);
    s.caps().confirm = confirm;
    let (turn, shown) = run(&mut s, "deploy");
    assert!(matches!(turn, Turn::Ran { .. }), "{shown}");
    let types: Vec<String> = counts(&moto).2.iter().map(|i| i["type"].as_str().unwrap_or_default().to_string()).collect();
    assert_eq!(types.len(), 2, "{types:?}");
    assert!(types.contains(&"t2.micro".to_string()) && types.contains(&"t3.micro".to_string()), "the second copy runs beside the first: {types:?}");
}

#[test]
fn teardown_lists_what_it_deletes_with_its_cost_and_deletes_only_on_a_yes() {
    let moto = shared_moto();
    let mut s = session(Target::Endpoint(moto.url.clone()));
    say(&mut s, "enable autoscaling");
    say(&mut s, "min size 1 max size 3 desired capacity 2");
    let (turn, shown) = run(&mut s, "deploy");
    assert!(matches!(turn, Turn::Ran { .. }), "{shown}");
    let deployed = counts(&moto);

    let (confirm, asked) = common::confirm::answering(&[false]);
    s.caps().confirm = confirm;
    let (turn, shown) = run(&mut s, "teardown");
    let Turn::Failed { message, .. } = turn else { panic!("deleted without a yes: {shown}") };
    assert!(message.contains("Not torn down: you did not confirm. Nothing was deleted."), "{message}");
    let (question, details) = asked.lock().unwrap()[0].clone();
    assert_eq!(question, "Delete these 2 resources in AWS region us-east-1? This cannot be undone.");
    let ids = deployed.2.iter().map(|i| i["id"].as_str().unwrap_or_default().to_string()).collect::<Vec<_>>().join(", ");
    assert_eq!(
        details,
        [
            "launch template aws-agent-template in us-east-1 (no charge of its own)".to_string(),
            format!("Auto Scaling group aws-agent-template-asg in us-east-1: DesiredCapacity 2 x t2.micro, $0.0232/hour; instances {ids}"),
            "Together $0.0232/hour, $16.94/month on demand.".to_string(),
        ]
    );
    assert!(shown.contains(&details[1]), "the list is shown before the question: {shown}");
    assert_eq!(counts(&moto), deployed, "a cancelled teardown deletes nothing");

    let (confirm, _) = common::confirm::answering(&[true]);
    s.caps().confirm = confirm;
    let (turn, shown) = run(&mut s, "teardown");
    assert!(matches!(turn, Turn::Ran { .. }), "{shown}");
    assert_eq!(moto.counts(), serde_json::json!({"groups": [], "templates": {}, "instances": []}), "{shown}");
    let (_, shown) = run(&mut s, "teardown");
    assert!(shown.starts_with("Nothing to tear down"), "{shown}");
}

#[test]
fn a_resumed_session_knows_what_it_deployed_and_tears_it_down() {
    let moto = shared_moto();
    let saved = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let mut first = session(Target::Endpoint(moto.url.clone()));
    let keep = saved.clone();
    first.caps().aws.set_persist(Box::new(move |state| *keep.lock().unwrap() = serde_json::to_string(state).unwrap()));
    say(&mut first, "enable autoscaling");
    let (turn, shown) = run(&mut first, "deploy");
    assert!(matches!(turn, Turn::Ran { .. }), "{shown}");
    let config = first.caps().config.clone();
    drop(first);
    let deployed = counts(&moto);

    // What a session file holds, read back by a new process (here: a new session).
    let state: aws_agent::capability::aws::State = serde_json::from_str(&saved.lock().unwrap()).unwrap();
    assert_eq!(state.deployments.len(), 1, "{state:?}");
    let mut resumed = confirmed(Target::Endpoint(moto.url.clone()));
    resumed.caps().config = config;
    resumed.caps().aws.restore(state);
    let (turn, shown) = run(&mut resumed, "deploy");
    assert!(matches!(turn, Turn::Ran { .. }) && shown.starts_with("Already deployed"), "{shown}");
    assert_eq!(counts(&moto), deployed, "a resumed deploy of the same configuration creates nothing");
    let (turn, shown) = run(&mut resumed, "teardown");
    assert!(matches!(turn, Turn::Ran { .. }) && shown.contains("Auto Scaling group aws-agent-template-asg"), "{shown}");
    assert_eq!(moto.counts(), serde_json::json!({"groups": [], "templates": {}, "instances": []}), "{shown}");
}

#[test]
fn a_group_deleted_outside_the_session_is_already_deleted_and_forgotten() {
    let moto = shared_moto();
    let mut s = confirmed(Target::Endpoint(moto.url.clone()));
    let (turn, shown) = run(&mut s, "deploy");
    assert!(matches!(turn, Turn::Ran { .. }), "{shown}");
    let id = counts(&moto).2[0]["id"].as_str().unwrap().to_string();
    moto.boto3(&format!("ec2.terminate_instances(InstanceIds=[{id:?}])\nprint('{{}}')"));
    let (turn, shown) = run(&mut s, "teardown");
    assert!(matches!(turn, Turn::Ran { .. }), "{shown}");
    assert!(shown.contains(&format!("instance {id} (already deleted)")), "{shown}");
    assert!(s.caps().aws.state().deployments.is_empty(), "forgotten");
}

#[test]
fn spot_instances_and_spot_groups_are_sent_as_aws_documents() {
    let moto = shared_moto();
    let mut s = confirmed(Target::Endpoint(moto.url.clone()));
    s.caps().update_ec2(Ec2Update { market_type: Some("spot".into()), ..Default::default() }).unwrap();
    let (turn, shown) = run(&mut s, "deploy");
    assert!(matches!(turn, Turn::Ran { .. }), "{shown}");
    assert!(shown.contains(r#"--instance-market-options '{"MarketType":"spot"}'"#), "{shown}");
    assert!(shown.contains("Spot: AWS reported no current Spot price; the on-demand price is the ceiling."), "moto's placeholder is no price: {shown}");
    let instances = counts(&moto).2;
    assert_eq!(instances.len(), 1);
    assert_eq!(instances[0]["lifecycle"], "spot", "{instances:?}");
    run(&mut s, "teardown");

    say(&mut s, "enable autoscaling");
    let (turn, shown) = run(&mut s, "deploy");
    assert!(matches!(turn, Turn::Ran { .. }), "{shown}");
    assert!(shown.contains(r#""InstancesDistribution":{"OnDemandBaseCapacity":0,"OnDemandPercentageAboveBaseCapacity":0"#), "{shown}");
    let groups = counts(&moto).0;
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0]["spot"], true, "an all-Spot mixed instances policy: {groups:?}");
}

#[test]
fn a_console_that_cannot_be_followed_leaves_a_complete_deployment_saved_before_the_stream() {
    const INSTANCE: &str = "i-0123456789abcdef0";
    let (url, actions) = common::fake_aws::start(|action| match action {
        "RunInstances" => common::fake_aws::ec2_ok(
            action,
            &format!("<reservationId>r-1</reservationId><ownerId>1</ownerId><instancesSet><item><instanceId>{INSTANCE}</instanceId></item></instancesSet>"),
        ),
        "GetConsoleOutput" => common::fake_aws::ec2_refused("UnauthorizedOperation", "You are not authorized to perform: ec2:GetConsoleOutput"),
        "TerminateInstances" => common::fake_aws::ec2_ok(
            action,
            &format!("<instancesSet><item><instanceId>{INSTANCE}</instanceId><previousState><name>running</name></previousState></item></instancesSet>"),
        ),
        other => common::fake_aws::preflight(other).unwrap_or_else(|| common::fake_aws::refused("Unsupported", "not scripted")),
    });
    let mut s = confirmed(Target::Endpoint(url));
    let log = actions.clone();
    s.caps().aws.set_persist(Box::new(move |state| log.lock().unwrap().push(format!("persist {}", state.deployments.len()))));
    let (turn, shown) = run(&mut s, "deploy");
    assert!(matches!(turn, Turn::Ran { .. }), "a deployment that succeeded is a success: {shown}");
    let complete = shown.find("Deployment complete.").unwrap_or_else(|| panic!("{shown}"));
    let warning = shown
        .find("warning: the console output of i-0123456789abcdef0 could not be followed (GetConsoleOutput failed: UnauthorizedOperation")
        .unwrap_or_else(|| panic!("{shown}"));
    assert!(complete < warning && shown.contains("the deployment is complete and running"), "{shown}");
    assert!(!shown.contains("did not finish"), "{shown}");
    let seen = actions.lock().unwrap().clone();
    let saved = seen.iter().position(|a| a == "persist 1").unwrap_or_else(|| panic!("{seen:?}"));
    let streamed = seen.iter().position(|a| a == "GetConsoleOutput").unwrap_or_else(|| panic!("{seen:?}"));
    assert!(saved < streamed, "saved before the stream: {seen:?}");
    let (turn, shown) = run(&mut s, "teardown");
    assert!(matches!(turn, Turn::Ran { .. }) && shown.contains(&format!("instance {INSTANCE}")), "a later teardown finds it: {shown}");
}

/// The process ids of `pid`'s children (Linux /proc).
fn children(pid: u32) -> Vec<i32> {
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task")).map(|d| d.flatten().collect::<Vec<_>>()).unwrap_or_default();
    tasks
        .iter()
        .flat_map(|t| {
            std::fs::read_to_string(t.path().join("children")).unwrap_or_default().split_whitespace().filter_map(|p| p.parse().ok()).collect::<Vec<i32>>()
        })
        .collect()
}

#[test]
fn ctrl_c_at_the_terminal_never_reaches_the_simulator_and_a_dead_one_is_restarted() {
    use std::io::{BufRead, BufReader, Write};
    use std::os::unix::process::CommandExt;
    let home = tempfile::tempdir().unwrap();
    // Its own process group, as a shell gives a foreground job, so the test can signal the group
    // as a terminal's Ctrl-C does.
    let mut child = common::agent(home.path()).args(["--catalog", "tests/fixtures/catalog", "--log-seconds", "120"]).process_group(0).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let (lines_tx, lines) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || BufReader::new(stdout).lines().map_while(Result::ok).for_each(|l| drop(lines_tx.send(l))));
    let wait_for = |needle: &str| loop {
        let line = lines.recv_timeout(Duration::from_secs(60)).unwrap_or_else(|_| panic!("no {needle:?} in time"));
        if line.contains(needle) {
            break line;
        }
    };
    stdin.write_all(b"deploy\n").unwrap();
    wait_for("Console output of");
    // SAFETY: signals the process group this test started.
    assert_eq!(unsafe { libc::kill(-(child.id() as i32), libc::SIGINT) }, 0);
    wait_for("(console stream stopped)");
    stdin.write_all(b"deploy\n").unwrap();
    wait_for("Already deployed in us-east-1: instance i-");

    let simulator = children(child.id());
    assert_eq!(simulator.len(), 1, "one simulator: {simulator:?}");
    // SAFETY: stops the simulator this test's child started.
    assert_eq!(unsafe { libc::kill(simulator[0], libc::SIGKILL) }, 0);
    std::thread::sleep(Duration::from_millis(300));
    stdin.write_all(b"deploy\n").unwrap();
    wait_for("The local AWS simulator had stopped");
    wait_for("Console output of");
    // SAFETY: as above.
    assert_eq!(unsafe { libc::kill(-(child.id() as i32), libc::SIGINT) }, 0);
    wait_for("(console stream stopped)");
    drop(stdin);
    assert!(child.wait().unwrap().success());
}
