"""The stack config model: raw `Pulumi.<stack>.yaml` values in, typed and validated objects out.

Everything a component needs comes from here, and every malformed input stops the program here,
before any resource is declared, with one line naming the stack file and the key path:

    Pulumi.dev.yaml: services[2].port: 70000 is not a port (1-65535)
"""
from __future__ import annotations

import difflib
import ipaddress
import json
import math
import re
import shlex
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence, TypeVar

import pulumi

from .api_logs import any_equal_pattern
from .alarms import KINDS as ALARM_KINDS, SEVERITIES
from . import naming
from .tagging import BUSIEST_OWN_TAG_KEYS
from .workload import ENVOY_ADMIN_PORT, ENVOY_EGRESS_PORT, ENVOY_INGRESS_PORT

PROJECT = "service-mesh-platform"
# The variable that names the WebSocket connection table in the command service's container.
CONNECTIONS_TABLE_VARIABLE = "CONNECTIONS_TABLE"
# The Network Firewall's allow-list of external hosts is a rule group whose capacity is fixed at creation
# (egress.FIREWALL_RULE_CAPACITY, derived from this): more hosts than it holds fail at up, and a larger
# capacity replaces the group. A domain list takes a rule per host and target type, plus a drop rule per type.
MAX_FIREWALL_EXTERNALS = 48
# Where the runbooks are read (this repository's docs/runbooks/); a stack may point at its own copy.
DEFAULT_RUNBOOK_BASE_URL = "https://github.com/platform-team/service-mesh-platform/blob/main"

T = TypeVar("T")


class ConfigError(pulumi.RunError):
    """A stack config problem. `pulumi.RunError` makes the engine print the message without a traceback."""


# --------------------------------------------------------------------------------------------------
# Typed model
# --------------------------------------------------------------------------------------------------


# The egress DNS Firewall rule group's priority on the VPC: AWS allows 100-9900, unique per VPC.
DNS_FIREWALL_PRIORITY = 101


@dataclass(frozen=True)
class CreateNetwork:
    cidr: str
    az_count: int
    nat_gateways: int
    # The AZs the subnet layout leaves room for: each subnet's block depends on its tier and AZ alone, so
    # raising az_count up to it adds subnets and moves none (a subnet's CIDR and zone are ForceNew).
    az_slots: int = 3



@dataclass(frozen=True)
class ExistingNetwork:
    vpc_id: str
    vpc_cidr: str
    private_subnet_ids: tuple[str, ...]
    public_subnet_ids: tuple[str, ...]
    # The private subnets' route tables: the S3 gateway endpoint adds its prefix-list route to them.
    private_route_table_ids: tuple[str, ...] = ()
    # Dedicated subnets for Network Firewall endpoints, one per private subnet and in its AZ (same order).
    firewall_subnet_ids: tuple[str, ...] = ()
    # The egress DNS Firewall rule group's place among the VPC's (unique per VPC: its owner's may hold 101).
    dns_firewall_priority: int = DNS_FIREWALL_PRIORITY


@dataclass(frozen=True)
class NetworkConfig:
    create: Optional[CreateNetwork] = None
    existing: Optional[ExistingNetwork] = None
    # Interface endpoints (private DNS) and the S3 gateway endpoint: AWS API calls stay in the VPC.
    endpoints: bool = True
    # Accounts besides the stack's own whose principals may use the endpoints (a task that assumes a role there).
    endpoint_accounts: tuple[str, ...] = ()
    # AWS Network Firewall on the NAT path, allowing only the declared external hosts (prod).
    firewall: bool = False

    @property
    def dns_firewall_priority(self) -> int:
        return self.existing.dns_firewall_priority if self.existing else DNS_FIREWALL_PRIORITY


@dataclass(frozen=True)
class TlsConfig:
    # STRICT everywhere unless a stack says PERMISSIVE by name; the policy pack flags that.
    mode: str = "STRICT"
    certificate_validity_hours: int = 2160
    early_renewal_hours: int = 720
    # When set, workload certificates are CSRs signed by this ACM Private CA instead of a pulumi-tls CA.
    private_ca_arn: Optional[str] = None
    # ACM PCA signs with the CA's own key type, so the algorithm must match that CA (RSA or ECDSA).
    private_ca_signing_algorithm: str = "SHA256WITHRSA"


# The data planes a stack can choose (`mesh.dataPlane`). App Mesh was discontinued on 2026-09-30; it stays a
# selectable, tested mode that documents the design the brief asked for.
SERVICE_CONNECT = "serviceconnect"
APP_MESH = "appmesh"
DATA_PLANES = (SERVICE_CONNECT, APP_MESH)


@dataclass(frozen=True)
class PlaneTraits:
    """What a data plane can express in a stack file, and why not where it cannot. Config reads these from
    `PLANES[mesh.dataPlane]` and never asks which plane a stack chose. (components/dataplane's own table says how
    each plane is built: it imports this module, so the two cannot be one.)"""

    name: str
    # mesh.envoyImage is required: the plane runs our Envoy (ECS manages Service Connect's proxy itself).
    runs_envoy: bool
    # Why mesh.canary does not apply, or None where it does (a canary rolled out by deployment).
    no_canary_rollout: Optional[str]
    # The most versions a service may have, and why; None for no limit.
    max_versions: Optional[tuple[int, str]]
    # Why a version's headerMatch cannot be a prefix, or None where it can.
    no_header_prefix: Optional[str]
    # The service keys the plane cannot express, and why.
    fixed_service_keys: Mapping[str, str]
    # The mesh settings the plane does not read (a stack file keeps them for the other plane), which may only be
    # left at their defaults, and why.
    fixed_mesh_settings: Mapping[str, str]
    # Timeouts are whole seconds.
    whole_second_timeouts: bool
    # Public services sit behind the ingress ALB (which needs `ingress`, takes HTTP API private integrations, and
    # has an idle timeout a service's must exceed).
    alb_ingress: bool
    # Each version is a workload of its own (its own roles), rather than each service.
    workload_per_version: bool
    # The longest name a service may be called by (`<service>.<env>.<mesh.domain>`), and what takes it.
    max_service_dns_name: tuple[int, str]


PLANES = {
    SERVICE_CONNECT: PlaneTraits(
        name=SERVICE_CONNECT, runs_envoy=False, no_canary_rollout=None,
        max_versions=(2, "Service Connect runs a service and at most one canary version (an ECS CANARY deployment); "
                         "a third version needs mesh.dataPlane: appmesh"),
        no_header_prefix="Service Connect's test traffic rules match a header exactly; use exact (or mesh.dataPlane: "
                         "appmesh)",
        # AWS fixes its retries (2, the second on another host) and outlier detection (5 failed connections in 30 s
        # eject a host), and it has no connection pools.
        fixed_service_keys={
            "retry": "Service Connect's retries are fixed by AWS (2 retries, the second on another host)",
            "outlierDetection": "Service Connect's outlier detection is fixed by AWS (5 failed connections in 30 s "
                                "eject a host for 30-300 s)",
            "connectionPool": "Service Connect has no connection pools",
        },
        # A stack file may keep App Mesh's settings for a switch back, as the shipped ones do, but not ask for
        # something this plane would silently not do.
        fixed_mesh_settings={
            "tls.mode": "Service Connect has no permissive TLS mode",
            "ipPreference": "the Service Connect plane sets no IP preference, an App Mesh setting",
            "gatewayPort": "Service Connect has no virtual gateway (its ingress is the ALB)",
            "tls.certificateValidityHours": "ECS issues and rotates Service Connect's certificates itself",
            "tls.earlyRenewalHours": "ECS issues and rotates Service Connect's certificates itself",
            "tls.privateCaSigningAlgorithm": "ECS issues Service Connect's certificates itself",
        },
        whole_second_timeouts=True, alb_ingress=True, workload_per_version=False,
        max_service_dns_name=(127, "a Service Connect client alias")),
    APP_MESH: PlaneTraits(
        name=APP_MESH, runs_envoy=True,
        no_canary_rollout="only the Service Connect data plane rolls canaries out by deployment; App Mesh splits "
                          "traffic by the versions' weights",
        max_versions=None, no_header_prefix=None, fixed_service_keys={}, fixed_mesh_settings={},
        whole_second_timeouts=False,
        alb_ingress=False, workload_per_version=True, max_service_dns_name=(255, "an App Mesh virtual service name")),
}


@dataclass(frozen=True)
class CanaryRollout:
    """How Service Connect rolls a canary version out (ECS's CANARY deployment strategy), in minutes."""

    # How long the canary share of tasks serves before ECS shifts the rest (0-1440).
    canary_bake_minutes: int = 10
    # How long the old tasks are kept after the shift, so an alarm can still roll back (0-1440).
    bake_minutes: int = 15


@dataclass(frozen=True)
class MeshConfig:
    domain: str
    ip_preference: str
    tls: TlsConfig
    # Envoy's image: App Mesh only (Service Connect's proxy is managed by ECS).
    envoy_image: Optional[str] = None
    # The ingress virtual gateway's listener port (the NLB forwards to it); App Mesh only.
    gateway_port: int = 8080
    data_plane: str = SERVICE_CONNECT
    canary: CanaryRollout = CanaryRollout()
    # App Mesh's API no longer answers: keep every aws:appmesh/* resource out of delete calls, so the update
    # that leaves App Mesh drops them from the state instead (docs/migration.md).
    retire_app_mesh: bool = False


@dataclass(frozen=True)
class Autoscaling:
    min_capacity: int
    max_capacity: int
    cpu_target_percent: int


@dataclass(frozen=True)
class Sizing:
    desired_count: int
    cpu: int
    memory: int
    autoscaling: Autoscaling
    log_retention_days: int


@dataclass(frozen=True)
class HeaderMatch:
    """A canary's header route: exactly one of `exact` or `prefix` (App Mesh only) is set."""

    name: str
    exact: Optional[str] = None
    prefix: Optional[str] = None

    @property
    def match(self) -> dict:
        return {"exact": self.exact} if self.exact is not None else {"prefix": self.prefix}


@dataclass(frozen=True)
class ServiceVersion:
    name: str
    weight: int
    image: str
    header_match: Optional[HeaderMatch] = None


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 3
    per_retry_timeout_ms: int = 2000
    http_events: tuple[str, ...] = ("stream-error", "gateway-error")
    tcp_events: tuple[str, ...] = ("connection-error",)


@dataclass(frozen=True)
class ServiceTimeouts:
    # AWS's own idle default for HTTP on Service Connect and App Mesh routes: 5 minutes.
    idle_ms: int = 300000
    per_request_ms: int = 15000


# The ingress ALB's idle timeout (components/ingress.py sets it). Behind it, a public service's proxy must keep idle
# connections open longer, or the ALB reuses one the proxy has just closed and answers 502 (ELB user guide,
# "Connection idle timeout").
ALB_IDLE_TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class OutlierDetection:
    # The seed's circuit breaker: eject after 5 server errors in 10 s for 30 s, at most 50 %.
    max_server_errors: int = 5
    interval_ms: int = 10000
    base_ejection_ms: int = 30000
    max_ejection_percent: int = 50


@dataclass(frozen=True)
class ConnectionPool:
    max_connections: int = 1024
    max_pending_requests: int = 1024


@dataclass(frozen=True)
class ContainerHealthCheck:
    """The app container's health check (ECS HealthCheck): ECS replaces a service's task whose essential container
    turns UNHEALTHY, which is what notices a hung process where no load balancer checks the task."""

    # ECS's form: ["CMD-SHELL", "<shell command>"] or ["CMD", "<executable>", "<arg>"...].
    command: tuple[str, ...]
    interval_seconds: int = 30
    timeout_seconds: int = 5
    retries: int = 3
    # 0: no start period (ECS's default).
    start_period_seconds: int = 0

    def for_service(self, port: int, path: str) -> "ContainerHealthCheck":
        """The check with `{port}` and `{path}` in its command replaced by a service's port and health check path
        (a stack-wide check names them; replaced literally, so a shell's own `${...}` stays as written). A shell
        command gets the path quoted: `/health?a=1&b=2` must stay one argument, not run curl in the background."""
        if self.command[0] == "CMD-SHELL":
            path = shlex.quote(path)
        command = tuple(part.replace("{port}", str(port)).replace("{path}", path) for part in self.command)
        return replace(self, command=command)


@dataclass(frozen=True)
class ServiceConfig:
    name: str
    image: str
    port: int
    health_check_path: str
    public_path: Optional[str]
    calls: tuple[str, ...]
    externals: tuple[str, ...]
    versions: tuple[ServiceVersion, ...]
    secrets: Mapping[str, str]
    environment: Mapping[str, str]
    sizing: Sizing
    retry: RetryPolicy
    timeouts: ServiceTimeouts
    outlier_detection: OutlierDetection
    connection_pool: ConnectionPool
    # The L7 protocol of the service's port (Service Connect's `appProtocol`): http, http2 or grpc.
    protocol: str = "http"
    # The query string parameters its GET responses depend on: the API's cache keys on them (public services).
    query_parameters: tuple[str, ...] = ()
    # Customer managed KMS keys its secrets are encrypted with: the execution role may decrypt with them.
    secrets_kms_keys: tuple[str, ...] = ()
    container_health_check: Optional[ContainerHealthCheck] = None

    @property
    def primary_version(self) -> ServiceVersion:
        return self.versions[0]

    @property
    def canary_version(self) -> Optional[ServiceVersion]:
        return self.versions[1] if len(self.versions) > 1 else None


