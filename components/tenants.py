"""Tenants: an API key per tenant in its tier's usage plan, a request metric per tenant, and a per-tenant
query over the API logs.

The keys are for the REST management API (usage plans and keys exist only there). On the HTTP API a
tenant's routes carry its tier's throttle (components/http_api.py), and on the WebSocket API the
authorizer puts the tenant in the context. API Gateway allows 10,000 keys per account and region, so
keys are per tenant, never per device (config checks the count against `quotas.apiKeys`).

Where each API's access log names the tenant, and so what a tenant's metric filter matches:

    REST       apiKeyId = the tenant's key id  (no `$context` variable names the key or its owner; the Cognito
                                                authorizer's claims are the user's, not the tenant's)
    HTTP       routeKey = one of the tenant's route keys, "<METHOD> /<tenant><path>" (JWT claims are the
                                                issuer's; every route belongs to one tenant, and no `$context`
                                                variable carries a per-route value)
    WebSocket  tenantId = the Lambda authorizer's context (the only API whose authorizer is ours)

Every filter of a tenant adds 1 to the same metric, `<env>/TenantRequests` `<tenant>`, so it counts the
tenant's requests across the APIs. CloudWatch Logs allows 100 metric filters per log group: config caps the
tenants at that.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Optional, Sequence

import pulumi
import pulumi_aws as aws

from . import naming
from .api import planned_api_key
from .api_logs import any_equal_pattern
from .config import HttpRouteConfig, PlatformConfig, TenantConfig, TierConfig
from .naming import HTTP, REST, WEBSOCKET
from .observability import LogQuery, MetricGraph, saved_query

# Requests and latency per tenant from the device APIs' access logs. The HTTP API's route key
# starts with the tenant ("POST /acme/ingest/telemetry"); the WebSocket API logs the authorizer's tenantId.
# A WebSocket API has no $context.responseLatency, only the integration's latency: the query takes that. A refused
# $connect has no authorizer context, and API Gateway logs a variable without a value as "-": no tenant's request.
TENANT_QUERY = """fields @timestamp, status, tenantId, routeKey
| parse routeKey /^[A-Z]+ \\/(?<routeTenant>[a-z0-9-]+)\\//
| fields coalesce(tenantId, routeTenant) as tenant, coalesce(responseLatency, integrationLatency) as latencyMs
| filter ispresent(tenant) and tenant != "-"
| stats count(*) as requests, avg(latencyMs) as avgLatencyMs by tenant, bin(5m)
| sort requests desc"""


def request_filter_pattern(kind: str, tenant: str, key_id: pulumi.Input[str],
                           http_routes: Sequence[HttpRouteConfig]) -> pulumi.Input[str]:
    """The metric filter pattern that matches one tenant's lines in an API kind's JSON access log."""
    if kind == REST:
        return pulumi.Output.concat('{ $.apiKeyId = "', key_id, '" }')
    if kind == HTTP:
        # Each of the tenant's route keys exactly (config keeps the pattern within CloudWatch Logs' length).
        return any_equal_pattern("routeKey", [route.key(tenant) for route in http_routes])
    return f'{{ $.tenantId = "{tenant}" }}'


def tenant_log_groups(config: PlatformConfig) -> tuple[str, ...]:
    """The access log groups of the device APIs this stack has."""
    kinds = [kind for kind, api in ((HTTP, config.http_api), (WEBSOCKET, config.websocket_api)) if api is not None]
    return tuple(naming.device_api_access_log_group(config.environment, kind) for kind in kinds)


def tenant_log_queries(config: PlatformConfig) -> tuple[LogQuery, ...]:
    """The dashboard's per-tenant table, when the stack has tenants and a device API."""
    groups = tenant_log_groups(config)
    if not config.tenants or not groups:
        return ()
    return (LogQuery(title="Device API requests per tenant (5 min)", log_group_names=groups, query=TENANT_QUERY),)


def tenant_metric_graphs(config: PlatformConfig) -> tuple[MetricGraph, ...]:
    """The dashboard's per-tenant request graph (the metric filters' metric), when the stack has tenants."""
    if not config.tenants:
        return ()
    namespace = naming.tenant_metric_namespace(config.environment)
    return (MetricGraph(title="Requests per tenant (REST, HTTP and WebSocket access logs)",
                        metrics=tuple((namespace, t.name) for t in config.tenants)),)


@dataclass(frozen=True)
class TenantsArgs:
    environment: str
    api_name: str  # the REST API's name (key names start with it)
    tenants: Sequence[TenantConfig]
    tiers: Sequence[TierConfig]
    usage_plan_ids: Mapping[str, pulumi.Input[str]]  # usage plan -> id (from PublicApi)
    # API kind (REST, HTTP, WEBSOCKET) -> its access log group's name (from the API that creates it)
    access_log_groups: Mapping[str, pulumi.Input[str]]
    http_routes: Sequence[HttpRouteConfig]  # the HTTP API's routes, each of them every tenant's
    protect: bool


class Tenants(pulumi.ComponentResource):
    # tenant -> API key id; a secret (an id is enough to read the key value with apigateway:GET).
    api_key_ids: pulumi.Output[dict]
    query_name: Optional[pulumi.Output[str]]

    def __init__(self, name: str, args: TenantsArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__("service-mesh-platform:tenants:Tenants", name, None, opts)
        tiers = {t.name: t for t in args.tiers}
        namespace = naming.tenant_metric_namespace(args.environment)
        key_ids: dict[str, pulumi.Output[str]] = {}
        for tenant in args.tenants:
            plan = tiers[tenant.tier].usage_plan
            key = planned_api_key(
                f"{name}-key-{tenant.name}", key_name=f"{args.api_name}-tenant-{tenant.name}",
                description=f"tenant {tenant.name} ({tenant.tier} tier, {plan} plan)",
                usage_plan_id=args.usage_plan_ids[plan], protect=args.protect, parent=self)
            key_ids[tenant.name] = key.id
            for kind, group in args.access_log_groups.items():
                # No default value: a line that is not this tenant's adds no data point.
                aws.cloudwatch.LogMetricFilter(
                    f"{name}-{tenant.name}-{kind}-requests", name=f"{tenant.name}-requests", log_group_name=group,
                    pattern=request_filter_pattern(kind, tenant.name, key.id, args.http_routes),
                    metric_transformation=aws.cloudwatch.LogMetricFilterMetricTransformationArgs(
                        namespace=namespace, name=tenant.name, value="1", unit="Count"),
                    opts=pulumi.ResourceOptions(parent=self))
        self.api_key_ids = pulumi.Output.secret(pulumi.Output.all(**key_ids)) if key_ids else pulumi.Output.secret({})
        self.query_name = None
        device_groups = [group for kind, group in args.access_log_groups.items() if kind != REST]
        if device_groups:
            query = saved_query(f"{name}-per-tenant", f"{args.environment}/device-apis/requests-per-tenant",
                                device_groups, TENANT_QUERY, pulumi.ResourceOptions(parent=self))
            self.query_name = query.name
        self.register_outputs({})
