"""Cloud Map guardrails: discovery stays in private namespaces with ECS-driven health.

A Cloud Map service names its namespace by ID (`namespaceId` or `dnsConfig.namespaceId`), unknown during a
first preview, so services are tied to namespaces through dependency links.
"""
from __future__ import annotations

from typing import Any, Optional

from ..core.props import peek
from ..core.stack import linked, referenced

PUBLIC_NAMESPACE = "aws:servicediscovery/publicDnsNamespace:PublicDnsNamespace"
PRIVATE_NAMESPACE = "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace"
HTTP_NAMESPACE = "aws:servicediscovery/httpNamespace:HttpNamespace"
NAMESPACES = (PUBLIC_NAMESPACE, PRIVATE_NAMESPACE, HTTP_NAMESPACE)
DISCOVERY_SERVICE = "aws:servicediscovery/service:Service"
INSTANCE = "aws:servicediscovery/instance:Instance"


def namespace_of(service: Any) -> Optional[Any]:
    """The namespace resource a Cloud Map service lives in, when the stack shows it: the one it is linked to; of
    several (an id picked among their outputs), the one its namespace id names (`referenced`), None while unknown."""
    candidates = list({r.urn: r for r in linked(service) if r.resource_type in NAMESPACES}.values())
    for key, value in (("namespaceId", peek(service.props, "namespaceId")),
                       ("dnsConfig", peek(service.props, "dnsConfig", "namespaceId"))):
        if service.property_dependencies.get(key) or value:
            found, _ = referenced(service, key, [value], candidates, keys=("id",))
            return found[0] if len(found) == 1 else None
    return candidates[0] if len(candidates) == 1 else None


def in_a_public_dns_namespace(props: Any) -> bool:
    """Whether a service's own settings say its namespace is a public DNS one, wherever that is declared: DNS records
    (no HTTP namespace has them) with Route 53 health checks (`healthCheckConfig`, which AWS takes only in public DNS
    and HTTP namespaces)."""
    return peek(props, "healthCheckConfig") is not None and peek(props, "dnsConfig") is not None
