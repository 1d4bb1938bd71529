"""API Gateway integrations: TLS to the backend, and its verification."""
from __future__ import annotations

from typing import Any, Iterator, Optional
from urllib.parse import urlsplit

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, dig, glob_match, is_present, is_set, is_true, peek
from ..core.registry import ADVISORY, config_list, resource_policy, string_list
from . import INTEGRATION, INTEGRATION_V2

# The integration types that call a backend over HTTP(S); AWS and AWS_PROXY call AWS services (their own TLS
# endpoints), MOCK calls nothing.
HTTP_TYPES = ("HTTP", "HTTP_PROXY")


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


def uri_scheme(uri: Any) -> Optional[str]:
    """A URL's scheme in lower case ("http", "https"), or None for what is no URL (an ARN, a stage variable)."""
    if not isinstance(uri, str) or "://" not in uri:
        return None
    return urlsplit(uri).scheme.lower() or None


@resource_policy(
    "apigateway-integration-backend-tls", (INTEGRATION, INTEGRATION_V2),
    description="API Gateway HTTP integrations must reach their backend over TLS (https://, or an HTTP API private "
                "integration's tlsConfig).",
    severity=Severity.HIGH,
)
def backend_tls(args: ResourceValidationArgs) -> Iterator[str]:
    """an `HTTP`/`HTTP_PROXY` integration's `uri` (REST) or `integrationUri` (HTTP and WebSocket APIs) is not
    `http://`; an HTTP API private integration (`connectionType` VPC_LINK, `integrationUri` a listener or Cloud Map
    service ARN) has `tlsConfig`, without which API Gateway calls the backend over HTTP whatever the listener is"""
    v2 = args.resource_type == INTEGRATION_V2
    kind = args.props.get("integrationType" if v2 else "type")
    if str(kind or "").upper() not in HTTP_TYPES:
        args.not_applicable(f"a {kind} integration calls no HTTP backend")
    key = "integrationUri" if v2 else "uri"
    private = args.props.get("connectionType") == "VPC_LINK"
    # A private HTTP API integration with tlsConfig speaks HTTPS to whatever its (unknown) ARN names.
    if v2 and private and is_present(args.props, "tlsConfig") and peek(args.props, key) is UNKNOWN:
        return
    uri = args.props.get(key)  # unknown: the analyzer notes the check could not run during preview
    scheme = uri_scheme(uri)
    if scheme == "http":
        via = " through the VPC link" if private else ""
        yield (f"{key} {uri} is plain HTTP{via}: requests, their headers and credentials cross the network "
               "unencrypted; use https:// and a TLS listener (or TLS passthrough to targets that terminate it)")
    elif v2 and private and scheme is None and not is_present(args.props, "tlsConfig"):
        # The ARN of an ALB or NLB listener or a Cloud Map service: AWS's Integration.TlsConfig "If you specify a TLS
        # configuration, private integration traffic uses the HTTPS protocol" (and HTTP without one).
        yield (f"the private integration to {uri} sets no tlsConfig, so API Gateway calls it over plain HTTP through "
               "the VPC link; set tlsConfig.serverNameToVerify to the name on the backend's certificate (an HTTPS "
               "listener, or TLS passthrough to targets that terminate it)")
