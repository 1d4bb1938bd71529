"""ECS guardrails: task definition hardening, App Mesh sidecar wiring, services and clusters.

`containerDefinitions` is a JSON *string* on the wire (see `_props.containers`); inside it the ECS API's
own camelCase names apply (`readonlyRootFilesystem`, `logConfiguration`, `dependsOn`...).
`proxyConfiguration.properties` is a map (pulumi-aws 7 types it `Mapping[str, str]`), not the API's
list of name/value pairs. Cluster Container Insights lives in `settings[]` (plural on the wire).
"""
from __future__ import annotations

import re
from typing import Iterator, Optional

from pulumi_policy import EnforcementLevel, PolicyConfigSchema, ResourceValidationArgs, Severity

from ._props import (
    Container,
    as_list,
    config_list,
    config_value,
    containers,
    dig,
    each_container,
    has_text,
    is_map,
    is_true,
    resource_policy,
    string_list_schema,
)

TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition"
SERVICE = "aws:ecs/service:Service"
CLUSTER = "aws:ecs/cluster:Cluster"

ENVOY_IMAGE_MARKER = "aws-appmesh-envoy"
REQUIRED_EGRESS_IGNORED_IPS = ("169.254.170.2", "169.254.169.254")
DEFAULT_SECRET_KEY_PATTERNS = [
    # The AWS Config rule's defaults...
    r"^AWS_ACCESS_KEY_ID$", r"^AWS_SECRET_ACCESS_KEY$", r"^ECS_ENGINE_AUTH_DATA$",
    # ...and the usual names of values that must come from `secrets` (valueFrom) instead.
    r"(^|_)(PASSWORD|PASSWD|SECRET|PRIVATE_?KEY|API_?KEY|ACCESS_?KEY|CREDENTIALS?)(_|$)",
    r"(^|_)(TOKEN|PASSPHRASE)$",
]


# --- task definition hardening ----------------------------------------------------------------------


def _no_privileged(args: ResourceValidationArgs) -> Iterator[str]:
    for c in each_container(args):
        if is_true(c.get("privileged")):
            yield f"{c.label} runs privileged"


def _readonly_rootfs(args: ResourceValidationArgs) -> Iterator[str]:
    exempt = set(config_list(args, "exemptContainers", []))
    for c in each_container(args):
        if c.name not in exempt and not is_true(c.get("readonlyRootFilesystem")):
            yield f"{c.label} does not set readonlyRootFilesystem = true"


def _uid(user: object) -> Optional[str]:
    """The user part of `user`, `user:group`, `uid` or `uid:gid`."""
    return str(user).split(":", 1)[0].strip() if user is not None else None


def _nonroot_user(args: ResourceValidationArgs) -> Iterator[str]:
    exempt = set(config_list(args, "exemptContainers", []))
    for c in each_container(args):
        if c.name in exempt:
            continue
        uid = _uid(c.get("user"))
        if not uid:
            yield f"{c.label} sets no user, so it runs as the image's default (usually root)"
        elif uid in ("root", "0"):
            yield f"{c.label} runs as root (user {c.get('user')})"


def _log_configuration(args: ResourceValidationArgs) -> Iterator[str]:
    for c in each_container(args):
        if not has_text(dig(c.raw, "logConfiguration", "logDriver")):
            yield f"{c.label} has no logConfiguration.logDriver"


def _no_secret_env(args: ResourceValidationArgs) -> Iterator[str]:
    patterns = [re.compile(p, re.IGNORECASE)
                for p in config_list(args, "secretKeyPatterns", DEFAULT_SECRET_KEY_PATTERNS)]
    allowed = set(config_list(args, "allowedKeys", []))
    for c in each_container(args):
        for key in c.env():
            if key and key not in allowed and any(p.search(key) for p in patterns):
                yield f"{c.label} passes {key} as a plain environment variable; inject it from `secrets` (valueFrom)"


def _memory_limit(args: ResourceValidationArgs) -> Iterator[str]:
    for c in each_container(args):
        if c.get("memory") is None:
            yield f"{c.label} sets no hard memory limit (memory)"


def _awsvpc(args: ResourceValidationArgs) -> Iterator[str]:
    mode = args.props.get("networkMode")
    if mode != "awsvpc":
        yield f"networkMode is {mode or 'unset (bridge on EC2)'}; it must be awsvpc"


