//! export: the current configuration as a CloudFormation or Terraform template, with the values a
//! deploy would send. Read-only: it neither changes the configuration nor reaches AWS.
use aws_agent_sdk::*;

struct Export;

impl Intent for Export {
    fn spec() -> Spec {
        Spec::new("export", "Write the current configuration as an infrastructure-as-code template, CloudFormation or Terraform, with the same values a deploy would send.")
            .param(Param::text("format", "The template language: cloudformation or terraform").pattern("cloudformation|terraform").synonyms(&["format", "as"]))
            .example("give me the CloudFormation for this", &[("format", "cloudformation".into())])
            .example("export as terraform", &[("format", "terraform".into())])
            .example("export the configuration", &[])
            .example("write a cloudformation template", &[("format", "cloudformation".into())])
            .example("generate terraform for this setup", &[("format", "terraform".into())])
            .example("can I get this as a cfn template", &[("format", "cloudformation".into())])
            .example("show me the hcl", &[("format", "terraform".into())])
            .example("turn the config into terraform code", &[("format", "terraform".into())])
            .example("infrastructure as code please", &[])
            .example("export a cloudformation stack for it", &[("format", "cloudformation".into())])
            .example("I want the tf file", &[("format", "terraform".into())])
            .example("dump the template", &[])
    }

    fn run(args: &Args, host: &mut impl Host) -> Result<String, String> {
        let format = args.text("format").unwrap_or("cloudformation");
        let template = host.export(format)?;
        let (name, hint) = match format {
            "terraform" => ("Terraform", "no terraform binary checked it here; `terraform init && terraform plan` does"),
            _ => ("CloudFormation", "create a stack from it with `aws cloudformation create-stack --template-body file://template.json`"),
        };
        host.print(&format!("{name} template of the current configuration, with the values a deploy sends ({hint}):"));
        Ok(template)
    }
}

register_intent!(Export);

#[cfg(test)]
mod tests {
    use super::*;
    use aws_agent_sdk::testing::{Event, FakeHost};

    #[test]
    fn asks_the_host_for_the_template_in_the_format_named() {
        let mut host = FakeHost { export_result: Ok("resource \"aws_instance\" \"this\" {}".into()), ..Default::default() };
        let said = Export::run(&Args::of(&[("format", "terraform".into())]), &mut host).unwrap();
        assert_eq!(said, "resource \"aws_instance\" \"this\" {}");
        assert_eq!(host.events[0], Event::Export("terraform".into()));
        assert!(host.printed()[0].starts_with("Terraform template"), "{:?}", host.printed());
    }

    #[test]
    fn cloudformation_is_the_default() {
        let mut host = FakeHost::default();
        assert_eq!(Export::run(&Args::default(), &mut host).unwrap_err(), "not exported in tests");
        assert_eq!(host.events, [Event::Export("cloudformation".into())]);
    }
}
