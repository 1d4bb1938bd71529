"""The data plane of an environment, chosen once per stack (`mesh.dataPlane`).

Each plane builds its own layers and hands Platform the same `DataPlane`: the cluster (`Compute`), what
Observability watches, what the public API forwards to, and its stack outputs. Nothing outside this
package asks which plane is in use: config reads what each can express from `config.PLANES`, and checks a
stack against what the chosen one states here (`quota_use`, `check_task_memory`, `check_task_definition_size`).

    serviceconnect (default)  ECS Service Connect: server TLS from AWS Private CA, callers authorised by
                              security groups, canary by ECS deployment, ingress through an internal ALB
    appmesh                   App Mesh (discontinued 2026-09-30): mTLS, DROP_ALL, weighted routes,
                              a virtual gateway behind an internal NLB
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping, NamedTuple, Optional, Sequence

import pulumi

from .. import naming
from ..compute import (DEPLOYMENT_MAXIMUM_PERCENT, AppContainer, ComputeArgs, json_bytes, scratch_for_app,
                       task_containers, task_definition_request)
from ..config import APP_MESH, CHOSEN_PLANE, PLANES, SERVICE_CONNECT, ConfigError, PlatformConfig, ServiceConfig
from ..config.values import TASK_DEFINITION_BYTES
from ..workload import WorkloadWiring
from ..network import fargate_subnets

if TYPE_CHECKING:
    from ..audit import AuditLogging
    from ..api import AlbBackend, NlbBackend
    from ..compute import Compute
    from ..http_api import HttpBackend
    from ..dns import DnsZone
    from ..egress import Egress
    from ..network import Network
    from ..observability import WatchedLoadBalancer, WatchedWorkload


@dataclass(frozen=True)
class DataPlaneArgs:
    config: PlatformConfig
    network: "Network"
    # VPC endpoints, firewalls, and the AWS API clients group every task joins.
    egress: "Egress"
    # Where load balancers write their access logs (when the stack turns them on).
    audit: "AuditLogging"
    # The environment's log key (components/logkey.py), for log groups outside ECS (a plane's own functions).
    log_key_arn: pulumi.Input[str]
    # The public zone for certificates and aliases, when the stack configures one.
    dns: Optional["DnsZone"] = None

    def compute_args(self, **plane: Any) -> ComputeArgs:
        """The cluster's arguments every plane shares: the network, and what its tasks leave through (the
        network's exits, and the egress layer whole), for services to wait for; `plane` adds a plane's own."""
        config = self.config
        return ComputeArgs(environment=config.environment, region=config.region, protect=config.protect,
                           enable_execute_command=config.enable_execute_command,
                           log_retention_days=config.sizing.log_retention_days,
                           vpc_id=self.network.vpc_id, vpc_cidr=self.network.vpc_cidr,
                           private_subnet_ids=self.network.private_subnet_ids,
                           task_subnet_ids=fargate_subnets(self.network.private_subnet_ids,
                                                           self.network.private_subnet_zone_ids),
                           api_clients_security_group_id=self.egress.api_clients_security_group_id,
                           image_mirror=self.egress.image_mirror,
                           egress_path=(*self.network.exit_path, self.egress), **plane)


@dataclass(frozen=True)
class DataPlane:
    """What one data plane gives the rest of the platform."""

    compute: "Compute"
    # The Cloud Map namespace its services are found in.
    namespace: pulumi.Output[str]
    watched: Sequence["WatchedWorkload"]
    load_balancers: Sequence["WatchedLoadBalancer"]
    # Where the REST API's integrations go; None when no service is public.
    api_backend: Optional["NlbBackend | AlbBackend"]
    # Each service's task role names (one per running version), for grants other layers make to them.
    task_role_names: Mapping[str, Sequence[pulumi.Output[str]]]
    # Stack outputs particular to this plane.
    outputs: Mapping[str, pulumi.Output]
    # Its components by role, for callers that need to look inside (tests, exports).
    components: Mapping[str, Any] = field(default_factory=dict)
    # Where HTTP API private integrations go (an ALB listener behind VPC link V2); None when the plane has none.
    http_backend: Optional["HttpBackend"] = None
    # Each service's application log group, in config order (the saved Logs Insights queries read them, split
    # in this order: a service added at the end lands in the last).
    app_log_groups: Sequence[pulumi.Output[str]] = ()


def data_plane_aws_apis(config: PlatformConfig) -> tuple[str, ...]:
    """Interface endpoints the chosen plane itself needs (Envoy's App Mesh xDS; Service Connect's proxy
    talks to ECS through the ECS agent, which Fargate runs outside the task's network)."""
    return _PLANES[config.mesh.data_plane]().aws_apis


# The least memory (MiB) an app container is left after its data plane's share of the task.
APP_MIN_MEMORY = 256


def check_task_memory(config: PlatformConfig, fail: Callable[..., ConfigError]) -> None:
    """Each task's memory must hold the chosen plane's share (its containers' reservations and the headroom
    of a proxy ECS adds itself, `reserved_memory`) plus at least APP_MIN_MEMORY for the app: otherwise
    the task definition cannot be registered or its tasks placed. Config checks it before anything is declared."""
    plane = config.mesh.data_plane
    reserved = _PLANES[plane]().wiring.reserved_memory
    sizes = [("sizing", config.sizing)] + [(f"services[{i}].sizing", s.sizing) for i, s in enumerate(config.services)
                                           if s.sizing is not config.sizing]
    for path, sizing in sizes:
        if sizing.memory - reserved < APP_MIN_MEMORY:
            raise fail(f"{path}.memory", f"{sizing.memory} MiB leaves the app {sizing.memory - reserved} MiB after "
                                         f"the {plane} data plane's {reserved} MiB (sidecars and proxy headroom); it "
                                         f"needs at least {APP_MIN_MEMORY}", CHOSEN_PLANE)


def config_task_definition(config: PlatformConfig, service: ServiceConfig, wiring: WorkloadWiring, app: AppContainer,
                           *, workload: str, family: str, resolved: Any = None) -> dict:
    """One of a service's task definitions as the provider sends it (compute.task_definition_request), from config
    alone (each plane's task_definitions): its containers as compute.task_containers writes them, its log groups
    named as WorkloadLogs names them (PlaneTraits.log_groups), the ECR Public cache and its roles (`workload`'s, named
    `<name>-<7 random characters>` by pulumi-aws) in a 12-digit account, and the stack's tags with the provider's."""
    groups = PLANES[config.mesh.data_plane].log_groups(config.environment, service.name)
    scratch = scratch_for_app(config.enable_execute_command)
    containers = task_containers(wiring, app, memory=service.sizing.memory, log_groups=groups, resolved=resolved,
                                 scratch=scratch, region=config.region,
                                 registry=naming.ecr_registry(naming.ANY_ACCOUNT, config.region),
                                 prefix=naming.ecr_public_cache_prefix(config.environment))
    roles = tuple(f"arn:aws:iam::{naming.ANY_ACCOUNT}:role/{name}-{'x' * (naming.AUTO_NAME_SUFFIX - 1)}"
                  for name in naming.workload_role_names(workload))
    return task_definition_request(containers, family=family, sizing=service.sizing, role_arns=roles,
                                   proxy=wiring.proxy_configuration(app.port),
                                   volume_names=wiring.volume_names(scratch),
                                   tags={**config.provider_tags, **config.tags})


def service_task_definitions(config: PlatformConfig, service: ServiceConfig) -> list[dict]:
    """Each of a service's task definitions on the chosen plane, as the provider sends it, from config alone."""
    return _PLANES[config.mesh.data_plane]().task_definitions(config, service)


def check_task_definition_size(config: PlatformConfig, fail: Callable[..., ConfigError]) -> None:
    """ECS refuses a task definition above TASK_DEFINITION_BYTES. Each of a service's task definitions is counted
    whole, the RegisterTaskDefinition request with its plane's containers and the app's, as the program declares it
    and as the preview's API check measures it (compute.json_bytes); where only `up` knows a name (an account id, an
    ARN, a role's random suffix, a secret's version), at its longest. The value config puts most bytes of in the app's
    container is named."""
    for i, service in enumerate(config.services):
        size = max(json_bytes(request) for request in service_task_definitions(config, service))
        if size > TASK_DEFINITION_BYTES:
            parts = _app_parts(i, service)
            key = max(parts, key=parts.get)
            raise fail(key, f"{size:,} bytes in {service.name}'s task definition with these variables, secrets and "
                            f"health check, more than the {TASK_DEFINITION_BYTES:,} ECS takes for a whole task "
                            f"definition (the {config.mesh.data_plane} plane's containers, its roles, volumes and "
                            f"tags included)", [*(k for k in parts if k != key), *CHOSEN_PLANE])


def _app_parts(index: int, service: ServiceConfig) -> dict[str, int]:
    """The keys of what config puts in a service's app container and their bytes there (compact JSON)."""
    check = service.container_health_check
    parts = {f"services[{index}].environment": [{"name": k, "value": v} for k, v in service.environment.items()],
             f"services[{index}].secrets": [{"name": k, "valueFrom": v} for k, v in service.secrets.items()]}
    if check is not None:
        parts[check.command_key] = list(check.command)
    return {key: json_bytes(value) for key, value in parts.items()}


@dataclass(frozen=True)
class RuleTally:
    """The rules a plane puts on one security group in one direction (AWS counts inbound and outbound apart)."""

    key: str  # the stack-file key whose values make them, for the error: "services[3]", "services[3].calls"
    group: str  # whose group: "auth-service's security group"
    direction: str  # "inbound" or "outbound"
    count: int
    made_of: str  # what they are: "74 callers + the ingress ALB"


@dataclass(frozen=True)
class QuotaUse:
    """What a stack costs in the per-resource quotas its plane meets at `up`, stated by the plane from the rules
    and target groups it builds (config checks it against `quotas:` before anything is declared)."""

    # Security groups each task joins: with the rules quota, AWS caps their product at 1,000.
    task_security_groups: int
    rules: tuple[RuleTally, ...]
    # The ingress ALB's target groups and what they are for; None on a plane without an ALB.
    alb_target_groups: Optional[tuple[int, str]] = None
    # The most targets registered with the ingress ALB at once (every task of its services at maxCapacity, twice
    # over while they deploy), and whose; None without an ALB.
    alb_targets: Optional[tuple[int, str]] = None
    # The most tasks registered at once in each service's Cloud Map service, in config order: Cloud Map caps a
    # service's instances, and the namespace's. Both planes register every task: App Mesh's service registries
    # (the ECS API's ServiceRegistry), Service Connect the instances of the Cloud Map services it creates.
    cloud_map_instances: tuple[InstanceTally, ...] = ()
    # The IAM roles the plane always makes (each workload's task and execution roles, and its own) and what they
    # are: a lower bound of the stack's, whose optional roles (flow logs, canary shifts) it leaves out.
    iam_roles: Optional[tuple[int, str]] = None
    # The inline policies the plane sizes from config (IAM caps a role's together): a role that grows with it.
    inline_policies: tuple["PolicySize", ...] = ()


@dataclass(frozen=True)
class PolicySize:
    """A role's inline policies, as IAM counts them (iam.policy_chars), and the stack-file key that grows them."""

    key: str  # "services"
    role: str  # whose role: "the late-caller restart function's role"
    chars: int
    made_of: str  # what makes it grow: "149 services that call one declared after them"


@dataclass(frozen=True)
class InstanceTally:
    """The tasks one service registers in its Cloud Map service at most: every task of each of its ECS services
    (one, or one per version) at maxCapacity, twice over while they deploy (DEPLOYMENT_MAXIMUM_PERCENT)."""

    service: ServiceConfig
    ecs_services: int

    @property
    def count(self) -> int:
        return self.ecs_services * self.service.sizing.autoscaling.max_capacity * DEPLOYMENT_MAXIMUM_PERCENT // 100


def workload_roles(workloads: Sequence[str]) -> int:
    """The IAM roles these workloads make (compute.deploy_workload: a task and an execution role each)."""
    return sum(len(naming.workload_role_names(w)) for w in workloads)


def counted(count: int, noun: str) -> str:
    """"1 caller", "74 callers"."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def counted_whose(count: int, noun: str) -> str:
    """"1 service's", "74 services'"."""
    return counted(count, noun) + ("'s" if count == 1 else "'")


def quota_use(config: PlatformConfig) -> QuotaUse:
    """The chosen plane's QuotaUse for this config."""
    return _PLANES[config.mesh.data_plane]().quota_use(config)


class _Plane(NamedTuple):
    wiring: type  # its ServiceConnectWiring or AppMeshWiring (what a task reserves for the plane)
    build: Callable[[pulumi.Resource, str, DataPlaneArgs], DataPlane]
    quota_use: Callable[[PlatformConfig], QuotaUse]
    aws_apis: tuple[str, ...]  # the interface endpoints the plane itself needs
    # Each of a service's task definitions as the provider sends it, from config alone (config_task_definition).
    task_definitions: Callable[[PlatformConfig, ServiceConfig], list[dict]]


def _service_connect() -> _Plane:
    from .serviceconnect import ServiceConnectWiring, build_service_connect, quota_use, task_definitions
    return _Plane(ServiceConnectWiring, build_service_connect, quota_use, (), task_definitions)


def _app_mesh() -> _Plane:
    from ..mesh import APPMESH_ENVOY_MANAGEMENT_API
    from .appmesh import AppMeshWiring, build_app_mesh, quota_use, task_definitions
    return _Plane(AppMeshWiring, build_app_mesh, quota_use, (APPMESH_ENVOY_MANAGEMENT_API,), task_definitions)


# Each plane's wiring and builder, imported only for the plane a stack chooses: the other's modules (and
# their pulumi_aws packages) stay unloaded.
_PLANES: dict[str, Callable[[], _Plane]] = {SERVICE_CONNECT: _service_connect, APP_MESH: _app_mesh}


def build_data_plane(owner: pulumi.Resource, name: str, args: DataPlaneArgs) -> DataPlane:
    """The one place the stack's data-plane choice is read."""
    return _PLANES[args.config.mesh.data_plane]().build(owner, name, args)
