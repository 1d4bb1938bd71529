"""ECS on Fargate: the cluster, and the one builder of a workload's task definition and ECS service.

A workload is what runs as its own task family and ECS service (a service, a service version, the App
Mesh ingress gateway). `deploy_workload` builds it the same way for every data plane:

    TaskDefinition  app container + whatever the data plane adds (Envoy sidecars, or nothing)
    task role / execution role, scoped to this workload's ARNs (+ the data plane's statements)
    security group (rules from the data plane: mesh members, or the call graph)
    Service         + the data plane's settings (Cloud Map registry, or Service Connect)
    autoscaling target + CPU target tracking

What differs between data planes comes from one `WorkloadWiring` per workload (components/dataplane/);
nothing here knows which data plane is in use.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Sequence

import pulumi
import pulumi_aws as aws

from . import envoy, naming
from .config import ContainerHealthCheck, ServiceConfig, Sizing
from .egress import ImageMirror
from .envoy import ScratchVolume
from .iam import execution_role_statements, policy_json, secret_read_statements, service_trust_policy, statement
from .kms import customer_key
from .logkey import log_group, log_key_policy
from .workload import WorkloadWiring

# The app runs as this uid: non-root, and never ENVOY_UID (its traffic would bypass Envoy).
APP_UID = 1000
# AWS APIs are reached through the egress layer's "AWS API clients" group, which every task joins; only
# a service that declares externals gets its own rule to the internet (through NAT and the firewalls).
FARGATE_PLATFORM_VERSION = "LATEST"
# A deployment starts the new revision's tasks (and they pass their checks) before the old ones stop: up to twice
# the running count at once, for rolling updates and canaries alike (a canary runs both revisions at full count).
DEPLOYMENT_MAXIMUM_PERCENT = 200

# Writable paths a read-only container still needs. The app gets a /tmp any uid may use; with ECS Exec
# the SSM agent ECS injects needs its own directories (containers-roadmap#1359).
APP_SCRATCH = (ScratchVolume("app-tmp", "/tmp", owner=None),)
EXEC_SCRATCH = (
    ScratchVolume("exec-managed-agents", "/managed-agents", owner=None),
    ScratchVolume("exec-ssm-lib", "/var/lib/amazon/ssm", owner=None),
    ScratchVolume("exec-ssm-log", "/var/log/amazon/ssm", owner=None),
)

# What every task definition declares beside its names, size, containers and volumes (`_task_definition`, and the
# request config sizes: task_definition_request).
REQUIRES_COMPATIBILITIES = ("FARGATE",)
NETWORK_MODE = "awsvpc"
RUNTIME_PLATFORM = {"operatingSystemFamily": "LINUX", "cpuArchitecture": "X86_64"}

# IAM actions that have no resource-level permissions: "*" is the only valid resource for them.
XRAY_WRITE_ACTIONS = ("xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules",
                      "xray:GetSamplingTargets", "xray:GetSamplingStatisticSummaries")
ECS_EXEC_ACTIONS = ("ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
                    "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel")

# --------------------------------------------------------------------------------------------------
# What every workload shares
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FargateContext:
    """The cluster-level facts every workload is deployed with."""

    environment: str
    region: str
    cluster_arn: pulumi.Output[str]
    cluster_name: pulumi.Output[str]
    vpc_id: pulumi.Output[str]
    vpc_cidr: pulumi.Output[str]
    # Load balancers take every private subnet; tasks those in zones Fargate runs in (network.fargate_subnets).
    private_subnet_ids: pulumi.Output[list]
    task_subnet_ids: pulumi.Output[list]
    # Every task joins the egress layer's group: HTTPS to the VPC endpoints (or through NAT without them).
    api_clients_security_group_id: pulumi.Output[str]
    # ECR Public images (Envoy, sidecars) are pulled through the account's ECR pull-through cache.
    image_mirror: ImageMirror
    log_key_arn: pulumi.Output[str]
    enable_execute_command: bool
    exec_log_group_arn: Optional[pulumi.Output[str]]
    log_retention_days: int
    protect: bool
    account_id: pulumi.Output[str]
    # What a task's traffic leaves through (routes, endpoints, the DNS firewall): services wait for it, so the
    # first tasks neither fail their image pulls nor run before the egress filters do.
    egress_path: Sequence[pulumi.Resource]


@dataclass(frozen=True)
class PortRule:
    """One security group rule: a TCP port from/to either a security group or a CIDR block.

    `peer` names the other side in the rule's logical name (a service, "mesh", "alb"); rules to the same
    port from different peers need different names.
    """

    description: str
    port: int
    security_group_id: Optional[pulumi.Input[str]] = None
    cidr: Optional[pulumi.Input[str]] = None
    peer: Optional[str] = None

    @property
    def key(self) -> str:
        return f"{self.peer or ('mesh' if self.security_group_id is not None else 'cidr')}-{self.port}"


@dataclass(frozen=True)
class AppContainer:
    """The application container of a workload."""

    image: str
    port: int
    environment: Mapping[str, str]
    secrets: Mapping[str, str]
    # The customer managed KMS keys those secrets are encrypted with (AWS managed keys need no grant).
    secrets_kms_keys: Sequence[str] = ()
    health_check: Optional[ContainerHealthCheck] = None

    @classmethod
    def of(cls, service: ServiceConfig, *, image: str, port: int) -> "AppContainer":
        """A service's app container, running `image` on `port` (a version's image; App Mesh's listener)."""
        return cls(image=image, port=port, environment=service.environment, secrets=service.secrets,
                   secrets_kms_keys=service.secrets_kms_keys, health_check=service.container_health_check)

    @property
    def start_period_seconds(self) -> int:
        """How long the container's own health check ignores failures after start (0: no check, or no period)."""
        return self.health_check.start_period_seconds if self.health_check else 0

    def health_check_definition(self) -> Optional[dict]:
        """The container definition's `healthCheck`. Interval, timeout and retries are always sent: AWS reads them
        back, and the provider compares the JSON with those defaults filled in but not a start period, so a start
        period of 0 (off, AWS's default) is left out."""
        check = self.health_check
        if check is None:
            return None
        definition = {"command": list(check.command), "interval": check.interval_seconds,
                      "timeout": check.timeout_seconds, "retries": check.retries}
        if check.start_period_seconds:
            definition["startPeriod"] = check.start_period_seconds
        return definition