@dataclass(frozen=True)
class ExternalConfig:
    name: str
    host: str
    port: int


@dataclass(frozen=True)
class Throttle:
    rate_limit: float
    burst_limit: int


@dataclass(frozen=True)
class Quota:
    limit: int
    period: str


@dataclass(frozen=True)
class MethodThrottle:
    path: str
    method: str  # a verb, or "*"
    rate_limit: float
    burst_limit: int

    @property
    def verbs(self) -> tuple[str, ...]:
        """The verbs it throttles: a usage plan keys each throttle by one verb, so "*" is every proxied verb."""
        return API_METHODS if self.method == "*" else (self.method,)


@dataclass(frozen=True)
class UsagePlanConfig:
    name: str
    throttle: Throttle
    quota: Quota
    method_throttles: tuple[MethodThrottle, ...] = ()


@dataclass(frozen=True)
class ConsumerConfig:
    name: str
    plan: str


@dataclass(frozen=True)
class EmailSender:
    """Who a created user pool's mail (verification codes, invitations) comes from: an Amazon SES identity,
    not Cognito's built-in sender, whose daily allowance AWS calls below what production needs."""
    identity_arn: str  # a verified SES identity: an address, or a domain
    from_address: Optional[str] = None  # "Name <address>" or an address covered by the identity
    reply_to: Optional[str] = None


@dataclass(frozen=True)
class AuthConfig:
    type: str  # cognito | jwt | iam
    user_pool_arn: Optional[str] = None  # cognito: bring a pool; otherwise one is created
    authorizer_lambda_arn: Optional[str] = None  # jwt: a Lambda TOKEN authorizer
    identity_source: str = "method.request.header.Authorization"
    # cognito, a created pool: whether anyone may sign up (shoppers), or only administrators create users.
    self_sign_up: bool = True
    email_sender: Optional[EmailSender] = None  # cognito, a created pool: mail through SES


@dataclass(frozen=True)
class CacheConfig:
    enabled: bool = False
    size_gb: str = "0.5"
    ttl_seconds: int = 60


@dataclass(frozen=True)
class WafConfig:
    enabled: bool = False
    rate_limit_per_5min: int = 2000


@dataclass(frozen=True)
class CorsConfig:
    """Browser access: an OPTIONS preflight answered by API Gateway itself (no auth, never reaches the mesh); the
    ingress ALB adds the origin to the services' responses on Service Connect."""
    allow_origin: str
    max_age_seconds: int = 600


@dataclass(frozen=True)
class DomainConfig:
    name: str
    # None: the stack issues a DNS-validated certificate in the configured zone (`dns`).
    certificate_arn: Optional[str] = None
    base_paths: tuple[str, ...] = ("v1",)


@dataclass(frozen=True)
class DnsConfig:
    """The public Route 53 zone the stack may write to: certificate validation records and aliases."""

    hosted_zone_id: Optional[str] = None
    zone_name: Optional[str] = None  # looked up when no id is given


@dataclass(frozen=True)
class IngressConfig:
    """The Service Connect ingress ALB's name: API Gateway calls it and verifies its certificate."""

    host_name: str
    # None: the stack issues a DNS-validated certificate in the configured zone (`dns`).
    certificate_arn: Optional[str] = None


@dataclass(frozen=True)
class ApiConfig:
    name: str  # the REST API's name (components/naming.py::api_name)
    description: str
    stage_name: str
    integration_timeout_ms: int
    logging_level: str
    data_trace_enabled: bool
    metrics_enabled: bool
    throttle: Throttle
    auth: AuthConfig
    cache: CacheConfig
    waf: WafConfig
    domain: Optional[DomainConfig]
    usage_plans: tuple[UsagePlanConfig, ...]
    consumers: tuple[ConsumerConfig, ...]
    cors: Optional[CorsConfig] = None
    # Whether this stack sets the account's API Gateway CloudWatch role in its region (`aws.apigateway.Account`,
    # one per account and region): stacks sharing an account and region must leave it to exactly one, or
    # they overwrite each other's, and destroying any of them resets it for all.
    cloudwatch_role: bool = True


@dataclass(frozen=True)
class AlarmsConfig:
    email: Optional[str] = None
    # An HTTPS endpoint (a pager) that receives alarms. It is a secret in the stack file
    # (`alarmPagerEndpoint`), so it only ever travels as a secret Output.
    pager_endpoint: Optional[pulumi.Output] = None
    p99_latency_ms: int = 1000
    five_xx_rate_percent: float = 5.0
    four_xx_rate_percent: float = 10.0
    # Every alarm's description links <runbookBaseUrl>/docs/runbooks/<kind>.md.
    runbook_base_url: str = DEFAULT_RUNBOOK_BASE_URL
    # Alarm kind -> page | ticket, over the defaults in components/alarms.KINDS.
    severities: Mapping[str, str] = field(default_factory=lambda: dict(ALARM_KINDS))


# --- device APIs, tenants and quotas (the IoT stack; all optional) --------------------------------


@dataclass(frozen=True)
class Quotas:
    """The account's quotas in the stack's region as raised (defaults: AWS's defaults). Another stack in the
    same account and region shares the account-wide ones, so declare what this stack may use, not the whole
    account's; the per-resource ones (rules per group, resources per API) apply to each of its resources."""
    account_rate_limit: int = 10000  # requests/s across REST, HTTP and WebSocket APIs (raisable)
    api_keys: int = 10000  # per account per region (not raisable)
    usage_plans: int = 300  # per account per region (raisable)
    routes_per_api: int = 300  # HTTP and WebSocket (raisable)
    integrations_per_http_api: int = 300  # not raisable
    websocket_connects_per_second: int = 500  # new connections, all WebSocket APIs (raisable)
    lambda_concurrency: int = 1000  # concurrent executions, all functions of the region (raisable)
    # Inbound, and apart outbound, rules per security group (VPC quota L-0EA8095F, raisable; see _check_capacity).
    security_group_rules: int = 60
    rest_resources_per_api: int = 300  # resources of one REST API (raisable, per API)
    # Method-level throttles of one stage in one usage plan (raisable through AWS Support only).
    method_throttles_per_plan: int = 20
    alb_targets: int = 1000  # targets registered with one Application Load Balancer (raisable, per ALB)


@dataclass(frozen=True)
class TierConfig:
    name: str
    usage_plan: str  # the REST usage plan its tenants' API keys join
    http_throttle: Throttle  # each of its tenants' HTTP routes


@dataclass(frozen=True)
class TenantConfig:
    name: str
    tier: str


@dataclass(frozen=True)
class HttpRouteConfig:
    method: str
    path: str  # under the service's publicPath ("/ingest/telemetry", "/data/{proxy+}"); clients call /<tenant><path>
    service: str  # the public service the ALB forwards its publicPath to

    def key(self, tenant: str) -> str:
        """The tenant's route key: the HTTP API's route, and `$context.routeKey` in its access log."""
        return f"{self.method} /{tenant}{self.path}"


@dataclass(frozen=True)
class JwtAuthConfig:
    issuer: str
    audience: tuple[str, ...]
    # Each tenant's routes need this scope + the tenant name (e.g. "iot/tenant.acme").
    tenant_scope_prefix: str = "iot/tenant."


@dataclass(frozen=True)
class HttpApiConfig:
    stage_name: str
    auth: JwtAuthConfig
    throttle: Throttle
    routes: tuple[HttpRouteConfig, ...]
    mapping_key: str  # under api.domain, e.g. "v1/stream"
    detailed_metrics: bool = True


# The device authorizer's own fallback (lambdas/device_authorizer/handler.py MAX_TOKEN_SECONDS) is the same day.
DEFAULT_MAX_TOKEN_HOURS = 24


@dataclass(frozen=True)
class WebsocketApiConfig:
    stage_name: str
    throttle: Throttle  # messages (stage default)
    connect_throttle: Throttle  # $connect: new connections
    identity_source: str  # "header" (Authorization) or "query" (token)
    signing_secret_arn: str
    command_service: str  # the one service allowed to post to @connections
    reserved_concurrency: int
    # How far ahead a device token's expiry may lie: the authorizer refuses longer-lived tokens.
    max_token_hours: int = DEFAULT_MAX_TOKEN_HOURS
    lambda_runtime: str = "python3.13"

    def authorizer_environment(self, tenants: Sequence[str]) -> dict[str, str]:
        """The $connect authorizer's environment (what lambdas/device_authorizer/handler.py reads)."""
        return {"SIGNING_SECRET_ARN": self.signing_secret_arn, "ALLOWED_TENANTS": ",".join(tenants),
                "MAX_TOKEN_SECONDS": str(self.max_token_hours * 3600)}

    @property
    def identity_expression(self) -> str:
        return {"header": "route.request.header.Authorization",
                "query": "route.request.querystring.token"}[self.identity_source]


@dataclass(frozen=True)
class AuditConfig:
    """Audit and access logging. Both are opt-in per stack: an organisation trail may already cover the account."""
    # A multi-region CloudTrail trail into an object-locked (COMPLIANCE) log archive bucket.
    trail: bool = False
    archive_retention_days: int = 365
    # Log files move to S3 Glacier Flexible Retrieval after this many days.
    archive_transition_days: int = 90
    # The trail also delivers to a CloudWatch log group (`/<env>/cloudtrail`), kept this many days: recent
    # activity to query and alarm on. The stack file's `audit.cloudWatchLogs` defaults to `trail` (`_audit`):
    # without a trail there is nothing to deliver.
    cloud_watch_logs: bool = False
    cloud_watch_logs_retention_days: int = 90
    # Load balancer access logs into a regional log bucket.
    load_balancer_access_logs: bool = False
    access_log_retention_days: int = 90


@dataclass(frozen=True)
class PlatformConfig:
    stack_file: str
    environment: str
    region: str
    tags: Mapping[str, str]
    network: NetworkConfig
    mesh: MeshConfig
    sizing: Sizing
    protect: bool
    enable_execute_command: bool
    services: tuple[ServiceConfig, ...]
    externals: tuple[ExternalConfig, ...]
    api: ApiConfig
    alarms: AlarmsConfig = field(default_factory=AlarmsConfig)
    audit: AuditConfig = field(default_factory=AuditConfig)
    dns: Optional[DnsConfig] = None
    ingress: Optional[IngressConfig] = None
    quotas: Quotas = field(default_factory=Quotas)
    tiers: tuple[TierConfig, ...] = ()
    tenants: tuple[TenantConfig, ...] = ()
    http_api: Optional[HttpApiConfig] = None
    websocket_api: Optional[WebsocketApiConfig] = None

    @property
    def namespace(self) -> str:
        """The Cloud Map namespace, e.g. `dev.ecommerce.local`."""
        return f"{self.environment}.{self.mesh.domain}"

    @property
    def mesh_name(self) -> str:
        return f"{self.environment}-mesh"

    def virtual_service_name(self, service: str) -> str:
        """The FQDN clients call; it must resolve in DNS inside the task."""
        return f"{service}.{self.namespace}"

    def service(self, name: str) -> ServiceConfig:
        return next(s for s in self.services if s.name == name)

    def external(self, name: str) -> ExternalConfig:
        return next(e for e in self.externals if e.name == name)

    def internet_ports(self, service: ServiceConfig) -> tuple[int, ...]:
        """Ports a service may reach on the internet (through NAT and the firewalls): its externals', and 443
        for the WebSocket API's command service, which posts to the API's public @connections endpoint."""
        ports = {self.external(e).port for e in service.externals}
        if self.websocket_api is not None and service.name == self.websocket_api.command_service:
            ports.add(443)
        return tuple(sorted(ports))

    @property
    def public_services(self) -> tuple[ServiceConfig, ...]:
        return tuple(s for s in self.services if s.public_path)


# --------------------------------------------------------------------------------------------------
# Reading raw values with key paths
# --------------------------------------------------------------------------------------------------

_NAME_RE = re.compile(r"^[a-z][a-z0-9-]{0,38}[a-z0-9]$")
_VERSION_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,15}$")
REGION_RE = re.compile(r"^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$")  # us-east-1, us-gov-west-1, eusc-de-east-1
_HTTPS_URL_RE = re.compile(r"^https://[^\s/]+\S*$")
HOST_RE = re.compile(r"^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}$")
# An image reference as ECS takes it (at most 255 ASCII characters), in the distribution project's grammar: an
# optional registry (a first part with a dot or a port, or localhost: any other first part with a dot, a colon or
# an upper-case letter is a registry Docker cannot parse), a lower-case repository path, a tag, a digest.
_IMAGE_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_IMAGE_PATH_PART = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_IMAGE_RE = re.compile(
    rf"^(?=.{{1,255}}$)(?:(?:{_IMAGE_LABEL}(?:\.{_IMAGE_LABEL})+|localhost)(?::\d+)?/|{_IMAGE_LABEL}:\d+/"
    rf"|(?![^/]*[.:A-Z][^/]*/)){_IMAGE_PATH_PART}(?:/{_IMAGE_PATH_PART})*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{{0,127}})?"
    r"(?:@[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-f0-9]{32,})?$", re.ASCII)
_DOMAIN_RE = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")
API_NAME_RE = re.compile(r"^[a-z][a-z0-9-]{1,62}[a-z0-9]$")
ENV_RE = re.compile(r"^[a-z][a-z0-9]{1,15}$")
_HEADER_VALUE_RE = re.compile(r"^.+$")  # not empty; _matches refuses a line break in it
DEFAULT_IP_PREFERENCE = "IPv4_ONLY"
_IP_PREFERENCES = ("IPv4_ONLY", "IPv4_PREFERRED", "IPv6_ONLY", "IPv6_PREFERRED")
_PCA_SIGNING_ALGORITHMS = ("SHA256WITHRSA", "SHA384WITHRSA", "SHA512WITHRSA", "SHA256WITHECDSA", "SHA384WITHECDSA",
                           "SHA512WITHECDSA")
