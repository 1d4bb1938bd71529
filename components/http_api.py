"""The device HTTP API: telemetry intake and data access, one set of routes per tenant.

    device/app ─▶ https://<domain>/<mappingKey>/<tenant><path>    (JWT: issuer, a client of the tenant's, scope
                                                                  <prefix><tenant>)
              ─▶ route "<METHOD> /<tenant><path>" (throttle of the tenant's tier)
              ─▶ HTTP_PROXY over VPC link V2 ─▶ internal ALB listener (HTTPS) ─▶ the service's target group
                 path overwritten to <path> (the service's prefix), header x-tenant-id: <tenant>

HTTP APIs have no usage plans or API keys: they throttle per stage and per route. A route per tenant is
what gives each tenant its own throttle (its tier's), its own authorizer (its app clients' tokens only) and
authorization scope, and it tells the backend the tenant without trusting anything the client sent.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple, Optional, Sequence

import pulumi
import pulumi_aws as aws

from . import api_logs, naming
from .logkey import log_group
from .alarms import AlarmRouting
from .config import DomainConfig, HttpApiConfig, HttpRouteConfig, TenantConfig, TierConfig
from .observability import MetricGraph, stage_search

_ACCESS_LOG_FIELDS = {
    "requestId": "$context.requestId",
    "requestTime": "$context.requestTime",
    # Every route belongs to one tenant, so the route key ("POST /acme/ingest/telemetry") names it: JWT claims
    # are the token's, and no `$context` variable carries a per-route value, so there is no tenantId field.
    "routeKey": "$context.routeKey",
    "status": "$context.status",
    "clientId": "$context.authorizer.claims.client_id",
    "subject": "$context.authorizer.claims.sub",
    "sourceIp": "$context.identity.sourceIp",
    "responseLength": "$context.responseLength",
    "responseLatency": "$context.responseLatency",
    "integrationLatency": "$context.integrationLatency",
    "integrationStatus": "$context.integrationStatus",
    "authorizerError": "$context.authorizer.error",
}
ACCESS_LOG_FORMAT = api_logs.json_format(_ACCESS_LOG_FIELDS)
INTEGRATION_TIMEOUT_MS = 29000


def dashboard_graphs(config: HttpApiConfig) -> tuple[MetricGraph, ...]:
    """The overview dashboard's graphs of the device HTTP API: its requests and answers by class, and latency (only
    metrics HTTP APIs alone publish: a WebSocket API's stage of the same name has IntegrationLatency too)."""
    return (MetricGraph(title=f"Device HTTP API (stage {config.stage_name}): requests, 4xx, 5xx",
                        lines=tuple(stage_search(config.stage_name, m) for m in ("Count", "4xx", "5xx"))),
            MetricGraph(title=f"Device HTTP API (stage {config.stage_name}): latency p99 (ms)",
                        lines=(stage_search(config.stage_name, "Latency", "p99"),)))


@dataclass(frozen=True)
class HttpBackend:
    """The ALB ingress as an HTTP API reaches it: its HTTPS listener through the VPC link V2, verifying the
    name on the listener's certificate (the Service Connect data plane provides it)."""

    listener_arn: pulumi.Input[str]
    vpc_link_id: pulumi.Input[str]
    server_name: str


@dataclass(frozen=True)
class DeviceHttpApiArgs:
    environment: str
    config: HttpApiConfig
    tenants: Sequence[TenantConfig]
    tiers: Sequence[TierConfig]
    backend: HttpBackend
    log_retention_days: int
    protect: bool
    # The environment's log key (components/logkey.py): its log groups are encrypted with it.
    log_key_arn: pulumi.Input[str]
    # How its alarms are made and where they go (from the observability layer), and their thresholds.
    alarm_routing: AlarmRouting
    five_xx_rate_percent: float
    four_xx_rate_percent: float
    # The custom domain the REST API created (mapped under config.mapping_key), if any.
    domain: Optional[DomainConfig] = None
    domain_name: Optional[pulumi.Input[str]] = None


