"""The device APIs, tenants and quotas (the IoT stack; all optional)."""
from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Callable, NamedTuple, Optional, Sequence

from .. import naming
from ..api_logs import any_equal_pattern
from ..iam import arn_service_region
from .api import _regional_domain
from .model import (
    API_GATEWAY_LOW_THROTTLE_REGIONS, CHOSEN_PLANE, CONNECTIONS_TABLE_VARIABLE, DEFAULT_MAX_TOKEN_HOURS,
    SERVICE_CONNECT, ApiConfig, ConfigError, DnsConfig, HttpApiConfig, HttpRouteConfig, JwtAuthConfig, PlaneTraits,
    Quotas, ServiceConfig, TenantConfig, Throttle, TierConfig, WebsocketApiConfig, WebsocketConcurrency,
    WebsocketDomainConfig)
from .node import ConfigNode, _throttle, _type_name
from .values import _HTTPS_URL_RE, _NAME_RE, KMS_KEY_ARN_RE, KMS_KEY_ARN_WHAT, SECRET_ARN_RE

# The most IAM roles Service Quotas raises an account to (IAM's quotas page: 5,000).
IAM_MAX_ROLES = 5000
# The longest role trust policy Service Quotas raises an account to (IAM's quotas page: 4,096 characters).
IAM_MAX_ROLE_TRUST_POLICY_CHARS = 4096


# What the stack file's ids, ARNs, names and URLs in this section look like.
_SCOPE_PREFIX_RE = re.compile(r"^[\x21\x23-\x5b\x5d-\x7e]{1,100}$")
# A JWT audience (an app client id; any OIDC `aud` value): printable, no spaces.
_CLIENT_ID_RE = re.compile(r"^[\x21-\x7e]{1,256}$")
# A Cognito user pool's tokens carry `iss` = https://cognito-idp.<region>.amazonaws.com/<pool id> exactly, and the
# pool id begins with its region (us-east-1_AbC123): API Gateway compares the issuer with `iss` as written.
_COGNITO_ISSUER_RE = re.compile(r"^https://cognito-idp\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?(?P<path>.*)$")
_USER_POOL_PATH_RE = re.compile(r"^/(?P<region>[a-z0-9-]+)_[0-9A-Za-z]+$")


_HTTP_ROUTE_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
_ROUTE_PATH_RE = re.compile(r"^(/[A-Za-z0-9._-]+)+(/\{proxy\+\})?$")
_MAPPING_KEY_RE = re.compile(r"^[A-Za-z0-9$_.+!*'()-]+(/[A-Za-z0-9$_.+!*'()-]+)*$")
_STAGE_RE = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
# API Gateway's fixed cap on API keys per account and region (not raisable).
AWS_MAX_API_KEYS = 10000
AWS_MAX_HTTP_INTEGRATIONS = 300
# Audiences of one JWT authorizer (not raisable); characters of a route's authorization scope, and of a request
# parameter's value (CreateRoute, CreateIntegration: their shapes' names say so).
AWS_MAX_JWT_AUDIENCES = 50
AWS_MAX_SCOPE_CHARS = 64
AWS_MAX_PARAMETER_CHARS = 512
# An API mapping's path (the API mapping restrictions in the API Gateway developer guide).
AWS_MAX_MAPPING_KEY_CHARS = 300
# Lambda: concurrency AWS keeps unreserved in every account and region (PutFunctionConcurrency fails below it).
LAMBDA_UNRESERVED_CONCURRENCY = 100
# CloudWatch Logs: metric filters per log group (not raisable); each tenant has one on every API access log.
AWS_MAX_METRIC_FILTERS_PER_LOG_GROUP = 100
# CloudWatch Logs: a filter pattern's length (PutMetricFilter's filterPattern).
AWS_MAX_FILTER_PATTERN_CHARS = 1024
# Lambda's limit on a function's environment variables, measured as the JSON object it stores them in
# ({"KEY":"value",...}: quotes, colons, commas and braces count; its error quotes the "String measured").
LAMBDA_ENVIRONMENT_BYTES = 4096


def lambda_environment_bytes(variables: dict[str, str]) -> int:
    """The size Lambda holds against LAMBDA_ENVIRONMENT_BYTES: keys and values alone undercount it by 5 bytes a
    variable, and 1 more for each comma and brace."""
    return len(json.dumps(variables, separators=(",", ":")).encode())


