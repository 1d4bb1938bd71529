"""Cloud Map guardrails: discovery stays in private namespaces with ECS-driven health.

A Cloud Map service names its namespace by ID (`namespaceId` or `dnsConfig.namespaceId`), unknown during a
first preview, so services are tied to namespaces through dependency links.
"""
from __future__ import annotations

from typing import Any, Optional

from ..core.props import peek
from ..core.stack import linked

PUBLIC_NAMESPACE = "aws:servicediscovery/publicDnsNamespace:PublicDnsNamespace"
PRIVATE_NAMESPACE = "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace"
HTTP_NAMESPACE = "aws:servicediscovery/httpNamespace:HttpNamespace"
NAMESPACES = (PUBLIC_NAMESPACE, PRIVATE_NAMESPACE, HTTP_NAMESPACE)
DISCOVERY_SERVICE = "aws:servicediscovery/service:Service"


def namespace_of(service: Any) -> Optional[Any]:
    """The namespace resource a Cloud Map service lives in, when the stack shows it: the one it is linked to; of
    several (an id picked among their outputs), the one whose id its namespace ids name, None while they are
    unknown."""
    by_id = [d for key in ("namespaceId", "dnsConfig") for d in service.property_dependencies.get(key, [])]
    found = list({r.urn: r for r in by_id or linked(service) if r.resource_type in NAMESPACES}.values())
    if len(found) <= 1:
        return found[0] if found else None
    ids = [v for v in (peek(service.props, "namespaceId"), peek(service.props, "dnsConfig", "namespaceId")) if v]
    named = [n for n in found if ids and all(isinstance(v, str) and v == peek(n.props, "id") for v in ids)]
    return named[0] if len(named) == 1 else None


def in_a_public_dns_namespace(props: Any) -> bool:
    """Whether a service's own settings say its namespace is a public DNS one, wherever that is declared: DNS records
    (no HTTP namespace has them) with Route 53 health checks (`healthCheckConfig`, which AWS takes only in public DNS
    and HTTP namespaces)."""
    return peek(props, "healthCheckConfig") is not None and peek(props, "dnsConfig") is not None
