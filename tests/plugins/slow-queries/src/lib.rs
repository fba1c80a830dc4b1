//! A hostile plugin for the host's tests: an endless loop of runaway catalog queries. Each one
//! is interrupted after 2 s and costs the plugin almost no fuel, so only the host's limit on a
//! call's total time in the catalog stops it.
use aws_agent_sdk::*;

struct SlowQueries;

const RUNAWAY: &str = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n";

impl Intent for SlowQueries {
    fn spec() -> Spec {
        Spec::new("slow-queries", "Runs slow catalog queries forever.").example("query the catalog forever", &[])
    }

    fn run(_args: &Args, host: &mut impl Host) -> Result<String, String> {
        loop {
            let _ = std::hint::black_box(host.query(RUNAWAY, &[]));
        }
    }
}

register_intent!(SlowQueries);
