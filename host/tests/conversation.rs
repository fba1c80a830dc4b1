//! Whole conversations, piped into the binary as a user would type them, judged by the session
//! file they leave: requirements kept across turns, changes that follow AWS's own rules,
//! context deciding ambiguous words, regions by name, negation, and nothing said dropped.
mod common;

use serde_json::Value;

struct Ended {
    out: String,
    session: Value,
}

impl Ended {
    fn get(&self, key: &str) -> &Value {
        key.split('.').try_fold(&self.session["config"], |v, k| v.get(k)).unwrap_or(&Value::Null)
    }
}

/// Pipes `turns` into a fresh conversation on the bundled catalog.
fn converse(turns: &[&str]) -> Ended {
    let home = tempfile::tempdir().unwrap();
    let out = common::agent_piped(home.path(), &["--quiet"], &(turns.join("\n") + "\n"));
    // Refusals go to stderr; both are what the user saw.
    let text = String::from_utf8(out.stdout).unwrap() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{text}");
    let file = std::fs::read_to_string(home.path().join("state/session.json")).unwrap_or_else(|e| panic!("no session file ({e}):\n{text}"));
    Ended { out: text, session: serde_json::from_str(&file).unwrap() }
}

/// The type `catalog cheapest` picks for `flags`, from a fresh session with nothing remembered.
fn cheapest(flags: &[&str]) -> String {
    let home = tempfile::tempdir().unwrap();
    let args: Vec<&str> = ["catalog", "cheapest", "--json"].iter().chain(flags).copied().collect();
    let out = common::agent_piped(home.path(), &args, "");
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    json["instance_type"].as_str().unwrap_or_else(|| panic!("no type for {flags:?}: {json}")).to_string()
}

#[test]
fn a_region_follow_up_keeps_the_requirements() {
    let c = converse(&["cheapest with 8 cpus", "what about in us-west-2?"]);
    assert_eq!(c.get("ec2.Region"), "us-west-2", "{}", c.out);
    assert_eq!(c.get("ec2.InstanceType"), cheapest(&["--cpu", "8", "--region", "us-west-2"]).as_str(), "{}", c.out);
    assert!(c.out.contains(">= 8 vCPUs"), "the answer states what was kept: {}", c.out);
}

#[test]
fn switching_the_region_searches_again_with_the_same_requirements() {
    let c = converse(&["cheapest instance with 1 gpu", "switch the region to eu-central-1"]);
    assert_eq!(c.get("ec2.Region"), "eu-central-1", "{}", c.out);
    assert_eq!(c.get("ec2.InstanceType"), cheapest(&["--gpus", "1", "--region", "eu-central-1"]).as_str(), "{}", c.out);
    assert_eq!(c.get("requirements.region"), "eu-central-1");
}

#[test]
fn same_but_arm_changes_one_requirement() {
    let c = converse(&["I need 2 cores and 4 gb", "same but arm"]);
    assert_eq!(c.get("ec2.InstanceType"), cheapest(&["--cpu", "2", "--ram", "4", "--arch", "arm64"]).as_str(), "{}", c.out);
    let constraints = c.get("requirements.constraints").to_string();
    assert!(constraints.contains("\"cpu\",2") && constraints.contains("\"ram\",4.0") && constraints.contains("arm64"), "{constraints}");
}

#[test]
fn one_count_named_alone_drags_the_other() {
    let c = converse(&["set the minimum to 2", "set the maximum to 6"]);
    assert_eq!((c.get("ec2.MinCount"), c.get("ec2.MaxCount")), (&Value::from(2), &Value::from(6)), "{}", c.out);
}

#[test]
fn desired_capacity_moves_into_a_new_range_and_says_so() {
    let c = converse(&["enable autoscaling", "min size 2 max size 4"]);
    assert_eq!((c.get("asg.MinSize"), c.get("asg.MaxSize"), c.get("asg.DesiredCapacity")), (&Value::from(2), &Value::from(4), &Value::from(2)), "{}", c.out);
    assert!(c.out.contains("DesiredCapacity raised to 2"), "{}", c.out);
}

