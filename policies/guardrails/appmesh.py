"""App Mesh guardrails: DROP_ALL egress, real mTLS, access logs, resilience and discovery settings.

Wire names (pulumi-aws 7): `spec.listeners[]`, `spec.backends[].virtualService`,
`spec.backendDefaults.clientPolicy.tls`, `spec.logging.accessLog.file.path`; virtual node listener
TLS validation trust is `file`/`sds` only, client policy trust also allows `acm`.
"""
from __future__ import annotations

from typing import Callable, Iterable, Iterator, Optional

from pulumi_policy import EnforcementLevel, PolicyConfigSchema, ResourceValidationArgs, Severity

from ._props import (
    as_list,
    client_tls_problems,
    config_list,
    config_value,
    dig,
    glob_match,
    has_access_log_path,
    has_text,
    in_domain,
    is_map,
    listener_label,
    listener_tls_problems,
    num,
    resource_policy,
    string_list_schema,
)

MESH = "aws:appmesh/mesh:Mesh"
VIRTUAL_NODE = "aws:appmesh/virtualNode:VirtualNode"
VIRTUAL_GATEWAY = "aws:appmesh/virtualGateway:VirtualGateway"
ROUTE = "aws:appmesh/route:Route"

IP_PREFERENCES = ["IPv4_ONLY", "IPv4_PREFERRED", "IPv6_ONLY", "IPv6_PREFERRED"]
DEFAULT_IP_PREFERENCES = ["IPv4_ONLY", "IPv4_PREFERRED"]
# DNS suffixes that stay inside the VPC (Cloud Map private namespaces, split-horizon zones): not egress.
DEFAULT_INTERNAL_DOMAINS = ["local", "internal"]


def _egress_hostname(args: ResourceValidationArgs) -> Optional[str]:
    """The external host of an egress node: DNS discovery of a name outside the internal domains.

    No Envoy runs such a node (the caller's Envoy connects straight to the host), so the listener TLS,
    access-log, health-check and outlier rules do not apply to it; the mandatory
    appmesh-virtualnode-external-hostname-allowed rule governs it instead.
    """
    if args.resource_type != VIRTUAL_NODE:
        return None
    hostname = dig(args.props, "spec", "serviceDiscovery", "dns", "hostname")
    if not has_text(hostname) or in_domain(hostname, DEFAULT_INTERNAL_DOMAINS):
        return None
    return hostname


def _unless_egress(check: Callable[[ResourceValidationArgs], Iterable[str]]):
    def checked(args: ResourceValidationArgs) -> Iterable[str]:
        hostname = _egress_hostname(args)
        if hostname:
            args.not_applicable(f"egress node for external host {hostname}")
        return check(args)

    return checked


def _listeners(args: ResourceValidationArgs) -> Iterator[tuple[str, object]]:
    for i, listener in enumerate(as_list(dig(args.props, "spec", "listeners"))):
        yield listener_label(listener, i), listener


# --- mesh ------------------------------------------------------------------------------------------


def _mesh_egress_drop_all(args: ResourceValidationArgs) -> Iterator[str]:
    egress = dig(args.props, "spec", "egressFilter", "type")
    if egress is None:
        # App Mesh defaults to DROP_ALL, but an unstated default is one console edit away from ALLOW_ALL.
        yield "The mesh sets no spec.egressFilter.type; set it to DROP_ALL explicitly."
    elif egress != "DROP_ALL":
        yield f"spec.egressFilter.type is {egress}; it must be DROP_ALL so only declared backends are reachable."


def _mesh_ip_preference(args: ResourceValidationArgs) -> Iterator[str]:
    allowed = config_list(args, "allowedIpPreferences", DEFAULT_IP_PREFERENCES)
    preference = dig(args.props, "spec", "serviceDiscovery", "ipPreference")
    if preference is None:
        yield f"The mesh sets no spec.serviceDiscovery.ipPreference; set one of {', '.join(allowed)}."
    elif preference not in allowed:
        yield f"spec.serviceDiscovery.ipPreference is {preference}; allowed: {', '.join(allowed)}."


