"""Load balancers in front of ECS Service Connect ports that serve TLS: the proxy there speaks TLS 1.3 and nothing
else (ECS's Service Connect TLS guide: "TLS 1.0 - 1.2 are not supported"), so the load balancer must reach it
with TLS 1.3, in its traffic and in its health checks. ECS's guide says so for an ALB ("Service Connect and
Application Load Balancer health checks": an HTTPS target group on the container port, a TLS 1.3 listener policy).

What ELB speaks to targets: a target group's `protocol` for traffic (a TCP group passes TLS through, unless a TLS
listener in front ends it), its `healthCheck.protocol` for health checks, and for TLS the listener's security policy
decides the versions. Health checks default to HTTP when the `healthCheck` block leaves `protocol` out (the
provider's default) and, without the block, to the API's: HTTP for an Application Load Balancer, TCP for a Network
one; an NLB's HTTPS health checks fail against a target that speaks only TLS 1.3 (its target group health check
page), so a TLS group's must be TCP, as must a TCP group's that passes TLS through to the port. A listener with a
TLS 1.3 policy (`ELBSecurityPolicy-TLS13-*`, the FIPS ones included) connects to targets with
`ELBSecurityPolicy-TLS13-1-0-2021-06` (or its FIPS twin); any other listener with `ELBSecurityPolicy-2016-08`, which
stops at TLS 1.2 (ELB's "Security policies" pages for Application and Network Load Balancers). Which port a target
group reaches is the service's `loadBalancers[]` `containerPort`; the proxy serves a Service Connect entry's TLS on
its port mapping's `containerPort`, or on `ingressPortOverride` when set (and then traffic to the container port
bypasses the proxy).
"""
from __future__ import annotations

from typing import Any, Iterator, Optional

from pulumi_policy import Severity, StackValidationArgs

from ..core.props import UNKNOWN, dig, is_map, number, peek, peek_items, unless_unknown
from ..core.registry import stack_policy
from ..core.stack import of_type, prop, referenced
from ..ecs import SERVICE
from ..ecs.links import task_definition_run_by
from ..ecs.service_connect import SC, is_enabled, port_mappings, sc_services
from . import LISTENER_RULES, LISTENERS, LOAD_BALANCERS, TARGET_GROUPS
from .listener import stack_protocol

# ELB's back-end policy when the listener's is not a TLS 1.3 one (or the listener has none).
BACK_END_DEFAULT = "ELBSecurityPolicy-2016-08"
TLS_PROTOCOLS = ("HTTPS", "TLS")  # a listener's or a target group's (the provider takes a group's in upper case only)
PASSTHROUGH = ("TCP", "TCP_UDP")
# A target group's protocol -> the one health check protocol that works against a TLS 1.3-only port: a group that
# passes TLS through checks the same port, where HTTP is plaintext to a TLS port and an NLB's HTTPS fails on TLS 1.3.
HEALTH_CHECKS = {"HTTPS": "HTTPS", "TLS": "TCP", **dict.fromkeys(PASSTHROUGH, "TCP")}
# ALB's and NLB's, without a healthCheck block
API_DEFAULT_HEALTH_CHECK = {"HTTPS": "HTTP", "TLS": "TCP", **dict.fromkeys(PASSTHROUGH, "TCP")}
# A target group action's references: `targetGroupArn`, or `forward.targetGroups[].arn` (weighted forwards).
ACTIONS = {**dict.fromkeys(LISTENERS, "defaultActions"), **dict.fromkeys(LISTENER_RULES, "actions")}


def tls_ports(service: Any, resources: list) -> dict[int, str]:
    """{port: the Service Connect entry's label} for the ports on which the service's proxy serves TLS; {} when
    its task definition is not in the stack or a value needed is unknown (nothing can be told)."""
    task = task_definition_run_by(service, resources)
    return (unless_unknown(_tls_ports, service, task) or {}) if task is not None else {}


def _tls_ports(service: Any, task: Any) -> dict[int, str]:
    mappings = port_mappings(task)
    ports = {}
    for label, entry in sc_services(prop(service, SC)):
        if not is_map(dig(entry, "tls")):
            continue
        mapped = mappings.get(dig(entry, "portName"))
        port = number(dig(entry, "ingressPortOverride"))
        if port is None and mapped is not None:
            port = number(mapped[1].get("containerPort"))
        if port is not None:
            ports[int(port)] = label
    return ports