@dataclass(frozen=True)
class TrafficShift:
    """What ECS needs to shift a canary (or blue/green, linear) deployment's load-balanced traffic: the second
    target group, the listener rule whose weights it moves, and the role it moves them with (a service load
    balancer's `advancedConfiguration`)."""

    alternate_target_group_arn: pulumi.Output[str]
    production_listener_rule_arn: pulumi.Output[str]
    role_arn: pulumi.Output[str]
    # What must exist before a service names the role (its policy attached).
    ready: Sequence[pulumi.Resource] = ()


# ECS's grace period never goes below this (what every load-balanced service had before it was derived).
MIN_GRACE_PERIOD_SECONDS = 60


@dataclass(frozen=True)
class TargetHealthCheck:
    """A target group's health check timing: the owner of the group sets it, the ECS service reads it."""

    interval_seconds: int
    healthy_threshold: int
    unhealthy_threshold: int

    def args(self, *, protocol: str, port: str, path: Optional[str] = None, matcher: Optional[str] = None,
             timeout: Optional[int] = None) -> aws.lb.TargetGroupHealthCheckArgs:
        """The provider's block: this timing, and the group's own protocol, port, path, matcher and timeout."""
        return aws.lb.TargetGroupHealthCheckArgs(
            enabled=True, interval=self.interval_seconds, healthy_threshold=self.healthy_threshold,
            unhealthy_threshold=self.unhealthy_threshold, protocol=protocol, port=port, path=path, matcher=matcher,
            timeout=timeout)


