"""App Mesh virtual nodes: mTLS on listeners and backends, access logs, health, egress hosts.

An egress node (DNS discovery of a host outside the internal domains, and not a private address) runs no Envoy: the
caller's Envoy connects straight to the host, so the listener TLS, access-log, health-check and outlier rules skip it
and the mandatory external-hostname rule governs it instead.

A hostname that is a private address is read as a mesh node's, whatever host answers there: an on-premises server
reached over Direct Connect or a VPN at 10.0.3.15 runs no Envoy either, yet is held to the listener rules. No knob
lists address ranges (`internalDomains` and `allowedExternalHostnames` take DNS names): give such a host a name
outside `internalDomains` (a record in a private hosted zone) and approve it in `allowedExternalHostnames`, and its
node is egress; or lower those rules' level for the stack.
"""
from __future__ import annotations

import functools
import ipaddress
from typing import Any, Callable, Iterable, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity, StackValidationArgs

from ..core.addresses import holds_public
from ..core.props import UNKNOWN, as_list, dig, glob_match, has_text, in_domain, is_map, peek
from ..core.registry import ADVISORY, config_list, resource_policy, stack_policy, string_list
from ..core.stack import of_type, referenced
from . import IP_PREFERENCE_CONFIG, MESH, VIRTUAL_NODE
from .spec import (
    access_log_problems,
    client_tls_problems,
    listener_health_check_problems,
    listener_tls_problems,
    listeners,
)

# DNS suffixes that stay inside the VPC (Cloud Map private namespaces, split-horizon zones): not egress. Every policy
# that tells an egress node from a mesh node takes the knob, so a team's private zone (`corp`) is read alike by all.
INTERNAL_DOMAINS = {"internalDomains": string_list(
    "DNS domains of hosts inside the network (a private hosted zone, `corp`): a virtual node that discovers a host "
    "in one by DNS is a mesh node, held to the listener rules, not an egress node.", default=["local", "internal"])}


def _internal_address(hostname: str) -> bool:
    """Whether the hostname is an IP address no internet host has (private, shared, loopback, link-local: outside
    the blocks `holds_public` counts), which Envoy resolves to itself: a host inside the network."""
    try:
        address = ipaddress.ip_address(hostname.strip())
    except ValueError:
        return False
    return not holds_public(ipaddress.ip_network(address))


def _egress_hostname(args: ResourceValidationArgs) -> Optional[str]:
    """The external host of an egress node, or None."""
    if args.resource_type != VIRTUAL_NODE:
        return None
    hostname = dig(args.props, "spec", "serviceDiscovery", "dns", "hostname")
    if not has_text(hostname) or in_domain(hostname, config_list(args, "internalDomains")) or \
            _internal_address(hostname):
        return None
    return hostname


def unless_egress(check: Callable[[ResourceValidationArgs], Iterable[str]]):
    @functools.wraps(check)
    def checked(args: ResourceValidationArgs) -> Iterable[str]:
        problems = list(check(args))
        # The hostname only matters to a node with problems: unknown until the update (a load balancer's DNS name),
        # reading it first would stop the check on a node that complies either way.
        hostname = _egress_hostname(args) if problems else None
        if hostname:
            args.not_applicable(f"egress node for external host {hostname}")
        return problems

    return checked


@resource_policy(
    "appmesh-virtualnode-listener-tls-strict", VIRTUAL_NODE,
    description="Every virtual node listener must require mutual TLS: tls.mode STRICT, a certificate and validation.trust.",
    severity=Severity.CRITICAL, anchor_note="no rule set checks STRICT with client validation",
    config=INTERNAL_DOMAINS,
)
@unless_egress
def listener_tls_strict(args: ResourceValidationArgs) -> Iterator[str]:
    """every listener: `tls.mode = STRICT`, a certificate, and `validation.trust` (client certificates required);
    messages name `listener[i] (protocol:port)`"""
    for label, listener in listeners(args.props):
        yield from listener_tls_problems(dig(listener, "tls"), label)


def _backend_name(backend: object, index: int) -> str:
    name = dig(backend, "virtualService", "virtualServiceName")
    return f"backend '{name}'" if name else f"backends[{index}]"


