"""Load balancers in front of ECS Service Connect ports that serve TLS: the proxy there speaks TLS 1.3 and nothing
else (ECS's Service Connect TLS guide: "TLS 1.0 - 1.2 are not supported"), so the load balancer must reach it
with TLS 1.3, in its traffic and in its health checks.

What ELB speaks to targets: a target group's `protocol` for traffic, its `healthCheck.protocol` for health checks
(HTTP when unset: the provider's default, and the API's for an Application Load Balancer), and for TLS the
listener's security policy decides the versions. A listener with a TLS 1.3 policy (`ELBSecurityPolicy-TLS13-*`,
the FIPS ones included) connects to targets with `ELBSecurityPolicy-TLS13-1-0-2021-06` (or its FIPS twin); any
other listener with `ELBSecurityPolicy-2016-08`, which stops at TLS 1.2 (ELB's "Security policies" pages for
Application and Network Load Balancers). Which port a target group reaches is the service's `loadBalancers[]`
`containerPort`; the proxy serves a Service Connect entry's TLS on its port mapping's `containerPort`, or on
`ingressPortOverride` when set (and then traffic to the container port bypasses the proxy).
"""
from __future__ import annotations

from typing import Any, Iterator, Optional

from pulumi_policy import Severity, StackValidationArgs

from ..core.props import UNKNOWN, dig, is_map, number, peek, peek_items, unless_unknown
from ..core.registry import stack_policy
from ..core.stack import of_type, prop, referenced
from ..ecs import SERVICE
from ..ecs.links import task_definition_of
from ..ecs.service_connect import SC, is_enabled, port_mappings, sc_services
from . import LISTENER_RULES, LISTENERS, TARGET_GROUPS

# ELB's back-end policy when the listener's is not a TLS 1.3 one (or the listener has none).
BACK_END_DEFAULT = "ELBSecurityPolicy-2016-08"
TLS_PROTOCOLS = ("HTTPS", "TLS")
# A target group action's references: `targetGroupArn`, or `forward.targetGroups[].arn` (weighted forwards).
ACTIONS = {**dict.fromkeys(LISTENERS, "defaultActions"), **dict.fromkeys(LISTENER_RULES, "actions")}


def tls_ports(service: Any, resources: list) -> dict[int, str]:
    """{port: the Service Connect entry's label} for the ports on which the service's proxy serves TLS; {} when
    its task definition is not in the stack or a value needed is unknown (nothing can be told)."""
    task, _ = task_definition_of(service, resources)
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


def _groups_reaching_tls(service: Any, ports: dict[int, str], groups: list) -> Iterator[tuple[Any, int, str]]:
    """(target group, port, entry label) for each target group in the stack that the service registers a TLS port
    in. A group whose `loadBalancers[]` entry cannot be told apart from one on a plain port is left out."""
    entries = [entry for entry in peek_items(service.props, "loadBalancers") if is_map(entry)]
    entry_ports = [number(peek(entry, "containerPort")) for entry in entries]
    for entry, port in zip(entries, entry_ports):
        if port not in ports:
            continue
        # The target group, and the one a blue/green, canary or linear deployment moves the new tasks to.
        arns = [arn for arn in (peek(entry, "targetGroupArn"), peek(entry, "advancedConfiguration",
                                                                   "alternateTargetGroupArn")) if arn is not None]
        found = [group for group in groups if prop(group, "arn") in arns]
        if any(not isinstance(arn, str) for arn in arns) and all(other in ports for other in entry_ports):
            # Whichever entry an unknown ARN is in, it names a group on a TLS port.
            found += [group for group in referenced(service, "loadBalancers", arns, groups, keys=("arn",))[0]
                      if group not in found]
        for group in found:
            yield group, int(port), ports[int(port)]


def _forwarded(holder: Any, groups: list) -> list:
    """The target groups a listener's default actions, or a listener rule's actions, forward to (by a known
    reference: one that cannot be told is not judged)."""
    key = ACTIONS[holder.resource_type]
    values = []
    for action in peek_items(holder.props, key):
        values.append(peek(action, "targetGroupArn"))
        values += [peek(target, "arn") for target in peek_items(action, "forward", "targetGroups")]
    return referenced(holder, key, [v for v in values if v is not None], groups, keys=("arn",))[0]


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


