"""A VPC's default security group: adopted, and holding no rules.

EC2 makes one with every VPC and puts on it an ingress rule from its own members and an egress rule to anywhere.
Whatever is given no group of its own lands in it (an ECS task or VPC endpoint created without `securityGroups`, a
Lambda function's `vpcConfig` without them), so an open default group turns a forgotten argument into open network
paths. `aws:ec2/defaultSecurityGroup:DefaultSecurityGroup` adopts it: the provider removes every rule it finds, then
adds the inline ones the program declares (terraform-provider-aws `vpc_default_security_group.go`).
"""
from __future__ import annotations

from typing import Any, Iterator, Optional

from pulumi_policy import Severity, StackValidationArgs

from ..core.props import peek
from ..core.registry import stack_policy
from ..core.stack import may_refer, of_type, refers_to
from . import DEFAULT_SECURITY_GROUP, VPC, VPCS
from .rules import rules


@stack_policy(
    "ec2-vpc-default-security-group-closed", (*VPCS, DEFAULT_SECURITY_GROUP),
    description="Every VPC's default security group is adopted and holds no rules, so a resource left without a "
                "group of its own gets no network paths.",
    severity=Severity.HIGH,
    anchors=("Security Hub EC2.2", "Config vpc-default-security-group-closed", "CKV2_AWS_12"),
)
def default_group_closed(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """every VPC in the stack (a `Vpc`, or an adopted `DefaultVpc`) has its default group adopted: an
    `aws:ec2/defaultSecurityGroup:DefaultSecurityGroup` whose `vpcId` names it (without `vpcId` the provider looks
    for EC2-Classic's group, not a VPC's); and no adopted default group holds a rule, inline (`ingress[]`,
    `egress[]`) or standalone (a `SecurityGroupRule`, `SecurityGroupIngressRule` or `SecurityGroupEgressRule`
    naming it by `securityGroupId`). An adoption whose `vpcId` is unknown and might name the VPC, or a rule whose
    group is unknown, is not judged"""
    for vpc in of_type(args.resources, *VPCS):
        if _adopted(args.resources, vpc) is False:
            yield (f"VPC {vpc.name}'s default security group keeps the rules EC2 gives it (its members may reach "
                   "each other, and anything outside); adopt it with an aws.ec2.DefaultSecurityGroup naming the VPC, "
                   "ingress and egress set to empty lists, so a task, endpoint or function left without a group gets "
                   "no network paths"
                   ), vpc.urn
    adopted = of_type(args.resources, DEFAULT_SECURITY_GROUP)
    if not adopted:
        return
    adopted_urns = {group.urn for group in adopted}
    for rule in rules(args.resources):
        if rule.group is None or rule.group.urn not in adopted_urns:
            continue
        yield (f"default security group {rule.group.name} holds an {rule.describe()}; leave the default group "
               "without rules and give what needs network paths a group of its own"), rule.holder.urn


def _adopted(resources: list, vpc: Any) -> Optional[bool]:
    """Whether a DefaultSecurityGroup adopts the VPC's default group; None when one with an unknown `vpcId` might."""
    # A new VPC's id is made up by EC2 at creation: a literal vpc-… in the program cannot name it.
    assigned = vpc.resource_type == VPC
    open_ = False
    for group in may_refer(resources, (DEFAULT_SECURITY_GROUP,), "vpcId", vpc, keys=("id",)):
        names_it = refers_to(group, "vpcId", [peek(group.props, "vpcId")], vpc, keys=("id",), assigned=assigned)
        if names_it:
            return True
        open_ = open_ or names_it is None
    return None if open_ else False
