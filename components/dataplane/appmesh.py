"""The App Mesh data plane: Cloud Map, mesh certificates, the mesh, one Envoy-fronted ECS service per
service version, and the ingress virtual gateway behind an internal NLB.

App Mesh was discontinued on 2026-09-30: this plane documents the design the brief asked for and stays
tested, but it cannot be deployed on AWS any more (see docs/migration.md).

    ServiceDiscovery ─▶ MeshCertificates ─▶ ServiceMesh ─▶ one MeshWorkload per Envoy
    MeshedService (per version)  task + service through compute.deploy_workload with an AppMeshWiring
    IngressGateway               the gateway's Envoy behind an internal NLB (API Gateway VPC link V1)

Security groups: every mesh task and the gateway join one "mesh members" group; a service's own group
admits its listener only from that group (Envoy's mTLS and SAN checks decide who may call whom).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Collection, Mapping, Optional, Sequence

import pulumi
import pulumi_aws as aws

from .. import envoy, naming
from ..api import IngressTls, NlbBackend
from ..certificates import MeshCertificates, MeshCertificatesArgs
from ..compute import (XRAY_WRITE_ACTIONS, AppContainer, Compute, FargateContext,
                       PortRule, WorkloadSpec, WorkloadLogs, deploy_workload)
from ..config import APP_MESH, PLANES, PlatformConfig, ServiceConfig, ServiceVersion
from ..discovery import ServiceDiscovery, ServiceDiscoveryArgs
from ..envoy import EnvoyMetrics, SidecarSpec
from ..gateway import IngressGateway, IngressGatewayArgs
from ..network import ANYWHERE
from ..iam import statement
from ..mesh import ServiceMesh, ServiceMeshArgs, workload_identities
from ..observability import EnvoySignals, WatchedLoadBalancer, WatchedWorkload
from ..workload import (ENVOY_EGRESS_PORT, ENVOY_INGRESS_PORT, ENVOY_UID, MeshWorkload, ServiceSettings,
                        WorkloadCertificate)
from . import (DataPlane, DataPlaneArgs, InstanceTally, QuotaUse, RuleTally, config_task_definition, counted,
               counted_whose, workload_roles)

# Task metadata/credentials and instance metadata must never be redirected into Envoy (the pack states these too,
# in guardrails/ecs/appmesh_sidecar.py: a test holds the two equal).
EGRESS_IGNORED_IPS = ("169.254.170.2", "169.254.169.254")


@dataclass(frozen=True)
class AppMeshWiring:
    """An Envoy workload: sidecars, the APPMESH proxy configuration, xDS permission, Cloud Map."""

    workload: MeshWorkload
    envoy_image: str
    metrics: EnvoyMetrics
    region: str
    mesh_security_group_id: pulumi.Output[str]

    reserved_memory: int = envoy.SIDECAR_MEMORY_RESERVATION
    load_balancer_container: str = envoy.ENVOY
    task_role_purpose: str = "Envoy config, traces and metrics"

    @property
    def stream_prefix(self) -> str:
        return self.workload.name

    @property
    def security_group_ids(self) -> Sequence[pulumi.Input[str]]:
        return [self.mesh_security_group_id]

    def app_port_mapping(self, port: int) -> dict:
        return {"containerPort": port, "protocol": "tcp"}

    def app_depends_on(self) -> list[dict]:
        # Without Envoy's config, the app's first calls would fail: start only once Envoy is LIVE.
        return [{"containerName": envoy.ENVOY, "condition": "HEALTHY"}]

    def sidecar_inputs(self) -> pulumi.Input[Any]:
        certificate = self.workload.certificate
        return pulumi.Output.all(self.workload.resource_arn, certificate.secret_arn, certificate.version_id)

    def sidecars(self, resolved: Any, log_groups: Mapping[str, str], app_scratch: Sequence[Any]) -> list[dict]:
        resource_arn, secret_arn, version_id = resolved
        return envoy.sidecar_containers(SidecarSpec(
            envoy_image=self.envoy_image, resource_arn=resource_arn, certificate_secret_arn=secret_arn,
            certificate_version_id=version_id, files=self.workload.certificate.files, region=self.region,
            metrics=self.metrics, log_groups=log_groups, stream_prefix=self.workload.name,
            # The gateway is Envoy alone and serves its listener itself; a sidecar's traffic is redirected.
            envoy_ports=() if self.workload.service else (self.workload.listener_port,),
            extra_scratch=tuple(app_scratch)))

    def volume_names(self, app_scratch: Sequence[Any]) -> list[str]:
        return envoy.sidecar_volume_names(app_scratch)

    def proxy_configuration(self, app_port: Optional[int]) -> Optional[dict]:
        if app_port is None:
            return None
        # iptables in the task send the app's traffic through Envoy, except Envoy's own (IgnoredUID).
        return dict(type="APPMESH", container_name=envoy.ENVOY, properties={
            "IgnoredUID": str(ENVOY_UID),
            "ProxyIngressPort": str(ENVOY_INGRESS_PORT),
            "ProxyEgressPort": str(ENVOY_EGRESS_PORT),
            "AppPorts": str(self.workload.listener_port),
            "EgressIgnoredIPs": ",".join(EGRESS_IGNORED_IPS),
        })

    def task_role_statements(self) -> list[dict]:
        return [
            # Envoy's xDS stream for exactly this node or gateway ("gRPC config stream closed" without it).
            statement(["appmesh:StreamAggregatedResources"], [self.workload.resource_arn], sid="EnvoyConfig"),
            statement(XRAY_WRITE_ACTIONS, ["*"], sid="XRayWrite"),
            statement(["cloudwatch:PutMetricData"], ["*"], sid="EnvoyMetrics",
                      conditions={"StringEquals": {"cloudwatch:namespace": self.metrics.namespace}}),
        ]

    def injected_secret_arns(self) -> list[pulumi.Input[str]]:
        return [self.workload.certificate.secret_arn]

    def service_settings(self) -> ServiceSettings:
        registry = self.workload.cloud_map_service_arn
        return ServiceSettings(arguments={
            "service_registries": (aws.ecs.ServiceServiceRegistriesArgs(registry_arn=registry)
                                   if registry is not None else None),
            "deployment_circuit_breaker": aws.ecs.ServiceDeploymentCircuitBreakerArgs(enable=True, rollback=True),
        })


# --------------------------------------------------------------------------------------------------
# One service version
# --------------------------------------------------------------------------------------------------


# A task joins its workload's group, the mesh members group and the egress layer's AWS API clients group.
TASK_SECURITY_GROUPS = 3
# A workload's group admits its listener from the mesh members group, the gateway's from the NLB: one rule each.
WORKLOAD_INBOUND_RULES = 1


def workload_egress(mesh_group: pulumi.Input[str], callee_ports: Sequence[int],
                    external_ports: Sequence[int]) -> list[PortRule]:
    """A workload's outbound rules: each distinct callee port to the mesh members group (Envoy's mTLS and SAN
    checks decide who is called), each distinct external port to the internet."""
    egress = [PortRule(f"calls mesh services on {port}", port, security_group_id=mesh_group)
              for port in sorted(set(callee_ports))]
    return egress + [PortRule(f"declared externals on {port} (NAT, DNS and network firewalls)", port, cidr=ANYWHERE)
                     for port in sorted(set(external_ports))]


@dataclass(frozen=True)
class MeshedServiceArgs:
    context: FargateContext
    wiring: AppMeshWiring
    service: ServiceConfig
    version: ServiceVersion
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
        workload = args.wiring.workload
        if workload.task_family is None or workload.cloud_map_service_arn is None:
            raise ValueError(f"workload {workload.name} has no task family or Cloud Map service")
        if workload.listener_port != args.service.port:
            # AppPorts must be the port the node's listener (and so Envoy's redirect) uses.
            raise ValueError(f"workload {workload.name} listens on {workload.listener_port}, "
                             f"but {args.service.name} serves on {args.service.port}")
        mesh = args.wiring.mesh_security_group_id
        egress = workload_egress(mesh, args.callee_ports, args.external_ports)
        deployed = deploy_workload(self, WorkloadSpec(
            name=name,
            family=workload.task_family,
            wiring=args.wiring,
            sizing=args.service.sizing,
            log_groups=args.log_groups,
            ingress=[PortRule("mesh members to the listener (Envoy intercepts it)", workload.listener_port,
                              security_group_id=mesh)],
            egress=egress,
            app=AppContainer.of(args.service, image=args.version.image, port=workload.listener_port),
        ), args.context)
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


# Secrets Manager's longest VersionId (botocore's SecretVersionIdType, 32 to 64 characters): a task pins its
# certificate's version, which AWS names only at `up`.
_LONGEST_SECRET_VERSION = "0" * 64


def task_definitions(config: PlatformConfig, service: ServiceConfig) -> list[dict]:
    """Each version's task definition, from config alone (config sizes them against ECS's limit): its node's ARN and
    its certificate's secret named as AWS names them in a 12-digit account, and the secret's version at its longest.
    The wiring's other fields no container reads."""
    region, account = config.region, naming.ANY_ACCOUNT
    secret = naming.mesh_tls_secret_arn_stand_in(region, config.environment, service.name)
    requests = []
    for version in service.versions:
        name = naming.mesh_workload(service.name, version.name)
        node = f"arn:aws:appmesh:{region}:{account}:mesh/{config.mesh_name}/virtualNode/{name}"
        workload = MeshWorkload(name=name, resource_arn=node, listener_port=service.port, service=service.name,
                                version=version.name, certificate=WorkloadCertificate(secret_arn=secret))
        wiring = AppMeshWiring(workload=workload, envoy_image=config.mesh.envoy_image,
                               metrics=EnvoyMetrics(config.environment), region=region, mesh_security_group_id=None)
        requests.append(config_task_definition(
            config, service, wiring, AppContainer.of(service, image=version.image, port=service.port), workload=name,
            family=naming.task_family(config.environment, service.name, version.name),
            resolved=(node, secret, _LONGEST_SECRET_VERSION)))
    return requests


