//! Deploying through the AWS SDK to a real moto server over HTTP. The tests share one server,
//! one at a time, reset (moto's reset API) before each, so none sees another's resources.
//!
//! Plain and autoscaling deployments, checked by describing what exists; teardown; an unreachable
//! endpoint; the lazily started (or missing) simulator; the issue's piped session; Ctrl-C stopping
//! the console stream; and what moto would wrongly accept never being sent. Rollback after a
//! refused group, and Ctrl-C during a deployment (`cancel.rs`), use `common/fake_aws.rs`, a
//! scripted endpoint.
mod common;

use aws_agent::aws::{Settings, Simulator, Target};
use aws_agent::capability::console::Sink;
use aws_agent::catalog::Source;
use aws_agent::router::Call;
use aws_agent::session::{Options, Session, Turn};
use std::time::{Duration, Instant};

fn moto_server() -> std::path::PathBuf {
    let path = common::repo().join(".venv/bin/moto_server");
    assert!(path.is_file(), "{} is missing: `make test` installs it", path.display());
    path
}

/// The shared simulator's URL, reset, for as long as the guard is held (tests take turns).
fn shared_moto() -> std::sync::MutexGuard<'static, Moto> {
    static MOTO: std::sync::OnceLock<std::sync::Mutex<Moto>> = std::sync::OnceLock::new();
    let lock = MOTO.get_or_init(|| {
        // The server dies with the thread that started it (PR_SET_PDEATHSIG), so a thread that
        // lives as long as the test binary starts it.
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let moto = Simulator::start(&moto_server()).expect("moto starts");
            tx.send(moto.url.clone()).expect("the test waits for the URL");
            loop {
                std::thread::park();
            }
        });
        std::sync::Mutex::new(Moto { url: rx.recv().expect("moto started") })
    });
    let moto = lock.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let reset = std::process::Command::new("curl").args(["-s", "-X", "POST", &format!("{}/moto-api/reset", moto.url)]).output().expect("curl runs");
    assert!(reset.status.success(), "moto reset failed: {reset:?}");
    moto
}

struct Moto {
    url: String,
}

fn session(target: Target) -> Session {
    let options = Options {
        plugin_dirs: vec![aws_agent::plugin::PluginDir { path: common::builtin_plugins(), builtin: true }],
        grants: Default::default(),
        catalog: Source::Directory(common::fixtures().join("catalog")),
        cache_dir: common::cache_dir(),
        limits: Default::default(),
        sink: Sink::Buffer(vec![]),
        aws: Settings { target, log_seconds: 1, consent: Default::default() },
        region: "us-east-1".into(),
        quiet: false,
        llm: aws_agent::llm::Settings::offline(),
    };
    Session::start(options).unwrap().0
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
    let mut s = session(Target::Endpoint(moto.url.clone()));
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
    let mut s = session(Target::Endpoint(moto.url.clone()));
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
    let mut s = session(Target::Simulator { moto_server: moto_server() });
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