def _quotas(node: Optional[ConfigNode], region: str) -> Quotas:
    defaults = Quotas.in_region(region)
    if node is None:
        return defaults
    # A declared rate may be raised, or a share of a raised account's: its bucket is AWS's to set, not known here.
    declared = node.raw("accountRateLimit", False) is not None
    quotas = Quotas(
        account_rate_limit=node.int("accountRateLimit", defaults.account_rate_limit, minimum=1),
        account_burst_limit=None if declared else defaults.account_burst_limit,
        api_keys=node.int("apiKeys", defaults.api_keys, minimum=1, maximum=AWS_MAX_API_KEYS,
                          what=f"possible: AWS allows at most {AWS_MAX_API_KEYS} API keys per region and does not raise it"),
        usage_plans=node.int("usagePlans", defaults.usage_plans, minimum=1),
        routes_per_api=node.int("routesPerApi", defaults.routes_per_api, minimum=1),
        integrations_per_http_api=node.int(
            "integrationsPerHttpApi", defaults.integrations_per_http_api, minimum=1, maximum=AWS_MAX_HTTP_INTEGRATIONS,
            what=f"possible: AWS allows at most {AWS_MAX_HTTP_INTEGRATIONS} integrations per HTTP API"),
        websocket_connects_per_second=node.int("websocketConnectsPerSecond", defaults.websocket_connects_per_second,
                                               minimum=1),
        # AWS keeps 100 unreserved, so an account with less could reserve nothing.
        lambda_concurrency=node.int("lambdaConcurrency", defaults.lambda_concurrency,
                                    minimum=LAMBDA_UNRESERVED_CONCURRENCY + 1,
                                    what=f"above the {LAMBDA_UNRESERVED_CONCURRENCY} AWS keeps unreserved"),
        # Its ceiling depends on the security groups a task carries: _check_capacity.
        # Service Quotas only raises a quota (RequestServiceQuotaIncrease), so an account has at least AWS's
        # default. That floor also covers the platform's own small groups (API clients, endpoints, VPC link),
        # which the planes' counts leave out.
        security_group_rules=node.int("securityGroupRules", defaults.security_group_rules,
                                      minimum=defaults.security_group_rules,
                                      what=f"at least AWS's default {defaults.security_group_rules}, which Service "
                                           f"Quotas only raises"),
        rest_resources_per_api=node.int("restResourcesPerApi", defaults.rest_resources_per_api,
                                        minimum=defaults.rest_resources_per_api,
                                        what=f"at least AWS's default {defaults.rest_resources_per_api}, which Service "
                                             f"Quotas only raises"),
        method_throttles_per_plan=node.int("methodThrottlesPerPlan", defaults.method_throttles_per_plan,
                                           minimum=defaults.method_throttles_per_plan,
                                           what=f"at least AWS's default {defaults.method_throttles_per_plan}, which "
                                                f"only AWS Support raises"),
        alb_targets=node.int("albTargets", defaults.alb_targets, minimum=defaults.alb_targets,
                             what=f"at least AWS's default {defaults.alb_targets}, which Service Quotas only raises"),
        cloud_map_instances_per_namespace=node.int(
            "cloudMapInstancesPerNamespace", defaults.cloud_map_instances_per_namespace,
            minimum=defaults.cloud_map_instances_per_namespace,
            what=f"at least AWS's default {defaults.cloud_map_instances_per_namespace}, which Service Quotas only "
                 f"raises"),
        authorizers_per_http_api=node.int("authorizersPerHttpApi", defaults.authorizers_per_http_api,
                                          minimum=defaults.authorizers_per_http_api,
                                          what=f"at least AWS's default {defaults.authorizers_per_http_api}, which "
                                               f"only AWS Support raises"),
        # IAM is the account's, shared by every stack in it: a stack may declare its share, up to IAM's highest.
        iam_roles=node.int("iamRoles", defaults.iam_roles, minimum=1, maximum=IAM_MAX_ROLES),
        # So are the region's Elastic IPs: a stack declares its share of them as raised.
        elastic_ips=node.int("elasticIps", defaults.elastic_ips, minimum=1),
        # Raised or not, the account's: from AWS's default up to the most IAM grants.
        role_trust_policy_chars=node.int(
            "roleTrustPolicyChars", defaults.role_trust_policy_chars, minimum=defaults.role_trust_policy_chars,
            maximum=IAM_MAX_ROLE_TRUST_POLICY_CHARS,
            what=f"between {defaults.role_trust_policy_chars:,} (AWS's default) and "
                 f"{IAM_MAX_ROLE_TRUST_POLICY_CHARS:,} (the most Service Quotas raises it to)"),
    )
    node.done()
    return quotas


def _default_in(quotas: Quotas, region: str) -> str:
    """", AWS's default in <region>" where the stack leaves the rate to the lower default some regions have."""
    lower = not quotas.rate_declared and region in API_GATEWAY_LOW_THROTTLE_REGIONS
    return f", AWS's default in {region}" if lower else ""