def quota_use(config: PlatformConfig) -> QuotaUse:
    """Each workload's rules (its versions share them) and the gateway's: one inbound rule each, and outbound
    rules per distinct port, so services on a shared port cost one rule however many they are. No ALB. The Cloud Map
    instances and the roles."""
    ports = {s.name: s.port for s in config.services}
    rules: list[RuleTally] = []
    for i, service in enumerate(config.services):
        callee_ports = {ports[c] for c in service.calls}
        internet = config.internet_ports(service)
        outbound = workload_egress("mesh", tuple(callee_ports), internet)
        made_of = counted(len(callee_ports), "callee port") + (
            f" + {counted(len(internet), 'internet port')}" if internet else "")
        rules += [RuleTally(f"services[{i}]", f"{service.name}'s security group", "inbound", WORKLOAD_INBOUND_RULES,
                            "the mesh members group"),
                  RuleTally(f"services[{i}].calls", f"{service.name}'s security group", "outbound", len(outbound),
                            made_of)]
    public_ports = {s.port for s in config.public_services}
    rules += [RuleTally("services", "the ingress gateway's security group", "inbound", WORKLOAD_INBOUND_RULES,
                        "the NLB's addresses"),
              RuleTally("services", "the ingress gateway's security group", "outbound", len(public_ports),
                        counted(len(public_ports), "public service port"))]
    # Every version is an ECS service of its own, all registering in the service's one Cloud Map service.
    instances = tuple(InstanceTally(service, ecs_services=len(service.versions)) for service in config.services)
    # Each version's workload roles, and the ingress gateway's (a workload too).
    versions = [naming.mesh_workload(s.name, v.name) for s in config.services for v in s.versions]
    roles = (workload_roles([*versions, naming.GATEWAY_NAME]),
             f"{counted_whose(len(versions), 'version')} task and execution roles + the ingress gateway's")
    return QuotaUse(TASK_SECURITY_GROUPS, tuple(rules), cloud_map_instances=instances, iam_roles=roles)


