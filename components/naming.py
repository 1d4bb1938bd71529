"""Physical names shared by more than one layer, defined once."""
from __future__ import annotations

import hashlib
import re
from typing import Optional, Sequence


# What a service behind the device APIs learns of its caller, in headers each API sets and no client can: the
# HTTP API writes the route's tenant into TENANT_HEADER (and drops API_KEY_ID_HEADER); the REST API, where a caller
# is known only by its API key, writes the key's id into API_KEY_ID_HEADER (the `tenantApiKeyIds` output gives each
# tenant's) and NO_TENANT into TENANT_HEADER.
TENANT_HEADER = "x-tenant-id"
API_KEY_ID_HEADER = "x-api-key-id"
NO_TENANT = "-"  # no tenant name starts with "-"


def task_family(environment: str, service: str, version: str) -> str:
    """ECS registers each task in Cloud Map with ECS_TASK_DEFINITION_FAMILY; a version's virtual node
    selects its own tasks by this value, so the mesh and ECS layers must agree on it."""
    return f"{environment}-{service}-{version}"


def api_name(environment: str, configured: Optional[str] = None) -> str:
    """The REST API's name (`api.name`, else the reference solution's `<env>-ecommerce-api`, which dev and prod
    keep); CloudWatch's AWS/ApiGateway metrics, its alarms, usage plans, keys and web ACL are named from it."""
    return configured or f"{environment}-ecommerce-api"


def user_pool_name(api: str) -> str:
    """The Cognito user pool of the REST API named `api` (`api_name`): `<env>-ecommerce-users`."""
    return f"{api.removesuffix('-api')}-users"


def cluster_name(environment: str) -> str:
    """The ECS cluster every service of the stack runs in (the runbooks' `--cluster <env>-mesh`)."""
    return f"{environment}-mesh"


def mesh_name(environment: str) -> str:
    """The App Mesh mesh, named as the cluster is."""
    return cluster_name(environment)


def ecr_layer_bucket(region: str) -> str:
    """The S3 bucket ECR serves image layers from in a region: the S3 gateway endpoint's policy and the DNS
    Firewall allow-list both name it."""
    return f"prod-{region}-starport-layer-bucket"


# ECR Public is not served by VPC endpoints; ECR mirrors it on first pull through a cache rule.
ECR_PUBLIC = "public.ecr.aws"


def ecr_public_cache_prefix(environment: str) -> str:
    """The ECR pull-through cache prefix that mirrors ECR Public (public.ecr.aws). A prefix is unique per
    account and region, so each environment has its own. The egress layer creates the rule; the compute
    layers pull sidecar images through it (VPC endpoints do not serve ECR Public)."""
    return f"{environment}-ecr-public"


# An account id where config sizes an ARN before the account is known: every one is 12 digits.
ANY_ACCOUNT = "0" * 12


def ecr_public_mirror_arn(region: str, account: str, prefix: str) -> str:
    """The repositories the ECR Public pull-through cache creates under `prefix` (ecr_public_cache_prefix)."""
    return f"arn:aws:ecr:{region}:{account}:repository/{prefix}/*"


def ecr_registry(account: str, region: str) -> str:
    """The account's private ECR registry in a region."""
    return f"{account}.dkr.ecr.{region}.amazonaws.com"


def mirrored_image(image: str, registry: str, prefix: str) -> str:
    """The reference a task pulls: an ECR Public image through the cache rule, any other as written.
    public.ecr.aws/xray/aws-xray-daemon:3.3.12 -> <registry>/<prefix>/xray/aws-xray-daemon:3.3.12."""
    head, _, rest = image.partition("/")
    return f"{registry}/{prefix}/{rest}" if head == ECR_PUBLIC else image


def trail_name(environment: str) -> str:
    """The CloudTrail trail; its ARN is in the log archive's bucket policy and KMS key policy."""
    return f"{environment}-audit"