@dataclass(frozen=True)
class LoadBalancerTarget:
    target_group_arn: pulumi.Output[str]
    port: int
    # The target group's health check, which the ECS service's grace period must outlast.
    health_check: TargetHealthCheck
    # What must exist before ECS registers targets (the listener or rule that uses the target group).
    ready: Sequence[pulumi.Resource] = ()
    # For a service whose deployments shift traffic (not rolling updates).
    traffic_shift: Optional[TrafficShift] = None

    def grace_period_seconds(self, start_period_seconds: int) -> int:
        """How long ECS ignores the target group's verdict on a new task: the app's start period, during which
        the group may already have failed the target, then up to one interval to the next check and the
        healthy threshold's passing checks that bring it back. Shorter, and ECS stops a task that is only slow
        to start (and a rolling deployment's circuit breaker counts it)."""
        check = self.health_check
        recovery = (check.healthy_threshold + 1) * check.interval_seconds
        return max(MIN_GRACE_PERIOD_SECONDS, start_period_seconds + recovery)

    def service_load_balancer(self, container_name: str) -> aws.ecs.ServiceLoadBalancerArgs:
        shift = self.traffic_shift
        return aws.ecs.ServiceLoadBalancerArgs(
            target_group_arn=self.target_group_arn, container_name=container_name, container_port=self.port,
            advanced_configuration=None if shift is None else aws.ecs.ServiceLoadBalancerAdvancedConfigurationArgs(
                alternate_target_group_arn=shift.alternate_target_group_arn,
                production_listener_rule=shift.production_listener_rule_arn, role_arn=shift.role_arn))

    @property
    def dependencies(self) -> tuple[pulumi.Resource, ...]:
        return (*self.ready, *(self.traffic_shift.ready if self.traffic_shift else ()))


@dataclass(frozen=True)
class WorkloadSpec:
    """One workload: its names, size, logs, network rules, app and data-plane wiring."""

    name: str
    family: str
    wiring: WorkloadWiring
    sizing: Sizing
    log_groups: Mapping[str, aws.cloudwatch.LogGroup]
    # Rules of the workload's own security group. With `security_group` given, rules live elsewhere.
    ingress: Sequence[PortRule] = ()
    egress: Sequence[PortRule] = ()
    # None: Envoy alone (the App Mesh gateway).
    app: Optional[AppContainer] = None
    load_balancer: Optional[LoadBalancerTarget] = None
    # A security group created (and given its rules) by the data plane; None: one is made from the rules.
    security_group: Optional[aws.ec2.SecurityGroup] = None
    depends_on: Sequence[pulumi.Resource] = field(default_factory=tuple)
    # ECS service name; defaults to the family.
    service_name: Optional[str] = None


@dataclass
class DeployedWorkload:
    task_definition: aws.ecs.TaskDefinition
    service: aws.ecs.Service
    security_group: aws.ec2.SecurityGroup
    task_role: aws.iam.Role
    execution_role: aws.iam.Role
    scaling_target: aws.appautoscaling.Target
    scaling_policy: aws.appautoscaling.Policy


