"""Route 53 Resolver DNS Firewall: names outside the approved list do not resolve from the VPC: a rule group is
associated with it, blocks every name it does not allow, and a query it cannot evaluate is not let through."""
from __future__ import annotations

from typing import Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity, StackValidationArgs

from ..core.props import UNKNOWN, dig, number, peek, peek_items
from ..core.registry import config_value, resource_policy, stack_policy
from ..core.stack import of_type, referenced, referring, refers_to
from ..ec2 import VPCS
from . import FIREWALL_ASSOCIATION, FIREWALL_CONFIG, FIREWALL_DOMAIN_LIST, FIREWALL_RULE, FIREWALL_RULE_GROUP


# A domain list entry that matches every name (DNS Firewall stores domains with the trailing dot).
_EVERY_NAME = ("*", "*.")


@stack_policy(
    "route53-vpc-dns-firewall", VPCS,
    description="Where the policy config requires it, each VPC has a DNS Firewall rule group associated that blocks "
                "the names it does not allow.",
    severity=Severity.MEDIUM,
    anchors=(), anchor_note="Security Hub Route53.2 covers public hosted zones' query logging, not DNS Firewall",
    config={"required": {"type": "boolean", "default": False,
                         "description": "Whether this environment's VPCs must filter DNS with DNS Firewall."}},
)
def dns_firewall(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """with knob `required`: every VPC in the stack has a `ResolverFirewallRuleGroupAssociation`, and where its rule
    groups, rules and domain lists are in the stack, the first rule (by association, then rule priority) on a list
    of every name (`*`) blocks every query type (no `qType`): a group without such a rule, or one that allows `*`
    first, lets every name resolve. A DNS Firewall Advanced rule (`dnsThreatProtection`, no domain list) matches only
    the queries its threat detection flags, so it is never that rule"""
    if not config_value(args, "required"):
        return
    for vpc in of_type(args.resources, *VPCS):
        found, maybe = referring(args.resources, (FIREWALL_ASSOCIATION,), "vpcId", vpc, keys=("id", "arn"))
        if not found and not maybe:
            yield (f"VPC {vpc.name} has no DNS Firewall rule group association; any name resolves, so tasks can "
                   "find hosts nobody approved"), vpc.urn
        elif found and not maybe:
            first = _first_catch_all(args.resources, found)
            if first is not None and first != "BLOCK":
                rule = "no rule blocks every name" if first == "" else f"its first rule on every name (*) is {first}"
                yield (f"VPC {vpc.name}: the DNS Firewall rule groups associated with it let every name resolve: "
                       f"{rule}; add a BLOCK rule on a domain list of * after the ALLOW rules"), vpc.urn


def _first_catch_all(resources: list, associations: list) -> Optional[str]:
    """The action of the first rule on a list of every name, by association priority then rule priority; "" when
    there is none; None when that cannot be told (a group, rule, list or priority not in the stack or unknown)."""
    groups, firewall_rules, lists = (of_type(resources, kind) for kind in (FIREWALL_RULE_GROUP, FIREWALL_RULE,
                                                                           FIREWALL_DOMAIN_LIST))
    ranked = []
    for association in associations:
        group_found, group_maybe = referenced(association, "firewallRuleGroupId",
                                              [peek(association.props, "firewallRuleGroupId")], groups,
                                              keys=("id", "arn"), assigned=True)
        if group_maybe or not group_found:
            return None  # a group another program owns (AWS's managed ones, a shared one)
        for rule in firewall_rules:
            in_group = refers_to(rule, "firewallRuleGroupId", [peek(rule.props, "firewallRuleGroupId")],
                                 group_found[0], keys=("id",), assigned=True)
            if in_group is None:
                return None
            # A DNS Firewall Advanced rule (dnsThreatProtection, no domain list) matches only the queries its threat
            # detection flags (DGA, tunnelling), never every name: the rules after it still decide the rest.
            if not in_group or peek(rule.props, "firewallDomainListId") is None:
                continue
            domain_lists, list_maybe = referenced(rule, "firewallDomainListId",
                                                  [peek(rule.props, "firewallDomainListId")], lists,
                                                  keys=("id", "arn"), assigned=True)
            if list_maybe or not domain_lists:
                return None
            domains = peek_items(domain_lists[0].props, "domains")
            action, query_type = peek(rule.props, "action"), peek(rule.props, "qType")
            # As numbers ("200" is no text to sort: "1000" < "200"); a missing one leaves the order open.
            order = (number(peek(association.props, "priority")), number(peek(rule.props, "priority")))
            if UNKNOWN in domains or UNKNOWN in order or None in order or UNKNOWN in (action, query_type):
                return None
            # A BLOCK limited to one query type (qType A) lets the others (AAAA, TXT: tunnelling) go on down the
            # rules; an ALLOW of any type is a hole all the same.
            blocks_some_types = action == "BLOCK" and query_type is not None
            if any(d in _EVERY_NAME for d in domains) and not blocks_some_types:
                ranked.append((order, str(action)))
    return min(ranked)[1] if ranked else ""


@resource_policy(
    "route53-resolver-firewall-fail-closed", FIREWALL_CONFIG,
    description="A VPC's DNS Firewall must fail closed: a query it cannot evaluate gets no answer rather than an "
                "unfiltered one.",
    severity=Severity.MEDIUM,
    anchors=(), anchor_note="no Security Hub control or Config managed rule reads FirewallFailOpen",
)
def fail_closed(args: ResourceValidationArgs) -> Iterator[str]:
    """`firewallFailOpen` is not ENABLED. AWS's default is closed: Resolver answers SERVFAIL to a query DNS Firewall
    does not answer (Route 53 guide, "DNS Firewall VPC configuration"; botocore UpdateFirewallConfig); ENABLED lets it
    through, so while DNS Firewall is impaired any name resolves. Left out, it passes: closed on a VPC never set,
    but the provider (Optional and Computed: terraform-provider-aws `firewall_config.go`) sends nothing then, so a
    VPC once set ENABLED stays open until a program writes DISABLED. The VPC (`resourceId`) is not read"""
    if dig(args.props, "firewallFailOpen") == "ENABLED":
        yield ("firewallFailOpen is ENABLED: a query DNS Firewall cannot evaluate is answered unfiltered, so while it "
               "fails any name resolves; set DISABLED (AWS's default)")
