"""AlbIngress and the PublicApi's AlbBackend on their own: a real stack file's config, literal network.

Config (all optional but baseStack):
  alb-ingress:baseStack    dev | prod: which Pulumi.<stack>.yaml of the project to start from
  alb-ingress:publicPaths  service -> publicPath (null to make a service private)
  alb-ingress:stageName    the API's stage name
"""
import sys
from pathlib import Path

import pulumi
import pulumi_aws as aws
import yaml

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from components.api import AlbBackend, PublicApi, PublicApiArgs, public_routes  # noqa: E402
from components.config import PROJECT, parse_config  # noqa: E402
from components.ingress import AlbIngress, AlbIngressArgs, IngressRoute  # noqa: E402
from components.tagging import register_default_tags  # noqa: E402

VPC_ID = "vpc-0a1b2c3d4e5f60718"
SUBNET_IDS = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]
CERTIFICATE_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
HOST_NAME = "ingress.dev.shop.example.com"
ALARM_TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:test-alarms"

settings = pulumi.Config()
base_stack = settings.require("baseStack")
stack_doc = yaml.safe_load((ROOT / f"Pulumi.{base_stack}.yaml").read_text())["config"]
raw = {k[len(PROJECT) + 1:]: v for k, v in stack_doc.items() if k.startswith(f"{PROJECT}:")}
raw.pop("alarmPagerEndpoint", None)
for service, path in (settings.get_object("publicPaths") or {}).items():
    entry = next(s for s in raw["services"] if s["name"] == service)
    if path is None:
        entry.pop("publicPath", None)
    else:
        entry["publicPath"] = path
if settings.get("stageName"):
    raw["api"]["stageName"] = settings.get("stageName")

config = parse_config(raw, f"Pulumi.{base_stack}.yaml", stack_doc["aws:region"])
register_default_tags(config.tags)

# Stand-ins for the data plane's per-service groups (it creates them before the ingress).
groups = {s.name: aws.ec2.SecurityGroup(f"sg-{s.name}", vpc_id=VPC_ID, description=f"{s.name} tasks")
          for s in config.public_services}
ingress = AlbIngress("ingress", AlbIngressArgs(
    environment=config.environment, vpc_id=VPC_ID, subnet_ids=SUBNET_IDS,
    routes=[IngressRoute(service=s.name, path_prefix=s.public_path, port=s.port,
                         health_check_path=s.health_check_path, security_group_id=groups[s.name].id)
            for s in config.public_services],
    certificate_arn=CERTIFICATE_ARN, stage_name=config.api.stage_name, protect=config.protect))

api = PublicApi("api", PublicApiArgs(
    environment=config.environment, region=config.region, api=config.api, routes=public_routes(config),
    backend=AlbBackend(vpc_link_id=ingress.vpc_link_id, load_balancer_arn=ingress.load_balancer_arn,
                       host_name=HOST_NAME),
    alarm_topic_arn=ALARM_TOPIC_ARN, alarms=config.alarms, protect=config.protect,
    log_retention_days=config.sizing.log_retention_days))

pulumi.export("albDnsName", ingress.dns_name)
pulumi.export("targetGroupArns", ingress.target_group_arns)
pulumi.export("invokeUrl", api.invoke_url)
