"""A VPC's default security group: adopted, and holding no rules.

EC2 makes one with every VPC and puts on it an ingress rule from its own members and an egress rule to anywhere.
Whatever is given no group of its own lands in it (an ECS task or VPC endpoint created without `securityGroups`, a
Lambda function's `vpcConfig` without them), so an open default group turns a forgotten argument into open network
paths. `aws:ec2/defaultSecurityGroup:DefaultSecurityGroup` adopts it: the provider removes every rule it finds, then
adds the inline ones the program declares (terraform-provider-aws `vpc_default_security_group.go`). Its rule lists
left out pass: the group is still emptied, though a rule added outside the program later is then not drift (empty
lists make it so). `aws:ec2/vpcSecurityGroupRulesExclusive:VpcSecurityGroupRulesExclusive` naming the group empties
it too: it revokes every rule its `ingressRuleIds` and `egressRuleIds` do not list (terraform-provider-aws
`vpc_security_group_rules_exclusive.go`, TestAccVPCSecurityGroupRulesExclusive_empty), so the rules it lists are the
group's.
"""
from __future__ import annotations

from typing import Any, Iterator, Optional

from pulumi_policy import Severity, StackValidationArgs

from ..core.props import UNKNOWN, has_text, peek, peek_items
from ..core.registry import stack_policy
from ..core.stack import of_type, referenced
from . import (DEFAULT_SECURITY_GROUP, EGRESS_RULE, INGRESS_RULE, NATIVE_EGRESS_RULE, NATIVE_INGRESS_RULE,
               RULES_EXCLUSIVE, SECURITY_GROUP_RULE, VPC, VPCS, adopting, default_adopter)
from .rules import default_group, default_group_name, rules, vpc_default_of

_RULE_LISTS = ("ingressRuleIds", "egressRuleIds")
# aws-native's rules too: CloudFormation's `Id` of a SecurityGroupIngress or Egress is the rule's id.
_RULE_RESOURCES = (SECURITY_GROUP_RULE, INGRESS_RULE, EGRESS_RULE, NATIVE_INGRESS_RULE, NATIVE_EGRESS_RULE)