def _tiers(root: ConfigNode, api: ApiConfig, http_api: bool) -> list[TierConfig]:
    plans = [p.name for p in api.usage_plans]
    tiers: list[TierConfig] = []
    for node in root.nodes("tiers"):
        name = node.str("name", required=True, pattern=_NAME_RE, what="a tier name")
        if any(t.name == name for t in tiers):
            raise node.error("name", f"duplicate tier {name!r}",
                             related=[f"tiers[{j}].name" for j, t in enumerate(tiers) if t.name == name])
        plan = node.str("usagePlan", required=True)
        if plan not in plans:
            raise node.error("usagePlan", f"{plan!r} is not a usage plan in api.usagePlans ({', '.join(plans)})",
                             related=[f"api.usagePlans[{j}].name" for j in range(len(plans))])
        if api.usage_plans[plans.index(plan)].quota is None:
            raise node.error("usagePlan", f"{plan} has no quota; tenants' back ends keep their keys, and a quota "
                                          f"caps what each tenant may spend",
                             related=[f"api.usagePlans[{plans.index(plan)}].quota"])
        throttle_node = node.node("httpThrottle", required=http_api)  # what a tenant's HTTP API routes may take
        if throttle_node is not None and not http_api:
            raise node.error("httpThrottle", "throttles a tier's HTTP API routes, and this stack has no httpApi: "
                                             "remove it, or add the httpApi", related=["httpApi"])
        tiers.append(TierConfig(name=name, usage_plan=plan,
                                http_throttle=_throttle(throttle_node) if throttle_node is not None else None))
        node.done()
    return tiers


def _tenants(root: ConfigNode, tiers: list[TierConfig], api: ApiConfig) -> list[TenantConfig]:
    tier_names = [t.name for t in tiers]
    consumers = [c.name for c in api.consumers]
    tenants: list[TenantConfig] = []
    for node in root.nodes("tenants"):
        tenant = TenantConfig(name=node.str("name", required=True, pattern=_NAME_RE, what="a tenant name"),
                              tier=node.str("tier", required=True))
        if any(t.name == tenant.name for t in tenants):
            raise node.error("name", f"duplicate tenant {tenant.name!r}",
                             related=[f"tenants[{j}].name" for j, t in enumerate(tenants) if t.name == tenant.name])
        if tenant.name in consumers:
            raise node.error("name", f"{tenant.name!r} is also an api.consumers name; each API key needs its own",
                             related=[f"api.consumers[{consumers.index(tenant.name)}].name"])
        if tenant.tier not in tier_names:
            raise node.error("tier", f"{tenant.tier!r} is not a tier in this stack "
                                     f"({', '.join(tier_names) or 'none: tiers[] is empty'})",
                             related=[f"tiers[{j}].name" for j in range(len(tier_names))])
        node.done()
        tenants.append(tenant)
    return tenants


def _tenant_clients(auth_node: ConfigNode, tenants: list[TenantConfig]) -> dict[str, tuple[str, ...]]:
    """Each tenant's app client ids (`auth.clients.<tenant>`): a route's authorizer accepts its tenant's alone."""
    if auth_node.has("audience"):
        raise auth_node.error("audience", "is now per tenant: list each tenant's app client ids under "
                                          "httpApi.auth.clients.<tenant>, so that one tenant's client cannot call "
                                          "another tenant's routes")
    clients_node = auth_node.node("clients", required=True).keyed_by_name()
    names = [t.name for t in tenants]
    name_keys = [f"tenants[{j}].name" for j in range(len(names))]
    for key in clients_node.keys():
        if key not in names:
            raise clients_node.error(key, f"is not a tenant in this stack ({', '.join(names) or 'none'})",
                                     related=name_keys)
    clients: dict[str, tuple[str, ...]] = {}
    owner: dict[str, str] = {}
    for index, tenant in enumerate(names):
        ids = clients_node.strings(tenant, pattern=_CLIENT_ID_RE, what="an app client id", unique=True)
        if not 1 <= len(ids) <= AWS_MAX_JWT_AUDIENCES:
            # None listed: the tenant may be the change (added, or renamed).
            raise clients_node.error(tenant, f"needs 1 to {AWS_MAX_JWT_AUDIENCES} app client ids (the audiences of "
                                             f"the tenant's authorizer)", related=[name_keys[index]])
        for client in ids:
            if client in owner:
                raise clients_node.error(tenant, f"{client!r} is also {owner[client]}'s: a client shared by two "
                                                 f"tenants could call both tenants' routes",
                                         related=[clients_node.key_path(owner[client])])
            owner[client] = tenant
        clients[tenant] = ids
    return clients


# API Gateway v2's JWTConfiguration.Issuer (botocore: UriWithLengthBetween1And2048).
JWT_ISSUER_MAX_CHARS = 2048


