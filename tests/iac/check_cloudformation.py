"""Judges an exported CloudFormation template with tools no one here wrote.

1. cfn-lint (pinned in the Makefile's venv) must report nothing at all.
2. A stack made from it on a moto server must create; boto3 then reads what the stack holds.

Usage: check_cloudformation.py TEMPLATE --moto URL --region REGION --stack NAME
Prints one JSON object: {"lint": [...findings...], "status": ..., "groups": [...], "templates":
{...}, "instances": [...], "outputs": {...}}; exits non-zero only when a tool cannot run.
"""
import argparse
import json
import subprocess
import sys
from pathlib import Path

import boto3

parser = argparse.ArgumentParser()
parser.add_argument("template")
parser.add_argument("--moto", required=True)
parser.add_argument("--region", required=True)
parser.add_argument("--stack", required=True)
args = parser.parse_args()

cfn_lint = Path(sys.executable).parent / "cfn-lint"
lint = subprocess.run([str(cfn_lint), args.template, "--format", "parseable", "--regions", args.region], capture_output=True, text=True)
findings = [line for line in (lint.stdout + lint.stderr).splitlines() if line.strip()]

kw = dict(endpoint_url=args.moto, region_name=args.region, aws_access_key_id="t", aws_secret_access_key="t")
cfn, ec2, asg = boto3.client("cloudformation", **kw), boto3.client("ec2", **kw), boto3.client("autoscaling", **kw)
body = Path(args.template).read_text()
template = json.loads(body)
# moto does not split a List parameter's default into a list, as CloudFormation does: pass each
# parameter its default explicitly, as a reviewer running create-stack would.
parameters = [{"ParameterKey": k, "ParameterValue": str(v["Default"])} for k, v in template.get("Parameters", {}).items()]
cfn.create_stack(StackName=args.stack, TemplateBody=body, Parameters=parameters)
stack = cfn.describe_stacks(StackName=args.stack)["Stacks"][0]
groups = [
    {"name": g["AutoScalingGroupName"], "min": g["MinSize"], "max": g["MaxSize"], "desired": g["DesiredCapacity"],
     "zones": g["AvailabilityZones"], "tags": {t["Key"]: t["Value"] for t in g.get("Tags", [])},
     "spot": g.get("MixedInstancesPolicy", {}).get("InstancesDistribution", {}).get("OnDemandPercentageAboveBaseCapacity") == 0}
    for g in asg.describe_auto_scaling_groups()["AutoScalingGroups"]
]
templates = {}
for t in ec2.describe_launch_templates()["LaunchTemplates"]:
    data = ec2.describe_launch_template_versions(LaunchTemplateName=t["LaunchTemplateName"])["LaunchTemplateVersions"][-1]["LaunchTemplateData"]
    templates[t["LaunchTemplateName"]] = {"type": data.get("InstanceType"), "image": data.get("ImageId")}
live = [{"Name": "instance-state-name", "Values": ["pending", "running"]}]
instances = [
    {"id": i["InstanceId"], "type": i["InstanceType"], "image": i["ImageId"], "tags": {t["Key"]: t["Value"] for t in i.get("Tags", [])}}
    for r in ec2.describe_instances(Filters=live)["Reservations"] for i in r["Instances"]
]
outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
print(json.dumps({"lint": findings, "status": stack["StackStatus"], "groups": groups, "templates": templates, "instances": instances, "outputs": outputs}))
