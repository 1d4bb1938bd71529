"""API Gateway's TLS floor: custom domain names, and a REST API's own security policy.

A REST API has a security policy of its own (CreateRestApi `securityPolicy`; in an OpenAPI body the extension
`x-amazon-apigateway-security-policy`), and "when you invoke that custom domain name, API Gateway uses the security
policy of the API to negotiate the TLS handshake" (AWS's "Choose a security policy for your custom domain"): a TLS 1.2
domain in front of a TLS 1.0 API takes TLS 1.0. An API that sets none gets AWS's default, TLS_1_0 for a Regional or
edge-optimized API and TLS_1_2 for a private one ("Supported security policies", Default security policies); the
provider sends none unless the program sets one. Where a program writes both the property and the extension, which one
the API ends with is not documented, so each is held to the floor. A RestApiPut's body sets the policy of the API
it names too, so the REST API's part is a stack policy of its own (apigateway-restapi-tls-policy), which links puts
to APIs as the stage policies do.
"""
from __future__ import annotations

from typing import Any, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity, StackValidationArgs

from ..core.props import UNKNOWN, dig, peek, peek_items
from ..core.registry import config_list, resource_policy, stack_policy, string_list
from ..core.stack import of_type
from . import DOMAIN_NAME, DOMAIN_NAME_V2, REST_API, REST_API_PUT
from .api import openapi_document, puts_naming

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


def _written(props: Any) -> tuple[Any, Any]:
    """A REST API's `securityPolicy` (a RestApiPut has none) and its body's extension: each None where not written,
    UNKNOWN where it (or the body) is unknown during preview."""
    body = peek(props, "body")
    if body is UNKNOWN:
        return peek(props, "securityPolicy"), UNKNOWN
    return peek(props, "securityPolicy"), peek(openapi_document(body), BODY_POLICY)


def _weak_policies(props: Any, allowed: list) -> Iterator[str]:
    own, in_body = _written(props)
    for key, policy in (("securityPolicy", own), (f"the body's {BODY_POLICY}", in_body)):
        if isinstance(policy, str) and policy not in allowed:
            yield _weak(key, policy)


def _left_to_default(api: Any, puts: list) -> Optional[str]:
    """Why a REST API that sets no policy, nor has one set by a RestApiPut naming it, takes TLS_1_0; None where it,
    or a put that is or may be its, sets one or may (a value unknown during preview), and for a private API (TLS_1_2)
    or one whose endpoint type is unknown."""
    found, maybe = puts_naming(api, puts)
    if maybe or any(policy is not None for source in (api, *found) for policy in _written(source.props)):
        return None
    types = peek_items(api.props, "endpointConfiguration", "types")
    if UNKNOWN in types or types == ["PRIVATE"]:  # no endpoint configuration is an edge-optimized API (CreateRestApi)
        return None
    kind = "a Regional" if types == ["REGIONAL"] else "an edge-optimized"
    bodies = ["the body"] if peek(api.props, "body") is not None else []
    bodies += [f"RestApiPut {put.name}'s body" for put in found]
    bodies_too = f", nor does {' or '.join(bodies)} set {BODY_POLICY}" if bodies else ""
    return (f"securityPolicy is not set{bodies_too}: API Gateway gives {kind} REST API TLS_1_0, and negotiates with "
            "it even through a custom domain with a stricter policy; set TLS_1_2 or a SecurityPolicy_TLS13_* policy "
            "(with endpointAccessMode)")


ALLOWED_POLICIES = {"allowedSecurityPolicies": string_list("Accepted securityPolicy values.", DEFAULT_TLS_POLICIES)}


@resource_policy(
    "apigateway-domainname-tls-policy", (DOMAIN_NAME, DOMAIN_NAME_V2),
    description="API Gateway custom domains must use a TLS 1.2+ security policy (TLS_1_2 or an enhanced TLS 1.3 "
                "policy); through a custom domain, API Gateway negotiates with a REST API's own "
                "(apigateway-restapi-tls-policy).",
    severity=Severity.HIGH,
    anchors=("CKV_AWS_206",),
    config=ALLOWED_POLICIES,
)
def tls_policy(args: ResourceValidationArgs) -> Iterator[str]:
    """`securityPolicy` (an HTTP or WebSocket API's domain: `domainNameConfiguration.securityPolicy`) is `TLS_1_2`
    or an enhanced `SecurityPolicy_TLS13_*`/`TLS12_*` policy (knob `allowedSecurityPolicies`)"""
    allowed = config_list(args, "allowedSecurityPolicies")
    v2 = args.resource_type == DOMAIN_NAME_V2
    path = ("domainNameConfiguration", "securityPolicy") if v2 else ("securityPolicy",)
    key, policy = ".".join(path), dig(args.props, *path)
    if policy is None:
        yield f"{key} is not set; set TLS_1_2 or a SecurityPolicy_TLS13_* policy explicitly"
    elif policy not in allowed:
        yield _weak(key, policy)


# A RestApiPut's body sets the policy of the API it names, so a REST API's is judged with the puts in view.
@stack_policy(
    "apigateway-restapi-tls-policy", (REST_API, REST_API_PUT),
    description="REST APIs must use a TLS 1.2+ security policy (TLS_1_2 or an enhanced TLS 1.3 policy): AWS gives a "
                "Regional or edge-optimized one TLS_1_0, and API Gateway negotiates with it even through a custom "
                "domain.",
    severity=Severity.HIGH,
    config=ALLOWED_POLICIES,
)
def rest_api_tls_policy(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """a REST API's own `securityPolicy`, its OpenAPI body's `x-amazon-apigateway-security-policy` and a RestApiPut's
    body's are each `TLS_1_2` or an enhanced `SecurityPolicy_TLS13_*`/`TLS12_*` policy where written (knob
    `allowedSecurityPolicies`), and a REST API for which none of them (its own, or those of the puts naming it) is
    written is private (AWS gives a Regional or edge-optimized one TLS_1_0); not judged: an API whose body, endpoint
    type or puts' bodies are unknown during preview, or that a put might name (its API id unknown and not linked)"""
    allowed = config_list(args, "allowedSecurityPolicies")
    for resource in of_type(args.resources, REST_API, REST_API_PUT):
        for message in _weak_policies(resource.props, allowed):
            yield message, resource.urn
    puts = of_type(args.resources, REST_API_PUT)
    for api in of_type(args.resources, REST_API):
        message = _left_to_default(api, puts)
        if message:
            yield message, api.urn
