"""The typed stack config every component reads: frozen dataclasses, and what each data plane can express."""
from __future__ import annotations

import math
import shlex
from dataclasses import dataclass, field, replace
from typing import Mapping, Optional, Sequence

import pulumi

from .. import envoy, naming
from ..alarms import KINDS as ALARM_KINDS
from ..iam import arn_service_region
from ..workload import STATSD_PORT
from .values import API_METHODS, SIDECAR_PORTS


PROJECT = "service-mesh-platform"
# The variable that names the WebSocket connection table in the command service's container.
CONNECTIONS_TABLE_VARIABLE = "CONNECTIONS_TABLE"
# The Network Firewall's allow-list of external hosts is a rule group whose capacity is fixed at creation
# (egress.FIREWALL_RULE_CAPACITY, derived from this): more hosts than it holds fail at up, and a larger
# capacity replaces the group. A domain list takes a rule per host and target type, plus a drop rule per type.
MAX_FIREWALL_EXTERNALS = 48
# Where the runbooks are read (this repository's docs/runbooks/); a stack may point at its own copy.
DEFAULT_RUNBOOK_BASE_URL = "https://github.com/platform-team/service-mesh-platform/blob/main"


class ConfigError(pulumi.RunError):
    """A stack config problem. `pulumi.RunError` makes the engine print the message without a traceback.

    `related` are the other keys the problem is made of, where the key at fault is not the only one (the callers a
    header rule needs, the stack's memory a service's cpu must fit), likeliest first: a tool that applied overrides
    names one of them as the likely cause. `about_secrecy` says the value is refused for being `secure:` in the stack
    file, whatever it holds: a tool that reads a placeholder for such values has nothing to say of its own."""

    def __init__(self, message: str, related: Sequence[str] = (), about_secrecy: bool = False):
        super().__init__(message)
        self.related = tuple(related)
        self.about_secrecy = about_secrecy


