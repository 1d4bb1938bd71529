"""Load balancer listeners: a TLS 1.2+ floor on HTTPS, and HTTP only to redirect to HTTPS (by default and in every
listener rule)."""
from __future__ import annotations

import re
from typing import Any, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity, StackValidationArgs

from ..core.props import UNKNOWN, as_list, dig, peek, peek_items
from ..core.registry import config_list, resource_policy, stack_policy, string_list
from ..core.stack import of_type, referenced, refers_to
from . import CLASSIC_LOAD_BALANCER, LISTENER_RULES, LISTENERS, LOAD_BALANCERS

# ELB names its predefined policies after their floor: TLS13-1-2/1-3, TLS-1-2 and FS-1-2 start at TLS 1.2;
# 2016-08, 2015-05, TLS-1-0/1-1, FS-2018-06, FS-1-1 and TLS13-1-0/1-1 still accept TLS 1.0 or 1.1.
TLS12_FLOOR = re.compile(r"^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)-")

# The protocol a listener gets, as terraform-provider-aws (internal/service/elbv2/listener.go) decides it: `protocol`
# is validated ignoring case (enum.ValidateIgnoreCase) and stored upper-cased (StateFunc strings.ToUpper); when it is
# unset, CreateListener sends HTTP if the load balancer's ARN contains "loadbalancer/app/" ("Keep previous default of
# HTTP for Application Load Balancers") and none otherwise (AWS's CreateListener: a Network Load Balancer's listener
# is TCP, TLS, UDP or TCP_UDP, a Gateway Load Balancer's takes no protocol). A resource policy sees the ARN only;
# while it is unknown (a first preview) the check does not run, and the listener rule check reads the load balancer's
# type through the stack instead.
ALB_ARN_PART = "loadbalancer/app/"

# A listener's protocol -> the IP protocols it takes traffic on (an ALB's HTTP(S), an NLB's TCP/TLS/UDP, a Classic
# load balancer's HTTP/HTTPS/TCP/SSL); none named: an ALB's listener, HTTP over TCP.
_LISTENER_IP_PROTOCOLS = {"UDP": ("udp",), "TCP_UDP": ("tcp", "udp")}

Listened = Optional[set[tuple[str, int]]]  # (IP protocol, port) pairs; None: any


def listened_on(balancer: Any, listeners: list) -> Listened:
    """The (IP protocol, port) pairs a load balancer listens on, from its listeners in the stack (a
    Classic one's own `listeners`); None when they cannot be told: none in the stack (another program may add them),
    or one unknown."""
    if balancer.resource_type == CLASSIC_LOAD_BALANCER:
        found = [(peek(listener, "lbProtocol"), peek(listener, "lbPort"))
                 for listener in peek_items(balancer.props, "listeners")]
    else:
        answers = [(refers_to(listener, "loadBalancerArn", [peek(listener.props, "loadBalancerArn")], balancer,
                              keys=("arn", "id"), assigned=True), listener) for listener in listeners]
        if any(answer is None for answer, _ in answers):
            return None
        found = [(peek(listener.props, "protocol"), peek(listener.props, "port")) for answer, listener in answers
                 if answer]
    if not found or not all(isinstance(port, (int, float)) and not isinstance(port, bool)
                            and (protocol is None or isinstance(protocol, str)) for protocol, port in found):
        return None
    return {(ip, int(port)) for protocol, port in found
            for ip in _LISTENER_IP_PROTOCOLS.get(str(protocol or "").upper(), ("tcp",))}


def _default_protocol(load_balancer_arn: Any) -> Optional[str]:
    """HTTP for a listener without `protocol` on an application load balancer (by its ARN), else None."""
    return "HTTP" if isinstance(load_balancer_arn, str) and ALB_ARN_PART in load_balancer_arn else None


def _protocol(props: Any) -> Optional[str]:
    """A listener's protocol as the provider sends it. Reading an unknown `protocol`, or the load balancer's ARN when
    `protocol` is unset, raises: the analyzer notes the check could not run during preview."""
    protocol = props.get("protocol")
    if protocol is None:
        return _default_protocol(props.get("loadBalancerArn"))
    return protocol.upper() if isinstance(protocol, str) else protocol


def _described(protocol: str, props: Any) -> str:
    """How a message names the listener: `HTTP listener`, or, when the protocol is the default, says so."""
    if props.get("protocol") is None:
        return f"{protocol} listener (no protocol set: HTTP by default on an application load balancer)"
    return f"{protocol} listener"