# --- virtual nodes -----------------------------------------------------------------------------------


def _listener_tls(args: ResourceValidationArgs) -> Iterator[str]:
    for label, listener in _listeners(args):
        yield from listener_tls_problems(dig(listener, "tls"), label)


def _backend_name(backend: object, index: int) -> str:
    name = dig(backend, "virtualService", "virtualServiceName")
    return f"backend '{name}'" if name else f"backends[{index}]"


def _node_backend_defaults_client_tls(args: ResourceValidationArgs) -> Iterator[str]:
    spec = dig(args.props, "spec")
    defaults = dig(spec, "backendDefaults", "clientPolicy")
    if defaults is not None:
        yield from client_tls_problems(defaults, "backendDefaults")
        return
    relying = [
        _backend_name(b, i)
        for i, b in enumerate(as_list(dig(spec, "backends")))
        if dig(b, "virtualService", "clientPolicy") is None
    ]
    if relying:
        yield (f"{', '.join(relying)} set no client policy and the node has no backendDefaults.clientPolicy.tls; "
               "add backendDefaults.clientPolicy.tls with enforce = true, a certificate and validation.trust")


def _node_backend_client_tls(args: ResourceValidationArgs) -> Iterator[str]:
    exempt = config_list(args, "exemptBackends", [])
    for i, backend in enumerate(as_list(dig(args.props, "spec", "backends"))):
        override = dig(backend, "virtualService", "clientPolicy")
        name = dig(backend, "virtualService", "virtualServiceName")
        if override is not None and not (has_text(name) and glob_match(name, exempt)):
            yield from client_tls_problems(override, _backend_name(backend, i))


def _access_log(args: ResourceValidationArgs) -> Iterator[str]:
    if not has_access_log_path(dig(args.props, "spec")):
        yield "spec.logging.accessLog.file.path is not set; Envoy access logs are needed for audit and debugging."


def _listener_health_check(args: ResourceValidationArgs) -> Iterator[str]:
    for label, listener in _listeners(args):
        if not is_map(dig(listener, "healthCheck")):
            yield f"{label} has no healthCheck"


def _node_outlier_detection(args: ResourceValidationArgs) -> Iterator[str]:
    for label, listener in _listeners(args):
        if not is_map(dig(listener, "outlierDetection")):
            yield f"{label} has no outlierDetection, so failing hosts are never ejected"


def _node_ip_preference(args: ResourceValidationArgs) -> Iterator[str]:
    dns = dig(args.props, "spec", "serviceDiscovery", "dns")
    if not is_map(dns):
        return
    allowed = config_list(args, "allowedIpPreferences", DEFAULT_IP_PREFERENCES)
    preference = dns.get("ipPreference")
    if preference is None:
        yield f"spec.serviceDiscovery.dns sets no ipPreference; set one of {', '.join(allowed)}."
    elif preference not in allowed:
        yield f"spec.serviceDiscovery.dns.ipPreference is {preference}; allowed: {', '.join(allowed)}."


def _node_external_hostname(args: ResourceValidationArgs) -> Iterator[str]:
    hostname = _egress_hostname(args)
    if not hostname or glob_match(hostname, config_list(args, "allowedExternalHostnames", [])):
        return
    yield (f"spec.serviceDiscovery.dns.hostname {hostname} is an external host that is not in "
           "allowedExternalHostnames; egress to it must be approved")


# --- routes ---------------------------------------------------------------------------------------

_RETRYABLE_ROUTES = {
    "httpRoute": ("httpRetryEvents", "tcpRetryEvents"),
    "http2Route": ("httpRetryEvents", "tcpRetryEvents"),
    "grpcRoute": ("grpcRetryEvents", "httpRetryEvents", "tcpRetryEvents"),
}