# --------------------------------------------------------------------------------------------------
# The plane
# --------------------------------------------------------------------------------------------------


# Said on every preview and update of an App Mesh stack, which otherwise previews as cleanly as a deployable one.
DISCONTINUED = ("mesh.dataPlane is appmesh: AWS discontinued App Mesh on 2026-09-30 and its API no longer answers, "
                "so this stack previews but cannot be deployed; move it to serviceconnect (docs/migration.md)")


def build_app_mesh(owner: pulumi.Resource, name: str, args: DataPlaneArgs) -> DataPlane:
    """Every App Mesh layer of one environment, in dependency order."""
    pulumi.log.warn(DISCONTINUED)
    config, network = args.config, args.network
    child = pulumi.ResourceOptions(parent=owner)
    discovery = ServiceDiscovery(f"{name}-discovery", ServiceDiscoveryArgs(
        namespace=config.namespace, vpc_id=network.vpc_id, services=[s.name for s in config.services]), child)
    certificates = MeshCertificates(f"{name}-certificates", MeshCertificatesArgs(
        environment=config.environment, identities=workload_identities(config), tls=config.mesh.tls,
        protect=config.protect), child)
    mesh = ServiceMesh(f"{name}-mesh", ServiceMeshArgs(
        config=config, discovery=discovery, certificates=certificates.certificates), child)

    compute = Compute(f"{name}-compute", args.compute_args(), child)
    context = compute.context
    compute_child = pulumi.ResourceOptions(parent=compute)
    members = aws.ec2.SecurityGroup(
        f"{name}-compute-mesh-members", vpc_id=network.vpc_id,
        description=f"{config.environment} mesh members: every meshed task and the ingress gateway",
        tags={"Name": f"{config.environment}-mesh-members"}, opts=compute_child)
    metrics = EnvoyMetrics(config.environment)

    # The wiring of every mesh workload (each service version and the gateway), by workload name.
    wirings = {workload.name: AppMeshWiring(workload=workload, envoy_image=config.mesh.envoy_image, metrics=metrics,
                                            region=config.region, mesh_security_group_id=members.id)
               for workload in mesh.workloads}
    services, app_log_groups = _meshed_services(name, config, context, wirings.values(), compute_child)
    gateway = IngressGateway(f"{name}-{mesh.gateway.name}", IngressGatewayArgs(
        context=context, wiring=wirings[mesh.gateway.name], sizing=config.sizing,
        upstream_ports=[s.port for s in config.public_services],
        access_logs=args.audit.access_logs(naming.nlb_label(mesh.gateway.name))), child)

    ingress_tls = _gateway_tls(certificates, mesh.gateway_hostname)
    return DataPlane(
        compute=compute,
        app_log_groups=app_log_groups,
        namespace=discovery.namespace_name,
        watched=_watched_workloads(services, gateway, metrics),
        load_balancers=[WatchedLoadBalancer(label=naming.nlb_label(gateway.workload.name), kind="network",
                                            arn_suffix=gateway.nlb_arn_suffix,
                                            target_group_arn_suffix=gateway.target_group_arn_suffix)],
        api_backend=(NlbBackend(nlb_arn=gateway.nlb_arn, nlb_dns_name=gateway.nlb_dns_name,
                                listener_port=gateway.listener_port, tls=ingress_tls)
                     if config.public_services else None),
        task_role_names={s.name: [m.deployed.task_role.name for m in services.values() if m.workload.service == s.name]
                         for s in config.services},
        outputs={"meshName": mesh.mesh_name, "ingressNlbDnsName": gateway.nlb_dns_name},
        components={"discovery": discovery, "certificates": certificates, "mesh": mesh, "gateway": gateway,
                    "services": services},
    )