class WorkloadLogs(pulumi.ComponentResource):
    """One KMS-encrypted log group per container kind of a workload: /<env>/ecs/<workload>/<kind>.

    In a protected stack the groups outlive the workload (retain_on_delete) rather than being protected:
    protect would refuse the update that removes a service. A service added back under the same name needs its
    old groups imported (`pulumi import`) or deleted first."""

    def __init__(self, name: str, *, context: FargateContext, workload: str, kinds: Sequence[str],
                 retention_days: int, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__("service-mesh-platform:compute:WorkloadLogs", name, None, opts)
        self.groups: dict[str, aws.cloudwatch.LogGroup] = {
            kind: log_group(f"{name}-{kind}", self,
                            log_name=naming.workload_log_group(context.environment, workload, kind),
                            retention_days=retention_days, key_arn=context.log_key_arn, protect=context.protect,
                            removable=True)
            for kind in kinds
        }
        self.register_outputs({kind: group.name for kind, group in self.groups.items()})


# --------------------------------------------------------------------------------------------------
# The one builder of a task definition + ECS service
# --------------------------------------------------------------------------------------------------


def scratch_for_app(enable_execute_command: bool) -> tuple[ScratchVolume, ...]:
    """Writable paths a read-only app container needs (its /tmp, and ECS Exec's agent directories)."""
    return APP_SCRATCH + (EXEC_SCRATCH if enable_execute_command else ())


def app_scratch(spec: WorkloadSpec, context: FargateContext) -> tuple[ScratchVolume, ...]:
    """The workload's app's scratch volumes (none without an app: the App Mesh gateway)."""
    return scratch_for_app(context.enable_execute_command) if spec.app is not None else ()


def task_containers(wiring: WorkloadWiring, app: Optional[AppContainer], *, memory: int, log_groups: Mapping[str, str],
                    resolved: Any, scratch: Sequence[ScratchVolume], region: str, registry: str,
                    prefix: str) -> list[dict]:
    """A task's containers from plain values (`resolved`: the wiring's sidecar_inputs), each ECR Public image pulled
    through the account's cache (`registry`, `prefix`): what the program registers, and what config sizes against
    ECS's limit on a task definition (config_task_definition)."""
    containers = [_app_container(app, wiring, memory=memory, log_group=log_groups[envoy.APP], scratch=scratch,
                                 region=region)] if app else []
    containers += wiring.sidecars(resolved, log_groups, scratch)
    for container in containers:
        container["image"] = naming.mirrored_image(container["image"], registry, prefix)
    return containers


def _app_container(app: AppContainer, wiring: WorkloadWiring, *, memory: int, log_group: str,
                   scratch: Sequence[ScratchVolume], region: str) -> dict:
    container = {
        "name": envoy.APP,
        "image": app.image,
        "essential": True,
        "user": str(APP_UID),
        "readonlyRootFilesystem": True,
        # Sidecars reserve their share; the app may use the rest of the task.
        "memory": memory - wiring.reserved_memory,
        "portMappings": [wiring.app_port_mapping(app.port)],
        "environment": [{"name": k, "value": v} for k, v in sorted(app.environment.items())],
        "secrets": [{"name": k, "valueFrom": v} for k, v in sorted(app.secrets.items())],
        "mountPoints": [v.mount() for v in scratch],
        "dependsOn": wiring.app_depends_on(),
        "logConfiguration": envoy.LogTarget(log_group, region, wiring.stream_prefix).configuration(),
    }
    health_check = app.health_check_definition()
    if health_check is not None:
        container["healthCheck"] = health_check
    return container


def json_bytes(value: Any) -> int:
    """A value's size as ECS counts a task definition's against its 64 KiB: UTF-8 bytes of compact JSON
    (tools/apicheck.py's json_bytes: the program imports nothing from tools/, and a test previews a task definition of
    exactly the limit through config and the API check)."""
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())


def task_definition_request(containers: Sequence[dict], *, family: str, sizing: Sizing, role_arns: tuple[str, str],
                            proxy: Optional[Mapping[str, Any]], volume_names: Sequence[str],
                            tags: Mapping[str, str]) -> dict:
    """The RegisterTaskDefinition request the provider sends for a task definition `_task_definition` declares, by the
    API's names (terraform-provider-aws ecs/task_definition.go resourceTaskDefinitionCreate: a proxy's properties and
    the tags as pairs, each volume with `configuredAtLaunch` false), from plain values: ECS holds the whole of it to
    64 KiB, and config sizes it from config alone. `role_arns`: the task role's and the execution role's."""
    request = {"family": family, "containerDefinitions": list(containers), "cpu": str(sizing.cpu),
               "memory": str(sizing.memory), "taskRoleArn": role_arns[0], "executionRoleArn": role_arns[1],
               "networkMode": NETWORK_MODE, "requiresCompatibilities": list(REQUIRES_COMPATIBILITIES),
               "runtimePlatform": dict(RUNTIME_PLATFORM),
               "volumes": [{"name": name, "configuredAtLaunch": False} for name in volume_names]}
    if proxy is not None:
        properties = [{"name": k, "value": v} for k, v in proxy["properties"].items()]
        request["proxyConfiguration"] = {"type": proxy["type"], "containerName": proxy["container_name"],
                                         "properties": properties}
    if tags:
        request["tags"] = [{"key": k, "value": v} for k, v in tags.items()]
    return request


