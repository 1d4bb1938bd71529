"""Network Firewall firewalls: a firewall on the egress path has an endpoint in more than one zone, and is neither
deleted nor moved off its subnets by mistake."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core import zones
from ..core.props import is_set, num, switched_off
from ..core.registry import resource_policy
from ..core.switches import switch_policy
from . import FIREWALL


switch_policy(
    "networkfirewall-firewall-deletion-protection", FIREWALL, "deleteProtection",
    "a destroy or a replacement deletes the firewall, and the traffic it filtered leaves unfiltered or not at all; set "
    "it true",
    description="Network Firewall firewalls must have delete protection on: DeleteFirewall then fails until it is "
                "turned off, so neither a destroy nor a replacement takes the egress filter away by mistake.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub NetworkFirewall.9", "Config netfw-deletion-protection-enabled"),
    remediation="Set deleteProtection to true; to delete the firewall on purpose, set it false in one update first.",
    checks="""
    `deleteProtection` is true (left out, the firewall is made without it: pulumi-aws documents false, and
    terraform-provider-aws's acceptance test reads false back); an unknown value is not judged""",
)


@resource_policy(
    "networkfirewall-firewall-subnet-change-protection", FIREWALL,
    description="Network Firewall firewalls must have subnet change protection on, so their endpoints are not moved "
                "or removed from the subnets the route tables send traffic through by mistake.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub NetworkFirewall.10", "Config netfw-subnet-change-protection-enabled"),
    anchor_note="a transit gateway-attached firewall, which has no subnets, is asked for "
                "availabilityZoneChangeProtection instead",
    remediation="Set subnetChangeProtection (on a transit gateway-attached firewall, "
                "availabilityZoneChangeProtection) to true; to change the subnets on purpose, set it false in one "
                "update first.",
)
def subnet_change_protection(args: ResourceValidationArgs) -> Iterator[str]:
    """`subnetChangeProtection` is true (left out, pulumi-aws documents false); a transit gateway-attached firewall
    (`transitGatewayId`) has Availability Zone mappings instead of subnets and is asked for
    `availabilityZoneChangeProtection`, its counterpart; an unknown value is not judged"""
    attached = is_set(args.props, "transitGatewayId")  # set, even unknown: the firewall is attached
    key = "availabilityZoneChangeProtection" if attached else "subnetChangeProtection"
    reads = switched_off(args.props, key)
    if reads is not None:
        where = "its Availability Zones" if attached else "its subnets"
        yield (f"{key} is {reads}: one update can move the firewall's endpoints off {where}, where the route "
               "tables send traffic through it; set it true")


@resource_policy(
    "networkfirewall-firewall-multiple-azs", FIREWALL,
    description="Network Firewall firewalls must have endpoints in at least two Availability Zones, so one zone's "
                "outage leaves the traffic routed through the others filtered.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub NetworkFirewall.1", "Config netfw-multi-az-enabled"),
    config=zones.floor_knob("netfw-multi-az-enabled", "availabilityZones"),
)
def multiple_azs(args: ResourceValidationArgs) -> Iterator[str]:
    """`subnetMappings` name at least `minAvailabilityZones` (2) different subnets (each must be in a zone of its
    own); a transit gateway-attached firewall's `availabilityZoneMappings` name that many zones; an unknown item
    counts as another zone, an unknown list is not judged, and none at all (which AWS refuses) is left to AWS"""
    attached = is_set(args.props, "transitGatewayId")
    key, item = ("availabilityZoneMappings", "availabilityZoneId") if attached else ("subnetMappings", "subnetId")
    wanted = zones.short_of(args, zones.span(zones.items(args.props, key, item)))
    if wanted:
        yield (f"{key} give the firewall endpoints in fewer than {num(wanted)} Availability Zones: an outage of its "
               "zone leaves the traffic routed through it unfiltered or dropped; add one in another zone")
