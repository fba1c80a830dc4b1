//! teardown: delete what this session deployed. The host lists it (ids, names, region, cost per
//! hour) and deletes only after the user confirms; what is already gone is said so.
use aws_agent_sdk::*;

struct Teardown;

impl Intent for Teardown {
    fn spec() -> Spec {
        Spec::new("teardown", "Tear down what this session deployed: delete the Auto Scaling group (forced), the launch template and the instances.")
            .example("teardown", &[])
            .example("tear it all down", &[])
            .example("delete what we deployed", &[])
            .example("destroy the deployment", &[])
            .example("terminate the instances we launched", &[])
            .example("clean up the deployment", &[])
            .example("remove everything we deployed", &[])
            .example("destroy the resources we created", &[])
            .example("take the deployment down", &[])
            .example("delete the auto scaling group we made", &[])
            .example("shut down everything we launched", &[])
            .example("nuke the deployment", &[])
            .example("get rid of the resources from this session", &[])
            .example("undeploy", &[])
            .example("decommission the deployment", &[])
            .example("kill the instances you started", &[])
            .example("remove what the deployment made", &[])
            .example("roll back the deployment", &[])
    }

    fn run(_args: &Args, host: &mut impl Host) -> Result<String, String> {
        let deleted = host.teardown()?;
        if deleted.is_empty() {
            return Ok("Nothing to tear down: this session has not deployed anything (or it was already torn down).".into());
        }
        Ok(format!("Deleted:\n{}", deleted.join("\n")))
    }
}

register_intent!(Teardown);

#[cfg(test)]
mod tests {
    use super::*;
    use aws_agent_sdk::testing::{Event, FakeHost};

    #[test]
    fn reports_that_nothing_was_deployed() {
        let mut host = FakeHost::default();
        let said = Teardown::run(&Args::default(), &mut host).unwrap();
        assert!(said.starts_with("Nothing to tear down"), "{said}");
        assert_eq!(host.events, [Event::Teardown]);
    }
}