@stack_policy(
    "ec2-vpc-default-security-group-closed",
    (*VPCS, DEFAULT_SECURITY_GROUP, SECURITY_GROUP_RULE, INGRESS_RULE, EGRESS_RULE, NATIVE_INGRESS_RULE,
     NATIVE_EGRESS_RULE, RULES_EXCLUSIVE),
    description="Every VPC's default security group is adopted and holds no rules, so a resource left without a "
                "group of its own gets no network paths.",
    severity=Severity.HIGH,
    anchors=("Security Hub EC2.2", "Config vpc-default-security-group-closed", "CKV2_AWS_12"),
)
def default_group_closed(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """every VPC in the stack (a `Vpc`, or an adopted `DefaultVpc`) has its default group adopted: an
    `aws:ec2/defaultSecurityGroup:DefaultSecurityGroup` whose `vpcId` names it (without `vpcId` the provider looks
    for EC2-Classic's group, not a VPC's), or a `VpcSecurityGroupRulesExclusive` whose `securityGroupId` names its
    `defaultSecurityGroupId`, its `ingressRuleIds` and `egressRuleIds` known (it revokes every rule they do not
    list); and no adopted default group holds a rule, inline (`ingress[]`, `egress[]`) or standalone (a
    `SecurityGroupRule`, `SecurityGroupIngressRule` or `SecurityGroupEgressRule` naming it by `securityGroupId`,
    or aws-native's `SecurityGroupIngress` or `SecurityGroupEgress` by `groupId`,
    or naming a VPC's default group by its `defaultSecurityGroupId`, adopted or not, or listed by such an exclusive
    resource of a default group, which also keeps the rules made elsewhere whose ids it lists). A default group is
    named by its adopter, however a rule names it. An adoption whose `vpcId`, group or rule lists are unknown and
    might close the VPC's group, a rule whose group is unknown, or one on a VPC's default group that such an adoption
    may name (its name waits for the update), is not judged"""
    for vpc in of_type(args.resources, *VPCS):
        if _adopted(args.resources, vpc) is False:
            yield (f"VPC {vpc.name}'s default security group keeps the rules EC2 gives it (its members may reach "
                   "each other, and anything outside); adopt it with an aws.ec2.DefaultSecurityGroup naming the VPC, "
                   "ingress and egress set to empty lists, so a task, endpoint or function left without a group gets "
                   "no network paths"
                   ), vpc.urn
    adopted = {group.urn for group in of_type(args.resources, DEFAULT_SECURITY_GROUP)}
    kept, elsewhere = _kept_rules(args.resources)
    for rule in rules(args.resources):
        if (rule.group is not None and rule.group.urn in adopted) or rule.vpc_default is not None:
            group = rule.group_label  # None while the adopter that names the group waits for the update
        elif rule.group is None and rule.holder.urn in kept and _may_be_in(rule.named_id,
                                                                            *kept[rule.holder.urn][1:]):
            label, exclusive, _ = kept[rule.holder.urn]
            group = f"{label} (VpcSecurityGroupRulesExclusive {exclusive.name} lists the rule)"
        else:
            continue
        if group is None:
            continue
        yield (f"{group} holds an {rule.describe()}; leave the default group without rules and give what needs "
               "network paths a group of its own"), rule.holder.urn
    for exclusive, label, ids in elsewhere:
        yield (f"{label} keeps the rules {', '.join(ids)}, which VpcSecurityGroupRulesExclusive {exclusive.name} "
               "lists; list no rules (both lists empty) and give what needs network paths a group of its own"), \
            exclusive.urn


def _adopted(resources: list, vpc: Any) -> Optional[bool]:
    """Whether a DefaultSecurityGroup adopts the VPC's default group, or a VpcSecurityGroupRulesExclusive whose rule
    lists are known takes its rules; None when one whose reference or lists are unknown might."""
    adopter, maybe = default_adopter(resources, vpc, DEFAULT_SECURITY_GROUP, "vpcId", "id")
    exclusives, unsure = adopting(resources, vpc, (RULES_EXCLUSIVE,), "securityGroupId", "defaultSecurityGroupId")
    if adopter is not None or any(all(peek(e.props, key) is not UNKNOWN for key in _RULE_LISTS) for e in exclusives):
        return True
    return None if maybe or unsure or exclusives else False


def _default_group_of(exclusive: Any, resources: list) -> Optional[tuple[str, bool]]:
    """How a message names the default group a VpcSecurityGroupRulesExclusive manages (a VPC's, by its
    `defaultSecurityGroupId`, or an adopted one: `default_group_name`), and whether EC2 makes its id with a VPC the
    stack creates; None when it manages no default group the stack shows, or its name waits for the update."""
    vpc = vpc_default_of(exclusive, of_type(resources, *VPCS))[0]
    if vpc is not None:
        key, adopter = default_group(vpc, resources)
        # Named by its adopter, which an unknown may hide until the update.
        return (default_group_name(vpc, adopter), vpc.resource_type == VPC) if key is not None else None
    found, _ = referenced(exclusive, "securityGroupId", [peek(exclusive.props, "securityGroupId")],
                          of_type(resources, DEFAULT_SECURITY_GROUP), keys=("id", "arn"), assigned=True)
    return (default_group_name(None, found[0]), False) if found else None


def _kept_rules(resources: list) -> tuple[dict[str, tuple[str, Any]], list[tuple[Any, str, list[str]]]]:
    """What the VpcSecurityGroupRulesExclusive resources of default groups keep: the stack's rule resources they
    list (URN: the group as a message names it, and the exclusive resource), and, per exclusive resource, the known
    ids it lists of rules made outside the stack. An unknown id that no rule resource's reference explains is not
    judged."""
    kept: dict[str, tuple[str, Any]] = {}
    elsewhere = []
    rule_resources = of_type(resources, *_RULE_RESOURCES)
    for exclusive in of_type(resources, RULES_EXCLUSIVE):
        group = _default_group_of(exclusive, resources)
        if group is None:
            continue
        label, new = group
        outside = []
        for key in _RULE_LISTS:
            ids = peek_items(exclusive.props, key)
            # A rule id is made up by EC2 when the rule is made: a literal cannot name one of the stack's.
            found, _ = referenced(exclusive, key, ids, rule_resources, keys=("id", "securityGroupRuleId"),
                                  assigned=True, many=True)
            kept.update({rule.urn: (label, exclusive, new) for rule in found})
            theirs = {peek(r.props, k) for r in found for k in ("id", "securityGroupRuleId")}
            outside += [i for i in ids if has_text(i) and i not in theirs]
        if outside:
            elsewhere.append((exclusive, label, outside))
    return kept, elsewhere


def _may_be_in(rule_group: Optional[str], exclusive: Any, new: bool) -> bool:
    """Whether a listed rule that names a group made outside the stack (its id, or None when unknown) may be in the
    exclusive resource's group: not when both ids are known and differ, nor when the group is the default one of a
    VPC the stack creates, whose id EC2 makes then (no literal names it)."""
    if rule_group is None:
        return True
    group_id = peek(exclusive.props, "securityGroupId")
    return not new and (not has_text(group_id) or rule_group == group_id)