def container_definitions(spec: WorkloadSpec, context: FargateContext) -> pulumi.Output[str]:
    """The task's containers as data, serialised once."""
    def render(values: dict) -> str:
        return json.dumps(task_containers(
            spec.wiring, spec.app, memory=spec.sizing.memory,
            log_groups=dict(zip(spec.log_groups.keys(), values["groups"])), resolved=values["wiring"],
            scratch=app_scratch(spec, context), region=context.region, registry=values["registry"],
            prefix=context.image_mirror.prefix))

    return pulumi.Output.all(wiring=spec.wiring.sidecar_inputs(), registry=context.image_mirror.registry,
                             groups=[g.name for g in spec.log_groups.values()]).apply(render)


def _task_role_policy(spec: WorkloadSpec, context: FargateContext) -> pulumi.Output[str]:
    statements = list(spec.wiring.task_role_statements())
    if context.enable_execute_command and context.exec_log_group_arn is not None:
        statements += [
            statement(ECS_EXEC_ACTIONS, ["*"], sid="EcsExecChannels"),
            statement(["logs:DescribeLogGroups"], ["*"], sid="EcsExecLogGroups"),
            statement(["logs:CreateLogStream", "logs:PutLogEvents"],
                      [context.exec_log_group_arn.apply(lambda arn: f"{arn}:log-stream:*")], sid="EcsExecLogs"),
            # The SSM agent looks its stream up first; IAM authorizes DescribeLogStreams on the log group, which a
            # log-stream ARN never matches (the ECS Exec guide grants it on `log-group:<name>:*`).
            statement(["logs:DescribeLogStreams"], [context.exec_log_group_arn.apply(lambda arn: f"{arn}:*")],
                      sid="EcsExecLogStreams"),
        ]
    return policy_json(statements)


def _execution_role_policy(spec: WorkloadSpec, context: FargateContext) -> pulumi.Output[str]:
    app = spec.app
    return policy_json(execution_role_statements(
        [g.arn.apply(naming.log_streams_arn) for g in spec.log_groups.values()],
        context.image_mirror.repositories_arn, naming.ecr_repository_arn(app.image) if app else None,
        secret_read_statements(app.secrets.values() if app else (), app.secrets_kms_keys if app else (),
                               spec.wiring.injected_secret_arns())))


def port_rules(owner: pulumi.Resource, name: str, group: aws.ec2.SecurityGroup, *, ingress: Sequence[PortRule],
               egress: Sequence[PortRule]) -> list[pulumi.Resource]:
    """Standalone rules on a security group (one resource each, so other groups may reference this one)."""
    child = pulumi.ResourceOptions(parent=owner)
    return [kind(f"{name}-{direction}-{rule.key}", security_group_id=group.id, ip_protocol="tcp",
                 from_port=rule.port, to_port=rule.port, referenced_security_group_id=rule.security_group_id,
                 cidr_ipv4=rule.cidr, description=rule.description, opts=child)
            for kind, direction, rules in ((aws.vpc.SecurityGroupIngressRule, "in", ingress),
                                           (aws.vpc.SecurityGroupEgressRule, "out", egress))
            for rule in rules]


def _ecs_tasks_trust(context: FargateContext, *, documented: bool) -> pulumi.Output[str]:
    """Trust for ECS acting for this account's tasks only (confused deputy). AWS documents `aws:SourceAccount` and
    `aws:SourceArn` (any ECS resource of the account: a cluster cannot be named) for task roles; for execution
    roles it documents neither, so they are checked only when ECS sends them."""
    source_arn = pulumi.Output.concat("arn:aws:ecs:", context.region, ":", context.account_id, ":*")
    return service_trust_policy("ecs-tasks.amazonaws.com", context.account_id, source_arn=source_arn,
                                if_exists=not documented)


