"""Cognito guardrails against tests/programs/policy_cognito (raw pulumi_aws user pools)."""
from __future__ import annotations

from tests.test_policies_support import Finding, InsecureProgramSuite, program_fixtures

PROGRAM = "policy_cognito"
M = "mandatory"
SES = "cognito-user-pool-email-through-ses"
CONFIG = {"all": "mandatory"}

FAILING = [
    Finding(SES, "bare-pool", M, "lets users sign up and mails them with COGNITO_DEFAULT: Cognito's own sender "
                                 "allows only a few messages a day"),
    Finding(SES, "default-sender-pool", M, "lets users sign up and mails them with COGNITO_DEFAULT"),
]
PASSING = [(SES, "ses-pool"), (SES, "admin-only-pool")]


result, first_preview = program_fixtures(PROGRAM, CONFIG)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


