"""App Mesh sidecar wiring in ECS task definitions (an APPMESH `proxyConfiguration` and its Envoy).

`proxyConfiguration.properties` is a map (pulumi-aws 7 types it `Mapping[str, str]`), not the API's list of
name/value pairs; given as anything else, the checks that read it do not judge the task.
"""
from __future__ import annotations

from typing import Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import as_list, has_text, is_map
from ..core.registry import resource_policy
from . import TASK_DEFINITION
from .containers import Container, containers, image_problem, is_envoy_image, uid

# The task metadata and credentials endpoint and the instance metadata service, which the proxy must not redirect
# (components/dataplane/appmesh.py sets the same; a test holds the two equal).
REQUIRED_EGRESS_IGNORED_IPS = ("169.254.170.2", "169.254.169.254")


class MeshTask:
    """A task definition whose proxyConfiguration hands traffic to an App Mesh Envoy."""

    def __init__(self, args: ResourceValidationArgs):
        proxy = args.props.get("proxyConfiguration")
        # `type` defaults to APPMESH (the only value ECS supports); the engine fills it in, mocks do not.
        self.enabled = is_map(proxy) and (proxy.get("type") or "APPMESH") == "APPMESH"
        self.envoy_name = proxy.get("containerName") if self.enabled else None
        properties = (proxy.get("properties") or {}) if self.enabled else {}
        # None where `properties` is not a map (the API's list of name/value pairs, a number), which pulumi-aws
        # refuses: the checks that read it do not judge the task, rather than read it as setting nothing.
        self.properties = properties if is_map(properties) else None
        self.containers = containers(args.props) if self.enabled else []
        self.envoy = next((c for c in self.containers if c.name == self.envoy_name), None)

    @property
    def ignored_uid(self) -> Optional[str]:
        value = (self.properties or {}).get("IgnoredUID")
        return str(value).strip() if value is not None else None


def _mesh_task(args: ResourceValidationArgs) -> MeshTask:
    task = MeshTask(args)
    if not task.enabled:
        args.not_applicable("no APPMESH proxyConfiguration")
    return task


def _missing_envoy(task: MeshTask) -> str:
    return (f"proxyConfiguration.containerName is {task.envoy_name!r} but no container has that name"
            if task.envoy_name else "proxyConfiguration sets no containerName")


def _envoy_containers(args: ResourceValidationArgs) -> list[Container]:
    """Envoy sidecars (named by proxyConfiguration) and Envoy-only tasks (virtual gateways)."""
    named = MeshTask(args).envoy_name
    found = [c for c in containers(args.props) if is_envoy_image(c.get("image")) or (named and c.name == named)]
    if not found:
        args.not_applicable("no Envoy container")
    return found


def _app_containers(task: MeshTask) -> list[Container]:
    """Essential containers that send traffic through Envoy: not Envoy, not running as IgnoredUID."""
    return [c for c in task.containers
            if c is not task.envoy and c.essential and uid(c.get("user")) != task.ignored_uid]


@resource_policy(
    "ecs-taskdef-appmesh-envoy-essential", TASK_DEFINITION,
    description="With an APPMESH proxy configuration, the named Envoy container must exist and be essential.",
    severity=Severity.HIGH,
)
def envoy_essential(args: ResourceValidationArgs) -> Iterator[str]:
    """with `proxyConfiguration` APPMESH: the container named by `containerName` exists and is essential"""
    task = _mesh_task(args)
    if task.envoy is None:
        yield _missing_envoy(task)
    elif not task.envoy.essential:
        yield f"the Envoy {task.envoy.label} is not essential; the task would keep running without its proxy"


@resource_policy(
    "ecs-taskdef-appmesh-envoy-user", TASK_DEFINITION,
    description="With an APPMESH proxy configuration, the Envoy container's user must equal IgnoredUID.",
    severity=Severity.HIGH,
)
def envoy_user(args: ResourceValidationArgs) -> Iterator[str]:
    """with APPMESH: `properties.IgnoredUID` is set and equals the Envoy container's `user`"""
    task = _mesh_task(args)
    if task.properties is None:
        return
    if task.ignored_uid is None:
        yield "proxyConfiguration.properties sets no IgnoredUID, so Envoy's own egress loops back into Envoy"
    elif task.envoy is None:
        yield _missing_envoy(task)
    elif uid(task.envoy.get("user")) != task.ignored_uid:
        yield (f"the Envoy {task.envoy.label} runs as user {task.envoy.get('user')!r} but "
               f"proxyConfiguration.properties.IgnoredUID is {task.ignored_uid}; they must be equal")