def _security_group(owner: pulumi.Resource, spec: WorkloadSpec, context: FargateContext) -> aws.ec2.SecurityGroup:
    group = aws.ec2.SecurityGroup(spec.name, vpc_id=context.vpc_id,
                                  description=f"{spec.family}: its listener from allowed peers only",
                                  tags={"Name": spec.family}, opts=pulumi.ResourceOptions(parent=owner))
    port_rules(owner, spec.name, group, ingress=spec.ingress, egress=spec.egress)
    return group


@dataclass(frozen=True)
class _Roles:
    """A workload's task role (what the app may call) and execution role (what ECS does to start it), with the
    inline policies a service must wait for."""
    task: aws.iam.Role
    execution: aws.iam.Role
    policies: tuple[aws.iam.RolePolicy, ...]


def _roles(spec: WorkloadSpec, context: FargateContext, child: pulumi.ResourceOptions) -> _Roles:
    task_name, execution_name = naming.workload_role_names(spec.name)
    task_role = aws.iam.Role(task_name, assume_role_policy=_ecs_tasks_trust(context, documented=True),
                             description=f"{spec.family} task: {spec.wiring.task_role_purpose}", opts=child)
    task_policy = aws.iam.RolePolicy(task_name, role=task_role.id,
                                     policy=_task_role_policy(spec, context), opts=child)
    execution_role = aws.iam.Role(execution_name,
                                  assume_role_policy=_ecs_tasks_trust(context, documented=False),
                                  description=f"{spec.family} execution: image pull, logs, injected secrets",
                                  opts=child)
    execution_policy = aws.iam.RolePolicy(execution_name, role=execution_role.id,
                                          policy=_execution_role_policy(spec, context), opts=child)
    return _Roles(task=task_role, execution=execution_role, policies=(task_policy, execution_policy))


def _task_definition(spec: WorkloadSpec, context: FargateContext, roles: _Roles,
                     child: pulumi.ResourceOptions) -> aws.ecs.TaskDefinition:
    wiring = spec.wiring
    return aws.ecs.TaskDefinition(
        spec.name,
        family=spec.family,
        requires_compatibilities=list(REQUIRES_COMPATIBILITIES),
        network_mode=NETWORK_MODE,
        cpu=str(spec.sizing.cpu),
        memory=str(spec.sizing.memory),
        runtime_platform=aws.ecs.TaskDefinitionRuntimePlatformArgs(
            operating_system_family=RUNTIME_PLATFORM["operatingSystemFamily"],
            cpu_architecture=RUNTIME_PLATFORM["cpuArchitecture"]),
        task_role_arn=roles.task.arn,
        execution_role_arn=roles.execution.arn,
        proxy_configuration=wiring.proxy_configuration(spec.app.port if spec.app else None),
        volumes=[aws.ecs.TaskDefinitionVolumeArgs(name=n) for n in wiring.volume_names(app_scratch(spec, context))],
        container_definitions=container_definitions(spec, context),
        # Every change is a new revision, and the engine deregisters the one it replaces right after the service
        # update. AWS refuses update-service onto an INACTIVE revision (a manual rollback) and may delete
        # INACTIVE revisions; revisions are free (a million per family), so the old ones stay ACTIVE.
        skip_destroy=True,
        opts=child,
    )


