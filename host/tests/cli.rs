//! The binary as scripts and people use it: piped sessions and one-shot commands.
//!
//! A piped session, `route --json`, `route --batch`, `plugins list --json`, a bad `--catalog`,
//! colour only on a terminal, `--quiet`/`--verbose` and the log file, and one-shot commands in
//! JSON.
mod common;

use std::process::{Command, Output};

fn run(args: &[&str], stdin: &str) -> Output {
    common::agent_piped(tempfile::tempdir().unwrap().path(), args, stdin)
}

fn stdout(out: &Output) -> String {
    assert!(out.status.success(), "exit {:?}: {}", out.status, String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn the_example_session_runs_piped() {
    let script = "4 RAM\nchange min count to 2 and max count to 4\nenable autoscaling\nchange desired capacity to 5 and launch template name to test\ndisplay config\nhello\n";
    let out = stdout(&run(&["--catalog", "tests/fixtures/catalog"], script));
    let expect_in_order = [
        "Enter EC2 requirements - Amount of RAM and CPU cores:",
        "> 4 RAM",
        "Cheapest in us-east-1 with >= 4 GiB memory: t4g.medium at $0.0336/hour",
        "│ InstanceType ┆ t4g.medium",
        "> change min count to 2 and max count to 4",
        "EC2 configuration updated.",
        "│ MaxCount     ┆ 4",
        "> enable autoscaling",
        "Autoscaling enabled: MinSize 2, MaxSize 4, DesiredCapacity 2.",
        "> change desired capacity to 5 and launch template name to test",
        "Not changed: DesiredCapacity (5) is above MaxSize (4); raise MaxSize too",
        "> display config",
        "│ LaunchTemplateName ┆ aws-agent-template",
        "aws autoscaling create-auto-scaling-group",
        "> hello",
        "Sorry, that is outside what I can do.",
    ];
    let mut rest = out.as_str();
    for line in expect_in_order {
        let at = rest.find(line).unwrap_or_else(|| panic!("missing {line:?} after the earlier lines in:\n{out}"));
        rest = &rest[at + line.len()..];
    }
    assert!(!out.contains('\x1b'), "escape codes in piped output");
}

#[test]
fn route_json_is_the_contract_shape() {
    let out = stdout(&run(&["route", "--json", "change min count to 2 and max count to 4"], ""));
    assert_eq!(out.trim(), r#"{"intent":"modify-ec2","args":{"MinCount":2,"MaxCount":4}}"#);
    let out = stdout(&run(&["route", "--json", "zones", "eu-west-1a", "and", "eu-west-1c"], ""));
    assert_eq!(out.trim(), r#"{"intent":"modify-asg","args":{"AvailabilityZones":["eu-west-1a","eu-west-1c"]}}"#);
    let out = stdout(&run(&["route", "4 RAM"], ""));
    assert_eq!(out.trim(), "find-cheapest(ram=4.0)");
}

#[test]
fn route_batch_answers_line_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("in.txt");
    std::fs::write(&file, "4 RAM\nhello\n\nshow config\n").unwrap();
    let out = stdout(&run(&["route", "--batch", file.to_str().unwrap()], ""));
    let lines: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let intents: Vec<&str> = lines.iter().map(|l| l["intent"].as_str().unwrap()).collect();
    assert_eq!(intents, ["find-cheapest", "out-of-scope", "out-of-scope", "show-config"]);
    assert_eq!(lines[0]["args"]["ram"], 4.0);
}

#[test]
fn plugins_list_json_has_the_contract_keys() {
    let out = stdout(&run(&["plugins", "list", "--json"], ""));
    let list: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(list.len(), 14);
    let modify = list.iter().find(|p| p["name"] == "modify-asg").expect("modify-asg listed");
    assert!(modify["docstring"].as_str().unwrap().starts_with("Modify the Auto Scaling group"));
    let zones = modify["params"].as_array().unwrap().iter().find(|p| p["name"] == "AvailabilityZones").unwrap();
    assert_eq!((zones["type"].as_str(), zones["required"].as_bool()), (Some("text-list"), Some(false)));
    assert!(zones["description"].is_string());
    assert!(modify["path"].as_str().unwrap().ends_with("modify-asg.wasm"));
}

#[test]
fn a_bad_catalog_path_is_a_clear_error() {
    let out = run(&["--catalog", "/no/such/catalog.csv", "route", "hi"], "");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--catalog \"/no/such/catalog.csv\": cannot read it: No such file or directory"), "{err}");
    assert_eq!(err.matches("No such file").count(), 1, "the OS error is said once: {err}");
}

/// Runs a piped session whose output is a terminal (through `script`), so colour is allowed.
fn on_a_terminal(no_color: Option<&str>) -> String {
    let state = tempfile::tempdir().unwrap();
    let inner = format!("printf 'min count 9 and max count 2\\n' | {} --catalog tests/fixtures/catalog", common::binary().display());
    let mut cmd = Command::new("script");
    cmd.args(["-qec", &inner, "/dev/null"])
        .env("AWS_AGENT_CACHE_DIR", common::cache_dir())
        .env("AWS_AGENT_STATE_DIR", state.path())
        .env_remove("NO_COLOR")
        .current_dir(common::repo());
    if let Some(v) = no_color {
        cmd.env("NO_COLOR", v);
    }
    let out = cmd.output().expect("script(1) from util-linux runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn colour_only_on_a_terminal_and_never_with_no_color() {
    let coloured = on_a_terminal(None);
    assert!(coloured.contains("\x1b[31mNot changed: MinCount 9 and MaxCount 2 contradict each other"), "{coloured:?}");
    let plain = on_a_terminal(Some("1"));
    assert!(plain.contains("Not changed: MinCount 9 and MaxCount 2"), "{plain:?}");
    assert!(!plain.contains('\x1b'), "escape codes despite NO_COLOR: {plain:?}");
}

#[test]
fn quiet_verbose_and_the_log_file() {
    let state = tempfile::tempdir().unwrap();
    let session = |flags: &[&str]| {
        let args: Vec<&str> = ["--catalog", "tests/fixtures/catalog"].iter().chain(flags).copied().collect();
        let out = common::agent_piped(state.path(), &args, "change min count to 2 and max count to 3\n");
        (String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
    };
    let (quiet, _) = session(&["--quiet"]);
    assert!(quiet.contains("EC2 configuration updated.") && !quiet.contains("Current configuration") && !quiet.contains("Enter EC2"), "{quiet}");
    let (normal, normal_err) = session(&[]);
    assert!(normal.contains("Current configuration") && !normal_err.contains("routed"), "{normal_err}");
    let (_, verbose_err) = session(&["--verbose"]);
    assert!(verbose_err.contains("routed call=modify-ec2(MinCount=2, MaxCount=3)"), "{verbose_err}");
    assert!(verbose_err.contains("config.update-ec2"), "{verbose_err}");
    let log = std::fs::read_to_string(state.path().join("state/aws-agent.log")).unwrap();
    assert_eq!(log.matches("turn utterance=\"change min count to 2 and max count to 3\"").count(), 3, "{log}");
    assert!(log.contains("config.update-ec2"), "{log}");
}

#[test]
fn one_shot_commands_speak_json() {
    let regions: Vec<serde_json::Value> =
        serde_json::from_str(&stdout(&run(&["--catalog", "tests/fixtures/catalog", "catalog", "regions", "--json"], ""))).unwrap();
    assert_eq!(regions.iter().map(|r| r["region"].as_str().unwrap()).collect::<Vec<_>>(), ["ap-south-1", "eu-west-1", "us-east-1"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&run(&["eval", "--json", "tests/eval/unseen-intent.jsonl"], ""))).unwrap();
    assert_eq!(report["total"], 15);
    assert!(report["per_intent"]["show-config"]["recall"].is_number());
}

#[test]
fn catalog_commands_show_coverage_gpu_makers_and_the_prices_date() {
    let show = stdout(&run(&["catalog", "show", "t3.medium"], ""));
    assert!(show.lines().any(|l| l == "us-east-1\toffered, price unknown"), "{show}");
    assert!(show.contains("burstable: yes") && show.contains("Prices as of 2025-03-02 (apache-libcloud 3.9.1)."), "{show}");
    assert!(stdout(&run(&["catalog", "show", "g4dn.xlarge"], "")).contains("GPU: 1 x NVIDIA T4, 16 GiB each"));
    let best: serde_json::Value =
        serde_json::from_str(&stdout(&run(&["catalog", "cheapest", "--cpu", "2", "--ram", "4", "--arch", "x86_64", "--json"], ""))).unwrap();
    assert_eq!((best["prices_as_of"].as_str(), best["price_source"].as_str()), (Some("2025-03-02"), Some("apache-libcloud 3.9.1")), "{best}");
    assert!(best["answer"].as_str().is_some_and(|a| a.contains("offered types have no price here")), "{best}");
    let regions = stdout(&run(&["catalog", "regions"], ""));
    assert!(
        regions.starts_with("Prices as of 2025-03-02") && regions.lines().any(|l| l.starts_with("us-east-1\t") && l.contains("offered types have no price")),
        "{regions}"
    );
    let listed: Vec<serde_json::Value> = serde_json::from_str(&stdout(&run(&["catalog", "regions", "--json"], ""))).unwrap();
    assert!(listed.iter().all(|r| r["prices_as_of"] == "2025-03-02" && r["offered_price_unknown"].is_number()), "{listed:?}");
}
