"""The App Mesh data plane of one environment, built from the stack config.

    Mesh (DROP_ALL, explicit IP preference)
      VirtualNode   <service>-<version>     Cloud Map discovery selecting that version's task family;
                                            STRICT mTLS listener, health check, timeouts, connection pool,
                                            outlier detection; backends = the call graph (+ externals)
      VirtualRouter <service>-router        weighted route over the versions + a header route per canary
      VirtualService <service>.<namespace>  the FQDN clients call; provider = the router
      VirtualNode   external-<name>         DNS discovery of an external host, TCP on its port
      VirtualService <host>                 provider = that node; a backend only of services that list it
      VirtualGateway ingress-gateway        the way in from the NLB, one GatewayRoute per public path

mTLS everywhere: every listener serves its workload's certificate and (STRICT unless the stack names
PERMISSIVE) requires a client certificate signed by the mesh CA whose SAN is one of its known callers
(a service nobody calls admits no one); every client policy presents
the workload's own certificate and validates the backend's SAN. All material is read from `TLS_FILES`
inside the Envoy container (see components/certificates.py).

Spec fragments are built as plain dicts (the SDK's `*ArgsDict` shapes, snake_case keys) so one helper
serves the node, per-backend and gateway variants of the same App Mesh structure.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence

import pulumi
import pulumi_aws as aws

from . import naming
from .certificates import WorkloadIdentity
from .config import ConnectionPool, ExternalConfig, PlatformConfig, ServiceConfig, ServiceVersion
from .discovery import ServiceDiscovery
from .workload import TLS_FILES, MeshWorkload, WorkloadCertificate

GATEWAY_NAME = naming.GATEWAY_NAME
# Envoy's xDS stream goes to App Mesh's management endpoint (com.amazonaws.<region>.<this>).
APPMESH_ENVOY_MANAGEMENT_API = "appmesh-envoy-management"
ACCESS_LOG_PATH = "/dev/stdout"

# One JSON object per request (Envoy command operators). Enough to trace a request across hops
# (x-request-id), see where it went (authority, upstream host) and why it failed (response flags).
ACCESS_LOG_FIELDS: dict[str, str] = {
    "start_time": "%START_TIME%",
    "method": "%REQ(:METHOD)%",
    "path": "%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%",
    "protocol": "%PROTOCOL%",
    "response_code": "%RESPONSE_CODE%",
    "response_flags": "%RESPONSE_FLAGS%",
    "bytes_received": "%BYTES_RECEIVED%",
    "bytes_sent": "%BYTES_SENT%",
    "duration_ms": "%DURATION%",
    "upstream_service_time_ms": "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%",
    "upstream_host": "%UPSTREAM_HOST%",
    "x_request_id": "%REQ(X-REQUEST-ID)%",
    "authority": "%REQ(:AUTHORITY)%",
    "user_agent": "%REQ(USER-AGENT)%",
    "x_forwarded_for": "%REQ(X-FORWARDED-FOR)%",
}

# App Mesh limits: interval 5-300 s, timeout 2-60 s, thresholds 2-10.
HEALTH_CHECK_TIMING = {"healthy_threshold": 2, "unhealthy_threshold": 3, "interval_millis": 10000,
                       "timeout_millis": 5000}
# The header route(s) sit above the weighted default route (lower number = higher priority).
HEADER_ROUTE_PRIORITY = 10
DEFAULT_ROUTE_PRIORITY = 100


def gateway_dns_name(config: PlatformConfig) -> str:
    """The gateway's identity (its certificate SAN) and the host name its clients should use for TLS."""
    return f"{GATEWAY_NAME}.{config.namespace}"


def workload_identities(config: PlatformConfig) -> list[WorkloadIdentity]:
    """One certificate per service (its versions share it: peers validate the virtual service name) and
    one for the ingress gateway."""
    identities = [WorkloadIdentity(name=s.name, dns_name=config.virtual_service_name(s.name)) for s in config.services]
    identities.append(WorkloadIdentity(name=GATEWAY_NAME, dns_name=gateway_dns_name(config), trusts_api_gateway=True))
    return identities


def _ms(value: int) -> dict:
    return {"unit": "ms", "value": value}


def _file_certificate() -> dict:
    return {"file": {"certificate_chain": TLS_FILES.certificate_chain, "private_key": TLS_FILES.private_key}}


def _trust_mesh_ca(subject_alternative_names: Sequence[str]) -> dict:
    validation: dict[str, Any] = {"trust": {"file": {"certificate_chain": TLS_FILES.ca_bundle}}}
    if subject_alternative_names:
        validation["subject_alternative_names"] = {"match": {"exacts": sorted(subject_alternative_names)}}
    return validation