def _groups_reaching_tls(service: Any, ports: dict[int, str], groups: list,
                         by_arn: dict[str, Any]) -> Iterator[tuple[Any, int]]:
    """(target group, port) for each target group in the stack that the service registers a TLS port in. With an
    unknown ARN, the groups the service's `loadBalancers` depend on are taken only when every entry is on that one
    port (dependencies are kept per property, not per entry)."""
    entries = [entry for entry in peek_items(service.props, "loadBalancers") if is_map(entry)]
    entry_ports = [number(peek(entry, "containerPort")) for entry in entries]
    for entry, port in zip(entries, entry_ports):
        if port not in ports:
            continue
        # The target group, and the one a blue/green, canary or linear deployment moves the new tasks to.
        arns = [arn for arn in (peek(entry, "targetGroupArn"), peek(entry, "advancedConfiguration",
                                                                   "alternateTargetGroupArn")) if arn is not None]
        found = [by_arn[arn] for arn in arns if isinstance(arn, str) and arn in by_arn]
        if any(not isinstance(arn, str) for arn in arns) and len(set(entry_ports)) == 1:
            found += [group for group in referenced(service, "loadBalancers", arns, groups, keys=("arn",),
                                                    many=True)[0]
                      if group not in found]
        for group in found:
            yield group, int(port)


def _forwarded(holder: Any, groups: list) -> list:
    """The target groups a listener's default actions, or a listener rule's actions, forward to (by a known
    reference: one that cannot be told is not judged)."""
    key = ACTIONS[holder.resource_type]
    values = []
    for action in peek_items(holder.props, key):
        values.append(peek(action, "targetGroupArn"))
        values += [peek(target, "arn") for target in peek_items(action, "forward", "targetGroups")]
    return referenced(holder, key, [v for v in values if v is not None], groups, keys=("arn",), many=True)[0]


def _listeners_by_group(resources: list, groups: list) -> dict[str, list]:
    """{target group URN: the stack's listeners that forward to it, themselves or through one of their rules}, from
    one pass over the listeners and rules (asking per group would be quadratic in a large stack)."""
    listeners = of_type(resources, *LISTENERS)
    by_group: dict[str, list] = {}

    def add(found: list, listener: Any) -> None:
        for group in found:
            if listener not in by_group.setdefault(group.urn, []):
                by_group[group.urn].append(listener)

    for listener in listeners:
        add(_forwarded(listener, groups), listener)
    for rule in of_type(resources, *LISTENER_RULES):
        found = _forwarded(rule, groups)
        if found:
            owners, _ = referenced(rule, "listenerArn", [peek(rule.props, "listenerArn")], listeners,
                                   keys=("arn", "id"))
            for owner in owners:
                add(found, owner)
    return by_group


class _Target:
    """A target group in front of a service's Service Connect TLS ports, and how to name what it reaches."""

    def __init__(self, group: Any, port: int, service: Any, ports: dict[int, str]):
        self.group, self.port, self.ports = group, port, ports
        self.protocol = peek(group.props, "protocol")
        self._service = service.name

    def reached(self, port: int) -> str:
        proxy = f"service {self._service}'s Service Connect proxy ({self.ports[port]})"
        return f"port {port}, where {proxy} serves only TLS 1.3"


def _group_problem(target: _Target, listeners: list, balancers: list) -> Optional[str]:
    if not isinstance(target.protocol, str):  # unset, unknown, or a map (which would not hash): no protocol to judge
        return None
    if target.protocol == "HTTP":
        return f"protocol is HTTP to {target.reached(target.port)}; use HTTPS"
    if target.protocol in PASSTHROUGH:
        ending = [listener.name for listener in listeners if stack_protocol(listener, balancers) == "TLS"]
        if ending:
            return (f"protocol is {target.protocol} behind TLS listener {ending[0]}, which ends TLS and sends "
                    f"plaintext to {target.reached(target.port)}; use TLS (re-encrypted with the listener's TLS 1.3 "
                    "policy)")
    return _health_check_problem(target) if target.protocol in HEALTH_CHECKS else None


