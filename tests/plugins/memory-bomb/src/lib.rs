//! A broken plugin for the host's tests: it allocates until something stops it.
use aws_agent_sdk::*;

struct MemoryBomb;

impl Intent for MemoryBomb {
    fn spec() -> Spec {
        Spec::new("memory-bomb", "Allocates without end.").example("eat all the memory", &[])
    }

    fn run(_args: &Args, _host: &mut impl Host) -> Result<String, String> {
        let mut hoard: Vec<Vec<u8>> = Vec::new();
        loop {
            hoard.push(std::hint::black_box(vec![1u8; 1 << 20]));
        }
    }
}

register_intent!(MemoryBomb);