class DeviceHttpApi(pulumi.ComponentResource):
    api_id: pulumi.Output[str]
    stage_name: pulumi.Output[str]
    invoke_url: pulumi.Output[str]
    access_log_group_name: pulumi.Output[str]

    def __init__(self, name: str, args: DeviceHttpApiArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__("service-mesh-platform:api:DeviceHttpApi", name, None, opts)
        cfg = args.config
        child = pulumi.ResourceOptions(parent=self)
        self.api = aws.apigatewayv2.Api(
            f"{name}-api", name=naming.device_api_name(args.environment, naming.HTTP), protocol_type="HTTP",
            description=f"{args.environment} device telemetry and data",
            # With a custom domain, clients use it alone: the execute-api URL would bypass its mapping.
            disable_execute_api_endpoint=args.domain_name is not None, opts=child)
        routes = _tenant_routes(name, self, self.api.id, cfg, args.tenants, args.tiers, args.backend)

        self._access_logs = log_group(
            f"{name}-access-logs", self, log_name=naming.device_api_access_log_group(args.environment, naming.HTTP),
            retention_days=args.log_retention_days, key_arn=args.log_key_arn, protect=args.protect)
        self.stage = _stage(name, self, self.api.id, args.environment, cfg, self._access_logs.arn, routes)
        self.invoke_url = self.stage.invoke_url
        if args.domain_name is not None:
            aws.apigatewayv2.ApiMapping(
                f"{name}-mapping", api_id=self.api.id, domain_name=args.domain_name, stage=self.stage.id,
                api_mapping_key=cfg.mapping_key, opts=child)
            self.invoke_url = pulumi.Output.concat("https://", args.domain.name, "/", cfg.mapping_key)
        _answer_rate_alarms(name, self, args.alarm_routing, args.environment, self.api.id, self.stage.name,
                            five_xx_rate_percent=args.five_xx_rate_percent,
                            four_xx_rate_percent=args.four_xx_rate_percent)
        self.api_id = self.api.id
        self.stage_name = self.stage.name
        self.access_log_group_name = self._access_logs.name
        self.register_outputs({"apiId": self.api_id, "invokeUrl": self.invoke_url})


class _TenantRoutes(NamedTuple):
    """Every tenant's routes, and each one's stage settings (its tenant's tier's throttle), in the same order."""

    routes: list[aws.apigatewayv2.Route]
    settings: list[aws.apigatewayv2.StageRouteSettingArgs]


def _tenant_routes(name: str, owner: pulumi.Resource, api_id: pulumi.Output[str], cfg: HttpApiConfig,
                   tenants: Sequence[TenantConfig], tiers: Sequence[TierConfig], backend: HttpBackend) -> _TenantRoutes:
    """Each tenant's authorizer, then its copy of every configured route."""
    tier_by_name = {t.name: t for t in tiers}
    routes: list[aws.apigatewayv2.Route] = []
    route_settings = []
    for tenant in tenants:
        throttle = tier_by_name[tenant.tier].http_throttle
        authorizer = _tenant_authorizer(name, owner, api_id, tenant.name, cfg.auth.issuer,
                                        cfg.auth.clients[tenant.name], takes_over_shared=tenant == tenants[0])
        for index, route in enumerate(cfg.routes):
            key = route.key(tenant.name)
            routes.append(_tenant_route(name, owner, api_id, tenant.name, index, route, key, backend,
                                        authorizer_id=authorizer.id,
                                        scope=f"{cfg.auth.tenant_scope_prefix}{tenant.name}"))
            route_settings.append(aws.apigatewayv2.StageRouteSettingArgs(
                route_key=key, throttling_rate_limit=throttle.rate_limit,
                throttling_burst_limit=throttle.burst_limit, detailed_metrics_enabled=cfg.detailed_metrics))
    return _TenantRoutes(routes, route_settings)


def _tenant_authorizer(name: str, owner: pulumi.Resource, api_id: pulumi.Output[str], tenant: str, issuer: str,
                       audiences: Sequence[str], *, takes_over_shared: bool) -> aws.apigatewayv2.Authorizer:
    # The scope says which tenant a token may act for only if the issuer grants each client its own
    # tenant's scope alone; an authorizer per tenant, accepting that tenant's clients only, does not
    # depend on it.
    # The first tenant's is the one shared authorizer earlier versions made, updated in place: made anew, the
    # API would hold one authorizer more than its tenants until the update ends, past a quota they fill.
    return aws.apigatewayv2.Authorizer(
        f"{name}-{tenant}-jwt", api_id=api_id, name=f"device-jwt-{tenant}",
        authorizer_type="JWT", identity_sources=["$request.header.Authorization"],
        jwt_configuration=aws.apigatewayv2.AuthorizerJwtConfigurationArgs(issuer=issuer, audiences=list(audiences)),
        opts=pulumi.ResourceOptions(parent=owner, aliases=[pulumi.Alias(name=f"{name}-jwt")]
                                    if takes_over_shared else None))


def _tenant_route(name: str, owner: pulumi.Resource, api_id: pulumi.Output[str], tenant: str, index: int,
                  route: HttpRouteConfig, key: str, backend: HttpBackend, *, authorizer_id: pulumi.Output[str],
                  scope: str) -> aws.apigatewayv2.Route:
    """The tenant's route `key` (the `index`-th configured route) and its integration with the ALB listener."""
    # Named by the route, not its place in the list: a route key is unique in the API, so inserting
    # a route would otherwise update each later route onto the key the next one still holds
    # (ConflictException). Aliases carry stacks over from the index names earlier versions used.
    label = f"{name}-{tenant}-{route.method.lower()}{route.path.replace('{proxy+}', 'proxy+')}"
    opts = pulumi.ResourceOptions(parent=owner, aliases=[pulumi.Alias(name=f"{name}-{tenant}-{index}")])
    integration = aws.apigatewayv2.Integration(
        label, api_id=api_id, integration_type="HTTP_PROXY",
        integration_method=route.method, integration_uri=backend.listener_arn,
        connection_type="VPC_LINK", connection_id=backend.vpc_link_id,
        payload_format_version="1.0", timeout_milliseconds=INTEGRATION_TIMEOUT_MS,
        tls_config=aws.apigatewayv2.IntegrationTlsConfigArgs(server_name_to_verify=backend.server_name),
        # Private integrations would send the stage and tenant in the path: send the service's path,
        # and the tenant this route belongs to (overwriting whatever the client sent).
        request_parameters={"overwrite:path": naming.http_backend_path(route.path),
                            f"overwrite:header.{naming.TENANT_HEADER}": tenant,
                            f"remove:header.{naming.API_KEY_ID_HEADER}": "''"},
        description=f"{key} -> {route.service}", opts=opts)
    return aws.apigatewayv2.Route(
        label, api_id=api_id, route_key=key,
        authorization_type="JWT", authorizer_id=authorizer_id,
        authorization_scopes=[scope],
        target=pulumi.Output.concat("integrations/", integration.id), opts=opts)


def _stage(name: str, owner: pulumi.Resource, api_id: pulumi.Output[str], environment: str, cfg: HttpApiConfig,
           access_log_arn: pulumi.Output[str], routes: _TenantRoutes) -> aws.apigatewayv2.Stage:
    return aws.apigatewayv2.Stage(
        f"{name}-stage", api_id=api_id, name=cfg.stage_name, auto_deploy=True,
        description=f"{environment} device telemetry and data",
        access_log_settings=aws.apigatewayv2.StageAccessLogSettingsArgs(
            destination_arn=access_log_arn, format=ACCESS_LOG_FORMAT),
        default_route_settings=aws.apigatewayv2.StageDefaultRouteSettingsArgs(
            throttling_rate_limit=cfg.throttle.rate_limit, throttling_burst_limit=cfg.throttle.burst_limit,
            detailed_metrics_enabled=cfg.detailed_metrics),
        route_settings=routes.settings,
        # Route settings name route keys: the routes must exist first.
        opts=pulumi.ResourceOptions(parent=owner, depends_on=routes.routes))


def _answer_rate_alarms(name: str, owner: pulumi.Resource, routing: AlarmRouting, environment: str,
                        api_id: pulumi.Output[str], stage_name: pulumi.Output[str], *, five_xx_rate_percent: float,
                        four_xx_rate_percent: float) -> list[aws.cloudwatch.MetricAlarm]:
    # HTTP APIs publish 4xx/5xx/Count per ApiId and Stage (REST's 5XXError/ApiName do not apply). 5xx pages;
    # 4xx opens a ticket: refused devices (an expired or foreign token: 401/403) and throttled tenants (429:
    # each tenant route's own throttle is its tier's, so 429s are the first sign a tenant outgrew it).
    api_name = naming.device_api_name(environment, naming.HTTP)
    answers = (("5xx", "device-api-error-rate", naming.HTTP_API_5XX_ALARM, five_xx_rate_percent),
               ("4xx", "api-4xx-rate", naming.HTTP_API_4XX_ALARM, four_xx_rate_percent))
    return [routing.error_rate(
        f"{name}-{answer}-rate", kind=kind, name=naming.alarm_name(environment, key),
        summary=f"{api_name}: over {threshold:g}% of requests answered {answer}",
        namespace="AWS/ApiGateway", dimensions={"ApiId": api_id, "Stage": stage_name},
        errors=[answer], requests=["Count"], threshold=threshold, label=f"{answer} rate (%)",
        opts=pulumi.ResourceOptions(parent=owner)) for answer, kind, key, threshold in answers]
