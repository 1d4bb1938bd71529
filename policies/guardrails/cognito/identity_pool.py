"""Identity pools: an identity pool that allows unauthenticated identities hands AWS credentials (its
unauthenticated role's) to anyone who asks, with no sign-in. The provider's default is false.
"""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import is_true
from ..core.registry import resource_policy
from . import IDENTITY_POOL


@resource_policy(
    "cognito-identity-pool-no-guest-access", IDENTITY_POOL,
    description="A Cognito identity pool does not allow unauthenticated identities: guest access gives AWS "
                "credentials to anyone on the internet, with no sign-in.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub Cognito.2", "Config cognito-identity-pool-unauth-access-check", "CKV_AWS_366"),
    remediation="Set allowUnauthenticatedIdentities to false (the default); where guests are a deliberate feature, "
                "scope the unauthenticated role to the few actions they need and lower this policy's level.",
)
def no_guest_access(args: ResourceValidationArgs) -> Iterator[str]:
    """`allowUnauthenticatedIdentities` is not true"""
    if is_true(args.props.get("allowUnauthenticatedIdentities")):
        yield ("allowUnauthenticatedIdentities is true: anyone may get credentials for the pool's unauthenticated "
               "role without signing in; set it to false")
