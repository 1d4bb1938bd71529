"""Application, network and Classic load balancers: access logs into a bucket, header hygiene, encrypted Classic
listeners, no public door around API Gateway, a WAF web ACL on an internet-facing ALB, and the availability
basics: deletion protection and more than one Availability Zone."""
from __future__ import annotations

from typing import Any, Callable, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity, StackValidationArgs

from ..core.companions import companion_policy
from ..core.props import UNKNOWN, dig, is_false, is_set, is_true, num, peek, peek_items
from ..core import zones
from ..core.registry import resource_policy, stack_policy
from ..core.stack import of_type, referenced
from ..core.switches import switch_policy
from ..apigateway import API_V2, REST_API, REST_API_PUT
from ..apigateway.api import openapi_document
from ..apigateway.integration import body_integrations
from ..cloudwatch import delivery_may_send, telemetry_may_log
from ..wafv2 import WEB_ACL_ASSOCIATION
from . import CLASSIC_LOAD_BALANCER, LISTENERS, LOAD_BALANCERS


REST_INTEGRATION = "aws:apigateway/integration:Integration"
HTTP_INTEGRATION = "aws:apigatewayv2/integration:Integration"
VPC_LINK_V1 = "aws:apigateway/vpcLink:VpcLink"

# The log type a CloudWatch vended log delivery sends a load balancer's access logs as (logs' PutDeliverySource
# logType; a Classic Load Balancer has none), and the type a telemetry rule names them by (observabilityadmin).
_DELIVERED_ACCESS_LOGS = {"application": "ALB_ACCESS_LOGS", "network": "NLB_ACCESS_LOGS"}
_TELEMETRY_TYPE = "AWS::ElasticLoadBalancingV2::LoadBalancer"


