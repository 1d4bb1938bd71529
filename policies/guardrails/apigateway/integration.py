"""API Gateway integrations: TLS verification of the backend."""
from __future__ import annotations

from typing import Any, Iterator, Optional
from urllib.parse import urlsplit

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import dig, glob_match, is_true
from ..core.registry import config_list, resource_policy, string_list
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
    """`tlsConfig.insecureSkipVerification` is not true, except VPC-link hosts in knob `privateCaHosts`"""
    if not is_true(dig(args.props, "tlsConfig", "insecureSkipVerification")):
        return
    private = args.props.get("connectionType") == "VPC_LINK"
    host = uri_host(args.props.get("uri"))
    if private and host and glob_match(host, config_list(args, "privateCaHosts", [])):
        return  # an approved VPC-link backend whose certificate chains to a private CA
    via = " (through a VPC link)" if private else ""
    yield (f"tlsConfig.insecureSkipVerification is true for {host or 'the backend'}{via}: API Gateway would accept "
           "a certificate from any issuer; list the host in privateCaHosts only if it is a private-CA backend")
