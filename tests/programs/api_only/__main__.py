"""PublicApi on its own: a real stack file's config, optionally overridden, and a literal ingress NLB.

Config (all optional but baseStack):
  api-only:baseStack    dev | prod: which Pulumi.<stack>.yaml of the project to start from
  api-only:api          a mapping merged (recursively) over that stack's `api` settings
  api-only:publicPaths  service -> publicPath (null to make a service private)
  api-only:ingressTls   the gateway certificate's host name: TLS to the ingress with a client certificate
                        that this program creates, as the mesh layer does for the real stacks
"""
import sys
from pathlib import Path

import pulumi
import pulumi_aws as aws

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from components.alarms import AlarmRouting  # noqa: E402
from components.api import IngressTls, NlbBackend, PublicApi, PublicApiArgs, public_routes  # noqa: E402
from components.config import PROJECT, parse_config  # noqa: E402
from components.dns import domain_certificate_arn  # noqa: E402
from tools.mockrun import stack_file_config  # noqa: E402
from components.tagging import register_default_tags  # noqa: E402

# The platform's log key (components/logkey.py) stands in as a literal.
LOG_KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab"

INGRESS = {
    "nlb_arn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/test-ingress/0123456789abcdef",
    "nlb_dns_name": "test-ingress-0123456789abcdef.elb.us-east-1.amazonaws.com",
    "listener_port": 8080,
}
PAGING_TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:test-alarms-page"
TICKET_TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:test-alarms-ticket"


def merge(base: dict, override: dict) -> dict:
    out = dict(base)
    for key, value in override.items():
        out[key] = merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


settings = pulumi.Config()
base_stack = settings.require("baseStack")
raw, region = stack_file_config(ROOT / f"Pulumi.{base_stack}.yaml", PROJECT)
raw.pop("alarmPagerEndpoint", None)
raw["api"] = merge(raw["api"], settings.get_object("api") or {})
for service, path in (settings.get_object("publicPaths") or {}).items():
    entry = next(s for s in raw["services"] if s["name"] == service)
    if path is None:
        entry.pop("publicPath", None)
        entry.pop("queryParameters", None)  # a private service has no API cache to key
    else:
        entry["publicPath"] = path

config = parse_config(raw, f"Pulumi.{base_stack}.yaml", region)
register_default_tags(config.tags)
ingress_tls = None
if settings.get("ingressTls"):
    mesh_issued = aws.apigateway.ClientCertificate("mesh-api-client", description="stands in for the mesh's")
    ingress_tls = IngressTls(hostname=settings.get("ingressTls"), client_certificate_id=mesh_issued.id)

api = PublicApi("api", PublicApiArgs(
    environment=config.environment, region=config.region, api=config.api, routes=public_routes(config),
    alarm_routing=AlarmRouting.from_config(config.alarms, PAGING_TOPIC_ARN, TICKET_TOPIC_ARN), alarms=config.alarms, protect=config.protect,
    log_retention_days=config.sizing.log_retention_days, log_key_arn=LOG_KEY_ARN, backend=NlbBackend(**INGRESS, tls=ingress_tls),
    # This program has no DNS zone: a domain's certificate is the stack file's.
    domain_certificate_arn=domain_certificate_arn("api-domain", config.api.domain, None)))

pulumi.export("invokeUrl", api.invoke_url)
pulumi.export("apiKeyIds", api.api_key_ids)