@resource_policy(
    "appmesh-virtualnode-backend-defaults-client-tls", VIRTUAL_NODE,
    description="Virtual node backend defaults must enforce client TLS with a client certificate and validation.trust.",
    severity=Severity.CRITICAL,
    anchors=("Config appmesh-virtual-node-backend-defaults-tls-on",), anchor_note="enforce only",
)
def backend_defaults_client_tls(args: ResourceValidationArgs) -> Iterator[str]:
    """`backendDefaults.clientPolicy.tls`: `enforce` not false, a client certificate (file/sds), `validation.trust`;
    required when any backend has no override. Its `ports` are not read (a backend's port is its provider's, which
    another resource holds): a port left out sends plain text, which a STRICT listener on the backend refuses"""
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


@resource_policy(
    "appmesh-virtualnode-backend-client-tls", VIRTUAL_NODE,
    description="Every virtual node backend that overrides the client policy must still enforce mutual TLS.",
    severity=Severity.CRITICAL,
    anchors=("Config appmesh-virtual-node-service-backends-tls-enforced",), anchor_note="enforce only",
    config={"exemptBackends": string_list(
        "Virtual service names (or *.wildcards) whose TLS the app originates itself, e.g. an external API "
        "reached as TCP 443.")},
)
def backend_client_tls(args: ResourceValidationArgs) -> Iterator[str]:
    """each backend that overrides the client policy: the same three checks, message names the backend (knob
    `exemptBackends`)"""
    exempt = config_list(args, "exemptBackends")
    for i, backend in enumerate(as_list(dig(args.props, "spec", "backends"))):
        override = dig(backend, "virtualService", "clientPolicy")
        name = dig(backend, "virtualService", "virtualServiceName")
        if override is not None and not (has_text(name) and glob_match(name, exempt)):
            yield from client_tls_problems(override, _backend_name(backend, i))


@resource_policy(
    "appmesh-virtualnode-access-log", VIRTUAL_NODE,
    description="Virtual nodes must write Envoy access logs to a file path.",
    severity=Severity.MEDIUM,
    anchors=("Config appmesh-virtual-node-logging-file-path-exists",),
    config=INTERNAL_DOMAINS,
)
@unless_egress
def access_log(args: ResourceValidationArgs) -> Iterator[str]:
    """`spec.logging.accessLog.file.path` is set"""
    yield from access_log_problems(args.props)


@resource_policy(
    "appmesh-virtualnode-listener-health-check", VIRTUAL_NODE,
    description="Every virtual node listener must have a health check.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Config appmesh-virtual-node-listeners-health-check-enabled",),
    config=INTERNAL_DOMAINS,
)
@unless_egress
def listener_health_check(args: ResourceValidationArgs) -> Iterator[str]:
    """every listener has a `healthCheck`"""
    yield from listener_health_check_problems(args.props)


@resource_policy(
    "appmesh-virtualnode-listener-outlier-detection", VIRTUAL_NODE,
    description="Every virtual node listener must eject failing hosts with outlier detection.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Config appmesh-virtual-node-listeners-outlier-detect-enabled",),
    config=INTERNAL_DOMAINS,
)
@unless_egress
def listener_outlier_detection(args: ResourceValidationArgs) -> Iterator[str]:
    """every listener has `outlierDetection`"""
    for label, listener in listeners(args.props):
        if not is_map(dig(listener, "outlierDetection")):
            yield f"{label} has no outlierDetection, so failing hosts are never ejected"


def _mesh_of(node: Any, meshes: list) -> tuple[Optional[Any], bool]:
    """The stack's mesh a node is in (by `meshName` in the node's region, and `meshOwner` when the node names one), and
    whether it may be another (a value unknown until the update). By name only: a mesh's id is its name, which names
    a mesh of each region."""
    found, maybe = referenced(node, "meshName", [peek(node.props, "meshName")], meshes, keys=("name",),
                              regional=True)
    owner = peek(node.props, "meshOwner")
    if owner is UNKNOWN:
        return None, True
    if owner is not None:  # a mesh another account shares is not the stack's mesh of that name
        owners = [peek(mesh.props, "meshOwner") for mesh in found]
        # A mesh's owner is an output (its account): unknown until the update, or not read, it may be the node's.
        maybe = maybe or any(mesh_owner is None or mesh_owner is UNKNOWN for mesh_owner in owners)
        found = [mesh for mesh, mesh_owner in zip(found, owners) if mesh_owner == owner]
    return (found[0] if len(found) == 1 else None), maybe or len(found) > 1


