//! A broken plugin for the host's tests: its run never returns.
use aws_agent_sdk::*;

struct Spin;

impl Intent for Spin {
    fn spec() -> Spec {
        Spec::new("spin-forever", "Never finishes.").example("spin forever please", &[])
    }

    fn run(_args: &Args, _host: &mut impl Host) -> Result<String, String> {
        let mut n: u64 = 0;
        loop {
            n = std::hint::black_box(n.wrapping_add(1));
        }
    }
}

register_intent!(Spin);
