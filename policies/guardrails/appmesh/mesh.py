"""App Mesh meshes."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import dig
from ..core.registry import ADVISORY, config_list, resource_policy
from . import IP_PREFERENCE_CONFIG, MESH


@resource_policy(
    "appmesh-mesh-egress-drop-all", MESH,
    description="App Mesh meshes must drop egress to anything that is not a declared virtual service (DROP_ALL).",
    severity=Severity.CRITICAL,
    anchors=("Config appmesh-mesh-deny-tcp-forwarding",), anchor_note="it flags ALLOW_ALL only",
    remediation="Set spec.egressFilter.type = DROP_ALL and reach external hosts through a virtual node backend.",
)
def egress_drop_all(args: ResourceValidationArgs) -> Iterator[str]:
    """`spec.egressFilter.type` is `DROP_ALL`; a mesh with no spec or no filter is a violation too"""
    egress = dig(args.props, "spec", "egressFilter", "type")
    if egress is None:
        # App Mesh defaults to DROP_ALL, but an unstated default is one console edit away from ALLOW_ALL.
        yield "The mesh sets no spec.egressFilter.type; set it to DROP_ALL explicitly."
    elif egress != "DROP_ALL":
        yield f"spec.egressFilter.type is {egress}; it must be DROP_ALL so only declared backends are reachable."


@resource_policy(
    "appmesh-mesh-ip-preference", MESH,
    description="App Mesh meshes must state an allowed IP preference for Envoy service discovery.",
    severity=Severity.LOW, level=ADVISORY, config=IP_PREFERENCE_CONFIG,
    anchors=("Config appmesh-mesh-ip-pref-check",),
)
def ip_preference(args: ResourceValidationArgs) -> Iterator[str]:
    """`spec.serviceDiscovery.ipPreference` is set and allowed (knob `allowedIpPreferences`, default
    IPv4_ONLY/IPv4_PREFERRED)"""
    allowed = config_list(args, "allowedIpPreferences")
    preference = dig(args.props, "spec", "serviceDiscovery", "ipPreference")
    if preference is None:
        yield f"The mesh sets no spec.serviceDiscovery.ipPreference; set one of {', '.join(allowed)}."
    elif preference not in allowed:
        yield f"spec.serviceDiscovery.ipPreference is {preference}; allowed: {', '.join(allowed)}."
