//! `catalog refresh`: from the packaged public source, and from the EC2 API of a moto server.
//!
//! The packaged-source refresh must regenerate the bundled data exactly.
mod common;

fn aws_agent(args: &[&str]) -> std::process::Output {
    common::agent(tempfile::tempdir().unwrap().path()).args(args).output().unwrap()
}

fn ok(out: std::process::Output) -> String {
    assert!(out.status.success(), "{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_ec2_api_refresh_reads_describe_instance_types_through_the_sdk() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    // No endpoint given: the host starts the local simulator itself.
    let err = String::from_utf8(aws_agent(&["catalog", "refresh", "--from-ec2-api", "--out", out]).stderr).unwrap();
    assert!(err.contains("Starting the local AWS simulator"), "{err}");
    let types = std::fs::read_to_string(dir.path().join("instance_types.csv")).unwrap();
    assert!(types.lines().count() > 1000, "{} types", types.lines().count());
    assert!(types.lines().any(|l| l.starts_with("t4g.medium,2,4.0,0,0.0,arm64,")), "t4g.medium missing or wrong");
    assert!(types.lines().any(|l| l.starts_with("g5.xlarge,4,16.0,1,")), "GPU counts are read");
    let ours: serde_json::Value =
        serde_json::from_str(&ok(aws_agent(&["--catalog", out, "catalog", "cheapest", "--cpu", "2", "--ram", "4", "--json"]))).unwrap();
    let bundled: serde_json::Value = serde_json::from_str(&ok(aws_agent(&["catalog", "cheapest", "--cpu", "2", "--ram", "4", "--json"]))).unwrap();
    assert_eq!(ours["instance_type"], bundled["instance_type"]);
    assert_eq!(ours["price_per_hour"], bundled["price_per_hour"]);
}

#[test]
fn the_packaged_source_refresh_regenerates_the_bundled_data_exactly() {
    let dir = tempfile::tempdir().unwrap();
    ok(aws_agent(&["catalog", "refresh", "--out", dir.path().to_str().unwrap()]));
    for file in ["instance_types.csv", "prices.csv", "os_prices.csv", "metadata.csv", "offerings.csv", "regions.csv", "SOURCE.md"] {
        let fresh = std::fs::read(dir.path().join(file)).unwrap();
        let committed = std::fs::read(common::repo().join("data").join(file)).unwrap();
        assert!(fresh == committed, "{file} differs from the committed data");
    }
}
