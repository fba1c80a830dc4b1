//! The configuration a conversation starts from: one definition, which the host starts every
//! session from and [`crate::testing::FakeHost`] starts every test from.

pub const REGION: &str = "us-east-1";
pub const INSTANCE_TYPE: &str = "t2.micro";
/// The latest Amazon Linux 2023 for the type's architecture, resolved when deploying.
pub const IMAGE_ID: &str = "al2023";
pub const MIN_COUNT: u32 = 1;
pub const MAX_COUNT: u32 = 1;
pub const LAUNCH_TEMPLATE_NAME: &str = "aws-agent-template";
pub const MIN_SIZE: u32 = 1;
pub const MAX_SIZE: u32 = 1;
pub const DESIRED_CAPACITY: u32 = 1;
/// Contract 0.1.3: the operating system the instances run and are priced for, as AWS's price
/// list spells it.
pub const OPERATING_SYSTEM: &str = "Linux";
/// Contract 0.1.3: the purchase option.
pub const MARKET_TYPE: &str = "on-demand";
/// The operating systems a configuration may ask for (the price list's `operatingSystem`).
pub const OPERATING_SYSTEMS: [&str; 4] = ["Linux", "Windows", "RHEL", "SUSE"];
/// The purchase options a configuration may ask for: on-demand, or Spot (RunInstances
/// `InstanceMarketOptions.MarketType`).
pub const MARKET_TYPES: [&str; 2] = ["on-demand", "spot"];

/// The group's zone in `region`: its zone "a".
pub fn zone(region: &str) -> String {
    format!("{region}a")
}
