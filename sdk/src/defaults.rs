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

/// The group's zone in `region`: its zone "a".
pub fn zone(region: &str) -> String {
    format!("{region}a")
}