def _route_retry_policy(args: ResourceValidationArgs) -> Iterator[str]:
    minimum = config_value(args, "minMaxRetries", 2)
    for kind, event_keys in _RETRYABLE_ROUTES.items():
        route = dig(args.props, "spec", kind)
        if route is None:
            continue
        retry = dig(route, "retryPolicy")
        if not is_map(retry):
            yield f"spec.{kind} has no retryPolicy"
            continue
        retries = retry.get("maxRetries")
        if retries is None or retries < minimum:
            yield f"spec.{kind}.retryPolicy.maxRetries is {num(retries)}; it must be at least {num(minimum)}"
        if not any(as_list(retry.get(key)) for key in event_keys):
            yield f"spec.{kind}.retryPolicy lists no retry events ({', '.join(event_keys)})"


# --- policies -------------------------------------------------------------------------------------

_IP_PREFERENCE_SCHEMA = PolicyConfigSchema(properties={
    "allowedIpPreferences": {
        "type": "array",
        "items": {"type": "string", "enum": IP_PREFERENCES},
        "description": "IP preferences Envoy may use.",
        "default": DEFAULT_IP_PREFERENCES,
    },
})

appmesh_mesh_egress_drop_all = resource_policy(
    "appmesh-mesh-egress-drop-all",
    "App Mesh meshes must drop egress to anything that is not a declared virtual service (DROP_ALL).",
    MESH, _mesh_egress_drop_all, severity=Severity.CRITICAL,
    remediation_steps="Set spec.egressFilter.type = DROP_ALL and reach external hosts through a virtual node backend.",
)

appmesh_mesh_ip_preference = resource_policy(
    "appmesh-mesh-ip-preference",
    "App Mesh meshes must state an allowed IP preference for Envoy service discovery.",
    MESH, _mesh_ip_preference, severity=Severity.LOW, enforcement_level=EnforcementLevel.ADVISORY,
    config_schema=_IP_PREFERENCE_SCHEMA,
)

appmesh_virtualnode_listener_tls_strict = resource_policy(
    "appmesh-virtualnode-listener-tls-strict",
    "Every virtual node listener must require mutual TLS: tls.mode STRICT, a certificate and validation.trust.",
    VIRTUAL_NODE, _unless_egress(_listener_tls), severity=Severity.CRITICAL,
)

appmesh_virtualnode_backend_defaults_client_tls = resource_policy(
    "appmesh-virtualnode-backend-defaults-client-tls",
    "Virtual node backend defaults must enforce client TLS with a client certificate and validation.trust.",
    VIRTUAL_NODE, _node_backend_defaults_client_tls, severity=Severity.CRITICAL,
)

appmesh_virtualnode_backend_client_tls = resource_policy(
    "appmesh-virtualnode-backend-client-tls",
    "Every virtual node backend that overrides the client policy must still enforce mutual TLS.",
    VIRTUAL_NODE, _node_backend_client_tls, severity=Severity.CRITICAL,
    config_schema=PolicyConfigSchema(properties={
        "exemptBackends": string_list_schema(
            "Virtual service names (or *.wildcards) whose TLS the app originates itself, e.g. an external API "
            "reached as TCP 443.", []),
    }),
)

appmesh_virtualgateway_listener_tls_strict = resource_policy(
    "appmesh-virtualgateway-listener-tls-strict",
    "Every virtual gateway listener must require mutual TLS: tls.mode STRICT, a certificate and validation.trust.",
    VIRTUAL_GATEWAY, _listener_tls, severity=Severity.CRITICAL,
)

appmesh_virtualgateway_backend_defaults_client_tls = resource_policy(
    "appmesh-virtualgateway-backend-defaults-client-tls",
    "Virtual gateway backend defaults must enforce client TLS with a client certificate and validation.trust.",
    VIRTUAL_GATEWAY,
    lambda args: client_tls_problems(dig(args.props, "spec", "backendDefaults", "clientPolicy"), "backendDefaults"),
    severity=Severity.CRITICAL,
)