# The egress DNS Firewall rule group's priority on the VPC, unique per VPC. AWS's text says "between 100 and 9900",
# and between is strict: AssociateFirewallRuleGroup refuses 100 as reserved and asks for a number "between 100 and
# 9900" (terraform-provider-aws#43694), so 9900, the other end, is out too.
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
# The key that chooses the plane, as the `related` keys of an error the chosen plane's traits make (a setting the
# other plane takes, or one this plane needs): an override of it is the likely cause.
CHOSEN_PLANE = ("mesh.dataPlane",)


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
    # The most services and externals one service may call, and why; None for no limit.
    max_backends: Optional[tuple[int, str]] = None
    # Why a service's protocol can only be http, or None where http2 and grpc are built too.
    http_only: Optional[str] = None
    # Names a service cannot have, because the plane joins them into names as something else, and what.
    reserved_service_names: Mapping[str, str] = field(default_factory=dict)
    # The plane's own workloads (labels, as the services' are): their ECS services and alarms are named alike.
    own_workloads: tuple[str, ...] = ()
    # Before the traffic alarms' kinds (5xx-rate, p99-latency) in a workload's alarm names.
    traffic_alarm_prefix: str = ""
    # Why a second version needs traffic to be judged by (a caller or a publicPath), or None where it does not.
    canary_needs_traffic: Optional[str] = None
    # Ports the plane's own sidecars listen on in every task, beside those every plane keeps (SIDECAR_PORTS).
    sidecar_ports: Mapping[int, str] = field(default_factory=dict)
    # Why an external may not use a port a service listens on, or None where it may.
    external_port_clash: Optional[str] = None
    # Why an idle timeout shorter than the per-request one cuts requests, or None where it does not.
    idle_cuts_requests: Optional[str] = None
    # Why a canary's headerMatch needs a caller in the mesh (only their requests are routed by header), or None.
    header_match_needs_callers: Optional[str] = None
    # A service's container log groups, `/<env>/ecs/<service><log_suffix>/<kind>` for each of `log_kinds`: its
    # execution role writes to each of them.
    log_suffix: str = ""
    log_kinds: tuple[str, ...] = ()
    # Every workload's execution role also reads its App Mesh certificate's secret (naming.mesh_tls_secret_name).
    injects_mesh_certificate: bool = False

    def log_workload(self, service: str) -> str:
        """The workload name a service's container log groups carry (`<service><log_suffix>`)."""
        return f"{service}{self.log_suffix}"

    def log_groups(self, environment: str, service: str) -> dict[str, str]:
        """A service's container log group names by kind, as WorkloadLogs makes them."""
        workload = self.log_workload(service)
        return {kind: naming.workload_log_group(environment, workload, kind) for kind in self.log_kinds}

    @property
    def reserved_ports(self) -> dict[int, str]:
        """Every port a task's sidecars take on this plane, and whose it is: no app or gateway may listen on one."""
        return {**SIDECAR_PORTS, **self.sidecar_ports}


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
        canary_needs_traffic="a second version is an ECS canary deployment, rolled back only by the alarms on its "
                             "callers' and its load balancer's traffic (the circuit breaker is for rolling updates)",
        whole_second_timeouts=True, alb_ingress=True, workload_per_version=False,
        idle_cuts_requests="Service Connect's proxy closes the connection when idleTimeout is reached, not "
                           "perRequestTimeout (ECS's TimeoutConfiguration)",
        header_match_needs_callers="Service Connect's test traffic rules route the requests of its callers in the "
                                   "mesh, and the ingress ALB splits API Gateway's by weight only",
        max_service_dns_name=(127, "a Service Connect client alias"),
        # The last, the Service Connect proxy's (ECS's own container).
        log_suffix="-sc", log_kinds=(envoy.APP, envoy.VOLUME_INIT, envoy.XRAY_DAEMON, "proxy"),
        reserved_service_names={peer: "how a security group rule names a peer that is not a service"
                                for peer in (naming.INGRESS_PEER, naming.INTERNET_PEER)}),
    APP_MESH: PlaneTraits(
        name=APP_MESH, runs_envoy=True,
        no_canary_rollout="only the Service Connect data plane rolls canaries out by deployment; App Mesh splits "
                          "traffic by the versions' weights",
        max_versions=(10, "an App Mesh route splits traffic among at most 10 weighted targets"),
        no_header_prefix=None, fixed_service_keys={}, fixed_mesh_settings={},
        whole_second_timeouts=False,
        alb_ingress=False, workload_per_version=True,
        max_service_dns_name=(254, "an App Mesh TLS subject alternative name"),
        log_kinds=(envoy.APP, *envoy.SIDECAR_KINDS), injects_mesh_certificate=True,
        sidecar_ports={STATSD_PORT: "the CloudWatch agent's StatsD"},
        max_backends=(50, "an App Mesh virtual node takes at most 50 backends"),
        http_only="the App Mesh plane builds HTTP listeners and routes only; http2 and grpc need mesh.dataPlane: "
                  "serviceconnect",
        # Service Connect's proxy takes only its aliases' traffic, whatever the port.
        external_port_clash="Envoy originates mesh mTLS by port (backendDefaults.clientPolicy.tls.ports), and an "
                            "external's own TLS must pass through untouched",
        reserved_service_names={naming.GATEWAY_NAME: "the ingress gateway's mesh identity"},
        own_workloads=(naming.GATEWAY_NAME,),
        traffic_alarm_prefix=naming.ENVOY_ALARM_PREFIX),
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
    tls: TlsConfig
    # How Envoy resolves the services it reaches (App Mesh's service discovery); App Mesh only.
    ip_preference: str = "IPv4_ONLY"
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
    # The stack file's key that set max_capacity (a service's own, or the stack's it inherits), as errors name it.
    max_capacity_key: str = field(default="sizing.autoscaling.maxCapacity", compare=False)


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
    # The stack file's key of the command (the stack-wide check's, or a service's own), for errors about its size.
    command_key: str = field(default="containerHealthCheck.command", compare=False)

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
    def secret_apis(self) -> frozenset[str]:
        """The AWS APIs its injected secrets are read from: each valueFrom is an ARN naming `secretsmanager` or
        `ssm` (SECRET_VALUE_FROM_RE)."""
        return frozenset(arn_service_region(value)[0] for value in self.secrets.values())

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
    # None for a plan of public clients only: anyone can read their keys, and so spend a quota for all their users.
    quota: Optional[Quota]
    method_throttles: tuple[MethodThrottle, ...] = ()