def _inherited_preference_problem(node: Any, meshes: list, allowed: list) -> Optional[str]:
    """Why a node that sets no `ipPreference` does not get an allowed one from its mesh, or None."""
    mesh, maybe = _mesh_of(node, meshes)
    if maybe:
        return None
    fix = f"set one of {', '.join(allowed)} here, or on the mesh's spec.serviceDiscovery.ipPreference"
    if mesh is None:
        return f"spec.serviceDiscovery.dns sets no ipPreference and its mesh is not in the stack; {fix}."
    preference = peek(mesh.props, "spec", "serviceDiscovery", "ipPreference")
    if preference is UNKNOWN or preference in allowed:
        return None
    meshes_own = f"sets {preference}" if preference is not None else "sets none"
    return f"spec.serviceDiscovery.dns sets no ipPreference and its mesh {mesh.name} {meshes_own}; {fix}."


@stack_policy(
    "appmesh-virtualnode-ip-preference", VIRTUAL_NODE,
    description="Virtual nodes with DNS service discovery must use an allowed IP preference, their own or their "
                "mesh's.",
    severity=Severity.LOW, level=ADVISORY, config=IP_PREFERENCE_CONFIG,
    anchors=("Config appmesh-virtual-node-dns-ip-pref-check",),
    anchor_note="which asks it of the node alone",
)
def ip_preference(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """DNS service discovery uses an allowed IP preference (knob `allowedIpPreferences`): the node's `ipPreference`,
    or where it sets none that of its mesh in the stack (by `meshName`, in the node's region), which a node's only
    overrides (App Mesh's DnsServiceDiscovery); values and links unknown until the update are not judged"""
    allowed = config_list(args, "allowedIpPreferences")
    meshes = of_type(args.resources, MESH)
    for node in of_type(args.resources, VIRTUAL_NODE):
        dns = peek(node.props, "spec", "serviceDiscovery", "dns")
        preference = peek(dns, "ipPreference") if is_map(dns) else UNKNOWN
        if preference is None:
            problem = _inherited_preference_problem(node, meshes, allowed)
        elif preference is not UNKNOWN and preference not in allowed:
            problem = f"spec.serviceDiscovery.dns.ipPreference is {preference}; allowed: {', '.join(allowed)}."
        else:
            problem = None
        if problem:
            yield problem, node.urn


@resource_policy(
    "appmesh-virtualnode-external-hostname-allowed", VIRTUAL_NODE,
    description="Virtual nodes that discover an external host by DNS (mesh egress) must name an approved hostname.",
    severity=Severity.HIGH,
    config={"allowedExternalHostnames": string_list(
        "External hostnames the mesh may reach (exact, or wildcards like *.example.com)."), **INTERNAL_DOMAINS},
)
def external_hostname_allowed(args: ResourceValidationArgs) -> Iterator[str]:
    """an egress node (DNS discovery of a host outside the internal domains, knob `internalDomains`: `.local` and
    `.internal` by default, and not an IP address outside the internet's, such as 10.0.3.15) names an approved host
    (knob `allowedExternalHostnames`)"""
    hostname = _egress_hostname(args)
    if not hostname or glob_match(hostname, config_list(args, "allowedExternalHostnames")):
        return
    # A resource policy cannot see the stack's Cloud Map namespaces or private zones: the knob is how to name them.
    domains = ", ".join(config_list(args, "internalDomains")) or "none"
    yield (f"spec.serviceDiscovery.dns.hostname {hostname} is an external host that is not in "
           "allowedExternalHostnames; egress to it must be approved. If it is inside the network (a Cloud Map private "
           f"namespace, a private hosted zone), add its domain to internalDomains (now: {domains}) in the config of "
           "each appmesh-virtualnode policy that takes it")
