"""ECS on Fargate: the cluster, and one `MeshedService` per service version.

The mesh layer hands this layer one `MeshWorkload` per Envoy (components/workload.py); nothing else
about App Mesh is known here. Each workload runs as its own task family and ECS service:

    MeshedService(user-service-v2) ─ TaskDefinition (family = the node's ECS_TASK_DEFINITION_FAMILY)
                                   ─ task role / execution role, scoped to this workload's ARNs
                                   ─ security group (+ the shared mesh-member group)
                                   ─ Service (registered in the version's Cloud Map service)
                                   ─ autoscaling target + CPU target tracking

Security groups: every mesh task and the ingress gateway also join one "mesh members" group. A
service's own group admits its listener port only from that group, so only mesh members reach it.
`deploy_envoy_workload` is the one place a task + service is built; the ingress gateway
(components/gateway.py) reuses it.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Mapping, Optional, Sequence

import pulumi
import pulumi_aws as aws

from . import envoy
from .config import PlatformConfig, ServiceConfig, ServiceVersion, Sizing
from .egress import ImageMirror
from .envoy import EnvoyMetrics, ScratchVolume, SidecarSpec
from .iam import assume_role_policy, policy_json, statement
from .workload import ENVOY_EGRESS_PORT, ENVOY_INGRESS_PORT, ENVOY_UID, MeshWorkload

# The app runs as this uid: non-root, and never ENVOY_UID (its traffic would bypass Envoy).
APP_UID = 1000
# Task metadata/credentials and instance metadata must never be redirected into Envoy.
EGRESS_IGNORED_IPS = ("169.254.170.2", "169.254.169.254")
# AWS APIs are reached through the egress layer's "AWS API clients" group, which every task joins; only
# a service that declares externals gets its own rule to the internet (through NAT and the firewalls).
ANYWHERE = "0.0.0.0/0"
FARGATE_PLATFORM_VERSION = "LATEST"

# Writable paths a read-only container still needs. The app gets a /tmp any uid may use; with ECS Exec
# the SSM agent ECS injects needs its own directories (containers-roadmap#1359).
APP_SCRATCH = (ScratchVolume("app-tmp", "/tmp", owner=None),)
EXEC_SCRATCH = (
    ScratchVolume("exec-managed-agents", "/managed-agents", owner=None),
    ScratchVolume("exec-ssm-lib", "/var/lib/amazon/ssm", owner=None),
    ScratchVolume("exec-ssm-log", "/var/log/amazon/ssm", owner=None),
)

# IAM actions that have no resource-level permissions: "*" is the only valid resource for them.
XRAY_WRITE_ACTIONS = ("xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules",
                      "xray:GetSamplingTargets", "xray:GetSamplingStatisticSummaries")
ECS_EXEC_ACTIONS = ("ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
                    "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel")
ECR_PULL_ACTIONS = ("ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage")

_ECR_IMAGE = re.compile(r"^(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?P<cn>\.cn)?/"
                        r"(?P<repository>[^:@]+)")


def ecr_repository_arn(image: str) -> Optional[str]:
    """The ECR repository an image lives in (pull permissions are granted on it), or None elsewhere."""
    match = _ECR_IMAGE.match(image)
    if not match:
        return None
    partition = "aws-cn" if match["cn"] else "aws"
    return f"arn:{partition}:ecr:{match['region']}:{match['account']}:repository/{match['repository']}"


def secret_resource_arn(value_from: str) -> str:
    """The IAM resource of a `secrets` valueFrom: a Secrets Manager ARN without a json-key suffix."""
    parts = value_from.split(":")
    return ":".join(parts[:7]) if parts[2] == "secretsmanager" else value_from


# --------------------------------------------------------------------------------------------------
# What every workload shares
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FargateContext:
    """The cluster-level facts every Envoy workload is deployed with."""

    environment: str
    region: str
    cluster_arn: pulumi.Output[str]
    cluster_name: pulumi.Output[str]
    vpc_id: pulumi.Output[str]
    vpc_cidr: pulumi.Output[str]
    private_subnet_ids: pulumi.Output[list]
    mesh_security_group_id: pulumi.Output[str]
    # Every task joins the egress layer's group: HTTPS to the VPC endpoints (or through NAT without them).
    api_clients_security_group_id: pulumi.Output[str]
    # ECR Public images (Envoy, sidecars) are pulled through the account's ECR pull-through cache.
    image_mirror: ImageMirror
    log_key_arn: pulumi.Output[str]
    envoy_image: str
    metrics: EnvoyMetrics
    enable_execute_command: bool
    exec_log_group_arn: Optional[pulumi.Output[str]]
    log_retention_days: int
    protect: bool


@dataclass(frozen=True)
class PortRule:
    """One security group rule: a TCP port from/to either a security group or a CIDR block."""

    description: str
    port: int
    security_group_id: Optional[pulumi.Input[str]] = None
    cidr: Optional[pulumi.Input[str]] = None


@dataclass(frozen=True)
class AppContainer:
    """The application container of a service version."""

    image: str
    port: int
    environment: Mapping[str, str]
    secrets: Mapping[str, str]


@dataclass(frozen=True)
class LoadBalancerTarget:
    target_group_arn: pulumi.Output[str]
    port: int


@dataclass(frozen=True)
class WorkloadSpec:
    """What differs between a service version and the ingress gateway."""

    name: str
    family: str
    workload: MeshWorkload
    sizing: Sizing
    log_groups: Mapping[str, aws.cloudwatch.LogGroup]
    ingress: Sequence[PortRule]
    egress: Sequence[PortRule]
    # A service version: the app container behind Envoy's APPMESH proxy. None: Envoy alone (gateway).
    app: Optional[AppContainer] = None
    load_balancer: Optional[LoadBalancerTarget] = None
    depends_on: Sequence[pulumi.Resource] = field(default_factory=tuple)


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
    """One KMS-encrypted log group per container kind of a workload: /<env>/ecs/<workload>/<kind>."""

    def __init__(self, name: str, *, context: FargateContext, workload: str, kinds: Sequence[str],
                 opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__("service-mesh-platform:compute:WorkloadLogs", name, None, opts)
        self.groups: dict[str, aws.cloudwatch.LogGroup] = {
            kind: aws.cloudwatch.LogGroup(
                f"{name}-{kind}", name=f"/{context.environment}/ecs/{workload}/{kind}",
                retention_in_days=context.log_retention_days, kms_key_id=context.log_key_arn,
                opts=pulumi.ResourceOptions(parent=self, protect=context.protect))
            for kind in kinds
        }
        self.register_outputs({kind: group.name for kind, group in self.groups.items()})


# --------------------------------------------------------------------------------------------------
# The one builder of a task definition + ECS service
# --------------------------------------------------------------------------------------------------


def _app_scratch(spec: WorkloadSpec, context: FargateContext) -> tuple[ScratchVolume, ...]:
    if spec.app is None:
        return ()
    return APP_SCRATCH + (EXEC_SCRATCH if context.enable_execute_command else ())


def _app_container(app: AppContainer, spec: WorkloadSpec, context: FargateContext, log_group: str) -> dict:
    return {
        "name": envoy.APP,
        "image": app.image,
        "essential": True,
        "user": str(APP_UID),
        "readonlyRootFilesystem": True,
        # Sidecars reserve their share; the app may use the rest of the task.
        "memory": spec.sizing.memory - envoy.SIDECAR_MEMORY_RESERVATION,
        "portMappings": [{"containerPort": app.port, "protocol": "tcp"}],
        "environment": [{"name": k, "value": v} for k, v in sorted(app.environment.items())],
        "secrets": [{"name": k, "valueFrom": v} for k, v in sorted(app.secrets.items())],
        "mountPoints": [v.mount() for v in _app_scratch(spec, context)],
        # Without Envoy's config, the app's first calls would fail: start only once Envoy is LIVE.
        "dependsOn": [{"containerName": envoy.ENVOY, "condition": "HEALTHY"}],
        "logConfiguration": envoy.LogTarget(log_group, context.region, spec.workload.name).configuration(),
    }


def container_definitions(spec: WorkloadSpec, context: FargateContext) -> pulumi.Output[str]:
    """The task's containers as data, serialised once."""
    workload = spec.workload

    def render(values: list) -> str:
        registry, resource_arn, secret_arn, version_id, *group_names = values
        groups = dict(zip(spec.log_groups.keys(), group_names))
        sidecars = envoy.sidecar_containers(SidecarSpec(
            envoy_image=context.envoy_image,
            resource_arn=resource_arn,
            certificate_secret_arn=secret_arn,
            certificate_version_id=version_id,
            files=workload.certificate.files,
            region=context.region,
            metrics=context.metrics,
            log_groups=groups,
            stream_prefix=workload.name,
            envoy_ports=() if spec.app else (workload.listener_port,),
            extra_scratch=_app_scratch(spec, context),
        ))
        app = [_app_container(spec.app, spec, context, groups[envoy.APP])] if spec.app else []
        containers = app + sidecars
        for container in containers:
            container["image"] = ImageMirror.rewrite(container["image"], registry, context.image_mirror.prefix)
        return json.dumps(containers)

    certificate = workload.certificate
    return pulumi.Output.all(context.image_mirror.registry, workload.resource_arn, certificate.secret_arn,
                             certificate.version_id,
                             *[g.name for g in spec.log_groups.values()]).apply(render)


