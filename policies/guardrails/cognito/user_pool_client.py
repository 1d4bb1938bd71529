"""User pool app clients: how a client's users sign in. SRP (`ALLOW_USER_SRP_AUTH`) proves the password without
sending it; `ALLOW_USER_PASSWORD_AUTH` sends the password itself to Cognito on each sign-in (AWS: "Amazon Cognito
receives the password in the request"), where a logging proxy, a compromised client library or a TLS-inspecting
middlebox sees it. So does `ALLOW_USER_AUTH` (choice-based sign-in): it offers the PASSWORD challenge, answered
with the password itself, on every pool, whose first factors must include PASSWORD, and the API reference says it
"can do username-password and SRP authentication without other ExplicitAuthFlows permitting them". A client
without `explicitAuthFlows` gets SRP, refresh tokens and custom auth (the API's
default). The OAuth implicit grant hands tokens out in the redirect URL's fragment, where browser history, referrers
and injected scripts read them; the OAuth 2.0 Security Best Current Practice (RFC 9700, 2.1.2) says it SHOULD NOT
be used: the authorization code grant with PKCE replaces it.
"""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import as_list, is_false
from ..core.registry import resource_policy
from . import USER_POOL_CLIENTS

# ALLOW_USER_PASSWORD_AUTH and its legacy name, and choice-based sign-in, which offers the plain PASSWORD challenge.
# The ADMIN_ flows are server-side calls signed with IAM credentials.
_PLAIN_PASSWORD_FLOWS = {
    "ALLOW_USER_PASSWORD_AUTH": "clients send users' passwords themselves to Cognito",
    "USER_PASSWORD_AUTH": "clients send users' passwords themselves to Cognito",
    "ALLOW_USER_AUTH": ("choice-based sign-in always offers the PASSWORD challenge (a pool's first factors must "
                        "include PASSWORD), which a client answers with the user's password itself"),
}


@resource_policy(
    "cognito-user-pool-client-srp-auth", USER_POOL_CLIENTS,
    description="A Cognito app client signs users in with SRP, not ALLOW_USER_PASSWORD_AUTH or ALLOW_USER_AUTH, "
                "which let a client send each user's password itself to Cognito instead of proving it.",
    severity=Severity.HIGH,
    anchor_note="Cognito developer guide: USER_PASSWORD_AUTH sends the password; no Security Hub or Checkov rule",
    remediation="Drop ALLOW_USER_PASSWORD_AUTH and ALLOW_USER_AUTH from explicitAuthFlows and sign in with "
                "ALLOW_USER_SRP_AUTH (the Amplify and Cognito SDKs do SRP); a user-migration Lambda needs password "
                "sign-in only while users migrate; for a client that must offer passkeys or one-time passwords "
                "(ALLOW_USER_AUTH), set this policy's enforcementLevel for that stack in the pack config.",
)
def srp_auth(args: ResourceValidationArgs) -> Iterator[str]:
    """`explicitAuthFlows` does not include ALLOW_USER_PASSWORD_AUTH (or the legacy USER_PASSWORD_AUTH) or
    ALLOW_USER_AUTH; a client without `explicitAuthFlows` gets SRP, refresh tokens and custom auth"""
    # isinstance first: a flow given as a map names none, and would not hash.
    flows = [flow for flow in as_list(args.props.get("explicitAuthFlows"))
             if isinstance(flow, str) and flow in _PLAIN_PASSWORD_FLOWS]
    for flow in flows:
        yield (f"explicitAuthFlows includes {flow}: {_PLAIN_PASSWORD_FLOWS[flow]}; remove it and sign in with "
               "ALLOW_USER_SRP_AUTH")


@resource_policy(
    "cognito-user-pool-client-no-implicit-grant", USER_POOL_CLIENTS,
    description="A Cognito app client does not allow the OAuth implicit grant, which returns tokens in the redirect "
                "URL where browser history, referrers and scripts can read them.",
    severity=Severity.HIGH,
    anchor_note="RFC 9700, the OAuth 2.0 Security BCP, 2.1.2: the implicit grant SHOULD NOT be used",
    remediation="Remove implicit from allowedOauthFlows and use the code flow with PKCE (allowedOauthFlows = "
                "[\"code\"]); public clients need no secret for it.",
)
def no_implicit_grant(args: ResourceValidationArgs) -> Iterator[str]:
    """`allowedOauthFlows` does not include implicit, unless `allowedOauthFlowsUserPoolClient` is false (OAuth off)"""
    props = args.props
    if is_false(props.get("allowedOauthFlowsUserPoolClient")):
        return
    if "implicit" in as_list(props.get("allowedOauthFlows")):
        yield ("allowedOauthFlows includes implicit: tokens come back in the redirect URL's fragment, readable from "
               "browser history, referrers and scripts; use [\"code\"] (authorization code with PKCE) instead")