def _no_host_namespaces(args: ResourceValidationArgs) -> Iterator[str]:
    for key in ("pidMode", "ipcMode"):
        if args.props.get(key) == "host":
            yield f"{key} is host; the task would share the host's {key[:3]} namespace"


def _is_envoy_image(image: object) -> bool:
    return isinstance(image, str) and ENVOY_IMAGE_MARKER in image


def _image_problem(image: object) -> Optional[str]:
    """Why an image reference is not pinned, or None when it has a version tag or a digest."""
    if not has_text(image):
        return "has no image"
    if "@sha256:" in image:
        return None
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return f"image {image} has no tag (it means latest)"
    tag = last.rsplit(":", 1)[1]
    if tag.lower() == "latest":
        return f"image {image} uses the latest tag"
    return None


def _image_pinned(args: ResourceValidationArgs) -> Iterator[str]:
    for c in each_container(args):
        if not _is_envoy_image(c.get("image")):  # Envoy has its own (mandatory) policy
            problem = _image_problem(c.get("image"))
            if problem:
                yield f"{c.label} {problem}; pin a version tag or digest"


# --- App Mesh sidecar wiring ----------------------------------------------------------------------------


class MeshTask:
    """A task definition whose proxyConfiguration hands traffic to an App Mesh Envoy."""

    def __init__(self, args: ResourceValidationArgs):
        proxy = args.props.get("proxyConfiguration")
        # `type` defaults to APPMESH (the only value ECS supports); the engine fills it in, mocks do not.
        self.enabled = is_map(proxy) and (proxy.get("type") or "APPMESH") == "APPMESH"
        self.envoy_name = proxy.get("containerName") if self.enabled else None
        self.properties = (proxy.get("properties") or {}) if self.enabled else {}
        self.containers = containers(args.props) if self.enabled else []
        self.envoy = next((c for c in self.containers if c.name == self.envoy_name), None)

    @property
    def ignored_uid(self) -> Optional[str]:
        uid = self.properties.get("IgnoredUID")
        return str(uid).strip() if uid is not None else None


def _mesh_task(args: ResourceValidationArgs) -> MeshTask:
    task = MeshTask(args)
    if not task.enabled:
        args.not_applicable("no APPMESH proxyConfiguration")
    return task


def _missing_envoy(task: MeshTask) -> str:
    return (f"proxyConfiguration.containerName is {task.envoy_name!r} but no container has that name"
            if task.envoy_name else "proxyConfiguration sets no containerName")


def _envoy_essential(args: ResourceValidationArgs) -> Iterator[str]:
    task = _mesh_task(args)
    if task.envoy is None:
        yield _missing_envoy(task)
    elif not task.envoy.essential:
        yield f"the Envoy {task.envoy.label} is not essential; the task would keep running without its proxy"


def _envoy_user(args: ResourceValidationArgs) -> Iterator[str]:
    task = _mesh_task(args)
    if task.ignored_uid is None:
        yield "proxyConfiguration.properties sets no IgnoredUID, so Envoy's own egress loops back into Envoy"
    elif task.envoy is None:
        yield _missing_envoy(task)
    elif _uid(task.envoy.get("user")) != task.ignored_uid:
        yield (f"the Envoy {task.envoy.label} runs as user {task.envoy.get('user')!r} but "
               f"proxyConfiguration.properties.IgnoredUID is {task.ignored_uid}; they must be equal")


def _envoy_containers(args: ResourceValidationArgs) -> list[Container]:
    """Envoy sidecars (named by proxyConfiguration) and Envoy-only tasks (virtual gateways)."""
    task = MeshTask(args)
    named = task.envoy_name
    found = [c for c in containers(args.props) if _is_envoy_image(c.get("image")) or (named and c.name == named)]
    if not found:
        args.not_applicable("no Envoy container")
    return found


def _envoy_resource_arn(args: ResourceValidationArgs) -> Iterator[str]:
    for c in _envoy_containers(args):
        env = c.env()
        if not has_text(env.get("APPMESH_RESOURCE_ARN")):
            hint = " (APPMESH_VIRTUAL_NODE_NAME is deprecated)" if "APPMESH_VIRTUAL_NODE_NAME" in env else ""
            yield f"the Envoy {c.label} does not set APPMESH_RESOURCE_ARN{hint}"


