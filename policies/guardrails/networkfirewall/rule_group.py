"""Network Firewall stateful rule groups with a domain list (`ruleGroup.rulesSource.rulesSourceList`)."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, as_list, dig, glob_match, is_map, peek_items
from ..core.registry import config_list, resource_policy, string_list
from . import RULE_GROUP


def _approved(target: str, allowed: list[str]) -> bool:
    """Whether an allowed entry covers every name the target matches. As Network Firewall reads a domain list,
    `.example.com` is example.com and every name under it, so it approves those and a target `.sub.example.com`;
    `*.example.com` (a glob) approves the names it matches, not a target's own `.` wildcard."""
    target = target.lower()
    for entry in (a.lower() for a in allowed):
        if target == entry or (entry.startswith(".") and (target == entry[1:] or target.endswith(entry))):
            return True
    return not target.startswith(".") and glob_match(target, allowed)


@resource_policy(
    "networkfirewall-domain-allowlist", RULE_GROUP,
    description="Network Firewall domain lists must be allow-lists of domains the policy config approves.",
    severity=Severity.HIGH,
    config={"allowedDomains": string_list("Domains egress may reach (exact, .example.com for every subdomain, or "
                                          "*.example.com); the external hosts services declare.")},
)
def domain_allowlist(args: ResourceValidationArgs) -> Iterator[str]:
    """a stateful domain list (`rulesSourceList`) has `generatedRulesType` ALLOWLIST, inspects HTTPS (`targetTypes`
    holds TLS_SNI) and only targets in knob `allowedDomains`"""
    source = dig(args.props, "ruleGroup", "rulesSource", "rulesSourceList")
    if not is_map(source):
        args.not_applicable("no domain list (rulesSourceList)")
    kind = source.get("generatedRulesType")
    if kind != "ALLOWLIST":
        yield f"ruleGroup.rulesSource.rulesSourceList.generatedRulesType is {kind}; egress must be an ALLOWLIST"
    # A domain list writes rules for the protocols its target types name: without TLS_SNI no rule looks at HTTPS,
    # which then takes the policy's default action for traffic no rule matched (pass, in default action order).
    types = peek_items(source, "targetTypes")
    if UNKNOWN not in types and "TLS_SNI" not in types:
        yield (f"rulesSourceList targetTypes is {', '.join(types) or 'empty'}; without TLS_SNI no rule inspects HTTPS, "
               "so HTTPS to any host is left to the firewall policy's default action")
    allowed = config_list(args, "allowedDomains")
    unapproved = [t for t in as_list(source.get("targets")) if isinstance(t, str) and not _approved(t, allowed)]
    if unapproved:
        yield (f"rulesSourceList targets {', '.join(unapproved)} are not in allowedDomains; every external host "
               "must be approved")