#[test]
fn zero_sizes_are_allowed_and_contradictions_refused() {
    let c = converse(&["enable autoscaling", "set min size to 0", "min size 5 and max size 3"]);
    assert_eq!((c.get("asg.MinSize"), c.get("asg.MaxSize")), (&Value::from(0), &Value::from(1)), "{}", c.out);
    assert!(c.out.contains("MinSize 5 and MaxSize 3 contradict each other"), "{}", c.out);
}

#[test]
fn autoscaling_turns_off_by_voice() {
    let c = converse(&["enable autoscaling", "turn autoscaling off"]);
    assert_eq!(c.get("asg.Enabled"), false, "{}", c.out);
}

#[test]
fn size_words_mean_the_group_while_autoscaling_is_on() {
    let c = converse(&["enable autoscaling", "scale between 2 and 8 instances", "set the maximum to 6"]);
    assert_eq!((c.get("asg.MinSize"), c.get("asg.MaxSize")), (&Value::from(2), &Value::from(6)), "{}", c.out);
    assert_eq!((c.get("ec2.MinCount"), c.get("ec2.MaxCount")), (&Value::from(1), &Value::from(1)), "EC2 counts unchanged: {}", c.out);
}

#[test]
fn regions_by_their_names() {
    let c = converse(&["cheapest 2 vcpu 4 gb in Frankfurt"]);
    assert_eq!(c.get("ec2.Region"), "eu-central-1", "{}", c.out);
    let c = converse(&["cheapest 2 vcpu 4 gb in São Paulo"]);
    assert_eq!(c.get("ec2.Region"), "sa-east-1", "{}", c.out);
}