def _upper(value: Any) -> Any:
    """A protocol as the provider stores it (it takes any case); anything but text as it is."""
    return value.upper() if isinstance(value, str) else value


def _group_problems(group: Any, port: int, reached: str) -> Iterator[str]:
    protocol = _upper(peek(group.props, "protocol"))
    if protocol == "HTTP":
        yield f"protocol is HTTP to port {port}, where {reached} serves only TLS 1.3; use HTTPS"
        return
    check = peek(group.props, "healthCheck")
    if protocol != "HTTPS" or check is UNKNOWN:
        return
    check_protocol, check_port = (peek(check, "protocol"), peek(check, "port")) if is_map(check) else (None, None)
    if UNKNOWN in (check_protocol, check_port):
        return
    if check_port not in (None, "traffic-port") and number(check_port) != port:
        return  # a health check port of its own, which the proxy does not serve
    if check_protocol is None or _upper(check_protocol) == "HTTP":
        told = "is HTTP" if check_protocol is not None else "is not set (HTTP by default)"
        yield (f"healthCheck.protocol {told} against port {port}, where {reached} serves only TLS 1.3: every "
               "target fails its health checks; set healthCheck.protocol HTTPS")


def _listener_problems(listener: Any, group: Any, port: int, reached: str) -> Iterator[str]:
    """An HTTPS or TLS listener's (the only kinds with a security policy; a plain HTTP one may only redirect:
    `elb-listener-http-redirects`)."""
    policy = peek(listener.props, "sslPolicy")
    if _upper(peek(listener.props, "protocol")) not in TLS_PROTOCOLS or policy is UNKNOWN:
        return
    if not (isinstance(policy, str) and "-TLS13-" in policy):
        what = f"sslPolicy {policy}" if policy else f"no sslPolicy ({BACK_END_DEFAULT})"
        yield (f"forwards to target group {group.name}, which reaches port {port} of {reached}, with {what}: not a "
               f"TLS 1.3 policy, so ELB connects to targets with {BACK_END_DEFAULT} (TLS 1.2 at most) and the proxy "
               "refuses every connection; use an ELBSecurityPolicy-TLS13-* policy")


@stack_policy(
    "elb-service-connect-targets-tls13", (*TARGET_GROUPS, *LISTENERS),
    description="A load balancer in front of a Service Connect port that serves TLS must reach it over TLS 1.3: an "
                "HTTPS or TLS target group, HTTPS health checks, and listeners with a TLS 1.3 security policy.",
    severity=Severity.HIGH,
)
def service_connect_targets_tls13(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """for each target group a Service Connect service registers a TLS port in (a `loadBalancers[]` entry's
    `targetGroupArn` or `advancedConfiguration.alternateTargetGroupArn`, whose `containerPort` is the port mapping
    a `services[]` entry with `tls` names, or that entry's `ingressPortOverride`): the group's `protocol` is not
    HTTP; an HTTPS group's `healthCheck.protocol` is set and not HTTP where it checks that port; every listener
    forwarding to it (by default or through a rule) has an `ELBSecurityPolicy-TLS13-*` `sslPolicy`,
    without which ELB connects to targets with ELBSecurityPolicy-2016-08 (TLS 1.2 at most); links, ports and
    values that are unknown are not judged"""
    groups = of_type(args.resources, *TARGET_GROUPS)
    if not groups:
        return
    reported: set[tuple[str, str]] = set()
    listeners_of: Optional[dict[str, list]] = None  # made when the first group on a TLS port is found
    for service in of_type(args.resources, SERVICE):
        ports = tls_ports(service, args.resources) if is_enabled(service) else {}
        for group, port, label in _groups_reaching_tls(service, ports, groups) if ports else ():
            reached = f"service {service.name}'s Service Connect proxy ({label})"
            findings = [(problem, group.urn) for problem in _group_problems(group, port, reached)]
            if _upper(peek(group.props, "protocol")) in TLS_PROTOCOLS:
                if listeners_of is None:
                    listeners_of = _listeners_by_group(args.resources, groups)
                findings += [(problem, listener.urn) for listener in listeners_of.get(group.urn, [])
                             for problem in _listener_problems(listener, group, port, reached)]
            for finding in findings:
                if finding not in reported:
                    reported.add(finding)
                    yield finding
