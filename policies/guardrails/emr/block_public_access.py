"""A region's block public access for EMR clusters, an account setting a stack may make.

botocore's emr model: BlockPublicAccessConfiguration's `BlockPublicSecurityGroupRules` (required): when true, EMR
"prevents cluster creation if one of the cluster's security groups has a rule that allows inbound traffic from
0.0.0.0/0 or ::/0 on a port, unless the port is specified as an exception using
PermittedPublicSecurityGroupRuleRanges" (PortRange: `MinRange` required, `MaxRange`; port 22 is the default
exception). Security Hub EMR.2 (Config emr-block-public-access) fails an account whose setting is off, or that
permits any port other than 22. pulumi-aws 7's `aws.emr.BlockPublicAccessConfiguration` takes
`blockPublicSecurityGroupRules` (required) and `permittedPublicSecurityGroupRuleRanges[]` (`minRange`, `maxRange`,
both required by terraform-provider-aws), sent as written to PutBlockPublicAccessConfiguration. A stack that sets
neither is not judged: the setting is the account's, on by default for accounts that made no cluster in the region
before November 2019, and made by any stack or the console."""
from __future__ import annotations

from typing import Any, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, is_false, is_map, is_true, num, number, peek, peek_items
from ..core.registry import resource_policy
from . import BLOCK_PUBLIC_ACCESS

SSH = 22


def _ports(entry: Any) -> Optional[str]:
    """A permitted range as a message names it (`80`, `8000-8999`), or None where it permits port 22 alone or is not
    known (an unknown or non-numeric bound is not judged)."""
    if not is_map(entry):
        return None
    low, high = number(peek(entry, "minRange")), peek(entry, "maxRange")
    high = low if high is None else number(high)  # one port where the API's optional MaxRange is left out
    if any(bound is None or bound is UNKNOWN for bound in (low, high)):
        return None
    if low == high == SSH:
        return None
    return f"{num(low)}" if low == high else f"{num(low)}-{num(high)}"


@resource_policy(
    "emr-block-public-access-on", BLOCK_PUBLIC_ACCESS,
    description="A region's EMR block public access, where a stack sets it, must stay on with no exception but port "
                "22: EMR then refuses to launch a cluster in a public subnet whose security groups let the whole "
                "internet in.",
    severity=Severity.CRITICAL,
    anchors=("Security Hub EMR.2", "Config emr-block-public-access"),
)
def block_public_access_on(args: ResourceValidationArgs) -> Iterator[str]:
    """`blockPublicSecurityGroupRules` is not false, and `permittedPublicSecurityGroupRuleRanges` permit no port but
    22 (`minRange`..`maxRange`); unknown values are not judged"""
    rules = peek(args.props, "blockPublicSecurityGroupRules")
    if is_false(rules):
        yield ("blockPublicSecurityGroupRules is false: block public access for the account's EMR clusters in the "
               "region is off, so a cluster launches in a public subnet even when its security groups let "
               "0.0.0.0/0 or ::/0 in on any port; set it true")
    elif is_true(rules):
        ports = [p for p in map(_ports, peek_items(args.props, "permittedPublicSecurityGroupRuleRanges")) if p]
        if ports:
            yield (f"permittedPublicSecurityGroupRuleRanges permits {', '.join(ports)}: EMR launches clusters whose "
                   "security groups let 0.0.0.0/0 or ::/0 in on those ports; permit port 22 alone (or none), and "
                   "reach other ports through the VPC, a VPN or a load balancer")
