"""Cognito guardrails against tests/programs/policy_cognito (raw pulumi_aws user pools)."""
from __future__ import annotations

from tests.test_policies_support import Finding, InsecureProgramSuite, program_fixtures

PROGRAM = "policy_cognito"
M = "mandatory"
SES = "cognito-user-pool-email-through-ses"
VERIFY = "cognito-user-pool-verify-before-update"
CONFIG = {"all": "mandatory"}

FAILING = [
    Finding(SES, "bare-pool", M, "lets users sign up and mails them with COGNITO_DEFAULT: Cognito's own sender "
                                 "allows only a few messages a day"),
    Finding(SES, "default-sender-pool", M, "lets users sign up and mails them with COGNITO_DEFAULT"),
    Finding(VERIFY, "bare-pool", M, "verifies email but applies a change to it before the user verifies the new "
                                    "value"),
    Finding(VERIFY, "phone-pool", M, "verifies phone_number but applies a change to it before the user verifies"),
]
PASSING = [(SES, "ses-pool"), (SES, "admin-only-pool"), (SES, "phone-pool"), (VERIFY, "ses-pool"),
           (VERIFY, "admin-only-pool")]


result, first_preview = program_fixtures(PROGRAM, CONFIG)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


