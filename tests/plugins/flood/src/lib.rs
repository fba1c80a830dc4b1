//! A hostile plugin for the host's tests: it prints ten megabytes.
use aws_agent_sdk::*;

struct Flood;

impl Intent for Flood {
    fn spec() -> Spec {
        Spec::new("flood", "Prints far too much.").example("flood the screen", &[])
    }

    fn run(_args: &Args, host: &mut impl Host) -> Result<String, String> {
        let line = "x".repeat(1024);
        for _ in 0..10 * 1024 {
            host.print(&line);
        }
        Ok("flood finished".into())
    }
}

register_intent!(Flood);
