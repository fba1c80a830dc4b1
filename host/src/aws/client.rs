//! SDK clients with bounds that suit a person waiting: a refused or silent endpoint fails in
//! seconds, not after the SDK's default retries.
//!
//! A 3 s connect timeout, a 30 s operation timeout and 2 attempts. Non-AWS endpoints get fixed
//! throwaway credentials. Errors are readable: the service's code and message, or the transport's
//! innermost cause (`crate::cause`), and an opt-in region the account has not enabled is named as
//! such rather than as the credentials failure AWS reports.
use super::AwsError;
use crate::cause::innermost;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};
use std::time::Duration;

#[derive(Clone)]
pub struct Clients {
    pub ec2: aws_sdk_ec2::Client,
    pub autoscaling: aws_sdk_autoscaling::Client,
    /// AWS's public parameters (the latest Amazon Linux images).
    pub ssm: aws_sdk_ssm::Client,
    /// Where requests go, for messages.
    pub endpoint: String,
    pub region: String,
}

/// Regions an account must enable before using them ("Regions that are disabled by default",
/// AWS Account Management Reference Guide, "Enable or disable AWS Regions in your account").
pub const OPT_IN_REGIONS: [&str; 16] = [
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-south-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-7",
    "ca-west-1",
    "eu-central-2",
    "eu-south-1",
    "eu-south-2",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
];

/// The codes AWS answers with in a region the account has not enabled: EC2's AuthFailure, the
/// query services' InvalidClientTokenId, the JSON services' UnrecognizedClientException, and
/// OptInRequired.
const NOT_ENABLED_CODES: [&str; 4] = ["AuthFailure", "InvalidClientTokenId", "UnrecognizedClientException", "OptInRequired"];

/// `endpoint` None means real AWS with the normal credential chain; Some means a simulator or
/// compatible endpoint, which gets fixed throwaway credentials so nothing is looked up elsewhere.
pub async fn connect(endpoint: Option<&str>, region: &str) -> Clients {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(region.to_string()))
        .timeout_config(TimeoutConfig::builder().connect_timeout(Duration::from_secs(3)).operation_timeout(Duration::from_secs(30)).build())
        .retry_config(RetryConfig::standard().with_max_attempts(2));
    if let Some(url) = endpoint {
        loader = loader.endpoint_url(url).credentials_provider(aws_sdk_ec2::config::Credentials::new("aws-agent", "aws-agent", None, None, "aws-agent"));
    }
    let config = loader.load().await;
    Clients {
        ec2: aws_sdk_ec2::Client::new(&config),
        autoscaling: aws_sdk_autoscaling::Client::new(&config),
        ssm: aws_sdk_ssm::Client::new(&config),
        endpoint: endpoint.map_or_else(|| format!("AWS ({region})"), String::from),
        region: region.to_string(),
    }
}

impl Clients {
    /// A readable error for an SDK failure: an unreachable endpoint says why (the transport's
    /// innermost cause, such as "Connection refused"); an opt-in region that is not enabled says
    /// so; any other refusal keeps the service's code and message.
    pub fn describe<E, R>(&self, operation: &'static str, e: aws_sdk_ec2::error::SdkError<E, R>) -> AwsError
    where
        E: std::error::Error + aws_sdk_ec2::error::ProvideErrorMetadata + 'static,
        R: std::fmt::Debug + 'static,
    {
        use aws_sdk_ec2::error::{ProvideErrorMetadata, SdkError};
        match &e {
            SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => AwsError::Unreachable { endpoint: self.endpoint.clone(), detail: innermost(&e) },
            _ => {
                if let Some(code) = e.code().filter(|c| NOT_ENABLED_CODES.contains(c))
                    && OPT_IN_REGIONS.contains(&self.region.as_str())
                {
                    return AwsError::RegionNotEnabled { region: self.region.clone(), code: code.to_string() };
                }
                let detail = match (e.code(), e.message()) {
                    (Some(code), Some(message)) => format!("{code}: {message}"),
                    (Some(code), None) => code.to_string(),
                    (None, Some(message)) => message.to_string(),
                    (None, None) => innermost(&e),
                };
                AwsError::Refused { operation, detail }
            }
        }
    }
}
