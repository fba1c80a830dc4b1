//! SDK clients with bounds that suit a person waiting: a refused or silent endpoint fails in
//! seconds, not after the SDK's default retries.
//!
//! A 3 s connect timeout, a 30 s operation timeout and 2 attempts. Non-AWS endpoints get fixed
//! throwaway credentials. Errors are readable: the service's code and message, or the transport's
//! innermost cause (`crate::cause`).
use super::AwsError;
use crate::cause::innermost;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};
use std::time::Duration;

pub struct Clients {
    pub ec2: aws_sdk_ec2::Client,
    pub autoscaling: aws_sdk_autoscaling::Client,
    /// AWS's public parameters (the latest Amazon Linux images).
    pub ssm: aws_sdk_ssm::Client,
    /// Where requests go, for messages.
    pub endpoint: String,
}

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
    }
}

/// A readable error for an SDK failure: an unreachable endpoint says why (the transport's
/// innermost cause, such as "Connection refused"); a refusal keeps the service's code and message.
pub fn describe<E, R>(operation: &'static str, endpoint: &str, e: aws_sdk_ec2::error::SdkError<E, R>) -> AwsError
where
    E: std::error::Error + aws_sdk_ec2::error::ProvideErrorMetadata + 'static,
    R: std::fmt::Debug + 'static,
{
    use aws_sdk_ec2::error::{ProvideErrorMetadata, SdkError};
    match &e {
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => AwsError::Unreachable { endpoint: endpoint.into(), detail: innermost(&e) },
        _ => {
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
