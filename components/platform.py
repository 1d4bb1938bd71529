"""The top-level component: one environment's network, mesh, compute, observability and API.

It only wires layers together; each layer is its own component and owns its concern:

    Network ─▶ Egress (VPC endpoints, DNS Firewall, Network Firewall) ─▶ ServiceMesh (Cloud Map, certificates, App Mesh) ─▶ MeshWorkloads
           ─▶ Compute (ECS cluster, a MeshedService per version)
           ─▶ IngressGateway (the gateway workload's Envoy service behind an internal NLB)
           ─▶ Observability (SNS, alarms, dashboard) ─▶ PublicApi (REST API, usage plans, WAF)

The mesh data plane is the seam: `ServiceMesh` hands the compute layer one `MeshWorkload` per Envoy, so
an ECS Service Connect data plane can sit beside App Mesh by producing the same thing.
"""
from __future__ import annotations

from typing import Optional

import pulumi
import pulumi_aws as aws

from .audit import AuditLogging, AuditLoggingArgs
from .api import IngressTls, NlbBackend, PublicApi, PublicApiArgs, public_routes
from .certificates import MeshCertificates, MeshCertificatesArgs
from .compute import Compute, ComputeArgs
from .config import ConfigError, PlatformConfig
from .egress import Egress, EgressArgs, aws_apis
from .discovery import ServiceDiscovery, ServiceDiscoveryArgs
from .dns import DnsZone, DnsZoneArgs, certificate_arn
from .gateway import IngressGateway, IngressGatewayArgs
from .mesh import APPMESH_ENVOY_MANAGEMENT_API, ServiceMesh, ServiceMeshArgs, workload_identities
from .network import Network, NetworkArgs
from .tenants import Tenants, TenantsArgs, tenant_log_queries
from .websocket_api import DeviceWebsocketApi, DeviceWebsocketApiArgs
from .observability import Observability, ObservabilityArgs, WatchedLoadBalancer, WatchedWorkload