@resource_policy(
    "ecs-taskdef-appmesh-envoy-resource-arn", TASK_DEFINITION,
    description="Envoy containers must name their virtual node or gateway in APPMESH_RESOURCE_ARN.",
    severity=Severity.HIGH,
)
def envoy_resource_arn(args: ResourceValidationArgs) -> Iterator[str]:
    """Envoy containers (sidecar or gateway) set `APPMESH_RESOURCE_ARN`"""
    for c in _envoy_containers(args):
        env = c.env()
        if not has_text(env.get("APPMESH_RESOURCE_ARN")):
            hint = " (APPMESH_VIRTUAL_NODE_NAME is deprecated)" if "APPMESH_VIRTUAL_NODE_NAME" in env else ""
            yield f"the Envoy {c.label} does not set APPMESH_RESOURCE_ARN{hint}"


@resource_policy(
    "ecs-taskdef-appmesh-envoy-image-pinned", TASK_DEFINITION,
    description="Envoy containers must use a pinned aws-appmesh-envoy image tag, never latest or untagged.",
    severity=Severity.HIGH,
)
def envoy_image_pinned(args: ResourceValidationArgs) -> Iterator[str]:
    """Envoy images are pinned (not `latest`, not untagged)"""
    for c in _envoy_containers(args):
        problem = image_problem(c.get("image"))
        if problem:
            yield f"the Envoy {c.label} {problem}; pin a released version (e.g. v1.29.12.1-prod)"


@resource_policy(
    "ecs-taskdef-appmesh-envoy-health-check", TASK_DEFINITION,
    description="With an APPMESH proxy configuration, the Envoy container must have a health check.",
    severity=Severity.MEDIUM,
)
def envoy_health_check(args: ResourceValidationArgs) -> Iterator[str]:
    """with APPMESH: Envoy has a `healthCheck` command, CMD or CMD-SHELL and what to run (needed for `HEALTHY`
    ordering)"""
    task = _mesh_task(args)
    if task.envoy is None:
        yield _missing_envoy(task)
    elif not task.envoy.checks_health:
        yield f"the Envoy {task.envoy.label} has no healthCheck, so no container can wait for it to be HEALTHY"


@resource_policy(
    "ecs-taskdef-appmesh-app-depends-on-envoy", TASK_DEFINITION,
    description="With an APPMESH proxy configuration, app containers must start only after Envoy is HEALTHY.",
    severity=Severity.HIGH,
)
def app_depends_on_envoy(args: ResourceValidationArgs) -> Iterator[str]:
    """with APPMESH: every essential app container (not Envoy, not running as IgnoredUID) `dependsOn` Envoy
    `HEALTHY`"""
    task = _mesh_task(args)
    if task.envoy is None:
        yield _missing_envoy(task)
        return
    if task.properties is None:  # which container runs as IgnoredUID (and so needs no Envoy) is not known
        return
    for c in _app_containers(task):
        waits = any(is_map(d) and d.get("containerName") == task.envoy_name and d.get("condition") == "HEALTHY"
                    for d in as_list(c.get("dependsOn")))
        if not waits:
            yield f"{c.label} does not dependsOn {task.envoy_name!r} with condition HEALTHY"


@resource_policy(
    "ecs-taskdef-appmesh-proxy-properties", TASK_DEFINITION,
    description="APPMESH proxy configurations must set IgnoredUID, proxy ports, AppPorts and ignore the metadata IPs.",
    severity=Severity.MEDIUM,
)
def proxy_properties(args: ResourceValidationArgs) -> Iterator[str]:
    """with APPMESH: IgnoredUID, ProxyIngressPort, ProxyEgressPort, AppPorts set; EgressIgnoredIPs includes
    169.254.170.2 and 169.254.169.254"""
    props = _mesh_task(args).properties
    if props is None:
        return
    for key in ("IgnoredUID", "ProxyIngressPort", "ProxyEgressPort", "AppPorts"):
        if not has_text(str(props.get(key) or "")):
            yield f"proxyConfiguration.properties sets no {key}"
    ignored = {ip.strip() for ip in str(props.get("EgressIgnoredIPs") or "").split(",")}
    missing = [ip for ip in REQUIRED_EGRESS_IGNORED_IPS if ip not in ignored]
    if missing:
        yield (f"proxyConfiguration.properties.EgressIgnoredIPs does not include {', '.join(missing)}; "
               "task metadata and credentials would be routed through Envoy")