def trail_log_group(environment: str) -> str:
    """The CloudWatch log group the trail also delivers to (`audit.cloudWatchLogs`); under `/<env>/`, so the log
    key's policy (`log_group_patterns`) covers it."""
    return f"/{environment}/cloudtrail"


def access_log_prefix(environment: str, load_balancer: str) -> str:
    """Where one load balancer writes its access logs in the log bucket (ELB appends AWSLogs/<account>/...)."""
    return f"{environment}/{load_balancer}"


def numbered(name: str, index: int) -> str:
    """The `index`-th (from 0) of the resources one thing is split into when AWS limits how much one may hold: the
    first keeps the unsplit name, so a thing that outgrows one resource keeps it and deployed stacks update in
    place; the rest are `<name>-2`, `<name>-3`, ..."""
    return name if index == 0 else f"{name}-{index + 1}"


def dashboard_name(environment: str, region: str, index: int = 0) -> str:
    """CloudWatch dashboards are global to the account, so one environment in two regions needs two names. The
    first is the overview; services that do not fit on it continue on the `index`-th (observability.py)."""
    return numbered(f"{environment}-{region}-mesh", index)


# The alarms PublicApi creates on its stage; the dashboards, made before it, list them by name.
API_5XX_RATE, API_4XX_RATE, API_P99_LATENCY = "5xx-rate", "4xx-rate", "p99-latency"
API_ALARM_KINDS = (API_5XX_RATE, API_4XX_RATE, API_P99_LATENCY)


def api_alarm_names(api: str) -> tuple[str, ...]:
    return tuple(api_alarm_name(api, kind) for kind in API_ALARM_KINDS)


def api_alarm_name(api: str, kind: str) -> str:
    """An alarm (`5xx-rate`, `4xx-rate`, `p99-latency`) of the REST API named `api` (`api_name`); the global
    layer's health checks name the 5xx one."""
    return f"{api}-{kind}"


# Elastic Load Balancing allows 32 characters in load balancer and target group names.
ELB_NAME_MAX = 32


def _fit(name: str, limit: int = ELB_NAME_MAX) -> str:
    """`name` if it fits; otherwise its head plus a digest of the whole, so two long names stay distinct."""
    if len(name) <= limit:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:6]
    return f"{name[:limit - len(digest) - 1].rstrip('-')}-{digest}"


def alb_ingress_name(environment: str) -> str:
    """The Service Connect ingress ALB. Explicit (an auto-name adds 8 characters) and never starting with
    `internal-`, which AWS reserves; distinct from the App Mesh gateway's NLB, so one update can create
    this side before it deletes that one."""
    return _fit(f"ingress-alb-{environment}")


def alb_target_group_name(environment: str, service: str, port: int, alternate: bool = False) -> str:
    """One target group per public service behind the ingress ALB, and a second (`alternate`) for a service
    whose deployments are canaries, which ECS shifts traffic onto. The port is in the name because a new
    port replaces the target group: the replacement then has a new name and is created before the old one
    is deleted, instead of colliding with it."""
    return _fit(f"{environment}-{service}-sc-{port}" + (ALTERNATE_SUFFIX if alternate else ""))


# The kinds of API a stack may have; the device APIs' names and access log groups carry theirs.
REST, HTTP, WEBSOCKET = "rest", "http", "ws"


def device_api_name(environment: str, kind: str) -> str:
    """The HTTP (`kind=HTTP`) or WebSocket (`kind=WEBSOCKET`) device API; AWS/ApiGateway metrics key on ApiId."""
    return f"{environment}-iot-{kind}-api"


