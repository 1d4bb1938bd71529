"""Cognito guardrails against tests/programs/policy_cognito (raw pulumi_aws user pools)."""
from __future__ import annotations

from tests.test_policies_support import Finding, InsecureProgramSuite, program_fixtures

PROGRAM = "policy_cognito"
M = "mandatory"
SES = "cognito-user-pool-email-through-ses"
VERIFY = "cognito-user-pool-verify-before-update"
PASSWORDS, MFA = "cognito-user-pool-password-policy", "cognito-user-pool-mfa"
SRP, IMPLICIT = "cognito-user-pool-client-srp-auth", "cognito-user-pool-client-no-implicit-grant"
GUESTS = "cognito-identity-pool-no-guest-access"
CONFIG = {"all": "mandatory"}

FAILING = [
    Finding(SES, "bare-pool", M, "lets users sign up and mails them with COGNITO_DEFAULT: Cognito's own sender "
                                 "allows only a few messages a day"),
    Finding(SES, "default-sender-pool", M, "lets users sign up and mails them with COGNITO_DEFAULT"),
    Finding(VERIFY, "bare-pool", M, "verifies email but applies a change to it before the user verifies the new "
                                    "value"),
    Finding(VERIFY, "phone-pool", M, "verifies phone_number but applies a change to it before the user verifies"),
    Finding(PASSWORDS, "weak-password-pool", M, "passwordPolicy.minimumLength is 6: set it to at least 8"),
    Finding(PASSWORDS, "weak-password-pool", M, "passwordPolicy does not require requireUppercase, requireNumbers, "
                                                "requireSymbols"),
    Finding(MFA, "bare-pool", M, "mfaConfiguration is OFF (the default): a password alone signs users in"),
    Finding(SRP, "password-client", M, "explicitAuthFlows includes ALLOW_USER_PASSWORD_AUTH"),
    Finding(IMPLICIT, "password-client", M, "allowedOauthFlows includes implicit"),
    Finding(GUESTS, "guest-identities", M, "allowUnauthenticatedIdentities is true"),
]
PASSING = [(SES, "ses-pool"), (SES, "admin-only-pool"), (SES, "phone-pool"), (VERIFY, "ses-pool"),
           (VERIFY, "admin-only-pool"), (PASSWORDS, "bare-pool"), (PASSWORDS, "ses-pool"), (MFA, "ses-pool"),
           (MFA, "weak-password-pool"), (SRP, "srp-client"), (IMPLICIT, "srp-client"),
           (GUESTS, "signed-in-identities")]


result, first_preview = program_fixtures(PROGRAM, CONFIG)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


