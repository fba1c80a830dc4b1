//! export: the current configuration as a CloudFormation or Terraform template, with the values a
//! deploy would send. Read-only: it neither changes the configuration nor reaches AWS.
use aws_agent_sdk::*;

struct Export;

impl Intent for Export {
    fn spec() -> Spec {
        Spec::new("export", "Export a CloudFormation or Terraform template, infrastructure code for review.")
            .param(Param::text("format", "The template language: cloudformation or terraform").pattern("cloudformation|terraform").synonyms(&["format"]))
            .example("the CloudFormation for this", &[("format", "cloudformation".into())])
            .example("export to terraform", &[("format", "terraform".into())])
            .example("export this", &[])
            .example("cloudformation template please", &[("format", "cloudformation".into())])
            .example("generate terraform", &[("format", "terraform".into())])
            .example("can I get a cloudformation template", &[("format", "cloudformation".into())])
            .example("terraform hcl for this", &[("format", "terraform".into())])
            .example("turn this into terraform code", &[("format", "terraform".into())])
            .example("infrastructure code please", &[])
            .example("export to cloudformation", &[("format", "cloudformation".into())])
            .example("I want the terraform file", &[("format", "terraform".into())])
            .example("export", &[])
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