# Envoy's ingress, egress and admin ports (components/workload.py); nothing else may listen on them.
_ENVOY_PORTS = (ENVOY_INGRESS_PORT, ENVOY_EGRESS_PORT, ENVOY_ADMIN_PORT)
_QUOTA_PERIODS = ("DAY", "WEEK", "MONTH")
_APP_PROTOCOLS = ("http", "http2", "grpc")
_LOG_LEVELS = ("ERROR", "INFO", "OFF")
_AUTH_TYPES = ("cognito", "jwt", "iam")
# The verbs every public route proxies, one Method each (not ANY): usage-plan method throttles key on a
# real method ("/orders/{proxy+}/POST"), and verbs outside this list are refused at the edge.
API_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
# A method throttle names one of those verbs, or "*" for all of them.
_HTTP_METHODS = API_METHODS + ("*",)
# The REST resource under a public prefix that takes every deeper path.
PROXY_PART = "{proxy+}"


def route_resource_paths(public_path: str) -> tuple[str, str]:
    """The REST API resources one public prefix gets (components/api.py): the prefix, under the API's root, and its
    `{proxy+}` child. A publicPath is one segment, so prefixes share no parent but the root."""
    return public_path, f"{public_path}/{PROXY_PART}"


# CloudWatch Logs accepts only these retention values.
_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
                   2922, 3288, 3653)
# Fargate CPU units and the memory (MiB) each one accepts: the ECS task-size table (RegisterTaskDefinition).
FARGATE_MEMORY = {
    256: (512, 1024, 2048),
    512: tuple(range(1024, 4097, 1024)),
    1024: tuple(range(2048, 8193, 1024)),
    2048: tuple(range(4096, 16385, 1024)),
    4096: tuple(range(8192, 30721, 1024)),
    8192: tuple(range(16384, 61441, 4096)),
    16384: tuple(range(32768, 122881, 8192)),
}


# No name, host, path, ARN or header value holds a control character (a line break, a tab, NUL), and a pattern's `$`
# matches before a trailing newline: without this, "dev\n" would pass ^[a-z][a-z0-9]{1,15}$ and reach resource names.
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


def _matches(pattern: re.Pattern, value: str) -> bool:
    return pattern.match(value) is not None and not _CONTROL_RE.search(value)


def _key(key: Any) -> str:
    """A key as a message's key path shows it: quoted when it is empty, has spaces around it or a character that does
    not print (a line break), so the message stays one line and the key can be told apart."""
    text = str(key)
    return text if text and text == text.strip() and text.isprintable() else repr(text)


def _type_name(value: Any) -> str:
    if value == "":
        return "nothing"  # `key:` with no value reaches the program as an empty string
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list",
            dict: "a mapping", type(None): "null"}.get(type(value), type(value).__name__)