def _http_api(node: ConfigNode, services: list[ServiceConfig], api: ApiConfig, environment: str,
              tenants: list[TenantConfig]) -> HttpApiConfig:
    auth_node = node.node("auth", required=True)
    auth = JwtAuthConfig(
        issuer=auth_node.str("issuer", required=True, pattern=_HTTPS_URL_RE,
                             what="an https issuer URL (a Cognito user pool or an OIDC provider)"),
        clients=_tenant_clients(auth_node, tenants),
        tenant_scope_prefix=auth_node.str("tenantScopePrefix", "iot/tenant.",
                                          pattern=_SCOPE_PREFIX_RE,
                                          what="a scope prefix"),
    )
    _check_cognito_issuer(auth_node, auth.issuer)
    auth_node.done()
    public = {s.name: s.public_path for s in services if s.public_path}
    public_keys = {s.name: f"services[{i}].publicPath" for i, s in enumerate(services)}
    routes: list[HttpRouteConfig] = []
    for route_node in node.nodes("routes", required=True):
        route = HttpRouteConfig(
            method=route_node.str("method", required=True, choices=_HTTP_ROUTE_METHODS),
            path=route_node.str("path", required=True, pattern=_ROUTE_PATH_RE,
                                what="a path like /telemetry or /devices/{proxy+}"),
            service=route_node.str("service", required=True))
        if route.service not in public:
            raise route_node.error("service", f"{route.service!r} is not a service with a publicPath "
                                              f"({', '.join(sorted(public)) or 'none'})",
                                   related=[f"services[{i}].{key}" for i in range(len(services))
                                            for key in ("name", "publicPath")])
        # The ALB forwards by the service's prefix, and the backend sees the route's path unchanged.
        prefix = public[route.service]
        if route.path != prefix and not route.path.startswith(prefix + "/"):
            raise route_node.error("path", f"{route.path} is not under {route.service}'s publicPath {prefix}",
                                   related=[public_keys[route.service]])
        sent = naming.http_backend_path(route.path)
        if len(sent) > AWS_MAX_PARAMETER_CHARS:
            raise route_node.error("path", f"is sent to the service as {len(sent)} characters (overwrite:path); API "
                                           f"Gateway allows {AWS_MAX_PARAMETER_CHARS}")
        if any((r.method, r.path) == (route.method, route.path) for r in routes):
            raise route_node.error("path", f"{route.method} {route.path} is already a route",
                                   related=[f"{node.key_path('routes')}[{j}].{key}" for j, r in enumerate(routes)
                                            if (r.method, r.path) == (route.method, route.path)
                                            for key in ("path", "method")])
        route_node.done()
        routes.append(route)
    if not routes:
        raise node.error("routes", "needs at least one route")
    if api.domain is None and node.has("mappingKey"):
        raise node.error("mappingKey", "only applies under api.domain, where the HTTP API is mapped",
                         related=["api.domain"])
    mapping_key = _mapping_key(node, "v1/stream")
    if api.domain is not None:
        _check_mapping_key(node, mapping_key, api.domain.name, api.domain.base_paths,
                           sorted((path, public_keys[name]) for name, path in public.items()))
    http = HttpApiConfig(
        stage_name=node.str("stageName", environment, pattern=_STAGE_RE, what="a stage name"),
        auth=auth, throttle=_throttle(node.node("throttle", required=True)), routes=tuple(routes),
        mapping_key=mapping_key, detailed_metrics=node.bool("detailedMetrics", True))
    node.done()
    return http


def _check_cognito_issuer(node: ConfigNode, issuer: str) -> None:
    """A user pool's issuer as its tokens write it: a trailing slash, or a pool id of another region than the
    endpoint's (where that pool does not exist), would make every tenant's authorizer refuse every token (401).
    Any issuer fits API Gateway's JWTConfiguration.Issuer (botocore: a URI of 1 to 2,048 characters)."""
    if len(issuer) > JWT_ISSUER_MAX_CHARS:
        raise node.error("issuer", f"is {len(issuer)} characters; API Gateway takes an issuer of at most "
                                   f"{JWT_ISSUER_MAX_CHARS}")
    cognito = _COGNITO_ISSUER_RE.match(issuer)
    if cognito is None:
        return  # another OIDC issuer: its `iss` is its own to say
    pool = _USER_POOL_PATH_RE.match(cognito["path"])
    if pool is None or pool["region"] != cognito["region"]:
        region = cognito["region"]
        raise node.error("issuer", f"{issuer} is not a user pool's issuer, https://cognito-idp.{region}.amazonaws.com/"
                                   f"{region}_<id> with no trailing slash: API Gateway compares it with each "
                                   f"token's iss exactly")


def _check_mapping_key(node: ConfigNode, key: str, domain: str, base_paths: tuple[str, ...],
                       public_paths: list[tuple[str, str]]) -> None:
    """The HTTP API's mapping must leave the REST API's paths to it. With multi-level mappings on a domain, API
    Gateway sends a request to the mapping with the longest matching prefix, compared as text, not by segments
    (the HTTP API mapping guide: `orders` takes /ordersandmore): a key longer than a base path takes every REST
    path it begins (v1/dev would take /v1/devices), and a key under a REST prefix takes that part of its proxy.
    `public_paths` are the public services' (publicPath, its key)."""
    for base in base_paths:
        if key == base:
            raise node.error("mappingKey", f"{key} is already the REST API's base path on {domain}",
                             related=["api.domain.basePaths"])
        for public, public_key in public_paths:
            rest = f"{base}{public}"  # the REST API serves /<base><publicPath> and everything under it
            if len(key) > len(base) and (rest.startswith(key) or key.startswith(rest + "/")):
                raise node.error("mappingKey", f"{key} would take https://{domain}/{rest} requests from the REST "
                                               f"API: API Gateway sends each request to the mapping with the "
                                               f"longest matching prefix", related=[public_key, "api.domain.basePaths"])