#[test]
fn a_negated_value_is_never_the_one_chosen() {
    let c = converse(&["cheapest instance with 1 GB ram, avoid ARM"]);
    assert_eq!(c.get("requirements.constraints").to_string(), r#"[["ram",1.0],["arch","x86_64"]]"#, "{}", c.out);
    let c = converse(&["cheapest gpu instance"]);
    assert_eq!(c.get("requirements.constraints").to_string(), r#"[["gpus",1]]"#, "{}", c.out);
}

#[test]
fn what_cannot_be_used_is_said_and_nothing_runs() {
    let c = converse(&["set max count to -5"]);
    assert_eq!(c.get("ec2.MaxCount"), 1, "{}", c.out);
    assert!(c.out.contains("I could not use -5 for MaxCount"), "{}", c.out);
    let c = converse(&["cheapest with 99999999999999999999999 cpus"]);
    assert_eq!(c.get("ec2.InstanceType"), "t2.micro", "{}", c.out);
    assert!(c.out.contains("I could not use 99999999999999999999999 for cpu"), "{}", c.out);
    let c = converse(&["use ami-fffffffffffffffff and type x.aaaa"]);
    assert_eq!(c.get("ec2.ImageId"), "al2023", "the image is not changed without the type: {}", c.out);
    assert!(c.out.contains("\"x.aaaa\" for InstanceType"), "{}", c.out);
}

#[test]
fn requirements_survive_resume_and_take_part_in_undo() {
    let home = tempfile::tempdir().unwrap();
    let first = common::agent_piped(home.path(), &["--quiet"], "cheapest with 8 cpus\nsame but arm\nundo\n");
    assert!(first.status.success());
    let resumed = common::agent_piped(home.path(), &["--resume"], "show config\nmake it 16 gb\n");
    let out = String::from_utf8(resumed.stdout).unwrap();
    assert!(out.contains("Requirements: >= 8 vCPUs — found by search"), "undo took arm64 back; resume kept the rest: {out}");
    let session: Value = serde_json::from_str(&std::fs::read_to_string(home.path().join("state/session.json")).unwrap()).unwrap();
    assert_eq!(session["config"]["requirements"]["constraints"].to_string(), r#"[["cpu",8],["ram",16.0]]"#, "{out}");
}

#[test]
fn what_a_newcomer_tried_reads_as_meant() {
    // Declined, joking and wondering requests run nothing; "undo that" is the undo command.
    let c = converse(&[
        "cheapest 2 cpus",
        "do not deploy",
        "would deploying cost a lot?",
        "deploy, just kidding",
        "don't enable autoscaling",
        "use t3.micro",
        "undo that",
    ]);
    assert!(c.out.contains("reads as not wanting deploy"), "{}", c.out);
    assert!(!c.out.contains("Deploying with"), "nothing was deployed: {}", c.out);
    assert_eq!(c.get("asg.Enabled"), false, "{}", c.out);
    assert_ne!(c.get("ec2.InstanceType"), "t3.micro", "undone: {}", c.out);
    // Numbers as written: grouped thousands, and nothing above what the API takes.
    let c = converse(&["cheapest with 16,384 MB", "enable autoscaling", "max size 3000000000"]);
    assert_eq!(c.get("requirements.constraints").to_string(), r#"[["ram",16.0]]"#, "{}", c.out);
    assert_eq!(c.get("asg.MaxSize"), 1, "{}", c.out);
    assert!(c.out.contains("2147483647"), "{}", c.out);
    // "a gpu with 4 cpus" is one GPU and four vCPUs.
    let c = converse(&["a gpu with 4 cpus"]);
    assert_eq!(c.get("requirements.constraints").to_string(), r#"[["cpu",4],["gpus",1]]"#, "{}", c.out);
    // A type the user named is the requirement a follow-up search keeps.
    let c = converse(&["use m5.large", "same but arm"]);
    assert_eq!(c.get("ec2.InstanceType"), cheapest(&["--cpu", "2", "--ram", "8", "--arch", "arm64"]).as_str(), "{}", c.out);
}

/// References back (issue 24): relative values over the setting named, the instance count, or
/// what the last change set, with the conversation's own values.
#[test]
fn references_back_change_what_was_just_said() {
    let c = converse(&["cheapest with 16 GB", "double the ram"]);
    assert_eq!(c.get("requirements.constraints").to_string(), r#"[["ram",32.0]]"#, "{}", c.out);
    let c = converse(&["enable autoscaling", "max size 3", "make that 6"]);
    assert_eq!(c.get("asg.MaxSize"), 6, "{}", c.out);
    let c = converse(&["enable autoscaling", "min size 2 max size 8", "halve the maximum"]);
    assert_eq!(c.get("asg.MinSize"), 2, "{}", c.out);
    assert_eq!(c.get("asg.MaxSize"), 4, "{}", c.out);
    let c = converse(&["enable autoscaling", "max size 4", "increase it with 3 more"]);
    assert_eq!(c.get("asg.MaxSize"), 7, "{}", c.out);
    let c = converse(&["launch exactly 2 instances", "two more"]);
    assert_eq!(c.get("ec2.MinCount"), 4, "{}", c.out);
    assert_eq!(c.get("ec2.MaxCount"), 4, "{}", c.out);
    let c = converse(&["launch exactly 4 instances", "one fewer instance"]);
    assert_eq!(c.get("ec2.MinCount"), 3, "{}", c.out);
    assert_eq!(c.get("ec2.MaxCount"), 3, "{}", c.out);
    let c = converse(&["enable autoscaling", "increase max size by 2"]);
    assert_eq!(c.get("asg.MaxSize"), 3, "{}", c.out);
    // Nothing to be relative to is said, and nothing changes.
    let c = converse(&["double it"]);
    assert!(c.out.contains("Nothing was just set that this could be relative to"), "{}", c.out);
    assert_eq!(c.get("ec2.MaxCount"), 1, "{}", c.out);
}

/// Undo in words steps back over the whole previous line, never a teardown; a plan is one step.
#[test]
fn undo_in_words_reverts_the_whole_previous_line() {
    let c = converse(&["Enable autoscaling and cap the group at 10 instances.", "Hmm, scratch that — finance won't sign off on it."]);
    assert_eq!(c.get("asg.Enabled"), false, "{}", c.out);
    assert_eq!(c.get("asg.MaxSize"), 1, "{}", c.out);
    let c = converse(&["enable autoscaling", "max 6", "undo", "actually redo that"]);
    assert_eq!(c.get("asg.Enabled"), true, "{}", c.out);
    assert_eq!(c.get("asg.MaxSize"), 6, "{}", c.out);
    assert!(!c.out.contains("Deleting") && !c.out.contains("teardown"), "{}", c.out);
}