@stack_policy(
    "elb-loadbalancer-access-logs", (*LOAD_BALANCERS, CLASSIC_LOAD_BALANCER),
    description="Application, network and Classic load balancers must keep access logs: in an S3 bucket, or for an "
                "application or network load balancer through a CloudWatch log delivery.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub ELB.5", "CKV_AWS_91", "CKV_AWS_92"),
    anchor_note="ELB.5 reads accessLogs, the S3 attribute, only",
)
def access_logs(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """`accessLogs.enabled` is true with a `bucket`, or a CloudWatch vended log delivery sends the access logs: a
    `LogDeliverySource` of `logType` ALB_ACCESS_LOGS (NLB_ACCESS_LOGS for a network load balancer) whose
    `resourceArn` names it, named by a `LogDelivery`'s `deliverySourceName`; a source or delivery whose link is
    unknown and may be it counts, and so, as for `wafv2-web-acl-logging`, does a telemetry rule for
    AWS::ElasticLoadBalancingV2::LoadBalancer logs (its selection is not read) whose log types, where it names them
    (`logDeliveryParameters.logTypes`), hold that one. Security Hub ELB.5 reads the S3
    attribute only, and would report a load balancer logged through CloudWatch only. Gateway load balancers keep no
    access logs; a network load balancer writes them for its TLS listeners only, and is asked whatever it listens
    on, so that a TLS listener added later is logged; one whose type is unknown until the update is not judged (its
    S3 setting passes on any type, or the type decides). On a Classic Load Balancer (which has no log delivery): an
    `accessLogs` block with a `bucket` and `enabled` not false (its default is true)"""
    for lb in of_type(args.resources, *LOAD_BALANCERS, CLASSIC_LOAD_BALANCER):
        missing = _s3_access_logs_missing(lb)
        if missing is None:
            continue
        if lb.resource_type == CLASSIC_LOAD_BALANCER:
            yield f"{missing}; the load balancer keeps no access logs", lb.urn
            continue
        kind = peek(lb.props, "loadBalancerType")
        # Unknown until the update, a gateway (no access logs), or not text (a map names no type, nor hashes).
        if kind is UNKNOWN or kind == "gateway" or not isinstance(kind, (str, type(None))):
            continue
        log_type = _DELIVERED_ACCESS_LOGS.get(kind or "application")
        if log_type is not None and telemetry_may_log(args.resources, _TELEMETRY_TYPE, (log_type,)):
            continue
        if not delivery_may_send(args.resources, lb, log_type):
            yield (f"{missing} and no CloudWatch log delivery sends its access logs (a LogDeliverySource of logType "
                   f"{log_type or 'ALB_ACCESS_LOGS or NLB_ACCESS_LOGS'} naming it in resourceArn, which a "
                   "LogDelivery delivers): the load balancer keeps no access logs; turn accessLogs on with an S3 "
                   "bucket, or deliver them through CloudWatch"), lb.urn


def _s3_access_logs_missing(lb: Any) -> Optional[str]:
    """What the load balancer's `accessLogs` lack to write to a bucket (a Classic block is enabled by default); None
    when they write, or while a value that decides it is unknown."""
    logs = peek(lb.props, "accessLogs")
    enabled = peek(logs, "enabled")
    if UNKNOWN in (logs, enabled):
        return None
    if lb.resource_type == CLASSIC_LOAD_BALANCER:
        on = bool(logs) and not is_false(enabled)
    else:
        on = is_true(enabled)
    if not on:
        return "accessLogs.enabled is not true"
    return None if is_set(logs, "bucket") else "accessLogs has no bucket"


@resource_policy(
    "elb-classic-listener-encrypted", CLASSIC_LOAD_BALANCER,
    description="Classic Load Balancer listeners must terminate HTTPS or SSL (TLS).",
    severity=Severity.MEDIUM,
    anchors=("Security Hub ELB.3", "Config elb-tls-https-listeners-only"),
)
def classic_listener_encrypted(args: ResourceValidationArgs) -> Iterator[str]:
    """every `listeners[].lbProtocol` (in any case, as the provider accepts it) is HTTPS or SSL"""
    for i, listener in enumerate(peek_items(args.props, "listeners")):  # item by item, as unknowns allow
        protocol = peek(listener, "lbProtocol")
        if isinstance(protocol, str) and protocol.upper() not in ("HTTPS", "SSL"):
            yield (f"listeners[{i}] (port {num(peek(listener, 'lbPort'))}) takes {protocol.upper()}; a Classic Load "
                   "Balancer listener must terminate HTTPS or SSL")


@resource_policy(
    "elb-loadbalancer-drop-invalid-headers", LOAD_BALANCERS,
    description="Application load balancers must drop HTTP headers with invalid field names.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub ELB.4", "Config alb-http-drop-invalid-header-enabled", "CKV_AWS_131"),
)
def drop_invalid_headers(args: ResourceValidationArgs) -> Iterator[str]:
    """application load balancers set `dropInvalidHeaderFields: true` (request smuggling)"""
    kind = _kind(args, passes=is_true(peek(args.props, "dropInvalidHeaderFields")))
    if kind != "application":
        args.not_applicable(f"a {kind} load balancer has no HTTP headers")
    if not is_true(args.props.get("dropInvalidHeaderFields")):
        yield "dropInvalidHeaderFields is not true; headers with invalid names would reach the targets"


@resource_policy(
    "elb-loadbalancer-desync-mitigation", (*LOAD_BALANCERS, CLASSIC_LOAD_BALANCER),
    description="Application and Classic Load Balancers must not pass ambiguous HTTP requests (HTTP desync) on to "
                "their targets.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub ELB.12", "Security Hub ELB.14", "Config alb-desync-mode-check",
             "Config clb-desync-mode-check"),
)
def desync_mitigation(args: ResourceValidationArgs) -> Iterator[str]:
    """an application or Classic Load Balancer's `desyncMitigationMode` is not `monitor`; left out, ELB uses
    `defensive`, which passes (network and gateway load balancers carry no HTTP)"""
    mode = peek(args.props, "desyncMitigationMode")
    if args.resource_type in LOAD_BALANCERS:
        kind = _kind(args, passes=mode is not UNKNOWN and not _monitors(mode))
        if kind != "application":
            args.not_applicable(f"a {kind} load balancer carries no HTTP")
    if _monitors(dig(args.props, "desyncMitigationMode")):  # read again: an unknown mode cannot run the check
        yield ("desyncMitigationMode is monitor: requests an HTTP desync (request smuggling) could use reach the "
               "targets; set defensive (ELB's default) or strictest")