def _mapping_key(node: ConfigNode, default: str) -> str:
    """An API mapping's path (`mappingKey`): the same rules for HTTP and WebSocket APIs."""
    key = node.str("mappingKey", default, pattern=_MAPPING_KEY_RE, what="an API mapping key like v1/stream")
    if len(key) > AWS_MAX_MAPPING_KEY_CHARS:
        raise node.error("mappingKey", f"is {len(key)} characters; API Gateway allows "
                                       f"{AWS_MAX_MAPPING_KEY_CHARS} in an API mapping's path")
    return key


def _websocket_domain(node: Optional[ConfigNode], api: ApiConfig, dns: Optional[DnsConfig],
                      region: str) -> Optional[WebsocketDomainConfig]:
    """`websocketApi.domain`: a regional custom domain of its own, with the REST API's certificate and zone rules."""
    if node is None:
        return None
    name, certificate_arn = _regional_domain(node, dns, region)
    if api.domain is not None and name == api.domain.name:
        raise node.error("name", f"{name} is api.domain.name (the REST API's custom domain); API Gateway cannot map "
                                 f"a WebSocket API to the same custom domain as a REST or HTTP API",
                         related=["api.domain.name"])
    domain = WebsocketDomainConfig(name=name, certificate_arn=certificate_arn, mapping_key=_mapping_key(node, ""))
    node.done()
    return domain


def _reserved_concurrency(node: ConfigNode) -> WebsocketConcurrency:
    """`websocketApi.reservedConcurrency`: one cap for both functions, or `{authorizer, connections}`, each its own."""
    limits = {"minimum": 1, "maximum": 1000}
    raw = node.raw("reservedConcurrency", False)
    if isinstance(raw, bool) or (raw is not None and not isinstance(raw, (int, dict))):  # a bool is an int too
        raise node.error("reservedConcurrency", f"expected an integer (both functions) or {{authorizer, connections}}, "
                                                f"got {_type_name(raw)}")
    if not isinstance(raw, dict):
        both = node.int("reservedConcurrency", 50, **limits)
        return WebsocketConcurrency(authorizer=both, connections=both)
    each = node.node("reservedConcurrency")
    concurrency = WebsocketConcurrency(authorizer=each.int("authorizer", required=True, **limits),
                                       connections=each.int("connections", required=True, **limits))
    each.done()
    return concurrency


def _websocket_api(node: ConfigNode, services: list[ServiceConfig], api: ApiConfig, dns: Optional[DnsConfig],
                   environment: str, region: str, fail) -> WebsocketApiConfig:
    names = [s.name for s in services]
    ws = WebsocketApiConfig(
        stage_name=node.str("stageName", environment, pattern=_STAGE_RE, what="a stage name"),
        throttle=_throttle(node.node("throttle", required=True)),
        connect_throttle=_throttle(node.node("connectThrottle", required=True)),
        identity_source=node.str("identitySource", "header", choices=("header", "query")),
        signing_secret_arn=node.str("signingSecretArn", required=True,
                                    pattern=SECRET_ARN_RE,
                                    what="a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:"
                                         "secret:<name>)"),
        # The secret's customer managed key, if it has one: the authorizer must be allowed to decrypt with it.
        signing_secret_kms_key=node.str("signingSecretKmsKey", pattern=KMS_KEY_ARN_RE, what=KMS_KEY_ARN_WHAT),
        command_service=node.str("commandService", required=True),
        reserved_concurrency=_reserved_concurrency(node),
        max_token_hours=node.int("maxTokenHours", DEFAULT_MAX_TOKEN_HOURS, minimum=1, maximum=720),
        domain=_websocket_domain(node.node("domain"), api, dns, region),
    )
    for key, arn in (("signingSecretArn", ws.signing_secret_arn), ("signingSecretKmsKey", ws.signing_secret_kms_key)):
        node.same_partition(key, arn)
    # A secret is encrypted by a key of its own region: a key elsewhere can never be the one to decrypt with.
    secret_region = arn_service_region(ws.signing_secret_arn)[1]
    if ws.signing_secret_kms_key and (key_region := arn_service_region(ws.signing_secret_kms_key)[1]) != secret_region:
        raise node.refused_by("signingSecretKmsKey", f"is in {key_region}, and the secret (signingSecretArn) in "
                                                     f"{secret_region}: Secrets Manager encrypts a secret with a key "
                                                     "of its own region", "signingSecretArn")
    if ws.command_service not in names:
        raise node.error("commandService", f"{ws.command_service!r} is not a service in this stack",
                         related=[f"services[{i}].name" for i in range(len(names))])
    index = names.index(ws.command_service)
    for where in ("environment", "secrets"):
        if CONNECTIONS_TABLE_VARIABLE in getattr(services[index], where):
            raise fail(f"services[{index}].{where}.{CONNECTIONS_TABLE_VARIABLE}",
                       "is set by the platform for websocketApi.commandService (the connection table's name)",
                       [node.key_path("commandService")])
    node.done()
    return ws