def _ecs_service(owner: pulumi.Resource, spec: WorkloadSpec, context: FargateContext,
                 task_definition: aws.ecs.TaskDefinition, security_group: aws.ec2.SecurityGroup,
                 roles: _Roles) -> aws.ecs.Service:
    wiring, target = spec.wiring, spec.load_balancer
    service_settings = wiring.service_settings()
    return aws.ecs.Service(
        spec.name,
        name=spec.service_name or spec.family,
        cluster=context.cluster_arn,
        task_definition=task_definition.arn,
        launch_type="FARGATE",
        platform_version=FARGATE_PLATFORM_VERSION,
        desired_count=spec.sizing.desired_count,
        network_configuration=aws.ecs.ServiceNetworkConfigurationArgs(
            subnets=context.task_subnet_ids,
            security_groups=[security_group.id, *wiring.security_group_ids, context.api_clients_security_group_id],
            assign_public_ip=False,
        ),
        load_balancers=[target.service_load_balancer(wiring.load_balancer_container)] if target else None,
        health_check_grace_period_seconds=target.grace_period_seconds(
            spec.app.start_period_seconds if spec.app else 0) if target else None,
        # Never below desired during a deploy: new tasks start (and pass their health checks) first.
        deployment_minimum_healthy_percent=100,
        deployment_maximum_percent=DEPLOYMENT_MAXIMUM_PERCENT,
        propagate_tags="SERVICE",
        enable_ecs_managed_tags=True,
        enable_execute_command=context.enable_execute_command,
        wait_for_steady_state=False,
        **service_settings.arguments,
        # Application Auto Scaling owns the running count after creation. The name is fixed, and ECS refuses a
        # second service of one name (and Service Connect a second discovery name), so a replacement deletes first.
        opts=pulumi.ResourceOptions(parent=owner, ignore_changes=["desiredCount"], delete_before_replace=True,
                                    replacement_trigger=service_settings.replacement_trigger,
                                    depends_on=[*roles.policies, *context.egress_path, *spec.depends_on,
                                                *(target.dependencies if target else ()),
                                                *service_settings.depends_on]),
    )


def _autoscaling(spec: WorkloadSpec, context: FargateContext, service: aws.ecs.Service,
                 child: pulumi.ResourceOptions) -> tuple[aws.appautoscaling.Target, aws.appautoscaling.Policy]:
    """The service's running count, between the sizing's bounds, tracking its average CPU."""
    scaling = spec.sizing.autoscaling
    scaling_target = aws.appautoscaling.Target(
        spec.name,
        service_namespace="ecs",
        scalable_dimension="ecs:service:DesiredCount",
        resource_id=pulumi.Output.concat("service/", context.cluster_name, "/", service.name),
        min_capacity=scaling.min_capacity,
        max_capacity=scaling.max_capacity,
        opts=child,
    )
    scaling_policy = aws.appautoscaling.Policy(
        f"{spec.name}-cpu",
        name=f"{spec.family}-cpu-target",
        policy_type="TargetTrackingScaling",
        service_namespace=scaling_target.service_namespace,
        scalable_dimension=scaling_target.scalable_dimension,
        resource_id=scaling_target.resource_id,
        target_tracking_scaling_policy_configuration=aws.appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationArgs(
            target_value=float(scaling.cpu_target_percent),
            predefined_metric_specification=aws.appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecificationArgs(
                predefined_metric_type="ECSServiceAverageCPUUtilization"),
            scale_in_cooldown=300,
            scale_out_cooldown=60,
        ),
        opts=child,
    )
    return scaling_target, scaling_policy


def deploy_workload(owner: pulumi.Resource, spec: WorkloadSpec, context: FargateContext) -> DeployedWorkload:
    """Task definition, roles, security group, ECS service and autoscaling for one workload."""
    child = pulumi.ResourceOptions(parent=owner)
    roles = _roles(spec, context, child)
    task_definition = _task_definition(spec, context, roles, child)
    security_group = spec.security_group or _security_group(owner, spec, context)
    service = _ecs_service(owner, spec, context, task_definition, security_group, roles)
    scaling_target, scaling_policy = _autoscaling(spec, context, service, child)
    return DeployedWorkload(task_definition=task_definition, service=service, security_group=security_group,
                            task_role=roles.task, execution_role=roles.execution, scaling_target=scaling_target,
                            scaling_policy=scaling_policy)