@dataclass(frozen=True)
class ConsumerConfig:
    name: str
    plan: str
    # Its key ships in a browser page or an app, where anyone can read it (a web or mobile front end), as opposed
    # to a key a server keeps.
    public: bool = False
    # The key's value, where the stack sets it (else API Gateway generates one): stacks in two regions behind one
    # name share their consumers' keys this way.
    key_value: Optional[str] = field(default=None, repr=False)


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


# AWS's CommonRuleSet blocks a request body over 8 KB (its rule SizeRestrictions_BODY, 8,192 bytes).
WAF_MANAGED_BODY_KB = 8
# What an API Gateway stage may forward of a body for WAF to inspect (AssociationConfig's SizeInspectionLimit:
# KB_16, the default, to KB_64): WAF sees no byte of a body beyond 64 KB, so it enforces no larger limit.
WAF_BODY_INSPECTION_KB = (16, 32, 48, 64)


# The window the web ACL's per-IP rate rules count over (their evaluationWindowSec; `rateLimitPer5Min` is per window).
WAF_RATE_WINDOW_SECONDS = 300
# A server-kept key's address may send this many times its plan's rate before WAF refuses it: API Gateway lets a
# burst past the rate, WAF counts requests API Gateway then throttles (retries of a 429 too), and WAF applies a
# limit only approximately (its developer guide).
WAF_SERVER_HEADROOM = 2
# AWS WAF's quota on the addresses of one IP set.
WAF_MAX_IP_SET_ADDRESSES = 10000
# The most requests a rate-based rule may allow an address per window (RateBasedStatement.Limit, 10-2,000,000,000).
WAF_MAX_RATE_LIMIT = 2_000_000_000


def server_rate_limit_for(plan_rate: float) -> int:
    """The per-address limit that lets a server-kept key on a plan this fast reach its throttle."""
    return math.ceil(plan_rate * WAF_RATE_WINDOW_SECONDS * WAF_SERVER_HEADROOM)


@dataclass(frozen=True)
class WafConfig:
    enabled: bool = False
    rate_limit_per_5min: int = 2000
    # The addresses of the servers that keep API keys (a consumer not `public`, a tenant's back end): they get a
    # per-address limit of their own, from their plans, and the one above stays for everyone else.
    server_addresses: tuple[str, ...] = ()
    # Addresses refused outright (an attack's, during an incident).
    blocked_addresses: tuple[str, ...] = ()
    # The servers' own limit, where there are server addresses: what their fastest plan sells, never below
    # rate_limit_per_5min (config resolves it once the stack's keys are known: config/api.py resolve_waf).
    server_rate_limit: Optional[int] = None
    # The largest request body the web ACL lets through; the default is the managed rule's own.
    max_body_kb: int = WAF_MANAGED_BODY_KB


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
    # Whether the stack builds the REST API: only in front of public services (one without methods cannot be
    # deployed). Its settings are read either way; they all have defaults.
    built: bool
    # Both None only without public services: there is no REST API to throttle or authorise.
    throttle: Optional[Throttle]
    auth: Optional[AuthConfig]
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
    # The key the stage's name comes from: `api.stageName`, or `environment` where the file leaves it out.
    stage_name_key: str = "api.stageName"


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
    # Its token bucket: AWS sets it from the rate quota, not a setting, so it is known only where the stack leaves
    # the rate to AWS's default (`in_region`); None where it declares one (`rate_declared`), which may be a share of
    # a raised account's.
    account_burst_limit: Optional[int] = 5000
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
    # Instances registered in one Cloud Map namespace (raisable): every task of every service (see _check_capacity).
    cloud_map_instances_per_namespace: int = 2000
    # Authorizers of one HTTP API (raisable through AWS Support, per API): the device API has one per tenant.
    authorizers_per_http_api: int = 10
    # IAM roles of the account (raisable; IAM is global, so every stack and region of the account shares it).
    iam_roles: int = 1000
    # Elastic IP addresses of the account in the region (EC2 quota L-0263D0A3, raisable): each NAT gateway the stack
    # creates takes one, and every stack of the account in the region shares them.
    elastic_ips: int = 5
    # Characters of a role's trust policy, white space not counted (IAM's "Role trust policy length": raisable, the
    # account's). The preview's API check holds every role's to it (tools/apicheck.py, AccountQuotas).
    role_trust_policy_chars: int = 2048

    @property
    def rate_declared(self) -> bool:
        """The stack declared quotas.accountRateLimit (raised, or its share): AWS sets the bucket from it, unknown
        here, so the burst is None exactly then."""
        return self.account_burst_limit is None

    @classmethod
    def in_region(cls, region: str) -> "Quotas":
        """AWS's defaults in `region`: API Gateway's account throttle is lower in some newer regions."""
        if region in API_GATEWAY_LOW_THROTTLE_REGIONS:
            return cls(account_rate_limit=2500, account_burst_limit=1250)
        return cls()