def _with_platform_environment(services: list[ServiceConfig], ws: Optional[WebsocketApiConfig],
                               environment: str) -> tuple[ServiceConfig, ...]:
    """The services with what the platform tells them in their environment: the WebSocket API's command service
    learns which table holds each device's connection (config refuses the variable in its own environment)."""
    if ws is None:
        return tuple(services)
    table = {CONNECTIONS_TABLE_VARIABLE: naming.connection_table_name(environment)}
    return tuple(replace(s, environment={**s.environment, **table}) if s.name == ws.command_service else s
                 for s in services)


class DeviceEdge(NamedTuple):
    """What the stack's devices reach it through: PlatformConfig's fields of the same names."""
    quotas: Quotas
    tiers: tuple[TierConfig, ...]
    tenants: tuple[TenantConfig, ...]
    http_api: Optional[HttpApiConfig]
    websocket_api: Optional[WebsocketApiConfig]


def _device_edge(root: ConfigNode, services: list[ServiceConfig], api: ApiConfig, dns: Optional[DnsConfig],
                 environment: str, region: str, plane: PlaneTraits, fail) -> DeviceEdge:
    """Tenants, tiers, quotas and the HTTP and WebSocket APIs, checked against the declared quotas."""
    quotas_node = root.node("quotas")
    quotas = _quotas(quotas_node, region)
    http_node, ws_node = root.node("httpApi"), root.node("websocketApi")
    tiers = _tiers(root, api, http_api=http_node is not None)
    tenants = _tenants(root, tiers, api)
    if (http_node or ws_node) and not tenants:
        raise fail("tenants", "is required by httpApi and websocketApi: every device API call belongs to a tenant",
                   [key for key, node in (("httpApi", http_node), ("websocketApi", ws_node)) if node is not None])
    http = _http_api(http_node, services, api, environment, tenants) if http_node is not None else None
    ws = _websocket_api(ws_node, services, api, dns, environment, region, fail) if ws_node is not None else None
    if http is not None and not plane.alb_ingress:
        # HTTP API private integrations need an ALB (or Cloud Map) behind a VPC link V2; App Mesh's ingress is
        # an NLB in front of Envoy demanding client certificates, which HTTP APIs cannot present.
        raise fail("httpApi", f"needs mesh.dataPlane {SERVICE_CONNECT} (its ALB ingress); the {plane.name} "
                              f"ingress cannot take HTTP API private integrations", CHOSEN_PLANE)
    edge = DeviceEdge(quotas=quotas, tiers=tuple(tiers), tenants=tuple(tenants), http_api=http, websocket_api=ws)
    _check_edge_quotas(edge, api, quotas_node, region, fail)
    return edge


def _check_edge_quotas(edge: DeviceEdge, api: ApiConfig, quotas_node: Optional[ConfigNode], region: str,
                       fail) -> None:
    """The device edge and the REST API against the account's quotas and AWS's fixed limits, in this order (the
    first to fail is the error, and the order is part of what a stack file's author sees): API keys, the HTTP route
    scope, metric filters and usage plans; each client's throttle against the account's rate; the HTTP API's
    authorizers, routes, integrations and filter pattern; the WebSocket functions' environment, concurrency and new
    connections; then each burst against the account's bucket, and the stages' rates together."""
    quotas, tiers, tenants, http, ws = edge
    # The longest tenant name, and its key.
    longest_tenant = max(((t.name, f"tenants[{i}].name") for i, t in enumerate(tenants)),
                         key=lambda named: len(named[0]), default=("", "tenants"))
    _check_tenant_limits(api, tenants, http, quotas, longest_tenant, fail)
    account_rate = f"quotas.accountRateLimit ({quotas.account_rate_limit}{_default_in(quotas, region)})"
    # The account's rate, AWS's default in the region where the stack declares none.
    account_keys = ["quotas.accountRateLimit", *(() if quotas.rate_declared else ("aws:region",))]
    per_client = _per_client_throttles(api, tiers, http)
    _check_client_rates(per_client, quotas, account_rate, account_keys, fail)
    # The REST API's stage counts only where it is built: its throttle is required then.
    stages = [("api.throttle", api.throttle)] if api.built else []
    if http is not None:
        stages.append(("httpApi.throttle", http.throttle))
        _check_http_api_limits(http, tenants, quotas, longest_tenant, fail)
    if ws is not None:
        stages.append(("websocketApi.throttle", ws.throttle))
        _check_websocket_limits(ws, tenants, quotas, quotas_node, fail)
    # Every request also takes a token from the account's bucket: a burst bigger than it is one AWS never allows.
    if not quotas.rate_declared:
        connect = [("websocketApi.connectThrottle", ws.connect_throttle)] if ws is not None else []
        _check_bursts([(path, throttle) for path, _, throttle in per_client] + stages + connect, quotas,
                      account_keys, fail)
    _check_shared_rate(stages, quotas, account_rate, account_keys, fail)