def _health_check_problem(target: _Target) -> Optional[str]:
    check, wanted = peek(target.group.props, "healthCheck"), HEALTH_CHECKS[target.protocol]
    if check is UNKNOWN:
        return None
    if not is_map(check):
        protocol, port = API_DEFAULT_HEALTH_CHECK[target.protocol], None
        told = f"no healthCheck, so ELB checks with the API's default, {protocol},"
    else:
        protocol, port = peek(check, "protocol"), peek(check, "port")
        if UNKNOWN in (protocol, port):
            return None
        told = f"healthCheck.protocol {protocol}" if protocol is not None else \
            "healthCheck.protocol not set, so the provider sends HTTP,"
        protocol = protocol.upper() if isinstance(protocol, str) else "HTTP"
    checked = target.port if port in (None, "traffic-port") else number(port)
    if checked not in target.ports or protocol == wanted:
        return None  # a port of its own, which the proxy does not serve; or the one protocol that works
    return (f"{told} against {target.reached(int(checked))}: every target fails its health checks; set "
            f"healthCheck.protocol {wanted}")


def _listener_problem(listener: Any, target: _Target, balancers: list) -> Optional[str]:
    """An HTTPS or TLS listener's (the only kinds with a security policy; a plain HTTP one may only redirect:
    `elb-listener-http-redirects`)."""
    policy = peek(listener.props, "sslPolicy")
    if target.protocol not in TLS_PROTOCOLS or stack_protocol(listener, balancers) not in TLS_PROTOCOLS or \
            policy is UNKNOWN or (isinstance(policy, str) and "-TLS13-" in policy):
        return None
    what = f"sslPolicy {policy}" if policy else f"no sslPolicy ({BACK_END_DEFAULT})"
    return (f"forwards to target group {target.group.name}, which reaches {target.reached(target.port)}, with "
            f"{what}: not a TLS 1.3 policy, so ELB connects to targets with {BACK_END_DEFAULT} (TLS 1.2 at most) "
            "and the proxy refuses every connection; use an ELBSecurityPolicy-TLS13-* policy")


@stack_policy(
    "elb-service-connect-targets-tls13", (*TARGET_GROUPS, *LISTENERS),
    description="A load balancer in front of a Service Connect port that serves TLS must reach it over TLS 1.3: an "
                "HTTPS or TLS target group, health checks that work against TLS 1.3 alone, and listeners with a "
                "TLS 1.3 security policy.",
    severity=Severity.HIGH,
)
def service_connect_targets_tls13(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """for each target group a Service Connect service registers a TLS port in (a `loadBalancers[]` entry's
    `targetGroupArn` or `advancedConfiguration.alternateTargetGroupArn`, whose `containerPort` is the port mapping a
    `services[]` entry with `tls` names, or that entry's `ingressPortOverride`): the group's `protocol` is not HTTP,
    nor TCP behind a TLS listener (which ends TLS); an HTTPS group's health checks are HTTPS, and a TLS group's or
    one passing TLS through (TCP) TCP, where they check a TLS port (HTTP is the provider's default when
    `healthCheck.protocol` is unset, and the API's for an ALB without `healthCheck`); every HTTPS or TLS listener
    forwarding to an HTTPS or TLS group (by default or through a rule) has an `ELBSecurityPolicy-TLS13-*`
    `sslPolicy`, without which ELB connects to targets with ELBSecurityPolicy-2016-08 (TLS 1.2 at most); links,
    ports and values that are unknown are not judged"""
    groups = of_type(args.resources, *TARGET_GROUPS)
    by_arn = {arn: group for group in groups if isinstance(arn := prop(group, "arn"), str)}
    targets = [_Target(group, port, service, ports) for service in of_type(args.resources, SERVICE)
               if is_enabled(service) and (ports := tls_ports(service, args.resources))
               for group, port in _groups_reaching_tls(service, ports, groups, by_arn)]
    if not targets:
        return
    listeners_of, balancers = _listeners_by_group(args.resources, groups), of_type(args.resources, *LOAD_BALANCERS)
    reported: set[tuple[str, str]] = set()
    for target in targets:
        listeners = listeners_of.get(target.group.urn, [])
        findings = [(_group_problem(target, listeners, balancers), target.group.urn)]
        findings += [(_listener_problem(listener, target, balancers), listener.urn) for listener in listeners]
        for finding in findings:
            if finding[0] is not None and finding not in reported:
                reported.add(finding)
                yield finding