# Where API Gateway's account throttle defaults to 2,500 requests/s with a burst of 1,250, not 10,000 and 5,000 (the
# API Gateway quotas page, "API Gateway account-level quotas, per Region"; a test ties each to its name there).
API_GATEWAY_LOW_THROTTLE_REGIONS = frozenset({
    "af-south-1", "eu-south-1", "ap-southeast-3", "me-central-1", "ap-south-2", "ap-southeast-4", "eu-south-2",
    "eu-central-2", "il-central-1", "ca-west-1", "ap-southeast-5", "ap-southeast-7", "mx-central-1"})
# The regions where API Gateway has VPC links V2, which the ingress ALB takes the REST and HTTP APIs' traffic through:
# the "Availability by Region" table of "Set up VPC links V2 in API Gateway"
# (docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-vpc-links-v2.html). Elsewhere CreateVpcLink
# fails at the first `up`, after most of the stack; mocks accept it. The table's zones: ingress.py.
VPC_LINK_V2_REGIONS = frozenset({
    "us-east-2", "us-east-1", "us-west-1", "us-west-2", "ap-east-1", "ap-south-1", "ap-northeast-2", "ap-southeast-1",
    "ap-southeast-2", "ap-northeast-1", "ca-central-1", "eu-central-1", "eu-west-1", "eu-west-2", "eu-west-3",
    "eu-south-2", "eu-north-1", "me-south-1", "sa-east-1", "us-gov-west-1"})


@dataclass(frozen=True)
class TierConfig:
    name: str
    usage_plan: str  # the REST usage plan its tenants' API keys join
    http_throttle: Optional[Throttle]  # each of its tenants' HTTP routes (required with httpApi, else unused)


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
    # Each tenant's app client ids: its routes' authorizer accepts tokens of these clients only, so a client
    # allowed another tenant's scope by the issuer still cannot call that tenant's routes.
    clients: Mapping[str, tuple[str, ...]]
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


@dataclass(frozen=True)
class WebsocketDomainConfig:
    """The WebSocket API's own custom domain: API Gateway maps no WebSocket API onto a REST or HTTP API's domain."""
    name: str
    # None: the stack issues a DNS-validated certificate in the configured zone (`dns`).
    certificate_arn: Optional[str] = None
    mapping_key: str = ""  # "": the stage at the domain's root, wss://<name>/


# The device authorizer's own fallback (lambdas/device_authorizer/handler.py MAX_TOKEN_SECONDS) is the same day.
DEFAULT_MAX_TOKEN_HOURS = 24


@dataclass(frozen=True)
class WebsocketConcurrency:
    """Each WebSocket function's reserved concurrency: its cap, and what it holds back from the account's pool. The
    connections function serves three routes, the authorizer `$connect` alone, so they need different caps."""
    authorizer: int
    connections: int

    @property
    def total(self) -> int:
        return self.authorizer + self.connections