def _envoy_image_pinned(args: ResourceValidationArgs) -> Iterator[str]:
    for c in _envoy_containers(args):
        problem = _image_problem(c.get("image"))
        if problem:
            yield f"the Envoy {c.label} {problem}; pin a released version (e.g. v1.29.12.1-prod)"


def _envoy_health_check(args: ResourceValidationArgs) -> Iterator[str]:
    task = _mesh_task(args)
    if task.envoy is None:
        yield _missing_envoy(task)
    elif not as_list(dig(task.envoy.raw, "healthCheck", "command")):
        yield f"the Envoy {task.envoy.label} has no healthCheck, so no container can wait for it to be HEALTHY"


def _app_containers(task: MeshTask) -> list[Container]:
    """Essential containers that send traffic through Envoy: not Envoy, not running as IgnoredUID."""
    return [c for c in task.containers
            if c is not task.envoy and c.essential and _uid(c.get("user")) != task.ignored_uid]


def _app_depends_on_envoy(args: ResourceValidationArgs) -> Iterator[str]:
    task = _mesh_task(args)
    if task.envoy is None:
        yield _missing_envoy(task)
        return
    for c in _app_containers(task):
        waits = any(is_map(d) and d.get("containerName") == task.envoy_name and d.get("condition") == "HEALTHY"
                    for d in as_list(c.get("dependsOn")))
        if not waits:
            yield f"{c.label} does not dependsOn {task.envoy_name!r} with condition HEALTHY"


def _proxy_properties(args: ResourceValidationArgs) -> Iterator[str]:
    props = _mesh_task(args).properties
    for key in ("IgnoredUID", "ProxyIngressPort", "ProxyEgressPort", "AppPorts"):
        if not has_text(str(props.get(key) or "")):
            yield f"proxyConfiguration.properties sets no {key}"
    ignored = {ip.strip() for ip in str(props.get("EgressIgnoredIPs") or "").split(",")}
    missing = [ip for ip in REQUIRED_EGRESS_IGNORED_IPS if ip not in ignored]
    if missing:
        yield (f"proxyConfiguration.properties.EgressIgnoredIPs does not include {', '.join(missing)}; "
               "task metadata and credentials would be routed through Envoy")


# --- services and clusters ------------------------------------------------------------------------------


def _no_public_ip(args: ResourceValidationArgs) -> Iterator[str]:
    if is_true(dig(args.props, "networkConfiguration", "assignPublicIp")):
        yield "networkConfiguration.assignPublicIp is true; tasks must stay in private subnets"


def _is_fargate(props) -> bool:
    if props.get("launchType") == "FARGATE":
        return True
    return any(dig(s, "capacityProvider") in ("FARGATE", "FARGATE_SPOT")
               for s in as_list(props.get("capacityProviderStrategies")))


def _version(text: str) -> Optional[tuple[int, ...]]:
    return tuple(int(p) for p in text.split(".")) if re.fullmatch(r"\d+(\.\d+)*", text) else None


def _fargate_platform(args: ResourceValidationArgs) -> Iterator[str]:
    if not _is_fargate(args.props):
        args.not_applicable("not a Fargate service")
    minimum = config_value(args, "minimumVersion", "1.4.0")
    version = args.props.get("platformVersion")
    if version is None or version == "LATEST":
        return
    parsed = _version(str(version))
    if parsed is None or parsed < _version(minimum):
        yield f"platformVersion is {version}; use LATEST or at least {minimum}"


def _circuit_breaker(args: ResourceValidationArgs) -> Iterator[str]:
    controller = dig(args.props, "deploymentController", "type")
    if controller in ("CODE_DEPLOY", "EXTERNAL"):
        args.not_applicable(f"{controller} deployments have no ECS circuit breaker")
    breaker = args.props.get("deploymentCircuitBreaker")
    if not is_true(dig(breaker, "enable")):
        yield "deploymentCircuitBreaker.enable is not true; a failing deployment would never stop"
    elif not is_true(dig(breaker, "rollback")):
        yield "deploymentCircuitBreaker.rollback is not true; a failed deployment would not roll back"


