//! A loopback server that answers AWS requests from a script, for failures moto cannot be made
//! to produce at the right moment (a request held in flight, a refusal after a creation). EC2
//! and Auto Scaling name their action in the form body, SSM (JSON protocol) in a header.
use std::sync::{Arc, Mutex};

/// (HTTP status, body) for one action; a body starting with `{` is sent as JSON, else as XML.
pub type Answer = (u16, String);

/// Starts the server; returns its URL and the actions it saw, in order.
pub fn start(answer: impl Fn(&str) -> Answer + Send + 'static) -> (String, Arc<Mutex<Vec<String>>>) {
    let server = tiny_http::Server::http("127.0.0.1:0").expect("a loopback port");
    let url = format!("http://127.0.0.1:{}", server.server_addr().to_ip().expect("an IP address").port());
    let actions = Arc::new(Mutex::new(vec![]));
    let seen = actions.clone();
    std::thread::spawn(move || {
        for mut request in server.incoming_requests() {
            let mut body = String::new();
            let _ = request.as_reader().read_to_string(&mut body);
            let target =
                request.headers().iter().find(|h| h.field.equiv("X-Amz-Target")).map(|h| h.value.as_str().trim_start_matches("AmazonSSM.").to_string());
            let action = target.unwrap_or_else(|| body.split('&').find_map(|kv| kv.strip_prefix("Action=")).unwrap_or("?").to_string());
            seen.lock().expect("not poisoned").push(action.clone());
            let (status, body) = answer(&action);
            let kind = if body.starts_with('{') { "application/x-amz-json-1.1" } else { "text/xml" };
            let header = tiny_http::Header::from_bytes("Content-Type", kind).expect("a valid header");
            let _ = request.respond(tiny_http::Response::from_string(body).with_status_code(status).with_header(header));
        }
    });
    (url, actions)
}

const EC2: &str = "http://ec2.amazonaws.com/doc/2016-11-15/";

/// The answers pre-flight needs for t2.micro in us-east-1 (zone us-east-1a, subnet
/// subnet-0a1b2c3d there, a default VPC), or None for other actions.
pub fn preflight(action: &str) -> Option<Answer> {
    let xml = match action {
        "DescribeInstanceTypes" => format!(r#"<DescribeInstanceTypesResponse xmlns="{EC2}"><requestId>r</requestId><instanceTypeSet><item><instanceType>t2.micro</instanceType><processorInfo><supportedArchitectures><item>x86_64</item></supportedArchitectures></processorInfo></item></instanceTypeSet></DescribeInstanceTypesResponse>"#),
        "DescribeInstanceTypeOfferings" => format!(r#"<DescribeInstanceTypeOfferingsResponse xmlns="{EC2}"><requestId>r</requestId><instanceTypeOfferingSet><item><instanceType>t2.micro</instanceType><locationType>region</locationType><location>us-east-1</location></item><item><instanceType>t2.micro</instanceType><locationType>availability-zone</locationType><location>us-east-1a</location></item></instanceTypeOfferingSet></DescribeInstanceTypeOfferingsResponse>"#),
        "DescribeLaunchTemplates" => format!(r#"<DescribeLaunchTemplatesResponse xmlns="{EC2}"><requestId>r</requestId><launchTemplates/></DescribeLaunchTemplatesResponse>"#),
        "DescribeAutoScalingGroups" => r#"<DescribeAutoScalingGroupsResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><DescribeAutoScalingGroupsResult><AutoScalingGroups/></DescribeAutoScalingGroupsResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeAutoScalingGroupsResponse>"#.to_string(),
        "DescribeVpcs" => format!(r#"<DescribeVpcsResponse xmlns="{EC2}"><requestId>r</requestId><vpcSet><item><vpcId>vpc-0a1b2c3d</vpcId><isDefault>true</isDefault></item></vpcSet></DescribeVpcsResponse>"#),
        "DescribeSubnets" => format!(r#"<DescribeSubnetsResponse xmlns="{EC2}"><requestId>r</requestId><subnetSet><item><subnetId>subnet-0a1b2c3d</subnetId><availabilityZone>us-east-1a</availabilityZone></item></subnetSet></DescribeSubnetsResponse>"#),
        "GetParameter" => r#"{"Parameter": {"Name": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", "Type": "String", "Value": "ami-0123456789abcdef0", "Version": 1}}"#.to_string(),
        _ => return None,
    };
    Some((200, xml))
}

/// An EC2 success answer for `action` with `inner` inside.
pub fn ec2_ok(action: &str, inner: &str) -> Answer {
    (200, format!(r#"<{action}Response xmlns="{EC2}"><requestId>r</requestId>{inner}</{action}Response>"#))
}

/// An error answer in the query protocols' shape.
pub fn refused(code: &str, message: &str) -> Answer {
    (400, format!("<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>r</RequestId></ErrorResponse>"))
}

/// An EC2 error answer (the EC2 query protocol's own shape: `Response/Errors/Error`).
pub fn ec2_refused(code: &str, message: &str) -> Answer {
    (400, format!("<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors><RequestID>r</RequestID></Response>"))
}