@resource_policy(
    "elb-listener-tls-policy", LISTENERS,
    description="HTTPS and TLS listeners must use a security policy with a TLS 1.2 floor (TLS 1.3 policies accepted).",
    severity=Severity.HIGH,
    anchors=("Security Hub ELB.17", "CKV_AWS_103"),
    config={"allowedSslPolicies": string_list("Further sslPolicy names to accept.")},
)
def tls_policy(args: ResourceValidationArgs) -> Iterator[str]:
    """HTTPS/TLS listeners (`protocol` in any case, as the provider accepts it) set `sslPolicy` explicitly, to an
    `ELBSecurityPolicy-TLS13-1-2/1-3-*`, `-TLS-1-2-*` or `-FS-1-2-*` policy (knob `allowedSslPolicies`); the API
    default (2016-08) still accepts TLS 1.0"""
    if args.props.get("protocol") is None:  # HTTP on an ALB, none elsewhere: never TLS, whatever the ARN says
        args.not_applicable("a listener without a protocol does not terminate TLS")
    protocol = _protocol(args.props)
    if protocol not in ("HTTPS", "TLS"):
        args.not_applicable(f"a {protocol} listener does not terminate TLS")
    policy = args.props.get("sslPolicy")
    if policy is None:
        yield f"{protocol} listener sets no sslPolicy, so ELB uses ELBSecurityPolicy-2016-08 (TLS 1.0 and up)"
    elif not isinstance(policy, str):
        return  # a map or list names no policy ELB has: not judged
    elif not TLS12_FLOOR.match(policy) and policy not in config_list(args, "allowedSslPolicies"):
        yield f"{protocol} listener sslPolicy {policy} accepts TLS below 1.2; use ELBSecurityPolicy-TLS13-1-2-2021-06"


@resource_policy(
    "elb-listener-http-redirects", LISTENERS,
    description="HTTP listeners must only redirect to HTTPS.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub ELB.1", "Config alb-http-to-https-redirection-check", "CKV_AWS_2"),
)
def http_redirects(args: ResourceValidationArgs) -> Iterator[str]:
    """HTTP listeners (`protocol` in any case, or none on an application load balancer, which the provider makes
    HTTP) have only `redirect` default actions, each to protocol HTTPS; a listener whose default actions all are
    such redirects passes whatever its protocol, which is then not read"""
    actions = peek_items(args.props, "defaultActions")
    if actions and all(_not_a_redirect_to_https(peek(a, "type"), peek(a, "redirect", "protocol")) is None
                       for a in actions):
        return  # compliant on any listener: no need for its protocol (nor the ARN, unknown in a first preview)
    protocol = _protocol(args.props)
    if protocol != "HTTP":
        args.not_applicable("not an HTTP listener")
    for i, action in enumerate(as_list(args.props.get("defaultActions"))):
        problem = _not_a_redirect_to_https(dig(action, "type"), dig(action, "redirect", "protocol"))
        if problem:
            yield f"{_described(protocol, args.props)} defaultActions[{i}] {problem[0]}; {problem[1]}"


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
    """every action of a listener rule on an HTTP listener (found through `listenerArn`; its `protocol` in any case,
    or none on an application load balancer) is a `redirect` to protocol HTTPS; a rule whose listener, protocol or
    actions are unknown is not judged"""
    listeners = of_type(args.resources, *LISTENERS)
    balancers = of_type(args.resources, *LOAD_BALANCERS)
    for rule in of_type(args.resources, *LISTENER_RULES):
        found, _ = referenced(rule, "listenerArn", [peek(rule.props, "listenerArn")], listeners, keys=("arn", "id"))
        http = [listener for listener in found if stack_protocol(listener, balancers) == "HTTP"]
        if not http:
            continue
        for i, action in enumerate(peek_items(rule.props, "actions")):
            kind, protocol = peek(action, "type"), peek(action, "redirect", "protocol")
            if any(value is UNKNOWN for value in (action, kind, protocol)):
                continue
            problem = _not_a_redirect_to_https(kind, protocol)
            if problem:
                yield f"actions[{i}] {problem[0]} on HTTP listener {http[0].name}; {problem[1]}", rule.urn


def stack_protocol(listener: Any, balancers: list) -> Any:
    """A stack listener's protocol as the provider sends it (see `_protocol`), or UNKNOWN. Without `protocol`, and
    with its load balancer's ARN unknown (a first preview), the load balancer it refers to in the stack tells: its
    `loadBalancerType` (the provider's default is application) is what puts "loadbalancer/app/" in the ARN."""
    protocol = peek(listener.props, "protocol")
    if protocol is not None:
        return protocol.upper() if isinstance(protocol, str) else protocol
    arn = peek(listener.props, "loadBalancerArn")
    if arn is not UNKNOWN:
        return _default_protocol(arn)
    found, maybe = referenced(listener, "loadBalancerArn", [arn], balancers, keys=("arn", "id"))
    kinds = {peek(lb.props, "loadBalancerType") or "application" for lb in found}
    if maybe or len(kinds) != 1 or UNKNOWN in kinds:
        return UNKNOWN
    return "HTTP" if kinds == {"application"} else None