# The WebSocket API's functions: the $connect authorizer and the connection handler (each reserves its part of
# websocketApi.reservedConcurrency, which config checks against the account's quota).
WS_AUTHORIZER, WS_CONNECTIONS = "ws-authorizer", "ws-connections"
WEBSOCKET_FUNCTIONS = (WS_AUTHORIZER, WS_CONNECTIONS)
# The device APIs' alarms (`alarm_name` keys), which the dashboards, made before the APIs, list by name.
HTTP_API_ALARM_LABEL, WS_API_ALARM_LABEL = "http-api", "ws-api"
DEVICE_API_ALARM_LABELS = {HTTP: HTTP_API_ALARM_LABEL, WEBSOCKET: WS_API_ALARM_LABEL}
HTTP_API_5XX_ALARM, HTTP_API_4XX_ALARM = (f"{HTTP_API_ALARM_LABEL}-{kind}" for kind in (API_5XX_RATE, API_4XX_RATE))
WS_API_ERROR_ALARM, WS_API_4XX_ALARM = (f"{WS_API_ALARM_LABEL}-{kind}" for kind in ("error-rate", API_4XX_RATE))


def function_errors_alarm(function: str) -> str:
    return f"{function}-errors"


def device_api_kinds(http_api: object, websocket_api: object) -> list[str]:
    """The kinds of device API a stack has (HTTP, WEBSOCKET), from its config's sections (None where absent)."""
    return [kind for kind, section in ((HTTP, http_api), (WEBSOCKET, websocket_api)) if section is not None]


def device_api_alarm_names(environment: str, kinds: Sequence[str]) -> tuple[str, ...]:
    """The alarms of the device APIs of `kinds` (HTTP, WEBSOCKET)."""
    keys = {HTTP: (HTTP_API_5XX_ALARM, HTTP_API_4XX_ALARM),
            WEBSOCKET: (*(function_errors_alarm(f) for f in WEBSOCKET_FUNCTIONS), WS_API_ERROR_ALARM,
                        WS_API_4XX_ALARM)}
    return tuple(alarm_name(environment, key) for kind in kinds for key in keys[kind])


def device_function_name(environment: str, function: str) -> str:
    """A device API Lambda function; its log group is `/aws/lambda/<this>` (64 characters at most)."""
    return f"{environment}-iot-{function}"


def connection_table_name(environment: str) -> str:
    """The WebSocket connection store: the connection Lambda writes it, the command service reads it."""
    return f"{environment}-iot-connections"


def api_access_log_group(environment: str, api: str) -> str:
    """The access log group of the API named `api`; the API writes it, the runbooks' saved queries, the tenants'
    metric filters and the dashboard's per-tenant query read it."""
    return f"/{environment}/apigateway/{api}/access"


def waf_log_group(environment: str, api: str) -> str:
    """The web ACL's log group: WAF logs only to groups named `aws-waf-logs-*`. The environment comes first so
    that the log key's policy (`log_group_patterns`) can name the environment's alone: environment names hold no
    `-`, so one's pattern never matches another's groups."""
    return f"aws-waf-logs-{environment}-{api}"


def account_activity_namespace(environment: str) -> str:
    """Where the trail's account-activity filters write (a metric per kind of event): the audit layer's filters
    write it, the observability layer's alarms read it."""
    return f"{environment}/AccountActivity"


def tenant_metric_namespace(environment: str) -> str:
    """Where the tenants' request counts go (one metric per tenant, named after it): the access logs' metric
    filters write it, the dashboard reads it."""
    return f"{environment}/TenantRequests"


def device_api_access_log_group(environment: str, kind: str) -> str:
    """A device API's access log group (`api_access_log_group`)."""
    return api_access_log_group(environment, device_api_name(environment, kind))


# ELB_NAME_MAX applies to the App Mesh ingress too: an auto-name (`<resource name>-<7 random chars>`) of
# a long logical name passes that limit, and the provider refuses it before calling AWS. Environments
# are at most 16 characters (config), so these stay within it.
def ingress_load_balancer_name(environment: str) -> str:
    return f"{environment}-ingress"


def ingress_target_group_name(environment: str) -> str:
    return f"{environment}-ingress-envoy"