# --------------------------------------------------------------------------------------------------
# The layer: the cluster every workload runs in
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComputeArgs:
    environment: str
    region: str
    protect: bool
    # ECS Exec on the cluster's tasks, every session recorded in `/<env>/ecs/exec`.
    enable_execute_command: bool
    log_retention_days: int
    vpc_id: pulumi.Output[str]
    vpc_cidr: pulumi.Output[str]
    private_subnet_ids: pulumi.Output[list]
    task_subnet_ids: pulumi.Output[list]  # FargateContext.task_subnet_ids
    api_clients_security_group_id: pulumi.Output[str]
    image_mirror: ImageMirror
    egress_path: Sequence[pulumi.Resource]  # FargateContext.egress_path
    # The namespace new Service Connect services join by default (Service Connect only).
    service_connect_namespace_arn: Optional[pulumi.Output[str]] = None


class Compute(pulumi.ComponentResource):
    """The ECS cluster, its log key and ECS Exec logging: what every workload is deployed into."""

    cluster_name: pulumi.Output[str]
    context: FargateContext

    def __init__(self, name: str, args: ComputeArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__("service-mesh-platform:compute:Compute", name, None, opts)
        env = args.environment
        child = pulumi.ResourceOptions(parent=self)
        account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id

        self.log_key = customer_key(
            f"{name}-logs", environment=env, purpose="ecs-logs",
            description=f"{env}: ECS container and ECS Exec log groups",
            policy=log_key_policy(account_id, args.region, [naming.ecs_log_group(env, "*")]),
            # Kept wherever the workloads' groups are (WorkloadLogs): a kept group whose key is deleted cannot be read.
            opts=pulumi.ResourceOptions(parent=self, protect=args.protect, retain_on_delete=args.protect))

        exec_log_group = None
        # With ECS Exec off the block still says so: the provider leaves `configuration` out of UpdateCluster once
        # it is gone (cluster.go), so ECS would keep logging sessions to a deleted group and every later preview
        # would show the block removed. DEFAULT is ECS's own setting for a cluster given none.
        exec_configuration = aws.ecs.ClusterConfigurationExecuteCommandConfigurationArgs(logging="DEFAULT")
        if args.enable_execute_command:
            # Removable: turning exec off deletes it, or keeps it where the stack is protected (protect would
            # refuse that change).
            exec_log_group = log_group(f"{name}-exec", self, log_name=naming.ecs_log_group(env, "exec"),
                                       retention_days=args.log_retention_days, key_arn=self.log_key.arn,
                                       protect=args.protect, removable=True)
            # Every ECS Exec session is recorded, encrypted, in that log group.
            exec_configuration = aws.ecs.ClusterConfigurationExecuteCommandConfigurationArgs(
                logging="OVERRIDE",
                log_configuration=aws.ecs.ClusterConfigurationExecuteCommandConfigurationLogConfigurationArgs(
                    cloud_watch_log_group_name=exec_log_group.name, cloud_watch_encryption_enabled=True))
        self.cluster = aws.ecs.Cluster(
            f"{name}-cluster", name=naming.cluster_name(env),
            settings=[aws.ecs.ClusterSettingArgs(name="containerInsights", value="enabled")],
            configuration=aws.ecs.ClusterConfigurationArgs(execute_command_configuration=exec_configuration),
            service_connect_defaults=(
                aws.ecs.ClusterServiceConnectDefaultsArgs(namespace=args.service_connect_namespace_arn)
                if args.service_connect_namespace_arn is not None else None),
            opts=child)

        self.context = FargateContext(
            environment=env, region=args.region,
            cluster_arn=self.cluster.arn, cluster_name=self.cluster.name,
            vpc_id=args.vpc_id, vpc_cidr=args.vpc_cidr, private_subnet_ids=args.private_subnet_ids,
            task_subnet_ids=args.task_subnet_ids,
            api_clients_security_group_id=args.api_clients_security_group_id, image_mirror=args.image_mirror,
            log_key_arn=self.log_key.arn,
            enable_execute_command=args.enable_execute_command,
            exec_log_group_arn=exec_log_group.arn if exec_log_group is not None else None,
            log_retention_days=args.log_retention_days, protect=args.protect,
            account_id=account_id, egress_path=args.egress_path,
        )
        self.cluster_name = self.cluster.name
        self.register_outputs({"clusterName": self.cluster_name})