def _exec_disabled(args: ResourceValidationArgs) -> Iterator[str]:
    if is_true(args.props.get("enableExecuteCommand")):
        yield "enableExecuteCommand is true; ECS Exec gives interactive shells into running tasks"


def _container_insights(args: ResourceValidationArgs) -> Iterator[str]:
    values = [dig(s, "value") for s in as_list(args.props.get("settings")) if dig(s, "name") == "containerInsights"]
    if not values:
        yield "settings has no containerInsights entry; set containerInsights = enabled (or enhanced)"
    elif values[-1] not in ("enabled", "enhanced"):
        yield f"settings containerInsights is {values[-1]}; set it to enabled (or enhanced)"


# --- policies ---------------------------------------------------------------------------------------

_EXEMPT_CONTAINERS = PolicyConfigSchema(properties={
    "exemptContainers": string_list_schema("Container names this rule does not apply to.", []),
})

ecs_taskdef_no_privileged = resource_policy(
    "ecs-taskdef-no-privileged", "ECS containers must not run privileged.",
    TASK_DEFINITION, _no_privileged, severity=Severity.CRITICAL)

ecs_taskdef_readonly_rootfs = resource_policy(
    "ecs-taskdef-readonly-rootfs", "ECS containers must have a read-only root filesystem.",
    TASK_DEFINITION, _readonly_rootfs, severity=Severity.HIGH, config_schema=_EXEMPT_CONTAINERS)

ecs_taskdef_nonroot_user = resource_policy(
    "ecs-taskdef-nonroot-user", "ECS containers must run as an explicit non-root user.",
    TASK_DEFINITION, _nonroot_user, severity=Severity.HIGH, config_schema=_EXEMPT_CONTAINERS)

ecs_taskdef_log_configuration = resource_policy(
    "ecs-taskdef-log-configuration", "Every ECS container must have a log configuration.",
    TASK_DEFINITION, _log_configuration, severity=Severity.MEDIUM)

ecs_taskdef_no_secret_env = resource_policy(
    "ecs-taskdef-no-secret-env",
    "ECS containers must not pass secrets as plain environment variables; use `secrets` (valueFrom).",
    TASK_DEFINITION, _no_secret_env, severity=Severity.CRITICAL,
    config_schema=PolicyConfigSchema(properties={
        "secretKeyPatterns": string_list_schema(
            "Regular expressions (case-insensitive) for environment variable names that look like secrets.",
            DEFAULT_SECRET_KEY_PATTERNS),
        "allowedKeys": string_list_schema("Environment variable names that match a pattern but are not secrets.", []),
    }))

ecs_taskdef_memory_limit = resource_policy(
    "ecs-taskdef-memory-limit", "Every ECS container must set a hard memory limit.",
    TASK_DEFINITION, _memory_limit, severity=Severity.LOW, enforcement_level=EnforcementLevel.ADVISORY)

ecs_taskdef_awsvpc_network = resource_policy(
    "ecs-taskdef-awsvpc-network",
    "ECS task definitions must use the awsvpc network mode (no host or bridge networking).",
    TASK_DEFINITION, _awsvpc, severity=Severity.HIGH)

ecs_taskdef_no_host_namespaces = resource_policy(
    "ecs-taskdef-no-host-namespaces", "ECS task definitions must not share the host's process or IPC namespace.",
    TASK_DEFINITION, _no_host_namespaces, severity=Severity.HIGH)

ecs_taskdef_image_pinned = resource_policy(
    "ecs-taskdef-image-pinned", "ECS container images must be pinned to a version tag or digest, never latest.",
    TASK_DEFINITION, _image_pinned, severity=Severity.MEDIUM, enforcement_level=EnforcementLevel.ADVISORY)

ecs_taskdef_appmesh_envoy_essential = resource_policy(
    "ecs-taskdef-appmesh-envoy-essential",
    "With an APPMESH proxy configuration, the named Envoy container must exist and be essential.",
    TASK_DEFINITION, _envoy_essential, severity=Severity.HIGH)

ecs_taskdef_appmesh_envoy_user = resource_policy(
    "ecs-taskdef-appmesh-envoy-user",
    "With an APPMESH proxy configuration, the Envoy container's user must equal IgnoredUID.",
    TASK_DEFINITION, _envoy_user, severity=Severity.HIGH)