appmesh_virtualnode_access_log = resource_policy(
    "appmesh-virtualnode-access-log",
    "Virtual nodes must write Envoy access logs to a file path.",
    VIRTUAL_NODE, _unless_egress(_access_log), severity=Severity.MEDIUM,
)

appmesh_virtualgateway_access_log = resource_policy(
    "appmesh-virtualgateway-access-log",
    "Virtual gateways must write Envoy access logs to a file path.",
    VIRTUAL_GATEWAY, _access_log, severity=Severity.MEDIUM,
)

appmesh_virtualnode_listener_health_check = resource_policy(
    "appmesh-virtualnode-listener-health-check",
    "Every virtual node listener must have a health check.",
    VIRTUAL_NODE, _unless_egress(_listener_health_check),
    severity=Severity.MEDIUM, enforcement_level=EnforcementLevel.ADVISORY,
)

appmesh_virtualgateway_listener_health_check = resource_policy(
    "appmesh-virtualgateway-listener-health-check",
    "Every virtual gateway listener must have a health check.",
    VIRTUAL_GATEWAY, _listener_health_check, severity=Severity.MEDIUM, enforcement_level=EnforcementLevel.ADVISORY,
)

appmesh_virtualnode_listener_outlier_detection = resource_policy(
    "appmesh-virtualnode-listener-outlier-detection",
    "Every virtual node listener must eject failing hosts with outlier detection.",
    VIRTUAL_NODE, _unless_egress(_node_outlier_detection),
    severity=Severity.MEDIUM, enforcement_level=EnforcementLevel.ADVISORY,
)

appmesh_virtualnode_ip_preference = resource_policy(
    "appmesh-virtualnode-ip-preference",
    "Virtual nodes with DNS service discovery must state an allowed IP preference.",
    VIRTUAL_NODE, _node_ip_preference, severity=Severity.LOW, enforcement_level=EnforcementLevel.ADVISORY,
    config_schema=_IP_PREFERENCE_SCHEMA,
)

appmesh_virtualnode_external_hostname_allowed = resource_policy(
    "appmesh-virtualnode-external-hostname-allowed",
    "Virtual nodes that discover an external host by DNS (mesh egress) must name an approved hostname.",
    VIRTUAL_NODE, _node_external_hostname, severity=Severity.HIGH,
    config_schema=PolicyConfigSchema(properties={
        "allowedExternalHostnames": string_list_schema(
            "External hostnames the mesh may reach (exact, or wildcards like *.example.com).", []),
    }),
)

appmesh_route_retry_policy = resource_policy(
    "appmesh-route-retry-policy",
    "HTTP, HTTP/2 and gRPC routes must retry transient failures (retryPolicy with retry events).",
    ROUTE, _route_retry_policy, severity=Severity.MEDIUM, enforcement_level=EnforcementLevel.ADVISORY,
    config_schema=PolicyConfigSchema(properties={
        "minMaxRetries": {"type": "integer", "minimum": 1, "default": 2,
                          "description": "The smallest acceptable retryPolicy.maxRetries."},
    }),
)

POLICIES = [
    appmesh_mesh_egress_drop_all,
    appmesh_mesh_ip_preference,
    appmesh_virtualnode_listener_tls_strict,
    appmesh_virtualnode_backend_defaults_client_tls,
    appmesh_virtualnode_backend_client_tls,
    appmesh_virtualgateway_listener_tls_strict,
    appmesh_virtualgateway_backend_defaults_client_tls,
    appmesh_virtualnode_access_log,
    appmesh_virtualgateway_access_log,
    appmesh_virtualnode_listener_health_check,
    appmesh_virtualgateway_listener_health_check,
    appmesh_virtualnode_listener_outlier_detection,
    appmesh_virtualnode_ip_preference,
    appmesh_virtualnode_external_hostname_allowed,
    appmesh_route_retry_policy,
]