@dataclass(frozen=True)
class WebsocketApiConfig:
    stage_name: str
    throttle: Throttle  # messages (stage default)
    connect_throttle: Throttle  # $connect: new connections
    identity_source: str  # "header" (Authorization) or "query" (token)
    signing_secret_arn: str
    command_service: str  # the one service allowed to post to @connections
    reserved_concurrency: WebsocketConcurrency
    # How far ahead a device token's expiry may lie: the authorizer refuses longer-lived tokens.
    max_token_hours: int = DEFAULT_MAX_TOKEN_HOURS
    lambda_runtime: str = "python3.13"
    # The signing secret's customer managed KMS key (None: Secrets Manager's own aws/secretsmanager key).
    signing_secret_kms_key: Optional[str] = None
    # A stable host for the devices (wss://<name>/<mappingKey>) that outlives the API and its id.
    domain: Optional[WebsocketDomainConfig] = None

    def authorizer_environment(self, tenants: Sequence[str]) -> dict[str, str]:
        """The $connect authorizer's environment (what lambdas/device_authorizer/handler.py reads)."""
        return {"SIGNING_SECRET_ARN": self.signing_secret_arn, "ALLOWED_TENANTS": ",".join(tenants),
                "MAX_TOKEN_SECONDS": str(self.max_token_hours * 3600), "IDENTITY_SOURCE": self.identity_source}

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
    # Log files of 128 KB or more move to S3 Glacier Flexible Retrieval after this many days (smaller ones stay in
    # S3 Standard, where they cost less: audit.SMALL_OBJECTS_STAY).
    archive_transition_days: int = 90
    # The trail also delivers to a CloudWatch log group (`/<env>/cloudtrail`), kept this many days: recent
    # activity to query and alarm on. The stack file's `audit.cloudWatchLogs` defaults to `trail` (`_audit`):
    # without a trail there is nothing to deliver.
    cloud_watch_logs: bool = False
    cloud_watch_logs_retention_days: int = 90
    # Load balancer access logs into a regional log bucket.
    load_balancer_access_logs: bool = False
    access_log_retention_days: int = 90


def called_services(services: Sequence[ServiceConfig]) -> frozenset[str]:
    """The names of the services some other service calls: on Service Connect, the ones whose traffic callers'
    proxies report."""
    return frozenset(callee for service in services for callee in service.calls)


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
    # `aws:defaultTags`' tags: the provider adds them to every taggable resource's `tags` (its `tagsAll`).
    provider_tags: Mapping[str, str] = field(default_factory=dict)
    ingress: Optional[IngressConfig] = None
    quotas: Quotas = field(default_factory=Quotas)
    tiers: tuple[TierConfig, ...] = ()
    tenants: tuple[TenantConfig, ...] = ()
    http_api: Optional[HttpApiConfig] = None
    websocket_api: Optional[WebsocketApiConfig] = None
    # The managed policy every role the stack creates is bounded by (components/tagging.py), if any.
    permissions_boundary: Optional[str] = None

    @property
    def namespace(self) -> str:
        """The Cloud Map namespace, e.g. `dev.ecommerce.local`."""
        return naming.service_namespace(self.environment, self.mesh.domain)

    @property
    def mesh_name(self) -> str:
        return naming.mesh_name(self.environment)

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

    @property
    def called_services(self) -> frozenset[str]:
        return called_services(self.services)

    @property
    def server_keys(self) -> tuple[tuple[str, str], ...]:
        """The REST API keys a server keeps, as (whose, its usage plan): consumers not `public`, and tenants' (their
        back ends call with them), which call from the few addresses of their NAT."""
        tier_plans = {t.name: t.usage_plan for t in self.tiers}
        return (*((f"consumer {c.name}", c.plan) for c in self.api.consumers if not c.public),
                *((f"tenant {t.name}", tier_plans[t.tier]) for t in self.tenants))

    @property
    def fastest_server_key(self) -> Optional[tuple[str, int, float]]:
        """The server-kept key on the fastest plan, as (whose, the plan's index in api.usagePlans, its rate), the
        first of several; None: none."""
        index = {p.name: i for i, p in enumerate(self.api.usage_plans)}
        keys = [(who, index[plan], self.api.usage_plans[index[plan]].throttle.rate_limit)
                for who, plan in self.server_keys]
        return max(keys, key=lambda key: key[2]) if keys else None
