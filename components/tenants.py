"""Tenants: an API key per tenant in its tier's usage plan, and a per-tenant query over the API logs.

The keys are for the REST management API (usage plans and keys exist only there). On the HTTP API a
tenant's routes carry its tier's throttle (components/http_api.py), and on the WebSocket API the
authorizer puts the tenant in the context. API Gateway allows 10,000 keys per account and region, so
keys are per tenant, never per device (config checks the count against `quotas.apiKeys`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Optional, Sequence

import pulumi
import pulumi_aws as aws

from . import naming
from .config import PlatformConfig, TenantConfig, TierConfig
from .observability import LogQuery

# Requests and latency per tenant from the device APIs' access logs. The HTTP API's route key
# starts with the tenant ("POST /acme/ingest/telemetry"); the WebSocket API logs the authorizer's tenantId.
TENANT_QUERY = """fields @timestamp, status, responseLatency, tenantId, routeKey
| parse routeKey /^[A-Z]+ \\/(?<routeTenant>[a-z0-9-]+)\\//
| fields coalesce(tenantId, routeTenant) as tenant
| filter ispresent(tenant)
| stats count(*) as requests, avg(responseLatency) as avgLatencyMs by tenant, bin(5m)
| sort requests desc"""


def tenant_log_groups(config: PlatformConfig) -> tuple[str, ...]:
    """The access log groups of the device APIs this stack has."""
    kinds = [kind for kind, api in (("http", config.http_api), ("ws", config.websocket_api)) if api is not None]
    return tuple(naming.device_api_access_log_group(config.environment, kind) for kind in kinds)


def tenant_log_queries(config: PlatformConfig) -> tuple[LogQuery, ...]:
    """The dashboard's per-tenant table, when the stack has tenants and a device API."""
    groups = tenant_log_groups(config)
    if not config.tenants or not groups:
        return ()
    return (LogQuery(title="Device API requests per tenant (5 min)", log_group_names=groups, query=TENANT_QUERY),)


@dataclass(frozen=True)
class TenantsArgs:
    environment: str
    api_name: str  # the REST API's name (key names start with it)
    tenants: Sequence[TenantConfig]
    tiers: Sequence[TierConfig]
    usage_plan_ids: Mapping[str, pulumi.Input[str]]  # usage plan -> id (from PublicApi)
    log_group_names: Sequence[pulumi.Input[str]]  # the device APIs' access log groups
    protect: bool


class Tenants(pulumi.ComponentResource):
    # tenant -> API key id; a secret (an id is enough to read the key value with apigateway:GET).
    api_key_ids: pulumi.Output[dict]
    query_name: Optional[pulumi.Output[str]]

    def __init__(self, name: str, args: TenantsArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__("service-mesh-platform:tenants:Tenants", name, None, opts)
        tiers = {t.name: t for t in args.tiers}
        key_ids: dict[str, pulumi.Output[str]] = {}
        for tenant in args.tenants:
            plan = tiers[tenant.tier].usage_plan
            # No `value`: API Gateway generates it, and the provider keeps it a secret output.
            key = aws.apigateway.ApiKey(
                f"{name}-key-{tenant.name}", name=f"{args.api_name}-tenant-{tenant.name}",
                description=f"tenant {tenant.name} ({tenant.tier} tier, {plan} plan)", enabled=True,
                opts=pulumi.ResourceOptions(parent=self, protect=args.protect))
            aws.apigateway.UsagePlanKey(
                f"{name}-key-{tenant.name}", key_id=key.id, key_type="API_KEY",
                usage_plan_id=args.usage_plan_ids[plan], opts=pulumi.ResourceOptions(parent=self))
            key_ids[tenant.name] = key.id
        self.api_key_ids = pulumi.Output.secret(pulumi.Output.all(**key_ids)) if key_ids else pulumi.Output.secret({})
        self.query_name = None
        if args.log_group_names:
            query = aws.cloudwatch.QueryDefinition(
                f"{name}-per-tenant", name=f"{args.environment}/device-apis/requests-per-tenant",
                log_group_names=list(args.log_group_names), query_string=TENANT_QUERY,
                opts=pulumi.ResourceOptions(parent=self))
            self.query_name = query.name
        self.register_outputs({})
