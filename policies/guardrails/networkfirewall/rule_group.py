"""Network Firewall rule groups: what their rules let reach the internet (a stateful group's domain list and pass
rules, a stateless group's pass rules), and a stateless group that holds no rule at all."""
from __future__ import annotations

from typing import Any, Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, as_list, dig, glob_match, is_map, num, peek, peek_items
from ..core.registry import config_list, resource_policy, string_list
from . import RULE_GROUP
from .rules import Rule, anchored_pattern, stateful_rule, stateless_to_internet, suricata, variables


def _approved(target: str, allowed: list[str]) -> bool:
    """Whether an allowed entry covers every name the target matches. As Network Firewall reads a domain list,
    `.example.com` is example.com and every name under it, so it approves those and a target `.sub.example.com`;
    `*.example.com` (a glob) approves the names it matches, not a target's own `.` wildcard."""
    target = target.lower()
    for entry in (a.lower() for a in allowed):
        if target == entry or (entry.startswith(".") and (target == entry[1:] or target.endswith(entry))):
            return True
    return not target.startswith(".") and glob_match(target, allowed)


def _pass_rule(rule: Rule, where: str, names: dict[str, tuple[str, ...]], allowed: list[str]) -> Iterator[str]:
    """What a pass rule to any host lets through: every host, names beyond those it writes, or names not approved.
    A rule with an option unknown until the update is not judged."""
    if not rule.to_anywhere(names) or rule.unread:
        return
    said = f"{where}{f' (sid {rule.sid})' if rule.sid else ''}, `{rule.header}`, passes"
    named = [name for name in (m.named() for m in rule.hosts) if name is not None]
    if not (rule.hosts or rule.host_patterns or rule.resolved):
        yield (f"{said} traffic to any host without a content on its tls.sni, http.host or dns.query, so egress skips "
               "the domain allow-list: pin it to hosts in allowedDomains (or list them in a domain list) or remove it")
    elif any(_approved(name, allowed) for name in named):
        return  # a name must match every content: one approved name holds the rule to it
    elif rule.resolved:
        # The destination is an address Route 53 Resolver gave for any one of the domains: each must be approved.
        unapproved = [domain for domain in rule.resolved if not _approved(domain, allowed)]
        if unapproved:
            yield (f"{said} traffic to the addresses Route 53 Resolver resolved for {', '.join(unapproved)} "
                   "(aws_route_53_resolved_domain), not in allowedDomains; every external host must be approved")
    elif named:
        yield f"{said} {', '.join(sorted(set(named)))}, not in allowedDomains; every external host must be approved"
    elif pattern := next((p for p in rule.host_patterns if anchored_pattern(p)), None):
        # Held at both ends, yet not one literal name: an alternation or a wildcard may take any host.
        yield (f"{said} names through pcre {pattern}, which the check cannot confirm names only hosts in "
               "allowedDomains (it reads a pcre of one literal name, such as /^api\\.example\\.com$/): write the "
               "hosts as content with startswith and endswith")
    elif rule.hosts:
        match = rule.hosts[0]
        yield (f"{said} {match.buffer} content \"{match.value}\", which matches {match.how()}: anchor it (startswith "
               "and endswith, or bsize, for one host; dotprefix, \".<domain>\" and endswith for a domain and every "
               "name under it)")
    else:
        yield (f"{said} names through pcre {rule.host_patterns[0]}, which is not held at both ends (^...$), so it "
               "matches names beyond the ones it writes")


def _pass_rules(props: Any, allowed: list[str]) -> Iterator[str]:
    """Each pass rule of a stateful group's Suricata text or 5-tuple rules that lets traffic reach any host, or
    names beyond the approved ones."""
    group = peek(props, "ruleGroup")
    names = variables(group) if is_map(group) else {}
    texts = [("rules", peek(props, "rules")), ("ruleGroup.rulesSource.rulesString",
                                               peek(group, "rulesSource", "rulesString"))]
    for where, text in texts:
        if isinstance(text, str):
            for rule in suricata(text):
                yield from _pass_rule(rule, f"{where} rule", names, allowed)
    for at, entry in enumerate(peek_items(group, "rulesSource", "statefulRules")):
        rule = stateful_rule(entry) if is_map(entry) else None
        if rule is not None:
            yield from _pass_rule(rule, f"ruleGroup.rulesSource.statefulRules[{at}]", names, allowed)