def _monitors(mode: Any) -> bool:
    return isinstance(mode, str) and mode.lower() == "monitor"


def _kind(args: ResourceValidationArgs, *, passes: bool) -> Any:
    """A load balancer's `loadBalancerType` ("application" where left out, ELB's default). Unknown until the update,
    it is read (and the check cannot run) only where the setting judged would not pass whatever the type is; else
    taken as "application"."""
    kind = peek(args.props, "loadBalancerType")
    return "application" if kind is UNKNOWN and passes else dig(args.props, "loadBalancerType") or "application"


def _body_targets(api: Any) -> list:
    """The listeners and load balancers an OpenAPI `body`'s private integrations name (`connectionType` VPC_LINK: an
    HTTP API's listener `uri`, a REST API's `integrationTarget`; a REST `uri` is the URL sent, and a VPC link V1's
    target is its VpcLink's); none while the body is unknown."""
    body = peek(api.props, "body")
    if body is UNKNOWN:
        return []
    key = "uri" if api.resource_type == API_V2 else "integrationTarget"
    return [integration.get(key) for _, integration in body_integrations(openapi_document(body))
            if str(integration.get("connectionType", "")).upper() == "VPC_LINK"
            and isinstance(integration.get(key), str)]


def _body_named(api: Any, candidates: list) -> list:
    """The candidates a known body's private integrations name, by value. Not by the body's dependencies, as the
    other holders are: a body is made from everything it mentions (a public integration's host, the VPC link)."""
    arns = {arn: c for c in candidates if isinstance(arn := peek(c.props, "arn"), str)}
    return [arns[value] for value in _body_targets(api) if value in arns]


def _private_targets(resources: list) -> set:
    """URNs of the load balancers API Gateway is known to reach privately (REST integrationTarget, HTTP API
    integrationUri naming a listener or load balancer, the same in an OpenAPI body, VPC link V1 targetArn)."""
    lbs, listeners = of_type(resources, *LOAD_BALANCERS), of_type(resources, *LISTENERS)
    # Each holder's finder: the candidates it names.
    finders: list[Callable[[list], list]] = [
        lambda candidates, r=r, key=key: referenced(r, key, peek_items(r.props, key), candidates, keys=("arn",))[0]
        for types, key in ((REST_INTEGRATION, "integrationTarget"), (HTTP_INTEGRATION, "integrationUri"),
                           # The API's `targetArns` list is one `targetArn` string in pulumi-aws (VpcLinkArgs).
                           (VPC_LINK_V1, "targetArn"))
        for r in of_type(resources, types)]
    finders += [lambda candidates, r=r: _body_named(r, candidates)
                for r in of_type(resources, REST_API, REST_API_PUT, API_V2) if peek(r.props, "body") is not None]
    # Each listener's load balancers, found once (the candidate index is kept per list, so alternating lists in the
    # loop below would build it again each time).
    behind = {listener.urn: {lb.urn for lb in referenced(listener, "loadBalancerArn",
                                                          [peek(listener.props, "loadBalancerArn")], lbs,
                                                          keys=("arn",))[0]}
              for listener in listeners}
    candidates, urns = lbs + listeners, set()
    for finder in finders:
        for named in finder(candidates):  # one pass: a body is parsed once
            urns |= behind.get(named.urn, {named.urn})
    return urns