def _client_tls(subject_alternative_names: Sequence[str], ports: Sequence[int]) -> dict:
    """Originate mTLS: present this workload's certificate, accept only mesh-CA certificates for the
    given SANs. Limited to the mesh services' ports, so an external's own TLS passes through untouched."""
    return {
        "enforce": True,
        "ports": sorted(set(ports)),
        "certificate": _file_certificate(),
        "validation": _trust_mesh_ca(subject_alternative_names),
    }


# Under the reserved .invalid TLD (RFC 2606): no certificate the mesh CA issues carries this name.
NO_MESH_CLIENT = "no-mesh-client.invalid"


def _listener_tls(mode: str, allowed_clients: Optional[Sequence[str]]) -> dict:
    """Terminate mTLS: serve this workload's certificate; require a trusted client certificate whose SAN
    is one of the known callers (the call graph), so holding *a* mesh certificate is not enough.

    An empty caller list admits no mesh client at all (a SAN nobody holds); `None` skips the SAN match,
    for the gateway, whose only client is API Gateway with a SAN-less certificate."""
    if allowed_clients is None:
        validation = _trust_mesh_ca([])
    else:
        validation = _trust_mesh_ca(list(allowed_clients) or [NO_MESH_CLIENT])
    return {"mode": mode, "certificate": _file_certificate(), "validation": validation}


def _access_logging() -> dict:
    return {"access_log": {"file": {
        "path": ACCESS_LOG_PATH,
        "format": {"jsons": [{"key": k, "value": v} for k, v in ACCESS_LOG_FIELDS.items()]},
    }}}


def _health_check(path: str, port: int) -> dict:
    return {"protocol": "http", "path": path, "port": port, **HEALTH_CHECK_TIMING}


@dataclass(frozen=True)
class ServiceMeshArgs:
    config: PlatformConfig
    discovery: ServiceDiscovery
    # Per identity (service name or GATEWAY_NAME), from MeshCertificates.
    certificates: Mapping[str, WorkloadCertificate]