def _check_tenant_limits(api: ApiConfig, tenants: Sequence[TenantConfig], http: Optional[HttpApiConfig],
                         quotas: Quotas, longest_tenant: tuple[str, str], fail: Callable[..., ConfigError]) -> None:
    """What the tenants and usage plans take of what the account has, and of AWS's fixed limits: API keys, the
    longest tenant name's HTTP route scope (`longest_tenant`: the name and its key), metric filters, usage plans."""
    longest, longest_key = longest_tenant
    keys = len(api.consumers) + len(tenants)
    if keys > quotas.api_keys:
        raise fail("tenants", f"{len(tenants)} tenants + {len(api.consumers)} consumers need {keys} API keys, more "
                              f"than quotas.apiKeys ({quotas.api_keys}); keys are per tenant, never per device",
                   ["quotas.apiKeys", "api.consumers"])
    if http is not None:
        scope = http.auth.tenant_scope_prefix + longest
        if len(scope) > AWS_MAX_SCOPE_CHARS:
            raise fail("httpApi.auth.tenantScopePrefix", f"makes tenant {longest}'s scope {scope} {len(scope)} "
                                                         f"characters; a route's scope may have {AWS_MAX_SCOPE_CHARS}",
                       [longest_key])
    if len(tenants) > AWS_MAX_METRIC_FILTERS_PER_LOG_GROUP:
        raise fail("tenants", f"{len(tenants)} tenants need {len(tenants)} metric filters (one each) on every API "
                              f"access log group; CloudWatch Logs allows {AWS_MAX_METRIC_FILTERS_PER_LOG_GROUP} per "
                              f"log group")
    if len(api.usage_plans) > quotas.usage_plans:
        raise fail("api.usagePlans", f"{len(api.usage_plans)} usage plans exceed quotas.usagePlans "
                                     f"({quotas.usage_plans})", ["quotas.usagePlans"])


def _per_client_throttles(api: ApiConfig, tiers: Sequence[TierConfig],
                          http: Optional[HttpApiConfig]) -> list[tuple[str, str, Throttle]]:
    """(key, whose, throttle) of every throttle a single client meets: each usage plan's and its method throttles'
    (a key's), and with the HTTP API each tier's (a tenant's). None may be higher than the account's (API Gateway's
    developer guide, "How throttling limit settings are applied": per-client limits "can't be higher than the
    per-account limits")."""
    per_client = [(f"api.usagePlans[{i}].throttle", "a key's", plan.throttle) for i, plan in enumerate(api.usage_plans)]
    per_client += [(f"api.usagePlans[{i}].methodThrottles[{j}]", "a key's", throttle)
                   for i, plan in enumerate(api.usage_plans) for j, throttle in enumerate(plan.method_throttles)]
    if http is not None:
        per_client += [(f"tiers[{i}].httpThrottle", "a tenant's", tier.http_throttle)
                       for i, tier in enumerate(tiers) if tier.http_throttle is not None]
    return per_client


def _check_client_rates(per_client: Sequence[tuple[str, str, Throttle]], quotas: Quotas, account_rate: str,
                        account_keys: Sequence[str], fail: Callable[..., ConfigError]) -> None:
    """No throttle a single client meets (`_per_client_throttles`) is higher than the account's rate."""
    for path, whose, throttle in per_client:
        if throttle.rate_limit > quotas.account_rate_limit:
            raise fail(f"{path}.rateLimit", f"{throttle.rate_limit:.15g} requests/s exceeds {account_rate}: {whose} "
                                            f"throttle may not be higher than the account's", account_keys)