def egress_firewall_name(environment: str) -> str:
    """The Network Firewall (and its policy); its metrics are published under this name."""
    return f"{environment}-egress"


def region_health_alarm_name(stack: str) -> str:
    """The global layer's alarm on one regional stack's Route 53 health check (in us-east-1)."""
    return f"{stack}-api-region-health"


def alarm_name(environment: str, key: str) -> str:
    """A CloudWatch alarm's name; ECS deployment alarms refer to alarms by it."""
    return f"{environment}-{key}"


def traffic_alarm_stem(label: str, prefix: str) -> str:
    """What a workload's traffic alarms' keys (5xx-rate, p99-latency) start with: its label, then the traffic
    source's prefix (`envoy-` on App Mesh, none on Service Connect)."""
    return f"{label}-{prefix}".removesuffix("-")


def nlb_label(name: str) -> str:
    """How an NLB's alarms are labelled (App Mesh's ingress gateway's), as `alb_label` an ALB's."""
    return f"{name}-nlb"


def five_xx_rate_key(label: str) -> str:
    """The key of a workload's or load balancer's 5xx-rate alarm: Observability creates it, and an ECS service
    names it (through `alarm_name`) to roll back on. Its kinds are the API's (`api_alarm_name`)."""
    return api_alarm_name(label, API_5XX_RATE)


def p99_latency_key(label: str) -> str:
    """The key of a workload's or load balancer's p99-latency alarm, as `five_xx_rate_key` is of its 5xx one."""
    return api_alarm_name(label, API_P99_LATENCY)


def tasks_below_desired_key(label: str) -> str:
    """The key of a workload's running-tasks alarm: Observability creates it, and an ECS service with no traffic
    alarm to roll back on names it in its (disabled) deployment alarms."""
    return f"{label}-tasks-below-desired"


def path_patterns(stage_name: str, path_prefix: str) -> list[str]:
    """The paths a public service's ingress ALB rule matches: the prefix and everything under it, as API Gateway
    sends them (with the stage) and bare (a request that reaches the ALB without the stage). Config holds each
    to the ALB's 128 characters."""
    return [f"/{stage_name}{path_prefix}", f"/{stage_name}{path_prefix}/*", path_prefix, f"{path_prefix}/*"]


# The pieces the layers join to a service's (or an external's) name; config keeps the joined names of one stack
# apart (components/config/services.py::_check_derived_names), so both read them from here.
ALTERNATE_SUFFIX = "-alt"           # a canary public service's second target group (ingress.py)
SHIFTING_RULE_SUFFIX = "-shift"     # the listener rule that shifts its traffic (ingress.py)
PROXY_RESOURCE_SUFFIX = "-proxy"    # a public path's `{proxy+}` resource (api.py)
GATEWAY_NAME = "ingress-gateway"    # App Mesh's ingress gateway: its mesh identity, named like a service's (mesh.py)
# What a Service Connect security group rule names a peer that is not a service (serviceconnect.py).
INGRESS_PEER, INTERNET_PEER = "ingress", "internet"
# App Mesh's traffic alarms read Envoy's metrics, and their keys say so (observability.py).
ENVOY_ALARM_PREFIX = "envoy-"


def service_namespace(environment: str, domain: str) -> str:
    """The Cloud Map namespace the services' own names live in, e.g. `dev.ecommerce.local`."""
    return f"{environment}.{domain}"


def external_node_name(external: str) -> str:
    """An external's App Mesh virtual node (mesh.py), which the virtual service's resource name carries too."""
    return f"external-{external}"


def ingress_target_group_label(service: str, alternate: bool = False) -> str:
    """A public service's ingress target group, or its second (`alternate`), as the resource's name ends."""
    return service + (ALTERNATE_SUFFIX if alternate else "")