@resource_policy(
    "networkfirewall-domain-allowlist", RULE_GROUP,
    description="Network Firewall stateful rule groups let egress reach only domains the policy config approves: "
                "domain lists are allow-lists of approved domains, and no pass rule lets traffic reach any host.",
    severity=Severity.HIGH,
    config={"allowedDomains": string_list("Domains egress may reach (exact, .example.com for every subdomain, or "
                                          "*.example.com); the external hosts services declare.")},
)
def domain_allowlist(args: ResourceValidationArgs) -> Iterator[str]:
    """a stateful domain list (`rulesSourceList`) has `generatedRulesType` ALLOWLIST, inspects HTTPS (`targetTypes`
    holds TLS_SNI) and only targets in knob `allowedDomains` (another list's targets are names it blocks, not ones it
    lets through); a `pass` rule of Suricata text (`rulesString`, the provider's `rules`) or 5-tuple `statefulRules`
    (PASS) with a destination of any host (any, $EXTERNAL_NET, a negation, 0.0.0.0/0, ::/0, blocks that add up to the
    internet, an IP set variable holding one; either end for `<>` or direction ANY) has a content (not negated) on
    its name's buffer (`tls.sni`, `http.host`, `dns.query`, or the older `http_host` modifier; content on the payload
    or `http.uri` names no host), anchored to one host (startswith, or depth of its length at offset 0, and
    endswith, or `isdataat:!1,relative` after it; or bsize of its length) or a domain (".example.com" and endswith,
    as with dotprefix) in `allowedDomains`, or a pcre on the name that spells one such name held at both ends
    (`/^api\\.example\\.com$/`, letters, digits, `-` and escaped dots, `i` allowed; any other pcre is not
    confirmed), or an `aws_route_53_resolved_domain` option (its destination an address Route 53 Resolver returned
    for one of its domains) whose every domain is in `allowedDomains`; a rule with a 5-tuple option unknown until the
    update, a pass of the TCP handshake alone (`flow:not_established` on TCP, `flags:S`), or one an unknown option or
    protocol may make so, drop, reject and alert rules are not judged, nor Suricata lines that do not read as one
    rule"""
    source = dig(args.props, "ruleGroup", "rulesSource")
    if not (is_map(source) and any(k in list(iter(source)) for k in ("rulesSourceList", "rulesString",
                                                                      "statefulRules"))) \
            and not isinstance(peek(args.props, "rules"), str):
        args.not_applicable("no domain list or stateful rules (rulesSourceList, rulesString, statefulRules, rules)")
    # A pass rule to any host is an allow-list entry for every domain: it passes what the domain list would drop.
    allowed = config_list(args, "allowedDomains")
    yield from _pass_rules(args.props, allowed)
    source = dig(args.props, "ruleGroup", "rulesSource", "rulesSourceList")
    if not is_map(source):
        return
    kind = source.get("generatedRulesType")
    if kind != "ALLOWLIST":
        yield f"ruleGroup.rulesSource.rulesSourceList.generatedRulesType is {kind}; egress must be an ALLOWLIST"
    # A domain list writes rules for the protocols its target types name: without TLS_SNI no rule looks at HTTPS,
    # which then takes the policy's default action for traffic no rule matched (pass, in default action order).
    types = peek_items(source, "targetTypes")
    if UNKNOWN not in types and "TLS_SNI" not in types:
        yield (f"rulesSourceList targetTypes is {', '.join(types) or 'empty'}; without TLS_SNI no rule inspects HTTPS, "
               "so HTTPS to any host is left to the firewall policy's default action")
    # Only an allow-list lets its targets through: a deny, reject or alert list's are the names it blocks or notes.
    unapproved = [t for t in as_list(source.get("targets")) if isinstance(t, str) and not _approved(t, allowed)]
    if kind == "ALLOWLIST" and unapproved:
        yield (f"rulesSourceList targets {', '.join(unapproved)} are not in allowedDomains; every external host "
               "must be approved")


@resource_policy(
    "networkfirewall-stateless-no-pass", RULE_GROUP,
    description="Network Firewall stateless rules must not pass traffic bound for the internet: aws:pass skips the "
                "stateful engine, and with it the domain allow-list.",
    severity=Severity.HIGH,
    anchor_note="Security Hub NetworkFirewall.4 and .5 check only the policy's stateless default actions",
)
def stateless_no_pass(args: ResourceValidationArgs) -> Iterator[str]:
    """no stateless rule (`ruleGroup.rulesSource.statelessRulesAndCustomActions.statelessRules[].ruleDefinition`)
    has `aws:pass` among its `actions` with `matchAttributes.destinations` holding 0.0.0.0/0 or ::/0 (or blocks that
    add up to the internet, `0.0.0.0/1` and `128.0.0.0/1`), or none (any destination); aws:forward_to_sfe and
    aws:drop are fine. Judged on the group, whether or not a firewall policy references it yet"""
    rules = peek(args.props, "ruleGroup", "rulesSource", "statelessRulesAndCustomActions")
    if not is_map(rules):
        args.not_applicable("no stateless rules (statelessRulesAndCustomActions)")
    for at, rule in enumerate(peek_items(rules, "statelessRules")):
        definition = peek(rule, "ruleDefinition") if is_map(rule) else None
        if not is_map(definition) or "aws:pass" not in peek_items(definition, "actions"):
            continue
        internet = stateless_to_internet(definition)
        if internet:
            priority = peek(rule, "priority")
            label = f" (priority {num(priority)})" if isinstance(priority, (int, float)) else ""
            yield (f"statelessRules[{at}]{label} passes traffic to {', '.join(internet)} "
                   "past the stateful engine, so the domain allow-list never sees it: use aws:forward_to_sfe, or "
                   "name the destinations")


@resource_policy(
    "networkfirewall-stateless-group-not-empty", RULE_GROUP,
    description="Network Firewall stateless rule groups must hold at least one rule: an empty group in a firewall "
                "policy looks like a filter and filters nothing.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub NetworkFirewall.6", "Config netfw-stateless-rule-group-not-empty"),
)
def stateless_not_empty(args: ResourceValidationArgs) -> Iterator[str]:
    """a group of `type` STATELESS has an entry in `ruleGroup.rulesSource.statelessRulesAndCustomActions.statelessRules`
    (a group without `ruleGroup` has none: AWS creates it empty); unknown values are not judged"""
    kind = peek(args.props, "type")
    if kind is UNKNOWN:
        return
    if not (isinstance(kind, str) and kind.upper() == "STATELESS"):
        args.not_applicable("not a stateless rule group")
    if not peek_items(args.props, "ruleGroup", "rulesSource", "statelessRulesAndCustomActions", "statelessRules"):
        yield ("the stateless rule group has no rules (ruleGroup.rulesSource.statelessRulesAndCustomActions."
               "statelessRules): a firewall policy that references it filters nothing with it; add the rules, or "
               "remove the group")
