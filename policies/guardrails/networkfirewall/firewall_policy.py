"""Network Firewall policies: what happens to traffic no rule matched, and whether any rule group is there to match."""
from __future__ import annotations

from typing import Any, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, all_of, peek, peek_items
from ..core.registry import resource_policy
from . import FIREWALL_POLICY

# The stateless engine's standard actions that do not let a packet past the stateful rules (aws:pass would).
_STATELESS_SAFE = ("aws:forward_to_sfe", "aws:drop")
# In strict order, the stateful default actions that drop what no rule matched (else it passes).
# (botocore's network-firewall model lists them; the alert_* ones only log.)
_STATEFUL_DROPS = ("aws:drop_strict", "aws:drop_established", "aws:drop_established_app_layer",
                   "aws:drop_established_app_layer_to_server")


@resource_policy(
    "networkfirewall-policy-default-actions", FIREWALL_POLICY,
    description="Network Firewall policies must not pass unmatched traffic: stateless defaults forward to the "
                "stateful engine or drop, and a strict-order policy drops what no stateful rule matched.",
    severity=Severity.HIGH,
    anchors=("Security Hub NetworkFirewall.4", "Security Hub NetworkFirewall.5"),
    anchor_note="for the stateless defaults; the strict-order stateful drop is the pack's own",
)
def default_actions(args: ResourceValidationArgs) -> Iterator[str]:
    """`statelessDefaultActions` and `statelessFragmentDefaultActions` hold `aws:forward_to_sfe` or `aws:drop`, not
    `aws:pass` (full packets and fragments no stateless rule matched would skip the stateful rules, the domain
    allow-list among them); with `statefulEngineOptions.ruleOrder` STRICT_ORDER, `statefulDefaultActions` holds a
    drop (`aws:drop_strict`, `aws:drop_established`, `aws:drop_established_app_layer` or
    `aws:drop_established_app_layer_to_server`), or traffic no stateful rule matched passes. Unknown values are not
    judged"""
    policy = peek(args.props, "firewallPolicy")
    if policy is UNKNOWN:
        return
    for key in ("statelessDefaultActions", "statelessFragmentDefaultActions"):
        actions = peek_items(policy, key)
        if UNKNOWN not in actions and not any(a in _STATELESS_SAFE for a in actions):
            yield (f"firewallPolicy.{key} is {', '.join(map(str, actions)) or 'empty'}; traffic no stateless rule "
                   "matched skips the stateful rules: use aws:forward_to_sfe (or aws:drop)")
    order = peek(policy, "statefulEngineOptions", "ruleOrder")
    defaults = peek_items(policy, "statefulDefaultActions")
    if order == "STRICT_ORDER" and UNKNOWN not in defaults and not any(a in _STATEFUL_DROPS for a in defaults):
        yield ("firewallPolicy.statefulDefaultActions holds no drop under STRICT_ORDER, so traffic no stateful rule "
               "matched passes: add aws:drop_established (or aws:drop_strict)")


def _drops_unmatched(policy: Any) -> Optional[bool]:
    """Whether every packet no rule matched is dropped: the stateless defaults (full packets and fragments) drop it,
    or forward it to a STRICT_ORDER stateful engine whose defaults drop it. None when unknown."""
    order, stateful = peek(policy, "statefulEngineOptions", "ruleOrder"), peek_items(policy, "statefulDefaultActions")
    verdicts = []
    for key in ("statelessDefaultActions", "statelessFragmentDefaultActions"):
        actions = peek_items(policy, key)
        if UNKNOWN in actions:
            verdicts.append(None)
        elif "aws:drop" in actions:
            verdicts.append(True)
        elif "aws:forward_to_sfe" in actions:
            verdicts.append(None if UNKNOWN in (order, *stateful) else
                            order == "STRICT_ORDER" and any(a in _STATEFUL_DROPS for a in stateful))
        else:
            verdicts.append(False)
    return all_of(verdicts)


@resource_policy(
    "networkfirewall-policy-rule-groups", FIREWALL_POLICY,
    description="Network Firewall policies must reference a rule group, unless they drop whatever no rule matched: "
                "a policy without rules otherwise inspects nothing and lets its default actions pass the traffic.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub NetworkFirewall.3", "Config netfw-policy-rule-group-associated",
             "CT.NETWORK-FIREWALL.PR.1"),
    anchor_note="they ask for a rule group of a policy that drops everything too; this pack passes one",
)
def rule_groups(args: ResourceValidationArgs) -> Iterator[str]:
    """`firewallPolicy.statelessRuleGroupReferences` or `statefulRuleGroupReferences` holds a reference, unless the
    policy drops every packet no rule matched (stateless defaults `aws:drop`, or `aws:forward_to_sfe` to a
    STRICT_ORDER engine whose `statefulDefaultActions` drop): with no rules that is every packet, which is what a
    firewall with nothing yet to allow should do. Unknown values are not judged"""
    policy = peek(args.props, "firewallPolicy")
    if policy is UNKNOWN:
        return
    # An unknown list of references counts as one (peek_items gives [UNKNOWN]).
    if any(peek_items(policy, key) for key in ("statelessRuleGroupReferences", "statefulRuleGroupReferences")):
        return
    if _drops_unmatched(policy) is False:
        yield ("firewallPolicy references no rule group (statelessRuleGroupReferences, statefulRuleGroupReferences), "
               "so no rule inspects the traffic and its default actions let it through: reference the rule groups "
               "that allow what may pass, or make the defaults drop")