def ingress_rule_label(service: str, shifting: bool = False) -> str:
    """A public service's ingress listener rule, or the one that shifts a canary's traffic (`shifting`)."""
    return service + (SHIFTING_RULE_SUFFIX if shifting else "")


def alb_label(service: str) -> str:
    """How a public service's ingress ALB alarms are labelled (their keys start with it)."""
    return f"{service}-alb"


# ECS keeps Service Connect's TLS private keys in Secrets Manager secrets named with this prefix: the Service
# Connect plane denies task roles them, and config refuses a service that injects one. The pack states it too
# (guardrails/ecs; it imports nothing from here): a test holds the two equal.
SC_TLS_SECRET_PREFIX = "ecs-sc!"


# IAM allows 64 characters in a role name. A workload's two roles have none, so pulumi-aws names each
# `<resource name>-<7 random characters>`; config refuses service and version names that would not fit.
IAM_ROLE_NAME_MAX = 64
AUTO_NAME_SUFFIX = 8
TASK_ROLE_SUFFIX = "-task"
EXECUTION_ROLE_SUFFIX = "-execution"


def workload_role_names(workload: str) -> tuple[str, str]:
    """The resource names of a workload's task role and execution role (`compute.deploy_workload`)."""
    return workload + TASK_ROLE_SUFFIX, workload + EXECUTION_ROLE_SUFFIX


def mesh_workload(service: str, version: str) -> str:
    """The resource name of one version's App Mesh workload (its roles' names start with it)."""
    return f"{service}-{version}"


def service_connect_family(environment: str, service: str) -> str:
    """A Service Connect service's task family, ECS service name and workload resource name (its roles' names
    start with it). The `-sc` suffix keeps it apart from
    every App Mesh family (`<env>-<service>-<version>`), so one update can create the Service Connect side
    before it deletes the App Mesh one (an ECS service cannot be in both)."""
    return f"{environment}-{service}-sc"


def service_connect_discovery_name(environment: str, service: str) -> str:
    """A service's Service Connect discovery name: its Cloud Map service, and the `TargetDiscoveryName` its callers'
    proxies report its traffic under in AWS/ECS. That dimension alone has no cluster or namespace in it, so it sums
    every series of the name in the account and region: dev's and prod's order-service (one account, us-east-1)
    would be one. At most 16 + 1 + 40 characters, within Cloud Map's 64."""
    return f"{environment}-{service}"


def restart_function_name(environment: str) -> str:
    """The Service Connect plane's function that restarts a caller once a callee declared after it exists
    (lambdas/restart_service); its log group is `/aws/lambda/<this>`."""
    return f"{environment}-sc-restart-service"


def service_connect_namespace(environment: str, domain: str) -> str:
    """The Cloud Map HTTP namespace Service Connect services publish into. Apart from the App Mesh plane's
    private DNS namespace (`<env>.<domain>`), so both can exist during a migration; clients still call
    `<service>.<env>.<domain>` (the client alias ECS writes into each task's hosts file)."""
    return f"sc.{environment}.{domain}"


def ecs_log_group(environment: str, *parts: str) -> str:
    """A log group under `/<env>/ecs/`, which the ECS log key covers: workloads' containers, ECS Exec sessions."""
    return "/".join((f"/{environment}/ecs", *parts))


def workload_log_group(environment: str, workload: str, kind: str) -> str:
    """A workload's container log group (`app`, `envoy`, ...); the saved Logs Insights queries read the apps'."""
    return ecs_log_group(environment, workload, kind)


def key_alias(environment: str, purpose: str) -> str:
    """A customer managed KMS key's alias (`alias/dev/logs`): how people and the console find the stack's keys."""
    return f"alias/{environment}/{purpose}"


def endpoint_service_name(region: str, service: str) -> str:
    """An AWS service's VPC endpoint service (`com.amazonaws.us-east-1.logs`): the endpoints take it, the alarms on
    them name it."""
    return f"com.amazonaws.{region}.{service}"


