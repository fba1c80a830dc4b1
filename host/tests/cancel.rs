//! Ctrl-C while a deployment is in flight cancels the deployment, rolls back what it created,
//! and leaves the conversation running; Ctrl-C during pre-flight cancels before anything is
//! created. The AWS side is a scripted loopback server (`common::fake_aws`), so the signal can be
//! sent while a request is known to be in flight.
mod common;

use std::io::Write;
use std::sync::mpsc;
use std::time::Duration;

const INSTANCE: &str = "i-0123456789abcdef0";

/// Answers pre-flight, then RunInstances slowly (after telling the test it is in flight) and
/// TerminateInstances at once; returns its URL and the actions it saw.
fn slow_ec2(in_flight: mpsc::Sender<()>) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    let in_flight = std::sync::Mutex::new(in_flight);
    common::fake_aws::start(move |action| {
        if let Some(answer) = common::fake_aws::preflight(action) {
            return answer;
        }
        match action {
            "RunInstances" => {
                let _ = in_flight.lock().map(|tx| tx.send(()));
                std::thread::sleep(Duration::from_millis(1500));
                common::fake_aws::ec2_ok(
                    action,
                    &format!(
                        "<reservationId>r-1</reservationId><ownerId>123456789012</ownerId><instancesSet><item><instanceId>{INSTANCE}</instanceId><instanceType>t2.micro</instanceType></item></instancesSet>"
                    ),
                )
            }
            "TerminateInstances" => common::fake_aws::ec2_ok(
                action,
                &format!(
                    "<instancesSet><item><instanceId>{INSTANCE}</instanceId><currentState><code>32</code><name>shutting-down</name></currentState><previousState><code>16</code><name>running</name></previousState></item></instancesSet>"
                ),
            ),
            _ => common::fake_aws::refused("Unsupported", "not scripted"),
        }
    })
}

/// Starts a REPL against `url`, says "deploy", sends Ctrl-C once the endpoint reports the
/// request in flight, then says "show config"; what the user saw, once it ended well.
fn deploy_then_ctrl_c(url: &str, in_flight: &mpsc::Receiver<()>) -> String {
    let home = tempfile::tempdir().unwrap();
    let mut child = common::agent(home.path()).args(["--catalog", "tests/fixtures/catalog", "--aws-endpoint", url, "--log-seconds", "1"]).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"deploy\n").unwrap();
    in_flight.recv_timeout(Duration::from_secs(60)).expect("the request reached the endpoint");
    // SAFETY: kill only sends a signal to the child this test started.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    stdin.write_all(b"show config\n").unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the program ended on Ctrl-C: {:?}\n{text}", out.status);
    text
}

#[test]
fn ctrl_c_during_a_deployment_rolls_it_back_and_the_session_goes_on() {
    let (tx, in_flight) = mpsc::channel();
    let (url, actions) = slow_ec2(tx);
    let text = deploy_then_ctrl_c(&url, &in_flight);
    assert!(text.contains(&format!("Deployment cancelled (Ctrl-C). Rolled back: deleted instance {INSTANCE}.")), "{text}");
    assert!(text.contains("> show config") && text.contains("aws ec2 run-instances"), "the session did not go on: {text}");
    assert_eq!(
        *actions.lock().unwrap(),
        ["DescribeInstanceTypes", "DescribeInstanceTypeOfferings", "GetParameter", "DescribeVpcs", "RunInstances", "TerminateInstances"]
    );
}

#[test]
fn ctrl_c_during_pre_flight_cancels_before_anything_is_created() {
    let (tx, in_flight) = mpsc::channel();
    let tx = std::sync::Mutex::new(tx);
    let (url, actions) = common::fake_aws::start(move |action| {
        if action == "DescribeInstanceTypeOfferings" {
            let _ = tx.lock().map(|tx| tx.send(()));
            std::thread::sleep(Duration::from_millis(1500));
        }
        common::fake_aws::preflight(action).unwrap_or_else(|| common::fake_aws::refused("Unsupported", "not scripted"))
    });
    let text = deploy_then_ctrl_c(&url, &in_flight);
    assert!(text.contains("Deployment cancelled (Ctrl-C) during pre-flight. Nothing was created."), "{text}");
    assert!(text.contains("> show config"), "the session did not go on: {text}");
    let seen = actions.lock().unwrap().clone();
    assert!(!seen.iter().any(|a| a.starts_with("Run") || a.starts_with("Create")), "nothing was created: {seen:?}");
}
