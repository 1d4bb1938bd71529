"""Route 53 Resolver DNS Firewall: names outside the approved list do not resolve from the VPC."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import Severity, StackValidationArgs

from ..core.props import peek
from ..core.registry import config_value, stack_policy
from ..core.stack import covering, of_type, refers_to
from ..ec2 import VPCS
from . import FIREWALL_ASSOCIATION


@stack_policy(
    "route53-vpc-dns-firewall", VPCS,
    description="Where the policy config requires it, each VPC has a DNS Firewall rule group associated.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub Route53.2",), anchor_note="Route53.2 asks for query logging; no rule checks DNS Firewall",
    config={"required": {"type": "boolean", "default": False,
                         "description": "Whether this environment's VPCs must filter DNS with DNS Firewall."}},
)
def dns_firewall(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """with knob `required`: every VPC in the stack has a `ResolverFirewallRuleGroupAssociation`"""
    if not config_value(args, "required", False):
        return
    associations = of_type(args.resources, FIREWALL_ASSOCIATION)
    for vpc in of_type(args.resources, *VPCS):
        found, maybe = covering(associations, vpc, lambda a, v: refers_to(a, "vpcId", [peek(a.props, "vpcId")], v,
                                                                            keys=("id", "arn")))
        if not found and not maybe:
            yield (f"VPC {vpc.name} has no DNS Firewall rule group association; any name resolves, so tasks can "
                   "find hosts nobody approved"), vpc.urn
