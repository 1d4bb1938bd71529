"""Network Firewall policies: what happens to traffic no rule matched."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, peek, peek_items
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