class Platform(pulumi.ComponentResource):
    mesh_name: pulumi.Output[str]
    namespace: pulumi.Output[str]
    api_invoke_url: Optional[pulumi.Output[str]]
    api_key_ids: Optional[pulumi.Output[dict]]

    def __init__(self, name: str, config: PlatformConfig, opts: Optional[pulumi.ResourceOptions] = None):
        if config.http_api is not None:
            # Checked before anything is declared. Private integrations of an HTTP API need an ALB (or Cloud Map)
            # behind a VPC link V2; the App Mesh ingress is an NLB in front of Envoy demanding client
            # certificates, which HTTP APIs cannot send.
            raise ConfigError(f"{config.stack_file}: httpApi: needs the Service Connect data plane's ALB ingress, "
                              f"which this version of the platform does not have yet")
        super().__init__("service-mesh-platform:index:Platform", name, None, opts)
        self.config = config
        child = pulumi.ResourceOptions(parent=self)

        self.network = Network(f"{name}-network", NetworkArgs(
            environment=config.environment,
            config=config.network,
            flow_log_retention_days=config.sizing.log_retention_days,
        ), child)
        self.egress = Egress(f"{name}-egress", EgressArgs(
            environment=config.environment,
            region=config.region,
            vpc_id=self.network.vpc_id,
            private_subnet_ids=self.network.private_subnet_ids,
            private_route_table_ids=self.network.private_route_table_ids,
            aws_apis=aws_apis(config, data_plane_apis=(APPMESH_ENVOY_MANAGEMENT_API,)),
            external_hosts=[e.host for e in config.externals],
            internal_domains=[config.namespace],
            endpoints=config.network.endpoints,
            firewall_hops=self.network.firewall_hops,
            log_retention_days=config.sizing.log_retention_days,
            protect=config.protect,
        ), child)

        # Before the load balancers, which write their access logs into its bucket.
        self.audit = AuditLogging(f"{name}-audit", AuditLoggingArgs(
            environment=config.environment, region=config.region, audit=config.audit, protect=config.protect,
        ), child)

        # The public zone the stack writes certificates' validation records and aliases to, when configured.
        self.dns = DnsZone(f"{name}-dns", DnsZoneArgs(config.dns), child) if config.dns is not None else None
        self.api: Optional[PublicApi] = None  # only when a service is public
        self.api_invoke_url = None
        self.api_key_ids = None

        self._build_mesh(name)
        self._build_compute(name)
        self._build_observability(name)
        self._build_api(name)
        self._build_device_apis(name)

        self.register_outputs({
            "meshName": self.mesh_name,
            "namespace": self.namespace,
            "vpcId": self.network.vpc_id,
        })

    # Each layer has its own builder so it can be read (and replaced, e.g. by a Service Connect mode) on its own.

    def _build_mesh(self, name: str) -> None:
        """Cloud Map, mesh certificates and the App Mesh data plane."""
        config = self.config
        child = pulumi.ResourceOptions(parent=self)
        self.discovery = ServiceDiscovery(f"{name}-discovery", ServiceDiscoveryArgs(
            namespace=config.namespace,
            vpc_id=self.network.vpc_id,
            services=[s.name for s in config.services],
        ), child)
        self.certificates = MeshCertificates(f"{name}-certificates", MeshCertificatesArgs(
            environment=config.environment,
            identities=workload_identities(config),
            tls=config.mesh.tls,
            protect=config.protect,
        ), child)
        self.mesh = ServiceMesh(f"{name}-mesh", ServiceMeshArgs(
            config=config,
            discovery=self.discovery,
            certificates=self.certificates.certificates,
        ), child)
        # One MeshWorkload per Envoy (each service version, then the ingress gateway): all compute needs.
        self.workloads = self.mesh.workloads
        self.mesh_name = self.mesh.mesh_name
        self.namespace = self.discovery.namespace_name

    def _build_compute(self, name: str) -> None:
        """ECS cluster, a MeshedService per service version, the ingress gateway behind an NLB."""
        config = self.config
        child = pulumi.ResourceOptions(parent=self)
        self.compute = Compute(f"{name}-compute", ComputeArgs(
            config=config,
            vpc_id=self.network.vpc_id,
            vpc_cidr=self.network.vpc_cidr,
            private_subnet_ids=self.network.private_subnet_ids,
            api_clients_security_group_id=self.egress.api_clients_security_group_id,
            image_mirror=self.egress.image_mirror,
            workloads=[w for w in self.workloads if w.service is not None],
        ), child)
        gateway = self.mesh.gateway
        public = {s.name for s in config.public_services}
        self.gateway = IngressGateway(f"{name}-{gateway.name}", IngressGatewayArgs(
            context=self.compute.context,
            workload=gateway,
            sizing=config.sizing,
            upstream_ports=[w.listener_port for w in self.workloads if w.service in public],
            access_logs=self.audit.access_logs(f"{gateway.name}-nlb"),
        ), child)

    def _build_observability(self, name: str) -> None:
        """SNS alarm topic, alarms and the dashboard."""
        watched = [WatchedWorkload(label=label, ecs_service_name=s.service_name, mesh_resource_name=s.node_name)
                   for label, s in self.compute.services.items()]
        watched.append(WatchedWorkload(label=self.gateway.workload.name,
                                       ecs_service_name=self.gateway.service_name,
                                       mesh_resource_name=self.gateway.gateway_name,
                                       is_gateway=True))
        load_balancers = [WatchedLoadBalancer(label=f"{self.gateway.workload.name}-nlb",
                                              arn_suffix=self.gateway.nlb_arn_suffix,
                                              target_group_arn_suffix=self.gateway.target_group_arn_suffix)]
        self.observability = Observability(f"{name}-observability", ObservabilityArgs(
            config=self.config,
            cluster_name=self.compute.cluster_name,
            workloads=watched,
            load_balancers=load_balancers,
            log_queries=tenant_log_queries(self.config),
        ), pulumi.ResourceOptions(parent=self))
        self.alarm_topic_arn = self.observability.alarm_topic_arn

    def _build_api(self, name: str) -> None:
        """The public REST API, usage plans, WAF and API alarms."""
        config = self.config
        if not config.public_services:
            return  # nothing is public: no API (a REST API without methods cannot be deployed)
        # The gateway's listener speaks TLS and trusts exactly the client certificate the mesh layer issued
        # for API Gateway; its own certificate names the gateway and chains to the mesh's private CA.
        ingress_tls = None
        if self.certificates.api_client_certificate_id is not None:
            ingress_tls = IngressTls(hostname=self.mesh.gateway_hostname,
                                     client_certificate_id=self.certificates.api_client_certificate_id)
        domain = config.api.domain
        self.api = PublicApi(f"{name}-api", PublicApiArgs(
            environment=config.environment,
            region=config.region,
            api=config.api,
            routes=public_routes(config),
            backend=NlbBackend(nlb_arn=self.gateway.nlb_arn, nlb_dns_name=self.gateway.nlb_dns_name,
                               listener_port=self.gateway.listener_port, tls=ingress_tls),
            alarm_topic_arn=self.alarm_topic_arn,
            alarms=config.alarms,
            protect=config.protect,
            log_retention_days=config.sizing.log_retention_days,
            domain_certificate_arn=(certificate_arn("api-domain", domain.name, domain.certificate_arn, self.dns)
                                    if domain is not None else None),
        ), pulumi.ResourceOptions(parent=self))
        if domain is not None and self.dns is not None:
            self.dns.alias("api-domain", domain.name, self.api.domain_target, self.api.domain_zone_id)
        self.api_invoke_url = self.api.invoke_url
        self.api_key_ids = self.api.api_key_ids

    def _build_device_apis(self, name: str) -> None:
        """The IoT stack's WebSocket (and, with the ALB ingress, HTTP) device APIs, and its tenants' keys."""
        config = self.config
        self.websocket_api: Optional[DeviceWebsocketApi] = None
        self.tenants: Optional[Tenants] = None
        if config.websocket_api is not None:
            account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id
            command = config.websocket_api.command_service
            self.websocket_api = DeviceWebsocketApi(f"{name}-device-ws", DeviceWebsocketApiArgs(
                environment=config.environment, region=config.region, account_id=account_id,
                config=config.websocket_api, tenants=config.tenants,
                command_task_role_names=[s.deployed.task_role.name for s in self.compute.services.values()
                                         if s.workload.service == command],
                log_retention_days=config.sizing.log_retention_days, protect=config.protect,
            ), pulumi.ResourceOptions(parent=self, depends_on=[self.api] if self.api else None))
        if config.tenants and self.api is not None:
            # The saved query waits for the log groups it reads (the dashboard's copy needs no such order).
            logs = [self.websocket_api.access_log_group_name] if self.websocket_api else []
            self.tenants = Tenants(f"{name}-tenants", TenantsArgs(
                environment=config.environment, api_name=self.api.api_name, tenants=config.tenants,
                tiers=config.tiers, usage_plan_ids=self.api.usage_plan_ids, log_group_names=logs,
                protect=config.protect), pulumi.ResourceOptions(parent=self))
