"""Classic Load Balancers: the availability basics, as for the other load balancers, in the Classic resource's own
terms: in-flight requests drained from a deregistered instance, traffic spread across zones, and more than one
zone."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core import zones
from ..core.props import num
from ..core.registry import resource_policy
from ..core.switches import switch_policy
from . import CLASSIC_LOAD_BALANCER


switch_policy(
    "elb-classic-connection-draining", CLASSIC_LOAD_BALANCER, "connectionDraining",
    "an instance taken out of service drops the requests it is serving; set it true",
    description="Classic Load Balancers must drain connections: a deregistered or unhealthy instance then finishes "
                "the requests it has before the load balancer stops sending to it.",
    severity=Severity.LOW,
    anchors=("Security Hub ELB.7", "Config elb-connection-draining-enabled"),
    remediation="Set connectionDraining to true (the default is false), and connectionDrainingTimeout to how long a "
                "request may take (300 seconds by default).",
    checks="""
    `connectionDraining` is true (pulumi-aws's default is false); an unknown value is not judged""",
)


switch_policy(
    "elb-classic-cross-zone-load-balancing", CLASSIC_LOAD_BALANCER, "crossZoneLoadBalancing",
    "each zone's node sends only to its own zone's instances, so those of a zone with fewer of them take more requests "
    "each; set it true",
    left_out=True,
    description="Classic Load Balancers must balance across zones, so each zone's node spreads requests over every "
                "registered instance, not only those in its own zone.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub ELB.9", "Config elb-cross-zone-load-balancing-enabled"),
    remediation="Set crossZoneLoadBalancing to true, or leave it out (pulumi-aws's default is true).",
    checks="""
    `crossZoneLoadBalancing` is not false (left out, pulumi-aws turns it on); an unknown value is not judged""",
)


@resource_policy(
    "elb-classic-multiple-azs", CLASSIC_LOAD_BALANCER,
    description="Classic Load Balancers must span at least two Availability Zones, so one zone's outage leaves the "
                "load balancer a node to answer in another.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub ELB.10", "Config clb-multiple-az"),
    config=zones.floor_knob("clb-multiple-az"),
)
def multiple_azs(args: ResourceValidationArgs) -> Iterator[str]:
    """`availabilityZones`, or `subnets` (one per zone, in a VPC), name at least `minAvailabilityZones` (2); the
    larger count of the two is taken, as both name the same zones where a program gives both; an unknown item
    counts as another zone, an unknown list is not judged, and none at all (which ELB refuses) is left to AWS"""
    lists = {key: zones.items(args.props, key) for key in ("availabilityZones", "subnets")}
    if None in lists.values():
        return  # a list unknown as a whole may name any zones
    key = max(lists, key=lambda name: zones.span(lists[name]) or 0)
    wanted = zones.short_of(args, zones.span(lists[key]))
    if wanted:
        yield (f"{key} put the load balancer in fewer than {num(wanted)} Availability Zones: an outage of its zone "
               "takes it down; add another zone, or a subnet in one")