@stack_policy(
    "elb-loadbalancer-internal-behind-api", LOAD_BALANCERS,
    description="Load balancers that API Gateway reaches through a VPC link must be internal.",
    severity=Severity.HIGH,
    anchor_note="Security Hub ELB.13/ELB.17 do not cover it",
)
def internal_behind_api(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """a load balancer named by an API Gateway private integration (`integrationTarget`, HTTP API `integrationUri`,
    or either in an OpenAPI body's `x-amazon-apigateway-integration`) or a VPC link V1 `targetArn` sets
    `internal: true`, so nothing reaches the services around the API's auth"""
    targets = _private_targets(args.resources)
    for lb in of_type(args.resources, *LOAD_BALANCERS):
        internal = peek(lb.props, "internal")
        if lb.urn in targets and internal is not UNKNOWN and not is_true(internal):
            yield (f"load balancer {lb.name} is internet-facing (internal is not true) but API Gateway reaches it "
                   "privately; callers could bypass the API's authorizers, keys and WAF"), lb.urn


def _internet_facing_albs(resources: list) -> list:
    """The application load balancers (`loadBalancerType` application, the API's default) that are internet-facing
    (`internal` not true; false by default); one whose type or `internal` is unknown is left out."""
    found = []
    for lb in of_type(resources, *LOAD_BALANCERS):
        kind, internal = peek(lb.props, "loadBalancerType"), peek(lb.props, "internal")
        if UNKNOWN not in (kind, internal) and (kind or "application") == "application" and not is_true(internal):
            found.append(lb)
    return found


# ELB.16 asks every ALB; ours is internal behind API Gateway, whose stage carries the WAF (apigateway-stage-waf).
companion_policy(
    "elb-loadbalancer-waf", LOAD_BALANCERS, (WEB_ACL_ASSOCIATION,), "resourceArn", ("arn",),
    lambda lb: (f"application load balancer {lb.name} is internet-facing (internal is not true) and no "
                f"{WEB_ACL_ASSOCIATION} names it in resourceArn; associate a WAFv2 web ACL"),
    judged=_internet_facing_albs,
    description="Internet-facing application load balancers must be associated with a WAFv2 web ACL.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub ELB.16", "Config alb-waf-enabled", "CKV2_AWS_28"),
    anchor_note="ELB.16 and alb-waf-enabled ask internal ALBs too",
    checks="""
    an application load balancer (`loadBalancerType` application or unset) that is not `internal: true` is named
    by the `resourceArn` of an `aws:wafv2/webAclAssociation:WebAclAssociation` (a property dependency on it, or its
    ARN); an internal one is not asked, and an unknown type or `internal` reports nothing, nor does an unknown
    `resourceArn` that may be made from its ARN (from a listener's `loadBalancerArn`, or another stack's output)""",
)


switch_policy(
    "elb-loadbalancer-deletion-protection", LOAD_BALANCERS, "enableDeletionProtection",
    "a destroy or a replacement deletes the load balancer and the traffic's way in with it; set it true",
    description="Application, network and gateway load balancers must have deletion protection on: DeleteLoadBalancer "
                "then fails until it is turned off, so neither a destroy nor a replacement takes the traffic's way in "
                "down by mistake.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub ELB.6", "Config elb-deletion-protection-enabled"),
    remediation="Set enableDeletionProtection to true (the default is false); to delete the load balancer on purpose, "
                "set it false in one update first.",
    checks="""
    `enableDeletionProtection` is true (the default is false), on every type: application, network and gateway;
    an unknown value is not judged""",
)


@resource_policy(
    "elb-loadbalancer-multiple-azs", LOAD_BALANCERS,
    description="Application, network and gateway load balancers must span at least two Availability Zones, so one "
                "zone's outage leaves the load balancer a node to answer in another.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub ELB.13", "Config elbv2-multiple-az"),
    config=zones.floor_knob("elbv2-multiple-az"),
)
def multiple_azs(args: ResourceValidationArgs) -> Iterator[str]:
    """`subnets` and `subnetMappings` name at least `minAvailabilityZones` (2) different subnets: ELB takes one subnet
    per Availability Zone, so each names a zone of its own; an unknown item may be any subnet and counts as another
    zone, an unknown list is not judged, and none at all (which ELB refuses) is left to AWS"""
    lists = [zones.items(args.props, "subnets"), zones.items(args.props, "subnetMappings", "subnetId")]
    wanted = zones.short_of(args, zones.span(lists[0] + lists[1]) if None not in lists else None)
    if wanted:
        yield (f"subnets and subnetMappings put the load balancer in fewer than {num(wanted)} Availability Zones "
               "(ELB takes one subnet per zone): an outage of its zone takes it down; add a subnet in another zone")
