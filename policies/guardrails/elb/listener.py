"""Load balancer listeners: a TLS 1.2+ floor on HTTPS, and HTTP only to redirect to HTTPS (by default and in every
listener rule)."""
from __future__ import annotations

import re
from typing import Any, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity, StackValidationArgs

from ..core.props import UNKNOWN, as_list, dig, peek, peek_items
from ..core.registry import config_list, resource_policy, stack_policy, string_list
from ..core.stack import of_type, referenced
from . import LISTENER_RULES, LISTENERS

# ELB names its predefined policies after their floor: TLS13-1-2/1-3, TLS-1-2 and FS-1-2 start at TLS 1.2;
# 2016-08, 2015-05, TLS-1-0/1-1, FS-2018-06, FS-1-1 and TLS13-1-0/1-1 still accept TLS 1.0 or 1.1.
TLS12_FLOOR = re.compile(r"^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)-")


@resource_policy(
    "elb-listener-tls-policy", LISTENERS,
    description="HTTPS and TLS listeners must use a security policy with a TLS 1.2 floor (TLS 1.3 policies accepted).",
    severity=Severity.HIGH,
    anchors=("Security Hub ELB.17", "CKV_AWS_103"),
    config={"allowedSslPolicies": string_list("Further sslPolicy names to accept.")},
)
def tls_policy(args: ResourceValidationArgs) -> Iterator[str]:
    """HTTPS/TLS listeners set `sslPolicy` explicitly, to an `ELBSecurityPolicy-TLS13-1-2/1-3-*`, `-TLS-1-2-*` or
    `-FS-1-2-*` policy (knob `allowedSslPolicies`); the API default (2016-08) still accepts TLS 1.0"""
    protocol = args.props.get("protocol")
    if protocol not in ("HTTPS", "TLS"):
        args.not_applicable(f"a {protocol or 'default-protocol'} listener does not terminate TLS")
    policy = args.props.get("sslPolicy")
    if policy is None:
        yield f"{protocol} listener sets no sslPolicy, so ELB uses ELBSecurityPolicy-2016-08 (TLS 1.0 and up)"
    elif not TLS12_FLOOR.match(policy) and policy not in config_list(args, "allowedSslPolicies", []):
        yield f"{protocol} listener sslPolicy {policy} accepts TLS below 1.2; use ELBSecurityPolicy-TLS13-1-2-2021-06"


@resource_policy(
    "elb-listener-http-redirects", LISTENERS,
    description="HTTP listeners must only redirect to HTTPS.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub ELB.1", "Config alb-http-to-https-redirection-check", "CKV_AWS_2"),
)
def http_redirects(args: ResourceValidationArgs) -> Iterator[str]:
    """HTTP listeners have only `redirect` default actions, each to protocol HTTPS"""
    if args.props.get("protocol") != "HTTP":
        args.not_applicable("not an HTTP listener")
    for i, action in enumerate(as_list(args.props.get("defaultActions"))):
        problem = _not_a_redirect_to_https(dig(action, "type"), dig(action, "redirect", "protocol"))
        if problem:
            yield f"HTTP listener defaultActions[{i}] {problem[0]}; {problem[1]}"


def _not_a_redirect_to_https(kind: Any, protocol: Any) -> Optional[tuple[str, str]]:
    """What an action on plain HTTP does wrong and what to do instead (from its type and redirect protocol), or None
    for a redirect to HTTPS."""
    if kind != "redirect":
        return f"is {kind}", "plain HTTP must only redirect to HTTPS"
    if protocol != "HTTPS":
        return f"redirects to protocol {protocol or '#{protocol} (unchanged)'}", "redirect to HTTPS"
    return None


@stack_policy(
    "elb-listener-rule-http-redirects", LISTENER_RULES,
    description="Listener rules on HTTP listeners must only redirect to HTTPS.",
    severity=Severity.MEDIUM,
    anchor_note="elb-listener-http-redirects (Security Hub ELB.1) applied to the listener's rules",
)
def rule_http_redirects(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """every action of a listener rule on an HTTP listener (found through `listenerArn`) is a `redirect` to protocol
    HTTPS; a rule whose listener, protocol or actions are unknown is not judged"""
    listeners = of_type(args.resources, *LISTENERS)
    for rule in of_type(args.resources, *LISTENER_RULES):
        found, _ = referenced(rule, "listenerArn", [peek(rule.props, "listenerArn")], listeners, keys=("arn", "id"))
        http = [listener for listener in found if peek(listener.props, "protocol") == "HTTP"]
        if not http:
            continue
        for i, action in enumerate(peek_items(rule.props, "actions")):
            kind, protocol = peek(action, "type"), peek(action, "redirect", "protocol")
            if any(value is UNKNOWN for value in (action, kind, protocol)):
                continue
            problem = _not_a_redirect_to_https(kind, protocol)
            if problem:
                yield f"actions[{i}] {problem[0]} on HTTP listener {http[0].name}; {problem[1]}", rule.urn
