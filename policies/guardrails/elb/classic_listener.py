"""Classic Load Balancers: an HTTPS or SSL listener negotiates TLS 1.2 at least, with a certificate from ACM."""
from __future__ import annotations

import re
from typing import Any, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity, StackValidationArgs

from ..core.props import UNKNOWN, all_of, num, number, peek, peek_items
from ..core.registry import resource_policy, stack_policy
from ..core.stack import covering, may_refer, of_type, refers_to
from . import CLASSIC_LISTENER_POLICY, CLASSIC_LOAD_BALANCER, CLASSIC_POLICY, CLASSIC_SSL_NEGOTIATION
from .listener import TLS12_FLOOR

# What a Classic Load Balancer uses for an HTTPS or SSL listener given no negotiation policy (its guide,
# "Predefined SSL security policies for Classic Load Balancers"): TLS 1.0 and up.
CLASSIC_DEFAULT_POLICY = "ELBSecurityPolicy-2016-08"
REFERENCE = "Reference-Security-Policy"
NEGOTIATION_TYPE = "SSLNegotiationPolicyType"


def _reference(attributes: Any) -> Any:
    """The predefined policy a negotiation policy's attributes name (`Reference-Security-Policy`), or None."""
    for attribute in peek_items(attributes):
        name = peek(attribute, "name")
        if name is UNKNOWN:
            return UNKNOWN
        if name == REFERENCE:
            return peek(attribute, "value")
    return None


# How these resources name a Classic Load Balancer: by its name, which is also its id (terraform-provider-aws sets
# the id to the name). Not by `id` as well: in a first preview every id is unknown, and a known name would then
# leave every other Classic Load Balancer unjudged.
BALANCER_KEYS = ("name",)


def _names(holder: Any, prop: str, balancer: Any) -> Optional[bool]:
    return refers_to(holder, prop, [peek(holder.props, prop)], balancer, keys=BALANCER_KEYS)


def _of_listener(resources: list, holder_type: str, balancer_prop: str, port_prop: str, balancer: Any,
                 port: float) -> tuple[list, bool]:
    """The holders of `holder_type` for the balancer's listener on `port`, and whether another might be."""
    def on_port(holder: Any) -> Optional[bool]:
        given = number(peek(holder.props, port_prop))
        return None if given is UNKNOWN else given == port

    return covering(may_refer(resources, (holder_type,), balancer_prop, balancer, keys=BALANCER_KEYS), balancer,
                    lambda holder, _: all_of([_names(holder, balancer_prop, balancer), on_port(holder)]))


def _negotiated(balancer: Any, port: float, resources: list) -> Optional[list[Any]]:
    """The predefined policies the listener on `port` negotiates with: an SslNegotiationPolicy's, else those of the
    SSLNegotiationPolicyType policies its ListenerPolicy names; [] for none (ELB's default); None when an unknown
    value leaves it open."""
    found, maybe = _of_listener(resources, CLASSIC_SSL_NEGOTIATION, "loadBalancer", "lbPort", balancer, port)
    if maybe:
        return None
    if found:
        return [_reference(peek(holder.props, "attributes")) for holder in found]
    listener_policies, maybe = _of_listener(resources, CLASSIC_LISTENER_POLICY, "loadBalancerName", "loadBalancerPort",
                                            balancer, port)
    if maybe:
        return None
    named = [name for holder in listener_policies for name in peek_items(holder.props, "policyNames")]
    if UNKNOWN in named:
        return None
    references = []
    for policy in of_type(resources, CLASSIC_POLICY):
        mine = _names(policy, "loadBalancerName", balancer)
        name, kind = peek(policy.props, "policyName"), peek(policy.props, "policyTypeName")
        if mine is None or UNKNOWN in (name, kind):
            return None
        if mine and name in named and kind == NEGOTIATION_TYPE:
            references.append(_reference(peek(policy.props, "policyAttributes")))
    return references


