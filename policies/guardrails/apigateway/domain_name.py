"""API Gateway's TLS floor: custom domain names, and a REST API's own security policy.

A REST API has a security policy of its own (CreateRestApi `securityPolicy`; in an OpenAPI body the extension
`x-amazon-apigateway-security-policy`), and "when you invoke that custom domain name, API Gateway uses the security
policy of the API to negotiate the TLS handshake" (AWS's "Choose a security policy for your custom domain"): a TLS 1.2
domain in front of a TLS 1.0 API takes TLS 1.0. An API that sets none gets AWS's default, TLS_1_0 for a Regional or
edge-optimized API and TLS_1_2 for a private one ("Supported security policies", Default security policies); the
provider sends none unless the program sets one. Where a program writes both the property and the extension, which one
the API ends with is not documented, so each is held to the floor.
"""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, cannot_judge, dig, peek, peek_items
from ..core.registry import config_list, resource_policy, string_list
from . import DOMAIN_NAME, DOMAIN_NAME_V2, REST_API, REST_API_PUT
from .api import openapi_document

# Every securityPolicy API Gateway accepts (botocore's apigateway and apigatewayv2 SecurityPolicy) except TLS_1_0
# has a TLS 1.2 (or 1.3) floor; a test compares this list with botocore's.
DEFAULT_TLS_POLICIES = [
    "TLS_1_2",
    "SecurityPolicy_TLS13_1_3_2025_09",
    "SecurityPolicy_TLS13_1_3_FIPS_2025_09",
    "SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09",
    "SecurityPolicy_TLS13_1_2_FIPS_PQ_2025_09",
    "SecurityPolicy_TLS13_1_2_FIPS_PFS_PQ_2025_09",
    "SecurityPolicy_TLS13_1_2_Ext2_PQ_2025_09",
    "SecurityPolicy_TLS13_1_2_Ext2_FIPS_PQ_2025_09",
    "SecurityPolicy_TLS13_1_2_PQ_2025_09",
    "SecurityPolicy_TLS13_1_2_2021_06",
    "SecurityPolicy_TLS13_2025_EDGE",
    "SecurityPolicy_TLS12_PFS_2025_EDGE",
    "SecurityPolicy_TLS12_2018_EDGE",
]


BODY_POLICY = "x-amazon-apigateway-security-policy"


def _weak(key: str, policy: str) -> str:
    return f"{key} is {policy}; it must have a TLS 1.2+ floor (e.g. TLS_1_2 or SecurityPolicy_TLS13_1_2_2021_06)"


def _rest_api(args: ResourceValidationArgs, allowed: list) -> Iterator[str]:
    """A REST API's `securityPolicy` and its body's extension, each where written; neither written, AWS's default
    for the endpoint type. A RestApiPut's body only: the API it puts on is judged as a RestApi."""
    own = peek(args.props, "securityPolicy")
    body = peek(args.props, "body")
    document = None if body is UNKNOWN else openapi_document(body)
    in_body = peek(document, BODY_POLICY) if document is not None else None
    for key, policy in (("securityPolicy", own), (f"the body's {BODY_POLICY}", in_body)):
        if isinstance(policy, str) and policy not in allowed:
            yield _weak(key, policy)
    if args.resource_type == REST_API_PUT or own is not None or in_body is not None:
        return
    if body is UNKNOWN:
        cannot_judge("body")  # it may set the extension
    types = peek_items(args.props, "endpointConfiguration", "types")
    if UNKNOWN in types:
        cannot_judge("endpointConfiguration", "types")
    if types != ["PRIVATE"]:  # no endpoint configuration is an edge-optimized API (CreateRestApi)
        kind = "a Regional" if types == ["REGIONAL"] else "an edge-optimized"
        body_too = f", nor does the body set {BODY_POLICY}" if body is not None else ""
        yield (f"securityPolicy is not set{body_too}: API Gateway gives {kind} REST API TLS_1_0, and negotiates "
               "with it even through a custom domain with a stricter policy; set TLS_1_2 or a SecurityPolicy_TLS13_* "
               "policy (with endpointAccessMode)")


@resource_policy(
    "apigateway-domainname-tls-policy", (DOMAIN_NAME, DOMAIN_NAME_V2, REST_API, REST_API_PUT),
    description="API Gateway custom domains and REST APIs must use a TLS 1.2+ security policy (TLS_1_2 or an "
                "enhanced TLS 1.3 policy): through a custom domain, API Gateway negotiates with the API's own.",
    severity=Severity.HIGH,
    anchors=("CKV_AWS_206",),
    config={"allowedSecurityPolicies": string_list("Accepted securityPolicy values.", DEFAULT_TLS_POLICIES)},
)
def tls_policy(args: ResourceValidationArgs) -> Iterator[str]:
    """`securityPolicy` (an HTTP or WebSocket API's domain: `domainNameConfiguration.securityPolicy`) is `TLS_1_2`
    or an enhanced `SecurityPolicy_TLS13_*`/`TLS12_*` policy (knob `allowedSecurityPolicies`); so is a REST API's
    own `securityPolicy` and its OpenAPI body's `x-amazon-apigateway-security-policy` (a RestApiPut's body's too),
    and a REST API that sets neither is private (AWS gives a Regional or edge-optimized one TLS_1_0)"""
    allowed = config_list(args, "allowedSecurityPolicies")
    if args.resource_type in (REST_API, REST_API_PUT):
        yield from _rest_api(args, allowed)
        return
    v2 = args.resource_type == DOMAIN_NAME_V2
    path = ("domainNameConfiguration", "securityPolicy") if v2 else ("securityPolicy",)
    key, policy = ".".join(path), dig(args.props, *path)
    if policy is None:
        yield f"{key} is not set; set TLS_1_2 or a SecurityPolicy_TLS13_* policy explicitly"
    elif policy not in allowed:
        yield _weak(key, policy)
