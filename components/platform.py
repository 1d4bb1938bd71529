"""The top-level component: one environment's network, data plane, observability and API.

It only wires layers together; each layer is its own component and owns its concern:

    Network ─▶ Egress (VPC endpoints, DNS Firewall, Network Firewall) ─▶ AuditLogging (trail, log buckets) ─▶ DnsZone (when configured)
           ─▶ the data plane (components/dataplane/, chosen once by `mesh.dataPlane`):
                 serviceconnect  HTTP namespace, Private CA, call-graph security groups, one ECS service
                                 per service with Service Connect, the internal ALB behind VPC link V2
                 appmesh         Cloud Map, certificates, App Mesh, a MeshedService per version, the
                                 virtual gateway behind an internal NLB (VPC link V1)
           ─▶ Observability (SNS, alarms, dashboard) ─▶ PublicApi (REST API, usage plans, WAF)
           ─▶ device APIs and tenants (the IoT stack)
"""
from __future__ import annotations

from typing import Mapping, NamedTuple, Optional, Sequence

import pulumi
import pulumi_aws as aws

from .alarms import AlarmRouting
from .api import AlbBackend, NlbBackend, PublicApi, PublicApiArgs, public_routes
from .audit import AuditLogging, AuditLoggingArgs
from .config import PlatformConfig
from .dataplane import DataPlane, DataPlaneArgs, build_data_plane, data_plane_aws_apis
from .dns import DnsZone, DnsZoneArgs, check_zone_by_id, domain_certificate_arn
from .egress import Egress, EgressArgs, aws_apis, gateway_apis, offered_zones, public_aws_hosts
from .logkey import LogKey, LogKeyArgs
from .naming import HTTP, REST, WEBSOCKET, api_alarm_names, device_api_alarm_names, device_api_kinds, trail_name
from .network import Network, NetworkArgs, account_zones
from .observability import Observability, ObservabilityArgs, WatchedApi, WatchedEgress, WatchedTrail
from .http_api import DeviceHttpApi, DeviceHttpApiArgs, HttpBackend, dashboard_graphs as http_api_graphs
from .tenants import Tenants, TenantsArgs, tenant_log_queries, tenant_metric_graphs
from .websocket_api import DeviceWebsocketApi, DeviceWebsocketApiArgs, dashboard_graphs as websocket_api_graphs