@stack_policy(
    "elb-classic-listener-tls-policy", CLASSIC_LOAD_BALANCER,
    description="Classic Load Balancers' HTTPS and SSL listeners must negotiate with a predefined policy that has a "
                "TLS 1.2 floor: without one, ELB uses ELBSecurityPolicy-2016-08, which accepts TLS 1.0.",
    severity=Severity.HIGH,
    anchors=("Security Hub ELB.8",),
    anchor_note="ELB.8 asks for a strong predefined policy; this asks for its TLS 1.2 one",
)
def classic_tls_policy(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """each HTTPS or SSL listener of a Classic Load Balancer has an SslNegotiationPolicy, or a ListenerPolicy naming
    an SSLNegotiationPolicyType LoadBalancerPolicy, whose `Reference-Security-Policy` has a TLS 1.2 floor
    (`ELBSecurityPolicy-TLS-1-2-2017-01`); unknown values leave a listener unjudged"""
    for balancer in of_type(args.resources, CLASSIC_LOAD_BALANCER):
        for listener in peek_items(balancer.props, "listeners"):
            protocol, port = peek(listener, "lbProtocol"), number(peek(listener, "lbPort"))
            if UNKNOWN in (protocol, port) or not isinstance(protocol, str) or protocol.upper() not in ("HTTPS", "SSL"):
                continue
            references = _negotiated(balancer, port, args.resources)
            if references is None or UNKNOWN in references:
                continue
            label = f"{protocol.upper()} listener on port {int(port) if port is not None else '?'}"
            if not references:
                yield (f"{label} has no SSL negotiation policy, so ELB uses {CLASSIC_DEFAULT_POLICY} (TLS 1.0 and "
                       f"up); give it one whose {REFERENCE} is ELBSecurityPolicy-TLS-1-2-2017-01"), balancer.urn
            for reference in references:
                if reference is None:
                    yield (f"{label} negotiates with its own list of protocols and ciphers (no {REFERENCE}); use "
                           f"{REFERENCE} ELBSecurityPolicy-TLS-1-2-2017-01"), balancer.urn
                elif not (isinstance(reference, str) and TLS12_FLOOR.match(reference)):
                    yield (f"{label} negotiates with {REFERENCE} {reference}, which accepts TLS below 1.2; use "
                           "ELBSecurityPolicy-TLS-1-2-2017-01"), balancer.urn


# An ACM certificate's ARN in any partition; the other kind a listener takes is IAM's (`:iam::<account>:server-
# certificate/`), which nothing renews.
_ACM_ARN = re.compile(r"^arn:[a-z-]+:acm:")


@resource_policy(
    "elb-classic-listener-acm-certificate", CLASSIC_LOAD_BALANCER,
    description="Classic Load Balancers' HTTPS and SSL listeners must present a certificate from AWS Certificate "
                "Manager, which renews it, not an IAM server certificate, which expires unless someone replaces it.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub ELB.2", "Config elb-acm-certificate-required"),
)
def classic_acm_certificate(args: ResourceValidationArgs) -> Iterator[str]:
    """each HTTPS or SSL listener's `sslCertificateId` is an ACM certificate's ARN (`arn:<partition>:acm:`), in any
    case of protocol; an unknown protocol or certificate is not judged"""
    for i, listener in enumerate(peek_items(args.props, "listeners")):
        protocol, certificate = peek(listener, "lbProtocol"), peek(listener, "sslCertificateId")
        if not isinstance(protocol, str) or protocol.upper() not in ("HTTPS", "SSL") or certificate is UNKNOWN:
            continue
        if not (isinstance(certificate, str) and _ACM_ARN.match(certificate)):
            given = f"sslCertificateId {certificate}" if certificate else "no sslCertificateId"
            yield (f"listeners[{i}] ({protocol.upper()} on port {num(peek(listener, 'lbPort'))}) has {given}, not an "
                   "ACM certificate; use one from ACM, which renews it")