def _meshed_services(name: str, config: PlatformConfig, context: FargateContext, wirings: Collection[AppMeshWiring],
                     opts: pulumi.ResourceOptions) -> tuple[dict[str, MeshedService], list[pulumi.Output[str]]]:
    """One MeshedService per service version (each of `wirings` that is a service's), by workload name, with the log
    groups its service's versions share; and each service's app log group, in config order."""
    ports = {s.name: s.port for s in config.services}
    services: dict[str, MeshedService] = {}
    app_log_groups = []
    for service in config.services:
        # One log group per container kind, shared by the service's versions (streams are per version).
        logs = WorkloadLogs(f"{name}-compute-{service.name}-logs", context=context,
                            workload=PLANES[APP_MESH].log_workload(service.name),
                            kinds=PLANES[APP_MESH].log_kinds, retention_days=service.sizing.log_retention_days,
                            opts=opts)
        app_log_groups.append(logs.groups[envoy.APP].name)
        for wiring in (w for w in wirings if w.workload.service == service.name):
            workload = wiring.workload
            version = next(v for v in service.versions if v.name == workload.version)
            services[workload.name] = MeshedService(workload.name, MeshedServiceArgs(
                context=context, wiring=wiring, service=service, version=version,
                log_groups=logs.groups, callee_ports=[ports[c] for c in service.calls],
                external_ports=config.internet_ports(service)), opts)
    return services, app_log_groups


def _gateway_tls(certificates: MeshCertificates, hostname: str) -> Optional[IngressTls]:
    """How API Gateway reaches the gateway: its listener speaks TLS and trusts exactly the client certificate the
    mesh layer issued for API Gateway; its own certificate names the gateway (`hostname`) and chains to the
    mesh's private CA. None where the mesh layer issued API Gateway no certificate."""
    if certificates.api_client_certificate_id is None:
        return None
    return IngressTls(hostname=hostname, client_certificate_id=certificates.api_client_certificate_id)


def _watched_workloads(services: Mapping[str, MeshedService], gateway: IngressGateway,
                       metrics: EnvoyMetrics) -> list[WatchedWorkload]:
    """Each version's and the gateway's ECS service, and the Envoy metrics of its node or of the gateway."""
    watched = [WatchedWorkload(label=label, ecs_service_name=s.service_name,
                               traffic=EnvoySignals(metrics, EnvoyMetrics.NODE, s.node_name))
               for label, s in services.items()]
    watched.append(WatchedWorkload(label=gateway.workload.name, ecs_service_name=gateway.service_name,
                                   traffic=EnvoySignals(metrics, EnvoyMetrics.GATEWAY, gateway.gateway_name)))
    return watched
