//! What a configuration's launch options and the account's own state do at deploy time, on a
//! real moto server (judged with boto3) or, for what moto cannot produce, a scripted endpoint
//! answering in AWS's documented shapes: Spot prices from DescribeSpotPriceHistory (and "unknown
//! here" without an AWS endpoint); the Windows image's public parameter, which moto does not
//! carry; a named image whose platform is not the configured OS; a region without a default VPC,
//! and plain instances placed in a subnet instead; an opt-in region the account has not enabled.
mod common;

use aws_agent::aws::{Settings, Target};
use aws_agent::capability::config::Ec2Update;
use aws_agent::capability::console::{Console, Sink};
use aws_agent::catalog::Source;
use aws_agent::router::Call;
use aws_agent::session::{Options, Session, Turn};

fn session(target: Target, catalog: Source) -> Session {
    let options = Options {
        plugin_dirs: vec![common::trusted(common::builtin_plugins())],
        grants: Default::default(),
        catalog,
        cache_dir: common::cache_dir(),
        limits: Default::default(),
        sink: Sink::Buffer(vec![]),
        aws: Settings { target, log_seconds: 0 },
        region: "us-east-1".into(),
        quiet: true,
        llm: aws_agent::llm::Settings::offline(),
    };
    Session::start(options).unwrap().0
}

fn fixture() -> Source {
    Source::Directory(common::fixtures().join("catalog"))
}

fn deploy(s: &mut Session) -> (Turn, String) {
    let turn = s.execute(Call { intent: "deploy".into(), args: vec![] });
    (turn, s.caps().console.take_lines().join("\n"))
}

const EC2: &str = "http://ec2.amazonaws.com/doc/2016-11-15/";

/// DescribeSpotPriceHistory in the shape of the EC2 API reference's example response.
fn spot_history() -> String {
    let item = |zone: &str, description: &str, price: &str, at: &str| {
        format!(
            "<item><instanceType>t2.micro</instanceType><productDescription>{description}</productDescription><spotPrice>{price}</spotPrice><timestamp>{at}</timestamp><availabilityZone>{zone}</availabilityZone></item>"
        )
    };
    let items = [
        item("us-east-1a", "Linux/UNIX", "0.004100", "2025-03-01T08:00:00.000Z"),
        item("us-east-1a", "Linux/UNIX", "0.003900", "2025-03-01T10:00:00.000Z"),
        item("us-east-1b", "Linux/UNIX", "0.003500", "2025-03-01T09:30:00.000Z"),
        item("us-east-1c", "Windows", "0.001000", "2025-03-01T09:30:00.000Z"),
    ];
    format!(
        r#"<DescribeSpotPriceHistoryResponse xmlns="{EC2}"><requestId>r</requestId><spotPriceHistorySet>{}</spotPriceHistorySet><nextToken/></DescribeSpotPriceHistoryResponse>"#,
        items.concat()
    )
}

#[test]
fn spot_prices_come_from_aws_where_there_is_an_endpoint_and_are_unknown_otherwise() {
    let (url, actions) = common::fake_aws::start(|action| match action {
        "DescribeSpotPriceHistory" => (200, spot_history()),
        other => common::fake_aws::preflight(other).unwrap_or_else(|| common::fake_aws::ec2_refused("Unsupported", "not scripted")),
    });
    let mut s = session(Target::Endpoint(url), fixture());
    let mut console = Console::new(Sink::Buffer(vec![]));
    let prices = s.caps().aws.spot_prices("t2.micro", "us-east-1", "Linux", &mut console).unwrap();
    let zones: Vec<(String, f64)> = prices.iter().map(|p| (p.availability_zone.clone(), p.price_per_hour)).collect();
    assert_eq!(zones, [("us-east-1b".to_string(), 0.0035), ("us-east-1a".to_string(), 0.0039)], "the newest price per zone, cheapest first, Linux only");

    s.caps().update_ec2(Ec2Update { market_type: Some("spot".into()), ..Default::default() }).unwrap();
    let (_, shown) = deploy(&mut s);
    assert!(shown.contains("Spot now: $0.0035/hour in us-east-1b (cheapest of 2 zones); the on-demand price is the ceiling."), "{shown}");
    assert!(actions.lock().unwrap().iter().filter(|a| *a == "DescribeSpotPriceHistory").count() == 2);

    let mut local = session(Target::Simulator { moto_server: "/nonexistent/moto_server".into() }, fixture());
    let unknown = local.caps().aws.spot_prices("t2.micro", "us-east-1", "Linux", &mut console).unwrap_err();
    assert!(unknown.starts_with("Spot prices are unknown here: the local AWS simulator keeps no Spot price history"), "nothing is started to ask: {unknown}");
}

