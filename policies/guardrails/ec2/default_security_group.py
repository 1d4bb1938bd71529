"""A VPC's default security group: adopted, and holding no rules.

EC2 makes one with every VPC and puts on it an ingress rule from its own members and an egress rule to anywhere.
Whatever is given no group of its own lands in it (an ECS task or VPC endpoint created without `securityGroups`, a
Lambda function's `vpcConfig` without them), so an open default group turns a forgotten argument into open network
paths. `aws:ec2/defaultSecurityGroup:DefaultSecurityGroup` adopts it: the provider removes every rule it finds, then
adds the inline ones the program declares (terraform-provider-aws `vpc_default_security_group.go`). Its rule lists
left out pass: the group is still emptied, though a rule added outside the program later is then not drift (empty
lists make it so).
"""
from __future__ import annotations

from typing import Any, Iterator, Optional

from pulumi_policy import Severity, StackValidationArgs

from ..core.registry import stack_policy
from ..core.stack import of_type, referring
from . import DEFAULT_SECURITY_GROUP, EGRESS_RULE, INGRESS_RULE, SECURITY_GROUP_RULE, VPC, VPCS
from .rules import rules


@stack_policy(
    "ec2-vpc-default-security-group-closed",
    (*VPCS, DEFAULT_SECURITY_GROUP, SECURITY_GROUP_RULE, INGRESS_RULE, EGRESS_RULE),
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
    naming it by `securityGroupId`, or naming a VPC's default group by its `defaultSecurityGroupId`, adopted or
    not). An adoption whose `vpcId` is unknown and might name the VPC, or a rule whose group is unknown, is not
    judged"""
    for vpc in of_type(args.resources, *VPCS):
        if _adopted(args.resources, vpc) is False:
            yield (f"VPC {vpc.name}'s default security group keeps the rules EC2 gives it (its members may reach "
                   "each other, and anything outside); adopt it with an aws.ec2.DefaultSecurityGroup naming the VPC, "
                   "ingress and egress set to empty lists, so a task, endpoint or function left without a group gets "
                   "no network paths"
                   ), vpc.urn
    adopted = {group.urn for group in of_type(args.resources, DEFAULT_SECURITY_GROUP)}
    for rule in rules(args.resources):
        if rule.group is not None and rule.group.urn in adopted:
            group = f"default security group {rule.group.name}"
        elif rule.vpc_default is not None:
            group = f"VPC {rule.vpc_default.name}'s default security group (its defaultSecurityGroupId)"
        else:
            continue
        yield (f"{group} holds an {rule.describe()}; leave the default group without rules and give what needs "
               "network paths a group of its own"), rule.holder.urn


def _adopted(resources: list, vpc: Any) -> Optional[bool]:
    """Whether a DefaultSecurityGroup adopts the VPC's default group; None when one with an unknown `vpcId` might."""
    # A new VPC's id is made up by EC2 at creation: a literal vpc-… in the program cannot name it.
    found, maybe = referring(resources, (DEFAULT_SECURITY_GROUP,), "vpcId", vpc, keys=("id",),
                             assigned=vpc.resource_type == VPC)
    return True if found else None if maybe else False