class ServiceMesh(pulumi.ComponentResource):
    mesh_name: pulumi.Output[str]
    # One per Envoy the ECS layer runs: every service version, then the ingress gateway.
    workloads: list[MeshWorkload]
    gateway: MeshWorkload
    # The host name (a SAN of the gateway certificate) TLS clients of the gateway listener must use.
    gateway_hostname: str

    def __init__(self, name: str, args: ServiceMeshArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__("service-mesh-platform:mesh:ServiceMesh", name, None, opts)
        self._name = name
        self._config = config = args.config
        self._discovery = args.discovery
        self._child = pulumi.ResourceOptions(parent=self)

        self.mesh = aws.appmesh.Mesh(f"{name}-mesh", name=config.mesh_name, spec={
            # Only declared backends are reachable; nothing leaves the mesh unless modelled as an external.
            "egress_filter": {"type": "DROP_ALL"},
            "service_discovery": {"ip_preference": config.mesh.ip_preference},
        }, opts=self._child)
        self.mesh_name = self.mesh.name

        # Who may call whom: a service's listener admits exactly its callers (and the gateway if public).
        self._mesh_ports = sorted({s.port for s in config.services})
        self._callers: dict[str, list[str]] = {s.name: [] for s in config.services}
        for caller in config.services:
            for callee in caller.calls:
                self._callers[callee].append(config.virtual_service_name(caller.name))
        for service in config.public_services:
            self._callers[service.name].append(gateway_dns_name(config))

        for external in config.externals:
            self._external(external)

        workloads: list[MeshWorkload] = []
        self.virtual_services: dict[str, aws.appmesh.VirtualService] = {}
        for service in config.services:
            nodes: dict[str, aws.appmesh.VirtualNode] = {}
            for version in service.versions:
                nodes[version.name], workload = self._virtual_node(service, version, args.certificates[service.name])
                workloads.append(workload)
            self.virtual_services[service.name] = self._virtual_service(service, nodes)

        self.gateway_hostname = gateway_dns_name(config)
        self.gateway = self._ingress_gateway(args.certificates[GATEWAY_NAME], self.virtual_services)
        self.workloads = [*workloads, self.gateway]

        self.register_outputs({
            "meshName": self.mesh_name,
            "workloadArns": {w.name: w.resource_arn for w in self.workloads},
        })

    # --- services -------------------------------------------------------------------------------

    def _virtual_node(self, service: ServiceConfig, version: ServiceVersion,
                      certificate: WorkloadCertificate) -> tuple[aws.appmesh.VirtualNode, MeshWorkload]:
        """One version's node, and the workload the compute layer runs behind it."""
        config = self._config
        family = naming.task_family(config.environment, service.name, version.name)
        callees = [config.virtual_service_name(c) for c in service.calls]
        backends = [{"virtual_service": {
            "virtual_service_name": config.virtual_service_name(callee),
            # Per backend, so the SAN we accept is exactly that service's identity.
            "client_policy": {"tls": _client_tls([config.virtual_service_name(callee)],
                                                 [config.service(callee).port])},
        }} for callee in service.calls]
        # An external's traffic is the app's own TLS (HTTPS to the provider) carried as TCP: Envoy must
        # not wrap it in mesh mTLS, so it has no client policy and backendDefaults' ports exclude it.
        backends += [{"virtual_service": {"virtual_service_name": config.external(ext).host}}
                     for ext in service.externals]
        pool, outliers = service.connection_pool, service.outlier_detection
        node = aws.appmesh.VirtualNode(
            f"{self._name}-{naming.mesh_workload(service.name, version.name)}",
            name=naming.mesh_workload(service.name, version.name),
            mesh_name=self.mesh.name,
            spec={
                "listeners": [{
                    "port_mapping": {"port": service.port, "protocol": "http"},
                    "health_check": _health_check(service.health_check_path, service.port),
                    "timeout": {"http": {"idle": _ms(service.timeouts.idle_ms),
                                         "per_request": _ms(service.timeouts.per_request_ms)}},
                    "connection_pool": {"https": [{"max_connections": pool.max_connections,
                                                   "max_pending_requests": pool.max_pending_requests}]},
                    "outlier_detection": {
                        "max_server_errors": outliers.max_server_errors,
                        "interval": _ms(outliers.interval_ms),
                        "base_ejection_duration": _ms(outliers.base_ejection_ms),
                        "max_ejection_percent": outliers.max_ejection_percent,
                    },
                    "tls": _listener_tls(config.mesh.tls.mode, self._callers[service.name]),
                }],
                # All versions register in the service's Cloud Map service; ECS tags each instance with
                # its task family, which tells this version's tasks apart.
                "service_discovery": {"aws_cloud_map": {
                    "namespace_name": self._discovery.namespace_name,
                    "service_name": self._discovery.service_names[service.name],
                    "attributes": {"ECS_TASK_DEFINITION_FAMILY": family},
                }},
                "backends": backends,
                "backend_defaults": {"client_policy": {"tls": _client_tls(callees, self._mesh_ports)}},
                "logging": _access_logging(),
            },
            opts=self._child,
        )
        return node, MeshWorkload(
            name=naming.mesh_workload(service.name, version.name),
            resource_arn=node.arn,
            listener_port=service.port,
            certificate=certificate,
            cloud_map_service_arn=self._discovery.service_arns[service.name],
            service=service.name,
            version=version.name,
            task_family=family,
        )

    def _virtual_service(self, service: ServiceConfig,
                         nodes: Mapping[str, aws.appmesh.VirtualNode]) -> aws.appmesh.VirtualService:
        router = aws.appmesh.VirtualRouter(
            f"{self._name}-{service.name}-router",
            name=f"{service.name}-router",
            mesh_name=self.mesh.name,
            spec={"listeners": [{"port_mapping": {"port": service.port, "protocol": "http"}}]},
            opts=self._child,
        )
        weighted = [{"virtual_node": nodes[v.name].name, "weight": v.weight} for v in service.versions]
        self._route(service, router, "weighted", DEFAULT_ROUTE_PRIORITY, {"prefix": "/"}, weighted)
        for offset, version in enumerate(v for v in service.versions if v.header_match):
            match = {"prefix": "/", "headers": [{"name": version.header_match.name,
                                                 "match": version.header_match.match}]}
            self._route(service, router, f"{version.name}-by-header", HEADER_ROUTE_PRIORITY + offset, match,
                        [{"virtual_node": nodes[version.name].name, "weight": 100}])
        return aws.appmesh.VirtualService(
            f"{self._name}-{service.name}-service",
            name=self._config.virtual_service_name(service.name),
            mesh_name=self.mesh.name,
            spec={"provider": {"virtual_router": {"virtual_router_name": router.name}}},
            opts=self._child,
        )

    def _route(self, service: ServiceConfig, router: aws.appmesh.VirtualRouter, route: str, priority: int,
               match: dict, targets: list[dict]) -> aws.appmesh.Route:
        retry, timeouts = service.retry, service.timeouts
        return aws.appmesh.Route(
            f"{self._name}-{service.name}-{route}",
            name=route,
            mesh_name=self.mesh.name,
            virtual_router_name=router.name,
            spec={"priority": priority, "http_route": {
                "match": match,
                "action": {"weighted_targets": targets},
                "retry_policy": {
                    "max_retries": retry.max_retries,
                    "per_retry_timeout": _ms(retry.per_retry_timeout_ms),
                    "http_retry_events": list(retry.http_events),
                    "tcp_retry_events": list(retry.tcp_events),
                },
                "timeout": {"idle": _ms(timeouts.idle_ms), "per_request": _ms(timeouts.per_request_ms)},
            }},
            opts=self._child,
        )

    # --- externals ------------------------------------------------------------------------------

    def _external(self, external: ExternalConfig) -> aws.appmesh.VirtualService:
        """Under DROP_ALL the only way out: a virtual service named as the host, backed by a node that
        resolves it in DNS. No Envoy runs as this node, so it has no TLS, health check or logging."""
        node = aws.appmesh.VirtualNode(
            f"{self._name}-{naming.external_node_name(external.name)}",
            name=naming.external_node_name(external.name),
            mesh_name=self.mesh.name,
            spec={
                "listeners": [{"port_mapping": {"port": external.port, "protocol": "tcp"}}],
                # A provider's host is itself a load balancer: take one address per lookup.
                "service_discovery": {"dns": {"hostname": external.host, "response_type": "LOADBALANCER",
                                              "ip_preference": self._config.mesh.ip_preference}},
            },
            opts=self._child,
        )
        return aws.appmesh.VirtualService(
            f"{self._name}-{naming.external_node_name(external.name)}-service",
            name=external.host,
            mesh_name=self.mesh.name,
            spec={"provider": {"virtual_node": {"virtual_node_name": node.name}}},
            opts=self._child,
        )

    # --- ingress --------------------------------------------------------------------------------

    def _ingress_gateway(self, certificate: WorkloadCertificate,
                         virtual_services: Mapping[str, aws.appmesh.VirtualService]) -> MeshWorkload:
        config = self._config
        public = config.public_services
        pool = ConnectionPool()
        listener = {
            "port_mapping": {"port": config.mesh.gateway_port, "protocol": "http"},
            "health_check": _health_check("/", config.mesh.gateway_port),
            # A gateway's pool members are singular (a node's are lists).
            "connection_pool": {"http": {"max_connections": pool.max_connections,
                                         "max_pending_requests": pool.max_pending_requests}},
            # mTLS from API Gateway: the NLB passes TCP through, so API Gateway itself completes the
            # handshake with its client certificate, which the gateway's CA bundle trusts (see
            # components/certificates.py). No SAN match: API Gateway's generated certificate has none.
            "tls": _listener_tls(config.mesh.tls.mode, None),
        }
        gateway = aws.appmesh.VirtualGateway(
            f"{self._name}-{GATEWAY_NAME}",
            name=GATEWAY_NAME,
            mesh_name=self.mesh.name,
            spec={
                "listeners": [listener],
                # mTLS into the mesh: the gateway presents its own certificate to every public service.
                "backend_defaults": {"client_policy": {"tls": _client_tls(
                    [config.virtual_service_name(s.name) for s in public], [s.port for s in public])}},
                "logging": _access_logging(),
            },
            opts=self._child,
        )
        for service in public:
            aws.appmesh.GatewayRoute(
                f"{self._name}-{GATEWAY_NAME}-{service.name}",
                name=service.name,
                mesh_name=self.mesh.name,
                virtual_gateway_name=gateway.name,
                spec={"http_route": {
                    "match": {"prefix": service.public_path},
                    "action": {
                        "target": {"virtual_service": {
                            "virtual_service_name": virtual_services[service.name].name}},
                        # App Mesh rewrites the matched prefix to "/" by default; services serve their
                        # routes under their public prefix (/users/...), so keep it.
                        "rewrite": {"prefix": {"default_prefix": "DISABLED"}},
                    },
                    # No retry policy here: retries belong to the routes behind the virtual service.
                }},
                opts=self._child,
            )
        return MeshWorkload(
            name=GATEWAY_NAME,
            resource_arn=gateway.arn,
            listener_port=config.mesh.gateway_port,
            certificate=certificate,
        )
