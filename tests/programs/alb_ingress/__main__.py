"""AlbIngress, its DNS and the PublicApi's AlbBackend on their own: a real stack's config, literal network.

It wires them as the platform's Service Connect mode does: the ingress certificate from the stack file or
issued in the DNS zone, the ALB behind the data plane's per-service groups (literal stand-ins here), the
API over VPC link V2, and aliases for the ingress and API names when a zone is configured.

Config (all optional but baseStack):
  alb-ingress:baseStack    dev | prod: which Pulumi.<stack>.yaml of the project to start from
  alb-ingress:publicPaths  service -> publicPath (null or empty to make a service private: --config
                           `publicPaths.<service>=`, as an override's `null` unsets rather than sets)
  alb-ingress:stageName    the API's stage name
  alb-ingress:dns          replaces the stack's `dns` (null removes it)
  alb-ingress:ingress      merged over the stack's `ingress`
  alb-ingress:domain       merged over the stack's `api.domain` (null removes the domain)
"""
import sys
from pathlib import Path

import pulumi
import pulumi_aws as aws

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from components.audit import AuditLogging, AuditLoggingArgs  # noqa: E402
from components.alarms import AlarmRouting  # noqa: E402
from components.api import AlbBackend, PublicApi, PublicApiArgs, public_routes  # noqa: E402
from components.config import PROJECT, parse_config  # noqa: E402
from components.dns import DnsZone, DnsZoneArgs, certificate_arn, domain_certificate_arn  # noqa: E402
from components.ingress import AlbIngress, AlbIngressArgs, ingress_routes  # noqa: E402
from components.tagging import register_default_tags  # noqa: E402
from tools.mockrun import stack_file_config  # noqa: E402

# The platform's log key (components/logkey.py) stands in as a literal.
LOG_KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab"

VPC_ID = "vpc-0a1b2c3d4e5f60718"
SUBNET_IDS = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]
PAGING_TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:test-alarms-page"
TICKET_TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:test-alarms-ticket"
UNSET = object()


def merge(base, override):
    if not isinstance(override, dict) or not isinstance(base, dict):
        return override
    out = dict(base)
    for key, value in override.items():
        out[key] = merge(out.get(key), value)
    return {k: v for k, v in out.items() if v is not None}


settings = pulumi.Config()
base_stack = settings.require("baseStack")
raw, region = stack_file_config(ROOT / f"Pulumi.{base_stack}.yaml", PROJECT)
raw.pop("alarmPagerEndpoint", None)
for service, path in (settings.get_object("publicPaths") or {}).items():
    entry = next(s for s in raw["services"] if s["name"] == service)
    if not path:
        entry.pop("publicPath", None)
        entry.pop("queryParameters", None)  # a private service has no API cache to key
    else:
        entry["publicPath"] = path
if settings.get("stageName"):
    raw["api"]["stageName"] = settings.get("stageName")
for key, target in (("dns", raw), ("ingress", raw), ("domain", raw["api"])):
    override = settings.get_object(key, UNSET) if settings.get(key) is not None else UNSET
    if override is not UNSET:
        merged = merge(target.get(key), override) if key != "dns" else override
        if merged is None:
            target.pop(key, None)
        else:
            target[key] = merged

config = parse_config(raw, f"Pulumi.{base_stack}.yaml", region)
register_default_tags(config.tags)
zone = DnsZone("dns", DnsZoneArgs(config.dns)) if config.dns is not None else None
# As the platform does: the ALB writes access logs when the stack keeps them (prod).
audit = AuditLogging("audit", AuditLoggingArgs(environment=config.environment, region=config.region,
                                               audit=config.audit, protect=config.protect, log_key_arn=LOG_KEY_ARN))

# Stand-ins for the data plane's per-service groups (it creates them before the ingress).
groups = {s.name: aws.ec2.SecurityGroup(f"sg-{s.name}", vpc_id=VPC_ID, description=f"{s.name} tasks")
          for s in config.public_services}
ingress = AlbIngress("ingress", AlbIngressArgs(
    environment=config.environment, vpc_id=VPC_ID, subnet_ids=SUBNET_IDS,
    routes=ingress_routes(config, {service: group.id for service, group in groups.items()}),
    certificate_arn=certificate_arn("ingress", config.ingress.host_name, config.ingress.certificate_arn, zone),
    stage_name=config.api.stage_name, protect=config.protect,
    access_logs=audit.access_logs("ingress-alb")))

domain = config.api.domain
api = PublicApi("api", PublicApiArgs(
    environment=config.environment, region=config.region, api=config.api, routes=public_routes(config),
    backend=AlbBackend(vpc_link_id=ingress.vpc_link_id, load_balancer_arn=ingress.load_balancer_arn,
                       host_name=config.ingress.host_name),
    alarm_routing=AlarmRouting.from_config(config.alarms, PAGING_TOPIC_ARN, TICKET_TOPIC_ARN), alarms=config.alarms, protect=config.protect,
    log_retention_days=config.sizing.log_retention_days, log_key_arn=LOG_KEY_ARN,
    domain_certificate_arn=domain_certificate_arn("api-domain", domain, zone)))

if zone is not None:
    zone.alias("ingress", config.ingress.host_name, ingress.dns_name, ingress.zone_id)
    if domain is not None:
        zone.alias("api-domain", domain.name, api.domain_target, api.domain_zone_id)
else:
    # No zone: whoever runs DNS points the names at these.
    pulumi.export("ingressDnsTarget", ingress.dns_name)
    if api.domain_target is not None:
        pulumi.export("apiDomainTarget", api.domain_target)
pulumi.export("targetGroupArns", {service: t.target_group_arn for service, t in ingress.targets.items()})
pulumi.export("invokeUrl", api.invoke_url)
