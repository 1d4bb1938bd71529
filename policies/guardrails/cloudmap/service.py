"""Cloud Map services: ECS-reported health and DNS records clients can use."""
from __future__ import annotations

from typing import Any, Iterator, Optional

from pulumi_policy import Severity, StackValidationArgs

from ..core.props import UNKNOWN, dig, is_map, is_present, num, number, peek, peek_items, unless_unknown
from ..core.registry import ADVISORY, config_value, stack_policy
from ..core.stack import of_type, prop, refers_to
from . import DISCOVERY_SERVICE, INSTANCE, PUBLIC_NAMESPACE, in_a_public_dns_namespace, namespace_of


@stack_policy(
    "cloudmap-service-custom-health-check", DISCOVERY_SERVICE,
    description="Cloud Map services outside public namespaces must use healthCheckCustomConfig, not healthCheckConfig.",
    severity=Severity.MEDIUM,
)
def custom_health_check(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """outside public namespaces: `healthCheckCustomConfig`, and no `healthCheckConfig` (a service whose namespace is
    not in the stack, with `dnsConfig` and `healthCheckConfig`, which AWS takes only in public DNS and HTTP
    namespaces, is in a public DNS one; one whose namespace id is unknown until the update and names no namespace in
    the stack may be, and is not judged)"""
    for service in of_type(args.resources, DISCOVERY_SERVICE):
        if _may_be_public(service):
            continue  # Route 53 health checks are the public-namespace kind
        if prop(service, "healthCheckConfig") is not None:
            yield (f"Cloud Map service {service.name} uses healthCheckConfig (Route 53 checks of public endpoints); "
                   "use healthCheckCustomConfig so ECS reports task health"), service.urn
        elif not is_present(service.props, "healthCheckCustomConfig"):
            yield (f"Cloud Map service {service.name} has no healthCheckCustomConfig, so unhealthy tasks stay "
                   "discoverable"), service.urn


def _may_be_public(service: Any) -> bool:
    """Whether a service is, or may be, in a public DNS namespace: one the stack shows, else one named by an id
    unknown until the update (which may be any namespace), else, for a namespace made outside the stack, one its own
    settings say is public (`in_a_public_dns_namespace`)."""
    namespace = namespace_of(service)
    if namespace is not None:
        return namespace.resource_type == PUBLIC_NAMESPACE
    if UNKNOWN in (peek(service.props, "dnsConfig", "namespaceId"), peek(service.props, "namespaceId")):
        return True
    return in_a_public_dns_namespace(service.props)


def _ttl_problem(label: str, record: Any, max_ttl: Any) -> Optional[str]:
    """What is wrong with one DNS record's TTL, or None; reading an unknown value raises (`unless_unknown`)."""
    given = dig(record, "ttl")
    if given is None:
        return None
    label = f"{label} ({dig(record, 'type')}) ttl"
    ttl = number(given)  # a config string ("300") is judged as its number, not compared as text
    if ttl is None:
        return f"{label} is {given!r}, not a number of seconds"
    return f"{label} is {num(ttl)}s; at most {num(max_ttl)}s" if ttl > max_ttl else None


@stack_policy(
    "cloudmap-service-dns-records", DISCOVERY_SERVICE,
    description="Cloud Map DNS records must use MULTIVALUE routing and a short TTL.",
    severity=Severity.LOW, level=ADVISORY,
    config={"maxTtlSeconds": {"type": "integer", "minimum": 0, "default": 60,
                              "description": "Longest acceptable TTL."}},
)
def dns_records(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """`dnsConfig` uses MULTIVALUE routing and TTLs ≤ `maxTtlSeconds` (60), except in a public DNS namespace, whose
    records serve the internet, not the mesh: one in the stack, or, for a namespace not in it, one the service's
    `healthCheckConfig` shows (Route 53 health checks, which AWS takes with DNS records only there); a namespace id
    unknown until the update that names no namespace in the stack may be a public one, and leaves the service
    unjudged. Routing is not judged where AWS requires WEIGHTED: a CNAME record, or an instance in the stack that
    registers (or may register) an alias record (`AWS_ALIAS_DNS_NAME`); unknown values are not judged"""
    max_ttl = config_value(args, "maxTtlSeconds")
    for service in of_type(args.resources, DISCOVERY_SERVICE):
        dns = peek(service.props, "dnsConfig")
        if not is_map(dns):
            continue  # no DNS records (an HTTP namespace), or none known yet
        if _may_be_public(service):
            continue  # a public namespace's records answer the internet, not the mesh
        routing = peek(dns, "routingPolicy")
        if routing not in (None, UNKNOWN, "MULTIVALUE") and not _weighted_only(args.resources, service, dns):
            yield f"dnsConfig.routingPolicy is {routing}; use MULTIVALUE so clients see every healthy task", service.urn
        for i, record in enumerate(peek_items(dns, "dnsRecords")):
            problem = unless_unknown(_ttl_problem, f"dnsConfig.dnsRecords[{i}]", record, max_ttl)
            if problem is not None:
                yield problem, service.urn


def _weighted_only(resources: Any, service: Any, dns: Any) -> bool:
    """Whether AWS takes only WEIGHTED routing for the service (botocore servicediscovery): a CNAME record
    (`DnsRecord.Type`: "You must specify WEIGHTED"), or an instance registering an alias record to a load balancer
    (RegisterInstance's `AWS_ALIAS_DNS_NAME`: "the value of RoutingPolicy must be WEIGHTED"); an instance whose
    attributes are unknown may register one, and one that may name the service counts."""
    if any(peek(record, "type") in ("CNAME", UNKNOWN) for record in peek_items(dns, "dnsRecords")):
        return True
    return any(refers_to(i, "serviceId", [peek(i.props, "serviceId")], service, ("id",),
                         assigned=True) is not False
               and _may_register_alias(i) for i in of_type(resources, INSTANCE))


def _may_register_alias(instance: Any) -> bool:
    """Whether a Cloud Map instance's attributes give, or may give once known, an alias target."""
    attributes = peek(instance.props, "attributes")
    return attributes is UNKNOWN or is_present(attributes, "AWS_ALIAS_DNS_NAME")
