"""Load balancer target groups: health checks over HTTPS.

terraform-provider-aws (internal/service/elbv2/target_group.go) sends no health check settings to CreateTargetGroup
when the `health_check` block is left out, so ELB's own default applies (botocore CreateTargetGroupInput
HealthCheckProtocol: HTTP for an Application Load Balancer's target group, TCP for a Network or Gateway Load
Balancer's); in a block, `protocol` defaults to HTTP and is taken in any case (StateFunc strings.ToUpper)."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, is_map, peek
from ..core.registry import ADVISORY, knob_names, resource_policy, string_list
from . import TARGET_GROUPS

# An Application Load Balancer's target group protocols, whose health checks default to HTTP (others' to TCP).
_APPLICATION_PROTOCOLS = ("HTTP", "HTTPS")


@resource_policy(
    "elb-targetgroup-health-check-https", TARGET_GROUPS,
    description="Load balancer target groups should health-check their targets over HTTPS, so the checks and the "
                "targets' answers, which decide where traffic goes, cannot be read or forged on the network.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub ELB.21", "Config elbv2-targetgroup-healthcheck-protocol-encrypted"),
    config={"exemptTargetGroups": string_list(
        "Target group names (or resource names; shell-style wildcards) whose targets cannot answer an HTTPS health "
        "check (a TCP pass-through to a server that asks for client certificates); say why next to the config.")},
)
def health_check_https(args: ResourceValidationArgs) -> Iterator[str]:
    """`healthCheck.protocol` is HTTPS, in any case (within the block, left out, the provider sends HTTP; without the
    block, ELB checks an HTTP or HTTPS target group over HTTP and any other over TCP); knob `exemptTargetGroups` (by
    `name` or resource name). A Lambda target group (`targetType` lambda, which the control leaves out), or a
    protocol or target type unknown until the update, is not judged; a name is read only for a finding"""
    if peek(args.props, "targetType") in ("lambda", UNKNOWN):
        return
    check = peek(args.props, "healthCheck")
    if is_map(check):
        protocol = peek(check, "protocol")
        state = protocol if protocol is not None else "unset (HTTP, the provider's default)"
        protocol = "HTTP" if protocol is None else protocol
    elif check is None and isinstance(group := peek(args.props, "protocol"), str):
        protocol = "HTTP" if group.upper() in _APPLICATION_PROTOCOLS else "TCP"
        state = f"unset (healthCheck left out: {protocol}, ELB's default for a {group.upper()} target group)"
    else:
        return
    if not isinstance(protocol, str) or protocol.upper() == "HTTPS":
        return
    if knob_names(args, "exemptTargetGroups", peek(args.props, "name")):
        return
    yield (f"healthCheck.protocol is {state}: the load balancer's health checks and the targets' answers, which "
           "decide where it sends traffic, cross the network in plain text; set HTTPS (the targets must serve TLS on "
           "the health check port), or name the target group in exemptTargetGroups")
