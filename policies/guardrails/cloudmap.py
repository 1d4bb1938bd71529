"""Cloud Map guardrails: mesh discovery stays in private namespaces with ECS-driven health.

A Cloud Map service names its namespace by ID (`namespaceId` or `dnsConfig.namespaceId`), unknown
during a first preview, so services are tied to namespaces through dependency links, and virtual
nodes through `spec.serviceDiscovery.awsCloudMap.namespaceName` (or links) as well.
"""
from __future__ import annotations

from typing import Any, Iterator, Optional

from pulumi_policy import EnforcementLevel, PolicyConfigSchema, ResourceValidationArgs, Severity, StackValidationArgs

from ._props import (
    as_list,
    config_value,
    dig,
    is_present,
    linked,
    links_to,
    num,
    of_type,
    prop,
    resource_policy,
    same_value,
    stack_policy,
)
from .appmesh import VIRTUAL_NODE
from .ecs import SERVICE as ECS_SERVICE

PUBLIC_NAMESPACE = "aws:servicediscovery/publicDnsNamespace:PublicDnsNamespace"
PRIVATE_NAMESPACE = "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace"
HTTP_NAMESPACE = "aws:servicediscovery/httpNamespace:HttpNamespace"
NAMESPACES = (PUBLIC_NAMESPACE, PRIVATE_NAMESPACE, HTTP_NAMESPACE)
DISCOVERY_SERVICE = "aws:servicediscovery/service:Service"


def _namespace_of(service: Any) -> Optional[Any]:
    """The namespace resource a Cloud Map service lives in, when the stack shows it."""
    return next((r for r in linked(service) if r.resource_type in NAMESPACES), None)


def _in_namespace(service: Any, namespace: Any) -> bool:
    found = _namespace_of(service)
    return found is not None and found.urn == namespace.urn


def _node_uses_namespace(node: Any, namespace: Any) -> bool:
    if links_to(node, namespace):
        return True
    name = prop(node, "spec", "serviceDiscovery", "awsCloudMap", "namespaceName")
    return same_value(name, prop(namespace, "name"))


def _mesh_discovery_users(namespace: Any, resources: list) -> list[str]:
    """Names of the virtual nodes and ECS services that discover or register through `namespace`."""
    users = [n.name for n in of_type(resources, VIRTUAL_NODE) if _node_uses_namespace(n, namespace)]
    services = [s for s in of_type(resources, DISCOVERY_SERVICE) if _in_namespace(s, namespace)]
    users += [e.name for e in of_type(resources, ECS_SERVICE) if any(links_to(e, s) for s in services)]
    return users


def _no_public_mesh_namespace(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    for namespace in of_type(args.resources, PUBLIC_NAMESPACE):
        users = _mesh_discovery_users(namespace, args.resources)
        if users:
            yield (f"public DNS namespace {prop(namespace, 'name') or namespace.name} is used for mesh discovery "
                   f"by {', '.join(sorted(users))}; use a private DNS namespace bound to the VPC"), namespace.urn


def _custom_health_checks(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    for service in of_type(args.resources, DISCOVERY_SERVICE):
        namespace = _namespace_of(service)
        if namespace is not None and namespace.resource_type == PUBLIC_NAMESPACE:
            continue  # Route 53 health checks are the public-namespace kind
        if prop(service, "healthCheckConfig") is not None:
            yield (f"Cloud Map service {service.name} uses healthCheckConfig (Route 53 checks, public namespaces "
                   "only); use healthCheckCustomConfig so ECS reports task health"), service.urn
        elif not is_present(service.props, "healthCheckCustomConfig"):
            yield (f"Cloud Map service {service.name} has no healthCheckCustomConfig, so unhealthy tasks stay "
                   "discoverable"), service.urn


def _dns_records(args: ResourceValidationArgs) -> Iterator[str]:
    dns = args.props.get("dnsConfig")
    if dns is None:
        args.not_applicable("no dnsConfig (HTTP namespace)")
    max_ttl = config_value(args, "maxTtlSeconds", 60)
    routing = dig(dns, "routingPolicy")
    if routing not in (None, "MULTIVALUE"):
        yield f"dnsConfig.routingPolicy is {routing}; use MULTIVALUE so clients see every healthy task"
    for i, record in enumerate(as_list(dig(dns, "dnsRecords"))):
        ttl = dig(record, "ttl")
        if ttl is not None and ttl > max_ttl:
            yield f"dnsConfig.dnsRecords[{i}] ({dig(record, 'type')}) ttl is {num(ttl)}s; at most {num(max_ttl)}s"


cloudmap_namespace_private_for_mesh = stack_policy(
    "cloudmap-namespace-private-for-mesh",
    "Mesh service discovery must not use a public DNS namespace.",
    PUBLIC_NAMESPACE, _no_public_mesh_namespace, severity=Severity.HIGH)

cloudmap_service_custom_health_check = stack_policy(
    "cloudmap-service-custom-health-check",
    "Cloud Map services outside public namespaces must use healthCheckCustomConfig, not healthCheckConfig.",
    DISCOVERY_SERVICE, _custom_health_checks, severity=Severity.MEDIUM)

cloudmap_service_dns_records = resource_policy(
    "cloudmap-service-dns-records",
    "Cloud Map DNS records must use MULTIVALUE routing and a short TTL.",
    DISCOVERY_SERVICE, _dns_records, severity=Severity.LOW, enforcement_level=EnforcementLevel.ADVISORY,
    config_schema=PolicyConfigSchema(properties={
        "maxTtlSeconds": {"type": "integer", "minimum": 0, "default": 60, "description": "Longest acceptable TTL."},
    }))

POLICIES = [
    cloudmap_namespace_private_for_mesh,
    cloudmap_service_custom_health_check,
    cloudmap_service_dns_records,
]
