"""API Gateway integrations: TLS verification of the backend."""
from __future__ import annotations

from typing import Any, Iterator, Optional
from urllib.parse import urlsplit

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import dig, glob_match, is_set, is_true
from ..core.registry import ADVISORY, config_list, resource_policy, string_list
from . import INTEGRATION


def uri_host(uri: Any) -> Optional[str]:
    return urlsplit(uri).hostname if isinstance(uri, str) else None


@resource_policy(
    "apigateway-integration-tls-verification", INTEGRATION,
    description="API Gateway integrations (VPC link ones in particular) must verify the backend's TLS certificate.",
    severity=Severity.HIGH,
    config={"privateCaHosts": string_list(
        "VPC-link backend hosts (exact or *.wildcards) whose certificate chains to a private CA, which API "
        "Gateway cannot trust: they may skip the issuer check (hostname and expiry are still checked).")},
)
def tls_verification(args: ResourceValidationArgs) -> Iterator[str]:
    """`tlsConfig.insecureSkipVerification` is not true, except VPC link V1 hosts in knob `privateCaHosts` (a VPC
    link V2 reaches an ALB, which can present a public ACM certificate)"""
    if not is_true(dig(args.props, "tlsConfig", "insecureSkipVerification")):
        return
    private = args.props.get("connectionType") == "VPC_LINK"
    v2 = is_set(args.props, "integrationTarget")
    host = uri_host(args.props.get("uri"))
    if private and not v2 and host and glob_match(host, config_list(args, "privateCaHosts")):
        return  # an approved VPC link V1 backend whose certificate chains to a private CA
    if v2:
        yield (f"tlsConfig.insecureSkipVerification is true for {host or 'the backend'} (through a VPC link V2): API "
               "Gateway would accept a certificate from any issuer; give the load balancer a public ACM certificate")
        return
    via = " (through a VPC link)" if private else ""
    yield (f"tlsConfig.insecureSkipVerification is true for {host or 'the backend'}{via}: API Gateway would accept "
           "a certificate from any issuer; list the host in privateCaHosts only if it is a private-CA backend")


@resource_policy(
    "apigateway-integration-vpc-link-v2", INTEGRATION,
    description="API Gateway private integrations should use a VPC link V2 with an integrationTarget (V1 is legacy).",
    severity=Severity.LOW, level=ADVISORY,
)
def vpc_link_v2(args: ResourceValidationArgs) -> Iterator[str]:
    """`connectionType` VPC_LINK integrations set `integrationTarget` (a VPC link V2 to an ALB or NLB); a V1 link
    (NLB only) is advisory"""
    if args.props.get("connectionType") != "VPC_LINK":
        args.not_applicable("not a private integration")
    if not is_set(args.props, "integrationTarget"):
        yield (f"the integration for {uri_host(args.props.get('uri')) or 'its backend'} uses a VPC link V1 (no "
               "integrationTarget); API Gateway calls V1 legacy: use a VPC link V2 with integrationTarget")
