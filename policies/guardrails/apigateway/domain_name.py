"""API Gateway custom domain names: the TLS floor."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import dig
from ..core.registry import config_list, resource_policy, string_list
from . import DOMAIN_NAME, DOMAIN_NAME_V2

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


@resource_policy(
    "apigateway-domainname-tls-policy", (DOMAIN_NAME, DOMAIN_NAME_V2),
    description="API Gateway custom domains must use a TLS 1.2+ security policy (TLS_1_2 or an enhanced TLS 1.3 policy).",
    severity=Severity.HIGH,
    anchors=("CKV_AWS_206",),
    config={"allowedSecurityPolicies": string_list("Accepted securityPolicy values.", DEFAULT_TLS_POLICIES)},
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
        yield f"{key} is {policy}; it must have a TLS 1.2+ floor (e.g. TLS_1_2 or SecurityPolicy_TLS13_1_2_2021_06)"