class ConfigNode:
    """A raw mapping plus where it sits in the stack file; records which keys were read."""

    def __init__(self, fail: Callable[[str, str], ConfigError], path: str, value: Any):
        self._fail = fail
        self.path = path
        if not isinstance(value, Mapping):
            raise fail(path, f"expected a mapping, got {_type_name(value)}")
        self._raw = value
        self._read: set[str] = set()

    def key_path(self, key: str) -> str:
        return f"{self.path}.{_key(key)}" if self.path else _key(key)

    def error(self, key: str, problem: str) -> ConfigError:
        return self._fail(self.key_path(key), problem)

    def error_at(self, path: str, problem: str) -> ConfigError:
        """An error at a path this node's keys do not spell alone (a list item, a map entry, the node itself)."""
        return self._fail(path, problem)

    def has(self, key: str) -> bool:
        return key in self._raw

    def raw(self, key: str, required: bool) -> Any:
        self._read.add(key)
        if key not in self._raw or self._raw[key] is None:
            if required:
                raise self.error(key, "is required")
            return None
        return self._raw[key]

    def str(self, key: str, default: Optional[str] = None, *, required: bool = False,
            choices: Iterable[str] = (), pattern: Optional[re.Pattern] = None, what: str = "") -> Optional[str]:
        value = self.raw(key, required)
        if value is None:
            return default
        if not isinstance(value, str):
            raise self.error(key, f"expected a string, got {_type_name(value)}")
        choices = tuple(choices)
        if choices and value not in choices:
            raise self.error(key, f"{value!r} is not one of {', '.join(choices)}")
        if pattern is not None and not _matches(pattern, value):
            raise self.error(key, f"{value!r} is not {what or 'valid'}")
        return value

    def int(self, key: str, default: Optional[int] = None, *, required: bool = False,
            minimum: Optional[int] = None, maximum: Optional[int] = None, what: str = "") -> Optional[int]:
        value = self.raw(key, required)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(key, f"expected an integer, got {_type_name(value)}")
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            if what:
                raise self.error(key, f"{value} is not {what}")
            if maximum is None:
                raise self.error(key, f"{value} is less than {minimum}")
            raise self.error(key, f"{value} is out of range ({minimum}-{maximum})")
        return value

    def number(self, key: str, default: Optional[float] = None, *, required: bool = False,
               minimum: float = 0, maximum: Optional[float] = None) -> Optional[float]:
        value = self.raw(key, required)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.error(key, f"expected a number, got {_type_name(value)}")
        if not math.isfinite(value):  # YAML's .nan and .inf: every comparison below would let NaN through
            raise self.error(key, f"{value} is not a finite number")
        if value < minimum:
            raise self.error(key, f"{value} must be at least {minimum}")
        if maximum is not None and value > maximum:
            raise self.error(key, f"{value} must be at most {maximum}")
        return value

    def bool(self, key: str, default: bool) -> bool:
        value = self.raw(key, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.error(key, f"expected true or false, got {_type_name(value)}")
        return value

    def node(self, key: str, *, required: bool = False) -> Optional["ConfigNode"]:
        value = self.raw(key, required)
        return None if value is None else ConfigNode(self._fail, self.key_path(key), value)

    def list(self, key: str, *, required: bool = False) -> list[tuple[str, Any]]:
        """The items of a list with their key paths, e.g. ("services[2]", {...})."""
        value = self.raw(key, required)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(key, f"expected a list, got {_type_name(value)}")
        return [(f"{self.key_path(key)}[{i}]", item) for i, item in enumerate(value)]

    def nodes(self, key: str, *, required: bool = False) -> list["ConfigNode"]:
        return [ConfigNode(self._fail, path, item) for path, item in self.list(key, required=required)]

    def strings(self, key: str, *, pattern: Optional[re.Pattern] = None, what: str = "",
                unique: bool = False) -> tuple[str, ...]:
        out = []
        for path, item in self.list(key):
            if not isinstance(item, str):
                raise self._fail(path, f"expected a string, got {_type_name(item)}")
            if pattern is not None and not _matches(pattern, item):
                raise self._fail(path, f"{item!r} is not {what or 'valid'}")
            if unique and item in out:
                raise self._fail(path, f"{item!r} is listed twice")
            out.append(item)
        return tuple(out)

    def string_map(self, key: str) -> dict[str, str]:
        value = self.raw(key, False)
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise self.error(key, f"expected a mapping, got {_type_name(value)}")
        for k, v in value.items():
            if not isinstance(v, str):
                raise self._fail(f"{self.key_path(key)}.{_key(k)}", f"expected a string, got {_type_name(v)}")
        return dict(value)

    def done(self) -> None:
        """Reject keys nobody read: they are typos or settings this version does not know."""
        for key in self._raw:
            if key not in self._read:
                raise self.error(key, "is not a known setting")


# --------------------------------------------------------------------------------------------------
# Sections
# --------------------------------------------------------------------------------------------------


def _ipv4_block(node: ConfigNode, key: str, cidr: str) -> ipaddress.IPv4Network:
    """A VPC's primary block: EC2's CreateVpc takes an IPv4 range (IPv6 blocks are added to a VPC apart)."""
    try:
        network = ipaddress.ip_network(cidr)
    except ValueError:
        raise node.error(key, f"{cidr!r} is not a CIDR block") from None
    if network.version != 4:
        raise node.error(key, f"{cidr} is not an IPv4 CIDR block, which a VPC's primary block must be")
    return network


def _network(node: ConfigNode) -> NetworkConfig:
    create, existing = node.node("create"), node.node("existing")
    if (create is None) == (existing is None):
        raise node.error_at(node.path, "set exactly one of create or existing")
    endpoints = node.bool("endpoints", True)
    endpoint_accounts = node.strings("endpointAccounts", pattern=re.compile(r"^\d{12}$"), what="a 12-digit account id",
                                     unique=True)
    if endpoint_accounts and not endpoints:
        raise node.error("endpointAccounts", "only applies when network.endpoints is on")
    firewall = node.bool("firewall", False)
    if firewall and not endpoints and create is not None:
        # The firewall passes only the declared externals; without endpoints, image pulls, logs and secrets
        # go through NAT, hence through it, and every task would fail to start. (A brought VPC may have
        # endpoints of its own: that is why its stack turns ours off.)
        raise node.error("firewall", "needs network.endpoints: without them the AWS API calls tasks make (ECR, "
                                     "logs, secrets) go through the firewall, which passes only the externals")
    if create is not None:
        cidr = create.str("cidr", required=True)
        network = _ipv4_block(create, "cidr", cidr)
        az_count = create.int("azCount", 2, minimum=2, maximum=3, what="2 or 3")
        if az_count < 3 and create.raw("azSlots", required=False) is None:  # absent, or present and empty
            # The layout of a stack deployed before azSlots was azSlots = azCount; a default of 3 would move
            # its private subnets (ForceNew), so a stack with fewer AZs than slots says which it is.
            raise create.error("azSlots", f"is required with azCount {az_count}: {az_count} keeps the subnet layout "
                                          "of a stack deployed before azSlots existed, 3 leaves room for a third AZ")
        az_slots = create.int("azSlots", 3, minimum=az_count, maximum=3, what=f"between azCount ({az_count}) and 3")
        if not 16 <= network.prefixlen <= 28:
            raise create.error("cidr", f"{cidr} is not a VPC block size (AWS allows /16 to /28)")
        # /20 subnets: public and private per AZ slot, plus one block for the firewall's /28 subnets.
        needed = 2 * az_slots + (1 if firewall else 0)
        available = 2 ** (20 - network.prefixlen) if network.prefixlen <= 20 else 0
        if needed > available:
            raise create.error("cidr", f"{cidr} holds {available} /20 subnets; azSlots {az_slots}"
                                       f"{' with network.firewall' if firewall else ''} needs {needed}")
        result = NetworkConfig(create=CreateNetwork(
            cidr=cidr, az_count=az_count, az_slots=az_slots,
            nat_gateways=create.int("natGateways", 1, minimum=1, maximum=az_count,
                                    what=f"between 1 and azCount ({az_count})"),
        ), endpoints=endpoints, endpoint_accounts=endpoint_accounts, firewall=firewall)
        create.done()
    else:
        private = existing.strings("privateSubnetIds", pattern=re.compile(r"^subnet-[0-9a-f]+$"), what="a subnet id",
                                   unique=True)
        public = existing.strings("publicSubnetIds", pattern=re.compile(r"^subnet-[0-9a-f]+$"), what="a subnet id",
                                  unique=True)
        if len(private) < 2:
            raise existing.error("privateSubnetIds", "needs at least 2 subnets in different AZs")
        cidr = existing.str("vpcCidr", required=True)
        _ipv4_block(existing, "vpcCidr", cidr)
        route_tables = existing.strings("privateRouteTableIds", pattern=re.compile(r"^rtb-[0-9a-f]+$"),
                                        what="a route table id")
        firewall_subnets = existing.strings("firewallSubnetIds", pattern=re.compile(r"^subnet-[0-9a-f]+$"),
                                            what="a subnet id", unique=True)
        if endpoints and not route_tables:
            raise existing.error("privateRouteTableIds", "is required when network.endpoints is on: the S3 gateway "
                                                         "endpoint routes through the private subnets' route tables")
        if firewall and len(firewall_subnets) != len(private):
            raise existing.error("firewallSubnetIds", f"network.firewall needs one dedicated firewall subnet per "
                                                      f"private subnet, in the same AZ and order ({len(private)}); "
                                                      f"got {len(firewall_subnets)}")
        if firewall_subnets and not firewall:
            raise existing.error("firewallSubnetIds", "only applies when network.firewall is true")
        result = NetworkConfig(existing=ExistingNetwork(
            vpc_id=existing.str("vpcId", required=True, pattern=re.compile(r"^vpc-[0-9a-f]+$"), what="a VPC id"),
            vpc_cidr=cidr, private_subnet_ids=private, public_subnet_ids=public,
            private_route_table_ids=route_tables, firewall_subnet_ids=firewall_subnets,
            dns_firewall_priority=existing.int("dnsFirewallPriority", DNS_FIREWALL_PRIORITY, minimum=100, maximum=9900,
                                               what="a DNS Firewall priority (100-9900)"),
        ), endpoints=endpoints, endpoint_accounts=endpoint_accounts, firewall=firewall)
        existing.done()
    node.done()
    return result


def _mesh(node: ConfigNode) -> MeshConfig:
    data_plane = node.str("dataPlane", SERVICE_CONNECT, choices=DATA_PLANES)
    plane = PLANES[data_plane]
    image = node.str("envoyImage", required=plane.runs_envoy, pattern=_IMAGE_RE, what="an image reference")
    if image is not None and (":" not in image.rsplit("/", 1)[-1] or image.endswith(":latest")):
        raise node.error("envoyImage", f"{image!r} must be pinned to a version tag, not latest")
    canary = CanaryRollout()
    canary_node = node.node("canary")
    if canary_node is not None:
        if plane.no_canary_rollout is not None:
            raise node.error("canary", plane.no_canary_rollout)
        canary = CanaryRollout(
            canary_bake_minutes=canary_node.int("canaryBakeMinutes", 10, minimum=0, maximum=1440),
            bake_minutes=canary_node.int("bakeMinutes", 15, minimum=0, maximum=1440))
        canary_node.done()
    tls_node = node.node("tls")
    tls = TlsConfig()
    if tls_node is not None:
        tls = TlsConfig(
            mode=tls_node.str("mode", TlsConfig.mode, choices=("STRICT", "PERMISSIVE")),
            certificate_validity_hours=tls_node.int("certificateValidityHours", TlsConfig.certificate_validity_hours,
                                                    minimum=24, maximum=87600),
            early_renewal_hours=tls_node.int("earlyRenewalHours", TlsConfig.early_renewal_hours, minimum=1,
                                             maximum=87600),
            private_ca_arn=tls_node.str("privateCaArn", pattern=re.compile(
                r"^arn:aws[\w-]*:acm-pca:[a-z0-9-]+:\d{12}:certificate-authority/[0-9a-f-]+$"),
                                        what="an ACM Private CA ARN"),
            private_ca_signing_algorithm=tls_node.str(
                "privateCaSigningAlgorithm", TlsConfig.private_ca_signing_algorithm, choices=_PCA_SIGNING_ALGORITHMS),
        )
        if tls.early_renewal_hours >= tls.certificate_validity_hours:
            raise tls_node.error("earlyRenewalHours", "must be less than certificateValidityHours")
        tls_node.done()
    mesh = MeshConfig(
        domain=node.str("domain", required=True, pattern=_DOMAIN_RE, what="a DNS domain (labels of at most 63 "
                                                                           "lower-case letters, digits and hyphens)"),
        ip_preference=node.str("ipPreference", DEFAULT_IP_PREFERENCE, choices=_IP_PREFERENCES),
        envoy_image=image,
        tls=tls,
        gateway_port=node.int("gatewayPort", MeshConfig.gateway_port, minimum=1024, maximum=65535,
                              what="an unprivileged port (1024-65535)"),
        data_plane=data_plane,
        canary=canary,
        retire_app_mesh=node.bool("retireAppMesh", False),
    )
    if mesh.gateway_port in _ENVOY_PORTS:
        raise node.error("gatewayPort", f"{mesh.gateway_port} is reserved for the Envoy proxy")
    # (set, default) of each setting a plane may hold fixed
    settings = {"tls.mode": (tls.mode, TlsConfig.mode), "ipPreference": (mesh.ip_preference, DEFAULT_IP_PREFERENCE),
                "gatewayPort": (mesh.gateway_port, MeshConfig.gateway_port),
                "tls.certificateValidityHours": (tls.certificate_validity_hours, TlsConfig.certificate_validity_hours),
                "tls.earlyRenewalHours": (tls.early_renewal_hours, TlsConfig.early_renewal_hours),
                "tls.privateCaSigningAlgorithm": (tls.private_ca_signing_algorithm,
                                                  TlsConfig.private_ca_signing_algorithm)}
    for key, why in plane.fixed_mesh_settings.items():
        value, default = settings[key]
        if value != default:
            raise node.error(key, f"{value}: {why}; leave it {default} or out, or use mesh.dataPlane: appmesh")
    node.done()
    return mesh


def _fargate_size(node: ConfigNode, cpu: int, memory: int) -> None:
    if cpu not in FARGATE_MEMORY:
        raise node.error("cpu", f"{cpu} is not a Fargate CPU size ({', '.join(map(str, FARGATE_MEMORY))})")
    allowed = FARGATE_MEMORY[cpu]
    if memory not in allowed:
        if len(allowed) > 3:
            choices = f"{allowed[0]}-{allowed[-1]} in steps of {allowed[1] - allowed[0]}"
        else:
            choices = f"{', '.join(map(str, allowed[:-1]))} or {allowed[-1]}"
        raise node.error("memory", f"{memory} MiB does not fit {cpu} CPU units on Fargate ({choices})")


def _check_log_retention(node: ConfigNode, key: str, days: int) -> None:
    """A log group's retention (`retention_in_days`) must be one of the periods CloudWatch Logs accepts."""
    if days not in _RETENTION_DAYS:
        raise node.error(key, f"{days} is not a CloudWatch Logs retention period")


def _sizing(node: ConfigNode, base: Optional[Sizing] = None) -> Sizing:
    """Read sizing; with a base (the stack's defaults), every key is an optional override."""
    required = base is None
    cpu = node.int("cpu", base.cpu if base else None, required=required)
    memory = node.int("memory", base.memory if base else None, required=required)
    desired = node.int("desiredCount", base.desired_count if base else None, required=required, minimum=1, maximum=1000)
    retention = node.int("logRetentionDays", base.log_retention_days if base else None, required=required)
    scaling = base.autoscaling if base else None
    scaling_node = node.node("autoscaling", required=required)
    if scaling_node is not None:
        scaling = Autoscaling(
            min_capacity=scaling_node.int("minCapacity", scaling.min_capacity if scaling else None,
                                          required=required, minimum=1, maximum=1000),
            max_capacity=scaling_node.int("maxCapacity", scaling.max_capacity if scaling else None,
                                          required=required, minimum=1, maximum=1000),
            cpu_target_percent=scaling_node.int("cpuTargetPercent", scaling.cpu_target_percent if scaling else 70,
                                                minimum=10, maximum=95),
        )
        if scaling.min_capacity > scaling.max_capacity:
            raise scaling_node.error("minCapacity",
                                     f"{scaling.min_capacity} is above maxCapacity ({scaling.max_capacity})")
        scaling_node.done()
    _fargate_size(node, cpu, memory)
    _check_log_retention(node, "logRetentionDays", retention)
    if not scaling.min_capacity <= desired <= scaling.max_capacity:
        raise node.error("desiredCount", f"{desired} is outside the autoscaling bounds "
                                         f"({scaling.min_capacity}-{scaling.max_capacity})")
    node.done()
    return Sizing(desired_count=desired, cpu=cpu, memory=memory, autoscaling=scaling, log_retention_days=retention)


def _image(node: ConfigNode, key: str, *, required: bool) -> Optional[str]:
    image = node.str(key, required=required, pattern=_IMAGE_RE, what="an image reference")
    if image is not None and (":" not in image.rsplit("/", 1)[-1] and "@" not in image or image.endswith(":latest")):
        raise node.error(key, f"{image!r} must be pinned to a tag or digest, not latest")
    return image


def _versions(node: ConfigNode, service_image: str, plane: PlaneTraits) -> tuple[ServiceVersion, ...]:
    items = node.nodes("versions")
    if plane.max_versions is not None and len(items) > plane.max_versions[0]:
        most, why = plane.max_versions
        raise node.error_at(items[most].path, why)
    if not items:
        return (ServiceVersion(name="v1", weight=100, image=service_image),)
    versions: list[ServiceVersion] = []
    for i, item in enumerate(items):
        name = item.str("name", required=True, pattern=_VERSION_RE, what="a version name (e.g. v2)")
        if any(v.name == name for v in versions):
            raise item.error("name", f"duplicate version {name!r}")
        # The first version runs the service's image; every other version must name its own.
        image = _image(item, "image", required=False)
        if image is None and i > 0:
            raise item.error("image", f"version {name!r} needs its own image")
        header = item.node("headerMatch")
        header_match = None
        if header is not None:
            header_match = HeaderMatch(
                name=header.str("name", required=True, pattern=re.compile(r"^[a-z0-9-]{1,50}$"),
                                what="a lower-case header name"),
                exact=header.str("exact", pattern=_HEADER_VALUE_RE, what="a header value"),
                prefix=header.str("prefix", pattern=_HEADER_VALUE_RE, what="a header value"),
            )
            if (header_match.exact is None) == (header_match.prefix is None):
                raise header.error("exact", "set exactly one of exact or prefix")
            if header_match.prefix is not None and plane.no_header_prefix is not None:
                raise header.error("prefix", plane.no_header_prefix)
            header.done()
            # The primary version is the default route's main target; a header route to it would only
            # shadow the weighted split, and one header value can select only one version.
            if i == 0:
                raise item.error("headerMatch", f"version {name!r} is the primary version and takes the default "
                                                f"route; put headerMatch on a canary version")
            for other in versions:
                if other.header_match == header_match:
                    raise item.error("headerMatch", f"{header_match.name}: {header_match.exact} already routes "
                                                    f"to version {other.name!r}")
        weight = item.int("weight", required=True, minimum=0, maximum=100)
        if i > 0 and weight == 0 and plane.no_canary_rollout is None:
            raise item.error("weight", "0 sends the canary nothing, and the CANARY deployment's canaryPercent "
                                       "takes 0.1-100: give it at least 1, or drop the version")
        versions.append(ServiceVersion(name=name, weight=weight, image=image or service_image,
                                       header_match=header_match))
        item.done()
    total = sum(v.weight for v in versions)
    if total != 100:
        raise node.error("versions", f"weights sum to {total}, not 100")
    return tuple(versions)


# A query string parameter's name as API Gateway takes it in `method.request.querystring.<name>`.
_QUERY_PARAMETER_RE = re.compile(r"^[A-Za-z0-9_.~-]{1,128}$")
_KMS_KEY_ARN_RE = re.compile(r"^arn:aws[\w-]*:kms:[a-z0-9-]+:\d{12}:key/[A-Za-z0-9-]+$")
# A secret ECS keeps for Service Connect TLS (its name, without a `:json-key:...` suffix).
_SC_SECRET_RE = re.compile(r"^arn:aws[\w-]*:secretsmanager:[^:]*:[^:]*:secret:(" +
                           re.escape(naming.SC_TLS_SECRET_PREFIX) + r"[^:]*)")


def _optional_health_check(parent: ConfigNode, default: Optional[ContainerHealthCheck]) -> Optional[ContainerHealthCheck]:
    """`parent`'s `containerHealthCheck`, or `default` without one."""
    node = parent.node("containerHealthCheck")
    return _container_health_check(node) if node is not None else default


def _container_health_check(node: ConfigNode) -> ContainerHealthCheck:
    """`containerHealthCheck` (stack-wide, or a service's own): `command` as a string (run by the container's shell)
    or a list (run directly), and the timings within the ranges ECS documents (botocore ecs HealthCheck)."""
    command = node.raw("command", True)
    if isinstance(command, str) and command.strip():
        form = ("CMD-SHELL", command)
    elif isinstance(command, list) and command and all(isinstance(c, str) and c for c in command):
        form = ("CMD", *command)
    else:
        raise node.error("command", "expected a shell command (a string) or an executable and its arguments (a list "
                                    "of strings)")
    check = ContainerHealthCheck(
        command=form,
        interval_seconds=node.int("intervalSeconds", 30, minimum=5, maximum=300, what="between 5 and 300 seconds"),
        timeout_seconds=node.int("timeoutSeconds", 5, minimum=2, maximum=60, what="between 2 and 60 seconds"),
        retries=node.int("retries", 3, minimum=1, maximum=10, what="between 1 and 10"),
        start_period_seconds=node.int("startPeriodSeconds", 0, minimum=0, maximum=300,
                                      what="between 0 and 300 seconds"))
    node.done()
    return check


def _plain_environment(node: ConfigNode, secrets: Mapping[str, str]) -> dict[str, str]:
    """`environment`, none of whose names is also in `secrets` (ECS refuses a container that sets one twice)."""
    environment = node.string_map("environment")
    for name in environment:
        if name in secrets:
            raise node.error_at(f"{node.key_path('environment')}.{_key(name)}",
                                "is also in secrets: a variable is either plain or a secret")
    return environment


def _service(node: ConfigNode, sizing: Sizing, plane: PlaneTraits,
             health_check: Optional[ContainerHealthCheck]) -> ServiceConfig:
    name = node.str("name", required=True, pattern=_NAME_RE, what="a service name (lower-case letters, digits, -)")
    image = _image(node, "image", required=True)
    public_path = node.str("publicPath", pattern=re.compile(r"^/[a-z0-9][a-z0-9-]*$"), what="a path prefix like /users")
    sizing_node = node.node("sizing")
    for key, why in plane.fixed_service_keys.items():
        if node.has(key):
            raise node.error(key, f"{why}; remove it, or use mesh.dataPlane: appmesh")
    retry_node = node.node("retry")
    retry = RetryPolicy()
    if retry_node is not None:
        retry = RetryPolicy(max_retries=retry_node.int("maxRetries", 3, minimum=2, maximum=10, what="between 2 and 10"),
                            per_retry_timeout_ms=retry_node.int("perRetryTimeoutMs", 2000, minimum=100, maximum=60000))
        retry_node.done()
    timeout_node = node.node("timeouts")
    timeouts = ServiceTimeouts()
    if timeout_node is not None:
        timeouts = ServiceTimeouts(
            idle_ms=timeout_node.int("idleMs", timeouts.idle_ms, minimum=1000, maximum=3600000),
            per_request_ms=timeout_node.int("perRequestMs", timeouts.per_request_ms, minimum=100, maximum=3600000))
        timeout_node.done()
        if plane.whole_second_timeouts:
            for key, value in (("idleMs", timeouts.idle_ms), ("perRequestMs", timeouts.per_request_ms)):
                if value % 1000:
                    raise timeout_node.error(key, f"{value} is not a whole number of seconds, which Service "
                                                  f"Connect's timeouts need")
        if plane.alb_ingress and public_path is not None and timeouts.idle_ms <= ALB_IDLE_TIMEOUT_SECONDS * 1000:
            raise timeout_node.error("idleMs", f"{timeouts.idle_ms} is not longer than the ingress ALB's idle "
                                               f"timeout ({ALB_IDLE_TIMEOUT_SECONDS} s): the ALB would reuse "
                                               f"connections the service's proxy has closed (502s); use more than "
                                               f"{ALB_IDLE_TIMEOUT_SECONDS * 1000}")
    outliers_node = node.node("outlierDetection")
    outliers = OutlierDetection()
    if outliers_node is not None:
        outliers = OutlierDetection(
            max_server_errors=outliers_node.int("maxServerErrors", 5, minimum=1, maximum=1000),
            interval_ms=outliers_node.int("intervalMs", 10000, minimum=1000, maximum=300000),
            base_ejection_ms=outliers_node.int("baseEjectionMs", 30000, minimum=1000, maximum=3600000),
            max_ejection_percent=outliers_node.int("maxEjectionPercent", 50, minimum=0, maximum=100))
        outliers_node.done()
    health_check = _optional_health_check(node, health_check)
    health_check_path = node.str("healthCheckPath", "/health", pattern=re.compile(r"^/\S{0,1023}$"),
                                 what="a path of at most 1024 characters")
    port = node.int("port", required=True, minimum=1, maximum=65535, what="a port (1-65535)")
    pool_node = node.node("connectionPool")
    pool = ConnectionPool()
    if pool_node is not None:
        pool = ConnectionPool(max_connections=pool_node.int("maxConnections", 1024, minimum=1, maximum=100000),
                              max_pending_requests=pool_node.int("maxPendingRequests", 1024, minimum=1,
                                                                 maximum=100000))
        pool_node.done()
    service = ServiceConfig(
        name=name,
        image=image,
        port=port,
        health_check_path=health_check_path,
        public_path=public_path,
        calls=node.strings("calls", unique=True),
        externals=node.strings("externals", unique=True),
        versions=_versions(node, image, plane),
        secrets=(secrets := node.string_map("secrets")),
        environment=_plain_environment(node, secrets),
        sizing=_sizing(sizing_node, sizing) if sizing_node is not None else sizing,
        retry=retry,
        timeouts=timeouts,
        outlier_detection=outliers,
        connection_pool=pool,
        protocol=node.str("protocol", "http", choices=_APP_PROTOCOLS),
        query_parameters=node.strings("queryParameters", pattern=_QUERY_PARAMETER_RE, what="a query string parameter",
                                      unique=True),
        secrets_kms_keys=node.strings("secretsKmsKeys", pattern=_KMS_KEY_ARN_RE, unique=True,
                                      what="a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>; IAM does not "
                                           "match an alias ARN when a key is used)"),
        container_health_check=health_check.for_service(port, health_check_path) if health_check else None,
    )
    if service.secrets_kms_keys and not service.secrets:
        raise node.error("secretsKmsKeys", "the service has no secrets to decrypt")
    if service.query_parameters and public_path is None:
        raise node.error("queryParameters", "only applies to a public service (one with a publicPath): the API's "
                                            "cache keys on them")
    if service.port in _ENVOY_PORTS:
        raise node.error("port", f"{service.port} is reserved for the Envoy proxy")
    for key, value in service.secrets.items():
        path = f"{node.key_path('secrets')}.{_key(key)}"
        if not _matches(re.compile(r"^arn:aws[\w-]*:(secretsmanager|ssm):"), value):
            raise node.error_at(path, "must be a Secrets Manager or SSM parameter ARN")
        # ECS keeps Service Connect's TLS private keys as ecs-sc! secrets; the execution role would hand one over.
        sc_key = _SC_SECRET_RE.match(value)
        if sc_key:
            raise node.error_at(path, f"names Service Connect's TLS key (secret {sc_key.group(1)}); a service must not "
                                   "read the proxy's private key")
    node.done()
    return service


def _check_references(services_node: list[ConfigNode], services: list[ServiceConfig],
                      externals: list[ExternalConfig], fail) -> None:
    names = {s.name for s in services}
    external_names = {e.name for e in externals}
    paths = {}
    for node, service in zip(services_node, services):
        for i, callee in enumerate(service.calls):
            if callee not in names:
                raise fail(f"{node.key_path('calls')}[{i}]", f"{callee!r} is not a service in this stack")
            if callee == service.name:
                raise fail(f"{node.key_path('calls')}[{i}]", "a service does not call itself through the mesh")
        for i, ext in enumerate(service.externals):
            if ext not in external_names:
                raise fail(f"{node.key_path('externals')}[{i}]", f"{ext!r} is not an external in this stack")
        if service.public_path:
            if service.public_path in paths:
                raise node.error("publicPath", f"{service.public_path} is already used by {paths[service.public_path]}")
            paths[service.public_path] = service.name
    # Envoy originates mesh mTLS by port (backendDefaults.clientPolicy.tls.ports), and an external's own
    # TLS (HTTPS to the provider) must pass through untouched, so the two may not share a port.
    mesh_ports = {s.port: s.name for s in services}
    for i, ext in enumerate(externals):
        if ext.port in mesh_ports:
            raise fail(f"externals[{i}].port", f"{ext.port} is also the port of {mesh_ports[ext.port]}; an external "
                                               f"needs a port no mesh service listens on")


def _externals(node: ConfigNode) -> list[ExternalConfig]:
    out: list[ExternalConfig] = []
    for path, item in node.list("externals"):
        ext_node = ConfigNode(node._fail, path, item)
        ext = ExternalConfig(
            name=ext_node.str("name", required=True, pattern=_NAME_RE, what="a name"),
            host=ext_node.str("host", required=True, pattern=HOST_RE, what="a DNS host name"),
            port=ext_node.int("port", 443, minimum=1, maximum=65535, what="a port (1-65535)"),
        )
        if any(e.name == ext.name for e in out):
            raise ext_node.error("name", f"duplicate external {ext.name!r}")
        # The host names the external's virtual service, which must be unique in the mesh.
        for other in out:
            if other.host == ext.host:
                raise ext_node.error("host", f"{ext.host} is already the host of external {other.name!r}")
        ext_node.done()
        out.append(ext)
    return out


def _throttle(node: ConfigNode) -> Throttle:
    throttle = Throttle(rate_limit=node.number("rateLimit", required=True, minimum=1),
                        burst_limit=node.int("burstLimit", required=True, minimum=1, maximum=10000))
    node.done()
    return throttle


def _dns(root: ConfigNode) -> Optional[DnsConfig]:
    node = root.node("dns")
    if node is None:
        return None
    dns = DnsConfig(
        hosted_zone_id=node.str("hostedZoneId", pattern=re.compile(r"^Z[A-Z0-9]{1,31}$"), what="a Route 53 hosted zone id"),
        zone_name=node.str("zoneName", pattern=HOST_RE, what="a DNS zone name"),
    )
    node.done()  # a misspelt key is named before it is reported missing
    if (dns.hosted_zone_id is None) == (dns.zone_name is None):
        raise root.error("dns", "set exactly one of hostedZoneId or zoneName")
    return dns


def _certificate(node: ConfigNode, dns: Optional[DnsConfig], region: str, user: str) -> Optional[str]:
    """`certificateArn` from the stack file, or None when the stack can issue one in the DNS zone."""
    arn = node.str("certificateArn", pattern=re.compile(r"^arn:aws[\w-]*:acm:[a-z0-9-]+:\d{12}:certificate/[0-9a-f-]+$"),
                   what="an ACM certificate ARN")
    if arn is None:
        if dns is None:
            raise node.error("certificateArn", "is required when no DNS zone is configured "
                                               "(set dns.hostedZoneId or dns.zoneName to have the stack issue it)")
        return None
    cert_region = arn.split(":")[3]
    if cert_region != region:
        raise node.error("certificateArn", f"is in {cert_region or 'no region'}; {user} in {region} needs an ACM "
                                           f"certificate from {region}")
    return arn


def _check_in_zone(node: ConfigNode, key: str, host: str, dns: Optional[DnsConfig]) -> None:
    if dns is not None and dns.zone_name and not host.endswith(f".{dns.zone_name}"):
        raise node.error(key, f"{host} is not in the DNS zone {dns.zone_name} (dns.zoneName), so the stack cannot "
                              "validate its certificate or point it at the endpoint")


def certificate_name_problem(host: str, certificate_arn: Optional[str] = None) -> Optional[str]:
    """Why ACM would refuse the certificate a stack requests for `host` (none when a certificateArn is given)."""
    if certificate_arn is None and len(host) > ACM_MAX_DOMAIN_NAME:
        return (f"{host} is {len(host)} characters; the certificate the stack requests for it names it, and ACM "
                f"takes at most {ACM_MAX_DOMAIN_NAME}")
    return None


def _ingress(root: ConfigNode, dns: Optional[DnsConfig], region: str) -> Optional[IngressConfig]:
    node = root.node("ingress")
    if node is None:
        return None
    ingress = IngressConfig(
        host_name=node.str("hostName", required=True, pattern=HOST_RE, what="a DNS host name"),
        # The ALB's listener takes an ACM certificate from its own region.
        certificate_arn=_certificate(node, dns, region, "the ingress load balancer"),
    )
    _check_in_zone(node, "hostName", ingress.host_name, dns)
    node.done()
    return ingress


# The SES regions Cognito accepts for a pool in another region (the regions it first sent from).
_COGNITO_SES_REGIONS = ("us-east-1", "us-west-2", "eu-west-1")
_SES_IDENTITY_RE = re.compile(r"^arn:aws[\w-]*:ses:(?P<region>[a-z0-9-]+):\d{12}:identity/(?P<identity>[^\s/]+)$")
# An address, alone or after a display name: `ops@example.com` or `Example Shop <ops@example.com>`.
_MAILBOX_RE = re.compile(r"^(?:[^<>@]*<(?P<bracketed>[^<>\s@]+@[^<>\s@]+)>|(?P<bare>[^<>\s@]+@[^<>\s@]+))$")


def _mailbox(node: ConfigNode, key: str, *, named: bool) -> tuple[Optional[str], Optional[str]]:
    """`key`'s value and its address: an address, or with `named` also `Name <address>`."""
    value = node.str(key)
    match = _MAILBOX_RE.match(value) if value is not None and not _CONTROL_RE.search(value) else None
    if value is not None and (match is None or (match.group("bracketed") and not named)):
        raise node.error(key, f"{value!r} is not an email address" + (" or 'Name <address>'" if named else ""))
    return value, (match.group("bracketed") or match.group("bare")) if match else None


def _email_sender(node: Optional[ConfigNode], region: str) -> Optional[EmailSender]:
    """Cognito sends through SES in the pool's region or one of the regions it has always accepted; SES sends
    only from the verified address, or from an address of the verified domain."""
    if node is None:
        return None
    identity_arn = node.str("identityArn", required=True, pattern=_SES_IDENTITY_RE,
                            what="an SES identity ARN (arn:aws:ses:<region>:<account>:identity/<address or domain>)")
    parts = _SES_IDENTITY_RE.match(identity_arn)
    identity, ses_region = parts.group("identity").lower(), parts.group("region")
    if ses_region != region and ses_region not in _COGNITO_SES_REGIONS:
        others = ", ".join(r for r in _COGNITO_SES_REGIONS if r != region)
        raise node.error("identityArn", f"is in {ses_region}: Cognito sends through SES in the pool's region "
                                        f"({region}) or in {others}")
    from_address, address = _mailbox(node, "from", named=True)
    reply_to, _ = _mailbox(node, "replyTo", named=False)
    if address is None and "@" not in identity:
        raise node.error("from", f"is required with a domain identity ({identity}): the address mail comes from")
    if address is not None:
        domain = address.rsplit("@", 1)[1].lower()
        if not (address.lower() == identity if "@" in identity else domain == identity):
            raise node.error("from", f"{address} is not covered by the SES identity {identity} (Cognito sends only "
                                     "from the verified address, or from an address of the verified domain itself)")
    node.done()
    return EmailSender(identity_arn=identity_arn, from_address=from_address, reply_to=reply_to)


def _auth(node: ConfigNode, region: str) -> AuthConfig:
    auth_node = node.node("auth", required=True)
    auth = AuthConfig(
        type=auth_node.str("type", required=True, choices=_AUTH_TYPES),
        user_pool_arn=auth_node.str("userPoolArn", pattern=re.compile(
            r"^arn:aws[\w-]*:cognito-idp:[a-z0-9-]+:\d{12}:userpool/[a-z0-9-]+_[0-9a-zA-Z]+$"),
                                    what="a Cognito user pool ARN"),
        authorizer_lambda_arn=auth_node.str("authorizerLambdaArn", pattern=re.compile(
            r"^arn:aws[\w-]*:lambda:[a-z0-9-]+:\d{12}:function:[\w-]{1,64}(:[\w$-]{1,128})?$"),
                                            what="a Lambda function ARN"),
        identity_source=auth_node.str("identitySource", "method.request.header.Authorization"),
        self_sign_up=auth_node.bool("selfSignUp", True),
        email_sender=_email_sender(auth_node.node("emailSender"), region),
    )
    if auth.type == "jwt" and not auth.authorizer_lambda_arn:
        raise auth_node.error("authorizerLambdaArn", "is required when auth.type is jwt")
    # A setting for another authorizer type would be silently ignored: say so instead.
    if auth.user_pool_arn and auth.type != "cognito":
        raise auth_node.error("userPoolArn", f"only applies when auth.type is cognito (it is {auth.type})")
    for key in ("selfSignUp", "emailSender"):
        if auth_node.has(key) and (auth.type != "cognito" or auth.user_pool_arn):
            raise auth_node.error(key, "only applies to the user pool the stack creates (auth.type cognito "
                                       "without userPoolArn)")
    if auth.authorizer_lambda_arn and auth.type != "jwt":
        raise auth_node.error("authorizerLambdaArn", f"only applies when auth.type is jwt (it is {auth.type})")
    if not _matches(re.compile(r"^method\.request\.header\.[A-Za-z0-9-]+$"), auth.identity_source):
        raise auth_node.error("identitySource", f"{auth.identity_source!r} is not a request header source "
                                                "(method.request.header.<name>)")
    auth_node.done()
    return auth


def _cache(node: ConfigNode) -> CacheConfig:
    cache_node = node.node("cache")
    cache = CacheConfig()
    if cache_node is not None:
        cache = CacheConfig(
            enabled=cache_node.bool("enabled", False),
            size_gb=cache_node.str("sizeGb", "0.5", choices=("0.5", "1.6", "6.1", "13.5", "28.4", "58.2", "118", "237")),
            ttl_seconds=cache_node.int("ttlSeconds", 60, minimum=0, maximum=3600),
        )
        cache_node.done()
    return cache


def _waf(node: ConfigNode, environment: str) -> WafConfig:
    waf_node = node.node("waf")
    # Prod's public API is always behind WAF; other stacks opt in.
    waf = WafConfig(enabled=environment == "prod")
    if waf_node is not None:
        waf = WafConfig(enabled=waf_node.bool("enabled", waf.enabled),
                        rate_limit_per_5min=waf_node.int("rateLimitPer5Min", 2000, minimum=10, maximum=2000000000))
        if environment == "prod" and not waf.enabled:
            raise waf_node.error("enabled", "must be true in prod: the public API is always behind AWS WAF there")
        waf_node.done()
    return waf


def _api_domain(node: ConfigNode, dns: Optional[DnsConfig], region: str) -> Optional[DomainConfig]:
    domain_node = node.node("domain")
    domain = None
    if domain_node is not None:
        domain = DomainConfig(
            name=domain_node.str("name", required=True, pattern=HOST_RE, what="a DNS host name"),
            # A regional custom domain only accepts an ACM certificate from the API's own region.
            certificate_arn=_certificate(domain_node, dns, region, "a regional API"),
            base_paths=domain_node.strings("basePaths", pattern=re.compile(r"^v[0-9]+$"), what="a version like v1",
                                           unique=True) or ("v1",),
        )
        _check_in_zone(domain_node, "name", domain.name, dns)
        problem = certificate_name_problem(domain.name, domain.certificate_arn)
        if problem:
            raise domain_node.error("name", f"{problem} (or give a certificateArn)")
        domain_node.done()
    return domain


def _cors(node: ConfigNode) -> Optional[CorsConfig]:
    cors_node = node.node("cors")
    cors = None
    if cors_node is not None:
        cors = CorsConfig(
            # One exact origin: the preflight is a static MOCK response, and a wildcard would let any site
            # call the API with a user's token.
            allow_origin=cors_node.str("allowOrigin", required=True,
                                       pattern=re.compile(r"^https?://[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$"),
                                       what="one origin like https://shop.example.com"),
            max_age_seconds=cors_node.int("maxAgeSeconds", 600, minimum=0, maximum=86400),
        )
        cors_node.done()
    return cors


def _usage_plans(node: ConfigNode, services: list[ServiceConfig]) -> list[UsagePlanConfig]:
    # Usage-plan method throttles name one of the API's resources: a public prefix or its {proxy+} child.
    route_resources = [r for s in services if s.public_path for r in route_resource_paths(s.public_path)]

    plans: list[UsagePlanConfig] = []
    for plan_node in node.nodes("usagePlans", required=True):
        name = plan_node.str("name", required=True, pattern=_NAME_RE, what="a plan name")
        if any(p.name == name for p in plans):
            raise plan_node.error("name", f"duplicate usage plan {name!r}")
        quota_node = plan_node.node("quota", required=True)
        # API Gateway's QuotaSettings.limit is a 32-bit integer.
        quota = Quota(limit=quota_node.int("limit", required=True, minimum=1, maximum=2**31 - 1),
                      period=quota_node.str("period", required=True, choices=_QUOTA_PERIODS))
        quota_node.done()
        method_throttles: list[MethodThrottle] = []
        for mt in plan_node.nodes("methodThrottles"):
            path = mt.str("path", required=True, pattern=re.compile(r"^/\S+$"), what="a resource path")
            if path not in route_resources:
                raise mt.error("path", f"{path} is not a resource of the public API "
                                       f"(one of {', '.join(route_resources) or 'none: no service has a publicPath'})")
            throttle = MethodThrottle(
                path=path, method=mt.str("method", required=True, choices=_HTTP_METHODS),
                rate_limit=mt.number("rateLimit", required=True, minimum=1),
                burst_limit=mt.int("burstLimit", required=True, minimum=1, maximum=10000))
            if any(t.path == path and (t.method == throttle.method or "*" in (t.method, throttle.method))
                   for t in method_throttles):
                raise mt.error("method", f"{path} {throttle.method} overlaps another throttle on the same resource")
            method_throttles.append(throttle)
            mt.done()
        plans.append(UsagePlanConfig(name=name, throttle=_throttle(plan_node.node("throttle", required=True)),
                                     quota=quota, method_throttles=tuple(method_throttles)))
        plan_node.done()
    if not plans:
        raise node.error("usagePlans", "needs at least one usage plan")
    return plans


def _consumers(node: ConfigNode, plans: list[UsagePlanConfig]) -> list[ConsumerConfig]:
    consumers: list[ConsumerConfig] = []
    for consumer_node in node.nodes("consumers"):
        consumer = ConsumerConfig(
            name=consumer_node.str("name", required=True, pattern=_NAME_RE, what="a consumer name"),
            plan=consumer_node.str("plan", required=True))
        if consumer.plan not in {p.name for p in plans}:
            raise consumer_node.error("plan", f"{consumer.plan!r} is not a usage plan in this stack")
        if any(c.name == consumer.name for c in consumers):
            raise consumer_node.error("name", f"duplicate consumer {consumer.name!r}")
        consumer_node.done()
        consumers.append(consumer)
    return consumers


def _api(node: ConfigNode, services: list[ServiceConfig], environment: str, region: str,
         dns: Optional[DnsConfig] = None) -> ApiConfig:
    auth, cache, waf = _auth(node, region), _cache(node), _waf(node, environment)
    domain, cors = _api_domain(node, dns, region), _cors(node)
    plans = _usage_plans(node, services)
    consumers = _consumers(node, plans)

    stage_name = node.str("stageName", environment, pattern=re.compile(r"^[a-zA-Z0-9_]{1,128}$"), what="a stage name")
    # The ingress matches a service's prefix both after the stage and bare (naming.path_patterns): a stage
    # named like a prefix would make `/<stage>/<other prefix>` that service's path too.
    for service in services:
        if service.public_path == f"/{stage_name}":
            raise node.error("stageName", f"{stage_name} is also {service.name}'s publicPath: the ingress could not "
                                          f"tell /{stage_name}/<path> from that service's own paths")
    api = ApiConfig(
        # Its usage plans, keys, web ACL and alarms are named from it: renaming a deployed API renames (and
        # for the web ACL and alarms, replaces) them, so dev and prod keep the default.
        name=naming.api_name(environment, node.str("name", pattern=API_NAME_RE,
                                                   what="3-64 lowercase letters, digits and hyphens")),
        description=node.str("description", f"{environment} e-commerce public API",
                             pattern=re.compile(r"^[^\x00-\x1f]{1,256}$"), what="one line of at most 256 characters"),
        stage_name=stage_name,
        integration_timeout_ms=node.int("integrationTimeoutMs", 29000, minimum=50, maximum=29000,
                                        what="between 50 and 29000 ms"),
        logging_level=node.str("loggingLevel", "ERROR", choices=_LOG_LEVELS),
        data_trace_enabled=node.bool("dataTraceEnabled", False),
        metrics_enabled=node.bool("metricsEnabled", True),
        throttle=_throttle(node.node("throttle", required=True)),
        auth=auth, cache=cache, waf=waf, domain=domain,
        usage_plans=tuple(plans), consumers=tuple(consumers), cors=cors,
        cloudwatch_role=node.bool("cloudWatchRole", True),
    )
    node.done()
    return api


def _alarms(root: ConfigNode) -> AlarmsConfig:
    # The pager endpoint is its own top-level key so that only it, not all alarm settings, is secret.
    pager_endpoint = root.raw("alarmPagerEndpoint", False)
    if pager_endpoint is not None and not isinstance(pager_endpoint, str):
        raise root.error("alarmPagerEndpoint", f"expected a string, got {_type_name(pager_endpoint)}")
    if pager_endpoint and not _matches(_HTTPS_URL_RE, pager_endpoint):
        # Not echoed: the value is a secret.
        raise root.error("alarmPagerEndpoint", "is not an https:// URL, which SNS's https subscription needs")
    pager = pulumi.Output.secret(pager_endpoint) if pager_endpoint else None
    node = root.node("alarms")
    if node is None:
        return AlarmsConfig(pager_endpoint=pager)
    severities = dict(ALARM_KINDS)
    for kind, severity in node.string_map("severity").items():
        if kind not in ALARM_KINDS:
            raise node.error_at(f"{node.key_path('severity')}.{_key(kind)}",
                             f"is not an alarm kind (one of {', '.join(ALARM_KINDS)})")
        if severity not in SEVERITIES:
            raise node.error_at(f"{node.key_path('severity')}.{_key(kind)}",
                             f"{severity!r} is not one of {', '.join(SEVERITIES)}")
        severities[kind] = severity
    alarms = AlarmsConfig(
        runbook_base_url=node.str("runbookBaseUrl", DEFAULT_RUNBOOK_BASE_URL,
                                  pattern=re.compile(r"^https://[^\s?#]+[^/\s?#]$"),
                                  what="an https:// URL without a trailing slash"),
        severities=severities,
        email=node.str("email", pattern=re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$"), what="an email address"),
        pager_endpoint=pager,
        p99_latency_ms=node.int("p99LatencyMs", 1000, minimum=1, maximum=60000),
        five_xx_rate_percent=node.number("fiveXxRatePercent", 5.0, maximum=100),
        four_xx_rate_percent=node.number("fourXxRatePercent", 10.0, maximum=100),
    )
    node.done()
    return alarms


def _audit(node: Optional[ConfigNode]) -> AuditConfig:
    if node is None:
        return AuditConfig()
    trail = node.bool("trail", False)
    audit = AuditConfig(
        trail=trail,
        archive_retention_days=node.int("archiveRetentionDays", 365, minimum=1, maximum=36500,
                                        what="a number of days (1-36500)"),
        archive_transition_days=node.int("archiveTransitionDays", 90, minimum=1, maximum=36500,
                                         what="a number of days (1-36500)"),
        cloud_watch_logs=node.bool("cloudWatchLogs", trail),
        cloud_watch_logs_retention_days=node.int("cloudWatchLogsRetentionDays", 90),
        load_balancer_access_logs=node.bool("loadBalancerAccessLogs", False),
        access_log_retention_days=node.int("accessLogRetentionDays", 90, minimum=1, maximum=36500,
                                           what="a number of days (1-36500)"),
    )
    # S3 lifecycle needs the transition strictly before the expiration of the same objects.
    if audit.archive_transition_days >= audit.archive_retention_days:
        raise node.error("archiveTransitionDays", f"{audit.archive_transition_days} must be less than "
                                                  f"archiveRetentionDays ({audit.archive_retention_days})")
    # CloudTrail sends to CloudWatch Logs what a trail records; without one there is nothing to send.
    if audit.cloud_watch_logs and not trail:
        raise node.error("cloudWatchLogs", "is true but trail is not: only a trail delivers to CloudWatch Logs")
    if node.has("cloudWatchLogsRetentionDays") and not audit.cloud_watch_logs:
        raise node.error("cloudWatchLogsRetentionDays", "only applies when cloudWatchLogs is on")
    _check_log_retention(node, "cloudWatchLogsRetentionDays", audit.cloud_watch_logs_retention_days)
    node.done()
    return audit

# --- device APIs, tenants and quotas ---------------------------------------------------------------

_HTTP_ROUTE_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
_ROUTE_PATH_RE = re.compile(r"^(/[A-Za-z0-9._-]+)+(/\{proxy\+\})?$")
_MAPPING_KEY_RE = re.compile(r"^[A-Za-z0-9$_.+!*'()-]+(/[A-Za-z0-9$_.+!*'()-]+)*$")
_STAGE_RE = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
# API Gateway's fixed cap on API keys per account and region (not raisable).
AWS_MAX_API_KEYS = 10000
AWS_MAX_HTTP_INTEGRATIONS = 300
# Lambda: concurrency AWS keeps unreserved in every account and region (PutFunctionConcurrency fails below it).
LAMBDA_UNRESERVED_CONCURRENCY = 100
# CloudWatch Logs: metric filters per log group (not raisable); each tenant has one on every API access log.
AWS_MAX_METRIC_FILTERS_PER_LOG_GROUP = 100
# CloudWatch Logs: a filter pattern's length (PutMetricFilter's filterPattern).
AWS_MAX_FILTER_PATTERN_CHARS = 1024
# Lambda's limit on a function's environment variables, keys and values together.
LAMBDA_ENVIRONMENT_BYTES = 4096


def _quotas(node: Optional[ConfigNode]) -> Quotas:
    if node is None:
        return Quotas()
    defaults = Quotas()
    quotas = Quotas(
        account_rate_limit=node.int("accountRateLimit", defaults.account_rate_limit, minimum=1),
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
    )
    node.done()
    return quotas


def _tiers(root: ConfigNode, api: ApiConfig) -> list[TierConfig]:
    plans = [p.name for p in api.usage_plans]
    tiers: list[TierConfig] = []
    for node in root.nodes("tiers"):
        name = node.str("name", required=True, pattern=_NAME_RE, what="a tier name")
        if any(t.name == name for t in tiers):
            raise node.error("name", f"duplicate tier {name!r}")
        plan = node.str("usagePlan", required=True)
        if plan not in plans:
            raise node.error("usagePlan", f"{plan!r} is not a usage plan in api.usagePlans ({', '.join(plans)})")
        throttle_node = node.node("httpThrottle", required=True)
        tiers.append(TierConfig(name=name, usage_plan=plan, http_throttle=_throttle(throttle_node)))
        node.done()
    return tiers


def _tenants(root: ConfigNode, tiers: list[TierConfig], api: ApiConfig) -> list[TenantConfig]:
    tier_names = [t.name for t in tiers]
    consumers = {c.name for c in api.consumers}
    tenants: list[TenantConfig] = []
    for node in root.nodes("tenants"):
        tenant = TenantConfig(name=node.str("name", required=True, pattern=_NAME_RE, what="a tenant name"),
                              tier=node.str("tier", required=True))
        if any(t.name == tenant.name for t in tenants):
            raise node.error("name", f"duplicate tenant {tenant.name!r}")
        if tenant.name in consumers:
            raise node.error("name", f"{tenant.name!r} is also an api.consumers name; each API key needs its own")
        if tenant.tier not in tier_names:
            raise node.error("tier", f"{tenant.tier!r} is not a tier in this stack "
                                     f"({', '.join(tier_names) or 'none: tiers[] is empty'})")
        node.done()
        tenants.append(tenant)
    return tenants


def _http_api(node: ConfigNode, services: list[ServiceConfig], api: ApiConfig, environment: str) -> HttpApiConfig:
    auth_node = node.node("auth", required=True)
    audience = auth_node.strings("audience")
    if not 1 <= len(audience) <= 50:
        raise auth_node.error("audience", "needs 1 to 50 audiences (app client ids)")
    auth = JwtAuthConfig(
        issuer=auth_node.str("issuer", required=True, pattern=re.compile(r"^https://[^\s/]+(/\S*)?$"),
                             what="an https issuer URL (a Cognito user pool or an OIDC provider)"),
        audience=audience,
        tenant_scope_prefix=auth_node.str("tenantScopePrefix", "iot/tenant.",
                                          pattern=re.compile(r"^[\x21\x23-\x5b\x5d-\x7e]{1,100}$"),
                                          what="a scope prefix"),
    )
    auth_node.done()
    public = {s.name: s.public_path for s in services if s.public_path}
    routes: list[HttpRouteConfig] = []
    for route_node in node.nodes("routes", required=True):
        route = HttpRouteConfig(
            method=route_node.str("method", required=True, choices=_HTTP_ROUTE_METHODS),
            path=route_node.str("path", required=True, pattern=_ROUTE_PATH_RE,
                                what="a path like /telemetry or /devices/{proxy+}"),
            service=route_node.str("service", required=True))
        if route.service not in public:
            raise route_node.error("service", f"{route.service!r} is not a service with a publicPath "
                                              f"({', '.join(sorted(public)) or 'none'})")
        # The ALB forwards by the service's prefix, and the backend sees the route's path unchanged.
        prefix = public[route.service]
        if route.path != prefix and not route.path.startswith(prefix + "/"):
            raise route_node.error("path", f"{route.path} is not under {route.service}'s publicPath {prefix}")
        if any((r.method, r.path) == (route.method, route.path) for r in routes):
            raise route_node.error("path", f"{route.method} {route.path} is already a route")
        route_node.done()
        routes.append(route)
    if not routes:
        raise node.error("routes", "needs at least one route")
    if api.domain is None and node.has("mappingKey"):
        raise node.error("mappingKey", "only applies under api.domain, where the HTTP API is mapped")
    mapping_key = node.str("mappingKey", "v1/stream", pattern=_MAPPING_KEY_RE, what="an API mapping key like v1/stream")
    if api.domain is not None and mapping_key in api.domain.base_paths:
        raise node.error("mappingKey", f"{mapping_key} is already the REST API's base path on {api.domain.name}")
    http = HttpApiConfig(
        stage_name=node.str("stageName", environment, pattern=_STAGE_RE, what="a stage name"),
        auth=auth, throttle=_throttle(node.node("throttle", required=True)), routes=tuple(routes),
        mapping_key=mapping_key, detailed_metrics=node.bool("detailedMetrics", True))
    node.done()
    return http


def _websocket_api(node: ConfigNode, services: list[ServiceConfig], environment: str, fail) -> WebsocketApiConfig:
    names = [s.name for s in services]
    ws = WebsocketApiConfig(
        stage_name=node.str("stageName", environment, pattern=_STAGE_RE, what="a stage name"),
        throttle=_throttle(node.node("throttle", required=True)),
        connect_throttle=_throttle(node.node("connectThrottle", required=True)),
        identity_source=node.str("identitySource", "header", choices=("header", "query")),
        signing_secret_arn=node.str("signingSecretArn", required=True,
                                    pattern=re.compile(r"^arn:aws[\w-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:"),
                                    what="a Secrets Manager secret ARN"),
        command_service=node.str("commandService", required=True),
        reserved_concurrency=node.int("reservedConcurrency", 50, minimum=1, maximum=1000),
        max_token_hours=node.int("maxTokenHours", DEFAULT_MAX_TOKEN_HOURS, minimum=1, maximum=720),
    )
    if ws.command_service not in names:
        raise node.error("commandService", f"{ws.command_service!r} is not a service in this stack")
    index = names.index(ws.command_service)
    for where in ("environment", "secrets"):
        if CONNECTIONS_TABLE_VARIABLE in getattr(services[index], where):
            raise fail(f"services[{index}].{where}.{CONNECTIONS_TABLE_VARIABLE}",
                       "is set by the platform for websocketApi.commandService (the connection table's name)")
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


def _device_edge(root: ConfigNode, services: list[ServiceConfig], api: ApiConfig, environment: str, plane: PlaneTraits,
                 fail) -> dict:
    """Tenants, tiers, quotas and the HTTP and WebSocket APIs, checked against the declared quotas."""
    quotas_node = root.node("quotas")
    quotas = _quotas(quotas_node)
    tiers = _tiers(root, api)
    tenants = _tenants(root, tiers, api)
    http_node, ws_node = root.node("httpApi"), root.node("websocketApi")
    http = _http_api(http_node, services, api, environment) if http_node is not None else None
    ws = _websocket_api(ws_node, services, environment, fail) if ws_node is not None else None
    if http is not None and not plane.alb_ingress:
        # HTTP API private integrations need an ALB (or Cloud Map) behind a VPC link V2; App Mesh's ingress is
        # an NLB in front of Envoy demanding client certificates, which HTTP APIs cannot present.
        raise fail("httpApi", f"needs mesh.dataPlane {SERVICE_CONNECT} (its ALB ingress); the {plane.name} "
                              f"ingress cannot take HTTP API private integrations")
    if (http or ws) and not tenants:
        raise fail("tenants", "is required by httpApi and websocketApi: every device API call belongs to a tenant")

    keys = len(api.consumers) + len(tenants)
    if keys > quotas.api_keys:
        raise fail("tenants", f"{len(tenants)} tenants + {len(api.consumers)} consumers need {keys} API keys, more "
                              f"than quotas.apiKeys ({quotas.api_keys}); keys are per tenant, never per device")
    if len(tenants) > AWS_MAX_METRIC_FILTERS_PER_LOG_GROUP:
        raise fail("tenants", f"{len(tenants)} tenants need {len(tenants)} metric filters (one each) on every API "
                              f"access log group; CloudWatch Logs allows {AWS_MAX_METRIC_FILTERS_PER_LOG_GROUP} per "
                              f"log group")
    if len(api.usage_plans) > quotas.usage_plans:
        raise fail("api.usagePlans", f"{len(api.usage_plans)} usage plans exceed quotas.usagePlans ({quotas.usage_plans})")
    stages = [("api.throttle", api.throttle)]
    if http is not None:
        stages.append(("httpApi.throttle", http.throttle))
        routes = len(tenants) * len(http.routes)
        if routes > quotas.routes_per_api:
            raise fail("httpApi.routes", f"{len(http.routes)} routes x {len(tenants)} tenants = {routes} routes, more "
                                         f"than quotas.routesPerApi ({quotas.routes_per_api})")
        if routes > quotas.integrations_per_http_api:
            raise fail("httpApi.routes", f"{routes} integrations (one per tenant route) exceed "
                                         f"quotas.integrationsPerHttpApi ({quotas.integrations_per_http_api})")
        longest = max((t.name for t in tenants), key=len)
        pattern = any_equal_pattern("routeKey", [route.key(longest) for route in http.routes])
        if len(pattern) > AWS_MAX_FILTER_PATTERN_CHARS:
            raise fail("httpApi.routes", f"{len(http.routes)} routes make tenant {longest}'s metric filter pattern "
                                         f"{len(pattern)} characters; CloudWatch Logs allows "
                                         f"{AWS_MAX_FILTER_PATTERN_CHARS}")
        for i, tier in enumerate(tiers):
            if tier.http_throttle.rate_limit > quotas.account_rate_limit:
                raise fail(f"tiers[{i}].httpThrottle.rateLimit",
                           f"{tier.http_throttle.rate_limit:g} requests/s exceeds quotas.accountRateLimit "
                           f"({quotas.account_rate_limit})")
    if ws is not None:
        # The authorizer gets the tenant list in its environment, and Lambda allows 4 KB of variables in all.
        variables = ws.authorizer_environment([t.name for t in tenants])
        size = sum(len(k) + len(v) for k, v in variables.items())
        if size > LAMBDA_ENVIRONMENT_BYTES:
            raise fail("tenants", f"{len(tenants)} tenant names take {size} bytes of the WebSocket authorizer's "
                                  f"environment; Lambda allows {LAMBDA_ENVIRONMENT_BYTES}")
        stages.append(("websocketApi.throttle", ws.throttle))
        # AWS gives new accounts less than its default concurrency (the Lambda quotas page), and reserving more
        # than the account has fails the functions' `up`: the stack must say what its account has.
        if quotas_node is None or quotas_node.raw("lambdaConcurrency", False) is None:
            raise fail("quotas.lambdaConcurrency", "is required with websocketApi: its functions reserve concurrency, "
                                                   "and new accounts have less than AWS's default 1000 (Service "
                                                   "Quotas, L-B99A9384)")
        functions = len(naming.WEBSOCKET_FUNCTIONS)
        reserved = functions * ws.reserved_concurrency
        if reserved > quotas.lambda_concurrency - LAMBDA_UNRESERVED_CONCURRENCY:
            raise fail("websocketApi.reservedConcurrency",
                       f"{functions} functions x {ws.reserved_concurrency} = {reserved} reserved, more than "
                       f"quotas.lambdaConcurrency ({quotas.lambda_concurrency}) minus the "
                       f"{LAMBDA_UNRESERVED_CONCURRENCY} AWS keeps unreserved")
        if ws.connect_throttle.rate_limit > quotas.websocket_connects_per_second:
            raise fail("websocketApi.connectThrottle.rateLimit",
                       f"{ws.connect_throttle.rate_limit:g} new connections/s exceeds "
                       f"quotas.websocketConnectsPerSecond ({quotas.websocket_connects_per_second})")
    # All APIs of the account and region share one throttle: the stages together must fit in it.
    total = sum(t.rate_limit for _, t in stages)
    if total > quotas.account_rate_limit:
        parts = " + ".join(f"{path}.rateLimit {t.rate_limit:g}" for path, t in stages)
        raise fail(stages[-1][0] + ".rateLimit", f"{parts} = {total:g} requests/s, more than quotas.accountRateLimit "
                                                 f"({quotas.account_rate_limit}) shared by all APIs in the region")
    return {"quotas": quotas, "tiers": tuple(tiers), "tenants": tuple(tenants), "http_api": http, "websocket_api": ws}


# AWS's tag restrictions, the same for every service these stacks tag (botocore's ECS `Tag` shape, the AWS Batch
# and Personalize guides): 50 tags per resource, keys up to 128 and values up to 256 characters, and `aws:` (in any
# case) reserved as the prefix of keys and values.
AWS_MAX_TAGS_PER_RESOURCE = 50
AWS_MAX_TAG_KEY_CHARS = 128
AWS_MAX_TAG_VALUE_CHARS = 256
# ACM's RequestCertificate: a domain name (the certificate's common name) of at most 64 characters.
ACM_MAX_DOMAIN_NAME = 64
# Elastic Load Balancing: each path pattern of a listener rule is at most 128 characters.
ALB_MAX_PATH_PATTERN = 128
_RESERVED_TAG_PREFIX = "aws:"
# What AWS allows in tag keys and values besides letters, digits and spaces of any script (the same Tag shapes).
_TAG_PUNCTUATION = "_.:/=+-@"


def _tag_text_ok(text: str) -> bool:
    return all(c.isalnum() or unicodedata.category(c).startswith("Z") or c in _TAG_PUNCTUATION for c in text)


def _check_tags(tags: Mapping[str, str], fail) -> None:
    """The stack's tags go on every taggable resource, with the program's own: together they must fit each."""
    for key, value in tags.items():
        path = f"tags.{_key(key)}"
        if not key:
            raise fail(path, "a tag key may not be empty")
        for what, text in (("key", key), ("value", value)):
            if not _tag_text_ok(text):
                raise fail(path, f"the {what} {text!r} has a character AWS does not allow in tags (letters, digits, "
                                 f"spaces and {' '.join(_TAG_PUNCTUATION)})")
        if key.lower().startswith(_RESERVED_TAG_PREFIX) or value.lower().startswith(_RESERVED_TAG_PREFIX):
            raise fail(path, f"AWS reserves the {_RESERVED_TAG_PREFIX} prefix of tag keys and values for its own tags")
        if len(key) > AWS_MAX_TAG_KEY_CHARS:
            raise fail(path, f"the key is {len(key)} characters; AWS allows {AWS_MAX_TAG_KEY_CHARS}")
        if len(value) > AWS_MAX_TAG_VALUE_CHARS:
            raise fail(path, f"the value is {len(value)} characters; AWS allows {AWS_MAX_TAG_VALUE_CHARS}")
    own = [key for key in BUSIEST_OWN_TAG_KEYS if key not in tags]
    if len(tags) + len(own) > AWS_MAX_TAGS_PER_RESOURCE:
        raise fail("tags", f"{len(tags)} tags and the program's own {' and '.join(own)} (on every alarm) make "
                           f"{len(tags) + len(own)} on one resource; AWS allows {AWS_MAX_TAGS_PER_RESOURCE}")


# EC2 (the VPC guide's security group quotas): rules per security group times security groups per network
# interface may not exceed 1,000, so a task's groups cap how far the rules quota can be raised.
AWS_MAX_RULES_TIMES_GROUPS = 1000
# ELB (the ALB guide's quotas): target groups per Application Load Balancer, not raisable. Its rules per ALB (100,
# raisable) never bind first: each public service has one listener rule and at least one target group.
AWS_MAX_ALB_TARGET_GROUPS = 100


def _check_capacity(config: PlatformConfig, fail) -> None:
    """What the stack builds must fit the per-resource quotas it meets at `up`, which the offline preview's mocks
    never refuse. The data plane states its own security group rules and target groups (dataplane.quota_use)."""
    from .dataplane import check_task_memory, quota_use  # late: the planes import this module

    check_task_memory(config, fail)
    quotas, use = config.quotas, quota_use(config)
    rules = quotas.security_group_rules
    ceiling = AWS_MAX_RULES_TIMES_GROUPS // use.task_security_groups
    if rules > ceiling:
        raise fail("quotas.securityGroupRules",
                   f"{rules} is not possible: AWS keeps rules per security group x security groups per network "
                   f"interface within {AWS_MAX_RULES_TIMES_GROUPS}, and each task joins {use.task_security_groups} "
                   f"groups (at most {ceiling})")
    for tally in use.rules:
        if tally.count > rules:
            raise fail(tally.key, f"{tally.made_of} need {tally.count} {tally.direction} rules on {tally.group}, more "
                                  f"than quotas.securityGroupRules ({rules})")
    if use.alb_target_groups is not None:
        count, made_of = use.alb_target_groups
        if count > AWS_MAX_ALB_TARGET_GROUPS:
            raise fail("services", f"{made_of} need {count} target groups on the ingress ALB; an ALB holds at most "
                                   f"{AWS_MAX_ALB_TARGET_GROUPS} (AWS does not raise it)")
    if use.alb_targets is not None:
        count, made_of = use.alb_targets
        if count > quotas.alb_targets:
            raise fail("services", f"{made_of} at their maxCapacity, twice over while they deploy, are up to "
                                   f"{count:,} targets of the ingress ALB, more than quotas.albTargets "
                                   f"({quotas.alb_targets:,}): registering the tasks past it fails, stalling "
                                   f"scale-outs and deployments")
    for index, plan in enumerate(config.api.usage_plans):
        throttled = sum(len(t.verbs) for t in plan.method_throttles)
        if throttled > quotas.method_throttles_per_plan:
            raise fail(f"api.usagePlans[{index}].methodThrottles",
                       f"throttle {throttled} methods (\"*\" is each of the {len(API_METHODS)} proxied verbs), more "
                       f"than quotas.methodThrottlesPerPlan ({quotas.method_throttles_per_plan}): API Gateway refuses "
                       f"the usage plan")
    # The root counts too: GetResources lists it as a resource (whether AWS counts it is not documented).
    paths = [p for s in config.public_services for p in route_resource_paths(s.public_path)]
    if paths and 1 + len(paths) > quotas.rest_resources_per_api:
        raise fail("services", f"{len(config.public_services)} public paths need {1 + len(paths)} REST API resources "
                               f"(the root, each path and its {PROXY_PART} child), more than "
                               f"quotas.restResourcesPerApi ({quotas.rest_resources_per_api})")


def _check_role_names(nodes: list[ConfigNode], services: list[ServiceConfig], environment: str,
                      plane: PlaneTraits) -> None:
    """Each workload's roles get pulumi-aws's auto-name, which must fit IAM's limit: refuse a service or version
    name that would make `up` fail."""
    room = naming.IAM_ROLE_NAME_MAX - naming.AUTO_NAME_SUFFIX
    for node, service in zip(nodes, services):
        if not plane.workload_per_version:
            workloads = [("name", "the service name", naming.service_connect_family(environment, service.name))]
        else:  # without `versions`, one named by the service's default version
            workloads = [(f"versions[{i}].name" if node.has("versions") else "name",
                          "the service or version name" if node.has("versions") else "the service name",
                          naming.mesh_workload(service.name, version.name))
                         for i, version in enumerate(service.versions)]
        for key, what, workload in workloads:
            role = max(naming.workload_role_names(workload), key=len)
            if len(role) > room:
                raise node.error(key, f"gives the IAM role {role!r}, which with pulumi-aws's "
                                      f"{naming.AUTO_NAME_SUFFIX}-character suffix is "
                                      f"{len(role) + naming.AUTO_NAME_SUFFIX} characters, more than IAM's "
                                      f"{naming.IAM_ROLE_NAME_MAX}: shorten {what} by {len(role) - room}")


def _check_plane_limits(config: PlatformConfig, plane: PlaneTraits, fail) -> None:
    """What the chosen plane makes of the names in the whole config must fit what AWS takes at `up`."""
    longest = max(config.services, key=lambda s: len(config.virtual_service_name(s.name)))
    name = config.virtual_service_name(longest.name)
    most, what = plane.max_service_dns_name
    if len(name) > most:
        raise fail("mesh.domain", f"makes {longest.name}'s name {name} ({len(name)} characters), more than {what} "
                                  f"takes ({most})")
    if plane.alb_ingress and config.public_services and config.ingress is None:
        raise fail("ingress", "is required: Service Connect's public services sit behind an internal ALB whose "
                              "certificate API Gateway verifies (set ingress.hostName and a certificate, or dns)")
    if plane.alb_ingress and config.public_services and config.ingress is not None:  # the ALB and its certificate
        problem = certificate_name_problem(config.ingress.host_name, config.ingress.certificate_arn)
        if problem:
            raise fail("ingress.hostName", f"{problem} (or give a certificateArn)")
    for index, service in enumerate(config.services):
        if plane.alb_ingress and service.public_path is not None:
            pattern = max(naming.path_patterns(config.api.stage_name, service.public_path), key=len)
            if len(pattern) > ALB_MAX_PATH_PATTERN:
                raise fail(f"services[{index}].publicPath",
                           f"with api.stageName makes the ingress ALB's path pattern {pattern} ({len(pattern)} "
                           f"characters), more than a listener rule takes ({ALB_MAX_PATH_PATTERN})")


# --------------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------------


def fail_in(stack_file: str) -> Callable[[str, str], ConfigError]:
    """How every config error reads: the stack file, the key's path and the problem, on one line."""
    def fail(path: str, problem: str) -> ConfigError:
        return ConfigError(f"{stack_file}: {path}: {problem}")
    return fail


def parse_config(raw: Mapping[str, Any], stack_file: str, region: Optional[str]) -> PlatformConfig:
    """Turn the project's config values (keys without the project prefix) into a PlatformConfig."""
    fail = fail_in(stack_file)
    root = ConfigNode(fail, "", raw)
    if not region:
        raise fail("aws:region", "is required")
    if not isinstance(region, str) or not _matches(REGION_RE, region):
        raise fail("aws:region", f"{region!r} is not an AWS region name (like us-east-1)")
    environment = root.str("environment", required=True, pattern=ENV_RE,
                           what="an environment name (lower-case letters and digits)")
    tags = root.string_map("tags")
    _check_tags(tags, fail)
    network = _network(root.node("network", required=True))
    mesh = _mesh(root.node("mesh", required=True))
    plane = PLANES[mesh.data_plane]
    sizing = _sizing(root.node("sizing", required=True))
    health_check = _optional_health_check(root, None)
    externals = _externals(root)
    if network.firewall and len(externals) > MAX_FIREWALL_EXTERNALS:
        raise fail("externals", f"{len(externals)} hosts are more than the Network Firewall's allow-list holds "
                                f"({MAX_FIREWALL_EXTERNALS}; network.firewall is on)")

    service_nodes = root.nodes("services", required=True)
    if not service_nodes:
        raise fail("services", "needs at least one service")
    services: list[ServiceConfig] = []
    for service_node in service_nodes:
        service = _service(service_node, sizing, plane, health_check)
        if any(s.name == service.name for s in services):
            raise service_node.error("name", f"duplicate service {service.name!r}")
        services.append(service)
    _check_references(service_nodes, services, externals, fail)
    _check_role_names(service_nodes, services, environment, plane)
    dns = _dns(root)
    api = _api(root.node("api", required=True), services, environment, region, dns)

    edge = _device_edge(root, services, api, environment, plane, fail)
    config = PlatformConfig(
        stack_file=stack_file,
        environment=environment,
        region=region,
        tags=tags,
        network=network,
        mesh=mesh,
        sizing=sizing,
        protect=root.bool("protect", False),
        enable_execute_command=root.bool("enableExecuteCommand", False),
        services=_with_platform_environment(services, edge["websocket_api"], environment),
        externals=tuple(externals),
        api=api,
        alarms=_alarms(root),
        audit=_audit(root.node("audit")),
        dns=dns,
        ingress=_ingress(root, dns, region),
        **edge,
    )
    domain = config.api.domain
    alb = plane.alb_ingress and bool(config.public_services)  # the ingress ALB, its certificate and alias exist
    if alb and config.ingress and domain and domain.name == config.ingress.host_name:
        raise fail("ingress.hostName", f"{config.ingress.host_name} is also api.domain.name: the API's custom domain "
                                       f"and the ingress ALB each need a DNS name of their own")
    if not config.public_services:
        # The REST API exists only in front of public services (one without methods cannot be deployed).
        asked = [key for key, value in (("api.consumers", config.api.consumers), ("api.domain", config.api.domain),
                                        ("tenants", config.tenants)) if value]
        if asked:
            raise fail("services", f"none has a publicPath, so there is no REST API for the {' and '.join(asked)} "
                                   f"in the stack file: make a service public, or remove them")
    _check_plane_limits(config, plane, fail)
    root.done()
    _check_capacity(config, fail)
    return config


def load_config() -> PlatformConfig:
    """Read this stack's config through the Pulumi runtime and validate it."""
    stack_file = f"Pulumi.{pulumi.get_stack()}.yaml"
    return parse_config(read_project_config(PROJECT, stack_file), stack_file, pulumi.Config("aws").get("region"))


def read_project_config(project: str, stack_file: str) -> dict[str, Any]:
    """This stack's values in `project`'s namespace, without the prefix: structured values decoded from the JSON
    text they reach the program as, scalars as the strings they are."""
    prefix = f"{project}:"
    raw: dict[str, Any] = {}
    for key, value in _all_config().items():
        if not key.startswith(prefix):
            namespace = key.partition(":")[0]
            if difflib.SequenceMatcher(None, namespace, project).ratio() >= 0.8:
                # Pulumi passes any namespace through; a misspelt project would drop the section without a word.
                raise ConfigError(f"{stack_file}: {key}: {namespace} is not this project's namespace ({project})")
            continue
        try:
            raw[key[len(prefix):]] = json.loads(value) if isinstance(value, str) else value
        except json.JSONDecodeError:
            raw[key[len(prefix):]] = value
    return raw


def _all_config() -> Mapping[str, Any]:
    from pulumi.runtime import config as runtime_config

    return runtime_config.CONFIG.get() or runtime_config.get_config_env()
