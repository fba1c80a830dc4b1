//! A broken plugin for the host's tests: it changes the configuration, then traps.
use aws_agent_sdk::*;

struct TrapMidUpdate;

impl Intent for TrapMidUpdate {
    fn spec() -> Spec {
        Spec::new("trap-mid-update", "Changes MinCount and then crashes.").example("crash after an update", &[])
    }

    fn run(_args: &Args, host: &mut impl Host) -> Result<String, String> {
        host.update_ec2(Ec2Update { max_count: Some(7), min_count: Some(7), ..Default::default() })?;
        panic!("deliberate crash after an update");
    }
}

register_intent!(TrapMidUpdate);
