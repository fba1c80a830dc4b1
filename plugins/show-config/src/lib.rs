//! show-config: the configuration and the aws CLI commands that would deploy it.
use aws_agent_sdk::*;

struct ShowConfig;

impl Intent for ShowConfig {
    fn spec() -> Spec {
        Spec::new("show-config", "Display the current EC2 and Auto Scaling configuration and the equivalent aws CLI commands.")
            .example("display config", &[])
            .example("show deployment settings", &[])
            .example("what have we set up so far", &[])
            .example("show me the current configuration", &[])
            .example("what's the current setup", &[])
            .example("recap the settings so far", &[])
            .example("which instance type am I using", &[])
            .example("which ami is configured", &[])
            .example("print the config", &[])
            .example("let me review everything before deploying", &[])
            .example("what is configured right now", &[])
            .example("what are the settings", &[])
            .example("what does the configuration look like", &[])
            .example("list the current settings", &[])
            .example("what's the min count right now", &[])
            .example("what did I choose so far", &[])
            .example("summarize the configuration", &[])
            .example("what region are we in", &[])
            .example("show the aws cli commands", &[])
            .example("display the commands you would run", &[])
            .example("which commands will you execute", &[])
            .example("recap everything before I confirm", &[])
            .example("what is the max size set to", &[])
            .example("how many instances will the group run", &[])
            .example("remind me which ami we picked", &[])
            .example("how does the config look now", &[])
            .example("what is the desired capacity right now", &[])
            .example("is autoscaling enabled at the moment?", &[])
            .example("is autoscaling on?", &[])
            .example("which availability zones does the group use?", &[])
            .example("what's in the launch template?", &[])
    }

    fn run(_args: &Args, host: &mut impl Host) -> Result<String, String> {
        host.show_config();
        let commands = host.cli_commands();
        host.print(&format!("Equivalent aws CLI commands:\n{}", commands.join("\n")));
        Ok(String::new())
    }
}

register_intent!(ShowConfig);

#[cfg(test)]
mod tests {
    use super::*;
    use aws_agent_sdk::testing::{Event, FakeHost};

    #[test]
    fn shows_config_then_commands() {
        let mut host = FakeHost::default();
        ShowConfig::run(&Args::default(), &mut host).unwrap();
        assert_eq!(host.events[0], Event::ShowConfig);
        assert!(host.printed()[0].contains("aws ec2 run-instances --instance-type t2.micro"));
    }
}
