"""Cloud Map services: ECS-reported health and DNS records clients can use."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity, StackValidationArgs

from ..core.props import as_list, dig, is_present, num, number
from ..core.registry import ADVISORY, config_value, resource_policy, stack_policy
from ..core.stack import of_type, prop
from . import DISCOVERY_SERVICE, PUBLIC_NAMESPACE, in_a_public_dns_namespace, namespace_of


@stack_policy(
    "cloudmap-service-custom-health-check", DISCOVERY_SERVICE,
    description="Cloud Map services outside public namespaces must use healthCheckCustomConfig, not healthCheckConfig.",
    severity=Severity.MEDIUM,
)
def custom_health_check(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """outside public namespaces: `healthCheckCustomConfig`, and no `healthCheckConfig` (a service whose namespace is
    not in the stack, with `dnsConfig` and `healthCheckConfig`, which AWS takes only in public DNS and HTTP
    namespaces, is in a public DNS one)"""
    for service in of_type(args.resources, DISCOVERY_SERVICE):
        namespace = namespace_of(service)
        if namespace is not None and namespace.resource_type == PUBLIC_NAMESPACE:
            continue  # Route 53 health checks are the public-namespace kind
        if namespace is None and in_a_public_dns_namespace(service.props):
            continue
        if prop(service, "healthCheckConfig") is not None:
            yield (f"Cloud Map service {service.name} uses healthCheckConfig (Route 53 checks of public endpoints); "
                   "use healthCheckCustomConfig so ECS reports task health"), service.urn
        elif not is_present(service.props, "healthCheckCustomConfig"):
            yield (f"Cloud Map service {service.name} has no healthCheckCustomConfig, so unhealthy tasks stay "
                   "discoverable"), service.urn


@resource_policy(
    "cloudmap-service-dns-records", DISCOVERY_SERVICE,
    description="Cloud Map DNS records must use MULTIVALUE routing and a short TTL.",
    severity=Severity.LOW, level=ADVISORY,
    config={"maxTtlSeconds": {"type": "integer", "minimum": 0, "default": 60,
                              "description": "Longest acceptable TTL."}},
)
def dns_records(args: ResourceValidationArgs) -> Iterator[str]:
    """`dnsConfig` uses MULTIVALUE routing and TTLs ≤ `maxTtlSeconds` (60), except in a public namespace (a service
    with DNS records and `healthCheckConfig`, which AWS takes only in public DNS and HTTP namespaces): its records
    serve the internet, not the mesh"""
    dns = args.props.get("dnsConfig")
    if dns is None:
        args.not_applicable("no dnsConfig (HTTP namespace)")
    if in_a_public_dns_namespace(args.props):
        args.not_applicable("healthCheckConfig: a public namespace's service, whose records serve the internet")
    max_ttl = config_value(args, "maxTtlSeconds")
    routing = dig(dns, "routingPolicy")
    if routing not in (None, "MULTIVALUE"):
        yield f"dnsConfig.routingPolicy is {routing}; use MULTIVALUE so clients see every healthy task"
    for i, record in enumerate(as_list(dig(dns, "dnsRecords"))):
        given = dig(record, "ttl")
        if given is None:
            continue
        label = f"dnsConfig.dnsRecords[{i}] ({dig(record, 'type')}) ttl"
        ttl = number(given)  # a config string ("300") is judged as its number, not compared as text
        if ttl is None:
            yield f"{label} is {given!r}, not a number of seconds"
        elif ttl > max_ttl:
            yield f"{label} is {num(ttl)}s; at most {num(max_ttl)}s"