def lambda_log_group(function: str) -> str:
    """The log group Lambda writes a function's logs to (the program creates it first, with a retention)."""
    return f"/aws/lambda/{function}"


def log_group_arn(region: str, account: str, name: str) -> str:
    """A log group's ARN, as IAM and key policies name it (`name` may be a pattern); `:*` after it takes its
    streams."""
    return f"arn:aws:logs:{region}:{account}:log-group:{name}"


def mesh_tls_secret_name(environment: str, identity: str) -> str:
    """The Secrets Manager secret holding an App Mesh workload identity's certificate and key (certificates.py)."""
    return f"{environment}/mesh/tls/{identity}"


def mesh_tls_secret_arn_stand_in(region: str, environment: str, identity: str) -> str:
    """That secret's ARN as config sizes it before `up` names it: in a 12-digit account, ending as Secrets Manager
    ends an ARN, in a hyphen and six random characters."""
    return f"arn:aws:secretsmanager:{region}:{ANY_ACCOUNT}:secret:{mesh_tls_secret_name(environment, identity)}-AbCdEf"


def log_streams_arn(group_arn: str) -> str:
    """Every stream of a log group, as IAM names them for CreateLogStream and PutLogEvents."""
    return f"{group_arn}:log-stream:*"


def log_group_patterns(environment: str) -> tuple[str, ...]:
    """Every log group name the stack creates, as patterns (the log key's policy scopes CloudWatch Logs to them):
    its own `/<env>/...` groups, its web ACL's `aws-waf-logs-<env>-*`, its device functions' `/aws/lambda/<env>-iot-*`
    and its Service Connect restart function's group, and the REST and WebSocket APIs' execution log groups, whose
    names API Gateway fixes as `API-Gateway-Execution-Logs_<api id>/<stage>` (the id is known only after the API
    exists, so the pattern covers any API's execution logs in the account and region)."""
    return (f"/{environment}/*", lambda_log_group(device_function_name(environment, "*")),
            lambda_log_group(restart_function_name(environment)), f"{API_EXECUTION_LOGS}*",
            waf_log_group(environment, "*"))


API_EXECUTION_LOGS = "API-Gateway-Execution-Logs_"


def api_execution_log_group(api_id: str, stage: str) -> str:
    """The log group API Gateway names for a REST or WebSocket stage's execution logs."""
    return f"{API_EXECUTION_LOGS}{api_id}/{stage}"


def http_backend_path(route_path: str) -> str:
    """What the ALB sees of a device HTTP API route: its path without the tenant, the greedy part carried over
    (the integration's `overwrite:path`)."""
    return route_path.replace("{proxy+}", "$request.path.proxy")


_ECR_IMAGE = re.compile(r"^(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?P<cn>\.cn)?/"
                        r"(?P<repository>[^:@]+)")


def image_registry(image: str) -> str:
    """The registry an image reference names, as Docker reads it: a first part with a dot or a port, or localhost;
    else Docker Hub (`nginx:1.27` is docker.io/library/nginx:1.27)."""
    head, slash, _ = image.partition("/")
    return head if slash and ("." in head or ":" in head or head == "localhost") else "docker.io"


def ecr_image_region(image: str) -> Optional[str]:
    """The region of a private ECR registry an image is in, or None for any other registry."""
    match = _ECR_IMAGE.match(image)
    return match["region"] if match else None


def ecr_repository_arn(image: str) -> Optional[str]:
    """The ECR repository an image lives in (the execution role is granted pulls on it), or None elsewhere; a China
    region's registry (`.amazonaws.com.cn`) is in the aws-cn partition, which config refuses for that reason."""
    match = _ECR_IMAGE.match(image)
    if not match:
        return None
    partition = "aws-cn" if match["cn"] else "aws"
    return f"arn:{partition}:ecr:{match['region']}:{match['account']}:repository/{match['repository']}"
