"""DeviceHttpApi on its own: the iot stack's config, and literal ingress values standing in for the
Service Connect plane's `HttpBackend` (the ALB listener and VPC link V2)."""
import sys
from pathlib import Path

import pulumi

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from components.alarms import AlarmRouting  # noqa: E402
from components.config import PROJECT, parse_config  # noqa: E402
from components.http_api import DeviceHttpApi, DeviceHttpApiArgs, HttpBackend  # noqa: E402
from components.tagging import register_default_tags  # noqa: E402
from tools.mockrun import stack_file_config  # noqa: E402

# The platform's log key (components/logkey.py) and alarm topics stand in as literals.
ROUTING = AlarmRouting(paging_topic_arn="arn:aws:sns:us-east-1:123456789012:page",
                       ticket_topic_arn="arn:aws:sns:us-east-1:123456789012:ticket", runbook_base_url="https://runbooks")
LOG_KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab"

LISTENER_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/iot-ingress/0123456789abcdef/fedcba9876543210"
VPC_LINK_ID = "vpclink-0123abc"
BACKEND_NAME = "ingress.iot.example.com"
DOMAIN_NAME = "api.iot.example.com"

raw, region = stack_file_config(ROOT / "Pulumi.iot.yaml", PROJECT)
# `firstRoute: "<METHOD> <path> <service>"` inserts a route before the stack's own (a config edit).
first_route = pulumi.Config().get("firstRoute")
if first_route:
    method, path, service = first_route.split()
    raw["httpApi"]["routes"].insert(0, {"method": method, "path": path, "service": service})
config = parse_config(raw, "Pulumi.iot.yaml", region)
register_default_tags(config.tags)
api = DeviceHttpApi("device-http", DeviceHttpApiArgs(
    environment=config.environment, config=config.http_api, tenants=config.tenants, tiers=config.tiers,
    backend=HttpBackend(listener_arn=LISTENER_ARN, vpc_link_id=VPC_LINK_ID, server_name=BACKEND_NAME),
    log_retention_days=config.sizing.log_retention_days, log_key_arn=LOG_KEY_ARN, protect=config.protect,
    alarm_routing=ROUTING, five_xx_rate_percent=config.alarms.five_xx_rate_percent,
    four_xx_rate_percent=config.alarms.four_xx_rate_percent, domain=config.api.domain, domain_name=DOMAIN_NAME))
pulumi.export("invokeUrl", api.invoke_url)