#[test]
fn the_image_follows_windows_and_a_named_image_must_run_the_configured_os() {
    let moto = common::moto::shared();
    let mut s = session(Target::Endpoint(moto.url.clone()), fixture());
    s.caps().update_ec2(Ec2Update { operating_system: Some("Windows".into()), ..Default::default() }).unwrap();
    assert_eq!(s.caps().config.ec2.image_id, "windows-2022");
    let (turn, shown) = deploy(&mut s);
    assert!(shown.contains("--image-id resolve:ssm:/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base"), "{shown}");
    let Turn::Failed { message, .. } = turn else { panic!("moto has no Windows parameter: {shown}") };
    assert!(message.contains("the public SSM parameter /aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base does not exist on"), "{message}");

    let windows = moto.boto3("print(json.dumps(ec2.describe_images(Filters=[{'Name': 'platform', 'Values': ['windows']}, {'Name': 'architecture', 'Values': ['x86_64']}])['Images'][0]['ImageId']))");
    let windows = windows.as_str().expect("moto carries Windows images").to_string();
    let mut s = session(Target::Endpoint(moto.url.clone()), fixture());
    s.caps().update_ec2(Ec2Update { image_id: Some(windows.clone()), ..Default::default() }).unwrap();
    let (turn, shown) = deploy(&mut s);
    let Turn::Failed { message, .. } = turn else { panic!("a Windows image deployed as Linux: {shown}") };
    assert!(message.contains(&format!("ImageId {windows} is a Windows image")) && message.contains("OperatingSystem is Linux"), "{message}");
    assert_eq!(moto.counts()["instances"], serde_json::json!([]));
}

#[test]
fn without_a_default_vpc_plain_instances_need_a_subnet_and_launch_into_it() {
    let moto = common::moto::shared();
    let subnet = moto.boto3(
        r#"
vpc = ec2.describe_vpcs(Filters=[{'Name': 'is-default', 'Values': ['true']}])['Vpcs'][0]['VpcId']
for s in ec2.describe_subnets(Filters=[{'Name': 'vpc-id', 'Values': [vpc]}])['Subnets']:
    ec2.delete_subnet(SubnetId=s['SubnetId'])
for g in ec2.describe_internet_gateways(Filters=[{'Name': 'attachment.vpc-id', 'Values': [vpc]}])['InternetGateways']:
    ec2.detach_internet_gateway(InternetGatewayId=g['InternetGatewayId'], VpcId=vpc)
    ec2.delete_internet_gateway(InternetGatewayId=g['InternetGatewayId'])
ec2.delete_vpc(VpcId=vpc)
mine = ec2.create_vpc(CidrBlock='10.1.0.0/16')['Vpc']['VpcId']
print(json.dumps(ec2.create_subnet(VpcId=mine, CidrBlock='10.1.1.0/24', AvailabilityZone='us-east-1b')['Subnet']['SubnetId']))
"#,
    );
    let subnet = subnet.as_str().unwrap().to_string();
    let mut s = session(Target::Endpoint(moto.url.clone()), fixture());
    let (turn, shown) = deploy(&mut s);
    let Turn::Failed { message, .. } = turn else { panic!("deployed without a VPC: {shown}") };
    assert!(message.contains("there is no default VPC in us-east-1, so the instances have nowhere to launch; name a subnet"), "{message}");
    assert!(message.contains("aws ec2 create-default-vpc --region us-east-1") && message.contains("Nothing was created"), "{message}");

    s.caps().update_ec2(Ec2Update { subnet_id: Some(subnet.clone()), ..Default::default() }).unwrap();
    let (turn, shown) = deploy(&mut s);
    assert!(matches!(turn, Turn::Ran { .. }), "{shown}");
    assert!(shown.contains(&format!("--subnet-id {subnet}")), "shown as sent: {shown}");
    let instances = moto.counts()["instances"].clone();
    assert_eq!(instances.as_array().map(Vec::len), Some(1), "{instances}");
    assert_eq!(instances[0]["subnet"], subnet.as_str(), "{instances}");
}

#[test]
fn an_opt_in_region_that_is_not_enabled_is_named_with_the_fix() {
    let not_enabled = || common::fake_aws::ec2_refused("AuthFailure", "AWS was not able to validate the provided access credentials");
    let (url, _) = common::fake_aws::start(move |_| not_enabled());
    let mut s = session(Target::Endpoint(url.clone()), Source::Bundled);
    s.caps().update_ec2(Ec2Update { region: Some("af-south-1".into()), instance_type: Some("t3.micro".into()), ..Default::default() }).unwrap();
    let (turn, shown) = deploy(&mut s);
    let Turn::Failed { message, .. } = turn else { panic!("{shown}") };
    assert!(message.contains("region af-south-1 is an opt-in region that this account has not enabled (AWS answered AuthFailure"), "{message}");
    assert!(message.contains("`aws account enable-region --region-name af-south-1`"), "{message}");

    let mut s = session(Target::Endpoint(url), Source::Bundled);
    let (_, shown) = deploy(&mut s);
    assert!(shown.contains("AuthFailure: AWS was not able to validate") && !shown.contains("opt-in"), "a region open to all is a credentials problem: {shown}");
}