class Platform(pulumi.ComponentResource):
    namespace: pulumi.Output[str]
    api_invoke_url: Optional[pulumi.Output[str]]
    api_key_ids: Optional[pulumi.Output[dict]]

    def __init__(self, name: str, config: PlatformConfig, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__("service-mesh-platform:index:Platform", name, None, opts)
        # What only the account can answer, asked before any resource (the component holds none): a region short of
        # azCount's zones stops the program here, with nothing declared for `pulumi up` to create.
        zones = account_zones(config.network, config.stack_file, self)
        # So is where each interface endpoint's service is offered: one offered in none of the zones stops it here.
        apis = aws_apis(config, data_plane_apis=data_plane_aws_apis(config))
        offered = offered_zones(config, apis, zones, self)
        # And the name of a DNS zone given by id, which must hold the names the stack writes records for.
        check_zone_by_id(config, self)
        self.config = config
        child = pulumi.ResourceOptions(parent=self)

        # First: every layer's log groups (outside ECS, which has its own key) are encrypted with it.
        self.log_key = LogKey(f"{name}-logs", LogKeyArgs(
            environment=config.environment, region=config.region, protect=config.protect), child)
        self.network = Network(f"{name}-network", NetworkArgs(
            environment=config.environment,
            stack_file=config.stack_file,
            config=config.network,
            flow_log_retention_days=config.sizing.log_retention_days,
            log_key_arn=self.log_key.arn,
            protect=config.protect,
            zones=zones,
        ), child)
        self.egress = Egress(f"{name}-egress", _egress_args(config, self.network, self.log_key.arn, apis, offered),
                             child)
        # Before the load balancers, which write their access logs into its bucket.
        self.audit = AuditLogging(f"{name}-audit", AuditLoggingArgs(
            environment=config.environment, region=config.region, audit=config.audit, protect=config.protect,
            log_key_arn=self.log_key.arn,
        ), child)
        # The public zone the stack writes certificates' validation records and aliases to, when configured.
        self.dns = DnsZone(f"{name}-dns", DnsZoneArgs(config.dns), child) if config.dns is not None else None

        self.data_plane = build_data_plane(self, name, DataPlaneArgs(
            config=config, network=self.network, egress=self.egress, audit=self.audit, log_key_arn=self.log_key.arn,
            dns=self.dns))
        self.compute = self.data_plane.compute
        self.namespace = self.data_plane.namespace
        self.observability = Observability(f"{name}-observability", _observability_args(
            config, self.network, self.egress, self.audit, self.data_plane), child)
        self.alarm_routing = self.observability.routing

        # The API layers: each builder is given what it reads, and returns its layer (None when not configured).
        shared = _ApiLayer(config, self, self.log_key.arn, self.dns, self.alarm_routing)
        self.api = _public_api(name, shared, self.data_plane.api_backend)
        self.api_invoke_url = self.api.invoke_url if self.api else None
        self.api_key_ids = self.api.api_key_ids if self.api else None
        # The IoT stack's device APIs (HTTP with the ALB ingress, WebSocket) and its tenants' keys.
        self.http_api = _device_http_api(name, shared, self.data_plane.http_backend, self.api)
        self.websocket_api = _device_websocket_api(name, shared, self.data_plane.task_role_names, self.api)
        self.tenants = _tenants(name, shared, {REST: self.api, HTTP: self.http_api, WEBSOCKET: self.websocket_api})

        self.register_outputs({"namespace": self.namespace, "vpcId": self.network.vpc_id})


def _egress_args(config: PlatformConfig, network: Network, log_key_arn: pulumi.Output[str], apis: Sequence[str],
                 offered: Optional[Mapping[str, Sequence[str]]]) -> EgressArgs:
    """What the egress layer controls: the AWS APIs (`apis`, and the zones each is `offered` in), external hosts and
    domains the stack's services reach."""
    return EgressArgs(
        environment=config.environment,
        region=config.region,
        stack_file=config.stack_file,
        vpc_id=network.vpc_id,
        private_subnet_ids=network.private_subnet_ids,
        private_subnet_zones=network.private_subnet_zones,
        private_route_table_ids=network.private_route_table_ids,
        aws_apis=apis,
        offered_zones=offered,
        external_hosts=[e.host for e in config.externals],
        gateway_apis=gateway_apis(config),
        public_aws_hosts=public_aws_hosts(config),
        internal_domains=[config.namespace],
        endpoints=config.network.endpoints,
        endpoint_accounts=config.network.endpoint_accounts,
        firewall_hops=network.firewall_hops,
        private_exits=network.private_exits,
        log_retention_days=config.sizing.log_retention_days,
        protect=config.protect,
        log_key_arn=log_key_arn,
        dns_firewall_priority=config.network.dns_firewall_priority,
    )


def _observability_args(config: PlatformConfig, network: Network, egress: Egress, audit: AuditLogging,
                        data_plane: DataPlane) -> ObservabilityArgs:
    """What Observability watches: the data plane's workloads and load balancers, egress, the trail, and the API
    layers by name (they are built after it, alarming through its routing)."""
    watched_api = WatchedApi(config.api.name, config.api.stage_name) if config.api.built else None
    archive = audit.archive
    return ObservabilityArgs(
        environment=config.environment, region=config.region, protect=config.protect, alarms=config.alarms,
        data_plane=config.mesh.data_plane,
        api=watched_api,
        cluster_name=data_plane.compute.cluster_name,
        cluster_arn=data_plane.compute.cluster.arn,
        workloads=data_plane.watched,
        load_balancers=data_plane.load_balancers,
        log_queries=tenant_log_queries(config),
        app_log_groups=data_plane.app_log_groups,
        egress=WatchedEgress(
            vpc_id=network.vpc_id, nat_gateway_ids=network.nat_gateway_ids,
            interface_endpoints=egress.watched_endpoints, dns_rule_group_id=egress.dns_rule_group_id,
            dns_blocked_list_id=egress.dns_blocked_list_id, firewall=egress.watched_firewall),
        trail=(WatchedTrail(name=trail_name(config.environment), arn=archive.trail_arn,
                            key_id=archive.key.id, key_arn=archive.key.arn,
                            bucket_name=archive.bucket_name,
                            delivery_filter_id=archive.delivery_filter_id,
                            activity=archive.activity_metrics)
               if archive is not None else None),
        # The device APIs' graphs, then the tenants' next to their table (the log queries follow the graphs).
        metric_graphs=(*(http_api_graphs(config.http_api) if config.http_api else ()),
                       *(websocket_api_graphs(config.environment, config.websocket_api)
                         if config.websocket_api else ()),
                       *tenant_metric_graphs(config)),
        later_alarms=_api_alarm_names(config),
    )


def _api_alarm_names(config: PlatformConfig) -> tuple[str, ...]:
    """The alarms the REST and device API layers will create: the REST API's where there is one, the device
    APIs' where the config has their sections (as _device_http_api and _device_websocket_api read them)."""
    rest = api_alarm_names(config.api.name) if config.api.built else ()
    kinds = device_api_kinds(config.http_api, config.websocket_api)
    return (*rest, *device_api_alarm_names(config.environment, kinds))


class _ApiLayer(NamedTuple):
    """What every API layer is built with: the stack's config, the Platform as parent, the log key, the public
    zone (when configured) and Observability's alarm routing."""
    config: PlatformConfig
    parent: pulumi.Resource
    log_key_arn: pulumi.Output[str]
    dns: Optional[DnsZone]
    alarm_routing: AlarmRouting


def _public_api(name: str, layer: _ApiLayer, backend: Optional[NlbBackend | AlbBackend]) -> Optional[PublicApi]:
    """The public REST API, usage plans, WAF and API alarms, in front of the data plane's ingress (`backend`)."""
    config = layer.config
    if not config.api.built:
        return None  # nothing is public: no API (a REST API without methods cannot be deployed)
    # Each plane builds an ingress in front of its public services: the API's backend.
    assert backend is not None, f"{config.mesh.data_plane} gave public services no ingress"
    domain = config.api.domain
    api = PublicApi(f"{name}-api", PublicApiArgs(
        environment=config.environment,
        region=config.region,
        api=config.api,
        routes=public_routes(config),
        backend=backend,
        alarm_routing=layer.alarm_routing,
        alarms=config.alarms,
        protect=config.protect,
        log_retention_days=config.sizing.log_retention_days,
        log_key_arn=layer.log_key_arn,
        domain_certificate_arn=domain_certificate_arn("api-domain", domain, layer.dns),
        caller_headers=bool(config.tenants),
    ), pulumi.ResourceOptions(parent=layer.parent))
    if domain is not None and layer.dns is not None:
        layer.dns.alias("api-domain", domain.name, api.domain_target, api.domain_zone_id)
    return api


def _device_http_api(name: str, layer: _ApiLayer, backend: Optional[HttpBackend],
                     rest_api: Optional[PublicApi]) -> Optional[DeviceHttpApi]:
    """The devices' HTTP API, through the data plane's ALB ingress (`backend`), on the REST API's custom domain
    when there is one."""
    config = layer.config
    if config.http_api is None:
        return None
    # Config allows httpApi only on a plane with an ALB ingress, and its routes only to public services.
    domain = config.api.domain
    return DeviceHttpApi(f"{name}-device-http", DeviceHttpApiArgs(
        environment=config.environment, config=config.http_api, tenants=config.tenants, tiers=config.tiers,
        backend=backend, log_retention_days=config.sizing.log_retention_days,
        protect=config.protect, log_key_arn=layer.log_key_arn, domain=domain,
        alarm_routing=layer.alarm_routing, five_xx_rate_percent=config.alarms.five_xx_rate_percent,
        four_xx_rate_percent=config.alarms.four_xx_rate_percent,
        domain_name=rest_api.domain_name if rest_api is not None and domain is not None else None,
    ), pulumi.ResourceOptions(parent=layer.parent))


def _device_websocket_api(name: str, layer: _ApiLayer, task_role_names: Mapping[str, Sequence[pulumi.Output[str]]],
                          rest_api: Optional[PublicApi]) -> Optional[DeviceWebsocketApi]:
    """The devices' WebSocket API; its command service's task roles (from `task_role_names`) may post to
    connections. After the REST API, which sets the account's API Gateway logging role where the stack owns it."""
    config = layer.config
    if config.websocket_api is None:
        return None
    account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=layer.parent)).account_id
    command = config.websocket_api.command_service
    domain = config.websocket_api.domain
    websocket = DeviceWebsocketApi(f"{name}-device-ws", DeviceWebsocketApiArgs(
        environment=config.environment, region=config.region, account_id=account_id,
        config=config.websocket_api, tenants=config.tenants,
        command_task_role_names=list(task_role_names.get(command, ())),
        log_retention_days=config.sizing.log_retention_days, protect=config.protect,
        log_key_arn=layer.log_key_arn, alarm_routing=layer.alarm_routing,
        error_rate_percent=config.alarms.five_xx_rate_percent,
        four_xx_rate_percent=config.alarms.four_xx_rate_percent,
        domain_certificate_arn=domain_certificate_arn("ws-domain", domain, layer.dns),
    ), pulumi.ResourceOptions(parent=layer.parent, depends_on=[rest_api] if rest_api else None))
    if domain is not None and layer.dns is not None:
        layer.dns.alias("ws-domain", domain.name, websocket.domain_target, websocket.domain_zone_id)
    return websocket


def _tenants(name: str, layer: _ApiLayer,
             apis: Mapping[str, "Optional[PublicApi | DeviceHttpApi | DeviceWebsocketApi]"]) -> Optional[Tenants]:
    """The tenants' API keys, joining the REST API's usage plans (`apis[REST]`), and their metric filters and saved
    query over every API's access log (`apis`, by kind)."""
    config, rest_api = layer.config, apis[REST]
    if not config.tenants or rest_api is None:
        return None
    # The metric filters and the saved query wait for the log groups they read (through their names).
    logs = {kind: api.access_log_group_name for kind, api in apis.items() if api is not None}
    return Tenants(f"{name}-tenants", TenantsArgs(
        environment=config.environment, api_name=rest_api.api_name, tenants=config.tenants,
        tiers=config.tiers, usage_plan_ids=rest_api.usage_plan_ids, access_log_groups=logs,
        http_routes=config.http_api.routes if config.http_api else (),
        protect=config.protect), pulumi.ResourceOptions(parent=layer.parent))