def _task_role_policy(spec: WorkloadSpec, context: FargateContext) -> pulumi.Output[str]:
    statements = [
        # Envoy's xDS stream for exactly this node or gateway ("gRPC config stream closed" without it).
        statement(["appmesh:StreamAggregatedResources"], [spec.workload.resource_arn], sid="EnvoyConfig"),
        statement(XRAY_WRITE_ACTIONS, ["*"], sid="XRayWrite"),
        statement(["cloudwatch:PutMetricData"], ["*"], sid="EnvoyMetrics",
                  conditions={"StringEquals": {"cloudwatch:namespace": context.metrics.namespace}}),
    ]
    if context.enable_execute_command and context.exec_log_group_arn is not None:
        statements += [
            statement(ECS_EXEC_ACTIONS, ["*"], sid="EcsExecChannels"),
            statement(["logs:DescribeLogGroups"], ["*"], sid="EcsExecLogGroups"),
            statement(["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                      [context.exec_log_group_arn.apply(lambda arn: f"{arn}:log-stream:*")], sid="EcsExecLogs"),
        ]
    return policy_json(statements)


def _execution_role_policy(spec: WorkloadSpec, context: FargateContext) -> pulumi.Output[str]:
    mirror = context.image_mirror.repositories_arn
    statements = [
        statement(["logs:CreateLogStream", "logs:PutLogEvents"],
                  [g.arn.apply(lambda arn: f"{arn}:log-stream:*") for g in spec.log_groups.values()],
                  sid="ContainerLogs"),
        statement(["ecr:GetAuthorizationToken"], ["*"], sid="EcrLogin"),
        # Envoy and the sidecars come from ECR Public through the pull-through cache: the first pull of an
        # image creates its repository under the cache prefix and imports it.
        statement([*ECR_PULL_ACTIONS, "ecr:BatchImportUpstreamImage", "ecr:CreateRepository"], [mirror],
                  sid="EcrPublicMirror"),
    ]
    repository = ecr_repository_arn(spec.app.image) if spec.app else None
    if repository:
        statements.append(statement(ECR_PULL_ACTIONS, [repository], sid="EcrPull"))
    app_secrets = sorted({secret_resource_arn(v) for v in (spec.app.secrets.values() if spec.app else ())})
    secrets_manager = [spec.workload.certificate.secret_arn] + [a for a in app_secrets if ":secretsmanager:" in a]
    statements.append(statement(["secretsmanager:GetSecretValue"], secrets_manager, sid="InjectedSecrets"))
    parameters = [a for a in app_secrets if ":ssm:" in a]
    if parameters:
        statements.append(statement(["ssm:GetParameters"], parameters, sid="InjectedParameters"))
    return policy_json(statements)


def _security_group(owner: pulumi.Resource, spec: WorkloadSpec, context: FargateContext) -> aws.ec2.SecurityGroup:
    child = pulumi.ResourceOptions(parent=owner)
    group = aws.ec2.SecurityGroup(spec.name, vpc_id=context.vpc_id,
                                  description=f"{spec.family}: its listener from allowed peers only",
                                  tags={"Name": spec.family}, opts=child)
    for rule in spec.ingress:
        source = ("mesh" if rule.security_group_id is not None else "cidr")
        aws.vpc.SecurityGroupIngressRule(
            f"{spec.name}-in-{source}-{rule.port}", security_group_id=group.id, ip_protocol="tcp",
            from_port=rule.port, to_port=rule.port, referenced_security_group_id=rule.security_group_id,
            cidr_ipv4=rule.cidr, description=rule.description, opts=child)
    for rule in spec.egress:
        target = ("mesh" if rule.security_group_id is not None else "cidr")
        aws.vpc.SecurityGroupEgressRule(
            f"{spec.name}-out-{target}-{rule.port}", security_group_id=group.id, ip_protocol="tcp",
            from_port=rule.port, to_port=rule.port, referenced_security_group_id=rule.security_group_id,
            cidr_ipv4=rule.cidr, description=rule.description, opts=child)
    return group


def deploy_envoy_workload(owner: pulumi.Resource, spec: WorkloadSpec, context: FargateContext) -> DeployedWorkload:
    """Task definition, roles, security group, ECS service and autoscaling for one Envoy workload."""
    child = pulumi.ResourceOptions(parent=owner)
    workload = spec.workload

    task_role = aws.iam.Role(f"{spec.name}-task", assume_role_policy=assume_role_policy("ecs-tasks.amazonaws.com"),
                             description=f"{spec.family} task: Envoy config, traces and metrics", opts=child)
    task_policy = aws.iam.RolePolicy(f"{spec.name}-task", role=task_role.id,
                                     policy=_task_role_policy(spec, context), opts=child)
    execution_role = aws.iam.Role(f"{spec.name}-execution",
                                  assume_role_policy=assume_role_policy("ecs-tasks.amazonaws.com"),
                                  description=f"{spec.family} execution: image pull, logs, injected secrets",
                                  opts=child)
    execution_policy = aws.iam.RolePolicy(f"{spec.name}-execution", role=execution_role.id,
                                          policy=_execution_role_policy(spec, context), opts=child)

    proxy = None
    if spec.app is not None:
        # iptables in the task send the app's traffic through Envoy, except Envoy's own (IgnoredUID).
        proxy = aws.ecs.TaskDefinitionProxyConfigurationArgs(type="APPMESH", container_name=envoy.ENVOY, properties={
            "IgnoredUID": str(ENVOY_UID),
            "ProxyIngressPort": str(ENVOY_INGRESS_PORT),
            "ProxyEgressPort": str(ENVOY_EGRESS_PORT),
            "AppPorts": str(workload.listener_port),
            "EgressIgnoredIPs": ",".join(EGRESS_IGNORED_IPS),
        })
    task_definition = aws.ecs.TaskDefinition(
        spec.name,
        family=spec.family,
        requires_compatibilities=["FARGATE"],
        network_mode="awsvpc",
        cpu=str(spec.sizing.cpu),
        memory=str(spec.sizing.memory),
        runtime_platform=aws.ecs.TaskDefinitionRuntimePlatformArgs(operating_system_family="LINUX",
                                                                   cpu_architecture="X86_64"),
        task_role_arn=task_role.arn,
        execution_role_arn=execution_role.arn,
        proxy_configuration=proxy,
        volumes=[aws.ecs.TaskDefinitionVolumeArgs(name=n) for n in envoy.sidecar_volume_names(_app_scratch(spec, context))],
        container_definitions=container_definitions(spec, context),
        opts=child,
    )

    security_group = _security_group(owner, spec, context)
    service = aws.ecs.Service(
        spec.name,
        name=spec.family,
        cluster=context.cluster_arn,
        task_definition=task_definition.arn,
        launch_type="FARGATE",
        platform_version=FARGATE_PLATFORM_VERSION,
        desired_count=spec.sizing.desired_count,
        network_configuration=aws.ecs.ServiceNetworkConfigurationArgs(
            subnets=context.private_subnet_ids,
            security_groups=[security_group.id, context.mesh_security_group_id,
                             context.api_clients_security_group_id],
            assign_public_ip=False,
        ),
        service_registries=(aws.ecs.ServiceServiceRegistriesArgs(registry_arn=workload.cloud_map_service_arn)
                            if workload.cloud_map_service_arn is not None else None),
        load_balancers=([aws.ecs.ServiceLoadBalancerArgs(target_group_arn=spec.load_balancer.target_group_arn,
                                                         container_name=envoy.ENVOY,
                                                         container_port=spec.load_balancer.port)]
                        if spec.load_balancer else None),
        health_check_grace_period_seconds=60 if spec.load_balancer else None,
        deployment_circuit_breaker=aws.ecs.ServiceDeploymentCircuitBreakerArgs(enable=True, rollback=True),
        # Never below desired during a deploy: new tasks start (and pass Envoy's health check) first.
        deployment_minimum_healthy_percent=100,
        deployment_maximum_percent=200,
        propagate_tags="SERVICE",
        enable_ecs_managed_tags=True,
        enable_execute_command=context.enable_execute_command,
        wait_for_steady_state=False,
        # Application Auto Scaling owns the running count after creation.
        opts=pulumi.ResourceOptions(parent=owner, ignore_changes=["desiredCount"],
                                    depends_on=[task_policy, execution_policy, *spec.depends_on]),
    )

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
    return DeployedWorkload(task_definition=task_definition, service=service, security_group=security_group,
                            task_role=task_role, execution_role=execution_role, scaling_target=scaling_target,
                            scaling_policy=scaling_policy)


# --------------------------------------------------------------------------------------------------
# One service version
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeshedServiceArgs:
    context: FargateContext
    service: ServiceConfig
    version: ServiceVersion
    workload: MeshWorkload
    log_groups: Mapping[str, aws.cloudwatch.LogGroup]
    # The listener ports of the services this one calls (reached through the mesh-member group).
    callee_ports: Sequence[int]
    # Ports of the externals it calls (through NAT and the firewalls); AWS APIs need no rule here.
    external_ports: Sequence[int]


class MeshedService(pulumi.ComponentResource):
    """One version of one service: an app container behind its Envoy, as its own ECS service."""

    service_name: pulumi.Output[str]
    task_definition_arn: pulumi.Output[str]
    security_group_id: pulumi.Output[str]
    node_name: pulumi.Output[str]

    def __init__(self, name: str, args: MeshedServiceArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__("service-mesh-platform:compute:MeshedService", name, None, opts)
        workload, context = args.workload, args.context
        if workload.task_family is None or workload.cloud_map_service_arn is None:
            raise ValueError(f"workload {workload.name} has no task family or Cloud Map service")
        if workload.listener_port != args.service.port:
            # AppPorts must be the port the node's listener (and so Envoy's redirect) uses.
            raise ValueError(f"workload {workload.name} listens on {workload.listener_port}, "
                             f"but {args.service.name} serves on {args.service.port}")
        mesh = context.mesh_security_group_id
        egress = [PortRule(f"calls mesh services on {port}", port, security_group_id=mesh)
                  for port in sorted(set(args.callee_ports))]
        egress += [PortRule(f"declared externals on {port} (NAT, DNS and network firewalls)", port, cidr=ANYWHERE)
                   for port in sorted(set(args.external_ports))]
        deployed = deploy_envoy_workload(self, WorkloadSpec(
            name=name,
            family=workload.task_family,
            workload=workload,
            sizing=args.service.sizing,
            log_groups=args.log_groups,
            ingress=[PortRule("mesh members to the listener (Envoy intercepts it)", workload.listener_port,
                              security_group_id=mesh)],
            egress=egress,
            app=AppContainer(image=args.version.image, port=workload.listener_port,
                             environment=args.service.environment, secrets=args.service.secrets),
        ), context)
        self.deployed = deployed
        self.workload = workload
        self.service_name = deployed.service.name
        self.task_definition_arn = deployed.task_definition.arn
        self.security_group_id = deployed.security_group.id
        self.node_name = workload.resource_arn.apply(envoy.resource_name_from_arn)
        self.register_outputs({
            "serviceName": self.service_name,
            "taskDefinitionArn": self.task_definition_arn,
            "securityGroupId": self.security_group_id,
        })


# --------------------------------------------------------------------------------------------------
# The layer
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComputeArgs:
    config: PlatformConfig
    vpc_id: pulumi.Output[str]
    vpc_cidr: pulumi.Output[str]
    private_subnet_ids: pulumi.Output[list]
    api_clients_security_group_id: pulumi.Output[str]
    image_mirror: ImageMirror
    # One per service version (the gateway's workload goes to IngressGateway).
    workloads: Sequence[MeshWorkload]


class Compute(pulumi.ComponentResource):
    """The ECS cluster, the log key, the mesh-member security group and every service version."""

    cluster_name: pulumi.Output[str]
    mesh_security_group_id: pulumi.Output[str]
    services: dict[str, MeshedService]

    def __init__(self, name: str, args: ComputeArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__("service-mesh-platform:compute:Compute", name, None, opts)
        config = args.config
        env = config.environment
        child = pulumi.ResourceOptions(parent=self)
        account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id

        self.log_key = aws.kms.Key(
            f"{name}-logs", description=f"{env}: ECS container and ECS Exec log groups",
            enable_key_rotation=True, deletion_window_in_days=30,
            policy=_logs_key_policy(account_id, config.region, env),
            opts=pulumi.ResourceOptions(parent=self, protect=config.protect))
        aws.kms.Alias(f"{name}-logs", name=f"alias/{env}/ecs-logs", target_key_id=self.log_key.key_id, opts=child)

        exec_log_group = None
        cluster_configuration = None
        if config.enable_execute_command:
            exec_log_group = aws.cloudwatch.LogGroup(
                f"{name}-exec", name=f"/{env}/ecs/exec", retention_in_days=config.sizing.log_retention_days,
                kms_key_id=self.log_key.arn, opts=pulumi.ResourceOptions(parent=self, protect=config.protect))
            # Every ECS Exec session is recorded, encrypted, in that log group.
            cluster_configuration = aws.ecs.ClusterConfigurationArgs(
                execute_command_configuration=aws.ecs.ClusterConfigurationExecuteCommandConfigurationArgs(
                    logging="OVERRIDE",
                    log_configuration=aws.ecs.ClusterConfigurationExecuteCommandConfigurationLogConfigurationArgs(
                        cloud_watch_log_group_name=exec_log_group.name, cloud_watch_encryption_enabled=True)))
        self.cluster = aws.ecs.Cluster(
            f"{name}-cluster", name=f"{env}-mesh",
            settings=[aws.ecs.ClusterSettingArgs(name="containerInsights", value="enabled")],
            configuration=cluster_configuration, opts=child)

        self.mesh_security_group = aws.ec2.SecurityGroup(
            f"{name}-mesh-members", vpc_id=args.vpc_id,
            description=f"{env} mesh members: every meshed task and the ingress gateway",
            tags={"Name": f"{env}-mesh-members"}, opts=child)

        self.context = FargateContext(
            environment=env, region=config.region,
            cluster_arn=self.cluster.arn, cluster_name=self.cluster.name,
            vpc_id=args.vpc_id, vpc_cidr=args.vpc_cidr, private_subnet_ids=args.private_subnet_ids,
            mesh_security_group_id=self.mesh_security_group.id,
            api_clients_security_group_id=args.api_clients_security_group_id, image_mirror=args.image_mirror,
            log_key_arn=self.log_key.arn,
            envoy_image=config.mesh.envoy_image, metrics=EnvoyMetrics(env),
            enable_execute_command=config.enable_execute_command,
            exec_log_group_arn=exec_log_group.arn if exec_log_group is not None else None,
            log_retention_days=config.sizing.log_retention_days, protect=config.protect,
        )
        self.cluster_name = self.cluster.name
        self.mesh_security_group_id = self.mesh_security_group.id

        versions = list(args.workloads)
        ports = {w.service: w.listener_port for w in versions}
        self.logs: dict[str, WorkloadLogs] = {}
        self.services = {}
        for service in config.services:
            service_workloads = [w for w in versions if w.service == service.name]
            # One log group per container kind, shared by the service's versions (streams are per version).
            self.logs[service.name] = WorkloadLogs(
                f"{name}-{service.name}-logs", context=self.context, workload=service.name,
                kinds=(envoy.APP, *envoy.SIDECAR_KINDS), opts=child)
            for workload in service_workloads:
                version = next(v for v in service.versions if v.name == workload.version)
                self.services[workload.name] = MeshedService(workload.name, MeshedServiceArgs(
                    context=self.context, service=service, version=version, workload=workload,
                    log_groups=self.logs[service.name].groups,
                    callee_ports=[ports[callee] for callee in service.calls if callee in ports],
                    external_ports=[config.external(e).port for e in service.externals],
                ), child)

        self.register_outputs({
            "clusterName": self.cluster_name,
            "meshSecurityGroupId": self.mesh_security_group_id,
            "services": {k: s.service_name for k, s in self.services.items()},
        })


def _logs_key_policy(account_id: pulumi.Output[str], region: str, environment: str) -> pulumi.Output[str]:
    """The account administers the key; CloudWatch Logs may use it only for this environment's ECS groups."""
    root = account_id.apply(lambda a: f"arn:aws:iam::{a}:root")
    log_groups = account_id.apply(lambda a: f"arn:aws:logs:{region}:{a}:log-group:/{environment}/ecs/*")
    # In a key policy, "*" means this key (the policy is attached to it).
    return policy_json([
        {"Sid": "AccountAdministers", "Effect": "Allow", "Principal": {"AWS": root}, "Action": "kms:*",
         "Resource": "*"},
        {"Sid": "CloudWatchLogsUse", "Effect": "Allow", "Principal": {"Service": f"logs.{region}.amazonaws.com"},
         "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
         "Resource": "*", "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": log_groups}}},
    ])