def _check_http_api_limits(http: HttpApiConfig, tenants: Sequence[TenantConfig], quotas: Quotas,
                           longest_tenant: tuple[str, str], fail: Callable[..., ConfigError]) -> None:
    """The HTTP API's authorizers, routes and integrations (one each per tenant, per tenant and route) against the
    quotas, and the longest tenant name's metric filter pattern against CloudWatch Logs' limit."""
    longest, longest_key = longest_tenant
    if len(tenants) > quotas.authorizers_per_http_api:
        raise fail("tenants", f"{len(tenants)} tenants need {len(tenants)} authorizers on the HTTP API (one each), "
                              f"more than quotas.authorizersPerHttpApi ({quotas.authorizers_per_http_api})",
                   ["quotas.authorizersPerHttpApi"])
    routes = len(tenants) * len(http.routes)
    if routes > quotas.routes_per_api:
        raise fail("httpApi.routes", f"{len(http.routes)} routes x {len(tenants)} tenants = {routes} routes, more "
                                     f"than quotas.routesPerApi ({quotas.routes_per_api})",
                   ["quotas.routesPerApi", "tenants"])
    if routes > quotas.integrations_per_http_api:
        raise fail("httpApi.routes", f"{routes} integrations (one per tenant route) exceed "
                                     f"quotas.integrationsPerHttpApi ({quotas.integrations_per_http_api})",
                   ["quotas.integrationsPerHttpApi", "tenants"])
    pattern = any_equal_pattern("routeKey", [route.key(longest) for route in http.routes])
    if len(pattern) > AWS_MAX_FILTER_PATTERN_CHARS:
        raise fail("httpApi.routes", f"{len(http.routes)} routes make tenant {longest}'s metric filter pattern "
                                     f"{len(pattern)} characters; CloudWatch Logs allows "
                                     f"{AWS_MAX_FILTER_PATTERN_CHARS}", [longest_key])


def _check_websocket_limits(ws: WebsocketApiConfig, tenants: Sequence[TenantConfig], quotas: Quotas,
                            quotas_node: Optional[ConfigNode], fail: Callable[..., ConfigError]) -> None:
    """The WebSocket API's functions (the authorizer's environment, their reserved concurrency) and its new
    connections against Lambda's limits and the account's quotas."""
    # The authorizer gets the tenant list in its environment, and Lambda allows 4 KB of variables in all.
    variables = ws.authorizer_environment([t.name for t in tenants])
    size = lambda_environment_bytes(variables)
    if size > LAMBDA_ENVIRONMENT_BYTES:
        raise fail("tenants", f"{len(tenants)} tenant names take {size} bytes of the WebSocket authorizer's "
                              f"environment; Lambda allows {LAMBDA_ENVIRONMENT_BYTES}")
    # AWS gives new accounts less than its default concurrency (the Lambda quotas page), and reserving more
    # than the account has fails the functions' `up`: the stack must say what its account has.
    if quotas_node is None or quotas_node.raw("lambdaConcurrency", False) is None:
        raise fail("quotas.lambdaConcurrency", "is required with websocketApi: its functions reserve concurrency, "
                                               "and new accounts have less than AWS's default 1000 (Service "
                                               "Quotas, L-B99A9384)", ["websocketApi"])
    reserved = ws.reserved_concurrency
    if reserved.total > quotas.lambda_concurrency - LAMBDA_UNRESERVED_CONCURRENCY:
        raise fail("websocketApi.reservedConcurrency",
                   f"authorizer {reserved.authorizer} + connections {reserved.connections} = {reserved.total} "
                   f"reserved, more than "
                   f"quotas.lambdaConcurrency ({quotas.lambda_concurrency}) minus the "
                   f"{LAMBDA_UNRESERVED_CONCURRENCY} AWS keeps unreserved", ["quotas.lambdaConcurrency"])
    if ws.connect_throttle.rate_limit > quotas.websocket_connects_per_second:
        raise fail("websocketApi.connectThrottle.rateLimit",
                   f"{ws.connect_throttle.rate_limit:.15g} new connections/s exceeds "
                   f"quotas.websocketConnectsPerSecond ({quotas.websocket_connects_per_second})",
                   ["quotas.websocketConnectsPerSecond"])


def _check_bursts(throttles: Sequence[tuple[str, Throttle]], quotas: Quotas, account_keys: Sequence[str],
                  fail: Callable[..., ConfigError]) -> None:
    """Each throttle's burst against the account's bucket, known only where the stack leaves the rate to AWS's
    default (`Quotas.rate_declared`)."""
    for path, throttle in throttles:
        if throttle.burst_limit > quotas.account_burst_limit:
            raise fail(f"{path}.burstLimit", f"{throttle.burst_limit} exceeds {quotas.account_burst_limit}, the "
                                             f"account's burst at AWS's default rate ({quotas.account_rate_limit} "
                                             f"requests/s): lower it, or have the rate raised and declare it in "
                                             f"quotas.accountRateLimit (AWS sets the burst from it)", account_keys)


def _check_shared_rate(stages: Sequence[tuple[str, Throttle]], quotas: Quotas, account_rate: str,
                       account_keys: Sequence[str], fail: Callable[..., ConfigError]) -> None:
    """All APIs of the account and region share one throttle: the stages together must fit in it."""
    total = sum(t.rate_limit for _, t in stages)
    if total > quotas.account_rate_limit:
        parts = " + ".join(f"{path}.rateLimit {t.rate_limit:.15g}" for path, t in stages)
        largest = max(stages, key=lambda stage: stage[1].rate_limit)[0]  # the one to lower first
        raise fail(largest + ".rateLimit", f"{parts} = {total:.15g} requests/s, more than {account_rate} shared by "
                                           f"all APIs in the region",
                   [*(f"{path}.rateLimit" for path, _ in stages if path != largest), *account_keys])
