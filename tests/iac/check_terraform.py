"""Judges exported Terraform with python-hcl2 (pinned in the Makefile's venv): the text must parse
as HCL, and every block and argument must be one the hashicorp/aws provider documents for that
resource (registry.terraform.io/providers/hashicorp/aws/latest/docs: aws_instance,
aws_launch_template, aws_autoscaling_group, the aws_ssm_parameter data source) or the Terraform
language defines (terraform, provider, variable, output, count). No terraform binary is available
here, so this is what can be checked without one.

Usage: check_terraform.py FILE
Prints one JSON object: {"unknown": [...], "resources": {type: {argument: value}},
"variables": {name: default}, "data": {...}, "outputs": [...]}.
"""
import json
import sys

import hcl2

# Arguments and nested blocks this exporter may write, each as the provider docs name it.
DOCUMENTED = {
    "aws_instance": {"count", "ami", "instance_type", "key_name", "vpc_security_group_ids", "subnet_id", "tags", "instance_market_options"},
    "aws_instance.instance_market_options": {"market_type", "spot_options"},
    "aws_launch_template": {"name", "image_id", "instance_type", "key_name", "vpc_security_group_ids", "tag_specifications", "tags", "instance_market_options"},
    "aws_launch_template.tag_specifications": {"resource_type", "tags"},
    "aws_autoscaling_group": {"name", "min_size", "max_size", "desired_capacity", "availability_zones", "vpc_zone_identifier", "launch_template", "mixed_instances_policy", "tag"},
    "aws_autoscaling_group.launch_template": {"id", "name", "version"},
    "aws_autoscaling_group.tag": {"key", "value", "propagate_at_launch"},
    "aws_autoscaling_group.mixed_instances_policy": {"instances_distribution", "launch_template"},
    "aws_autoscaling_group.mixed_instances_policy.instances_distribution": {"on_demand_base_capacity", "on_demand_percentage_above_base_capacity", "spot_allocation_strategy"},
    "aws_autoscaling_group.mixed_instances_policy.launch_template": {"launch_template_specification", "override"},
    "aws_autoscaling_group.mixed_instances_policy.launch_template.launch_template_specification": {"launch_template_id", "launch_template_name", "version"},
    "data.aws_ssm_parameter": {"name"},
    "provider.aws": {"region"},
    "variable": {"type", "default", "description"},
    "output": {"value", "description"},
}

doc = hcl2.loads(open(sys.argv[1]).read())
unknown = []


def strip(value):
    """python-hcl2 keeps string quotes; drop them for comparison."""
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    if isinstance(value, list):
        return [strip(v) for v in value]
    if isinstance(value, dict):
        return {strip(k): strip(v) for k, v in value.items()}
    return value


def check(kind, body):
    allowed = DOCUMENTED.get(kind)
    if allowed is None:
        unknown.append(kind)
        return
    for name, value in body.items():
        if name.startswith("__"):
            continue
        if name not in allowed:
            unknown.append(f"{kind}.{name}")
        nested = f"{kind}.{name}"
        for block in value if isinstance(value, list) else [value]:
            if isinstance(block, dict) and nested in DOCUMENTED:
                check(nested, block)


resources, variables, data, outputs = {}, {}, {}, []
for block in doc.get("resource", []):
    for rtype, named in block.items():
        rtype = strip(rtype)
        for _, body in named.items():
            check(rtype, body)
            resources[rtype] = strip({k: v for k, v in body.items() if not k.startswith("__")})
for block in doc.get("data", []):
    for dtype, named in block.items():
        for _, body in named.items():
            check(f"data.{strip(dtype)}", body)
            data[strip(dtype)] = strip(body)
for block in doc.get("provider", []):
    for name, body in block.items():
        check(f"provider.{strip(name)}", body)
for block in doc.get("variable", []):
    for name, body in block.items():
        check("variable", body)
        variables[strip(name)] = strip(body.get("default"))
for block in doc.get("output", []):
    for name, body in block.items():
        check("output", body)
        outputs.append(strip(name))
print(json.dumps({"unknown": unknown, "resources": resources, "variables": variables, "data": data, "outputs": outputs}))