ecs_taskdef_appmesh_envoy_resource_arn = resource_policy(
    "ecs-taskdef-appmesh-envoy-resource-arn",
    "Envoy containers must name their virtual node or gateway in APPMESH_RESOURCE_ARN.",
    TASK_DEFINITION, _envoy_resource_arn, severity=Severity.HIGH)

ecs_taskdef_appmesh_envoy_image_pinned = resource_policy(
    "ecs-taskdef-appmesh-envoy-image-pinned",
    "Envoy containers must use a pinned aws-appmesh-envoy image tag, never latest or untagged.",
    TASK_DEFINITION, _envoy_image_pinned, severity=Severity.HIGH)

ecs_taskdef_appmesh_envoy_health_check = resource_policy(
    "ecs-taskdef-appmesh-envoy-health-check",
    "With an APPMESH proxy configuration, the Envoy container must have a health check.",
    TASK_DEFINITION, _envoy_health_check, severity=Severity.MEDIUM)

ecs_taskdef_appmesh_app_depends_on_envoy = resource_policy(
    "ecs-taskdef-appmesh-app-depends-on-envoy",
    "With an APPMESH proxy configuration, app containers must start only after Envoy is HEALTHY.",
    TASK_DEFINITION, _app_depends_on_envoy, severity=Severity.HIGH)

ecs_taskdef_appmesh_proxy_properties = resource_policy(
    "ecs-taskdef-appmesh-proxy-properties",
    "APPMESH proxy configurations must set IgnoredUID, proxy ports, AppPorts and ignore the metadata IPs.",
    TASK_DEFINITION, _proxy_properties, severity=Severity.MEDIUM)

ecs_service_no_public_ip = resource_policy(
    "ecs-service-no-public-ip", "ECS services must not assign public IP addresses to tasks.",
    SERVICE, _no_public_ip, severity=Severity.HIGH)

ecs_service_fargate_platform_version = resource_policy(
    "ecs-service-fargate-platform-version", "Fargate services must run on platform LATEST or at least 1.4.0.",
    SERVICE, _fargate_platform, severity=Severity.MEDIUM,
    config_schema=PolicyConfigSchema(properties={
        "minimumVersion": {"type": "string", "pattern": r"^\d+(\.\d+)*$", "default": "1.4.0",
                           "description": "The oldest acceptable pinned Fargate platform version."},
    }))

ecs_service_deployment_circuit_breaker = resource_policy(
    "ecs-service-deployment-circuit-breaker", "ECS services must enable the deployment circuit breaker with rollback.",
    SERVICE, _circuit_breaker, severity=Severity.MEDIUM, enforcement_level=EnforcementLevel.ADVISORY)

ecs_service_exec_disabled = resource_policy(
    "ecs-service-exec-disabled", "ECS services must not enable ECS Exec (interactive shells into tasks).",
    SERVICE, _exec_disabled, severity=Severity.MEDIUM)

ecs_cluster_container_insights = resource_policy(
    "ecs-cluster-container-insights", "ECS clusters must enable Container Insights.",
    CLUSTER, _container_insights, severity=Severity.LOW, enforcement_level=EnforcementLevel.ADVISORY)

POLICIES = [
    ecs_taskdef_no_privileged,
    ecs_taskdef_readonly_rootfs,
    ecs_taskdef_nonroot_user,
    ecs_taskdef_log_configuration,
    ecs_taskdef_no_secret_env,
    ecs_taskdef_memory_limit,
    ecs_taskdef_awsvpc_network,
    ecs_taskdef_no_host_namespaces,
    ecs_taskdef_image_pinned,
    ecs_taskdef_appmesh_envoy_essential,
    ecs_taskdef_appmesh_envoy_user,
    ecs_taskdef_appmesh_envoy_resource_arn,
    ecs_taskdef_appmesh_envoy_image_pinned,
    ecs_taskdef_appmesh_envoy_health_check,
    ecs_taskdef_appmesh_app_depends_on_envoy,
    ecs_taskdef_appmesh_proxy_properties,
    ecs_service_no_public_ip,
    ecs_service_fargate_platform_version,
    ecs_service_deployment_circuit_breaker,
    ecs_service_exec_disabled,
    ecs_cluster_container_insights,
]
